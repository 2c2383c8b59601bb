"""Output written whole or not at all, without holding a 100,000-record output in memory."""

from __future__ import annotations

import codecs
import errno
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, BinaryIO, TextIO

from .errors import InputFormatError, QuarterlyError, UsageError

if TYPE_CHECKING:
    from .model import Record

SPILL_BYTES = 8 << 20  # above this, buffered output moves to a temporary file


class Buffered:
    """Output held until all of it was produced, so a failure half-way through a conversion
    prints nothing; past SPILL_BYTES it is kept in a temporary file. It is held as UTF-8, the
    bytes markup.clean_encoded gives (str pieces are encoded on the way in)."""

    def __init__(self, chunks: Iterable[bytes | str]) -> None:
        self._memory: list[bytes] = []
        self._file: BinaryIO | None = None
        size = 0
        for chunk in chunks:  # any error raised while rendering propagates before output
            data = chunk.encode() if isinstance(chunk, str) else chunk
            if self._file is not None:
                self._file.write(data)
                continue
            self._memory.append(data)
            size += len(data)
            if size > SPILL_BYTES:
                import tempfile

                self._file = tempfile.TemporaryFile()
                self._file.writelines(self._memory)
                self._memory = []

    def _data(self) -> Iterator[bytes]:
        if self._file is None:
            yield from self._memory
            return
        self._file.seek(0)
        while data := self._file.read(1 << 20):
            yield data
        self._file.close()

    def pieces(self) -> Iterator[str]:
        """The output as text (a piece read back from the file may end inside a character)."""
        decoder = codecs.getincrementaldecoder("utf-8")()
        for data in self._data():
            yield decoder.decode(data)
        yield decoder.decode(b"", final=True)

    def write_to(self, out: TextIO) -> None:
        """Everything to a text stream, then flushed: as bytes to its binary buffer when it
        writes UTF-8 without translating newlines (they are encoded once, by clean_encoded, not
        again by the stream), else as text in the stream's own encoding."""
        binary = getattr(out, "buffer", None)
        if binary is None or os.linesep != "\n" or codecs.lookup(out.encoding).name != "utf-8":
            for piece in self.pieces():
                out.write(piece)
            out.flush()
            return
        out.flush()
        for data in self._data():
            binary.write(data)
        binary.flush()


def write_atomically(path: str, chunks: Iterable[str] | Iterable[bytes]) -> None:
    """Write to a temporary file beside `path`, then rename: readers never see half a file,
    and an error while rendering leaves any existing file untouched.

    The file ends up as if written in place: through a symlink, the target is replaced (the link
    stays a link); an existing file keeps its permission bits; a new one gets the user's umask
    (the temporary file's own 0600 is for the temporary name only).
    """
    target = os.path.realpath(path)
    directory = os.path.dirname(target) or "."
    try:
        mode = os.stat(target).st_mode & 0o7777
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    except OSError as exc:
        raise QuarterlyError(f"Cannot write {path} ({exc.strerror}). Check the path.") from None
    try:
        fd, tmp = temporary_beside(directory, f".{os.path.basename(target)}.")
    except OSError as exc:
        raise QuarterlyError(f"Cannot write {path} ({exc.strerror}). Check the folder.") from None
    try:
        with os.fdopen(fd, "wb") as handle:  # UTF-8: text is encoded here, bytes are already
            for chunk in chunks:
                handle.write(chunk.encode() if isinstance(chunk, str) else chunk)
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except OSError as exc:
        os.unlink(tmp)
        raise QuarterlyError(f"Cannot write {path} ({exc.strerror}). Check the folder.") from None
    except BaseException:
        os.unlink(tmp)
        raise


def temporary_beside(directory: str, prefix: str) -> tuple[int, str]:
    """A new file in `directory` named `prefix` and 10 random hex digits, created (O_EXCL, not
    through a symlink) with mode 0600 and open for writing: (descriptor, absolute path), as
    tempfile.mkstemp gives. Not mkstemp itself: importing tempfile imports shutil, random, bz2
    and lzma (callgrind, start-up of a conversion to -o FILE: ~10 M instructions)."""
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(
        os, "O_BINARY", 0)
    for _ in range(10_000):  # tempfile.TMP_MAX
        path = os.path.join(directory, prefix + os.urandom(5).hex())
        try:
            return os.open(path, flags, 0o600), os.path.abspath(path)
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "No usable temporary file name found")


