"""APA 7th edition (journal article), matching citeproc-js with apa.csl byte for byte.

APA 7 §9.8 (authors), §9.14 (dates), §9.17 (sentence-case titles), §9.25-9.26 (periodicals),
§9.34 (DOIs). See docs/format-rules.md for the corner cases.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache

from .. import doi as doi_mod
from ..model import Name, Record, page_range
from . import Options
from ._fields import letters
from ._text import (
    EN_DASH,
    end_with_period,
    entry_id,
    finish,
    initials,
    italic,
    lit,
    name_sort_key,
    sort_text,
    title_of,
)

# APA 7 §9.8: up to 20 authors are listed; from 21 on, the first 19, an ellipsis, the last.
MAX_LISTED = 20
FIRST_WHEN_TRUNCATED = 19


@lru_cache(maxsize=1 << 14)  # authors recur across a library
def name(n: Name) -> str:
    if n.literal is not None:
        return lit(n.literal)
    text = n.full_family
    if n.given:
        text += ", " + initials(n.given, with_periods=True)
    if n.dropping_particle:
        text += " " + n.dropping_particle
    if n.suffix:
        text += ", " + n.suffix
    return lit(text)


def authors(names: Sequence[Name]) -> str:
    rendered = [name(n) for n in names]
    if not rendered:
        return ""
    if len(rendered) > MAX_LISTED:
        return ", ".join(rendered[:FIRST_WHEN_TRUNCATED]) + ", … " + rendered[-1]
    if len(rendered) == 1:
        return rendered[0]
    if len(rendered) == 2:
        return f"{rendered[0]}, & {rendered[1]}"
    return ", ".join(rendered[:-1]) + ", & " + rendered[-1]


def source(record: Record) -> str:
    parts = italic(lit(record.container_title)) if record.container_title else ""
    if record.volume:
        parts += f", {italic(lit(record.volume))}"
        if record.issue:
            parts += f"({lit(record.issue)})"
    elif record.issue:
        parts += f", ({lit(record.issue)})"
    if record.number:
        parts += f", Article {lit(record.number)}"
    elif record.page:
        parts += f", {lit(page_range(record.page, EN_DASH) or '')}"
    return parts


def entry(record: Record, options: Options, year_suffix: str = "", who: str | None = None) -> str:
    year = f"{record.year}{year_suffix}" if record.year else f"n.d.{'-' + year_suffix if year_suffix else ''}"
    title = end_with_period(title_of(record, options.keep_case))
    if record.author:
        who = who if who is not None else authors(record.author)
        head = f"{who if who.endswith('.') else who + '.'} ({year}). {title}"
    else:
        head = f"{title} ({year})."
    text = head
    src = source(record)
    if src:
        text += f" {src}."
    if record.DOI:
        text += f" {lit(doi_mod.url(record.DOI))}"
    elif record.URL:
        text += f" {lit(record.URL)}"
    return text


def _sort_key(record: Record) -> tuple:
    names = tuple(name_sort_key(n) for n in record.author) or (sort_text(record.title),)
    return (names, record.issued.parts if record.issued else (9999,), sort_text(record.title))


def render(records: Sequence[Record], options: Options) -> str:
    """A reference list: sorted by author and date, same author and year as 2016a, 2016b (§8.19)."""
    indexed = list(enumerate(records))
    if len(records) > 1:
        indexed.sort(key=lambda pair: _sort_key(pair[1]))
    who = [authors(record.author) for _, record in indexed]
    groups: dict[tuple[str, int | None], list[int]] = defaultdict(list)
    for position, (_, record) in enumerate(indexed):
        groups[(who[position], record.year)].append(position)
    suffix = [""] * len(indexed)
    for members in groups.values():
        if len(members) > 1:
            for n, position in enumerate(members):
                suffix[position] = letters(n)
    entries = [
        (entry_id(record, i), entry(record, options, suffix[pos], who[pos]))
        for pos, (i, record) in enumerate(indexed)
    ]
    return finish(entries, options.markup, numbered=False)
