"""Writing output files whole or not at all."""

from __future__ import annotations

import os
import tempfile

from .errors import QuarterlyError


def write_atomically(path: str, text: str) -> None:
    """Write to a temporary file beside `path`, then rename: readers never see half a file."""
    directory = os.path.dirname(path) or "."
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", dir=directory)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError as exc:
        raise QuarterlyError(f"Cannot write {path} ({exc.strerror}). Check the folder.") from None
