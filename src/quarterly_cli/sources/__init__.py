"""The network sources of records, and the one registry that lists them.

A source is one module that defines `SOURCE`: which identifiers it resolves (`doi`, `pmid`,
`pmcid`), how it fetches many at once, and its politeness (how many requests in flight, how many
per second; its headers are its own business). `resolve.py` runs the chain over the sources in
the order below — for each identifier, the first source that resolves its kind and knows it gives
the record; sources marked `abstracts` are then asked for an abstract the record lacks — and
nothing outside a source's module knows its name. Adding a source is one module and one line in
REGISTRY; `--source` offers its name at once.

Modules are imported only when a reference needs the network, so start-up stays cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from ..errors import QuarterlyError
    from ..identifiers import Identifier
    from ..model import Record
    from .http import Gate

    Outcome = Record | QuarterlyError

# name (as `--source` and a record's `source` say it) → module. The order is the chain's order.
REGISTRY: dict[str, str] = {
    "crossref": "crossref",
    "pubmed": "pubmed",
    "doi.org": "doiorg",
}
AUTO = "auto"  # `--source auto`: the whole chain


def choices() -> tuple[str, ...]:
    """What `--source` accepts."""
    return (AUTO, *REGISTRY)


@dataclass(frozen=True, slots=True)
class Policy:
    """How hard a source may be asked: requests in flight at once, and request starts per second
    (across all threads of the run)."""

    concurrency: int
    per_second: float


@dataclass(frozen=True, slots=True)
class Source:
    name: str  # a REGISTRY key
    label: str  # as messages name it: "Crossref"
    kinds: tuple[str, ...]  # identifier kinds it resolves
    policy: Callable[[], Policy]  # read at run time: it may depend on settings (an API key)
    # Every identifier given comes back once, with its record or its error (typed), in any order.
    fetch_many: Callable[[Sequence[Identifier], Gate], Iterator[tuple[Identifier, Outcome]]]
    abstracts: bool = False  # may be asked for the abstract of a record another source found


def load(name: str) -> Source:
    source: Source = import_module(f"{__name__}.{REGISTRY[name]}").SOURCE
    return source


T = TypeVar("T")
R = TypeVar("R")


def concurrently(work: Callable[[T], R], items: Iterable[T], limit: int) -> Iterator[tuple[T, R]]:
    """(item, work(item)) as each finishes, at most `limit` at once. Exceptions propagate; the
    Gate inside `work` is what keeps the pace."""
    from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

    items = list(items)
    if len(items) <= 1 or limit <= 1:
        for item in items:
            yield item, work(item)
        return
    with ThreadPoolExecutor(max_workers=min(limit, len(items))) as pool:
        pending = {pool.submit(work, item): item for item in items}
        try:
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield pending.pop(future), future.result()
        finally:
            for future in pending:
                future.cancel()
