"""`quarterly check`: is every reference of a list sound — not retracted, pointing at the work it
names, with the fields a style needs, cited once?

    references ──► entries (one per record of a file, or per DOI/PMID given) ──► registry records
    (store, else the sources) ──► fresh notices (Crossref's `updates:` filter) ──► best matches for
    entries without a DOI (`query.bibliographic`) ──► findings (pure) ──► report / fixed copy

The network steps run one after the other, each inside its source's politeness: look-ups of
references not in the store (`resolve.Resolver.fetch`: one request per reference), then the
notices of stored references last checked longer ago than `max_age` (a handful of requests for
hundreds of DOIs, `sources.crossref.fetch_updates`), then one bibliographic query per entry that
has no DOI or a DOI of another work. Everything after is pure functions over records, tested
without a server.

Severity levels, most serious first (README, "Checking a reference list"), and `--fail-on`: a
run fails when it finds anything at or above the chosen level, or when it could not check a
reference (a network failure, or `--offline` and not stored) — never counted as clean.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import doi as doi_mod
from . import identifiers, markup
from . import notices as notices_mod
from .batch import expand
from .bundled import bundled_record
from .errors import DamagedRecordError, NotFoundError, QuarterlyError, UsageError
from .identifiers import Identifier
from .model import Record, split_pages
from .notices import LEVELS
from .resolve import Resolver, is_bundled

if TYPE_CHECKING:
    from datetime import timedelta

NONE = "none"
UNCHECKED = "unchecked"
# Notice kinds (notices.KINDS) and the level each is reported at; `notice` (the reference is
# itself a notice) is not a problem with it.
_NOTICE_LEVELS = {"retracted": "retracted", "concern": "concern", "superseded": "superseded",
                  "corrected": "corrected"}

# Title similarity (0–1, normalised Indel similarity of the normalised titles, rapidfuzz's
# `fuzz.ratio`): at or above SAME_TITLE two titles are the same; below OTHER_WORK — unless the
# first author and the year agree — the DOI names another work.
SAME_TITLE = 0.90
OTHER_WORK = 0.60
# A bibliographic match is offered only when it is confident: Crossref's relevance score at least
# MATCH_SCORE (a floor against answers to a query that matched nothing well), title similarity at
# least MATCH_TITLE, the year within one (online and print years differ), the first author's
# family name the same — and no second candidate as good that is another work (unless only one
# has the entry's type: a journal article over its preprint).
MATCH_SCORE = 30.0
MATCH_TITLE = 0.90

# What `--style` needs of a journal article (APA 7 §9.4–9.6 and §10.1: author, date, title,
# periodical, volume, pages or article number; AMA 11 §3.11.1: journal, year, volume, issue,
# pages; Citing Medicine ch. 1 (Vancouver): journal, date, volume, pages), and of anything else
# (who, when, what).
STYLE_FIELDS = {
    "apa": ("author", "issued", "title", "container-title", "volume", "page"),
    "ama": ("author", "title", "container-title", "issued", "volume", "issue", "page"),
    "vancouver": ("author", "title", "container-title", "issued", "volume", "page"),
}
_OTHER_FIELDS = ("author", "issued", "title")
STYLES = tuple(STYLE_FIELDS)

# Fields `--fix` replaces with the registry's value when they disagree. Titles, journals and
# author lists are reported, not rewritten: their spelling (abbreviations, case protection,
# markup) is the author's choice.
FIXABLE = ("DOI", "year", "volume", "issue", "page")


@dataclass(frozen=True, slots=True)
class Finding:
    level: str  # one of LEVELS
    message: str  # one line: what is wrong, with both values
    field: str | None = None  # the field concerned (year, volume, DOI, …)
    yours: str | None = None  # the value in the reference list
    registry: str | None = None  # the registry's value
    fix: str | None = None  # the value `--fix` writes into `field`

    def to_dict(self) -> dict[str, object]:
        pairs = (("level", self.level), ("field", self.field), ("yours", self.yours),
                 ("registry", self.registry), ("message", self.message), ("fix", self.fix))
        return {k: v for k, v in pairs if v is not None}


@dataclass(frozen=True, slots=True)
class Match:
    """The registry's record a DOI-less entry most likely is."""
    record: Record
    score: float | None  # Crossref's relevance score (None: found by the entry's PMID)
    similarity: float
    registry: str  # "Crossref", "PubMed"


@dataclass
class Entry:
    key: str  # the citation key, or the reference as written
    origin: str  # the file it came from (`refs.bib`), `standard input`, or `argument`
    record: Record | None = None  # as read; None for a DOI or PMID given on the command line
    identifier: Identifier | None = None  # what the registry is asked for
    registry: Record | None = None  # the registry's record of that identifier
    missing: QuarterlyError | None = None  # the identifier is known nowhere
    unchecked: str | None = None  # why it could not be checked
    match: Match | None = None  # for an entry without a DOI, or with another work's
    searched: bool = False  # whether a match was looked for
    findings: list[Finding] = field(default_factory=list)

    @property
    def registry_label(self) -> str:
        return _label(self.registry.source) if self.registry is not None else "the registry"


