"""BibTeX entries of every type, with the fields each type takes (README, "BibTeX and BibLaTeX").

Entries are written directly rather than through bibtexparser's writer: every value is escaped
field by field anyway (bibtexparser's LatexEncodingMiddleware would escape the braces added for
case protection and touch DOIs and URLs, see docs/format-rules.md), and writing the text
ourselves is what keeps a 10,000-record conversion fast. tests/test_bibtex_writer.py reads every
output back with bibtexparser and pybtex.

Safety: text is LaTeX-escaped (`markup.escape_latex`); `doi` and `url` are never escaped, only
braces and backslashes, which would unbalance the entry, are percent-encoded there; a value line
that starts with `@` is written `{@}` so that no reader takes it for a new entry; values kept as
written from a BibTeX input (`record.custom["bibtex:<field>"]`) are written back only when their
braces balance.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import lru_cache
from itertools import islice

from .. import markup
from ..memo import Memo
from ..model import Date, Name, Record, Section, split_pages
from . import BATCH, Options
from ._fields import citation_keys

# CSL type → entry type, for BibTeX and biblatex alike except where BIBTEX_TYPES says otherwise.
# Types classic BibTeX lacks (`@online`, `@patent`, `@software`, …) are written with biblatex's
# name: a .bst style formats an unknown type as @misc (with a warning), and the type survives a
# round trip. CSL types with no entry type of their own are written as @misc (README lists them).
ENTRY_TYPES = {
    "article-journal": "article", "article-magazine": "article", "article-newspaper": "article",
    "book": "book", "chapter": "incollection", "paper-conference": "inproceedings",
    "report": "report", "thesis": "thesis", "webpage": "online", "post": "online",
    "post-weblog": "online", "manuscript": "unpublished", "patent": "patent",
    "software": "software", "dataset": "dataset", "document": "misc", "periodical": "periodical",
    "pamphlet": "booklet", "entry-encyclopedia": "inreference", "entry-dictionary": "inreference",
    "entry": "inreference", "graphic": "artwork", "figure": "image", "song": "audio",
    "musical_score": "music", "motion_picture": "movie", "performance": "performance",
    "legal_case": "jurisdiction", "legislation": "legislation", "bill": "legislation",
    "treaty": "legal", "regulation": "legal", "personal_communication": "letter",
    "review": "review", "review-book": "review", "standard": "standard",
}
BIBTEX_TYPES = {"report": "techreport", "thesis": "phdthesis"}
# The classic thesis and report types, chosen by dialect and genre rather than kept from input.
_DIALECT_TYPES = frozenset(("techreport", "report", "phdthesis", "mastersthesis", "thesis"))
_SUBTYPES = {"article-magazine": "magazine", "article-newspaper": "newspaper"}
ARTICLE_TYPES = frozenset(("article-journal", "article-magazine", "article-newspaper",
                           "article", "periodical", "review", "review-book"))
SERIES_NUMBER_TYPES = frozenset(("book", "chapter", "paper-conference", "pamphlet",
                                 "entry-encyclopedia"))
# biblatex's `type` keys for the genres its styles localise (biblatex manual §4.9.2.13).
GENRE_KEYS = {"PhD thesis": "phdthesis", "Master's thesis": "mathesis",
              "Bachelor's thesis": "bathesis", "Candidate thesis": "candthesis",
              "Technical report": "techreport", "Research report": "resreport"}
_MASTERS = re.compile(r"master|mathesis|\bM\.?\s?(?:A|Sc|S|Phil)\b", re.IGNORECASE)

MONTH_MACROS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

# Name roles that have a field; `editor` also carries compilers, organisers … with `editortype`.
NAME_FIELDS = (("author", "author"), ("editor", "editor"), ("translator", "translator"),
               ("container-author", "bookauthor"))
EDITOR_ROLES = {"compiler": "compiler", "director": "director", "organizer": "organizer",
                "chair": "chair", "contributor": "collaborator"}
_EDITOR_ROLE_SET = frozenset(EDITOR_ROLES)

# CSL variables written under the same field name in every type: (variable, bibtex, biblatex).
SIMPLE_FIELDS = (
    ("edition", "edition", "edition"), ("version", "version", "version"),
    ("number-of-volumes", "volumes", "volumes"), ("part", "part", "part"),
    ("chapter-number", "chapter", "chapter"), ("number-of-pages", "pagetotal", "pagetotal"),
    ("event-place", "venue", "venue"), ("status", "pubstate", "pubstate"),
    ("original-publisher", "origpublisher", "origpublisher"),
    ("original-publisher-place", "origlocation", "origlocation"),
    ("language", "language", "language"), ("call-number", "library", "library"),
    ("note", "note", "note"), ("annote", "annote", "annotation"),
)
RICH_FIELDS = (("title-short", "shorttitle"), ("event-title", "eventtitle"),
               ("original-title", "origtitle"), ("volume-title", "issuetitle"))


# --- escaping ------------------------------------------------------------------------------

_URL_ESCAPE = re.compile(r"\\(?=[_#%&~$])")


# The ASCII characters _safe_url acts on: controls, backslashes and braces.
_URL_ACTED_ON_TABLE = markup.nul_table(bytes([*range(32), 127]) + b"\\{}")


def safe_url(value: str, ascii_only: bool = False) -> str:
    """A DOI or URL as written (never LaTeX-escaped: `url` is verbatim in biblatex and
    hyperref), unless its braces would unbalance the entry — then braces and backslashes are
    percent-encoded. With `--ascii`, other characters are percent-encoded (as UTF-8)."""
    if value.isascii() and 0 not in value.encode().translate(_URL_ACTED_ON_TABLE):
        # no control, backslash or brace (nearly every DOI and URL): nothing for _safe_url to
        # change, found without strip_controls' character-by-character read (the 10,857 DOIs
        # and URLs of benchmarks/run.py's 10,000 real RIS records, BibTeX write stage, cold,
        # callgrind: 1,241M -> 1,220M instructions)
        return value
    return _safe_url(value, ascii_only)


def _safe_url(value: str, ascii_only: bool) -> str:
    value = markup.strip_controls(value).replace("\n", " ")
    if "\\" in value:  # the reader takes `\\_` for an escaped `_`
        value = _URL_ESCAPE.sub("%5C", value)
    if not _balanced(value):
        value = value.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D")
    if ascii_only and not value.isascii():
        from urllib.parse import quote

        value = "".join(c if c.isascii() else quote(c) for c in value)
    return value


_ACCENTS = {"\u0300": "`", "\u0301": "'", "\u0302": "^", "\u0308": '"', "\u0303": "~",
            "\u0304": "=", "\u0307": ".", "\u0327": "c", "\u030c": "v", "\u030a": "r",
            "\u0306": "u", "\u030b": "H", "\u0328": "k", "\u0323": "d", "\u0331": "b",
            "\u030f": "G", "\u0309": "h"}
_SPECIAL_LETTERS = {
    "ø": "{\\o}", "Ø": "{\\O}", "æ": "{\\ae}", "Æ": "{\\AE}", "ß": "{\\ss}", "œ": "{\\oe}",
    "Œ": "{\\OE}", "ł": "{\\l}", "Ł": "{\\L}", "å": "{\\aa}", "Å": "{\\AA}", "ı": "{\\i}",
    "ȷ": "{\\j}", "Ð": "{\\DH}", "ð": "{\\dh}", "Đ": "{\\DJ}", "đ": "{\\dj}", "Þ": "{\\TH}",
    "þ": "{\\th}", "Ŋ": "{\\NG}", "ŋ": "{\\ng}", "Ĳ": "{\\IJ}", "ĳ": "{\\ij}",
    "–": "--", "—": "---", "“": "``", "”": "''", "‘": "{\\textquoteleft}",
    "’": "{\\textquoteright}", "«": "{\\guillemotleft}", "»": "{\\guillemotright}",
    "‹": "{\\guilsinglleft}", "›": "{\\guilsinglright}", "„": "{\\quotedblbase}",
    "‚": "{\\quotesinglbase}", "\u00a0": "~", "…": "{\\ldots}", "§": "{\\S}", "¶": "{\\P}",
    "©": "{\\textcopyright}", "®": "{\\textregistered}", "™": "{\\texttrademark}",
    "°": "{\\textdegree}", "‰": "{\\textperthousand}", "•": "{\\textbullet}",
    "†": "{\\textdagger}", "‡": "{\\textdaggerdbl}", "£": "{\\pounds}", "€": "{\\texteuro}",
    "¡": "{\\textexclamdown}", "¿": "{\\textquestiondown}", "×": "{\\texttimes}",
    "±": "{\\textpm}", "·": "{\\textperiodcentered}", "µ": "{\\textmu}",
}


def _accented(char: str) -> str | None:
    """`ü` → `{\\"u}`, `ễ` → `{\\~{\\^e}}` (marks applied innermost first, as NFD orders
    them); None when the character is not an ASCII letter with accents LaTeX can write."""
    decomposed = unicodedata.normalize("NFD", char)
    base, marks = decomposed[0], decomposed[1:]
    if not marks or not base.isascii() or not base.isalpha() or any(
            m not in _ACCENTS for m in marks):
        return None
    text = base
    for n, mark in enumerate(marks):
        command = _ACCENTS[mark]
        text = f"\\{command}{text}" if n == 0 and not command.isalpha() else \
            f"\\{command}{{{text}}}"
    return "{" + text + "}"


_LIGATURE_PAIRS = frozenset(("--", "``", "''", "!`", "?`"))


def latex_ascii(text: str) -> str:
    """Escaped LaTeX text made pure ASCII: accents and letters as LaTeX commands, anything
    else as `{\\char"XXXX}` (which quarterly reads back; classic BibTeX cannot hold it).
    Where two pieces would meet as a ligature (`-` then `–` → `---`) an empty group parts them."""
    if text.isascii():
        return text
    out: list[str] = []
    for char in unicodedata.normalize("NFC", text):
        piece = char if char.isascii() else (
            _SPECIAL_LETTERS.get(char) or _accented(char) or f'{{\\char"{ord(char):04X}}}')
        if out and out[-1][-1] + piece[0] in _LIGATURE_PAIRS:
            out.append("{}")
        out.append(piece)
    return "".join(out)


# The first line and the others apart: `(^|\n)([ \t]*)@` in one pattern has no literal to look
# for first, and re tried its alternatives at every character of an abstract with an address
# in it (117 of benchmarks/run.py's 10,000 real RIS records: ~12 ms); `\n` leads the search
# for the others (re skips to each newline), and the first line is one match at its start.
_FIRST_LINE_AT = re.compile(r"[ \t]*@")
_LINE_AT = re.compile(r"\n([ \t]*)@")


def protect_lines(value: str) -> str:
    """A line that starts with `@` looks like a new entry to line-based readers: an empty
    group in front of it (`{}@WHO`) reads as nothing everywhere."""
    if "@" not in value:
        return value
    first = _FIRST_LINE_AT.match(value)
    if first:
        value = value[:first.end() - 1] + "{}" + value[first.end() - 1:]
    return _LINE_AT.sub(r"\n\1{}@", value) if "\n" in value else value


def _balanced(value: str) -> bool:
    """Whether the braces balance as BibTeX counts them (`\\{` counts too)."""
    if "{" not in value and "}" not in value:  # most DOIs and URLs: no scan, no regex look-up
        return True
    depth = 0
    for char in re.findall(r"[{}]", value):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


# --- names ---------------------------------------------------------------------------------

_NEEDS_GROUP = re.compile(r",|\band\b|^\s|\s$", re.IGNORECASE)


def _part(text: str, escape: Callable[[str], str], lower_ok: bool = True) -> str:
    """One name part, braced when BibTeX's name parser would split or re-read it: commas,
    ` and `, and (in a family name) a lower-case first word, which would become a particle."""
    if text.isalpha():
        # Letters only (most parts): nothing for _text to escape, no comma or white space, and
        # ` and ` only when it is that word; the escaping and the regex are spared.
        escaped = text if escape is _text else escape(text)
        return "{" + escaped + "}" if text.lower() == "and" else escaped
    escaped = escape(text)
    # _NEEDS_GROUP's search tries its four alternatives at every character; a part with no
    # comma, no `and` and no white space at either end (most: `J. A.`, `Smith-Jones`) cannot
    # match it, which four cheap tests tell.
    if ("," in text or "and" in text.lower() or text[:1].isspace() or text[-1:].isspace()) \
            and _NEEDS_GROUP.search(text) or (not lower_ok and " " in text and any(
            w[:1].islower() or not w[:1].isalpha() for w in text.split()[:-1])):
        return "{" + escaped + "}"
    return escaped


def bib_name(name: Name, escape: Callable[[str], str]) -> str:
    """BibTeX's `von Last, Jr, First`; organisations in an extra pair of braces."""
    family, given, suffix, dropping, non_dropping, literal = name[:6]
    if literal is not None:
        text = escape(literal)
        # `{\\"U}…` would be a special character; `{}` keeps the group an organisation's name
        return "{" + ("{}" if text.startswith("\\") else "") + text + "}"
    text = _part(family or "", escape, lower_ok=False)
    if dropping or non_dropping:
        particles = " ".join(p for p in (dropping, non_dropping) if p)
        text = f"{_part(particles, escape)} {text}"
    if suffix:
        text = f"{text}, {_part(suffix, escape)}"
        return f"{text}, {_part(given or '', escape)}"
    if given:
        return f"{text}, {_part(given, escape)}"
    # Without a given name, `A B` would read as given A, family B and `{de Souza}` as an
    # organisation: a final comma says it is all family name.
    return f"{text}," if text.startswith("{") or " " in text else text


