"""Output written whole or not at all, without holding a 100,000-record output in memory."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator

from .errors import QuarterlyError

SPILL_BYTES = 8 << 20  # above this, buffered output moves to a temporary file


class Buffered:
    """Output pieces held until all of them were produced, so a failure half-way through a
    conversion prints nothing; past SPILL_BYTES they are kept in a temporary file."""

    def __init__(self, chunks: Iterable[str]) -> None:
        self._memory: list[str] = []
        self._file = None
        size = 0
        for chunk in chunks:  # any error raised while rendering propagates before output
            if self._file is not None:
                self._file.write(chunk)
                continue
            self._memory.append(chunk)
            size += len(chunk)
            if size > SPILL_BYTES:
                import tempfile

                self._file = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")
                self._file.writelines(self._memory)
                self._memory = []

    def pieces(self) -> Iterator[str]:
        if self._file is None:
            yield from self._memory
            return
        self._file.seek(0)
        while piece := self._file.read(1 << 20):
            yield piece
        self._file.close()


def write_atomically(path: str, chunks: Iterable[str]) -> None:
    """Write to a temporary file beside `path`, then rename: readers never see half a file,
    and an error while rendering leaves any existing file untouched.

    The file ends up as if written in place: through a symlink, the target is replaced (the link
    stays a link); an existing file keeps its permission bits; a new one gets the user's umask
    (mkstemp's own 0600 is for the temporary name only).
    """
    import tempfile

    target = os.path.realpath(path)
    directory = os.path.dirname(target) or "."
    try:
        mode = os.stat(target).st_mode & 0o7777
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    except OSError as exc:
        raise QuarterlyError(f"Cannot write {path} ({exc.strerror}). Check the path.") from None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.", dir=directory)
    except OSError as exc:
        raise QuarterlyError(f"Cannot write {path} ({exc.strerror}). Check the folder.") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            for chunk in chunks:
                handle.write(chunk)
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except OSError as exc:
        os.unlink(tmp)
        raise QuarterlyError(f"Cannot write {path} ({exc.strerror}). Check the folder.") from None
    except BaseException:
        os.unlink(tmp)
        raise


def _umask() -> int:
    """The process's umask (reading it means setting it; it is set straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
