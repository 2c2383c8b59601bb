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
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from itertools import islice

from .. import markup
from ..model import Date, Name, Record, split_pages
from . import Options
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


def safe_url(value: str, ascii_only: bool = False) -> str:
    """A DOI or URL as written (never LaTeX-escaped: `url` is verbatim in biblatex and
    hyperref), unless its braces would unbalance the entry — then braces and backslashes are
    percent-encoded. With `--ascii`, other characters are percent-encoded (as UTF-8)."""
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


_LINE_AT = re.compile(r"(^|\n)([ \t]*)@")


def protect_lines(value: str) -> str:
    """A line that starts with `@` looks like a new entry to line-based readers: an empty
    group in front of it (`{}@WHO`) reads as nothing everywhere."""
    return _LINE_AT.sub(r"\1\2{}@", value) if "@" in value else value


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
    if _NEEDS_GROUP.search(text) or (not lower_ok and " " in text and any(
            w[:1].islower() or not w[:1].isalpha() for w in text.split()[:-1])):
        return "{" + escaped + "}"
    return escaped


@lru_cache(maxsize=1 << 14)  # authors recur across a library; a Name is immutable
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


def bib_names(names: tuple[Name, ...], escape: Callable[[str], str], more: bool = False) -> str:
    """A name list; `and others` when the list went on unnamed."""
    text = " and ".join([bib_name(n, escape) for n in names])
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


def _issued_fields(date: Date, biblatex: bool,
                   text: Callable[[str], str]) -> list[tuple[str, str, bool]]:
    """`date = {2014-12-05}` (biblatex) or `year`/`month` (BibTeX, with `date` as well when
    there is a day or a range, so that they survive a round trip). A date that is no calendar
    date (`in press`) is written as it is."""
    if not date.parts:
        return [("date" if biblatex else "year", text(date.literal or ""), False)]
    if biblatex:
        return [("date", _edtf(date), False)]
    out = [("year", str(date.year), False)]
    if date.month:
        out.append(("month", MONTH_MACROS[date.month - 1], True))
    if date.day or date.end or date.season:
        out.append(("date", _edtf(date), False))
    return out


def _edtf(date: Date) -> str:
    if date.season and len(date.parts) == 1 and not date.end:
        return f"{date.parts[0]:04d}-{20 + date.season}"  # EDTF season (biblatex reads it)
    return _iso(date)


def _text(value: str) -> str:
    if value.isalnum():  # `15`, `Blomberg`: printable, and no LaTeX special or ligature in it
        return value
    # strip_controls' own first check, inlined: this runs for every value and every part of
    # every name.
    return markup.escape_latex(value if value.isprintable() else markup.strip_controls(value))


def _rich(value: str) -> str:
    return markup.to_latex(markup.strip_controls(value))


def _text_ascii(value: str) -> str:
    return latex_ascii(markup.escape_latex(markup.strip_controls(value)))


def _rich_ascii(value: str) -> str:
    return latex_ascii(markup.to_latex(markup.strip_controls(value)))


_FIELD_NAME = re.compile(r"[a-z][a-z0-9_+:.-]*")