# A name part of capitalised ASCII words, each perhaps with a full stop, one space or hyphen
# apart (`J. A.`, `Robert J.`, `Gross-Camp`, `S J`), none of them `And`: what _part writes as it
# is, with no special, ligature, comma or `and` in it and no lower-case word to read as a particle.
_PLAIN_PART = re.compile(r"(?!And\b)[A-Z][a-z]*\.?(?:[ -](?!And\b)[A-Z][a-z]*\.?)*")


def _plain_part(text: str) -> bool:
    return text.isalpha() and text.lower() != "and" or _PLAIN_PART.fullmatch(text) is not None


def _text_name(name: Name) -> str:
    """bib_name(name, _text). `Family, Given` when both parts are plain (_plain_part) and the name
    has nothing else (93% of the 14,066 distinct names of benchmarks/run.py's 10,000 real RIS
    records), without _part's escaping and tests for each part: the BibTeX write stage of those
    records, cold (callgrind), 1,264M -> 1,241M instructions."""
    family, given, suffix, dropping, non_dropping, literal = name[:6]
    if family and given and literal is None and not (suffix or dropping or non_dropping) and \
            _plain_part(family) and _plain_part(given):
        return f"{family}, {given}"
    return bib_name(name, _text)


def bib_names(names: tuple[Name, ...], escape: Callable[[str], str], more: bool = False) -> str:
    """A name list; `and others` when the list went on unnamed. `escape` is _text or
    _text_ascii, each with its own cache of written names (_NAMES)."""
    text = " and ".join(map(_NAMES[escape].__getitem__, names))
    if more:
        text = f"{text} and others" if text else "others"
    return text


