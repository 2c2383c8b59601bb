"""One family of errors, each carrying a sentence a person can act on.

`cli.py` is the only place that turns these into exit codes: `UsageError` subclasses exit 2,
everything else exits 1.
"""

from __future__ import annotations


class QuarterlyError(Exception):
    """Something went wrong that the user can fix or retry; the message says how."""

    exit_code = 1
    # In a batch, an error about one reference is reported for that item and the others go on;
    # an error about the run itself (usage, a damaged package or store) ends it.
    per_item = True


class UsageError(QuarterlyError):
    """The user asked for something malformed (exit 2, like Click's own usage errors)."""

    exit_code = 2
    per_item = False


class BadReferenceError(UsageError):
    """A reference that is neither a DOI nor a readable file."""


class InputFormatError(UsageError):
    """A file given as input is not valid BibTeX, RIS or CSL-JSON."""


class RecordFileError(QuarterlyError):
    """The bundled record file (or another record file) is malformed."""

    per_item = False


class NotFoundError(QuarterlyError):
    """The DOI is well formed but no source knows it."""


class OfflineError(QuarterlyError):
    """The record is not stored and the network may not be used."""


class SourceError(QuarterlyError):
    """A remote source failed or answered with something unusable."""


class RateLimitedError(SourceError):
    """A source asked to wait longer than quarterly waits for one request; `until` (a monotonic
    time) is when it said it would answer again."""

    def __init__(self, message: str, until: float) -> None:
        super().__init__(message)
        self.until = until


class SettingError(QuarterlyError):
    """An environment setting (QUARTERLY_READ_TIMEOUT, …) that cannot be used: it fails every
    lookup alike, so it ends the run."""

    per_item = False


class DamagedRecordError(QuarterlyError):
    """One stored record cannot be read; the others can (fetch it again with --refresh)."""


class StoreError(QuarterlyError):
    """The local SQLite store cannot be opened or written."""

    per_item = False
