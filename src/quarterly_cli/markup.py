"""CSL rich text: parse it once, write it as plain text, HTML, Markdown or LaTeX.

CSL-JSON strings are plain text in which a handful of HTML-like tags are markup
(https://citeproc-js.readthedocs.io/en/latest/csl-json/markup.html#html-like-formatting-tags):
`<i>`, `<b>`, `<sup>`, `<sub>` and `<span class="nocase">`. Everything else, including a stray
`<script>` or an unmatched `</i>`, is literal text. Because that is the only markup the record
model knows, text from the network can never smuggle formatting into any output: every writer
below escapes the text for its own target.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

from .lazy import lazy_pattern

_TAGS = {
    "<i>": "i", "<b>": "b", "<sup>": "sup", "<sub>": "sub", '<span class="nocase">': "nocase",
}
_CLOSE = {"</i>": "i", "</b>": "b", "</sup>": "sup", "</sub>": "sub", "</span>": "nocase"}
_TOKEN = re.compile(r'(<(?:/?(?:i|b|sup|sub)|span class="nocase"|/span)>)')

# Whole ANSI escape sequences (CSI, OSC …) first, then any other C0 control except tab and
# newline, DEL and C1 controls. Compiled on first use (lazy.py), as are the patterns of this
# module that a conversion of a file never needs (HTML, JATS and MathML from remote sources,
# Markdown, surrogates in JSON): callgrind, start-up of a conversion, ~17 M instructions.
_controls = lazy_pattern(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])?"
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f]"
)


_ANY_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


# The bytes of UTF-8 text that are a control character on their own: C0's controls other than
# tab and newline, and DEL (a byte below 0x80 is never part of a longer sequence). The C1
# controls, U+0080-U+009F, are two bytes: 0xC2, which only ever starts a sequence, then
# 0x80-0x9F.
CONTROL_BYTES = bytes([*range(9), *range(11, 32), 127])
_C1_BYTES = re.compile(rb"\xc2[\x80-\x9f]")


def nul_table(chars: bytes) -> bytes:
    """A bytes.translate table that maps `chars` to NUL and every other byte to itself: one
    translation of an ASCII text's bytes, then `0 in`, finds any of them at once."""
    return bytes.maketrans(chars, bytes(len(chars)))


# C0's controls other than tab and newline, and DEL, mapped to NUL (has_control).
_C0_NUL = nul_table(CONTROL_BYTES)


def _has_c1(data: bytes) -> bool:
    """Whether UTF-8 `data` holds a C1 control. `0xC2 in` is one memchr: the search (a byte at
    a time through re, ~5 instructions a byte) runs only where a C1 control can start. An int,
    not b"\xc2": a bytes needle is first tried as an int."""
    return 0xC2 in data and _C1_BYTES.search(data) is not None


def has_control(text: str) -> bool:
    """Whether strip_controls would change `text` (a character of _ANY_CONTROL in it), told
    from its UTF-8 bytes: one translation and `0 in` for C0 and DEL, and the C1 search only
    where one can start. str.isprintable, the usual first test, reads the text a character at
    a time (~23 instructions each) and fails on tabs, newlines and other printable-but-not-
    isprintable characters (U+2028, soft hyphens), which then take the search; for the long
    values the BibTeX writer escapes (abstracts with a special or a non-ASCII character: 4.0
    million characters of real-10000.ris) the bytes cost about half as much. Lone surrogates
    (which no control is) are encoded as they are, not refused. tests/test_terminal_safety.py
    holds it to the search."""
    data = text.encode("utf-8", "surrogatepass")
    return 0 in data.translate(_C0_NUL) or _has_c1(data)