# --- the entry -----------------------------------------------------------------------------

def _read_types() -> dict[str, str]:
    from ..readers.bibtex import TYPES

    return TYPES


def entry_type(record: Record, biblatex: bool) -> str:
    """The entry type: the input's own when it still means the record's CSL type (so
    `@collection` stays `@collection`), else the table's."""
    kept = record.custom.get("bibtex-type") if record.custom else None
    if isinstance(kept, str) and kept not in _DIALECT_TYPES and _read_types().get(
            kept, "document") == record.type and re.fullmatch(r"[a-z][a-z0-9_-]*", kept):
        return kept
    if record.type == "thesis" and not biblatex:
        return "mastersthesis" if _MASTERS.search(record.genre or "") else "phdthesis"
    found = ENTRY_TYPES.get(record.type, "misc")
    return BIBTEX_TYPES.get(record.type, found) if not biblatex else found


def _iso(date: Date) -> str:
    """EDTF as biblatex reads it: `2014-12-05`, `2016/2017`, and `-0349` for 349 BC."""
    def one(parts: tuple[int, ...]) -> str:
        year = f"-{-parts[0]:04d}" if parts[0] < 0 else f"{parts[0]:04d}"
        return "-".join([year, *(f"{p:02d}" for p in parts[1:])])
    return one(date.parts) + (f"/{one(date.end)}" if date.end else "")