@dataclass
class Report:
    entries: list[Entry]
    offline: bool = False

    @property
    def unchecked(self) -> list[Entry]:
        return [e for e in self.entries if e.unchecked]

    def counts(self) -> dict[str, int]:
        out = {level: 0 for level in LEVELS}
        for entry in self.entries:
            for finding in entry.findings:
                out[finding.level] += 1
        return {k: v for k, v in out.items() if v}

    def fails(self, fail_on: str) -> bool:
        """Whether the run should exit 1: a finding at or above `fail_on`, or a reference that
        could not be checked (unless `none`)."""
        if fail_on == NONE:
            return False
        limit = LEVELS.index(fail_on)
        found = any(LEVELS.index(f.level) <= limit for e in self.entries for f in e.findings)
        return found or bool(self.unchecked)


def _label(source: str) -> str:
    from .sources import REGISTRY, load

    if source == "bundled":
        return "the bundled record"
    return load(source).label if source in REGISTRY else source


# --- reading the references ---------------------------------------------------------------------

def _identifier_of(record: Record) -> Identifier | None:

    if record.DOI:
        return Identifier("doi", doi_mod.parse(record.DOI) or record.DOI.strip())
    found = identifiers.of_record(record)
    return found[0] if found else None


def read_entries(references: Sequence[str], stdin_text: str | None,
                 local: Callable) -> list[Entry]:
    """One entry per record of each file (or standard input document), and per DOI, PMID or
    PMCID given. `local(reference, stdin_text)` reads files (`Resolver.local`)."""
    entries: list[Entry] = []
    for text, ref in expand(tuple(references), stdin_text):
        if isinstance(ref, QuarterlyError):
            entries.append(Entry(text, "standard input", unchecked=str(ref)))
        elif ref.identifier is None and not ref.bundled:
            origin = os.path.basename(ref.path) if ref.path else "standard input"
            for n, record in enumerate(local(ref, stdin_text), 1):
                key = record.id or f"{origin}#{n}"
                entries.append(Entry(key, origin, record, _identifier_of(record)))
        elif ref.bundled:
            record = bundled_record()
            entries.append(Entry(text, "argument", None, _identifier_of(record), record))
        else:
            entries.append(Entry(text, "argument", None, ref.identifier))
    return entries


# --- the network steps --------------------------------------------------------------------------

def check(references: Sequence[str], *, stdin_text: str | None = None, offline: bool = False,
          source: str = "auto", max_age: timedelta | None = None,
          style: str | None = None, progress: Callable[[int, int], None] | None = None) -> Report:
    """Check every reference; see the module docstring for the steps. `max_age`: how old
    stored notices may be before they are asked for again (default: a day)."""
    if max_age is None:
        max_age = notices_mod.parse_age(notices_mod.DEFAULT_MAX_AGE)
    if style is not None and style not in STYLE_FIELDS:
        raise UsageError(f"Unknown style {style!r}: choose one of {', '.join(STYLES)}.")
    resolver = Resolver(offline=offline, source=source)
    report = Report([], offline=offline)
    try:
        report.entries = read_entries(references, stdin_text, resolver.local)
        stale = _look_up(report, resolver, max_age, progress)
        if not offline:
            _refresh_notices(report, resolver, stale)
            _search(report)
    finally:
        resolver.close()
    judge(report.entries, style)
    return report


def _look_up(report: Report, resolver, max_age: timedelta,
             progress: Callable[[int, int], None] | None) -> list[tuple[Identifier, str]]:
    """Registry records from the store, else the sources; returns the stored ones whose
    notices are older than `max_age` as (identifier, fetched_at)."""
    wanted: dict[tuple[str, str], list[Entry]] = {}
    for entry in report.entries:
        if (entry.identifier is not None and entry.registry is None and not entry.unchecked
                and not _malformed(entry.identifier)):
            wanted.setdefault((entry.identifier.kind, entry.identifier.key), []).append(entry)
    to_fetch: list[Identifier] = []
    stale: list[tuple[Identifier, str]] = []
    for group in wanted.values():
        identifier = group[0].identifier
        assert identifier is not None
        try:
            stored = resolver.store.find(identifier)
        except DamagedRecordError:
            stored = None  # fetched again, which replaces the unreadable row
        if stored is None and report.offline and is_bundled(identifier):
            for entry in group:  # the bundled article is known offline, as `cite` knows it
                entry.registry = bundled_record()
            continue
        if stored is None:
            if report.offline:
                for entry in group:
                    entry.unchecked = "not in the local store, and --offline forbids the network"
            else:
                to_fetch.append(identifier)
            continue
        for entry in group:
            entry.registry = stored.record
        if notices_mod.is_stale(stored.checked_at, max_age):
            stale.append((identifier, stored.fetched_at))
    if to_fetch:
        for identifier, outcome in zip(to_fetch, resolver.fetch(to_fetch, progress), strict=True):
            for entry in wanted[(identifier.kind, identifier.key)]:
                if isinstance(outcome, NotFoundError):
                    entry.missing = outcome
                elif isinstance(outcome, QuarterlyError):
                    entry.unchecked = f"could not be looked up: {outcome}"
                else:
                    entry.registry = outcome
    return stale


def _malformed(identifier: Identifier) -> bool:

    return identifier.kind == "doi" and doi_mod.parse(identifier.value) is None


