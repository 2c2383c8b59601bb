"""Many references in one call: expand them, look DOIs up concurrently, keep input order.

Failure contract (README, "Exit codes"): one bad item never stops the others; each failure is
reported once; `--strict` stops at the first. Malformed references given as arguments are usage
errors (exit 2) before anything is looked up; malformed lines read from stdin are item failures.

Concurrency is bounded by what Crossref allows the pool in use: 1 request at a time in the
public pool, 5 in the polite pool (QUARTERLY_MAILTO set), and lowered or paced further when
Crossref's answers carry `x-concurrency-limit` / `x-rate-limit-*` headers. Network fetches run
in worker threads; the store is read and written only from the calling thread.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .bundled import bundled_record
from .errors import BadReferenceError, QuarterlyError, UsageError
from .model import Record
from .resolve import Reference, Resolver, parse_reference

PUBLIC_POOL_CONCURRENCY = 1
POLITE_POOL_CONCURRENCY = 5
PROGRESS_THRESHOLD = 5


@dataclass
class Item:
    reference: str
    records: Iterable[Record] = ()  # a list, or a lazy reader for a big file (read once)
    error: str | None = None


@dataclass
class Result:
    items: list[Item]

    @property
    def records(self) -> list[Record]:
        return list(self.iter_records())

    def iter_records(self) -> Iterator[Record]:
        for item in self.items:
            yield from item.records

    @property
    def failures(self) -> list[FailedItem]:
        return [FailedItem(i.reference, i.error) for i in self.items if i.error is not None]


@dataclass(frozen=True)
class FailedItem:
    reference: str
    message: str


def _stdin_items(text: str) -> list[tuple[str, Reference | QuarterlyError]]:
    """`-`: a whole BibTeX/RIS/CSL-JSON document, or one reference per line."""
    from .readers import sniff

    if sniff(text) is not None:
        return [("-", Reference("-", path=None))]
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
    references: tuple[str, ...], stdin_text: str | None
) -> list[tuple[str, Reference | QuarterlyError]]:
    if not references:
        return [("(bundled)", Reference("(bundled)", bundled=True))]
    out: list[tuple[str, Reference | QuarterlyError]] = []
    for text in references:
        if text.strip() == "-":
            from_stdin = _stdin_items(stdin_text or "")
            if not from_stdin:
                raise BadReferenceError(
                    "Standard input held no references: give one DOI or file per line, or a "
                    "BibTeX, RIS or CSL-JSON document.")
            out += from_stdin
        else:
            out.append((text, parse_reference(text)))
    return out


def concurrency() -> int:
    from .sources.crossref import mailto

    return POLITE_POOL_CONCURRENCY if mailto() else PUBLIC_POOL_CONCURRENCY


def collect(references: tuple[str, ...], *, offline: bool, refresh: bool, strict: bool,
            progress: bool | None) -> Result:
    if offline and refresh:
        raise UsageError("--offline and --refresh contradict each other: choose one.")
    stdin_text = sys.stdin.read() if any(r.strip() == "-" for r in references) else None
    expanded = expand(references, stdin_text)
    items = [Item(text) for text, _ in expanded]
    resolver = Resolver(offline=offline, refresh=refresh)
    to_fetch: list[tuple[int, str]] = []
    try:
        for n, (_, ref) in enumerate(expanded):
            if isinstance(ref, QuarterlyError):
                items[n].error = str(ref)
            else:
                _resolve_local(items[n], ref, resolver, stdin_text, to_fetch, n)
            if strict and items[n].error:
                return Result(items[: n + 1])
        if to_fetch:
            _fetch_all(items, to_fetch, resolver, strict, progress)
    finally:
        resolver.close()
    if strict:
        for n, item in enumerate(items):
            if item.error:
                return Result(items[: n + 1])
    return Result(items)


def _resolve_local(item: Item, ref: Reference, resolver: Resolver, stdin_text: str | None,
                   to_fetch: list[tuple[int, str]], n: int) -> None:
    """Bundled, file and stored records now; DOIs that need the network are queued."""
    from .readers import iter_path, read_text

    try:
        if ref.bundled:
            item.records = [bundled_record()]
        elif ref.doi is not None:
            record = resolver.local(ref.doi)
            if record is None:
                to_fetch.append((n, ref.doi))
            else:
                item.records = [record]
        elif ref.path is None:
            item.records = read_text(stdin_text or "", "standard input")
        else:
            item.records = iter_path(ref.path)
    except QuarterlyError as exc:
        if not exc.per_item:
            raise
        item.error = str(exc)


def _fetch_all(items: list[Item], to_fetch: list[tuple[int, str]], resolver: Resolver,
               strict: bool, progress: bool | None) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from .sources import crossref
    from .sources.http import Gate

    show = progress if progress is not None else (sys.stderr.isatty()
                                                  and len(to_fetch) > PROGRESS_THRESHOLD)
    bar = _ProgressBar(len(to_fetch)) if show else None
    try:
        allowed = concurrency()
        gate = Gate(allowed)
        with ThreadPoolExecutor(max_workers=allowed) as pool:
            futures = [(n, pool.submit(crossref.fetch, doi, gate)) for n, doi in to_fetch]
            for n, future in futures:
                try:
                    record = future.result()
                    resolver.store.put(record)
                    items[n].records = [record]
                except QuarterlyError as exc:
                    if not exc.per_item:
                        raise
                    items[n].error = str(exc)
                    if strict:
                        for _, other in futures:
                            other.cancel()
                        break
                finally:
                    if bar is not None:
                        bar.advance()
    finally:
        if bar is not None:
            bar.stop()


class _ProgressBar:
    """A Rich progress bar on stderr (Rich imported only when one is shown)."""

    def __init__(self, total: int) -> None:
        from rich.console import Console
        from rich.progress import Progress

        self.progress = Progress(console=Console(stderr=True), transient=True)
        self.task = self.progress.add_task("Looking up DOIs", total=total)
        self.progress.start()

    def advance(self) -> None:
        self.progress.advance(self.task)

    def stop(self) -> None:
        self.progress.stop()
