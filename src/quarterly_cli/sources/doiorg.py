"""doi.org content negotiation, the last resort for DOIs Crossref does not know — DataCite
(Zenodo, Dryad, arXiv, figshare), mEDRA, JaLC, …:

    GET {QUARTERLY_DOI_URL}/{doi}   Accept: application/vnd.citationstyles.csl+json

doi.org redirects to the registration agency's own service, which answers with one CSL-JSON item
(https://citation.crosscite.org/docs.html). The item is read by the CSL-JSON reader, so it gets
the same hostile-text rules as any CSL-JSON file; only the network call lives here.
"""

from __future__ import annotations

import json
import os
from typing import Any
from urllib.parse import quote

from .. import doi as doi_mod
from ..errors import NotFoundError, SourceError
from ..markup import lone_surrogate
from ..model import Record
from . import http
from .seam import Policy, Source, one_request_each

DEFAULT_BASE_URL = "https://doi.org"
SETTING = "QUARTERLY_DOI_URL"
ACCEPT = "application/vnd.citationstyles.csl+json"
# CSL 1.0 holds these as one string; agencies' CSL (Crossref's among them) sends arrays.
_JOINED = ("ISSN", "ISBN", "keyword")


def base_url() -> str:
    return os.environ.get(SETTING, DEFAULT_BASE_URL).rstrip("/")


def policy() -> Policy:
    """doi.org and the agencies behind it publish no numbers; this stays well below Crossref's
    public pool."""
    return Policy(2, 5.0)


def fetch(doi: str, gate: http.Gate) -> Record:
    # Everything but `/` percent-encoded: `#`, `?` and `%` in old DOIs would otherwise end the path.
    url = f"{base_url()}/{quote(doi, safe='/')}"
    with gate:
        response = http.get(url, params=None, user_agent=http.user_agent(), service="doi.org",
                            setting=SETTING, accept=ACCEPT)
    if response.status == 404:
        raise NotFoundError("no such DOI at doi.org (404). Check the DOI for typos.")
    if response.status in (204, 406):
        raise NotFoundError(f"the DOI's registration agency has no citation data for it "
                            f"({response.status}).")
    if response.status != 200:
        raise SourceError(f"doi.org answered {response.status}. Try again later.")
    try:
        item = json.loads(response.body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise SourceError("doi.org sent something that is not CSL-JSON (a landing page or a "
                          "truncated answer). Try again later.") from None
    bad = lone_surrogate(item)
    if bad:
        raise SourceError(f"doi.org's answer holds the escape {bad}, half of a UTF-16 surrogate "
                          "pair without its other half, which is no character. Try --source "
                          "crossref, or report the record to its registration agency.")
    return record_from_csl(item, doi)


def record_from_csl(item: Any, doi: str) -> Record:
    """One CSL-JSON item from content negotiation → Record (pure; SourceError if unusable)."""
    from ..readers.csljson import record_from_item

    if not isinstance(item, dict):
        raise SourceError("doi.org's answer is not a CSL-JSON item. Try again later.")
    item = {k: ", ".join(str(x) for x in v) if k in _JOINED and isinstance(v, list) else v
            for k, v in item.items()}
    item.setdefault("type", "document")
    try:
        record = record_from_item(item)
    except ValueError as exc:  # the reader's item error: a field of the wrong shape
        raise SourceError(f"doi.org's CSL-JSON cannot be read ({exc}).") from None
    given = doi_mod.parse(record.DOI or "")
    if given is not None and doi_mod.key(given) != doi_mod.key(doi):
        raise SourceError(f"doi.org answered with another DOI ({given}); not using it.")
    if not record.title:
        raise SourceError("doi.org's record has no title; it cannot be used.")
    return record.with_(DOI=given or doi, source="doi.org",
                        abstract_source="doi.org" if record.abstract else None)


fetch_many = one_request_each(fetch)  # one request per DOI, as many at once as the gate allows


SOURCE = Source("doi.org", "doi.org", ("doi",), policy, fetch_many)
