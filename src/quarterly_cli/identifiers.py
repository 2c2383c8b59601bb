"""The identifiers a record can be found by: DOI, PMID, PMCID.

`Identifier.key` is the form used to compare and store them: DOIs case-folded (DOIs are
case-insensitive), PMIDs without leading zeros, PMCIDs upper-case with their `PMC` prefix.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

from . import doi as doi_mod

if TYPE_CHECKING:
    from .model import Record

KINDS = ("doi", "pmid", "pmcid")
_PMID = re.compile(r"0*([1-9]\d{0,8})")
_PMCID = re.compile(r"(?:PMC)?0*([1-9]\d{0,9})", re.IGNORECASE)


class Identifier(NamedTuple):
    kind: str  # doi | pmid | pmcid
    value: str  # as given (a DOI keeps its spelling)

    @property
    def key(self) -> str:
        if self.kind == "doi":
            return doi_mod.key(self.value)
        if self.kind == "pmid":
            match = _PMID.fullmatch(self.value.strip())
            return match.group(1) if match else self.value.strip()
        match = _PMCID.fullmatch(self.value.strip())
        return f"PMC{match.group(1)}" if match else self.value.strip().upper()

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"


def valid_pmid(text: str) -> str | None:
    """`25492602` (leading zeros dropped), or None when `text` is not a PMID."""
    match = _PMID.fullmatch(text.strip())
    return match.group(1) if match else None


def valid_pmcid(text: str) -> str | None:
    """`PMC4266174` from `PMC4266174`, `pmc4266174` or `4266174` with the prefix; else None."""
    text = text.strip()
    if not text[:3].upper() == "PMC":
        return None
    match = _PMCID.fullmatch(text)
    return f"PMC{match.group(1)}" if match else None


def of_record(record: Record) -> list[Identifier]:
    """Every identifier the record carries, DOI first."""
    out = []
    if record.DOI:
        out.append(Identifier("doi", record.DOI))
    pmid = valid_pmid(record.PMID or "")
    if pmid:
        out.append(Identifier("pmid", pmid))
    pmcid = valid_pmcid(record.PMCID or "")
    if pmcid:
        out.append(Identifier("pmcid", pmcid))
    return out
