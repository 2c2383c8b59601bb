"""Many references in one call: expand them, resolve them through `resolve.Resolver`, keep input
order, report per item.

Failure contract (README, "Exit codes"): one bad item never stops the others; each failure is
reported once, as the typed QuarterlyError it was raised as (the CLI prints it); `--strict` stops
at the first. Malformed references given as arguments are usage errors (exit 2) before anything
is looked up; malformed lines read from stdin are item failures.

This module reads no stream and draws nothing: the caller hands it standard input's text and a
progress callback. Where records come from, and how hard each source may be asked, is
`resolve.py`'s business.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from typing import NamedTuple, TypeVar

from .errors import BadReferenceError, QuarterlyError, UsageError
from .model import Record
from .resolve import Progress, Reference, Resolver, TextStream, parse_reference
from .sources import AUTO

T = TypeVar("T")


# Item and Result are plain classes rather than dataclasses, as are resolve's Resolver and
# _Chain: nothing compares or prints them, and making the four dataclasses cost every start-up
# ~8 M instructions (callgrind; dataclasses compiles each generated method). Every dataclass
# left on the start-up path has a docstring: for one without, dataclasses writes one from
# inspect.signature (~0.25 M each).
class Item:
    """One reference as given, and its records or its error."""

    __slots__ = ("reference", "records", "error")

    def __init__(self, reference: str, records: Iterable[Record] = (),
                 error: QuarterlyError | None = None) -> None:
        self.reference = reference
        self.records = records  # a list, or a lazy reader for a big file (read once)
        self.error = error


class FailedItem(NamedTuple):
    """A reference that failed, and why. A NamedTuple rather than a frozen dataclass, as
    model.Name: its class costs start-up ~0.6 M instructions rather than ~3 M (callgrind)."""

    reference: str
    error: QuarterlyError


class Result:
    """Every reference of a call, in input order."""

    __slots__ = ("items",)

    def __init__(self, items: list[Item]) -> None:
        self.items = items

    @property
    def records(self) -> list[Record]:
        return list(self.iter_records())

    def iter_records(self) -> Iterator[Record]:
        for item in self.items:
            yield from item.records

    @property
    def failures(self) -> list[FailedItem]:
        return [FailedItem(i.reference, i.error) for i in self.items if i.error is not None]


def _stdin_items(text: str | TextStream) -> list[tuple[str, Reference | QuarterlyError]]:
    """`-`: a whole BibTeX/RIS/CSL-JSON document (a stream is one), or one reference per line."""
    from .readers import sniff

    if not isinstance(text, str) or sniff(text) is not None:
        return [("-", Reference("-", stdin=True))]
    out: list[tuple[str, Reference | QuarterlyError]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            out.append((line, parse_reference(line)))
        except BadReferenceError as exc:
            out.append((line, exc))
    return out


def expand(
    references: tuple[str, ...], stdin_text: str | TextStream | None
) -> list[tuple[str, Reference | QuarterlyError]]:
    if not references:
        return [("(bundled)", Reference("(bundled)", bundled=True))]
    if sum(text.strip() == "-" for text in references) > 1:
        raise UsageError("`-` (standard input) can be given once: it is read once.")
    out: list[tuple[str, Reference | QuarterlyError]] = []
    for text in references:
        if text.strip() == "-":
            from_stdin = _stdin_items(stdin_text or "")
            if not from_stdin:
                raise BadReferenceError(
                    "Standard input held no references: give one DOI, PMID, PMCID or file per "
                    "line, or a BibTeX, RIS or CSL-JSON document.")
            out += from_stdin
        else:
            out.append((text, parse_reference(text)))
    return out


def collect(references: tuple[str, ...], *, stdin_text: str | TextStream | None = None,
            offline: bool = False, refresh: bool = False, strict: bool = False,
            source: str = AUTO, progress: Progress | None = None,
            waiting: Callable[[str], None] | None = None) -> Result:
    """Resolve every reference. `stdin_text` is what `-` stands for: its text, or a stream of a
    CSL-JSON document (read lazily); `progress(done, total)` is called as network lookups
    finish, and `waiting(reference)` with the reference the output waits on (the first in input
    order not yet settled) as they start and settle."""
    resolver = Resolver(offline=offline, refresh=refresh, source=source)
    expanded = expand(references, stdin_text)
    items = [Item(text) for text, _ in expanded]
    to_fetch: list[int] = []
    try:
        for n, (_, ref) in enumerate(expanded):
            if isinstance(ref, QuarterlyError):
                items[n].error = ref
            else:
                try:
                    records = resolver.local(ref, stdin_text)
                except QuarterlyError as exc:
                    if not exc.per_item:
                        raise
                    items[n].error = exc
                else:
                    if records is None:
                        to_fetch.append(n)
                    else:
                        items[n].records = records
            if strict and items[n].error is not None:
                items = items[: n + 1]  # the lookups queued before it still run
                break
        if to_fetch:
            wanted = [ref.identifier for n in to_fetch
                      for ref in [expanded[n][1]] if isinstance(ref, Reference) and ref.identifier]
            with closing(resolver.fetch(wanted, progress)) as outcomes:
                for n, outcome in zip(to_fetch, _announced(outcomes, to_fetch, items, waiting),
                                      strict=True):
                    if isinstance(outcome, QuarterlyError):
                        items[n].error = outcome
                        if strict:
                            break
                    else:
                        items[n].records = [outcome]
    finally:
        resolver.close()
    if strict:
        for n, item in enumerate(items):
            if item.error is not None:
                return Result(items[: n + 1])
    return Result(items)


def _announced(outcomes: Iterator[T], numbers: list[int], items: list[Item],
               waiting: Callable[[str], None] | None) -> Iterator[T]:
    """`outcomes`, telling `waiting` before each which reference is awaited."""
    for n in numbers:
        if waiting is not None:
            waiting(items[n].reference)
        try:
            outcome = next(outcomes)
        except StopIteration:
            return
        yield outcome