def _crossref_gate():
    """The gate for `check`'s own Crossref requests. They run after the look-ups have finished,
    never beside them, so the run keeps to one request pace per service."""
    from .sources import crossref
    from .sources.http import Gate

    policy = crossref.policy()
    return Gate(policy.concurrency, policy.per_second)


def _refresh_notices(report: Report, resolver, stale: list[tuple[Identifier, str]]) -> None:
    """Fresh notices for the stored records whose notices are stale: Crossref's `updates:`
    filter for DOIs (many per request); a DOI the filter cannot carry, or a record without a
    DOI, is fetched again. What is found is stored with the time of the check."""
    if not stale:
        return
    from datetime import datetime, timezone

    from .sources import crossref

    by_key = {(i.kind, i.key): (i, fetched_at) for i, fetched_at in stale}
    entries_of: dict[tuple[str, str], list[Entry]] = {}
    for entry in report.entries:
        if entry.identifier is not None:
            entries_of.setdefault((entry.identifier.kind, entry.identifier.key), []).append(entry)
    dois = [i.value for i, _ in stale if i.kind == "doi"]
    answered: set[str] = set()
    if dois:
        gate = _crossref_gate()
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        for doi, outcome in crossref.fetch_updates(dois, gate):
            identifier, fetched_at = by_key[("doi", doi_mod.key(doi))]
            answered.add(identifier.key)
            group = entries_of[(identifier.kind, identifier.key)]
            if isinstance(outcome, QuarterlyError):
                for entry in group:
                    entry.unchecked = f"its notices could not be refreshed: {outcome}"
                continue
            record = group[0].registry
            assert record is not None
            updated = _add_updates(record, outcome)
            for entry in group:
                entry.registry = updated
            _remember(resolver.store, identifier, updated, record, now, fetched_at)
    again = [i for i, _ in stale if not (i.kind == "doi" and i.key in answered)]
    if again:
        for identifier, outcome in zip(again, resolver.fetch(again), strict=True):
            for entry in entries_of[(identifier.kind, identifier.key)]:
                if isinstance(outcome, QuarterlyError):
                    entry.unchecked = f"its notices could not be refreshed: {outcome}"
                else:
                    entry.registry = outcome


def _add_updates(record: Record, found: Iterable) -> Record:
    """The record with the notices it did not have yet."""
    def ident(u) -> tuple[str, str, str, str]:

        return (u.direction, doi_mod.key(u.DOI), u.type, u.source or "")

    known = {ident(u) for u in record.updates}
    new = [u for u in found if ident(u) not in known]
    return record.with_(updates=(*record.updates, *new)) if new else record


def _remember(store, identifier: Identifier, updated: Record, before: Record, now: str,
              fetched_at: str) -> None:
    """Store what the check learnt: new notices with the record, or only the time of the check.
    A read-only store keeps nothing, as for fetched records."""
    if store.read_only:
        return
    if updated is before:
        store.mark_checked(identifier, now)
    else:
        store.put(updated, checked_at=now, fetched_at=fetched_at)


def _search(report: Report) -> None:
    """Crossref's best match for each entry without a DOI (or with another work's DOI), one
    `query.bibliographic` request each; an entry whose PMID gave a record with a DOI has its
    match already."""
    from .sources import crossref
    from .sources.seam import concurrently

    todo: list[Entry] = []
    for entry in report.entries:
        if entry.record is None or entry.unchecked:
            continue
        registry = entry.registry
        has_doi = entry.identifier is not None and entry.identifier.kind == "doi"
        if not has_doi and registry is not None and registry.DOI:
            entry.match, entry.searched = Match(registry, None, 1.0, entry.registry_label), True
        elif (not has_doi or entry.missing is not None or _other_work(entry)) and \
                markup.plain(entry.record.title).strip():
            todo.append(entry)
    if not todo:
        return
    gate = _crossref_gate()

    def one(entry: Entry):
        assert entry.record is not None
        try:
            return crossref.search_bibliographic(query_text(entry.record), gate)
        except QuarterlyError as exc:
            return exc

    for entry, outcome in concurrently(one, todo, gate.limit):
        if isinstance(outcome, QuarterlyError):
            entry.unchecked = f"Crossref could not be searched for its DOI: {outcome}"
        else:
            assert entry.record is not None
            entry.match, entry.searched = best_match(entry.record, outcome), True


def _other_work(entry: Entry) -> bool:
    return (entry.record is not None and entry.registry is not None
            and compare(entry.record, entry.registry, entry.origin, entry.registry_label)[0])


def query_text(record: Record) -> str:
    """What a bibliographic query sends: title, first author, year, journal."""
    first = record.author[0] if record.author else None
    parts = [markup.plain(record.title), first.full_family if first else None,
             str(record.year) if record.year else None, record.container_title]
    return " ".join(p for p in parts if p)


# --- judging (pure) ---------------------------------------------------------------------------

def normalise(text: str | None) -> str:
    """Text for comparison: markup removed, accents dropped, case folded, punctuation and
    white space folded to single spaces."""


    if not text:
        return ""
    plain = unicodedata.normalize("NFKD", markup.plain(text))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", plain).split())


_SUBTITLE = re.compile(r"\s*(?::|\?|\s[-–—]\s|\.\s)\s*")


