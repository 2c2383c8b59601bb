"""Recognise DOIs in the forms people paste them.

A DOI is `10.` + registrant code (digits and dots) + `/` + suffix (any printable characters);
it is case-insensitive (https://www.doi.org/the-identifier/resources/handbook/2_numbering#2.4),
so `key()` case-folds it for comparison and storage while `parse()` keeps the spelling given.
"""

from __future__ import annotations

import re

_DOI = re.compile(r"10\.\d{4,9}(?:\.\d+)*/\S+")
# _DOI for an ASCII text that is printable too (`\S` and printable, in ASCII: `!` to `~`): a bare
# DOI as nearly every file holds it, told by one match (see parse).
_BARE_ASCII_DOI = re.compile(r"10\.[0-9]{4,9}(?:\.[0-9]+)*/[!-~]+")
_PREFIXES = re.compile(
    r"^(?:doi:\s*|(?:https?://)?(?:dx\.)?doi\.org/|info:doi/)", re.IGNORECASE
)

ACCEPTED_FORMS = "10.xxxx/…, doi:10.xxxx/…, https://doi.org/10.xxxx/… or http://dx.doi.org/10.xxxx/…"


def parse(text: str) -> str | None:
    """The bare DOI in `text`, or None when `text` is not a DOI in an accepted form."""
    candidate = text.strip()
    if _BARE_ASCII_DOI.fullmatch(candidate):
        # What the general path below returns for it (no prefix: it starts with a digit; _DOI
        # matches it and it is printable), without startswith() and isprintable(): ~385 ->
        # ~220 ns a DOI; RIS -> BibTeX of records-10000.ris 3,632M -> 3,613M instructions
        # (callgrind). tests/test_doi.py holds it to the general rule.
        return candidate
    # A bare DOI (`10.…`, nearly every one a file holds) has none of the prefixes, which start
    # with a letter: their case-blind match is skipped (RIS -> BibTeX of the synthetic
    # records-10000.ris and its 10,000 DOIs, callgrind: 3,943M -> 3,926M instructions).
    # tests/test_doi.py holds it to the match for every text.
    match = None if candidate.startswith("10.") else _PREFIXES.match(candidate)
    if match:
        candidate = candidate[match.end():]
        if "%" in candidate:
            # urllib.parse (and the ipaddress module it imports) only here and in url():
            # callgrind, start-up of a conversion, ~9 M instructions.
            from urllib.parse import unquote

            candidate = unquote(candidate)
    if _DOI.fullmatch(candidate) and candidate.isprintable():
        return candidate
    return None


def key(doi: str) -> str:
    """The form used to compare and store DOIs."""
    return doi.casefold()


def url(doi: str) -> str:
    """https://doi.org/ URL, percent-encoding what a URL cannot hold (old Wiley DOIs carry <>;)."""
    from urllib.parse import quote

    return "https://doi.org/" + quote(doi, safe="/:;()._-")