def clean_encoded(chunks: Iterable[str]) -> Iterator[bytes]:
    """Output on its way to a file or a terminal, as UTF-8, with any control character a writer
    let through removed (escape sequences whole, by strip_controls), newlines and tabs kept: the
    last line of the control-character policy, under every format.

    Each chunk is encoded (as its output needs anyway), then looked at as bytes — one
    bytes.translate that deletes every byte but the controls, and a search for the two-byte C1
    controls — rather than character by character (a chunk is lines, on which str.isprintable
    fails at the first newline). RIS -> BibTeX of 10,000 real records, 13.6 MB of output
    (valgrind): the check 437M -> ~190M instructions (a match of the whole chunk against a class
    of every character but the controls, before), and the output stream's own encoding (~150M)
    is gone. tests/test_terminal_safety.py holds it to strip_controls.

    The C0 controls and DEL are looked for one byte value at a time, `in` (memchr) over the
    chunk for each of the 29, rather than with one translation that deletes the other bytes:
    memchr reads a chunk ~32 bytes at a step, the translation a byte at a time (~9
    instructions each). RIS -> BibTeX of the synthetic records-10000.ris, 12.7 MB of output
    (callgrind): the check 114M -> 40M instructions, and no slower by the clock (3.8 ms for
    the 29 searches against 4.2 ms for the translation)."""
    for chunk in chunks:
        data = chunk.encode()
        # _has_c1's memchr first: its search alone was ~60M of RIS -> BibTeX's 12.5 MB of
        # synthetic output.
        if any(map(data.__contains__, CONTROL_BYTES)) or _has_c1(data):
            data = strip_controls(chunk).encode()
        yield data


# A `\udXXX` escape of JSON that may be half of a UTF-16 surrogate pair (`\ud800`-`\udfff`).
_surrogate_escape = lazy_pattern(r"\\u[dD][89a-fA-F]")
_surrogate = lazy_pattern("[\ud800-\udfff]")


def lone_surrogate(value: object, source: str | None = None, start: int = 0,
                   end: int | None = None) -> str | None:
    """The first lone surrogate in decoded JSON (`value`: its strings, keys included), as the
    escape that made it (`\\ud800`), or None. JSON may escape half of a UTF-16 surrogate pair
    without the other half; json gives it as a character that no text holds and UTF-8 cannot
    encode, so that every write of it would fail. With `source`, the JSON text `value` was
    decoded from (from `start` to `end`), text with no such escape (nearly all) is passed after
    one search, without a walk through the value."""
    if source is not None and not _surrogate_escape().search(source, start,
                                                           len(source) if end is None else end):
        return None
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found = _surrogate().search(item)
            if found:
                return f"\\u{ord(found.group()):04x}"
        elif isinstance(item, dict):
            stack += item.keys()
            stack += item.values()
        elif isinstance(item, list):
            stack += item
    return None


def strip_controls(text: str) -> str:
    """Remove terminal escape sequences and control characters (keeps \\n and \\t)."""
    # Every match of _controls holds a character of _ANY_CONTROL (ESC is one), which no
    # printable text holds; str.isprintable (most values: one line) and a search for one
    # character class (the rest) are cheaper than the substitution's scan (CSL-JSON abstracts:
    # ~2x). Callers need no check of their own first.
    if text.isprintable() or not _ANY_CONTROL.search(text):
        return text
    return _controls().sub("", text)


def folded(text: str) -> bool:
    """Whether `text` is its own folding (`squash_space(text) == text`) and holds no control:
    printable text holds no white space but the ASCII space (str.isprintable), so with no two
    spaces together and none at either end there is nothing to fold. Most values of every
    format are; the test spares them a split and join (tests/test_terminal_safety.py holds it to the
    folding)."""
    return text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " "


def squash_space(text: str) -> str:
    """Collapse every run of white space (newlines included) to one space."""
    return text if folded(text) else " ".join(text.split())


def one_line(text: str) -> str:
    """Controls removed and white space folded to single spaces: a value safe on one line.

    The common case — printable text with single spaces — is returned as is without the two
    passes (this runs for every field of every record in a conversion).
    """
    return text if folded(text) else " ".join(strip_controls(text).split())


class Span(NamedTuple):
    """A run of rich text with the CSL styles in force. A NamedTuple rather than a frozen
    dataclass, as model.Name: its class costs start-up ~0.7 M instructions rather than ~3 M
    (callgrind), and a span is cheaper to make."""

    text: str
    styles: frozenset[str] = frozenset()


def parse(text: str) -> list[Span]:
    """Split CSL rich text into runs of text with the styles in force."""
    if "<" not in text:
        return [Span(text)] if text else []
    spans: list[Span] = []
    stack: list[str] = []
    for token in _TOKEN.split(text):
        if not token:
            continue
        if token in _TAGS:
            stack.append(_TAGS[token])
        elif token in _CLOSE and stack and stack[-1] == _CLOSE[token]:
            stack.pop()
        else:
            styles = frozenset(stack)
            if spans and spans[-1].styles == styles:
                spans[-1] = Span(spans[-1].text + token, styles)
            else:
                spans.append(Span(token, styles))
    return spans