def fields(record: Record, options: Options, biblatex: bool,
           kind: str | None = None) -> list[tuple[str, str, bool]]:
    """(name, value, bare) triples in the order they are written; `kind` is the entry type.
    Values are escaped; `entry` keeps their lines from starting with `@` as it writes them."""
    text, rich = (_text_ascii, _rich_ascii) if options.ascii else (_text, _rich)
    kind = kind or entry_type(record, biblatex)
    csl = record.type
    var = record.variables
    out: list[tuple[str, str, bool]] = []

    def add(name: str, value: str | None, escape: Callable[[str], str] = text) -> None:
        if value:
            out.append((name, escape(value), False))

    names = record.names
    more = record.more_names
    for role, field in NAME_FIELDS:
        if names.get(role) or role in more:
            out.append((field, bib_names(names.get(role, ()), text, role in more), False))
    if not names.get("editor") and "editor" not in more and (
            more or not _EDITOR_ROLE_SET.isdisjoint(names)):
        for role, editor_type in EDITOR_ROLES.items():
            if names.get(role) or role in more:
                out.append(("editor", bib_names(names.get(role, ()), text, role in more),
                            False))
                out.append(("editortype", editor_type, False))
                break
    if csl in _SUBTYPES:
        out.append(("entrysubtype", _SUBTYPES[csl], False))
    out.append(("title", rich(record.title), False))
    for variable, field in RICH_FIELDS:
        value = var.get(variable)
        if value:
            out.append((field, rich(value), False))
    container = var.get("container-title")
    if container:
        if csl in ARTICLE_TYPES:
            out.append(("journaltitle" if biblatex else "journal", rich(container), False))
        else:
            out.append(("booktitle", rich(container), False))
    add("shortjournal", var.get("container-title-short"))
    issued = record.dates.get("issued")
    if issued is not None:
        out.extend(_issued_fields(issued, biblatex, text))
    add("series", var.get("collection-title"), rich)
    add("volume", var.get("volume"))

    # numbers: an issue is `number` for articles; a series number is `number` for books;
    # reports, patents, laws … have their own `number`; an article number is `eid`.
    if csl in ARTICLE_TYPES:
        add("number", var.get("issue"))
        add("eid", var.get("number"))
    elif csl == "paper-conference" and not var.get("collection-title"):
        add("number", var.get("issue") or var.get("collection-number"))
        if var.get("issue"):
            add("issue", var.get("collection-number"))
        add("eid", var.get("number"))
    elif csl in SERIES_NUMBER_TYPES:
        add("number", var.get("collection-number"))
        add("issue", var.get("issue"))
        add("eid", var.get("number"))
    else:
        add("number", var.get("number"))
        add("issue", var.get("issue"))
    page = var.get("page")
    if page:
        first, last = split_pages(page)
        if first and last and page.count("-") == 1:
            out.append(("pages", f"{text(first)}--{text(last)}", False))
        else:
            add("pages", page)
    for variable, bibtex_field, biblatex_field in SIMPLE_FIELDS:
        if variable in var:
            add(biblatex_field if biblatex else bibtex_field, var[variable])

    # the publisher is a school, an institution or an organisation in some types (unless the
    # input had that field for something else: it is written back from custom below)
    publisher = var.get("publisher")
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
        add("publisher" if "bibtex:" + body in record.custom else body, publisher)
    add("location" if biblatex else "address", var.get("publisher-place"))
    genre = var.get("genre")
    if genre and not (kind == "phdthesis" and genre == "PhD thesis") and not (
            kind == "mastersthesis" and genre == "Master's thesis"):
        add("type", GENRE_KEYS.get(genre, genre) if biblatex else genre)

    for name, field in (("event-date", "eventdate"), ("original-date", "origdate")):
        date = record.dates.get(name)
        if date is not None and date.parts:
            out.append((field, _iso(date), False))

    # identifiers
    if record.DOI:
        out.append(("doi", safe_url(record.DOI, options.ascii), False))
    if record.URL:
        if not biblatex and kind in ("misc", "online") and "bibtex:howpublished" not in \
                record.custom and all(name != "howpublished" for name, _, _ in out):
            out.append(("howpublished", "\\url{" + safe_url(record.URL, options.ascii) + "}",
                        False))
        out.append(("url", safe_url(record.URL, options.ascii), False))
    accessed = record.dates.get("accessed")
    if accessed is not None and accessed.parts:
        out.append(("urldate", _iso(accessed), False))
    if record.ISBN:
        add("isbn", ", ".join(record.ISBN))
    if record.ISSN:
        add("issn", ", ".join(record.ISSN))
    add("pmid", var.get("PMID"))
    add("pmcid", var.get("PMCID"))
    if record.keyword:
        add("keywords", ", ".join(record.keyword))
    # The abstract keeps its markup (`CO\\textsubscript{2}`); `Label: ` starts a labelled section.
    paragraphs = [(f"{text(section.label)}: " if section.label and n == 0 else "") + rich(p)
                  for section in record.abstract for n, p in enumerate(section.paragraphs)]
    if paragraphs:
        out.append(("abstract", "\n\n".join(paragraphs), False))

    # fields kept as written from a BibTeX input
    if record.custom:
        written = {name for name, _, _ in out}
        for key, value in record.custom.items():
            if not key.startswith("bibtex:") or not isinstance(value, str):
                continue
            name = key[len("bibtex:"):].lower()
            if name in written or not _FIELD_NAME.fullmatch(name):
                continue
            written.add(name)
            if not _balanced(value):
                value = text(value)
            elif options.ascii:
                value = latex_ascii(value)  # LaTeX as read; only its other characters change
            out.append((name, value, False))
    return out


def entry(record: Record, key: str, options: Options, biblatex: bool) -> str:
    kind = entry_type(record, biblatex)
    # protect_lines here rather than in `fields`: one pass over the fields, not two
    body = ",\n".join([f"  {name} = {value}" if bare else
                       f"  {name} = {{{protect_lines(value) if '@' in value else value}}}"
                       for name, value, bare in fields(record, options, biblatex, kind)])
    return f"@{kind}{{{key},\n{body}\n}}\n"


# Entries are joined in batches: one write per thousand entries, never the whole file at once.
BATCH = 1000


def write_iter(records: Iterable[Record], options: Options, biblatex: bool) -> Iterator[str]:
    entries = (entry(record, key, options, biblatex) for record, key in citation_keys(records))
    # Each entry is followed by a blank line, so that `cite -f bibtex >> refs.bib` twice still
    # separates the entries.
    for batch in iter(lambda: list(islice(entries, BATCH)), []):
        yield "\n".join(batch) + "\n"


def render_iter(records: Iterable[Record], options: Options) -> Iterator[str]:
    return write_iter(records, options, biblatex=False)
