"""`-o FILE --append`: what FILE holds already, and the records to add to it.

Apart from fileio.py, which every conversion to a file imports, so that one without --append
never creates the Appending dataclass: callgrind, ~2.7 M instructions of start-up.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .errors import QuarterlyError, UsageError
from .fileio import FileText

if TYPE_CHECKING:
    from .model import Record


# `--append` reads the file back, so it takes only formats quarterly reads: format → reader kind.
APPENDABLE = {"bibtex": "bibtex", "biblatex": "bibtex", "ris": "ris", "csl-json": "csl-json",
              "json": "csl-json"}


@dataclass
class Appending:
    """What `-o FILE --append` found in FILE: its text, and what identifies its records."""

    path: str
    kind: str  # reader kind of the format being written
    text: str = ""
    seen: set[tuple[str, str]] = field(default_factory=set)  # (kind, key) of DOIs, PMIDs, PMCIDs
    keys: set[str] = field(default_factory=set)  # citation keys (FILE's, then the new ones')
    file_keys: frozenset[str] = frozenset()  # FILE's citation keys
    skipped: list[str] = field(default_factory=list)  # what was already there, for the note

    @classmethod
    def read(cls, path: str, format_name: str) -> Appending:
        """FILE as it is now (absent or empty: nothing yet). Refuses a format quarterly cannot
        read back, and a file holding another format, before anything is looked up."""
        from .identifiers import of_record
        from .readers import read_text, sniff

        kind = APPENDABLE.get(format_name)
        if kind is None:
            raise UsageError(f"--append needs a format quarterly can read back to find what "
                             f"{os.path.basename(path)} already holds: "
                             f"{', '.join(APPENDABLE)}.")
        state = cls(path, kind)
        try:
            with open(path, "rb") as handle:
                # Decoded as files of records are: bad bytes or a NUL are one error line that
                # names the line they are on.
                state.text = FileText(handle, path).read()
        except FileNotFoundError:
            return state
        except OSError as exc:
            raise QuarterlyError(f"Cannot read {path} ({exc.strerror}). Check the path.") from None
        if not state.text.strip():
            return state
        found = sniff(state.text)
        if found != kind:
            raise UsageError(f"{path} does not hold {format_name} entries (it reads as "
                             f"{found or 'none of BibTeX, RIS, CSL-JSON'}); append to a file of "
                             "the same format.")
        for record in read_text(state.text, path, kind):
            state.seen.update((i.kind, i.key) for i in of_record(record))
            if record.id:
                state.keys.add(record.id)
        state.file_keys = frozenset(state.keys)
        return state

    def new(self, records: Iterable[Record]) -> Iterator[Record]:
        """The records not in the file yet — by DOI, PMID or PMCID, or by citation key for a
        record with none — each once."""
        from .identifiers import of_record

        for record in records:
            found = {(i.kind, i.key) for i in of_record(record)}
            if (found & self.seen) or (not found and record.id and record.id in self.keys):
                self.skipped.append(record.DOI or (record.id or "") or record.title)
                continue
            self.seen |= found
            if record.id:
                self.keys.add(record.id)
            yield record

    def keyed(self, records: Iterable[Record]) -> list[Record]:
        """The new records, each with the citation key it is written with, one FILE does not
        use yet (formats._fields.keys_beside): a new `mathers2014challenge` beside FILE's
        becomes `mathers2014challengea`. A key the input gave that FILE already uses is changed
        the same way, with a warning (documents cite keys)."""
        from .diagnostics import warn
        from .formats._fields import keys_beside
        from .markup import plain

        records = list(records)
        out = []
        for record, key in zip(records, keys_beside(records, self.file_keys), strict=True):
            if record.id and record.id in self.file_keys:
                what = (record.DOI or (f"PMID {record.PMID}" if record.PMID else "")
                        or plain(record.title) or "untitled")
                warn(f"{self.path} already has an entry with the key {record.id}; the new one "
                     f"({what}) is written as {key}.")
            # The writers take the key from `id`, RIS's ID from citation-key first: both set.
            if record.get("citation-key") not in (None, key):
                record = record.with_(citation_key=key)
            out.append(record if record.id == key else record.with_(id=key))
        return out

    def chunks(self, rendered: Iterable[str]) -> Iterator[str]:
        """The file's text, then the new entries (at least one): after a blank line for BibTeX
        and RIS, inside the same array for CSL-JSON."""
        pieces = iter(rendered)
        first = next((piece for piece in pieces if piece), "")
        existing = self.text.rstrip()
        if not existing:
            yield first
        elif self.kind != "csl-json":
            yield existing + "\n\n" + first
        else:
            # A CSL-JSON array (or one item) and the writer's `[\n  {…` become one array.
            body = existing[:-1].rstrip() if existing.startswith("[") else "[\n  " + existing
            items = first.lstrip()[1:].lstrip()
            yield (body + ",\n  " if body != "[" else "[\n  ") + items
        yield from pieces
