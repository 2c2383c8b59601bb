"""BibTeX/BibLaTeX → Records, through bibtexparser v2 (parse, string interpolation, enclosing)."""

from __future__ import annotations

import re

from .. import doi as doi_mod
from .. import markup
from ..errors import InputFormatError
from ..model import Name, Record, Section
from .latex import decode_keeping_groups, latex_to_rich, latex_to_text

_MONTHS = {m: n for n, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}


def _name(raw: str) -> Name:
    from bibtexparser.middlewares.names import InvalidNameError, parse_single_name_into_parts

    raw = raw.strip()
    if raw.startswith("{") and raw.endswith("}") and raw.count("{") == 1:
        return Name(literal=latex_to_text(raw[1:-1]))
    try:
        parts = parse_single_name_into_parts(raw, strict=False)
    except InvalidNameError:
        return Name(literal=latex_to_text(raw))
    last = latex_to_text(" ".join(parts.last))
    if not last:
        return Name(literal=latex_to_text(raw))
    return Name(
        family=last,
        given=latex_to_text(" ".join(parts.first)) or None,
        non_dropping_particle=latex_to_text(" ".join(parts.von)) or None,
        suffix=latex_to_text(" ".join(parts.jr)) or None,
    )


def _names(value: str) -> tuple[Name, ...]:
    from bibtexparser.middlewares.names import split_multiple_persons_names

    decoded = decode_keeping_groups(value)
    return tuple(_name(n) for n in split_multiple_persons_names(decoded) if n.strip())


def _issued(fields: dict[str, str]) -> tuple[int, ...]:
    date = fields.get("date", "")
    match = re.match(r"\s*(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", date)
    if match:
        return tuple(int(g) for g in match.groups() if g)
    year = re.search(r"\d{4}", fields.get("year", ""))
    if not year:
        return ()
    month_raw = fields.get("month", "").strip().lower()[:3]
    month = _MONTHS.get(month_raw) or (int(month_raw) if month_raw.isdigit() and
                                       1 <= int(month_raw) <= 12 else None)
    return (int(year.group()), month) if month else (int(year.group()),)


def _split(value: str | None, sep: str) -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(s.strip() for s in re.split(sep, latex_to_text(value)) if s.strip())


def _abstract(value: str | None) -> tuple[Section, ...]:
    if not value:
        return ()
    paragraphs = tuple(p for p in (latex_to_text(p) for p in re.split(r"\n\s*\n", value)) if p)
    return (Section(None, paragraphs),) if paragraphs else ()


# BibTeX entry type → CSL type; anything unlisted is read as a journal article, the common case.
_TYPES = {"book": "book", "incollection": "chapter", "inbook": "chapter",
          "inproceedings": "paper-conference", "conference": "paper-conference",
          "techreport": "report", "report": "report", "phdthesis": "thesis",
          "mastersthesis": "thesis", "thesis": "thesis", "misc": "article"}


def record_from_fields(key: str, fields: dict[str, str], entry_type: str = "article") -> Record:
    def text(name: str) -> str | None:
        value = fields.get(name)
        return latex_to_text(value) or None if value else None

    pages = text("pages")
    number = text("eid")
    doi = fields.get("doi", "").strip() or None
    if doi:
        doi = doi_mod.parse(doi) or doi  # `https://doi.org/10.…`, `doi:10.…` → the bare DOI
    return Record(
        title=latex_to_rich(fields.get("title", "")) or "(untitled)",
        type=_TYPES.get(entry_type.lower(), "article-journal"),
        author=_names(fields["author"]) if fields.get("author") else (),
        container_title=text("journaltitle") or text("journal"),
        container_title_short=text("shortjournal"),
        volume=text("volume"),
        issue=text("number") or text("issue"),
        page=pages.replace("–", "-") if pages else None,
        number=number,
        issued=_issued(fields),
        ISSN=_split(fields.get("issn"), r"[,;\s]+"),
        publisher=text("publisher"),
        DOI=doi,
        PMID=text("pmid"),
        PMCID=text("pmcid"),
        URL=fields.get("url", "").strip() or None,
        keyword=_split(fields.get("keywords"), r"[,;]"),
        abstract=_abstract(fields.get("abstract")),
        id=key,
        source="bibtex",
    )


def read(text: str, name: str) -> list[Record]:
    import bibtexparser

    library = bibtexparser.parse_string(text)
    if library.failed_blocks:
        block = library.failed_blocks[0]
        line = (block.start_line or 0) + 1
        raise InputFormatError(
            f"{name}: BibTeX entry at line {line} cannot be parsed "
            f"({type(block).__name__.removesuffix('Block')}). Fix the entry and try again.")
    records = []
    for entry in library.entries:
        fields = {f.key.lower(): str(f.value) for f in entry.fields}
        records.append(record_from_fields(entry.key, fields, entry.entry_type))
    if not records and text.strip():
        raise InputFormatError(f"{name}: no BibTeX entries found.")
    return [r.with_(title=markup.squash_space(r.title)) for r in records]
