"""RIS → Records, through rispy (its default tag map: AU → authors, T2 → secondary_title, …)."""

from __future__ import annotations

import re
from typing import Any

from .. import doi as doi_mod
from .. import markup
from ..errors import InputFormatError
from ..model import Name, Record, Section

_TYPES = {"JOUR": "article-journal", "JFULL": "article-journal", "EJOUR": "article-journal",
          "BOOK": "book", "CHAP": "chapter", "CONF": "paper-conference", "CPAPER":
          "paper-conference", "RPRT": "report", "THES": "thesis", "NEWS": "article-newspaper",
          "MGZN": "article-magazine", "ELEC": "webpage", "DATA": "dataset"}


def _clean(value: Any) -> str | None:
    if value is None:
        return None
    text = markup.one_line(str(value))
    return text or None


def _name(text: str) -> Name:
    """`Family, Given[, Suffix]`; a name without a comma is an organisation (RIS spec, AU)."""
    family, comma, rest = text.partition(",")
    if not comma:
        return Name(literal=text)
    given, _, suffix = rest.partition(",")
    return Name(family=family.strip(), given=given.strip() or None,
                suffix=suffix.strip() or None)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _issued(entry: dict[str, Any]) -> tuple[int, ...]:
    for key in ("date", "publication_year", "year"):
        match = re.match(r"\s*(\d{4})(?:[/-](\d{1,2})?)?(?:[/-](\d{1,2})?)?", str(entry.get(key) or ""))
        if match:
            year, month, day = match.groups()
            if key == "year" and "date" in entry:
                continue
            out = [int(year)]
            if month and 1 <= int(month) <= 12:
                out.append(int(month))
                if day and 1 <= int(day) <= 31:
                    out.append(int(day))
            return tuple(out)
    return ()


def _first(entry: dict[str, Any], *keys: str) -> str | None:
    for key in keys:
        value = entry.get(key)
        if isinstance(value, list):
            value = value[0] if value else None
        text = _clean(value)
        if text:
            return text
    return None


def record_from_entry(entry: dict[str, Any]) -> Record:
    authors = entry.get("authors") or entry.get("first_authors") or []
    first, last = _clean(entry.get("start_page")), _clean(entry.get("end_page"))
    # `725`/`753` → 725-753; a lone SP is a single page or an eLocator such as e025000.
    page = f"{first}-{last}" if first and last else first
    issn_list = _as_list(entry.get("issn"))
    urls = entry.get("urls") or []
    abstract = _clean(entry.get("abstract") or entry.get("notes_abstract"))
    pmcid = _clean(entry.get("custom2"))  # C2 holds the PMCID in PubMed's RIS export
    doi = _clean(entry.get("doi"))
    if doi:
        doi = doi_mod.parse(doi) or doi  # `https://doi.org/10.…`, `doi:10.…` → the bare DOI
    return Record(
        title=markup.literal(_first(entry, "title", "primary_title") or "(untitled)"),
        type=_TYPES.get(str(entry.get("type_of_reference", "JOUR")).strip(), "article-journal"),
        author=tuple(_name(a) for a in map(_clean, authors) if a),
        container_title=_first(entry, "secondary_title", "journal_name", "alternate_title3"),
        container_title_short=_first(entry, "alternate_title1", "alternate_title2"),
        volume=_clean(entry.get("volume")),
        issue=_clean(entry.get("number")),
        page=page,
        issued=_issued(entry),
        ISSN=tuple(s for s in map(_clean, issn_list) if s),
        publisher=_clean(entry.get("publisher")),
        DOI=doi,
        PMID=_clean(entry.get("accession_number")),
        PMCID=pmcid if pmcid and pmcid.upper().startswith("PMC") else None,
        affiliation=tuple(a for a in map(_clean, _as_list(entry.get("author_address"))) if a),
        URL=_clean(urls[0]) if urls else None,
        keyword=tuple(k for k in map(_clean, entry.get("keywords") or []) if k),
        abstract=(Section(None, (markup.literal(abstract),)),) if abstract else (),
        id=_clean(entry.get("id")),
        source="ris",
    )


def read(text: str, name: str) -> list[Record]:
    import rispy

    try:
        entries = rispy.loads(text)
    except (OSError, ValueError) as exc:
        raise InputFormatError(f"{name}: not valid RIS ({exc}).") from None
    if not entries:
        raise InputFormatError(f"{name}: no RIS records (each starts with 'TY  - ').")
    return [record_from_entry(e) for e in entries]
