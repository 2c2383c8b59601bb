"""RIS (Research Information Systems) records, one `TY  - JOUR` … `ER  - ` block per record.

PMID goes in `AN` and PMCID in `C2`, as PubMed's own RIS export writes them.

Tags per the RIS specification as Zotero and EndNote read them (docs/format-rules.md). A value never
contains a line break: paragraphs are joined with a space, so a crafted abstract cannot start a new
tag line.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .. import markup
from ..model import Name, Record
from . import Options
from ._fields import abstract_paragraphs

# CSL type → RIS reference type (RIS specification's type list).
RIS_TYPES = {"article-journal": "JOUR", "article-magazine": "MGZN", "article-newspaper": "NEWS",
             "book": "BOOK", "chapter": "CHAP", "paper-conference": "CPAPER", "report": "RPRT",
             "thesis": "THES", "dataset": "DATA", "webpage": "ELEC"}


def ris_name(name: Name) -> str:
    if name.literal is not None:
        return name.literal
    family = name.full_family
    if name.dropping_particle:
        family = f"{name.dropping_particle} {family}"
    parts = [family]
    if name.given:
        parts.append(name.given)
    if name.suffix:
        parts.append(name.suffix)
    return ", ".join(parts)


def tags(record: Record) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = [("TY", RIS_TYPES.get(record.type, "GEN"))]
    out += [("AU", ris_name(n)) for n in record.author]
    out.append(("TI", markup.plain(record.title)))
    if record.container_title:
        out.append(("T2", record.container_title))
    if record.container_title_short:
        out.append(("J2", record.container_title_short))
    if record.year:
        out.append(("PY", str(record.year)))
        parts = [f"{record.year:04d}", f"{record.month:02d}" if record.month else "",
                 f"{record.day:02d}" if record.day else ""]
        out.append(("DA", "/".join(parts) + "/"))
    if record.volume:
        out.append(("VL", record.volume))
    if record.issue:
        out.append(("IS", record.issue))
    first, last = (record.number, None) if record.number else (record.page_first, record.page_last)
    if first:
        out.append(("SP", first))
    if last:
        out.append(("EP", last))
    out += [("SN", issn) for issn in record.ISSN]
    if record.publisher:
        out.append(("PB", record.publisher))
    if record.DOI:
        out.append(("DO", record.DOI))
    if record.URL:
        out.append(("UR", record.URL))
    if record.PMID:
        out.append(("AN", record.PMID))
    if record.PMCID:
        out.append(("C2", record.PMCID))
    out += [("AD", a) for a in record.affiliation]
    out += [("KW", k) for k in record.keyword]
    paragraphs = abstract_paragraphs(record)
    if paragraphs:
        out.append(("AB", " ".join(paragraphs)))
    return out


def render_iter(records: Iterable[Record], options: Options) -> Iterator[str]:
    for n, record in enumerate(records):
        lines = [f"{tag}  - {markup.one_line(value)}" for tag, value in tags(record)]
        yield ("\n" if n else "") + "\n".join(lines) + "\nER  - \n"