def title_similarity(a: str, b: str) -> float:
    """0–1: how alike two titles are once normalised; a title cited without its subtitle is
    compared with the other's main title too."""
    from rapidfuzz import fuzz


    na, nb = normalise(a), normalise(b)
    if not na or not nb:
        return 0.0
    best = fuzz.ratio(na, nb) / 100
    main_a, main_b = (normalise(_SUBTITLE.split(markup.plain(t), maxsplit=1)[0]) for t in (a, b))
    if main_a and main_b and (main_a == na or main_b == nb):
        best = max(best, fuzz.ratio(main_a, main_b) / 100)
    return best


def _family(record: Record) -> str | None:
    first = record.author[0] if record.author else None
    if first is None or first.is_literal:
        return None
    return normalise(first.full_family) or None


def same_first_author(a: Record, b: Record) -> bool | None:
    """Whether the first authors' family names agree (particles aside); None when either has no
    personal first author."""
    fa, fb = _family(a), _family(b)
    if fa is None or fb is None:
        return None
    return fa == fb or fa.split()[-1] == fb.split()[-1]


def _years(record: Record) -> set[int]:
    """The years a registry record may be cited under: issued, and online when it differs."""
    out = {record.year} if record.year else set()
    online = record.date("available-date")
    if online is not None and online.year:
        out.add(online.year)
    return out


def _journal_words(title: str) -> list[str]:
    text = re.sub(r"\([^)]*\)", " ", title)
    return [w for w in normalise(text).split() if w not in ("the", "of", "and", "for", "in", "on")]


def same_journal(a: Record, b: Record) -> bool | None:
    """Whether two container titles name the same journal: equal once normalised, or one an
    abbreviation of the other word by word (`Milbank Q` — `The Milbank Quarterly`, `N Engl J
    Med`); None when either has none."""
    ours = [t for t in (a.container_title, a.container_title_short) if t]
    theirs = [t for t in (b.container_title, b.container_title_short) if t]
    if not ours or not theirs:
        return None
    for x in ours:
        for y in theirs:
            wx, wy = _journal_words(x), _journal_words(y)
            if wx == wy or (len(wx) == len(wy) and wx and all(
                    p.startswith(q) or q.startswith(p) for p, q in zip(wx, wy, strict=True))):
                return True
    return False


def _number(value: str | None) -> str:
    """`04` → `4`, ` 92 ` → `92`, `Suppl 2` → `suppl2`: volume and issue for comparison."""
    text = re.sub(r"\s+", "", (value or "").casefold())
    return re.sub(r"(?<!\d)0+(?=\d)", "", text)


def _full_last(first: str | None, last: str | None) -> str | None:
    """The last page written out: `725`, `53` → `753` (MEDLINE abbreviates ranges)."""
    if not first or not last:
        return last
    if first.isdigit() and last.isdigit() and len(last) < len(first):
        return first[: len(first) - len(last)] + last
    return last


def _pages_agree(ours: Record, theirs: Record) -> bool:
    first_ours = _number(ours.page_first or ours.number)
    firsts = {_number(theirs.page_first), _number(theirs.number)} - {""}
    if not first_ours or not firsts:
        return True
    if first_ours not in firsts:
        return False
    last_ours = _full_last(ours.page_first, ours.page_last)
    last_theirs = _full_last(theirs.page_first, theirs.page_last)
    return not (last_ours and last_theirs and _number(last_ours) != _number(last_theirs))


def _quote(text: str) -> str:

    return "“" + markup.one_line(markup.plain(text)) + "”"


def compare(record: Record, registry: Record, origin: str,
            label: str) -> tuple[bool, float, list[Finding]]:
    """(another work?, title similarity, mismatches) between an entry and the registry's record
    of its DOI. Fields are compared only when both have them."""
    similarity = title_similarity(record.title, registry.title)
    author = same_first_author(record, registry)
    years = _years(registry)
    year_agrees = not (record.year and years) or record.year in years
    if similarity < OTHER_WORK and not (author and year_agrees):
        return True, similarity, []

    def mismatch(name: str, yours: str, theirs: str, fix: str | None = None,
                 extra: str = "") -> Finding:
        return Finding("mismatch", f"{name}: {yours} in {origin}, {theirs} in {label}{extra}",
                       name, yours, theirs, fix)

    out = []
    if similarity < SAME_TITLE:
        out.append(mismatch("title", _quote(record.title), _quote(registry.title),
                            extra=f" (similarity {similarity:.2f})"))
    if author is False:
        out.append(mismatch("first author", record.author[0].full_family,
                            registry.author[0].full_family))
    if not year_agrees and registry.year:
        out.append(mismatch("year", str(record.year), str(registry.year), str(registry.year)))
    if same_journal(record, registry) is False:
        out.append(mismatch("journal", _quote(record.container_title or ""),
                            _quote(registry.container_title or registry.container_title_short
                                   or "")))
    for name in ("volume", "issue"):
        yours, theirs = record.get(name), registry.get(name)
        if yours and theirs and _number(yours) != _number(theirs):
            out.append(mismatch(name, yours, theirs, theirs))
    if not _pages_agree(record, registry):
        yours = record.page or record.number or ""
        theirs = registry.page or registry.number or ""
        out.append(mismatch("page", yours, theirs, theirs))
    return False, similarity, out


