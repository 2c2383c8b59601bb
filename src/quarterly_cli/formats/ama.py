"""AMA Manual of Style, 11th edition (journal article), matching citeproc-js with ama.csl.

AMA 11 §3.6 (authors: up to 6, else 3 + et al), §3.9 (titles in sentence case),
§3.11 (journal abbreviations, dates, volume, issue, full page ranges), §3.15 (DOIs).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..model import Record, page_range
from . import Options
from ._text import (
    ama_date_volume_pages,
    ama_name,
    doi_suffix_ama,
    end_with_period,
    entry_id,
    finish_iter,
    italic,
    lit,
    title_of,
)

MAX_LISTED = 6
FIRST_WHEN_TRUNCATED = 3


def entry(record: Record, options: Options) -> str:
    names = [ama_name(n) for n in record.author]
    if len(names) > MAX_LISTED:
        names = names[:FIRST_WHEN_TRUNCATED] + ["et al"]
    parts = []
    if names:
        parts.append(end_with_period(", ".join(names)))
    parts.append(end_with_period(title_of(record, options.keep_case)))
    journal = record.container_title_short or record.container_title
    if journal:
        parts.append(italic(lit(journal)) + ".")
    pages = record.number or page_range(record.page, "-")
    parts.append(ama_date_volume_pages(record, str(record.year or "n.d."), pages))
    return " ".join(parts) + doi_suffix_ama(record)


def render_iter(records: Iterable[Record], options: Options) -> Iterator[str]:
    """Numbered in citation (input) order, one entry at a time."""
    entries = ((entry_id(r, i), entry(r, options)) for i, r in enumerate(records))
    return finish_iter(entries, options.markup, numbered=True)
