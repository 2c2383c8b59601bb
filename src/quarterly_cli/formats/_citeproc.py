"""What citeproc-js does to strings, for the native styles to be byte-identical to it.

The native APA, AMA and Vancouver writers lay out references in Python (200 times faster than
citeproc-py, which also differs from citeproc-js in many details). A reference is then only right if
each field is written the way citeproc-js 1.4 (the engine behind Zotero, Mendeley and citation-js)
writes it. This module holds those string rules, each a port of the citeproc-js function named in
its docstring (https://github.com/Juris-M/citeproc-js, `src/util_flipflop.js`, `formatters.js`,
`util_names_*.js`, `util_number.js`, `util_page.js`, `queue.js`):

- `rich()`: quotes and tags inside a field (`"…"` → “…”, `'…'` → ‘…’ or “…”, `<i>` inside italics
  → upright, the typographic apostrophe);
- `title_case()`, `capitalize_first()`, `lowercase()`: CSL `text-case`;
- `initials()`, `parse_name()`: initials of given names (`Jean-Paul` → `J.-P.`, `Jae-sung` → `J.`,
  `Xiong (Bill)` → `X. (Bill)`) and particles or suffixes written inside name parts;
- `number()`, `is_numeric()`: page, volume and issue ranges (`4-6` → `4–6`, expanded or minimal
  page ranges);
- `glue()`: punctuation where two pieces meet (`Who cares?` + `. ` → `Who cares? `, a period
  moved inside closing quotes).

Output is *styled text*: plain Unicode in which a few C0 control characters mark formatting
(italic on/off, …). Every field goes through `rich()` or `clean()`, which drop C0 controls
from the data, so the markers cannot be forged by a record; `_text.finish()` turns the markers into
plain text, HTML, Markdown or terminal escapes.
"""

from __future__ import annotations

import re
from functools import lru_cache