def _umask() -> int:
    """The process's umask (reading it means setting it; it is set straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


STDIN_CHUNK = 64 << 10
FILE_CHUNK = 1 << 20  # a file is read in bigger pieces: no one waits on a terminal for them
# A regular file up to this size is read whole (FileText._whole): one with junk after a good head
# is read to its end before the junk is found, and costs at most this much to refuse.
WHOLE_FILE = 64 << 20


class StdinText:
    """Standard input (or a file) as text, decoded as it is read: the first bytes that are not
    text (invalid UTF-8, a NUL byte) stop the run with their line, before the rest is read —
    `quarterly cite -` fed a binary file fails at once, in constant memory. `read(size)` is what
    the streaming CSL-JSON reader calls; `head()` looks ahead without consuming, to tell a
    document from a list of references, or a RIS file from junk."""

    NAME = "Standard input"
    ADVICE = ("Give one reference per line, or a BibTeX, RIS or CSL-JSON document",
              "Give one reference per line, or a BibTeX, RIS or CSL-JSON document saved as UTF-8")

    def __init__(self, raw: BinaryIO, name: str | None = None, chunk: int | None = None) -> None:
        self._raw = raw
        self.name = name or self.NAME
        self._chunk = chunk
        # Plain UTF-8, the byte-order mark taken off by hand (`_bom`): utf-8-sig's decoder
        # counts error offsets from after the mark, which put a bad byte on the wrong line.
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self._bom = True  # a mark may still come: nothing has been decoded yet
        self._text = ""  # decoded, not yet handed out
        self._lines = 0  # newlines in text already handed out or decoded before `_text`
        self._eof = False

    def _next(self) -> str | None:
        """The next decoded piece (possibly empty), or None at the end of input."""
        if self._eof:
            return None
        size = self._chunk or STDIN_CHUNK
        data = self._raw.read(size)
        # A buffered read returns fewer bytes than asked only at the end of input (io docs:
        # "size bytes, or … until EOF"); stopping there means one Ctrl-D ends a terminal's input.
        self._eof = len(data) < size
        pending = self._decoder.getstate()[0]
        try:
            text = self._decoder.decode(data, final=self._eof)
        except UnicodeDecodeError as exc:
            good = (pending + data)[: exc.start].decode("utf-8", "replace")
            raise self._not_utf8(self._line_at(good, len(good))) from None
        if self._bom and text:
            self._bom = False
            text = text.removeprefix("\ufeff")
        nul = text.find("\0")
        if nul >= 0:
            raise self._nul_byte(self._line_at(text, nul))
        return text

    def _not_utf8(self, line: int) -> InputFormatError:
        return InputFormatError(f"{self.name} is not UTF-8 text (line {line}). {self.ADVICE[1]}.")

    def _nul_byte(self, line: int) -> InputFormatError:
        return InputFormatError(
            f"{self.name} holds a NUL byte (line {line}): it is not text. {self.ADVICE[0]}.")

    def _more(self) -> bool:
        text = self._next()
        if text is None:
            return False
        self._text += text
        return True

    def _line_at(self, text: str, index: int) -> int:
        """The line of `text[index]`, `text` being what was decoded after `self._text`."""
        return self._lines + self._text.count("\n") + text.count("\n", 0, index) + 1

    def head(self, size: int = STDIN_CHUNK) -> str:
        """At least `size` characters (fewer at the end of input), not consumed."""
        while len(self._text) < size and self._more():
            pass
        return self._text[:size]

    def read(self, size: int = -1) -> str:
        if size < 0:
            # Pieces are joined once at the end: `self._text += piece` would copy the whole text
            # again for every piece (an attribute gets no in-place concatenation).
            pieces = [self._text]
            lines = self._lines + self._text.count("\n")
            while True:
                self._text, self._lines = "", lines  # for _line_at, should this piece be bad
                piece = self._next()
                if piece is None:
                    break
                pieces.append(piece)
                lines += piece.count("\n")
            self._lines = lines
            return "".join(pieces)
        while len(self._text) < size and self._more():
            pass
        out, self._text = self._text[:size], self._text[size:]
        self._lines += out.count("\n")
        return out


class FileText(StdinText):
    """A file of records (BibTeX, RIS, CSL-JSON) read as StdinText reads standard input: junk
    fails at its first bad bytes, in bigger pieces (readers.iter_path also refuses a file whose
    head is no document before reading on)."""

    ADVICE = ("Give a BibTeX, RIS or CSL-JSON file", "Save the file as UTF-8 and try again")

    def __init__(self, raw: BinaryIO, name: str) -> None:
        super().__init__(raw, name, FILE_CHUNK)
        self._taken = False  # whether `read` has handed out any text

    def read(self, size: int = -1) -> str:
        if size < 0 and not self._taken and not self._eof:
            whole = self._whole()
            if whole is not None:
                return whole
        self._taken = True
        return super().read(size)

    def _whole(self) -> str | None:
        """The text of a regular file of up to WHOLE_FILE bytes, read again from its start in
        one read and decoded in one go; None for a bigger file or one that cannot seek (a pipe),
        read in pieces, which stop at the first bad bytes before the rest is read. The pieces
        and their join touch twice the memory of the text, each page a fresh one that the
        kernel faults in (~3.5 us a page here): on the 10,000 real RIS records of
        benchmarks/run.py (15 MB, 30 MB as text) the read took 17,300 page faults and ~72 ms
        of CPU in pieces, 11,700 and ~45 ms so (medians of 6 fresh processes, getrusage around
        head() and read()). The first bad bytes or NUL byte are reported as the pieces report
        them (the first in the file)."""
        try:
            info = os.fstat(self._raw.fileno())
            if not stat.S_ISREG(info.st_mode) or info.st_size > WHOLE_FILE:
                return None
            self._raw.seek(0)
        except (OSError, ValueError, AttributeError):  # io.UnsupportedOperation is an OSError
            return None
        data = self._raw.read()
        nul = data.find(b"\0")
        try:  # up to the NUL: a file of zeros after its head is not decoded whole
            text = codecs.utf_8_decode(memoryview(data)[: nul if nul >= 0 else len(data)],
                                       "strict", True)[0]
        except UnicodeDecodeError as exc:
            raise self._not_utf8(data.count(b"\n", 0, exc.start) + 1) from None
        if nul >= 0:
            raise self._nul_byte(data.count(b"\n", 0, nul) + 1)
        self._text, self._eof, self._taken = "", True, True
        return text.removeprefix("\ufeff")


def stdin_input(raw: BinaryIO) -> str | StdinText:
    """What `-` stands for: a CSL-JSON document as a stream (read item by item, like a file);
    anything else — reference lines, a BibTeX or RIS document, whose readers take whole text —
    as text, read chunk by chunk so that bad bytes stop it early."""
    from .readers import sniff

    text = StdinText(raw)
    if sniff(text.head()) == "csl-json":
        return text
    return text.read()


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