def best_match(record: Record, candidates: Sequence[tuple[float, Record]],
               registry: str = "Crossref") -> Match | None:
    """The candidate the entry confidently is (thresholds above), or None."""
    passing: list[Match] = []
    for score, candidate in candidates:
        if score < MATCH_SCORE or not candidate.DOI:
            continue
        if any(u.direction == "update-to" for u in candidate.updates):
            continue  # a notice about the work ("Correction: <title>"), not the work
        similarity = title_similarity(record.title, candidate.title)
        if similarity < MATCH_TITLE:
            continue
        years = _years(candidate)
        if record.year and years and min(abs(record.year - y) for y in years) > 1:
            continue
        if same_first_author(record, candidate) is False:
            continue
        passing.append(Match(candidate, score, similarity, registry))
    works = {doi_mod.key(m.record.DOI or "") for m in passing}
    if len(works) > 1:
        same_type = [m for m in passing if m.record.type == record.type]
        if len({doi_mod.key(m.record.DOI or "") for m in same_type}) != 1:
            return None  # two works fit as well: no guess
        passing = same_type
    return passing[0] if passing else None


def _match_text(match: Match) -> str:
    if match.score is None:
        return f"{match.registry}'s record of it has DOI {match.record.DOI}"
    return (f"{match.registry}'s best match is {match.record.DOI} (score {match.score:.1f}, "
            f"title similarity {match.similarity:.2f})")


def notice_findings(record: Record) -> list[Finding]:

    out = []
    for notice in notices_mod.problems(record):
        out.append(Finding(_NOTICE_LEVELS[notice.kind], notice.line(), "notice",
                           registry=notice.DOI or notice.PMID))
    return out


def style_findings(record: Record, style: str, origin: str) -> list[Finding]:

    wanted = STYLE_FIELDS[style] if record.type == "article-journal" else _OTHER_FIELDS
    out = []
    for name in wanted:
        if name == "author":
            present = bool(record.author or record.names_of("editor"))
        elif name == "issued":
            present = record.issued is not None
        elif name == "title":
            present = bool(markup.plain(record.title).strip()) and record.title != "(untitled)"
        elif name == "container-title":
            present = bool(record.container_title or record.container_title_short)
        elif name == "page":
            present = bool(record.page or record.number)
        else:
            present = bool(record.get(name))
        if not present:
            out.append(Finding("style-fields", f"{style.upper()} needs {_FIELD_WORDS.get(name, name)};"
                               f" the entry in {origin} has none", name))
    return out


_FIELD_WORDS = {"issued": "a year", "container-title": "the journal", "page": "pages or an "
                "article number", "author": "an author", "title": "a title"}


def duplicates(entries: Sequence[Entry]) -> dict[int, Finding]:
    """For each entry that repeats an earlier one (same DOI, or the same normalised title and
    year), a finding naming both keys."""
    seen_doi: dict[str, Entry] = {}
    seen_title: dict[tuple[str, int | None], Entry] = {}
    out: dict[int, Finding] = {}
    for n, entry in enumerate(entries):
        record = entry.record or entry.registry
        ident = entry.identifier
        doi = ident.key if ident is not None and ident.kind == "doi" else None
        title = (normalise(record.title), record.year) if record is not None else None
        by_doi = seen_doi.get(doi) if doi else None
        first = by_doi or (seen_title.get(title) if title and title[0] else None)
        if first is not None:
            why = f"the same DOI {ident.value}" if by_doi and ident else "the same title and year"
            out[n] = Finding("duplicate", f"{entry.key} and {first.key} have {why}", "key",
                             entry.key, first.key)
            continue
        if doi:
            seen_doi[doi] = entry
        if title and title[0]:
            seen_title[title] = entry
    return out


def judge(entries: list[Entry], style: str | None = None) -> None:
    """Fill each entry's findings from what the network steps gathered (pure)."""
    repeated = duplicates(entries)
    for n, entry in enumerate(entries):
        found: list[Finding] = []
        record, registry = entry.record, entry.registry
        ident = entry.identifier
        if ident is not None and _malformed(ident):
            found.append(Finding("does-not-exist", f"{ident.value!r} is not a DOI", "DOI",
                                 ident.value))
        elif entry.missing is not None and ident is not None:
            message, fix = (f"{ident.label} {ident.value} does not exist: {entry.missing}",
                            None)
            if entry.match is not None:
                message, fix = f"{message}; {_match_text(entry.match)}", entry.match.record.DOI
            found.append(Finding("does-not-exist", message, ident.label, ident.value, fix, fix))
        elif registry is not None and record is not None:
            other, similarity, mismatches = compare(record, registry, entry.origin,
                                                    entry.registry_label)
            if other:
                message = (f"DOI {registry.DOI} is another work's: {_quote(registry.title)} in "
                           f"{entry.registry_label} (title similarity {similarity:.2f})")
                fix = None
                if entry.match is not None and doi_mod.key(entry.match.record.DOI or "") != \
                        doi_mod.key(registry.DOI or ""):
                    message += f"; {_match_text(entry.match)}"
                    fix = entry.match.record.DOI
                found.append(Finding("does-not-exist", message, "DOI", record.DOI,
                                     fix, fix))
            else:
                found += mismatches + notice_findings(registry)
        elif registry is not None:
            found += notice_findings(registry)
        if record is not None and (ident is None or ident.kind != "doi"):
            found += _missing_doi(entry)
        if record is not None and style is not None:
            found += style_findings(record, style, entry.origin)
        if n in repeated:
            found.append(repeated[n])
        order = {level: i for i, level in enumerate(LEVELS)}
        entry.findings = sorted(found, key=lambda f: order[f.level])


