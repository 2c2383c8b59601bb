"""What a source is: the types every source module fills in, and the helper they share to run
requests side by side. See `sources/__init__.py` for the registry and the chain's rules."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from ..errors import QuarterlyError
    from ..identifiers import Identifier
    from ..model import Record
    from .http import Gate

    Outcome = Record | QuarterlyError


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


def one_request_each(fetch: Callable[[str, Gate], Record]) -> Callable[
        [Sequence[Identifier], Gate], Iterator[tuple[Identifier, Outcome]]]:
    """`fetch_many` for a source that asks one request per identifier (`fetch(value, gate)`),
    as many at once as its gate allows; an error stays typed, as the identifier's outcome."""
    from ..errors import QuarterlyError

    def fetch_many(identifiers: Sequence[Identifier],
                   gate: Gate) -> Iterator[tuple[Identifier, Outcome]]:
        def one(identifier: Identifier) -> Outcome:
            try:
                return fetch(identifier.value, gate)
            except QuarterlyError as exc:
                return exc

        yield from concurrently(one, identifiers, gate.limit)

    return fetch_many