def _issued_lines(date: Date, biblatex: bool, text: Callable[[str], str]) -> list[str]:
    """`date = {2014-12-05}` (biblatex) or `year`/`month` (BibTeX, with `date` as well when
    there is a day or a range, so that they survive a round trip). A date that is no calendar
    date (`in press`) is written as it is."""
    parts = date.parts
    if not parts:
        return [f"  {'date' if biblatex else 'year'} = {{{text(date.literal or '')}}}"]
    if biblatex:
        return [f"  date = {{{_edtf(date)}}}"]
    out = [f"  year = {{{parts[0]}}}"]
    if len(parts) > 1 and parts[1]:
        out.append(f"  month = {MONTH_MACROS[parts[1] - 1]}")
    if (len(parts) > 2 and parts[2]) or date.end or date.season:
        out.append(f"  date = {{{_edtf(date)}}}")
    return out


def _edtf(date: Date) -> str:
    if date.season and len(date.parts) == 1 and not date.end:
        return f"{date.parts[0]:04d}-{20 + date.season}"  # EDTF season (biblatex reads it)
    return _iso(date)


# The ASCII characters that strip_controls, escape_latex or to_latex act on: the controls other
# than tab and newline, the ten LaTeX specials, `<` (markup) and `` ` `` (in every ligature it is
# in), each mapped to NUL and every other byte to itself.
_ACTED_ON_TABLE = markup.nul_table(markup.CONTROL_BYTES + b"\\{}&%$#_~^<`")


