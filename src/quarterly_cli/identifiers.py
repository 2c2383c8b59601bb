"""The identifiers a record can be found by: DOI, PMID, PMCID — and the forms people paste them in.

`Identifier.key` is the form used to compare and store them: DOIs case-folded (DOIs are
case-insensitive), PMIDs without leading zeros, PMCIDs upper-case with their `PMC` prefix.

`parse` reads a reference as written: `10.…` / `doi:10.…` / doi.org URLs, `pmid:25492602` /
`PMID: 25492602` / PubMed URLs, `PMC4266174` / `pmcid:PMC4266174` / PMC URLs. Punctuation copied
from the end of a sentence (`10.1111/1468-0009.12090.`) is dropped first. Bare digits are a PMID
only to the caller who has checked that no file has that name (`resolve.parse_reference`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

from . import doi as doi_mod
from .lazy import lazy_pattern

if TYPE_CHECKING:
    from .model import Record

KINDS = ("doi", "pmid", "pmcid")
LABELS = {"doi": "DOI", "pmid": "PMID", "pmcid": "PMCID"}
# Compiled on first use (lazy.py): a reference that names a file needs neither (callgrind,
# start-up of a conversion, ~2.5 M instructions; IGNORECASE makes the second costly).
_pmid = lazy_pattern(r"0*([1-9]\d{0,8})")
_pmcid = lazy_pattern(r"(?:PMC)?0*([1-9]\d{0,9})", re.IGNORECASE)
_pmid_forms = lazy_pattern(
    r"(?:pmid\s*:?\s*"
    r"|(?:https?://)?(?:www\.)?(?:pubmed\.ncbi\.nlm\.nih\.gov/|ncbi\.nlm\.nih\.gov/pubmed/))"
    r"(\d+)/?(?:[?#]\S*)?", re.IGNORECASE)
_pmcid_forms = lazy_pattern(
    r"(?:pmcid\s*:?\s*"
    r"|(?:https?://)?(?:www\.ncbi\.nlm\.nih\.gov/pmc/articles/|pmc\.ncbi\.nlm\.nih\.gov/articles/))?"
    r"(PMC\d+)/?(?:[?#]\S*)?", re.IGNORECASE)
_pmcid_digits = lazy_pattern(r"pmcid\s*:?\s*(\d+)", re.IGNORECASE)
_TRAILING = ".,;:"
_PAIRS = {")": "(", "]": "["}


class Identifier(NamedTuple):
    kind: str  # doi | pmid | pmcid
    value: str  # as given (a DOI keeps its spelling)

    @property
    def key(self) -> str:
        if self.kind == "doi":
            return doi_mod.key(self.value)
        if self.kind == "pmid":
            match = _pmid().fullmatch(self.value.strip())
            return match.group(1) if match else self.value.strip()
        match = _pmcid().fullmatch(self.value.strip())
        return f"PMC{match.group(1)}" if match else self.value.strip().upper()

    @property
    def label(self) -> str:
        return LABELS[self.kind]

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"


def valid_pmid(text: str) -> str | None:
    """`25492602` (leading zeros dropped), or None when `text` is not a PMID."""
    match = _pmid().fullmatch(text.strip())
    return match.group(1) if match else None


def valid_pmcid(text: str) -> str | None:
    """`PMC4266174` from `PMC4266174`, `pmc4266174` or `4266174` with the prefix; else None."""
    text = text.strip()
    if not text[:3].upper() == "PMC":
        return None
    match = _pmcid().fullmatch(text)
    return f"PMC{match.group(1)}" if match else None


def trim_prose(text: str) -> str:
    """`10.1/x.` → `10.1/x`; `(see 10.1/x)` keeps its inner brackets. Sentence punctuation and
    closing brackets that open nowhere in the text are not part of an identifier."""
    text = text.strip()
    while text:
        last = text[-1]
        if last in _TRAILING:
            text = text[:-1].rstrip()
        elif last in _PAIRS and text.count(last) > text.count(_PAIRS[last]):
            text = text[:-1].rstrip()
        else:
            break
    return text


def parse(text: str) -> Identifier | None:
    """The DOI, PMID or PMCID in `text` (see the module docstring), or None."""
    text = trim_prose(text)
    if not text:
        return None
    doi = doi_mod.parse(text)
    if doi is not None:
        return Identifier("doi", doi)
    lowered = text.lower()
    if "pm" not in lowered and "pubmed" not in lowered:
        # Every PMID and PMCID form holds `pm` (pmid:, PMC…) or `pubmed` (a PubMed URL) in some
        # letter case, and no other character is one of those letters to IGNORECASE or lower():
        # a file's name, the usual reference without a DOI, skips the three patterns, which are
        # compiled on first use (callgrind, start-up of a conversion: ~3.3 M instructions).
        # tests/test_resolve.py holds it to the patterns.
        return None
    match = _pmid_forms().fullmatch(text)
    if match and valid_pmid(match.group(1)):
        return Identifier("pmid", valid_pmid(match.group(1)) or "")
    match = _pmcid_forms().fullmatch(text) or _pmcid_digits().fullmatch(text)
    if match:
        digits = match.group(1)
        pmcid = valid_pmcid(digits if digits[:3].upper() == "PMC" else f"PMC{digits}")
        if pmcid:
            return Identifier("pmcid", pmcid)
    return None


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
