"""AMA Manual of Style, 11th edition (journal article), matching citeproc-js with ama.csl.

AMA 11 §3.6 (authors: up to 6, else 3 + et al), §3.9 (titles in sentence case),
§3.11 (journal abbreviations, dates, volume, issue, full page ranges), §3.15 (DOIs).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..model import Record, page_range
from . import Options
from ._text import ama_name, italic, lit, medical_entry, numbered

MAX_LISTED = 6
FIRST_WHEN_TRUNCATED = 3


def entry(record: Record, options: Options) -> str:
    names = [ama_name(n) for n in record.author]
    if len(names) > MAX_LISTED:
        names = names[:FIRST_WHEN_TRUNCATED] + ["et al"]
    journal = record.container_title_short or record.container_title
    return medical_entry(
        record, options, names,
        journal=italic(lit(journal)) + "." if journal else "",
        date=str(record.year or "n.d."),
        pages=record.number or page_range(record.page, "-"),
    )


def render_iter(records: Iterable[Record], options: Options) -> Iterator[str]:
    return numbered(records, options, entry)