def _plain(value: str) -> bool:
    """Whether `value` is ASCII text that _text and _rich write as it is (no control, LaTeX
    special, markup or ligature in it): most values, abstracts too.

    One translation of its bytes finds every character _ACTED_ON_TABLE maps to NUL at once,
    where the general path reads the text character by character (str.isprintable: ~26
    instructions a character) and then looks for each special apart (escape_latex). Text that
    is not ASCII takes the general path (a C1 control is two bytes in UTF-8). On
    benchmarks/run.py's 10,000 real RIS records 96% of the values (name parts too; 6.0 of their
    10.0 million characters) are plain: the BibTeX write stage, cold (callgrind), 1,432M ->
    1,281M instructions."""
    return value.isascii() and 0 not in value.encode().translate(_ACTED_ON_TABLE) and (
        "-" not in value or "--" not in value) and ("'" not in value or "''" not in value)


def _text(value: str) -> str:
    if value.isalnum() or _plain(value):  # `15`, `Blomberg`: no control, special or ligature
        return value
    return _escaped(value)


def _escaped(value: str) -> str:
    """A value that is not `_plain`, without controls and with LaTeX's specials escaped. Its
    controls are looked for with has_control rather than strip_controls' own first check
    (str.isprintable): the values that come here hold a special, a ligature or a non-ASCII
    character, and the long ones (abstracts) are read at less cost. The BibTeX write stage of
    real-10000.ris (callgrind): str.isprintable's 94M instructions -> 66M for the bytes
    (encoding, translation, C1 search)."""
    return markup.escape_latex(markup.strip_controls(value) if markup.has_control(value)
                               else value)


def _rich(value: str) -> str:
    if _plain(value):
        return value
    if "<" not in value:
        return _escaped(value)  # no markup (most titles): to_latex escapes it as _text does
    return markup.to_latex(markup.strip_controls(value))


def _text_ascii(value: str) -> str:
    return latex_ascii(markup.escape_latex(markup.strip_controls(value)))


def _rich_ascii(value: str) -> str:
    return latex_ascii(markup.to_latex(markup.strip_controls(value)))


def _recurring(escape: Callable[[str], str]) -> Callable[[str], str]:
    """`escape` remembering its last few thousand values, for the values a library repeats
    from entry to entry (journal titles, series, publishers, places, languages, ISSNs); titles,
    pages and abstracts, which rarely recur, are escaped without it."""
    return lru_cache(maxsize=1 << 12)(escape)


# (text, rich, text of a recurring value, rich text of a recurring value), without and with
# --ascii.
_ESCAPES = {False: (_text, _rich, _recurring(_text), _recurring(_rich)),
            True: (_text_ascii, _rich_ascii, _recurring(_text_ascii), _recurring(_rich_ascii))}