def unparse(spans: list[Span]) -> str:
    """Spans back to CSL rich text (the inverse of `parse`, up to tag order)."""
    out = []
    for span in spans:
        text = span.text
        for style in sorted(span.styles):
            if style == "nocase":
                text = f'<span class="nocase">{text}</span>'
            else:
                text = f"<{style}>{text}</{style}>"
        out.append(text)
    return "".join(out)


def plain(text: str) -> str:
    """The text with all markup removed."""
    if "<" not in text:
        return text
    return "".join(span.text for span in parse(text))


def wrap(spans: list[Span], escape, open_close: dict[str, tuple[str, str]]) -> str:
    out = []
    for span in spans:
        text = escape(span.text)
        for style in ("sub", "sup", "b", "i", "nocase"):
            if style in span.styles and style in open_close:
                before, after = open_close[style]
                text = before + text + after
        out.append(text)
    return "".join(out)


def escape_html(text: str) -> str:
    # citeproc-js writes & < > as numeric references; match it byte for byte.
    return text.replace("&", "&#38;").replace("<", "&#60;").replace(">", "&#62;")


_HTML = {"i": ("<i>", "</i>"), "b": ("<b>", "</b>"), "sup": ("<sup>", "</sup>"),
         "sub": ("<sub>", "</sub>")}


def to_html(text: str) -> str:
    return wrap(parse(text), escape_html, _HTML)


_md_special = lazy_pattern(r"([\\`*_\[\]<>#|])")


def escape_markdown(text: str) -> str:
    return _md_special().sub(r"\\\1", text)


_MARKDOWN = {"i": ("*", "*"), "b": ("**", "**"), "sup": ("<sup>", "</sup>"),
             "sub": ("<sub>", "</sub>")}


def to_markdown(text: str) -> str:
    return wrap(parse(text), escape_markdown, _MARKDOWN)


_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}",
    "&": r"\&", "%": r"\%", "$": r"\$",
    "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}
# Found with `in` (escape_latex), then escaped with str.replace per special present: an
# alternation of the specials and the ligatures tries every alternative at every character, and
# str.translate with a table of multi-character strings looks each character up in a dict. On
# the 196,732 values of benchmarks/run.py's 10,000 real RIS records (titles, names, abstracts,
# ...) escaping took 0.95 s that way (0.40 s of it the scan) and took 0.29 s with str.replace
# after one character class (tests/test_bibtex_latex.py compares the two on any text).
_LATEX_BRACES = re.compile(r"[\\{}]")
# Their escapes hold no special of this list, so replacing one after another escapes none twice.
_LATEX_SIMPLE = tuple((char, _LATEX_SPECIALS[char]) for char in "&%$#_~^")
# `--`, ` `` `, `''`, `!``, `?`` are ligatures in LaTeX (and quarterly's reader): an empty group
# between the characters keeps `18--64` as written. Put in with str.replace, pair by pair, not
# with one regex of four lookbehind alternatives (tried at every character: on the 10,000 real
# RIS records of benchmarks/run.py, 4,436 values, most of them pages such as `343--355`, took
# ~33 ms that way; the BibTeX writer's instructions without it: 1,732M -> 1,627M). A group
# holds none of the pair characters, so putting one in never makes or hides a pair of another
# kind; a doubled character's pairs overlap in a run (`---`), and a second replace takes those
# the first left.
_LIGATURE_BREAKS = (("--", "-{}-"), ("``", "`{}`"), ("''", "'{}'"), ("!`", "!{}`"),
                    ("?`", "?{}`"))


def _escape_brace(match: re.Match[str]) -> str:
    return _LATEX_SPECIALS[match.group()]


