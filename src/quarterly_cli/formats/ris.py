"""RIS (Research Information Systems) records, one `TY  - JOUR` … `ER  - ` block per record.

The tags written depend on the type, as Zotero's RIS translator writes and reads them
(docs/format-rules.md; README "What each format keeps" → RIS has the tables): `T2` is the journal,
book or proceedings title, but the series of a book or report; `A2` the editors, but a book's
series editors (its editors are `A3`); `SN` every ISSN and ISBN, one a line; `C7` the article
number; `ID` the citation key. PMID goes in `AN` and PMCID in `C2`, as PubMed's RIS export writes
them. Tags the reader kept under `custom["ris"]` are written back after the mapped ones.

Titles are written with their CSL markup as HTML (`<i>…</i>`, `<b>`, `<sup>`, `<sub>`), as
Zotero writes them and as the reader reads them; a literal `<` that would look like a tag is
written `&lt;`. Case protection is not written.

A value never contains a line break: white space is folded to single spaces and abstract
paragraphs are joined with a space, so a crafted value cannot start a new tag line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import islice

from .. import markup
from ..model import Date, Name, Record
from ..readers.ris import (
    A2_RECIPIENT,
    A2_SERIES_EDITOR,
    BOOKS,
    CHAPTERS,
    CONFERENCES,
    ISBN_SHAPE,
    ISSN_SHAPE,
    PAGES_COUNT,
    RIS_TYPES,
    SERIES_IN_T2,
    SN_NUMBER,
    TYPE_TAGS,
    VERSIONED,
    read_type,
)
from . import Options

_TAG_SHAPE = re.compile(r"[A-Z][A-Z0-9]")
_LOOKS_LIKE_TAG = re.compile(r"<(?=[A-Za-z/])")
_LOOKS_LIKE_ENTITY = re.compile(r"&(?=(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);)")
# Case protection (`<span class="nocase">`) is not written: RIS readers other than Zotero would
# show the tag, and RIS titles are not case-converted (README: RIS keeps no case protection).
_HTML = {"i": ("<i>", "</i>"), "b": ("<b>", "</b>"), "sup": ("<sup>", "</sup>"),
         "sub": ("<sub>", "</sub>")}


def _escape(text: str) -> str:
    """Only what the reader would take for markup: `<` before a letter or `/`, `&` before an
    entity. Everything else (`x < y`, `AT&T`) is written as is."""
    if "&" in text:
        text = _LOOKS_LIKE_ENTITY.sub("&amp;", text)
    if "<" in text:
        text = _LOOKS_LIKE_TAG.sub("&lt;", text)
    return text


def rich(text: str) -> str:
    """CSL rich text → a RIS title with HTML markup (the reader's `rich` reverses it)."""
    if "<" not in text and "&" not in text:
        return text
    if "&" not in text and _nocase_only(text):
        # The most common markup, case protection alone (`<span class="nocase">NHS</span>`
        # from BibTeX's `{NHS}`), is not written: the text without its tags is what the
        # general path gives, without parsing (tests/test_ris_properties.py).
        return text.replace('<span class="nocase">', "").replace("</span>", "")
    return markup.wrap(markup.parse(text), _escape, _HTML)


def _nocase_only(text: str) -> bool:
    """Whether every `<` in `text` opens a nocase span or closes one that is open."""
    depth = 0
    for after in text.split("<")[1:]:
        if after.startswith('span class="nocase">'):
            depth += 1
        elif depth and after.startswith("/span>"):
            depth -= 1
        else:
            return False
    return True


def ris_name(name: Name) -> str:
    family, given, suffix, dropping, non_dropping, literal = name[:6]
    if literal is not None:
        return literal
    if non_dropping:  # Name.full_family
        family = f"{non_dropping} {family}" if family else non_dropping
    family = family or ""
    if dropping:
        family = f"{dropping} {family}"
    if not given and not suffix:
        return f"{family},"  # `Homerus,`: a family name alone, not an organisation
    if suffix:
        return f"{family}, {given or ''}, {suffix}"
    return f"{family}, {given}"


def ris_type(record: Record, kept: dict[str, list[str]] | None = None) -> str:
    """The TY to write: the one the record was read with, when it still means the record's
    type (`CONF`, `EBOOK`, `ECHAP` survive a round trip), else the type's own. `kept` is
    `_custom(record)` when the caller has it already."""
    kept_ty = (_custom(record) if kept is None else kept).get("TY")
    if kept_ty and read_type(kept_ty[0])[1] == record.type:
        return kept_ty[0]
    return RIS_TYPES.get(record.type, "GEN")


def _custom(record: Record) -> dict[str, list[str]]:
    """The tags the reader kept (`custom["ris"]`), checked: this may come from any CSL-JSON."""
    kept = record.custom.get("ris") if record.custom else None
    if not isinstance(kept, dict):
        return {}
    out: dict[str, list[str]] = {}
    for tag, values in kept.items():
        if not (isinstance(tag, str) and _TAG_SHAPE.fullmatch(tag)) or tag == "ER":
            continue
        if isinstance(values, str):
            values = [values]
        if isinstance(values, list):
            out[tag] = [v for v in values if isinstance(v, str)]
    return out


def _date(date: Date) -> tuple[str | None, str | None]:
    """(PY, DA): the year, and `YYYY/MM/DD/` with empty parts kept (`2014/12//`) and a season as
    the fourth part (`2014///Spring`). A literal date is written as PY as it stands."""
    if date.year is None:
        return date.literal, None
    if date.month is None and date.season is None:
        return f"{date.year:04d}", None
    parts = [f"{date.year:04d}", f"{date.month:02d}" if date.month else "",
             f"{date.day:02d}" if date.day else ""]
    other = ("Spring", "Summer", "Autumn", "Winter")[date.season - 1] if date.season else ""
    return f"{date.year:04d}", "/".join(parts) + "/" + other


# The tags that hold a variable of their own for a type (TYPE_TAGS), by type.
_SPECIAL: dict[str, dict[str, str]] = {}
for (_ty, _tag), _var in TYPE_TAGS.items():
    _SPECIAL.setdefault(_ty, {})[_tag] = _var
_NONE: dict[str, str] = {}


def tags(record: Record) -> list[tuple[str, str]]:
    kept = _custom(record)
    ty = ris_type(record, kept)
    out: list[tuple[str, str]] = [("TY", ty)]
    get = record.variables.get

    special = _SPECIAL.get(ty, _NONE)

    def add(tag: str, value: str | None) -> None:
        if value and tag not in special:  # that tag holds another variable for this type
            out.append((tag, value))

    names = record.names

    def people(tag: str, role: str) -> None:
        found = names.get(role)
        if found:
            out.extend([(tag, ris_name(n)) for n in found])

    add("ID", get("citation-key") or record.id)
    people("AU", "author")
    for tag, var in special.items():
        if get(var):
            out.append((tag, get(var) or ""))
    # Editors and series editors by type, as the reader takes them back (Zotero's A2/A3 map).
    if ty in BOOKS:
        people("A3", "editor")
        people("A2", "collection-editor")
    elif ty in A2_SERIES_EDITOR:
        people("ED", "editor")
        people("A2", "collection-editor")
    elif ty in A2_RECIPIENT:
        people("A2", "recipient")
        people("ED", "editor")
        people("A3", "collection-editor")
    elif ty == "THES":
        people("A2", "editor")
        people("A3", "contributor")
    else:
        people("A2" if "A2" not in special else "ED", "editor")
        people("A3", "collection-editor")
    people("A4", "translator")
    if ty in CHAPTERS:
        people("C2", "container-author")
    add("TI", rich(record.title))
    container, series = get("container-title"), get("collection-title")
    event = get("event-title")
    if ty in SERIES_IN_T2:  # a book's or report's series is its T2; its container (rare) JF
        add("T2", rich(series or ""))
        add("JF", rich(container or ""))
    elif ty in CONFERENCES and event and container:  # Zotero: T2 the conference, C3 the book
        add("T2", rich(event))
        add("C3", rich(container))
        add("T3", rich(series or ""))
    else:
        add("T2", rich(container or ""))
        add("T3", rich(series or ""))
    add("J2", rich(get("container-title-short") or ""))
    add("ST", rich(get("title-short") or ""))
    if record.issued is not None:
        year, full = _date(record.issued)
        add("PY", year)
        if "DA" not in kept:  # a DA the reader could not use is written back as it came
            add("DA", full)
    if record.accessed is not None:
        year, full = _date(record.accessed)
        add("Y2", full or year)
    add("M1" if ty in BOOKS else "SV", get("collection-number"))
    add("VL", get("volume"))
    add("IS", get("issue"))
    add("NV", get("number-of-volumes"))
    first, last = _pages(get("page"))
    add("SP", first)
    add("EP", last)
    if not first and ty in PAGES_COUNT:
        add("SP", get("number-of-pages"))
    number = get("number") if "number" not in special.values() else None
    if number and ty in SN_NUMBER and not _is_standard_number(number):
        add("SN", number)  # Zotero: SN is the report or patent number
    else:
        add("C7", number)
    out += [("SN", issn) for issn in record.ISSN]
    out += [("SN", isbn) for isbn in record.ISBN]
    add("PB", get("publisher"))
    if ty in CONFERENCES and get("event-place"):
        add("C1", get("publisher-place"))
        add("CY", get("event-place"))
    else:
        add("CY", get("publisher-place"))
    add("ET", get("version") if ty in VERSIONED else get("edition"))
    out += [(tag, value) for tag, var in _ONE_VARIABLE  # add() without a call per tag
            if (value := get(var)) and tag not in special]
    out += [("AD", a) for a in record.affiliation]
    out += [("KW", k) for k in record.keyword]
    add("AB", _abstract(record))
    for tag, values in kept.items():
        if tag != "TY":
            out += [(tag, v) for v in values]
    return out


def _abstract(record: Record) -> str:
    """The abstract on one line: `Label: text` sections joined with a space, with its markup
    (`<sub>2</sub>`) written as HTML like a title's."""
    out = []
    for section in record.abstract:
        for n, paragraph in enumerate(section.paragraphs):
            text = rich(paragraph)
            out.append(f"{_escape(section.label)}: {text}" if section.label and n == 0 else text)
    return " ".join(out)


_PAGE_RANGE = re.compile(r"([^\s,;-]+)-([^\s,;-]+)")


def _pages(page: str | None) -> tuple[str | None, str | None]:
    """`725-753` → SP 725, EP 753; anything else (`e025000`, `725–753`, `2361--2368`,
    `1-3, 7`) is written whole in SP, which the reader reads back as it stands."""
    if not page:
        return None, None
    match = _PAGE_RANGE.fullmatch(page)
    return (match.group(1), match.group(2)) if match else (page, None)


def _is_standard_number(text: str) -> bool:
    return bool(ISSN_SHAPE.fullmatch(text) or ISBN_SHAPE.fullmatch(text))


# Tags written from one variable each, as they stand, in this order (after ET).
_ONE_VARIABLE = (("M3", "genre"), ("SE", "section"), ("DO", "DOI"), ("UR", "URL"), ("AN", "PMID"),
                 ("AN", "archive_location"), ("C2", "PMCID"), ("DB", "archive"), ("DP", "source"),
                 ("CN", "call-number"), ("LA", "language"), ("N1", "note"), ("RN", "annote"))

# Records are joined in batches: one write per thousand records, never the whole file at once.
BATCH = 1000


def _record_text(record: Record) -> str:
    one_line = markup.one_line
    # markup.one_line's test for a value that needs nothing, inlined: it runs for every line.
    return "\n".join([
        f"{tag}  - {value}" if value.isprintable() and "  " not in value and value[:1] != " "
        and value[-1:] != " " else f"{tag}  - {one_line(value)}" for tag, value in tags(record)
    ]) + "\nER  - \n"


def render_iter(records: Iterable[Record], options: Options) -> Iterator[str]:
    texts = (_record_text(record) for record in records)
    # Records are separated by a blank line (none before the first).
    separator = ""
    for batch in iter(lambda: list(islice(texts, BATCH)), []):
        yield separator + "\n".join(batch)
        separator = "\n"
