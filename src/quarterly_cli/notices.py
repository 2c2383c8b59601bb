"""Notices about a work — retractions, expressions of concern, corrections, new versions, a
preprint's published version — as `show`, `cite` and `check` word them.

Where they come from (all already in the record, so reading them costs no import and no request):

- `record.updates` with direction `updated-by`: a notice (its DOI) about this work. Crossref's
  `updated-by` carries the publisher's Crossmark notices and, since 2024, the Retraction Watch
  database (`source: retraction-watch`, `record-id`); PubMed's `RetractionIn`, `ErratumIn`,
  `ExpressionOfConcernIn`, … comments arrive with `source: pubmed`, the notice's PMID and its
  citation (the PubMed issue it appeared in) as label.
- `record.updates` with direction `update-to`: this record *is* the notice, about another work.
- `record.relations`: `is-preprint-of` (a preprint whose journal version exists) and
  `is-replaced-by`.
- PubMed's publication types (`custom["publication-types"]`): `Retracted Publication` marks a
  retracted article even when no `RetractionIn` comment names the notice; `Retraction of
  Publication` and `Published Erratum` mark a notice.

The same notice is often asserted twice (by the publisher and by Retraction Watch, same notice
DOI): it is shown once, naming both. An update whose DOI is the work's own (PLOS deposits its
new versions so) is an update in place, not a pointer elsewhere.

Crossref's update types are Crossmark's (https://www.crossref.org/documentation/crossmark/
participating-in-crossmark/ : addendum, clarification, correction, corrigendum, erratum,
expression_of_concern, new_edition, new_version, partial_retraction, removal, retraction,
withdrawal) plus Retraction Watch's `reinstatement`; an unknown type is shown as an update.

This module also says when stored notices are fresh (`is_stale`, `parse_age`), and names the
severity levels `quarterly check` reports at — the notice kinds are among them — so that the CLI
can offer them as choices without loading the checker. It stays cheap to import (`cite` reads
notices on every run): no dataclass, no date handling until asked.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, NamedTuple

from . import doi as doi_mod
from .lazy import lazy_pattern

if TYPE_CHECKING:
    from datetime import datetime, timedelta

    from .model import Date, Record

# Kinds, most serious first. `notice` (this record is a notice about another work) is
# information, never a problem with the work itself.
RETRACTED, CONCERN, SUPERSEDED, CORRECTED, NOTICE = (
    "retracted", "concern", "superseded", "corrected", "notice")
KINDS = (RETRACTED, CONCERN, SUPERSEDED, CORRECTED, NOTICE)

# Crossref update type (and PubMed's, mapped to Crossref's words in sources/pubmed.py) →
# (kind, heading of the banner line).
_TYPES = {
    "retraction": (RETRACTED, "RETRACTED"),
    "partial_retraction": (RETRACTED, "PARTIALLY RETRACTED"),
    "withdrawal": (RETRACTED, "WITHDRAWN"),
    "removal": (RETRACTED, "REMOVED"),
    "expression_of_concern": (CONCERN, "EXPRESSION OF CONCERN"),
    "new_version": (SUPERSEDED, "NEW VERSION"),
    "new_edition": (SUPERSEDED, "NEW EDITION"),
    "correction": (CORRECTED, "CORRECTED"),
    "corrigendum": (CORRECTED, "CORRECTED"),
    "erratum": (CORRECTED, "CORRECTED"),
    "addendum": (CORRECTED, "ADDENDUM"),
    "clarification": (CORRECTED, "CLARIFIED"),
    "reinstatement": (CORRECTED, "REINSTATED"),
}
_UNKNOWN = (CORRECTED, "UPDATED")
# Crossref relations that point from this work to the one that replaces it.
_RELATIONS = {"is-preprint-of": "PUBLISHED VERSION", "is-replaced-by": "REPLACED"}
# PubMed publication types that are notices in themselves (NLM's list:
# https://www.nlm.nih.gov/mesh/pubtypes.html).
_PUBMED_TYPES = {"Retracted Publication": ("retraction", "updated-by"),
                 "Retraction of Publication": ("retraction", "update-to"),
                 "Published Erratum": ("erratum", "update-to")}

_SOURCES = {"publisher": "publisher via Crossref", "retraction-watch": "Retraction Watch",
            "pubmed": "PubMed"}

# `quarterly check`'s severity levels, most serious first (README, "Checking a reference list"),
# and what `--fail-on` accepts: a run fails at the chosen level or any above it; `none` never.
LEVELS = ("retracted", "does-not-exist", "concern", "mismatch", "superseded", "corrected",
          "missing-doi", "duplicate", "style-fields")
FAIL_ON = (*LEVELS, "none")
DEFAULT_FAIL_ON = "does-not-exist"


class Notice(NamedTuple):
    """One notice, as the reader should see it. (A NamedTuple: immutable, and cheap to define,
    which keeps this module's import cheap.)"""

    kind: str  # one of KINDS
    heading: str  # RETRACTED, EXPRESSION OF CONCERN, NEW VERSION, NOTICE, …
    type: str  # Crossref's update type (`retraction`), or the relation (`is-preprint-of`)
    label: str | None  # Crossref's display label (`Retraction`)
    DOI: str | None  # the notice's DOI; for a NOTICE, the work it is about; for a relation, the other work
    PMID: str | None  # PubMed's notice
    date: Date | None
    sources: tuple[str | None, ...]  # who asserts it: publisher, retraction-watch, pubmed (None: Crossref)
    record_id: str | None  # Retraction Watch's record number
    citation: str | None  # where PubMed says the notice appeared (`Lancet. 2010 Feb 6;375(9713):445`)
    in_place: bool = False  # the notice's DOI is the work's own: it was updated under that DOI

    @property
    def link(self) -> str | None:
        if self.DOI and not self.in_place:
            return doi_mod.url(self.DOI)
        if self.PMID:
            return f"https://pubmed.ncbi.nlm.nih.gov/{self.PMID}/"
        return None

    @property
    def word(self) -> str:
        """`Retraction`, `Expression of concern`: Crossref's label, else the type in words."""
        return self.label or self.type.replace("_", " ").replace("-", " ").capitalize()

    @property
    def source_text(self) -> str:
        names = []
        for source in self.sources:
            name = _SOURCES.get(source or "", source or "Crossref")
            if source == "retraction-watch" and self.record_id:
                name += f" record {self.record_id}"
            if name not in names:
                names.append(name)
        return "; ".join(names)

    def text(self) -> str:
        """The notice in one line, without its heading:
        `Retraction, 2010-02-06, https://doi.org/10.1016/… (Retraction Watch record 17269)`."""
        if self.kind == NOTICE:
            what = f"{self.word} of {self.link}" if self.DOI else f"{self.word} notice"
            parts = [what, self.date.iso() if self.date else None]
        elif self.type in _RELATIONS:
            parts = [f"{'published' if self.type == 'is-preprint-of' else 'replaced'} as "
                     f"{self.link}"]
        else:
            parts = [self.word, self.date.iso() if self.date else None, self.citation,
                     "published under this DOI" if self.in_place else self.link]
        body = ", ".join(p for p in parts if p)
        return f"{body} ({self.source_text})" if self.sources else body

    def line(self) -> str:
        """`RETRACTED: Retraction, 2010-02-06, https://doi.org/… (Retraction Watch)`."""
        return f"{self.heading}: {self.text()}"

    def to_dict(self) -> dict[str, Any]:
        pairs = (("kind", self.kind), ("heading", self.heading), ("type", self.type),
                 ("label", self.label), ("DOI", self.DOI), ("PMID", self.PMID),
                 ("date", self.date.iso() if self.date else None),
                 ("sources", [s or "crossref" for s in self.sources]),
                 ("record-id", self.record_id), ("citation", self.citation),
                 ("in-place", self.in_place or None), ("text", self.line()))
        return {k: v for k, v in pairs if v}


def _type_key(value: str) -> str:
    return re.sub(r"[\s-]+", "_", value.strip().lower())


def notices(record: Record) -> list[Notice]:
    """Every notice about `record` (and, for a notice, what it is about), merged and sorted:
    most serious first, then oldest first."""
    if not record.updates and not record.relations and not (
            record.custom and isinstance(record.custom.get("publication-types"), list)):
        return []  # the common case: nothing to say, decided without building anything
    own = doi_mod.key(record.DOI) if record.DOI else None
    merged: dict[tuple[str, ...], Notice] = {}
    for update in record.updates:
        type_ = _type_key(update.type) or "update"
        in_place = bool(own and update.DOI and doi_mod.key(update.DOI) == own)
        about = update.direction == "update-to" and not in_place
        kind, heading = (NOTICE, "NOTICE") if about else _TYPES.get(type_, _UNKNOWN)
        citation = update.label if update.source == "pubmed" else None
        label = None if update.source == "pubmed" else update.label
        notice = Notice(kind, heading, type_, label, update.DOI or None, update.PMID,
                        update.date, (update.source,), update.record_id, citation, in_place)
        # The same notice asserted by several sources (publisher and Retraction Watch) is one:
        # same kind, same notice DOI (or PMID, or — for an update in place — same type).
        ident: str = (doi_mod.key(update.DOI) if update.DOI and not in_place else
                      update.PMID or ("in-place" if in_place else update.label or ""))
        key = (kind, type_ if in_place else "", ident)
        merged[key] = _merge(merged[key], notice) if key in merged else notice
    for relation in record.relations:
        named = _RELATIONS.get(relation.type)
        if named and relation.id:
            key = (SUPERSEDED, relation.type, doi_mod.key(relation.id))
            merged.setdefault(key, Notice(SUPERSEDED, named, relation.type, None,
                                          relation.id, None, None, (), None, None))
    types = record.custom.get("publication-types") if record.custom else None
    for name, (type_, direction) in _PUBMED_TYPES.items():
        if not isinstance(types, list) or name not in types:
            continue
        kind, heading = (NOTICE, "NOTICE") if direction == "update-to" else _TYPES[type_]
        # Only when no notice of that kind came with it (the comment is the better source).
        if not any(n.kind == kind for n in merged.values()):
            merged[(kind, type_, "pubmed-type")] = Notice(
                kind, heading, type_, name, None, None, None, ("pubmed",), None, None)
    order = {kind: n for n, kind in enumerate(KINDS)}
    return sorted(merged.values(), key=lambda n: (order[n.kind], n.date.parts if n.date else ()))


def _merge(first: Notice, second: Notice) -> Notice:
    sources = first.sources + tuple(s for s in second.sources if s not in first.sources)
    return first._replace(sources=sources, label=first.label or second.label,
                   date=first.date or second.date, record_id=first.record_id or second.record_id,
                   PMID=first.PMID or second.PMID, citation=first.citation or second.citation)


def problems(record: Record) -> list[Notice]:
    """The notices a citing author must hear about (every kind but NOTICE)."""
    return [n for n in notices(record) if n.kind != NOTICE]


def banner_lines(record: Record) -> list[str]:
    """The lines `show` prints first, most serious first: `RETRACTED: …`."""
    return [n.line() for n in notices(record)]


def warning(record: Record, name: str) -> str | None:
    """One line for `cite` (on stderr) about a reference with notices, or None:
    `10.1/x — RETRACTED: Retraction, 2010-02-06, https://doi.org/… (Retraction Watch); 1 more
    notice (quarterly show)`."""
    found = problems(record)
    if not found:
        return None
    more = len(found) - 1
    tail = f"; {more} more notice{'s' if more > 1 else ''} (quarterly show)" if more else ""
    return f"{name} — {found[0].line()}{tail}"


def note(record: Record) -> str | None:
    """The notices as one sentence-like text for a CSL `note` (`--with-notices`)."""
    lines = banner_lines(record)
    return "; ".join(lines) + "." if lines else None


def with_note(record: Record) -> Record:
    """The record with its notices appended to its CSL `note` (writers print `note`)."""
    text = note(record)
    if text is None:
        return record
    existing = (record.note or "").strip()
    return record.with_(note=f"{existing} {text}" if existing else text)


# --- freshness ---------------------------------------------------------------------------------

DEFAULT_MAX_AGE = "1d"  # `check --max-age`
# `check --max-age` only: compiled on first use (lazy.py; callgrind, ~1.7 M of every start-up).
_age = lazy_pattern(r"\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*", re.IGNORECASE)
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "": 3600}


def parse_age(text: str) -> timedelta:
    """`30m`, `12h`, `1d`, `2w`, or a bare number of hours; ValueError for anything else."""
    from datetime import timedelta

    match = _age().fullmatch(text)
    if not match:
        raise ValueError(f"{text!r} is not an age such as 12h, 1d or 0")
    return timedelta(seconds=float(match.group(1)) * _UNITS[match.group(2).lower()])


def is_stale(checked_at: str | None, max_age: timedelta, now: datetime | None = None) -> bool:
    """Whether notices last checked at `checked_at` (ISO 8601, as the store writes it) are older
    than `max_age`; never checked, or unreadable, is stale."""
    from datetime import datetime, timezone

    if not checked_at:
        return True
    try:
        when = datetime.fromisoformat(checked_at)
    except ValueError:
        return True
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return (now or datetime.now(timezone.utc)) - when >= max_age