def escape_latex(text: str) -> str:
    """Escape the ten LaTeX specials so the value is balanced and literal, and break ligatures.

    Braces become `\\textbraceleft{}`/`\\textbraceright{}`, not `\\{`: BibTeX (and pybtex) count
    `\\{` as a brace, so a lone escaped brace would still unbalance the entry.
    """
    # Looked for with `in`, one special at a time: each is a memchr-speed scan, together faster
    # than one character class (a few ns per character). Finding them in benchmarks/run.py's
    # real RIS records: 8,091 abstract paragraphs 36 ms -> 5 ms, 85,496 other values 34 -> 24 ms.
    if "\\" in text or "{" in text or "}" in text:  # first: the others' escapes hold them
        text = _LATEX_BRACES.sub(_escape_brace, text)
    if "&" in text or "%" in text or "$" in text or "#" in text or "_" in text or "~" in text \
            or "^" in text:
        for char, escaped in _LATEX_SIMPLE:
            if char in text:
                text = text.replace(char, escaped)
    # The escapes hold no `-`, `` ` `` or `'`: the ligatures are those of the input. A pair is
    # looked for only where its character is (one character's scan is a memchr, a pair's a
    # slower substring search): all values of benchmarks/run.py's 10,000 real RIS records,
    # ~35 ms -> ~28 ms.
    if "`" in text or ("'" in text and "''" in text) or ("-" in text and "--" in text):
        for pair, broken in _LIGATURE_BREAKS:
            if pair in text:
                text = text.replace(pair, broken)
                if pair in text:  # a run of three or more (`---`)
                    text = text.replace(pair, broken)
    return text


_LATEX = {"i": (r"\textit{", "}"), "b": (r"\textbf{", "}"), "sup": (r"\textsuperscript{", "}"),
          "sub": (r"\textsubscript{", "}"), "nocase": ("{", "}")}


def to_latex(text: str) -> str:
    """Rich text → LaTeX: `<i>` becomes `\\textit{}`; a run of nocase spans becomes one brace
    group (`{Cu\\textsubscript{2}O}`), which opens with `{}` when it would open with a command
    (BibTeX reads `{\\&…}` as a special character, which protects no case)."""
    if "<" not in text:  # no markup: the common case
        return escape_latex(text)
    spans = parse(text)
    out: list[str] = []
    run: list[Span] = []
    for span in spans + [Span("")]:
        if "nocase" in span.styles:
            run.append(Span(span.text, span.styles - {"nocase"}))
            continue
        if run:
            inner = wrap(run, escape_latex, _LATEX)
            out.append("{" + ("{}" if inner.startswith("\\") else "") + inner + "}")
            run = []
        if span.text:
            out.append(wrap([span], escape_latex, _LATEX))
    return "".join(out)


# --- HTML, JATS and MathML from remote sources → CSL rich text ------------------------------
#
# Crossref titles are HTML-ish strings (`<i>`, `<sub>`, Wiley's `<scp>`, MathML), JATS abstracts
# are XML, and both arrive escaped once too often now and then (`&amp;amp;`, `&lt;scp&gt;`).
# One builder, `RichText`, turns a stream of tags and text into CSL rich text for every source:
# only the CSL tags are ever written, always balanced, and all text goes through `literal`, so
# nothing a source sends can become markup it did not mean. Hand-written rather than a library:
# no Python library turns MathML into text with <sub>/<sup> (the converters on PyPI target LaTeX
# or speech), and html.parser would still need this layer on top.