def _missing_doi(entry: Entry) -> list[Finding]:
    match = entry.match
    out = []
    if match is None:
        why = "no confident match in Crossref" if entry.searched else "Crossref not searched"
        out.append(Finding("missing-doi", f"no DOI ({why})", "DOI"))
    else:
        message = f"no DOI; {_match_text(match)}"
        out.append(Finding("missing-doi", message, "DOI", None, match.record.DOI,
                           match.record.DOI))
        assert entry.record is not None
        if entry.registry is None:  # found by a query: what else disagrees with that record
            _, _, mismatches = compare(entry.record, match.record, entry.origin, match.registry)
            out += mismatches + notice_findings(match.record)
    return out


# --- output -----------------------------------------------------------------------------------

def _cell(value: str | None) -> str:

    return markup.one_line(value or "").replace("\t", " ")


def tsv_lines(report: Report) -> Iterator[str]:
    """One line per finding (and per reference not checked), in input order:
    level, reference, field, yours, registry, message."""
    for entry in report.entries:
        if entry.unchecked:
            yield "\t".join((UNCHECKED, _cell(entry.key), "", "", "", _cell(entry.unchecked)))
        for f in entry.findings:
            yield "\t".join(_cell(v) for v in (f.level, entry.key, f.field, f.yours, f.registry,
                                               f.message))


def json_objects(report: Report) -> list[dict[str, object]]:

    out: list[dict[str, object]] = []
    for entry in report.entries:
        item: dict[str, object] = {"reference": entry.key, "origin": entry.origin}
        if entry.identifier is not None:
            item["identifier"] = str(entry.identifier)
        item["status"] = UNCHECKED if entry.unchecked else "checked"
        if entry.unchecked:
            item["reason"] = entry.unchecked
        if entry.registry is not None:
            item["registry"] = entry.registry_label
            item["notices"] = [n.to_dict() for n in notices_mod.notices(entry.registry)]
        item["findings"] = [f.to_dict() for f in entry.findings]
        out.append(item)
    return out


def to_json(report: Report) -> str:

    return json.dumps(json_objects(report), ensure_ascii=False, indent=2) + "\n"


def summary(report: Report) -> str:
    """`12 references: 7 clean, 5 with findings (1 retracted, …); 0 not checked.`"""
    total = len(report.entries)
    unchecked = len(report.unchecked)
    flagged = sum(1 for e in report.entries if e.findings)
    clean = sum(1 for e in report.entries if not e.findings and not e.unchecked)
    counts = ", ".join(f"{n} {level}" for level, n in report.counts().items())
    text = (f"{total} reference{'s' if total != 1 else ''}: {clean} clean, {flagged} with "
            f"findings" + (f" ({counts})" if counts else ""))
    if unchecked:
        why = " (offline: not in the local store)" if report.offline else ""
        text += f"; {unchecked} could not be checked{why}"
    return text + "."


def table_rows(report: Report) -> list[tuple[str, str, str]]:
    """(level, reference, message) grouped by severity, for the terminal table."""
    rows = []
    for level in (*LEVELS, UNCHECKED):
        for entry in report.entries:
            if level == UNCHECKED:
                if entry.unchecked:
                    rows.append((level, entry.key, entry.unchecked))
                continue
            rows += [(level, entry.key, f.message) for f in entry.findings if f.level == level]
    return rows


# --- the fixed copy (`--fix -o FILE`) -----------------------------------------------------------
#
# The input's text is edited where a fix applies and nowhere else: citation keys, field order,
# comments, spacing and every field not fixed stay byte for byte. BibTeX: only the value inside
# a fixed field's braces or quotes changes (a new `doi` field goes after the last field, indented
# like it); RIS: only the fixed tag lines (a new `DO` line goes before `ER`); CSL-JSON: a changed
# item is written again as JSON in the item's own indentation, the others are untouched.


@dataclass(frozen=True, slots=True)
class Change:
    key: str
    field: str
    old: str | None
    new: str

    def line(self) -> str:
        if self.old:
            return f"{self.key}: {self.field} {self.old} → {self.new}"
        return f"{self.key}: added {self.field} {self.new}"


def planned(entry: Entry) -> dict[str, tuple[str | None, str]]:
    """field → (old, new) for the fixes an entry's findings offer."""
    out: dict[str, tuple[str | None, str]] = {}
    for finding in entry.findings:
        if finding.fix and finding.field in FIXABLE:
            out.setdefault(finding.field, (finding.yours, finding.fix))
    return out


def document_kind(path: str | None, text: str) -> str:
    from .readers import sniff

    suffix = os.path.splitext(path or "")[1].lower()
    kind = {".bib": "bibtex", ".bibtex": "bibtex", ".ris": "ris", ".json": "csl-json"}.get(
        suffix) or sniff(text)
    if kind is None:
        raise UsageError(f"{path or 'standard input'}: not BibTeX, RIS or CSL-JSON; nothing to "
                         "fix.")
    return kind


