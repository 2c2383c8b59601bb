"""What a record says about other works: update notices (corrections, retractions, expressions
of concern, new versions) and Crossref relations (preprints, versions). Record holds them in
`updates` and `relations`; most records have none.

Apart from model.py so that a conversion of a file, whose records hold none, never creates these
two dataclasses: callgrind, ~8 M instructions of start-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Date


@dataclass(frozen=True, slots=True)
class Update:
    """A notice about a work: correction, retraction, expression of concern, new version, …

    `direction` is `updated-by` (this record is corrected/retracted by the notice `DOI`) or
    `update-to` (this record is itself the notice, about the work `DOI`). `source` says who
    asserts it (`publisher`, `retraction-watch`, `pubmed`).
    """

    type: str
    DOI: str
    direction: str
    date: Date | None = None
    label: str | None = None
    source: str | None = None
    record_id: str | None = None  # Retraction Watch's record number
    PMID: str | None = None  # PubMed's notice, for notices that come from PubMed

    @property
    def issued(self) -> tuple[int, ...]:
        return self.date.parts if self.date else ()


@dataclass(frozen=True, slots=True)
class Relation:
    """A Crossref `relation` (`is-preprint-of`, `has-preprint`, `is-version-of`, …)."""

    type: str
    id: str
    id_type: str = "doi"