# Each name as bib_name writes it with _text or _text_ascii: authors recur across a library, and
# a Name is immutable. A Memo (a dict lookup per name seen before) rather than lru_cache, which
# wrapped each name and its escape in a new tuple, hashed that and moved the entry to the front
# of its list. benchmarks/run.py's 10,000 real RIS records (51,722 names, 14,066 distinct), the
# BibTeX write stage, cold (callgrind): 1,281M -> 1,264M instructions.
_NAMES: dict[Callable[[str], str], Memo[Name, str]] = {
    _text: Memo(_text_name, 1 << 14),
    _text_ascii: Memo(lambda name: bib_name(name, _text_ascii), 1 << 14)}
_SIMPLE_VARIABLES = frozenset(variable for variable, _, _ in SIMPLE_FIELDS)
_FIELD_NAME = re.compile(r"[a-z][a-z0-9_+:.-]*")
_EVENT_ORIGINAL = frozenset(("event-date", "original-date"))


def _name_lines(names: Mapping[str, tuple[Name, ...]], more: tuple[str, ...],
                text: Callable[[str], str]) -> list[str]:
    """The name fields: one per role that has one, and editors of another kind (compilers,
    organisers …) as `editor` with `editortype` when there is no editor."""
    lines = []
    for role, field in NAME_FIELDS:
        people = names.get(role)
        if people or role in more:
            lines.append(f"  {field} = {{{bib_names(people or (), text, role in more)}}}")
    if not names.get("editor") and "editor" not in more and (
            more or not _EDITOR_ROLE_SET.isdisjoint(names)):
        for role, editor_type in EDITOR_ROLES.items():
            people = names.get(role)
            if people or role in more:
                lines.append(f"  editor = {{{bib_names(people or (), text, role in more)}}}")
                lines.append(f"  editortype = {{{editor_type}}}")
                break
    return lines


def _pages_line(page: str, text: Callable[[str], str]) -> str:
    """`pages = {725--753}` for a range of one hyphen; any other page text as it is."""
    first, last = split_pages(page)
    if first and last and page.count("-") == 1:
        return f"  pages = {{{text(first)}--{text(last)}}}"
    return f"  pages = {{{text(page)}}}"


def _abstract_line(abstract: tuple[Section, ...], text: Callable[[str], str],
                   rich: Callable[[str], str]) -> str | None:
    """The abstract with its markup (`CO\\textsubscript{2}`), paragraphs apart; `Label: ` starts
    a labelled section. None when it has no paragraph."""
    lead = abstract[0].paragraphs[:1] if abstract else ()
    if text is _text and rich is _rich and lead and lead[0].isascii():
        # Written as it is when _plain: one _plain over the whole abstract, which holds each
        # label and paragraph (so each is _plain too, and _text and _rich return it as it is),
        # rather than a _text and a _rich call per section. Tried only when the first paragraph
        # is ASCII: text that is not is not _plain, and copying it into one costs more than the
        # calls (callgrind, RIS -> BibTeX: records-10000.ris, whose abstracts are
        # `Background: … Methods: …`, 3,906M -> 3,865M; real-10000.ris, whose labelled
        # abstracts are longer and fewer of them _plain, 4,989M -> 4,996M: a run of the same
        # command with another output path measures 5,000M -> 4,998M).
        whole = "\n\n".join([f"{label}: {p}" if label and n == 0 else p
                              for label, paragraphs in abstract for n, p in enumerate(paragraphs)])
        if _plain(whole):
            return f"  abstract = {{{whole}}}"
    paragraphs = [f"{text(label)}: {rich(p)}" if label and n == 0 else rich(p)
                  for label, section in abstract for n, p in enumerate(section)]
    return "  abstract = {" + "\n\n".join(paragraphs) + "}" if paragraphs else None


