"""Reference text → records, through the bundled article, the local store and Crossref.

    reference text ──► Reference ──► source (bundled | store | Crossref | file) ──► Record(s)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import doi as doi_mod
from .bundled import BUNDLED_DOI, bundled_record
from .errors import BadReferenceError, OfflineError
from .model import Record

if TYPE_CHECKING:
    from .store import Store


@dataclass(frozen=True, slots=True)
class Reference:
    text: str  # as the user wrote it, for messages
    doi: str | None = None
    path: str | None = None  # a file of records (BibTeX, RIS, CSL-JSON)
    bundled: bool = False


def parse_reference(text: str) -> Reference:
    """Classify one reference; raises BadReferenceError (exit 2) for anything unrecognised."""
    doi = doi_mod.parse(text)
    if doi is not None:
        return Reference(text, doi=doi, bundled=doi_mod.key(doi) == doi_mod.key(BUNDLED_DOI))
    path = os.path.expanduser(text.strip())
    if os.path.isfile(path):
        return Reference(text, path=path)
    if text.strip() and any(text.strip().endswith(s) for s in (".bib", ".ris", ".json")):
        raise BadReferenceError(f"No such file: {text.strip()}. Check the path.")
    raise BadReferenceError(
        f"Not a DOI or a file: {text.strip()!r}. Give a DOI as {doi_mod.ACCEPTED_FORMS}, "
        "or a .bib, .ris or .json file."
    )


@dataclass
class Resolver:
    """Finds DOIs without the network — the bundled article, then the store. `batch` fetches
    the rest from Crossref and stores them through `store`."""

    offline: bool = False
    refresh: bool = False
    _store: Store | None = None

    @property
    def store(self) -> Store:
        """Opened on first use: the bundled article needs neither sqlite3 nor the store."""
        if self._store is None:
            from .store import Store

            self._store = Store()
        return self._store

    def local(self, doi: str) -> Record | None:
        """The record without the network, or None when it must be fetched."""
        if doi_mod.key(doi) == doi_mod.key(BUNDLED_DOI):
            return bundled_record()
        if not self.refresh:
            stored = self.store.get(doi)
            if stored is not None:
                return stored.record
        if self.offline:
            raise OfflineError(
                "not in the local store, and --offline forbids the network. "
                "Run once without --offline to fetch it."
            )
        return None

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