def fixed_copy(text: str, kind: str, entries: Sequence[Entry]) -> tuple[str, list[Change]]:
    """The text with every offered fix applied, and the changes made. `entries` are the file's
    records in order (one per BibTeX entry, RIS record or CSL-JSON item)."""
    units = {"bibtex": _bib_units, "ris": _ris_units, "csl-json": _json_units}[kind](text)
    if len(units) != len(entries):
        raise QuarterlyError(f"The file has {len(units)} records where {len(entries)} were read; "
                             "no fixed copy was written.")
    edit = {"bibtex": _fix_bib, "ris": _fix_ris, "csl-json": _fix_json}[kind]
    pieces: list[str] = []
    changes: list[Change] = []
    at = 0
    for (start, end), entry in zip(units, entries, strict=True):
        plan = planned(entry)
        if not plan:
            continue
        pieces.append(text[at:start])
        pieces.append(edit(text, start, end, plan))
        changes += [Change(entry.key, name, old, new) for name, (old, new) in plan.items()]
        at = end
    pieces.append(text[at:])
    return "".join(pieces), changes


# BibTeX -------------------------------------------------------------------------------------------

def _bib_units(text: str) -> list[tuple[int, int]]:
    """The span of each entry, in order, as the reader splits the file."""
    from .readers.bibtex import spans

    return spans(text, "the BibTeX file")


@dataclass(frozen=True, slots=True)
class _BibField:
    name: str  # lower case
    start: int  # where its name starts
    end: int  # where its value ends
    inner: tuple[int, int] | None  # inside the braces or quotes of a one-part value


_NAME = re.compile(r"[A-Za-z0-9_:.+-]+")
_BARE = re.compile(r"[^\s,#{}()\"]+")


def _closing(raw: str, at: int) -> int:
    """The index after the `}` or `"` closing the value opened at `at`; a delimiter after a
    backslash does not count."""
    depth = 0
    quote = raw[at] == '"'
    i = at + 1 if quote else at
    while i < len(raw):
        char = raw[i]
        if char == "\\":
            i += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0 and not quote:
                return i + 1
        elif char == '"' and quote and depth == 0:
            return i + 1
        i += 1
    return len(raw)


def _bib_fields(raw: str) -> list[_BibField]:
    opening = re.match(r"\s*@\s*[A-Za-z]+\s*([{(])", raw)
    if opening is None:
        return []
    close = "}" if opening.group(1) == "{" else ")"
    i = raw.find(",", opening.end())
    out: list[_BibField] = []
    while 0 <= i < len(raw):
        while i < len(raw) and (raw[i].isspace() or raw[i] == ","):
            i += 1
        name = _NAME.match(raw, i)
        if i >= len(raw) or raw[i] == close or name is None:
            break
        start, i = i, name.end()
        while i < len(raw) and raw[i].isspace():
            i += 1
        if i >= len(raw) or raw[i] != "=":
            break
        i += 1
        parts: list[tuple[int, int] | None] = []
        while True:
            while i < len(raw) and raw[i].isspace():
                i += 1
            if i < len(raw) and raw[i] in '{"':
                end = _closing(raw, i)
                parts.append((i + 1, end - 1))
            else:
                bare = _BARE.match(raw, i)
                if bare is None:
                    break
                end = bare.end()
                parts.append(None)
            i = end
            j = i
            while j < len(raw) and raw[j].isspace():
                j += 1
            if j < len(raw) and raw[j] == "#":
                i = j + 1
                continue
            break
        out.append(_BibField(name.group().lower(), start, i,
                             parts[0] if len(parts) == 1 else None))
    return out


def _bib_value(name: str, value: str) -> str:
    """A value as the BibTeX writer would write it: DOIs never escaped (only what would unbalance
    the entry is percent-encoded); page ranges with BibTeX's `--` (the writer's own form, which
    escaping would break into `-{}-`)."""
    if name == "doi":
        return value.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D")
    if name == "pages":
        first, last = split_pages(value)
        if first and last:
            return f"{markup.escape_latex(first)}--{markup.escape_latex(last)}"
    return markup.escape_latex(value)


def _fix_bib(text: str, start: int, end: int, plan: dict[str, tuple[str | None, str]]) -> str:
    raw = text[start:end]
    fields = {f.name: f for f in _bib_fields(raw)}
    edits: list[tuple[int, int, str]] = []
    for name, (_, new) in plan.items():
        if name == "year":
            date = fields.get("date")
            if date is not None and date.inner and re.match(r"\d{4}", raw[date.inner[0]:]):
                edits.append((date.inner[0], date.inner[0] + 4, new))
                continue
        target = fields.get({"DOI": "doi", "page": "pages", "issue": "number"}.get(name, name))
        if name == "issue" and target is None:
            target = fields.get("issue")
        bib_name = {"DOI": "doi", "page": "pages", "issue": "number"}.get(name, name)
        value = _bib_value(bib_name, new)
        if target is None:
            edits.append(_bib_insert(raw, list(fields.values()), bib_name, value))
        elif target.inner is not None:
            edits.append((target.inner[0], target.inner[1], value))
        else:
            bare = value.isdigit() and not re.search(r"[{}]", raw[target.start:target.end])
            edits.append((raw.index("=", target.start) + 1, target.end,
                          " " + (value if bare else "{" + value + "}")))
    for a, b, value in sorted(edits, reverse=True):
        raw = raw[:a] + value + raw[b:]
    return raw


