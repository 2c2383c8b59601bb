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
from typing import NamedTuple

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
from . import BATCH, Options

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


# Tags written from one variable each, as they stand, in this order (after ET).
_ONE_VARIABLE = (("M3", "genre"), ("SE", "section"), ("DO", "DOI"), ("UR", "URL"), ("AN", "PMID"),
                 ("AN", "archive_location"), ("C2", "PMCID"), ("DB", "archive"), ("DP", "source"),
                 ("CN", "call-number"), ("LA", "language"), ("N1", "note"), ("RN", "annote"))


class _Plan(NamedTuple):
    """What `lines` writes for one RIS type, decided once per type instead of per record. The
    runs hold each tag as the start of its line (`VL  - `)."""

    special: dict[str, str]  # tag -> the type's own variable for it (TYPE_TAGS)
    people: tuple[tuple[str, str], ...]  # (line start, role) after AU and the special tags
    series_in_t2: bool
    conference: bool
    numbers: tuple[tuple[str, str], ...]  # M1/SV, VL, IS, NV: (line start, variable)
    pages_count: bool
    number: bool  # the `number` variable is not one of the type's special ones
    sn_number: bool
    tail: tuple[tuple[str, str], ...]  # PB, CY, ET and the one-variable tags
    tail_event: tuple[tuple[str, str], ...]  # the same for a conference with an event place


def _plan(ty: str) -> _Plan:
    special = _SPECIAL.get(ty, _NONE)
    editors: tuple[tuple[str, str], ...]
    if ty in BOOKS:
        editors = (("A3", "editor"), ("A2", "collection-editor"))
    elif ty in A2_SERIES_EDITOR:
        editors = (("ED", "editor"), ("A2", "collection-editor"))
    elif ty in A2_RECIPIENT:
        editors = (("A2", "recipient"), ("ED", "editor"), ("A3", "collection-editor"))
    elif ty == "THES":
        editors = (("A2", "editor"), ("A3", "contributor"))
    else:  # Zotero's A2/A3 map; A2 is the editor unless the type holds another variable there
        editors = (("A2" if "A2" not in special else "ED", "editor"),
                   ("A3", "collection-editor"))
    people = editors + (("A4", "translator"),) + (
        (("C2", "container-author"),) if ty in CHAPTERS else ())

    def kept(*steps: tuple[str, str]) -> tuple[tuple[str, str], ...]:
        return tuple((f"{tag}  - ", var) for tag, var in steps if tag not in special)

    edition = ("ET", "version" if ty in VERSIONED else "edition")
    return _Plan(
        special, tuple((f"{tag}  - ", role) for tag, role in people), ty in SERIES_IN_T2,
        ty in CONFERENCES,
        kept(("M1" if ty in BOOKS else "SV", "collection-number"), ("VL", "volume"),
             ("IS", "issue"), ("NV", "number-of-volumes")),
        ty in PAGES_COUNT, "number" not in special.values(), ty in SN_NUMBER,
        kept(("PB", "publisher"), ("CY", "publisher-place"), edition, *_ONE_VARIABLE),
        kept(("PB", "publisher"), ("C1", "publisher-place"), ("CY", "event-place"), edition,
             *_ONE_VARIABLE))


_PLANS = {ty: _plan(ty) for ty in {*RIS_TYPES.values(), *_SPECIAL, "GEN"}}


