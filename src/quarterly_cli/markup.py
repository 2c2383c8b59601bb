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
from dataclasses import dataclass

_TAGS = {
    "<i>": "i", "<b>": "b", "<sup>": "sup", "<sub>": "sub", '<span class="nocase">': "nocase",
}
_CLOSE = {"</i>": "i", "</b>": "b", "</sup>": "sup", "</sub>": "sub", "</span>": "nocase"}
_TOKEN = re.compile(r'(<(?:/?(?:i|b|sup|sub)|span class="nocase"|/span)>)')

# Whole ANSI escape sequences (CSI, OSC …) first, then any other C0 control except tab and
# newline, DEL and C1 controls.
_CONTROLS = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])?"
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f]"
)


def strip_controls(text: str) -> str:
    """Remove terminal escape sequences and control characters (keeps \\n and \\t)."""
    return _CONTROLS.sub("", text)


def squash_space(text: str) -> str:
    """Collapse every run of white space (newlines included) to one space."""
    return " ".join(text.split())


def one_line(text: str) -> str:
    """Controls removed and white space folded to single spaces: a value safe on one line.

    The common case — printable text with single spaces — is returned as is without the two
    passes (this runs for every field of every record in a conversion).
    """
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return squash_space(strip_controls(text))


@dataclass(frozen=True, slots=True)
class Span:
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


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def escape_markdown(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


_MARKDOWN = {"i": ("*", "*"), "b": ("**", "**"), "sup": ("<sup>", "</sup>"),
             "sub": ("<sub>", "</sub>")}


def to_markdown(text: str) -> str:
    return wrap(parse(text), escape_markdown, _MARKDOWN)


_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}",
    "&": r"\&", "%": r"\%", "$": r"\$",
    "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}
_LATEX_TABLE = str.maketrans(_LATEX_SPECIALS)
_LATEX_CHARS = re.compile(r"[\\{}&%$#_~^]|--|``|''|[!?]`")
# `--`, ` `` `, `''`, `!``, `?`` are ligatures in LaTeX (and quarterly's reader): an empty group
# between the characters keeps `18--64` as written.
_LIGATURE = re.compile(r"(?<=-)(?=-)|(?<=`)(?=`)|(?<=')(?=')|(?<=[!?])(?=`)")


def escape_latex(text: str) -> str:
    """Escape the ten LaTeX specials so the value is balanced and literal, and break ligatures.

    Braces become `\\textbraceleft{}`/`\\textbraceright{}`, not `\\{`: BibTeX (and pybtex) count
    `\\{` as a brace, so a lone escaped brace would still unbalance the entry.
    """
    if not _LATEX_CHARS.search(text):  # most values need nothing; a scan beats translate()
        return text
    return _LIGATURE.sub("{}", text.translate(_LATEX_TABLE))


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


def from_html_fragment(text: str) -> str:
    """Turn an HTML/JATS-ish title from a remote source into clean CSL rich text.

    Keeps `<i>`, `<b>`, `<sup>`, `<sub>` (and their `<em>`/`<strong>` spellings), drops every other
    tag but keeps its text, decodes entities, removes control characters, folds white space.
    Literal `<`/`>` that come from decoded entities stay literal, because `parse` treats
    only the exact CSL tags as markup.
    """
    import html

    renames = {"em": "i", "italic": "i", "strong": "b", "bold": "b", "sup": "sup", "sub": "sub",
               "i": "i", "b": "b"}
    out: list[str] = []
    pos = 0
    for m in re.finditer(r"<\s*(/?)\s*(?:[\w-]+:)?([\w-]+)[^<>]*?/?>", text):
        out.append(literal(html.unescape(text[pos:m.start()])))
        closing, name = m.group(1), m.group(2).lower()
        if name in renames:
            out.append(f"<{closing}{renames[name]}>")
        pos = m.end()
    out.append(literal(html.unescape(text[pos:])))
    return squash_space(strip_controls("".join(out)))


def literal(text: str) -> str:
    """Text that would read as a CSL tag is neutralised (a zero-width joiner after `<`)."""
    if "<" in text and _TOKEN.search(text):
        return _TOKEN.sub(lambda m: "<\u200d" + m.group()[1:], text)
    return text