_entity = lazy_pattern(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def decode_entities(text: str) -> str:
    """HTML character references that end in `;`, decoded with html.unescape's table.

    A bare `&` stays as written: html.unescape alone also reads entities without the `;`
    (HTML5's legacy rule), which would turn `&nothing` into `¬hing`.
    """
    if "&" not in text:
        return text
    import html

    return _entity().sub(lambda m: html.unescape(m.group()), text)


# What tags mean: CSL styles, small capitals, breaks (a space), `<subtitle>` (`: `); any other
# tag is dropped and its text kept.
_STYLE_TAGS = {"i": "i", "em": "i", "italic": "i", "b": "b", "strong": "b", "bold": "b",
               "sup": "sup", "sub": "sub"}
_SMALL_CAPS = frozenset(("scp", "sc", "smallcaps"))  # Wiley's <scp>, JATS <sc>
_BREAKS = frozenset(("p", "br", "div", "li", "list-item", "title", "sec", "tr", "td", "th", "hr"))
_OPEN_TAG = {"i": "<i>", "b": "<b>", "sup": "<sup>", "sub": "<sub>", "nocase": '<span class="nocase">'}
_CLOSE_TAG = {"i": "</i>", "b": "</b>", "sup": "</sup>", "sub": "</sub>", "nocase": "</span>"}

# A tag that was escaped (`&lt;scp&gt;`) is read only when it is one of these, written plainly:
# `P &lt; 0.05 &gt; Q` stays text.
_ESCAPED_NAMES = sorted({*_STYLE_TAGS, *_SMALL_CAPS, *_BREAKS, "subtitle", "span", "u",
                         "underline", "a", "font", "monospace", "tt", "styled-content"},
                        key=len, reverse=True)
_escaped_tag = lazy_pattern(
    r"<(/?)(?:[A-Za-z][\w-]*:)?(" + "|".join(map(re.escape, _ESCAPED_NAMES))
    + r")(?:\s+[^<>]*?)?\s*(/?)>", re.IGNORECASE)
_raw_tag = lazy_pattern(
    r"<!\[CDATA\[(.*?)\]\]>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>|<[!?][^<>]*>"
    r"|<\s*(/?)\s*(?:[A-Za-z][\w.-]*:)?([A-Za-z][\w.-]*)[^<>]*?(/?)>", re.DOTALL)
_math_region = lazy_pattern(r"<\s*(?:[A-Za-z][\w.-]*:)?math\b.*?</\s*(?:[A-Za-z][\w.-]*:)?math\s*>",
                          re.DOTALL | re.IGNORECASE)

MATHML_NS = "http://www.w3.org/1998/Math/MathML"


def _local(tag: str) -> str:
    """`{namespace}name` or `prefix:name` → `name`, lower case."""
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower()


class RichText:
    """Build CSL rich text from tags and text as a parser meets them.

    `tag(name)` understands HTML and JATS names (`em`, `italic`, `sc`, …); `text` takes decoded
    text; `escaped` takes text decoded once and reads what was escaped twice (the second decoding
    pass); `math` takes a MathML element. `result()` closes what is open and tidies white space.
    """

    __slots__ = ("_out", "_open", "_last", "_glue")

    def __init__(self) -> None:
        self._out: list[str] = []
        self._open: list[str] = []  # CSL styles open, innermost last
        self._last = ""  # the last visible character written
        self._glue = False  # the last thing written was math ending in a letter or digit

    def text(self, text: str) -> None:
        text = strip_controls(text)
        if not text:
            return
        if "nocase" in self._open:
            text = text.upper()  # small capitals, written as the capitals they show
        if self._glue and text[0].isalnum():
            self._out.append(" ")
        self._glue = False
        self._out.append(literal(text))
        self._last = text[-1]

    def escaped(self, text: str) -> None:
        if "<" in text:
            pos = 0
            for m in _escaped_tag().finditer(text):
                self.text(decode_entities(text[pos:m.start()]))
                self.tag(m.group(2), closing=bool(m.group(1)), empty=bool(m.group(3)))
                pos = m.end()
            text = text[pos:]
        self.text(decode_entities(text))

    def tag(self, name: str, closing: bool = False, empty: bool = False) -> None:
        """An opening, closing or empty (`<br/>`) tag; an empty style tag styles nothing."""
        name = name.lower()
        style = _STYLE_TAGS.get(name) or ("nocase" if name in _SMALL_CAPS else None)
        if style is not None:
            if empty:
                return
            if not closing:
                self._out.append(_OPEN_TAG[style])
                self._open.append(style)
            elif style in self._open:
                while self._open:  # a close also closes what was left open inside it
                    inner = self._open.pop()
                    self._out.append(_CLOSE_TAG[inner])
                    if inner == style:
                        break
        elif name in _BREAKS:
            self._out.append(" ")
            self._last = " "
            self._glue = False
        elif name == "subtitle" and not closing and not empty:
            self._subtitle()

    def _subtitle(self) -> None:
        """JATS/Crossref `<subtitle>` inside a title: joined with a colon, as a subtitle field is."""
        sofar = "".join(self._out).rstrip()
        shown = plain(sofar).rstrip()
        if shown and shown[-1] not in ":.?!":
            sofar += ":"
        self._out = [sofar, " "]
        self._last = " "

    def math(self, element: Any) -> None:
        """A MathML element as a word of its own: spaced from the letters around it."""
        rich = math_to_rich(element)
        shown = plain(rich)
        if not shown:
            return
        self._put_math(rich, shown)

    def math_markup(self, fragment: str) -> None:
        """A `<math>…</math>` string; parsed safely, or read as text when it is not XML."""
        from defusedxml import ElementTree as SafeET
        from defusedxml.common import DefusedXmlException

        try:
            root = SafeET.fromstring(
                f'<r xmlns="{MATHML_NS}" xmlns:mml="{MATHML_NS}">{fragment}</r>', forbid_dtd=True)
        except (SafeET.ParseError, DefusedXmlException):
            words = strip_controls(squash_space(decode_entities(_raw_tag().sub(" ", fragment))))
            if words:
                self._put_math(literal(words), words)
            return
        for element in root:
            self.math(element)

    def _put_math(self, rich: str, shown: str) -> None:
        """Math written without spaces around it (`Dominant<math>M</math>-Matrices`, `cold
        sensations;<math>n=1209</math>`) gets the spaces a reader sees: before it after a letter,
        digit, comma or semicolon, after it before a letter or digit, when it starts or ends with
        a letter, digit or bracket. Math is case-sensitive (`N`, `Tb`), so it is protected
        from a style's case changes (sentence case would make `<sup>153</sup>tb` of it)."""
        if (shown[0].isalnum() or shown[0] in "([") and (self._last.isalnum() or self._last in ",;"):
            self._out.append(" ")
        self._out.append(f'<span class="nocase">{rich}</span>')
        self._last = shown[-1]
        self._glue = shown[-1].isalnum() or shown[-1] in ")]"

    def result(self) -> str:
        while self._open:
            self._out.append(_CLOSE_TAG[self._open.pop()])
        return _tidy("".join(self._out))


def from_html_fragment(text: str) -> str:
    """An HTML/JATS-ish title from a remote source as clean CSL rich text.

    `<i>`, `<b>`, `<sup>`, `<sub>` (and `<em>`, `<strong>`, `<italic>`, `<bold>`) are kept;
    `<scp>`/`<sc>` small capitals become upper-case text in a nocase span (`<scp>r</scp>` →
    `R`, protected from case changes); MathML becomes case-protected text with `<sub>`/`<sup>`
    (`<sup>153</sup>Tb`); `<subtitle>` becomes `: `; every other tag is dropped and its text kept.
    Entities are decoded, and a second pass reads what was escaped twice (`&amp;amp;`,
    `&lt;scp&gt;`). Controls are removed, white space folded and trimmed inside brackets and at
    the edges of inline tags (`( <i>Tridacna</i> )` → `(<i>Tridacna</i>)`).
    """
    if "<" not in text and "&" not in text:
        return tidy(text)
    builder = RichText()
    pos = 0
    if "math" in text or "MATH" in text:
        for m in _math_region().finditer(text):
            _feed_html(builder, text[pos:m.start()])
            builder.math_markup(m.group())
            pos = m.end()
    _feed_html(builder, text[pos:])
    return builder.result()


def _feed_html(builder: RichText, html: str) -> None:
    pos = 0
    for m in _raw_tag().finditer(html):
        builder.escaped(decode_entities(html[pos:m.start()]))
        cdata, closing, name, empty = m.groups()
        if cdata is not None:
            builder.escaped(cdata)
        elif name is not None:
            builder.tag(name, closing=bool(closing), empty=bool(empty))
        pos = m.end()
    builder.escaped(decode_entities(html[pos:]))


# White space that is only indentation (it holds a line break) between an inline element and
# what follows: pretty-printed XML (`fish,\n  <italic>E. tetradactylum</italic>\n  , and`).
_indent_before_script = lazy_pattern(r"[ \t]*\n\s*(?=<su[bp]>)")
_indent_before_punct = lazy_pattern(r"(</(?:i|b|sub|sup|span)>)[ \t]*\n\s*(?=[,.;:!?/])")
_indent_after_slash = lazy_pattern(r"(?<=/)[ \t]*\n\s*(?=<(?:i|b|sub|sup|span)[ >])")
_indent_inside = lazy_pattern(
    r'((?:<(?:i|b|sub|sup)>|<span class="nocase">))[ \t]*\n\s*|[ \t]*\n\s*(?=</(?:i|b|sub|sup|span)>)')
_space_after_open = lazy_pattern(r'((?:<(?:i|b|sub|sup)>|<span class="nocase">)+)(\s+)')
_space_before_close = lazy_pattern(r"(\s+)((?:</(?:i|b|sub|sup|span)>)+)")
_empty_tags = lazy_pattern(r'<(i|b|sub|sup)></\1>|<span class="nocase"></span>')
_bracket_space = lazy_pattern(r"(?<=[(\[]) | (?=[)\]])")


def tidy(rich: str) -> str:
    """Fold white space in rich text; move it out of inline tags; none inside brackets."""
    return _tidy(strip_controls(rich))


def _tidy(rich: str) -> str:
    """`tidy` for text whose controls are gone already (what RichText writes)."""
    if "\n" in rich and "<" in rich:
        rich = _indent_before_script().sub("", rich)
        rich = _indent_before_punct().sub(r"\1", rich)
        rich = _indent_inside().sub(lambda m: m.group(1) or "", rich)
        rich = _indent_after_slash().sub("", rich)
    rich = squash_space(rich)
    if "<" in rich:
        moved = 0
        if "> " in rich:
            rich, count = _space_after_open().subn(r"\2\1", rich)
            moved += count
        if " </" in rich:
            rich, count = _space_before_close().subn(r"\2\1", rich)
            moved += count
        while "></" in rich and _empty_tags().search(rich):
            rich = _empty_tags().sub("", rich)
            moved += 1
        if moved:
            rich = squash_space(rich)
    if "( " in rich or "[ " in rich or " )" in rich or " ]" in rich:
        rich = _bracket_space().sub("", rich)
    return rich


# --- MathML → text with <sub>/<sup> ------------------------------------------------------------
#
# Presentation MathML (https://www.w3.org/TR/MathML3/chapter3.html) as a reader sees it: tokens
# as their text, scripts as <sub>/<sup> (prescripts before the base: `<sup>153</sup>Tb`),
# fractions as `a/b`, roots with `√`, accents combined with their base (`B⃗`), and the spaces a
# renderer puts around relations and binary operators outside scripts (`N = 88`).

_TOKENS = frozenset(("mi", "mn", "mo", "mtext", "ms"))
_HIDDEN = frozenset(("annotation", "annotation-xml", "mphantom", "none", "mprescripts",
                     "malignmark", "maligngroup"))
_FIRST_CHILD_ONLY = frozenset(("semantics", "maction"))
_RELATIONS = frozenset(("=", "≠", "<", ">", "≤", "≥", "≦", "≧", "≪", "≫", "≈", "≃", "≅", "≡",
                        "∼", "∝", "∈", "∉", "∋", "⊂", "⊃", "⊆", "⊇", "→", "←", "↔", "⇒",
                        "⇐", "⇔", "↦", ":="))
_BINARY = frozenset(("+", "−", "-", "±", "∓", "×", "÷", "·", "⋅", "∙"))
_ACCENTS = {"→": "\u20d7", "\u20d7": "\u20d7", "¯": "\u0304", "‾": "\u0305", "^": "\u0302",
            "ˆ": "\u0302", "~": "\u0303", "˜": "\u0303", "˙": "\u0307", "¨": "\u0308",
            "ˇ": "\u030c", ".": "\u0307"}  # `.` over a letter: a dot accent (V̇O₂, flow rate)
# Invisible operators (function application, invisible times …) and zero-width space.
_INVISIBLE = str.maketrans("", "", "\u2061\u2062\u2063\u2064\u200b")
_word = lazy_pattern(r"[\w.]+")
# Real formulas nest a few levels; deeper than this (hostile input) only the text is read, so a
# crafted title cannot exhaust the recursion limit.
MAX_NESTING = 64


def math_to_rich(element: Any) -> str:
    """A MathML element (ElementTree, any namespace spelling) as CSL rich text."""
    return squash_space(_math(element, 0))


def _width(value: str | None) -> float:
    """An `<mspace width>` in em (`0.3em`, `thickmathspace`); unknown widths count as a space."""
    named = {"veryverythinmathspace": 0.05, "verythinmathspace": 0.11, "thinmathspace": 0.16,
             "mediummathspace": 0.22, "thickmathspace": 0.27, "verythickmathspace": 0.33}
    if not value:
        return 0.0
    value = value.strip().lower()
    if value in named:
        return named[value]
    match = re.fullmatch(r"(-?\d*\.?\d+)\s*em", value)
    return float(match.group(1)) if match else 1.0


def _script(rich: str, tag: str) -> str:
    return f"<{tag}>{rich}</{tag}>" if rich else ""


def _group(rich: str) -> str:
    """A fraction's or root's operand, in parentheses unless it is one word or number."""
    return rich if _word().fullmatch(plain(rich)) else f"({rich})"


def _math(element: Any, depth: int, level: int = 0) -> str:
    """`depth`: how many scripts deep (spacing is for the baseline only); `level`: nesting."""
    if level > MAX_NESTING:
        return literal(strip_controls(squash_space("".join(element.itertext()))))
    name = _local(element.tag)
    inner = level + 1
    if name in _TOKENS:
        raw = "".join(element.itertext()).translate(_INVISIBLE)
        if name == "mtext" and raw and raw.isspace():
            return " "  # `<mtext> </mtext>`: the space a formula writes between two words
        text = squash_space(raw)
        return literal(strip_controls(f'"{text}"' if name == "ms" else text))
    if name == "mspace":
        return " " if _width(element.get("width")) >= 0.2 else ""
    if name in _HIDDEN:
        return ""
    if name == "mglyph":
        return literal(strip_controls(element.get("alt") or ""))
    kids = list(element)
    if name in _FIRST_CHILD_ONLY:
        return _math(kids[0], depth, inner) if kids else ""
    if name in ("msub", "msup", "msubsup", "munder", "mover", "munderover"):
        base = _math(kids[0], depth, inner) if kids else ""
        first, second = ([_math(k, depth + 1, inner) for k in kids[1:3]] + ["", ""])[:2]
        if name == "mover" and plain(first) in _ACCENTS and len(plain(base)) == 1:
            return base + _ACCENTS[plain(first)]
        if name in ("msub", "munder"):
            return base + _script(first, "sub")
        if name in ("msup", "mover"):
            return base + _script(first, "sup")
        return base + _script(first, "sub") + _script(second, "sup")
    if name == "mmultiscripts":
        return _multiscripts(kids, depth, inner)
    if name == "mfrac":
        parts = [_math(k, depth, inner) for k in kids[:2]]
        return "/".join(_group(p) for p in parts if p)
    if name == "msqrt":
        return "√" + _group(_row(kids, depth, inner))
    if name == "mroot":
        base, index = ([_math(k, depth, inner) for k in kids[:2]] + ["", ""])[:2]
        return _script(index, "sup") + "√" + _group(base)
    if name == "mfenced":
        separator = (element.get("separators", ",").strip() or ",")[0]
        fenced = (separator + " ").join(_math(k, depth, inner) for k in kids)
        return literal(element.get("open", "(")) + fenced + literal(element.get("close", ")"))
    if name in ("mtr", "mlabeledtr", "mtable"):
        return " ".join(_math(k, depth, inner) for k in kids)
    return _row(kids, depth, inner, element.text)


def _multiscripts(kids: list[Any], depth: int, level: int) -> str:
    """`<mmultiscripts>` base, (sub sup)*, `<mprescripts/>`, (sub sup)*: prescripts go first."""
    post: list[str] = []
    pre: list[str] = []
    target = post
    for kid in kids[1:]:
        if _local(kid.tag) == "mprescripts":
            target = pre
        else:
            target.append(_math(kid, depth + 1, level))

    def pairs(scripts: list[str]) -> str:
        return "".join(_script(scripts[i], "sub") + _script(
            scripts[i + 1] if i + 1 < len(scripts) else "", "sup")
            for i in range(0, len(scripts), 2))

    return pairs(pre) + (_math(kids[0], depth, level) if kids else "") + pairs(post)


def _row(kids: list[Any], depth: int, level: int, text: str | None = None) -> str:
    """Children side by side; outside scripts, relations and binary operators between two
    operands get a space on each side, commas one after."""
    parts = [literal(strip_controls(text.strip()))] if text and text.strip() else []
    last = len(kids) - 1
    for i, kid in enumerate(kids):
        piece = _math(kid, depth, level)
        if depth == 0 and 0 < i < last and _local(kid.tag) == "mo":
            op = plain(piece)
            if op == ",":
                piece += " "
            elif op in _RELATIONS or (op in _BINARY and _local(kids[i - 1].tag) != "mo"):
                piece = f" {piece} "
        parts.append(piece)
        if kid.tail and kid.tail.strip():
            parts.append(literal(strip_controls(kid.tail.strip())))
    return "".join(parts)


def literal(text: str) -> str:
    """Text that would read as a CSL tag is neutralised (a zero-width joiner after `<`)."""
    if "<" in text and _TOKEN.search(text):
        return _TOKEN.sub(lambda m: "<\u200d" + m.group()[1:], text)
    return text
