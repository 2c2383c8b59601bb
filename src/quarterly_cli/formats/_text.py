"""Shared pieces of the native text styles (APA, AMA, Vancouver).

Each style builds one CSL rich-text string per record (`<i>` marks italics, everything else is
escaped literal text) and `finish()` turns it into plain text, HTML, Markdown or terminal italics.
The HTML wrappers reproduce citeproc-js's `makeBibliography()` output byte for byte.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from .. import casing, markup
from ..model import Name, Record

if TYPE_CHECKING:
    from . import Options

MONTHS_SHORT = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
EN_DASH = "–"


def lit(text: str) -> str:
    """Plain text made safe to embed in rich text, with the typographic apostrophe.

    citeproc-js prints `'` as `’` in every text field; we do the same.
    """
    return markup.literal(text).replace("'", "’")


def rich(text: str) -> str:
    """Rich text from the record (titles), with the typographic apostrophe outside tags."""
    if "'" not in text:
        return text
    return markup.unparse(
        [markup.Span(s.text.replace("'", "’"), s.styles) for s in markup.parse(text)]
    )


def italic(text: str) -> str:
    return f"<i>{text}</i>"


def title_of(record: Record, keep_case: bool) -> str:
    """The article title as the text styles print it: sentence case unless told otherwise."""
    title = record.title if keep_case else casing.sentence_case(record.title)[0]
    return rich(title)


def end_with_period(text: str) -> str:
    """Add a period unless the text already ends with terminal punctuation."""
    tail = text.rstrip()
    if tail.endswith(">"):  # ends in a tag: look at the text inside it
        tail = markup.plain(tail).rstrip()
    return text if tail.endswith((".", "?", "!")) else text + "."


_INITIAL_SPLIT = re.compile(r"[\s.]+")


@lru_cache(maxsize=1 << 14)  # given names repeat across a library
def initials(given: str, with_periods: bool) -> str:
    """`Christopher F.` → `C. F.` / `CF`; `Jean-Paul` → `J.-P.` / `JP` (APA 7 §9.8, NLM)."""
    out = []
    for word in _INITIAL_SPLIT.split(given.strip()):
        if not word:
            continue
        parts = [p for p in word.split("-") if p]
        if with_periods:
            out.append("-".join(p[0] + "." for p in parts))
        else:
            out.append("".join(p[0] for p in parts))
    return " ".join(out) if with_periods else "".join(out)


def finish(entries: Iterable[tuple[str, str]], markup_kind: str, numbered: bool) -> str:
    """Join (entry id, rich text) pairs into one bibliography in the chosen markup."""
    return "".join(finish_iter(entries, markup_kind, numbered))


def finish_iter(entries: Iterable[tuple[str, str]], markup_kind: str,
                numbered: bool) -> Iterator[str]:
    """`finish`, one entry at a time (for bibliographies too large to hold as one string)."""
    if markup_kind == "html":
        yield from _html(entries, numbered)
        return
    convert: Callable[[str], str] = {
        "text": _plain, "markdown": markup.to_markdown, "ansi": _ansi,
    }[markup_kind]
    for n, (_, text) in enumerate(entries, 1):
        body = convert(text)
        yield f"{n}. {body}\n" if numbered else body + "\n"


def _plain(text: str) -> str:
    return markup.strip_controls(markup.plain(text))


def _ansi(text: str) -> str:
    # SGR 3/23: italics on/off. Text is stripped of control characters first.
    return markup.wrap(
        markup.parse(text), markup.strip_controls, {"i": ("\x1b[3m", "\x1b[23m"),
                                                    "b": ("\x1b[1m", "\x1b[22m")}
    )


def _html(entries: Iterable[tuple[str, str]], numbered: bool) -> Iterator[str]:
    yield '<div class="csl-bib-body">\n'
    for n, (entry_id, text) in enumerate(entries, 1):
        attr = markup.escape_html(entry_id)
        body = markup.to_html(text)
        if numbered:
            yield (
                f'  <div data-csl-entry-id="{attr}" class="csl-entry">\n'
                f'    <div class="csl-left-margin">{n}.</div>'
                f'<div class="csl-right-inline">{body}</div>\n  </div>\n'
            )
        else:
            yield f'  <div data-csl-entry-id="{attr}" class="csl-entry">{body}</div>\n'
    yield "</div>\n"


def entry_id(record: Record, index: int) -> str:
    return record.id or record.DOI or f"item-{index}"


_NOT_SORTED = re.compile(r"[^\w ]|_")


def sort_text(text: str) -> str:
    """Collation key close to citeproc-js's locale compare: accents and punctuation ignored."""
    text = markup.plain(text)
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
    return _NOT_SORTED.sub("", text).casefold()


@lru_cache(maxsize=1 << 14)
def name_sort_key(name: Name) -> str:
    if name.literal is not None:
        return sort_text(name.literal)
    return sort_text(f"{name.full_family} {name.given or ''}")


def ama_name(name: Name) -> str:
    """`Family II` with particles and suffix, as AMA 11 §3.6 and Citing Medicine print names."""
    if name.literal is not None:
        return lit(name.literal)
    parts = [name.full_family]
    if name.given:
        parts.append(initials(name.given, with_periods=False))
    if name.dropping_particle:
        parts.append(name.dropping_particle)
    if name.suffix:
        parts.append(name.suffix.replace(".", ""))
    return lit(" ".join(parts))


def medical_entry(record: Record, options: Options, authors: list[str], journal: str,
                  date: str, pages: str | None) -> str:
    """The shape AMA and Vancouver share: `Authors. Title. Journal. Date;Vol(Issue):Pages. doi:…`
    — the styles differ only in the pieces passed in (truncation, italics, date, page ranges)."""
    parts = []
    if authors:
        parts.append(end_with_period(", ".join(authors)))
    parts.append(end_with_period(title_of(record, options.keep_case)))
    if journal:
        parts.append(journal)
    parts.append(ama_date_volume_pages(record, date, pages))
    return " ".join(parts) + doi_suffix_ama(record)


def numbered(records: Iterable[Record], options: Options,
             entry: Callable[[Record, Options], str]) -> Iterator[str]:
    """A numbered bibliography in citation (input) order, one entry at a time."""
    entries = ((entry_id(r, i), entry(r, options)) for i, r in enumerate(records))
    return finish_iter(entries, options.markup, numbered=True)


def ama_date_volume_pages(record: Record, date: str, pages: str | None) -> str:
    """`2014;92(4):725-753.` — the source block shared by AMA and Vancouver."""
    text = date
    if record.volume:
        text += f";{lit(record.volume)}"
        if record.issue:
            text += f"({lit(record.issue)})"
    if pages:
        text += f":{lit(pages)}"
    return text + "."


def doi_suffix_ama(record: Record) -> str:
    return f" doi:{lit(record.DOI)}" if record.DOI else ""