def lines(record: Record) -> list[str]:
    """The record's lines (`TAG  - value`), TY first, ER not included. What depends on the type
    alone comes from its _Plan; a value is written when it is not empty and its tag does not
    hold the type's own variable (`special`). Written out in one function: the closures it
    had (add, people: a Python call for each of ~30 possible tags of every record) took a
    fifth of the writer's time (render stage, 10,000 real records: 1,360M -> 1,261M
    instructions). Each line is made as it is found, not kept as a (tag, value) pair for a
    join per line later, and what a record does not have (no abstract, no ISBN, an empty
    title) costs a test, not a call or a comprehension (render stage, 2,000 real entries:
    214M -> 173M instructions, callgrind)."""
    kept = _custom(record)
    ty = ris_type(record, kept)
    plan = _PLANS.get(ty) or _plan(ty)
    special = plan.special
    get = record.variables.get
    names = record.names
    out = ["TY  - " + ty]
    value = get("citation-key") or record.id
    if value and "ID" not in special:
        out.append("ID  - " + value)
    found = names.get("author")
    if found:
        out += ["AU  - " + ris_name(n) for n in found]
    for tag, var in special.items():
        value = get(var)
        if value:
            out.append(f"{tag}  - {value}")
    if len(names) > (1 if found else 0):  # names besides the authors
        for start, role in plan.people:
            found = names.get(role)
            if found:
                out += [start + ris_name(n) for n in found]
    value = record.title
    if value and (value := rich(value)) and "TI" not in special:
        out.append("TI  - " + value)
    container, series = get("container-title"), get("collection-title")
    titles: tuple[tuple[str, str | None], ...]
    if plan.series_in_t2:  # a book's or report's series is its T2; its container (rare) JF
        titles = (("T2", series), ("JF", container))
    elif plan.conference and container and (event := get("event-title")):
        titles = (("T2", event), ("C3", container), ("T3", series))  # Zotero: T2 the event
    else:
        titles = (("T2", container), ("T3", series))
    titles += (("J2", get("container-title-short")), ("ST", get("title-short")))
    out += [f"{tag}  - {text}" for tag, value in titles
            if value and (text := rich(value)) and tag not in special]
    dates = record.dates
    if dates:
        issued = dates.get("issued")
        if issued is not None:
            year, full = _date(issued)
            if year and "PY" not in special:
                out.append("PY  - " + year)
            if full and "DA" not in kept and "DA" not in special:
                out.append("DA  - " + full)  # a DA the reader could not use is written back
        accessed = dates.get("accessed")
        if accessed is not None:
            year, full = _date(accessed)
            value = full or year
            if value and "Y2" not in special:
                out.append("Y2  - " + value)
    out += [start + value for start, var in plan.numbers if (value := get(var))]
    first, last = _pages(get("page"))
    if first:
        if "SP" not in special:
            out.append("SP  - " + first)
        if last and "EP" not in special:
            out.append("EP  - " + last)
    elif plan.pages_count:
        value = get("number-of-pages")
        if value and "SP" not in special:
            out.append("SP  - " + value)
    number = get("number") if plan.number else None
    if number:
        tag = "SN" if plan.sn_number and not _is_standard_number(number) else "C7"
        if tag not in special:  # Zotero: SN is the report or patent number
            out.append(f"{tag}  - {number}")
    if record.ISSN:
        out += ["SN  - " + issn for issn in record.ISSN]
    if record.ISBN:
        out += ["SN  - " + isbn for isbn in record.ISBN]
    tail = plan.tail_event if plan.conference and get("event-place") else plan.tail
    out += [start + value for start, var in tail if (value := get(var))]
    if record.affiliation:
        out += ["AD  - " + a for a in record.affiliation]
    if record.keyword:
        out += ["KW  - " + k for k in record.keyword]
    if record.abstract and "AB" not in special:
        value = _abstract(record)
        if value:
            out.append("AB  - " + value)
    for tag, values in kept.items():
        if tag != "TY":
            out += [f"{tag}  - {v}" for v in values]
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


def _record_text(record: Record) -> str:
    return _text(lines(record)) + "\nER  - \n"


def _text(lines: list[str]) -> str:
    """The record's lines (`TAG  - value`) as its text, each value on one line
    (markup.one_line). The lines are joined first and checked together: the record's text has
    a newline only between its lines, one double space per line (the one after the tag: none
    in a value, nor a value that starts with a space), no space before a newline or at the end,
    and nothing unprintable besides; then no value needs one_line. That is three C-level passes
    over the text instead of four tests per line in Python (render stage, 10,000 real records:
    1,261M -> 1,176M instructions); anything else, or a false alarm (a value with `| ` in it is
    fine), takes the line-by-line path, _text_line_by_line (tests/test_ris_properties.py holds
    the two together)."""
    text = "\n".join(lines)
    if text.count("  ") == len(lines) and text.count("\n") == len(lines) - 1 and \
            " \n" not in text and text[-1:] != " " and text.replace("\n", "").isprintable():
        return text
    return _text_line_by_line(lines)


def _text_line_by_line(lines: list[str]) -> str:
    """Each line's value (after its `TAG  - `: tags are two characters) on one line."""
    one_line = markup.one_line
    return "\n".join([line[:6] + one_line(line[6:]) for line in lines])


def render_iter(records: Iterable[Record], options: Options) -> Iterator[str]:
    texts = (_record_text(record) for record in records)
    # Records are separated by a blank line (none before the first).
    separator = ""
    for batch in iter(lambda: list(islice(texts, BATCH)), []):
        yield separator + "\n".join(batch)
        separator = "\n"
