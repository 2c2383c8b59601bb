"""Reference text → records. This module owns the chain:

    reference text ──► Reference ──► bundled | file | store | sources, in registry order ──► Record(s)

- `parse_reference` classifies what the user wrote: a DOI, PMID or PMCID in any pasted form, a
  file of records, or bare digits (a PMID, unless a file of that name exists).
- `Resolver.local` answers without the network: the bundled article (by its DOI, PMID or
  PMCID), files, standard input, the store (by any identifier a record carries).
- `Resolver.fetch` asks the network sources (`sources.REGISTRY`, in order) for the rest, many at
  once, each source within its own politeness policy, and stores what it got. For each
  identifier the first source that resolves its kind and knows it gives the record; a record
  without a labelled abstract is then offered to the later sources that supply abstracts, and
  takes their abstract (and the PMID/PMCID/MeSH they learnt) when it is better. Nothing here
  names a source.

Errors stay typed: each identifier ends with a Record or a QuarterlyError, never a string.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Generator, Iterable, Sequence
from contextlib import closing
from functools import cache
from typing import TYPE_CHECKING, NamedTuple, Protocol

from . import doi as doi_mod
from . import identifiers
from .bundled import bundled_record
from .errors import (
    BadReferenceError,
    NotFoundError,
    OfflineError,
    QuarterlyError,
    SourceError,
    UsageError,
)
from .identifiers import Identifier
from .model import Record
from .sources import AUTO, choices

if TYPE_CHECKING:
    from .sources.http import Gate
    from .sources.seam import Source
    from .store import Store

Outcome = Record | QuarterlyError


class TextStream(Protocol):
    """Standard input as a stream of text (`fileio.StdinText`)."""

    def read(self, size: int = -1, /) -> str: ...


Progress = Callable[[int, int], None]  # (done, total) network lookups


class Reference(NamedTuple):
    """What one reference names: an identifier, a file, standard input or the bundled article.
    A NamedTuple rather than a frozen dataclass, as model.Name: its class costs start-up
    ~0.7 M instructions rather than ~4 M (callgrind)."""

    text: str  # as the user wrote it, for messages
    identifier: Identifier | None = None
    path: str | None = None  # a file of records (BibTeX, RIS, CSL-JSON)
    stdin: bool = False  # a whole document on standard input
    bundled: bool = False


@cache
def _bundled_keys() -> frozenset[tuple[str, str]]:
    return frozenset((i.kind, i.key) for i in identifiers.of_record(bundled_record()))


def is_bundled(identifier: Identifier) -> bool:
    """Whether the identifier names the bundled article (its DOI, PMID or PMCID)."""
    return (identifier.kind, identifier.key) in _bundled_keys()


def parse_reference(text: str) -> Reference:
    """Classify one reference; raises BadReferenceError (exit 2) for anything unrecognised."""
    stripped = text.strip()
    found = identifiers.parse(stripped)
    if found is None:
        path = os.path.expanduser(stripped)
        # Any path but a folder: a named pipe too, as `quarterly cite <(curl …)` gives.
        if stripped and os.path.exists(path) and not os.path.isdir(path):
            return Reference(text, path=path)
        digits = identifiers.trim_prose(stripped)
        pmid = identifiers.valid_pmid(digits) if digits.isdigit() else None
        if pmid is None:
            if stripped and any(stripped.endswith(s) for s in (".bib", ".ris", ".json")):
                raise BadReferenceError(f"No such file: {stripped}. Check the path.")
            raise BadReferenceError(
                f"Not a DOI, PMID, PMCID or file: {stripped!r}. Give a DOI as "
                f"{doi_mod.ACCEPTED_FORMS}, a PMID as 25492602 or pmid:25492602, a PMCID as "
                "PMC4266174, or a .bib, .ris or .json file.")
        found = Identifier("pmid", pmid)
    return Reference(text, identifier=found, bundled=is_bundled(found))


class Resolver:
    """Records for references: locally (`local`) or from the network sources (`fetch`). A plain
    class, not a dataclass (batch.Item says why)."""

    def __init__(self, offline: bool = False, refresh: bool = False, source: str = AUTO,
                 _store: Store | None = None) -> None:
        self.offline = offline
        self.refresh = refresh
        self.source = source  # `auto` (every source, in registry order) or one registry name
        self._store = _store
        self._gates: dict[str, Gate] = {}
        if self.offline and self.refresh:
            raise UsageError("--offline and --refresh contradict each other: choose one.")
        if self.source not in choices():
            raise UsageError(f"Unknown source {self.source!r}: choose one of "
                             f"{', '.join(choices())}.")

    @property
    def store(self) -> Store:
        """Opened on first use: the bundled article and files need neither sqlite3 nor the store."""
        if self._store is None:
            from .store import Store

            self._store = Store()
        return self._store

    # -- without the network --
    def local(self, ref: Reference,
              stdin_text: str | TextStream | None = None) -> Iterable[Record] | None:
        """The records for `ref` without the network, or None when they must be fetched.
        Raises OfflineError when they must be fetched and --offline forbids it."""
        if ref.bundled:
            return [bundled_record()]
        if ref.identifier is None:
            from .readers import iter_path, read_text

            if ref.path is not None:
                return iter_path(ref.path)
            if stdin_text is None or isinstance(stdin_text, str):
                return read_text(stdin_text or "", "standard input")
            from .readers.csljson import iter_items

            # A CSL-JSON document, streamed: iter_items only ever calls read(size).
            return iter_items(stdin_text, "standard input")
        if not self.refresh:
            stored = self.store.find(ref.identifier)
            if stored is not None:
                return [stored.record]
        if self.offline:
            raise OfflineError(
                "not in the local store, and --offline forbids the network. "
                "Run once without --offline to fetch it."
            )
        return None

    # -- through the sources --
    def _sources(self) -> list[Source]:
        from .sources import REGISTRY, load

        return [load(name) for name in (REGISTRY if self.source == AUTO else (self.source,))]

    def _gate(self, source: Source) -> Gate:
        if source.name not in self._gates:
            from .sources.http import Gate

            policy = source.policy()
            self._gates[source.name] = Gate(policy.concurrency, policy.per_second)
        return self._gates[source.name]

    def fetch(self, wanted: Sequence[Identifier],
              progress: Progress | None = None) -> Generator[Outcome, None, None]:
        """A Record or a QuarterlyError for each identifier, in the order given, each yielded as
        soon as it and those before it are settled. Complete records are stored. Closing the
        iterator early (`--strict`) cancels the requests not yet started."""
        sources = self._sources()
        chains = [_Chain(i, [s for s in sources if i.kind in s.kinds]) for i in wanted]
        settled: dict[int, Outcome] = {}
        work: dict[str, list[int]] = {}
        by_name = {s.name: s for s in sources}
        for n, chain in enumerate(chains):
            step = chain.next()
            if step is None:
                settled[n] = self._finish(chain)
            else:
                work.setdefault(step.name, []).append(n)
        done, emitted = len(settled), 0
        while True:
            while emitted in settled:
                yield settled.pop(emitted)
                emitted += 1
            if not work:
                break
            following: dict[str, list[int]] = {}
            with closing(self._run(work, chains, by_name)) as events:
                for n, source, outcome in events:
                    chain = chains[n]
                    chain.take(source, outcome)
                    step = chain.next()
                    if step is not None:
                        following.setdefault(step.name, []).append(n)
                        continue
                    settled[n] = self._finish(chain)
                    done += 1
                    if progress is not None:
                        progress(done, len(chains))
                    while emitted in settled:
                        yield settled.pop(emitted)
                        emitted += 1
            work = following

    def _run(self, work: dict[str, list[int]], chains: list[_Chain],
             by_name: dict[str, Source]) -> Generator[tuple[int, Source, Outcome], None, None]:
        """One round: each source in `work` gets its identifiers at once (a thread per source;
        the source spreads them over its own connections). Events come back on this thread, where
        the store may be used, as they arrive."""
        import queue
        from concurrent.futures import ThreadPoolExecutor

        from .sources.http import Cancelled

        events: queue.Queue = queue.Queue()
        finished = object()

        def drive(source: Source, gate: Gate, numbers: list[int]) -> None:
            waiting: dict[tuple[str, str], list[int]] = {}
            for n in numbers:
                identifier = chains[n].identifier
                waiting.setdefault((identifier.kind, identifier.key), []).append(n)
            unique = [chains[ns[0]].identifier for ns in waiting.values()]
            try:
                lost: QuarterlyError
                try:
                    for identifier, outcome in source.fetch_many(unique, gate):
                        for n in waiting.pop((identifier.kind, identifier.key), []):
                            events.put((n, source, outcome))
                    lost = SourceError(f"{source.label} gave no answer for it. Try again later.")
                except QuarterlyError as exc:
                    lost = exc
                for ns in waiting.values():
                    for n in ns:
                        events.put((n, source, lost))
            except Cancelled:
                pass
            except BaseException as exc:  # a bug: re-raised on the calling thread
                events.put(exc)
            finally:
                events.put(finished)

        pool = ThreadPoolExecutor(max_workers=len(work))
        try:
            for name, numbers in work.items():
                pool.submit(drive, by_name[name], self._gate(by_name[name]), numbers)
            running = len(work)
            while running:
                event = events.get()
                if event is finished:
                    running -= 1
                elif isinstance(event, BaseException):
                    raise event
                else:
                    yield event
        except BaseException:  # Ctrl-C (wherever the main thread was), --strict, a bug
            for gate in self._gates.values():
                gate.cancel()  # requests not yet started are never sent
            raise
        finally:
            # Never wait here for requests in flight: a socket read cannot be interrupted, and
            # Ctrl-C must end the run at once (the CLI ends the process; what was settled is
            # already in the store). After a normal round every thread has finished anyway.
            pool.shutdown(wait=False, cancel_futures=True)

    def _finish(self, chain: _Chain) -> Outcome:
        from .diagnostics import warn

        if chain.record is None:
            return self._hint(chain.identifier, chain.failure())
        for note in chain.notes:
            warn(f"{chain.identifier}: {note}")
        # A record a source could not complete (an abstract source that failed) is shown but
        # not stored, so that the next lookup tries again; a read-only store keeps nothing.
        if not chain.notes and identifiers.of_record(chain.record) and self._writable():
            self.store.put(chain.record)
        return chain.record

    def _hint(self, identifier: Identifier, error: QuarterlyError) -> QuarterlyError:
        """A network failure under --refresh for a record the store holds: say that the stored
        copy is still there. That is the only case where --offline would help: without --refresh
        a record is fetched only because it is not stored."""
        if not (self.refresh and isinstance(error, SourceError)):
            return error
        if self.store.find(identifier) is None:
            return error
        return SourceError(f"{error} The stored copy is still there: drop --refresh, or use "
                           "--offline, to use it.")

    def _writable(self) -> bool:
        """Whether fetched records can be kept (a store in a read-only place is opened read-only;
        that is known once it is open, and `--refresh` may not have opened it yet)."""
        self.store.conn  # noqa: B018 - opens it
        return not self.store.read_only

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


def _labelled(record: Record) -> bool:
    return any(section.label for section in record.abstract)


def merge(record: Record, other: Record) -> Record:
    """`record` with what `other` (the same work, from an abstract source) adds: its abstract
    (sections and Policy Points) when `record` has none, or has no section labels where `other`
    has them; the PMID, PMCID and MeSH headings `record` lacks."""
    changes: dict[str, object] = {}
    better = bool(other.abstract) and (
        not record.abstract or (not _labelled(record) and _labelled(other)))
    if better or (not record.abstract and not record.policy_points and other.policy_points):
        changes.update(abstract=other.abstract or record.abstract,
                       policy_points=record.policy_points or other.policy_points,
                       abstract_source=other.abstract_source)
    if other.PMID and not record.PMID:
        changes["PMID"] = other.PMID
    if other.PMCID and not record.PMCID:
        changes["PMCID"] = other.PMCID
    if other.mesh and not record.mesh:
        changes["mesh"] = other.mesh
    return record.with_(**changes) if changes else record


class _Chain:
    """One identifier's way through the sources (a plain class: batch.Item says why)."""

    __slots__ = ("identifier", "todo", "record", "failures", "notes")

    def __init__(self, identifier: Identifier, todo: list[Source]) -> None:
        self.identifier = identifier
        self.todo = todo  # sources not yet asked, in order
        self.record: Record | None = None
        self.failures: list[tuple[Source, QuarterlyError]] = []
        self.notes: list[str] = []  # why the record is incomplete

    def next(self) -> Source | None:
        """The source to ask next, or None when the chain is settled."""
        if self.record is None:
            return self.todo.pop(0) if self.todo else None
        if _labelled(self.record):
            return None
        while self.todo:
            source = self.todo.pop(0)
            if source.abstracts:
                return source
        return None

    def take(self, source: Source, outcome: Outcome) -> None:
        if isinstance(outcome, QuarterlyError):
            if not outcome.per_item:
                raise outcome
            if self.record is None:
                self.failures.append((source, outcome))
            elif not isinstance(outcome, NotFoundError):
                self.notes.append(f"{source.label} could not be asked for an abstract "
                                  f"({outcome}); not stored, so the next lookup asks again.")
        elif self.record is None:
            self.record = outcome
        else:
            self.record = merge(self.record, outcome)

    def failure(self) -> QuarterlyError:
        label = self.identifier.label
        if not self.failures:
            return NotFoundError(f"no source chosen looks up a {label}. Use --source auto, or "
                                 "a source that does.")
        # A source that failed (rather than answering "not found") might have known it: its
        # error, which says to try again, is the one to report.
        for _, error in self.failures:
            if not isinstance(error, NotFoundError):
                return error
        if len(self.failures) == 1:
            return self.failures[0][1]
        names = [source.label for source, _ in self.failures]
        return NotFoundError(f"no record at {', '.join(names[:-1])} or {names[-1]}. Check the "
                             f"{label} for typos.")
