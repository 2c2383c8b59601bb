"""Output written whole or not at all, without holding a 100,000-record output in memory."""

from __future__ import annotations

import codecs
import os
import stat
from collections.abc import Iterable, Iterator
from typing import BinaryIO, TextIO

from .errors import InputFormatError, QuarterlyError
from .markup import CONTROL_BYTES

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
    (mkstemp's own 0600 is for the temporary name only).
    """
    import tempfile  # only when writing a file: it imports shutil, random, bz2 and lzma

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


# The C0 controls but newline (tab and carriage return included), and DEL.
_CONTROLS = b"\t" + CONTROL_BYTES


class FileText(StdinText):
    """A file of records (BibTeX, RIS, CSL-JSON) read as StdinText reads standard input: junk
    fails at its first bad bytes, in bigger pieces (readers.iter_path also refuses a file whose
    head is no document before reading on)."""

    ADVICE = ("Give a BibTeX, RIS or CSL-JSON file", "Save the file as UTF-8 and try again")

    def __init__(self, raw: BinaryIO, name: str) -> None:
        super().__init__(raw, name, FILE_CHUNK)
        self._taken = False  # whether `read` has handed out any text
        # The C0 control bytes but newline, and DEL, that the file holds, when it was read
        # whole (`_whole`); None when it was read in pieces. A reader may skip its own search
        # for controls in every value of a file that holds none (readers/ris.py, _scan).
        self.controls: bytes | None = None

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
        # One memchr over the bytes per control (~1.5 ms for 12 MB), where the text's own
        # search would go through its UCS-2 characters (~25 ms).
        self.controls = bytes(byte for byte in _CONTROLS if byte in data)
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
