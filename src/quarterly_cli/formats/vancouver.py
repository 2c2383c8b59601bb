"""Vancouver / NLM (Citing Medicine, 2nd ed.), matching citeproc-js with vancouver.csl.

Citing Medicine ch. 2: up to 6 authors then "et al."; the journal's NLM abbreviation; date as
`2014 Dec` or `2014 Dec 16`; page ranges with the repeated leading digits dropped (`725–53`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..model import Record, split_pages
from . import Options
from ._text import EN_DASH, MONTHS_SHORT, ama_name, end_with_period, lit, medical_entry, numbered

MAX_LISTED = 6


def abbreviated_pages(page: str | None) -> str | None:
    """`1145-1152` → `1145–52`, `S10-S16` → `S10–6` (Citing Medicine, "Location (Pagination)")."""
    first, last = split_pages(page)
    if first is None:
        return None
    if last is None:
        return first
    if len(first) == len(last):
        i = 0
        while i < len(last) - 1 and first[i] == last[i]:
            i += 1
        last = last[i:]
    return f"{first}{EN_DASH}{last}"


def date(record: Record) -> str:
    if not record.year:
        return "[date unknown]"
    text = str(record.year)
    if record.month:
        text += f" {MONTHS_SHORT[record.month - 1]}"
        if record.day:
            text += f" {record.day}"
    return text


def entry(record: Record, options: Options) -> str:
    names = [ama_name(n) for n in record.author]
    if len(names) > MAX_LISTED:
        names = names[:MAX_LISTED] + ["et al."]
    journal = record.container_title_short or record.container_title
    return medical_entry(
        record, options, names,
        journal=end_with_period(lit(journal)) if journal else "",
        date=date(record),
        pages=record.number or abbreviated_pages(record.page),
    )


def render_iter(records: Iterable[Record], options: Options) -> Iterator[str]:
    return numbered(records, options, entry)