def field_lines(record: Record, options: Options, biblatex: bool,
                kind: str | None = None) -> list[str]:
    """The entry's fields in the order they are written, one `  name = {value}` line each
    (`  month = jan` for a month macro); `kind` is the entry type. Values are escaped; `entry`
    keeps their lines from starting with `@`.

    Written as text field by field rather than as (name, value) pairs formatted afterwards, and
    without a helper call per field: on the 10,000 real RIS records of benchmarks/run.py the
    pairs, their helper and the second pass over them were a third of the writer's time."""
    text, rich, text_again, rich_again = _ESCAPES[options.ascii]
    kind = kind or entry_type(record, biblatex)
    csl = record.type
    var = record.variables
    lines: list[str] = []
    put = lines.append

    names = record.names
    more = record.more_names
    if not more and len(names) == 1 and "author" in names:
        # authors alone (97% of benchmarks/run.py's real RIS records): what the loops below
        # write for them, without looking up every other role
        people = names["author"]
        if people:
            put(f"  author = {{{bib_names(people, text)}}}")
    else:
        lines += _name_lines(names, more, text)
    if csl in _SUBTYPES:
        put(f"  entrysubtype = {{{_SUBTYPES[csl]}}}")
    put(f"  title = {{{rich(record.title)}}}")
    for variable, field in RICH_FIELDS:
        value = var.get(variable)
        if value:
            put(f"  {field} = {{{rich(value)}}}")
    value = var.get("container-title")
    if value:
        field = ("journaltitle" if biblatex else "journal") if csl in ARTICLE_TYPES else \
            "booktitle"
        put(f"  {field} = {{{rich_again(value)}}}")
    value = var.get("container-title-short")
    if value:
        put(f"  shortjournal = {{{text_again(value)}}}")
    issued = record.dates.get("issued")
    if issued is not None:
        if len(issued.parts) == 1 and not biblatex and not issued.end and not issued.season:
            put(f"  year = {{{issued.parts[0]}}}")  # a year alone (most): _issued_lines' first
        else:
            lines += _issued_lines(issued, biblatex, text)
    value = var.get("collection-title")
    if value:
        put(f"  series = {{{rich_again(value)}}}")
    value = var.get("volume")
    if value:
        put(f"  volume = {{{text(value)}}}")

    # numbers: an issue is `number` for articles; a series number is `number` for books;
    # reports, patents, laws … have their own `number`; an article number is `eid`.
    numbers: tuple[tuple[str, str | None], ...]
    if csl in ARTICLE_TYPES:
        numbers = (("number", var.get("issue")), ("eid", var.get("number")))
    elif csl == "paper-conference" and not var.get("collection-title"):
        numbers = (("number", var.get("issue") or var.get("collection-number")),
                   ("issue", var.get("collection-number") if var.get("issue") else None),
                   ("eid", var.get("number")))
    elif csl in SERIES_NUMBER_TYPES:
        numbers = (("number", var.get("collection-number")), ("issue", var.get("issue")),
                   ("eid", var.get("number")))
    else:
        numbers = (("number", var.get("number")), ("issue", var.get("issue")))
    for field, value in numbers:
        if value:
            put(f"  {field} = {{{text(value)}}}")
    page = var.get("page")
    if page:
        # `854`, `336-341`, `343--355`: ASCII letters and digits around one or two hyphens (98%
        # of the pages of benchmarks/run.py's real RIS records) are what _pages_line writes for
        # them (no escape changes letters and digits; `--` is a ligature), without split_pages
        # and two or three escaping calls.
        first, dash, last = page.partition("-")
        if not (page.isascii() and first.isalnum()):
            put(_pages_line(page, text))
        elif not dash:
            put(f"  pages = {{{page}}}")
        elif last.isalnum():
            put(f"  pages = {{{first}--{last}}}")
        elif last[:1] == "-" and last[1:].isalnum():
            put(f"  pages = {{{first}-{{}}-{last[1:]}}}")
        else:
            put(_pages_line(page, text))
    if not _SIMPLE_VARIABLES.isdisjoint(var):  # most records have none of them
        for variable, bibtex_field, biblatex_field in SIMPLE_FIELDS:
            value = var.get(variable)
            if value:
                put(f"  {biblatex_field if biblatex else bibtex_field} = {{{text(value)}}}")

    # the publisher is a school, an institution or an organisation in some types (unless the
    # input had that field for something else: it is written back from custom below)
    publisher = var.get("publisher")
    howpublished = False
    if publisher:
        if csl == "thesis":
            body = "institution" if biblatex else "school"
        elif kind == "manual":
            body = "organization"
        elif csl == "report":
            body = "institution"
        elif kind in ("misc", "booklet", "unpublished"):
            body = "howpublished"
        elif csl in ("webpage", "post", "post-weblog"):
            body = "organization"
        else:
            body = "publisher"
        if "bibtex:" + body in record.custom:
            body = "publisher"
        howpublished = body == "howpublished"
        put(f"  {body} = {{{text_again(publisher)}}}")
    value = var.get("publisher-place")
    if value:
        put(f"  {'location' if biblatex else 'address'} = {{{text_again(value)}}}")
    genre = var.get("genre")
    if genre and not (kind == "phdthesis" and genre == "PhD thesis") and not (
            kind == "mastersthesis" and genre == "Master's thesis"):
        put(f"  type = {{{text_again(GENRE_KEYS.get(genre, genre) if biblatex else genre)}}}")

    dates = record.dates
    if not _EVENT_ORIGINAL.isdisjoint(dates):  # most records have neither
        date = dates.get("event-date")
        if date is not None and date.parts:
            put(f"  eventdate = {{{_iso(date)}}}")
        date = dates.get("original-date")
        if date is not None and date.parts:
            put(f"  origdate = {{{_iso(date)}}}")

    # identifiers
    value = var.get("DOI")
    if value:
        put(f"  doi = {{{safe_url(value, options.ascii)}}}")
    value = var.get("URL")
    if value:
        url = safe_url(value, options.ascii)
        if not biblatex and kind in ("misc", "online") and not howpublished and \
                "bibtex:howpublished" not in record.custom:
            put(f"  howpublished = {{\\url{{{url}}}}}")
        put(f"  url = {{{url}}}")
    accessed = dates.get("accessed")
    if accessed is not None and accessed.parts:
        put(f"  urldate = {{{_iso(accessed)}}}")
    value = ", ".join(record.ISBN)
    if value:
        put(f"  isbn = {{{text(value)}}}")
    value = ", ".join(record.ISSN)
    if value:
        put(f"  issn = {{{text_again(value)}}}")
    if "PMID" in var or "PMCID" in var:
        for variable, field in (("PMID", "pmid"), ("PMCID", "pmcid")):
            value = var.get(variable)
            if value:
                put(f"  {field} = {{{text(value)}}}")
    value = ", ".join(record.keyword)
    if value:
        put(f"  keywords = {{{text(value)}}}")
    abstract = record.abstract
    if abstract:
        if len(abstract) == 1 and not abstract[0].label and len(abstract[0].paragraphs) == 1:
            # one paragraph and no label (91% of the abstracts of benchmarks/run.py's real RIS
            # records): _abstract_line's text without its comprehension and join
            put(f"  abstract = {{{rich(abstract[0].paragraphs[0])}}}")
        else:
            line = _abstract_line(abstract, text, rich)
            if line:
                put(line)

    # fields kept as written from a BibTeX input
    if record.custom:
        written = None
        for key, kept in record.custom.items():
            if not key.startswith("bibtex:") or not isinstance(kept, str):
                continue
            if written is None:
                written = {line[2:line.index(" ", 2)] for line in lines}
            name = key[len("bibtex:"):].lower()
            if name in written or not _FIELD_NAME.fullmatch(name):
                continue
            written.add(name)
            if not _balanced(kept):
                kept = text(kept)
            elif options.ascii:
                kept = latex_ascii(kept)  # LaTeX as read; only its other characters change
            put(f"  {name} = {{{kept}}}")
    return lines


