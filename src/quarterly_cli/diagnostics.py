"""Warnings about input that was read anyway — a duplicate citation key, a RIS record without
`ER  -`, a field that had to be dropped: one line each on standard error, never on stdout.

Readers call `warn()`; the CLI decides where warnings go (`--quiet` silences them) and tests
capture them with `capture()`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_sink: Callable[[str], None] | None = None
_quiet = False


def warn(message: str) -> None:
    """One `Warning: …` line on stderr (control characters removed: messages quote input)."""
    from .markup import squash_space, strip_controls

    line = "Warning: " + squash_space(strip_controls(message))
    if _sink is not None:
        _sink(line)
    elif not _quiet:
        sys.stderr.write(line + "\n")


def set_quiet(quiet: bool) -> None:
    global _quiet
    _quiet = quiet


@contextmanager
def capture() -> Iterator[list[str]]:
    """Collect warnings instead of printing them (tests, and callers that report them later)."""
    global _sink
    lines: list[str] = []
    previous, _sink = _sink, lines.append
    try:
        yield lines
    finally:
        _sink = previous