def _bib_insert(raw: str, fields: list[_BibField], name: str,
                value: str) -> tuple[int, int, str]:
    """A new field after the last one, in the entry's layout (indentation, one per line or all
    on one line, with or without a trailing comma)."""
    if not fields:
        at = raw.find(",") + 1
        return at, at, f" {name} = {{{value}}},"
    last = fields[-1]
    line_start = raw.rfind("\n", 0, last.start) + 1
    indent = raw[line_start:last.start]
    comma = re.match(r"\s*,", raw[last.end:])
    if indent.strip():  # fields on one line
        return last.end, last.end, f", {name} = {{{value}}}"
    if comma:
        at = last.end + comma.end()
        return at, at, f"\n{indent}{name} = {{{value}}},"
    return last.end, last.end, f",\n{indent}{name} = {{{value}}}"


# RIS ----------------------------------------------------------------------------------------------

_RIS_TAG = re.compile(r"([A-Z][A-Z0-9]) {1,2}-(?: (.*))?")


def _ris_units(text: str) -> list[tuple[int, int]]:
    """The span of each record, from its `TY` line through its `ER` line."""
    spans = []
    start = None
    at = 0
    for line in text.splitlines(keepends=True):
        tag = _RIS_TAG.match(line.rstrip("\r\n").lstrip("\ufeff"))
        if tag and tag.group(1) == "TY" and start is None:
            start = at
        if tag and tag.group(1) == "ER" and start is not None:
            spans.append((start, at + len(line)))
            start = None
        at += len(line)
    return spans


def _fix_ris(text: str, start: int, end: int, plan: dict[str, tuple[str | None, str]]) -> str:

    lines = text[start:end].splitlines(keepends=True)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"

    def tagged(name: str) -> list[int]:
        return [n for n, line in enumerate(lines)
                if (m := _RIS_TAG.match(line.rstrip("\r\n"))) and m.group(1) == name]

    def put(name: str, value: str, before: str = "ER") -> None:

        value = markup.one_line(value)
        found = tagged(name)
        line = f"{name}  - {value}"
        if found:
            ending = lines[found[0]][len(lines[found[0]].rstrip("\r\n")):]
            lines[found[0]] = line + ending
        else:
            at = (tagged(before) or tagged("ER") or [len(lines)])[0]
            lines.insert(at, line + newline)

    for name, (_, new) in plan.items():
        if name == "year":
            for tag in ("PY", "Y1", "DA"):
                for n in tagged(tag):
                    lines[n] = re.sub(r"(?<=- )\d{4}", new, lines[n], count=1)
        elif name == "page":
            first, last = split_pages(new)
            put("SP", first or new)
            if last:
                put("EP", last, before="ER")
            else:
                for n in reversed(tagged("EP")):
                    del lines[n]
        else:
            put({"DOI": "DO", "volume": "VL", "issue": "IS"}[name], new)
    return "".join(lines)


# CSL-JSON -----------------------------------------------------------------------------------------

def _json_units(text: str) -> list[tuple[int, int]]:
    """The span of each item of a CSL-JSON array (or of the one item of a file holding one)."""
    decoder = json.JSONDecoder()

    def skip(i: int) -> int:
        while i < len(text) and text[i] in " \t\r\n\ufeff":
            i += 1
        return i

    i = skip(0)
    if i < len(text) and text[i] == "{":
        return [(i, decoder.raw_decode(text, i)[1])]
    spans = []
    i = skip(i + 1)
    while i < len(text) and text[i] != "]":
        _, end = decoder.raw_decode(text, i)
        spans.append((i, end))
        i = skip(end)
        if i < len(text) and text[i] == ",":
            i = skip(i + 1)
    return spans


def _fix_json(text: str, start: int, end: int, plan: dict[str, tuple[str | None, str]]) -> str:

    item = json.loads(text[start:end])
    for name, (_, new) in plan.items():
        key = {"DOI": "DOI", "volume": "volume", "issue": "issue", "page": "page"}.get(name)
        if key is not None:
            item[key] = int(new) if isinstance(item.get(key), int) and new.isdigit() else new
            continue
        issued = item.get("issued")
        if isinstance(issued, dict) and isinstance(issued.get("date-parts"), list) and \
                issued["date-parts"] and isinstance(issued["date-parts"][0], list) and \
                issued["date-parts"][0]:
            issued["date-parts"][0][0] = int(new)
        elif isinstance(issued, dict) and isinstance(issued.get("raw"), str):
            issued["raw"] = re.sub(r"\d{4}", new, issued["raw"], count=1)
        else:
            item["issued"] = {"date-parts": [[int(new)]]}
    original = text[start:end]
    column = start - (text.rfind("\n", 0, start) + 1)
    if "\n" not in original:
        return json.dumps(item, ensure_ascii=False)
    second = original.split("\n", 2)[1]
    step = max(1, len(second) - len(second.lstrip(" ")) - column)
    body = json.dumps(item, ensure_ascii=False, indent=step)
    return body.replace("\n", "\n" + " " * column)