def _protected(line: str) -> str:
    """A field line whose value's lines cannot start with `@` (protect_lines); the first brace
    opens the value, as field names hold none."""
    name, brace, value = line.partition("{")
    return name + brace + protect_lines(value[:-1]) + "}" if brace else line


def entry(record: Record, key: str, options: Options, biblatex: bool) -> str:
    kind = entry_type(record, biblatex)
    lines = field_lines(record, options, biblatex, kind)
    body = ",\n".join(lines)
    if "@" in body:  # rare: one look at the whole body instead of one per value
        body = ",\n".join([_protected(line) if "@" in line else line for line in lines])
    return f"@{kind}{{{key},\n{body}\n}}\n"


def write_iter(records: Iterable[Record], options: Options, biblatex: bool) -> Iterator[str]:
    entries = (entry(record, key, options, biblatex) for record, key in citation_keys(records))
    # Each entry is followed by a blank line, so that `cite -f bibtex >> refs.bib` twice still
    # separates the entries.
    for batch in iter(lambda: list(islice(entries, BATCH)), []):
        batch.append("")  # the last blank line, without copying the joined batch to add it
        yield "\n".join(batch)


def render_iter(records: Iterable[Record], options: Options) -> Iterator[str]:
    return write_iter(records, options, biblatex=False)