class _Lazy:
    """A regular expression compiled when first used: most of these serve rare inputs, and
    compiling them all would add milliseconds to every `quarterly cite`."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._args = (pattern, flags)

    def __getattr__(self, name: str):
        compiled = re.compile(*self._args)
        for method in ("search", "match", "fullmatch", "sub", "split", "findall"):
            setattr(self, method, getattr(compiled, method))
        return getattr(compiled, name)


# --- styled text markers ---------------------------------------------------------------------

I_ON, I_OFF = "\x01", "\x02"  # italic
N_ON, N_OFF = "\x03", "\x04"  # upright inside italics (an <i> inside an italic title)
B_ON, B_OFF = "\x05", "\x06"  # bold
SUP_ON, SUP_OFF = "\x0e", "\x0f"
SUB_ON, SUB_OFF = "\x10", "\x11"
SC_ON, SC_OFF = "\x12", "\x13"  # small caps
QUOTE_END = "\x14"  # follows a closing quote mark: punctuation after it moves inside (en-US)
LEAF_END = "\x15"  # follows a field styled on its own: citeproc-js merges no punctuation into it
BW_ON, BW_OFF = "\x16", "\x17"  # not bold inside bold
SCN_ON, SCN_OFF = "\x18", "\x19"  # no small caps inside small caps
MARKERS = frozenset("\x01\x02\x03\x04\x05\x06\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19")
CLOSERS = frozenset((I_OFF, N_OFF, B_OFF, SUP_OFF, SUB_OFF, SC_OFF, QUOTE_END, LEAF_END, BW_OFF,
                     SCN_OFF))

# C0 controls (but tab and newline) are dropped from data: they are the markers. DEL and C1
# controls go too: they have no business in a reference and some terminals obey them.
_CONTROLS = dict.fromkeys(c for c in (*range(0x20), *range(0x7F, 0xA0)) if c not in (0x09, 0x0A))


def clean(text: str) -> str:
    """A field value with C0 control characters removed (so it cannot carry markers)."""
    return text.translate(_CONTROLS) if not text.isprintable() else text


def italic(text: str) -> str:
    return f"{I_ON}{text}{I_OFF}" if text else ""


def italic_leaf(text: str) -> str:
    """An italic field printed by a `<text variable=… font-style="italic"/>` of its own: citeproc-js
    merges no following punctuation into it (`What now?` + `. ` → `What now?. `)."""
    return f"{I_ON}{text}{I_OFF}{LEAF_END}" if text else ""


# --- quotes and tags inside a field: CSL.Util.FlipFlopper ------------------------------------

OPEN_QUOTE, CLOSE_QUOTE = "“", "”"  # en-US
OPEN_INNER, CLOSE_INNER = "‘", "’"

_ROMANESQUE = (r"\u0e01-\u0e5b\u00c0-\u017f\u0370-\u03ff\u0400-\u052f\u0590-\u05d4\u05d6-\u05ff"
               r"\u1f00-\u1fff\u0600-\u06ff\u200c\u200d\u200e\u0218\u0219\u021a\u021b"
               r"\u202a-\u202e")
ROMANESQUE = _Lazy(f"[-0-9a-zA-Z{_ROMANESQUE}]")
STARTS_ROMANESQUE = _Lazy(f"^[&a-zA-Z{_ROMANESQUE}]")
_APOSTROPHE_BETWEEN = _Lazy(f"([-0-9a-zA-Z{_ROMANESQUE}])’(?=[-0-9a-zA-Z{_ROMANESQUE}])")

# (attribute, value when not nested, flip-flop) for each opening tag, as citeproc-js's table.
_NOCASE = '<span class="nocase">'
_NODECOR = '<span class="nodecor">'
_SMALLCAPS = '<span style="font-variant:small-caps;">'
_TAGS: dict[str, tuple[str, str, str]] = {
    _NOCASE: ("nocase", "", "</span>"),
    _NODECOR: ("@class", "nodecor", "</span>"),
    _SMALLCAPS: ("@font-variant", "small-caps", "</span>"),
    "<sc>": ("@font-variant", "small-caps", "</sc>"),
    "<i>": ("@font-style", "italic", "</i>"),
    "<b>": ("@font-weight", "bold", "</b>"),
    "<sup>": ("@vertical-align", "sup", "</sup>"),
    "<sub>": ("@vertical-align", "sub", "</sub>"),
    ' "': ("@quotes", "true", '"'),
    " '": ("@quotes", "inner", "'"),
    '("': ("@quotes", "true", '"'),
    "('": ("@quotes", "inner", "'"),
    OPEN_QUOTE: ("@quotes", "true", CLOSE_QUOTE),
    OPEN_INNER: ("@quotes", "inner", CLOSE_INNER),
}
_FLIP = {
    "@font-style": {"italic": "normal", "normal": "italic"},
    "@font-weight": {"bold": "normal", "normal": "bold"},
    "@font-variant": {"small-caps": "normal", "normal": "small-caps"},
    "@vertical-align": {"sup": "sup", "sub": "sub"},
    "@quotes": {"true": "inner", "inner": "true", "false": "true"},
    "@class": {"nodecor": "nodecor"},
}
_QUOTE_OPENERS = (' "', " '", '("', "('")
_QUOTE_OUTER = {' "': "true", " '": "inner", '("': "true", "('": "inner"}
_QUOTE_FLIP = {' "': " '", " '": ' "', '("': "('", "('": '("'}
_TAG_PATTERN = "|".join(re.escape(t) for t in (*_TAGS, *dict.fromkeys(v[2] for v in _TAGS.values())))
_TAG_SPLIT = _Lazy(f"({_TAG_PATTERN})")
_HAS_TAG = re.compile(r"""['"<“‘’”]""")
_NARROW = re.compile(r" ([:;?!\u00bb])")
_SPACE_APOSTROPHE = re.compile(r"\s+'")


def _narrow_space(m: re.Match) -> str:
    return "\u202f" + m.group(1)
_OPEN_MARK = {("@font-style", "italic"): I_ON, ("@font-style", "normal"): N_ON,
              ("@font-weight", "bold"): B_ON, ("@font-weight", "normal"): BW_ON,
              ("@font-variant", "small-caps"): SC_ON, ("@font-variant", "normal"): SCN_ON,
              ("@vertical-align", "sup"): SUP_ON, ("@vertical-align", "sub"): SUB_ON,
              ("@quotes", "true"): OPEN_QUOTE, ("@quotes", "inner"): OPEN_INNER}
_CLOSE_MARK = {("@font-style", "italic"): I_OFF, ("@font-style", "normal"): N_OFF,
               ("@font-weight", "bold"): B_OFF, ("@font-weight", "normal"): BW_OFF,
               ("@font-variant", "small-caps"): SC_OFF, ("@font-variant", "normal"): SCN_OFF,
               ("@vertical-align", "sup"): SUP_OFF, ("@vertical-align", "sub"): SUB_OFF,
               ("@quotes", "true"): CLOSE_QUOTE + QUOTE_END,
               ("@quotes", "inner"): CLOSE_INNER + QUOTE_END}


def _split(text: str) -> tuple[list[str], list[str], list[bool]]:
    """`_doppelString`: strings and tags alternating; a quote right after a tag gets a space."""
    parts = _TAG_SPLIT.split(text)
    strings, tags = parts[0::2], parts[1::2]
    # As in citeproc-js, the list has an entry per opening tag only, yet is read by tag index.
    forced: list[bool] = []
    for i in range(len(tags) - 1):
        if tags[i] in _TAGS:
            if strings[i + 1] == "" and tags[i + 1] in ('"', "'"):
                tags[i + 1] = " " + tags[i + 1]
                forced.append(True)
            else:
                forced.append(False)
    return strings, tags, forced


# What can make `rich` change a printable text: a quote, an apostrophe or a tag, or a space
# before : ; ? ! » and a space after « (made narrow).
RICH_CHANGES = _Lazy("['\"<“‘’”«]| [:;?!\u00bb]")


def _unchanged_by_rich(text: str) -> bool:
    """Whether `rich` returns the text as it is: printable, and `RICH_CHANGES` is not found in
    it. Looked for with `in` (a memchr-like scan per character looked for) rather than the
    pattern, which sre tries at every character through its class, on the title and the page
    range of every reference, most of which hold none of them (the entries of 3,000 mixed
    records, warm, callgrind: 207.5M -> 193.8M instructions); the curly quotes are looked for
    only in text that is not ASCII, a space before a mark only in text that holds the mark. A
    property test holds it to the pattern."""
    if not text.isprintable() or "'" in text or '"' in text or "<" in text:
        return False
    if not text.isascii() and ("“" in text or "‘" in text or "’" in text or "”" in text
                               or "«" in text or " \u00bb" in text):
        return False
    return not (":" in text and " :" in text or ";" in text and " ;" in text
                or "?" in text and " ?" in text or "!" in text and " !" in text)


def rich_unique(text: str, italic_context: bool = False, quoted_context: bool = False) -> str:
    """`rich` for a value seldom seen twice (a title, a page range): worked out without `rich`'s
    cache, which such values only fill (evicting the journal and publisher names it is for), and
    returned as it is when nothing in it can change (most titles)."""
    if _unchanged_by_rich(text):
        return text
    return _rich(text, italic_context, quoted_context)


def _rich(text: str, italic_context: bool = False, quoted_context: bool = False) -> str:
    """A field's text as citeproc-js prints it (`processTags`): quotes become curly and nest
    (outer “ ”, inner ‘ ’; the kind met first is the outer one), an apostrophe becomes ’, and
    `<i>`, `<b>`, `<sup>`, `<sub>`, `<sc>` become formatting (an `<i>` inside an italic field is
    set upright). Unbalanced marks stay as text. Returns styled text."""
    text = clean(text)
    if _NARROW.search(text) or "« " in text:
        # `Queue.append`: a space before : ; ? ! » becomes a narrow no-break space.
        text = _NARROW.sub(_narrow_space, text).replace("« ", "«\u202f")
    if not _HAS_TAG.search(text):
        return text
    text = _SPACE_APOSTROPHE.sub(" '", text)
    leading_space = text[:1] == " " and not re.match(r"^\s+['\"]", text)
    work = " " + _APOSTROPHE_BETWEEN.sub(r"\1'", text)
    strings, tags, forced = _split(work)
    if not tags:
        return text
    stack: list[tuple[str, int]] = []  # (closer, position)
    for i, tag in enumerate(tags):
        after = strings[i + 1]
        if tag == "'" and after and after[0] not in ",.?:; ":
            strings[i + 1] = "’" + after
            tags[i] = ""
            continue
        if tag == " '" and after[:1] == " ":
            strings[i + 1] = " ’" + after
            tags[i] = ""
            continue
        fixtag: int | None = None
        while True:
            if tag in _TAGS:
                stack.append((_TAGS[tag][2], i))
                fixtag = None
                break
            if stack and stack[-1][0] == tag:  # a closer that matches
                closer_pos = stack.pop()[1]
                if tags[closer_pos] == _NOCASE:
                    tags[closer_pos] = ""
                    tags[i] = ""
                fixtag = None
                break
            fixtag = stack[-1][1] if stack else i
            if tag == "'":
                strings[i + 1] = "’" + strings[i + 1]
                tags[i] = ""
            else:
                failed = tags[fixtag]
                if 0 < fixtag <= len(forced) and forced[fixtag - 1]:
                    failed = failed[1:]
                strings[fixtag + 1] = failed + strings[fixtag + 1]
                tags[fixtag] = ""
            if stack:
                if tag != "'":
                    stack.pop()
                    continue
                break
            break
        if fixtag is not None:
            strings[i + 1] = tags[i] + strings[i + 1]
            tags[i] = ""
    for _, pos in reversed(stack):  # tags never closed are text
        tag = tags[pos]
        if tag in (" '", "'"):
            strings[pos + 1] = " ’" + strings[pos + 1]
        else:
            strings[pos + 1] = tag + strings[pos + 1]
        tags[pos] = ""
    # drop emptied tags, joining the strings around them
    kept_strings, kept_tags = [strings[0]], []
    for i, tag in enumerate(tags):
        if tag:
            kept_tags.append(tag)
            kept_strings.append(strings[i + 1])
        else:
            kept_strings[-1] += strings[i + 1]
    outer = dict(_QUOTE_OUTER)
    seen = False
    for i, tag in enumerate(kept_tags):
        if tag in _QUOTE_OPENERS:
            if not seen:  # the kind of quote met first is the outer one (`_setOuterQuoteForm`)
                outer[tag], outer[_QUOTE_FLIP[tag]] = "true", "inner"
                seen = True
            if not (0 < i <= len(forced) and forced[i - 1]):
                kept_strings[i] += tag[0]
    return _assemble(kept_strings, kept_tags, leading_space, outer, italic_context,
                     quoted_context)


# journal, publisher and place names repeat across a library
rich = lru_cache(maxsize=1 << 14)(_rich)


def _assemble(strings: list[str], tags: list[str], leading_space: bool, outer: dict[str, str],
              italic_context: bool, quoted_context: bool) -> str:
    """`_undoppelToQueue`: the strings with each tag turned into its formatting, nesting values
    flipped (italic inside italic is upright, quotes inside quotes are inner)."""
    first = strings[0]
    if leading_space:
        first = " " + first
    context = {"@font-style": "italic" if italic_context else None,
               "@quotes": "true" if quoted_context else None}
    stack: list[tuple[str, str]] = []
    out: list[str] = []
    first_string = True

    def add(text: str) -> None:
        nonlocal first_string
        if first_string:
            text = text[1:] if text[:1] == " " else text
            text = text[1:] if text[:1] == " " else text
            first_string = False
        out.append(text)

    add(first)
    for i, tag in enumerate(tags):
        text = strings[i + 1]
        if tag in _TAGS:
            attr, default, _ = _TAGS[tag]
            default = outer.get(tag, default)
            enclosing = next((v for a, v in reversed(stack) if a == attr), None)
            if enclosing is None:
                enclosing = context.get(attr)
            value = (default if enclosing is None
                     else _FLIP.get(attr, {}).get(enclosing, default))
            stack.append((attr, value))
            out.append(_OPEN_MARK.get((attr, value), ""))
            add(text)
        else:
            if stack:
                out.append(_CLOSE_MARK.get(stack.pop(), ""))
            add(text)
    while stack:
        out.append(_CLOSE_MARK.get(stack.pop(), ""))
    return "".join(out)


# --- text-case: CSL.Output.Formatters ---------------------------------------------------------

SKIP_WORDS = (
    "about", "above", "across", "afore", "after", "against", "al", "along", "alongside", "amid",
    "amidst", "among", "amongst", "anenst", "apropos", "apud", "around", "as", "aside", "astride",
    "at", "athwart", "atop", "barring", "before", "behind", "below", "beneath", "beside",
    "besides", "between", "beyond", "but", "by", "circa", "despite", "down", "during", "et",
    "except", "for", "forenenst", "from", "given", "in", "inside", "into", "lest", "like",
    "modulo", "near", "next", "notwithstanding", "of", "off", "on", "onto", "out", "over", "per",
    "plus", "pro", "qua", "sans", "since", "than", "through", " thru", "throughout", "thruout",
    "till", "to", "toward", "towards", "under", "underneath", "until", "unto", "up", "upon",
    "versus", "vs.", "v.", "vs", "v", "via", "vis-à-vis", "with", "within", "without",
    "according to", "ahead of", "apart from", "as for", "as of", "as per", "as regards",
    "aside from", "back to", "because of", "close to", "due to", "except for", "far from",
    "inside of", "instead of", "near to", "next to", "on to", "out from", "out of", "outside of",
    "prior to", "pursuant to", "rather than", "regardless of", "such as", "that of", "up to",
    "where as", "or", "yet", "so", "for", "and", "nor", "a", "an", "the", "de", "d'", "von",
    "van", "c", "ca",
)
# citeproc-js's list of minor words, used as it uses it: a JavaScript regular expression built
# from the list without escaping (so `vs.` matches `vs` and any character).
_SKIP = re.compile(r"(?:(?:[?!:]*\s+|-|^)(?:" + "|".join(SKIP_WORDS) + r")(?=[!?:]*\s+|-|$))")
_CASE_SPLIT = re.compile(
    r"""(‘|’|“|”| "| '|"|'|[-–—/.,;?!:]|\[|\]|\(|\)|<span style="font-variant: small-caps;">"""
    r"""|<span class="no(?:case|decor)">|</span>|</?(?:i|sc|b|sub|sup)>)""")
_WORD_SPLIT = re.compile("([\u00a0\u0020\u2000-\u200b\u205f\u3000]+)")
_CASE_TAGS = {'<span style="font-variant: small-caps;">': "</span>", _NOCASE: "</span>",
              _NODECOR: "</span>", "<sc>": "</sc>", "<sub>": "</sub>", "<sup>": "</sup>"}
_QUOTE_PARAMS = {' "': (" '", '"'), " '": (' "', "'"), "‘": ("‘", "’"), "“": ("“", "”")}


def _capitalise(word: str) -> str:
    m = re.match(r"(\s*)(.)(.*)", word, re.S)
    if m and not (re.fullmatch(r"[\u0370-\u03ff]", m.group(2)) and not m.group(3)):
        return m.group(1) + m.group(2).upper() + m.group(3)
    return word


def _split_case(text: str) -> tuple[list[str], list[str], list[str]]:
    """`CSL.Doppeler.split` for text-case: a `'` followed by text is not a tag (an apostrophe)."""
    parts = _CASE_SPLIT.split(text)
    strings, tags = parts[0::2], parts[1::2]
    for i in range(len(tags) - 1, -1, -1):
        if tags[i] == "'" and strings[i + 1]:
            strings[i + 1] = "'" + strings[i + 1]
            tags[i] = ""
    return strings, tags, list(strings)


def _join_case(strings: list[str], tags: list[str]) -> str:
    out = [strings[0]]
    for tag, text in zip(tags, strings[1:], strict=True):
        out.append(tag)
        out.append(text)
    return "".join(out)


class _CaseState:
    __slots__ = ("first", "after", "last")

    def __init__(self) -> None:
        self.first = True  # before the first word
        self.after = False  # after `:`, `?` or `!`
        self.last: tuple[int, int] | None = None  # (chunk, word) of the last word seen


@lru_cache(maxsize=1 << 14)
def title_case(text: str) -> str:
    """CSL `text-case="title"` as citeproc-js applies it (`Formatters.title`): every lower-case word
    that is not a minor word gets a capital; words with a capital already are left alone; the first
    word and the word after `:`, `?` or `!` always; the last word too; nothing inside `nocase` or
    `<sc>`/`<sup>`/`<sub>`, nor the first letter after an opening quote."""
    if not text:
        return ""
    strings, tags, orig = _split_case(text)
    state = _CaseState()

    def capitalise_words(chunk: str, index: int, following: str | None) -> str:
        if not chunk.strip():
            return chunk
        pieces = _WORD_SPLIT.split(chunk)
        words = pieces[0::2]
        for j, word in enumerate(words):
            if not word:
                continue
            low = word.lower()
            cap = False
            if len(word) > 1 and not _SKIP.search(low):
                cap = True
            elif j == len(words) - 1 and following == "-":
                cap = True
            elif state.first or state.after:
                cap = True
            if cap and word == low:
                words[j] = _capitalise(word)
            state.after = False
            state.first = False
            state.last = (index, j)
        pieces[0::2] = words
        return "".join(pieces)

    quote_state: list[tuple[str, str, int | None]] = []

    def quote_fix(tag: str, pos: int) -> int | None:
        m = re.match(r"(^(?:‘|’|“|”|\"|')|(?: \"| ')$)", tag)
        if not m:
            return None
        tag = m.group(1)
        if tag in ("“", "‘", ' "', " '"):
            if not quote_state or tag == quote_state[-1][0]:
                opener, closer = _QUOTE_PARAMS[tag]
                quote_state.append((opener, closer, pos))
                return None
            previous = quote_state.pop()[2]
            opener, closer = _QUOTE_PARAMS[tag]
            quote_state.append((opener, closer, None))
            return previous
        if quote_state and tag == quote_state[-1][1]:
            quote_state.pop()
            return None
        return pos

    if strings and strings[0].strip():
        strings[0] = capitalise_words(strings[0], 0, tags[0] if tags else None)
    tag_state: list[str] = []
    for i, tag in enumerate(tags):
        chunk = strings[i + 1]
        if tag in _CASE_TAGS:
            tag_state.append(_CASE_TAGS[tag])
        elif tag_state and tag == tag_state[-1]:
            tag_state.pop()
        if re.search(r"[!?:]$", tag):
            state.after = True
        if not tag_state:
            # citeproc-js passes the following tag for the first chunk only (an argument slip in
            # `_textcaseEngine`): a word before a hyphen is capitalised only at the start.
            strings[i + 1] = capitalise_words(chunk, i + 1, None)
        elif strings[i + 1].strip():
            state.last = None
        quote_pos = quote_fix(tag, i)
        if quote_pos is not None:
            strings[quote_pos + 1] = orig[quote_pos + 1][:1] + strings[quote_pos + 1][1:]
            state.last = None
        if state.first and chunk.strip():
            state.first = False
        if state.after and chunk.strip():
            state.after = False
    for _, _, pos in quote_state:
        if pos is not None:
            strings[pos + 1] = orig[pos + 1][:1] + strings[pos + 1][1:]
    last = state.last
    if last is not None:
        index, j = last
        pieces = _WORD_SPLIT.split(strings[index])
        word = pieces[2 * j]
        if len(word) > 1 and _SKIP.search(word.lower()):
            pieces[2 * j] = _capitalise(word)
        strings[index] = "".join(pieces)
    return _join_case(strings, tags)


@lru_cache(maxsize=1 << 12)
def capitalize_first(text: str) -> str:
    """CSL `text-case="capitalize-first"`: the first word gets a capital if it has none."""
    strings, tags, _ = _split_case(text)
    tag_state: list[str] = []
    done = False

    def first_word(chunk: str) -> str:
        nonlocal done
        pieces = _WORD_SPLIT.split(chunk)
        for j in range(0, len(pieces), 2):
            word = pieces[j]
            if word:
                if word == word.lower():
                    pieces[j] = _capitalise(word)
                done = True
                break
        return "".join(pieces)

    if strings[0].strip():
        strings[0] = first_word(strings[0])
    for i, tag in enumerate(tags):
        if tag in _CASE_TAGS:
            tag_state.append(_CASE_TAGS[tag])
        elif tag_state and tag == tag_state[-1]:
            tag_state.pop()
        if not tag_state and not done:
            strings[i + 1] = first_word(strings[i + 1])
    return _join_case(strings, tags)


def lowercase(text: str) -> str:
    """CSL `text-case="lowercase"` (outside `nocase` spans)."""
    strings, tags, _ = _split_case(text)
    tag_state: list[str] = []
    strings[0] = strings[0].lower()
    for i, tag in enumerate(tags):
        if tag in _CASE_TAGS:
            tag_state.append(_CASE_TAGS[tag])
        elif tag_state and tag == tag_state[-1]:
            tag_state.pop()
        if not tag_state:
            strings[i + 1] = strings[i + 1].lower()
    return _join_case(strings, tags)


def strip_periods(text: str) -> str:
    """CSL `strip-periods="true"`: a period not followed by a lower-case letter is removed."""
    return re.sub(r"\.([^a-z]|$)", r"\1", text)


@lru_cache(maxsize=256)
def is_english(language: str | None) -> bool:
    """citeproc-js applies `text-case="title"` only to items in English (or of no language)."""
    return not language or language.lower().replace("_", "-").split("-")[0] == "en"


# --- names: CSL.Util.Names.initializeWith, CSL.parseParticles --------------------------------

_INITIAL = _Lazy(
    r"^([A-Z\u0e01-\u0e5b\u00c0-\u017f\u0400-\u042f\u0590-\u05d4\u05d6-\u05ff\u0600-\u06ff\u0370"
    r"\u0372\u0376\u0386\u0388-\u03ab\u03e2\u03e4\u03e6\u03e8\u03ea\u03ec\u03ee\u03f4\u03f7"
    r"\u03fd-\u03ff])([a-zA-Z\u0e01-\u0e5b\u00c0-\u017f\u0400-\u052f\u0600-\u06ff\u0370-\u03ff"
    r"\u1f00-\u1fff]*|)(\.)*")
_NAME_SPLIT = _Lazy(
    r'((?:[-\s]*</*(?:span\s+class="no(?:case|decor)"|i|sc|b|sub|sup)>[-\s]*|[-\s]+))')


def _mergetag(separator: str, terminator: str) -> str:
    tags = re.findall(r"(?:-*<[^>]+>-*)", separator)
    if not tags:
        return terminator
    tagstr = "".join(tags)
    m = re.match(r"^(.*[^\s])*(\s+)$", terminator)
    if m:
        return (m.group(1) or "") + tagstr + m.group(2)
    return terminator + tagstr


def _name_list(given: str, hyphen: bool) -> list[str] | None:
    """`initializeWith`'s preparation: words and separators alternating, or None when the name is
    left as it is."""
    if given in ("Lord", "Lady") or not STARTS_ROMANESQUE.match(re.sub(r"^(?:<[^>]+>)*", "",
                                                                         given)):
        return None
    name = given if hyphen else given.replace("-", " ")
    name = re.sub(r"\s*-\s*", "-", name)
    name = re.sub(r"\s+", " ", name)
    name = re.sub(r"-([a-z])", "\u2013\\1", name)
    for i in range(len(name) - 2, -1, -1):
        if name[i] == "." and name[i + 1:i + 2] != " ":
            name = name[:i] + ". " + name[i + 1:]
    parts = _NAME_SPLIT.split(name)
    namelist = [parts[0]]
    if len(parts) == 1:
        m = re.search(r"[^.]+$", namelist[0])
        if m and len(m.group()) == 1 and m.group() != m.group().lower():
            namelist[0] += "."
    namelist.extend(parts[1:])
    return namelist


def _tidy(joined: str) -> str:
    out = re.sub(r"[\t\n\x0b\x0c\r \ufeff\u00a0]+$", "", joined)
    out = re.sub(r"\s*-\s*", "-", out)
    out = re.sub(r"[\t\n\x0b\x0c\r ]+", " ", out)
    return re.sub("\u2013([a-z])", r"-\1", out)


_PLAIN_GIVEN = re.compile("[A-Z\u00c0-\u00d6\u00d8-\u00de][a-z\u00df-\u00f6\u00f8-\u00ff]+")


@lru_cache(maxsize=1 << 15)  # given names repeat across a library
def initials(given: str, terminator: str, hyphen: bool = True) -> str:
    """Initials of a given name as citeproc-js makes them (`initializeWith`/`doInitialize`):
    `Gabriela R.` → `G. R.`, `Jean-Paul` → `J.-P.`, `Jae-sung` → `J.`, `William. P.` → `William.
    P.`, `B.YU.` → `B. YU.`, `Xiong (Bill)` → `X. (Bill)`. `terminator` is what follows each
    initial (`. ` for APA, `` for AMA and Vancouver); `hyphen=False` is CSL
    `initialize-with-hyphen="false"`."""
    if not given:
        return ""
    if _PLAIN_GIVEN.fullmatch(given):  # `Jonathan`: what the general path makes of it, at once
        return given[0] + terminator.rstrip()
    namelist = _name_list(given, hyphen)
    if namelist is None:
        return given
    count = len(namelist)
    for i in range(0, count, 2):
        n = namelist[i]
        if not n:
            continue
        m = _INITIAL.match(n)
        groups = list(m.groups()) if m else None
        if groups and groups[1] and groups[2]:
            groups[0] = groups[0] + groups[1]
            groups[1] = ""
        if groups and groups[0][:1] == groups[0][:1].upper():
            extra = ""
            if groups[1]:
                upper = ""
                for c in groups[1]:
                    if c == c.upper():
                        upper += c
                    else:
                        break
                if len(upper) < len(groups[1]):
                    extra = upper.lower()
            namelist[i] = groups[0] + extra
            if i < count - 1:
                if "-" in namelist[i + 1]:
                    namelist[i + 1] = _mergetag(namelist[i + 1].replace("-", "", 1),
                                                terminator) + "-"
                else:
                    namelist[i + 1] = _mergetag(namelist[i + 1], terminator)
            else:
                namelist.append(terminator)
        elif ROMANESQUE.search(n) and (not groups or not groups[2]):
            namelist[i] = " " + n
    return _tidy("".join(namelist))


@lru_cache(maxsize=1 << 12)
def normalize_initials(text: str, terminator: str, hyphen: bool = True) -> str:
    """`initializeWith(…, normalizeOnly)` / `doNormalize`, which citeproc-js applies to a name's
    suffix: what looks like an initial gets the terminator (`V` → `V.` in APA), words stay."""
    if not text:
        return ""
    namelist = _name_list(text, hyphen)
    if namelist is None:
        return text
    abbrev = []
    for i, element in enumerate(namelist):
        bare = re.sub(r"^(?:<[^>]+>)*", "", element)
        if len(bare) > 1 and bare.endswith("."):
            namelist[i] = re.sub(r"^(.*)\.(.*)$", r"\1\2", element, flags=re.S)
            abbrev.append(True)
        elif len(element) == 1 and element.upper() == element:
            abbrev.append(True)
        else:
            abbrev.append(False)
    count = len(namelist)
    for i in range(0, count, 2):
        if not abbrev[i]:
            continue
        if i < count - 2:
            tags = "".join(re.findall(r"(?:<[^>]+>)+", namelist[i + 1]))
            namelist[i + 1] = tags if abbrev[i + 2] else tags + " "
            if len(namelist[i + 2]) > 1:
                namelist[i + 1] = terminator.rstrip("\ufeff") + namelist[i + 1]
            else:
                namelist[i + 1] = _mergetag(namelist[i + 1], terminator)
        if i == count - 1:
            namelist[i] += terminator
    return _tidy("".join(namelist))


_PARTICLE_HINT = re.compile("[ \\-'\u2019\u02bb]")
_SUFFIX_OR_PARTICLE_HINT = re.compile("[ ,'\u2019\u02bb]")
_PARTICLE_FAMILY = _Lazy(r"^([^ ]+(?:-|\u02bb|\u2019| |') *)(.+)$")
_PARTICLE_GIVEN = _Lazy(r"^([^ ]+(?:\u02bb |\u2019 | |' ) *)(.+)$")


def _split_particles(value: str, given: bool) -> tuple[str, list[str]]:
    original = value
    particles: list[str] = []
    work = value[::-1] if given else value
    rex = _PARTICLE_GIVEN if given else _PARTICLE_FAMILY
    m = rex.match(work)
    while m:
        m1 = m.group(1)[::-1] if given else m.group(1)
        first = re.sub(r"^[-'\u02bb\u2019\s]*(.).*$", r"\1", m1, flags=re.S)
        if first.upper() == first:
            break
        if given:
            particles.append(original[-len(m1):])
            original = original[:-len(m1)]
        else:
            particles.append(original[:len(m1)])
            original = original[len(m1):]
        work = m.group(2)
        m = rex.match(work)
    if given:
        work = work[::-1]
        particles.reverse()
        for i in range(1, len(particles)):
            if particles[i][:1] == " ":
                particles[i - 1] += " "
        particles = [p[1:] if p[:1] == " " else p for p in particles]
        return original[:len(work)], particles
    return original[-len(work):] if work else "", particles


# What `_split_particles` strips before the letter that decides whether a word is a particle.
_PARTICLE_LEAD = "-'\u02bb\u2019"


def _capital_start(word: str) -> bool:
    """Whether `_split_particles` takes `word` (a name's first or last word) for no particle at
    once: its first character is no lead mark or space and is its own upper case."""
    c = word[:1]
    return c != "" and c not in _PARTICLE_LEAD and not c.isspace() and c.upper() == c


@lru_cache(maxsize=1 << 15)
def parse_name(family: str, given: str, suffix: str | None, dropping: str | None
               ) -> tuple[str, str, str | None, str | None, str | None, bool]:
    """`CSL.parseParticles` for a name with a family and a given name and no explicit particle:
    `van der Meer` → particle `van der` + `Meer`; `Harold E., III` → suffix `III`; `Ludwig van`
    → dropping particle `van`. Returns (family, given, suffix, dropping particle,
    non-dropping particle, comma before suffix).

    Most names have nothing to split: no mark that can begin a particle or a suffix, or (`Kaloez-
    Smith`, `J. R.`, two of five names a mixed library's first render reads) a family name that
    begins with a capital and a given name whose last word does, and no comma: the particle
    loops stop at their first word then. Those are returned as they are without the loops
    (10,000 mixed records' 13,773 authors, cold: ~45 -> ~20 ms in parse_name, process time);
    a property test holds the shortcut to `_parse_particles`."""
    if not _PARTICLE_HINT.search(family) and not _SUFFIX_OR_PARTICLE_HINT.search(given):
        return family, given, suffix, dropping, None, False  # nothing to split (most names)
    if "," not in given and _capital_start(family) and _capital_start(given.rsplit(" ", 1)[-1]):
        return family, given, suffix, dropping, None, False
    return _parse_particles(family, given, suffix, dropping)


def _parse_particles(family: str, given: str, suffix: str | None, dropping: str | None
                     ) -> tuple[str, str, str | None, str | None, str | None, bool]:
    """`parse_name`'s general path."""
    rest, found = _split_particles(family, given=False)
    non_dropping = "".join(found)
    last = non_dropping[-1:]
    non_dropping = non_dropping.strip()
    if last == " " and non_dropping[-1:] in ("'", "\u2019"):
        non_dropping += " "
    family = rest if found else family
    comma_suffix = False
    if not suffix and given:
        m = re.search(r"(\s*,!*\s*)", given)
        if m:
            idx = given.index(m.group(1))
            possible = given[idx + len(m.group(1)):]
            comma = re.sub(r"\s*", "", given[idx:idx + len(m.group(1))])
            if possible.replace(".", "") == "et al" and not dropping:
                dropping = possible
            else:
                comma_suffix = len(comma) == 2
                suffix = possible
            given = given[:idx]
    rest_given, found_given = _split_particles(given, given=True)
    if found_given:
        given = rest_given
        dropping = "".join(found_given).strip() or dropping
    return family, given, suffix, dropping, non_dropping or None, comma_suffix


# --- numbers: CSL.Engine.processNumber, CSL.Util.PageRangeMangler ------------------------------

_JOINER = _Lazy(r"(\s*&\s*|,\s+and\s+|\s+and\s+|;\s+|,\s+|\s*\\*[-\u2013]+\s*)")
_PARTICLE_VALUE = _Lazy(r"^([0-9]*[a-zA-Z]+0*)?([0-9]+(?:[a-zA-Z]*|[-,a-zA-Z]+))$")
_LABEL_WORD = _Lazy(
    r"((?:^| )(?:[a-z]|[a-z][a-z]|[a-z][a-z][a-z]|[a-z][a-z][a-z][a-z]|subpara|subch|amend|bibliog"
    r"|annot|illus|princ|intro|sched|subdiv|subsec)(?:\.| ) *)")


_LEADING_INT = re.compile(r"\s*[-+]?\d+")


def _parse_int(value: str) -> int | None:
    """JavaScript's parseInt: the leading digits, or None (NaN)."""
    m = _LEADING_INT.match(value)
    return int(m.group()) if m else None


class _Value:
    __slots__ = ("particle", "value", "joiner", "numeric", "collapsible")

    def __init__(self, particle: str, value: str, joiner: str) -> None:
        self.particle = particle
        self.value = value
        self.joiner = joiner
        self.numeric = True
        self.collapsible: bool | None = None


# A number or a range of two numbers, the commonest values `_parse_number` is given (a page
# range each chapter, a volume), which its general path splits into numeric, collapsible
# values with no particle: one value, or two joined by `-`.
_DIGITS_OR_RANGE = _Lazy(r"([0-9]+)(?:\s*-\s*([0-9]+))?")


@lru_cache(maxsize=1 << 14)
def _parse_number(variable: str, text: str) -> tuple[tuple[str, str, str, bool, bool], ...]:
    """Split a number variable into values (`processNumber`'s parseString and numeric flags):
    (particle, value, joiner after it, numeric, collapsible).

    A number or a range of two (`_DIGITS_OR_RANGE`) is split at once, without the general
    path's eight regular expressions: the first render of the mixed library parses ~870
    distinct page ranges (is_plural for `pp.`), ~35 us each on the general path; a property test
    holds the shortcut to `_parse_values`."""
    text = text.strip()
    if variable == "page":
        text = text.replace("\u2013", "-")
    simple = _DIGITS_OR_RANGE.fullmatch(text)
    if simple:
        first, last = simple.groups()
        if last is None:
            return (("", first, "", True, True),)
        return (("", first, "-", True, True), ("", last, "", True, True))
    return _parse_values(text)


def _parse_values(text: str) -> tuple[tuple[str, str, str, bool, bool], ...]:
    """`_parse_number`'s general path, for a text stripped (and, for a page, with its en dashes
    made hyphens)."""
    pieces = _JOINER.split(text)
    elems = pieces
    if len(pieces) > 1:
        for i in range(1, len(elems), 2):
            if re.fullmatch(r"\s*&\s*", elems[i]):
                if re.search(r"[a-zA-Z]$", elems[i - 1]) and re.match(r"^[a-zA-Z]", elems[i - 1]):
                    elems[i] = "&"
                else:
                    elems[i] = " & "
        for i in range(len(elems) - 2, 0, -2):  # `12a-c`: one value
            if (elems[i] == "-" and re.fullmatch(r"(?:[a-z]{1,4}\.  *)*[0-9]+[,a-zA-Z]+",
                                                 elems[i - 1])
                    and re.fullmatch(r"[,a-zA-Z]+", elems[i + 1])):
                elems[i - 1] = "".join(elems[i - 1:i + 2])
                del elems[i:i + 2]
    values: list[_Value] = []
    for i in range(0, len(elems), 2):
        element = elems[i]
        joiner = elems[i + 1] if i + 1 < len(elems) else ""
        if _LABEL_WORD.search(element):
            # a value with words in it (`no. 5`, `suppl 2`): one value, not numeric
            values.append(_Value("", element, re.sub(r"\s*-\s*", "-", joiner, count=1)))
            values[-1].numeric = False
            values[-1].collapsible = False
            continue
        m = _PARTICLE_VALUE.match(element)
        particle, value = (m.group(1) or "", m.group(2)) if m else ("", element)
        values.append(_Value(particle, value, re.sub(r"\s*-\s*", "-", joiner, count=1)))
    if values and not any(v.collapsible is False and not v.numeric for v in values):
        _set_numeric(values)
    return tuple((v.particle, v.value, v.joiner, v.numeric, bool(v.collapsible)) for v in values)


def _set_numeric(values: list[_Value]) -> None:
    """`fixNumericAndCount` for one label group (values here carry no labels)."""
    master = values[0]
    numeric, collapsible = True, True
    for v in values:
        m_val = re.fullmatch(r"[0-9]+([-,:a-zA-Z]*)", v.value)
        m_master = re.fullmatch(r"(?:[0-9]+|[ixv]+)([-,:a-zA-Z]*|-[-0-9]+)", master.value)
        if not v.value or not m_val or not m_master:
            collapsible = False
            if not v.value or not m_master:
                numeric = False
    for v in values:
        v.collapsible = not (_parse_int(v.value) is None
                             and not re.fullmatch(r"[ivxlcmIVXLCM]+", v.value))
    collapsible = values[0].collapsible if values[0].collapsible is not None else collapsible
    for v in values:
        v.numeric = numeric
        v.collapsible = collapsible


def _expand(page: str, delimiter: str) -> list:
    """`PageRangeMangler`'s listify + expand: ranges become [particle, first, delimiter, last]."""
    this_delim = "" if delimiter == "-" else delimiter
    text = re.sub(f"([^\\\\])[-{this_delim}\u2013]", r"\1 - ", page)
    text = re.sub(r"\s+-\s+", " - ", text)
    rng = r"(?:[0-9]*[a-zA-Z]+0*)?[0-9]+[a-z]*\s+-\s+(?:[0-9]*[a-zA-Z]+0*)?[0-9]+[a-z]*"
    found = re.findall(rng, text)
    rest = re.split(rng, text)
    parts: list = [rest[0]]
    for pos in range(1, len(rest)):
        parts.append(re.sub(r"\s*-\s*", "-", found[pos - 1]))
        parts.append(rest[pos])
    for pos in range(1, len(parts), 2):
        m = re.match(r"([0-9]*[a-zA-Z]+0*)?([0-9]+[a-z]*)\s*(?:\u2013|-)\s*([0-9]*[a-zA-Z]+0*)?"
                     r"([0-9]+[a-z]*)", parts[pos])
        if m:
            p1, first, p3, last = m.groups()
            if not p3 or p1 == p3:
                if len(last) < len(first):
                    last = first[:len(first) - len(last)] + last
                a, b = _parse_int(first), _parse_int(last)
                if a is not None and b is not None and a < b:
                    parts[pos] = [p1 or "", first, delimiter + (p1 or ""), last]
        if isinstance(parts[pos], str):
            parts[pos] = parts[pos].replace("-", delimiter)
    return parts


def _stringify(parts: list, delimiter: str) -> str:
    out = "".join("".join(p) if isinstance(p, list) else p for p in parts)
    return re.sub(r"([^\\])-", lambda m: m.group(1) + delimiter, out)


def _minimize_end(begin: str, end: str) -> str:
    b, e = list(begin), list(end)
    kept = e[::-1]
    if len(b) == len(e):
        for i in range(len(b)):
            if b[i] == e[i] and len(kept) > 0:
                kept.pop()
            else:
                break
    return "".join(kept[::-1])


def page_range(text: str, fmt: str, delimiter: str) -> str:
    """A page range in CSL `page-range-format` `expanded` or `minimal` (`PageRangeMangler`)."""
    parts = _expand(text, delimiter)
    if fmt == "minimal":
        for part in parts[1::2]:
            if isinstance(part, list):
                part[3] = _minimize_end(part[1], part[3])
                if part[2][1:] == part[0]:
                    part[2] = delimiter
    return _stringify(parts, delimiter)


_SIMPLE_RANGE = re.compile(r"([1-9][0-9]*)\s*[-\u2013]\s*([1-9][0-9]*)")


@lru_cache(maxsize=1 << 14)
def number(variable: str, text: str, range_format: str = "expanded",
           range_delimiter: str = "\u2013") -> str:
    """A number variable (`page`, `volume`, `issue`, `number`, `edition`, …) as citeproc-js prints
    it: `4-6` → `4–6`, `725-53` → `725–753` (expanded) or `725–53` (minimal), `E550-556` as is."""
    text = clean(text)
    if text.isdigit():
        return text
    simple = _SIMPLE_RANGE.fullmatch(text)
    if simple:  # the common `725-753`, worked out as the general path below would
        first, last = simple.groups()
        if variable != "page":
            return f"{first}{range_delimiter}{last}"
        expanded = first[:len(first) - len(last)] + last if len(last) < len(first) else last
        if int(first) >= int(expanded):
            return f"{first}{range_delimiter}{last}"
        if range_format == "minimal":
            expanded = _minimize_end(first, expanded)
        return f"{first}{range_delimiter}{expanded}"
    values = _parse_number(variable, text)
    if not values:
        return text
    joiners = [v[2] for v in values]
    particles = [v[0] for v in values]
    texts = [v[1] for v in values]
    count = 0
    for i, (_, _, joiner, numeric, collapsible) in enumerate(values):
        if not collapsible:
            count = 0
            if joiner == "-" and numeric and variable in (
                    "page", "issue", "volume", "edition", "number", "locator"):
                joiners[i] = range_delimiter
            continue
        if joiner == "-":
            count = 1
        else:
            count += 1
            if count == 2:
                _mangle(variable, particles, texts, joiners, i, range_format, range_delimiter)
                count = 0
    if count == 2:
        _mangle(variable, particles, texts, joiners, len(values) - 1, range_format,
                range_delimiter)
    return "".join(p + t + j for p, t, j in zip(particles, texts, joiners, strict=True))


def _mangle(variable: str, particles: list[str], texts: list[str], joiners: list[str], i: int,
            range_format: str, range_delimiter: str) -> None:
    """`manglePageNumbers`: a two-value range, rewritten with the style's range format."""
    if particles[i - 1] != particles[i]:
        return
    if joiners[i - 1] != "-":
        return
    if (variable == "page" and _parse_int(texts[i - 1]) is not None
            and _parse_int(texts[i]) is not None):
        text = page_range(f"{particles[i - 1]}{texts[i - 1]} - {particles[i]}{texts[i]}",
                          range_format, range_delimiter)
    else:
        if (re.fullmatch(r"[0-9]+|[ivxlcmIVXLCM]+", texts[i - 1])
                and re.fullmatch(r"[0-9]+|[ivxlcmIVXLCM]+", texts[i])):
            joiners[i - 1] = range_delimiter
        text = texts[i - 1] + joiners[i - 1] + texts[i]
    m = re.match(r"^((?:[0-9]*[a-zA-Z]+0*))?([0-9]+[a-z]*)(\s*[^0-9]+\s*)([-,a-zA-Z]?0*)"
                 r"([0-9]+[a-z]*)$", text)
    if m:
        delim = m.group(3)
        if delim == "-":
            delim = range_delimiter
        particles[i - 1], texts[i - 1], joiners[i - 1] = m.group(1) or "", m.group(2), delim
        particles[i], texts[i] = m.group(4), m.group(5)


@lru_cache(maxsize=1 << 12)
def is_numeric(variable: str, text: str) -> bool:
    """CSL `is-numeric` as citeproc-js decides it: `2`, `12-14`, `IV` are; `Rev. ed.` is not."""
    values = _parse_number(variable, clean(text))
    return bool(values) and all(v[3] for v in values)


def is_plural(variable: str, text: str) -> bool:
    """Whether a label for the variable takes its plural form (`pp.` for a range)."""
    values = _parse_number(variable, clean(text))
    return len(values) > 1 and all(v[4] for v in values)


# --- ordinals ---------------------------------------------------------------------------------

def ordinal(value: str) -> str:
    """`2` → `2nd` (en-US ordinal terms)."""
    n = _parse_int(value)
    if n is None:
        return value
    if n == 0:  # citeproc-js prints no ordinal for zero (`0 ed.`, seen on Crossref records)
        return "0"
    digits = str(n)
    if digits[-2:] in ("11", "12", "13"):
        return digits + "th"
    return digits + {"1": "st", "2": "nd", "3": "rd"}.get(digits[-1], "th")


# --- punctuation where pieces meet: CSL.Output.Queue.adjust ------------------------------------

_MERGE = {
    "!": {".": "!", "?": "!?", ":": "!", ",": "!,", ";": "!;"},
    "?": {"!": "?!", ".": "?", ":": "?", ",": "?,", ";": "?;"},
    ".": {"!": ".!", "?": ".?", ":": ".:", ",": ".,", ";": ".;"},
    ":": {"!": "!", "?": "?", ".": ":", ",": ":,", ";": ":;"},
    ",": {"!": ",!", "?": ",?", ":": ",:", ".": ",.", ";": ",;"},
    ";": {"!": "!", "?": "?", ":": ";", ",": ";,", ".": ";"},
}
PUNCT = frozenset(_MERGE)
_SWAP_IN = frozenset("!?.,")  # what moves inside closing quotes (not : or ;)


def _merge(last: str, punct: str) -> str:
    """The characters that replace `last` when `punct` follows it."""
    if last == punct:
        return last
    return _MERGE.get(last, {}).get(punct, last + punct)


# What `_glue` looks at the end of `left` for: text ending in anything else is followed by the
# joint as it is. Most text ends in a letter or a digit, and `glue` runs ~7 times per reference
# (70,087 calls for 10,000 mixed records): the early return saves the walk over markers.
_MEETS = frozenset((*MARKERS, *PUNCT, " "))


def glue(left: str, joint: str) -> str:
    """`left` followed by `joint` (a delimiter or suffix), with citeproc-js's punctuation rules:
    a repeated mark is printed once (`Proceedings.` + `. `), `?` absorbs `.` (`Who cares?` + `. `
    → `Who cares? `), a period or comma moves inside a closing quote (“Rainbow.”), and a space is
    not doubled. A field styled on its own (italic_leaf) only loses an exact repeat."""
    if not left or not joint or left[-1] not in _MEETS:
        return left + joint
    return _glue(left, joint)


def _glue(left: str, joint: str) -> str:
    mark = joint[0]
    if mark == " ":
        return left + (joint[1:] if left[-1] == " " else joint)
    if mark not in PUNCT:
        return left + joint
    end = len(left)
    while end > 0 and left[end - 1] in MARKERS:
        end -= 1
    if end == 0:
        return left + joint
    tail = left[end:]
    last = left[end - 1]
    if QUOTE_END in tail and last in (CLOSE_QUOTE, CLOSE_INNER) and mark in _SWAP_IN:
        # punctuation-in-quote (en-US): the mark goes inside, through nested quotes too
        return glue(left[:end - 1], mark) + left[end - 1:] + joint[1:]
    if LEAF_END in tail:
        return left + (joint[1:] if last == mark else joint)
    if last not in PUNCT:
        return left + joint
    merged = _merge(last, mark)
    if len(merged) == 2 and merged == last + mark:
        return left + joint
    return left[:end - 1] + merged + tail + joint[1:]


def join(delimiter: str, pieces: list[str]) -> str:
    """Non-empty pieces joined with a delimiter, punctuation merged as citeproc-js does."""
    out = ""
    for piece in pieces:
        if piece:
            out = glue(out, delimiter) + piece if out else piece
    return out


def wrap(text: str, prefix: str = "", suffix: str = "") -> str:
    """A group's affixes around non-empty text (`(…)`, `[…]`, `…. `)."""
    if not text:
        return ""
    return prefix + (glue(text, suffix) if suffix else text)
