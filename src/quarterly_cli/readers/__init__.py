"""Files of records as input: BibTeX (own scanner), RIS (read as rispy reads it) and CSL-JSON.

The format comes from the content: `.bib` and `.json` files are taken at their word, anything
else (`.ris`, `.txt`, no extension, standard input) is recognised by what it holds — a RIS
record may follow a preamble (Ovid's `1.`, Cochrane's `Record #3 of 18`) and a byte-order mark.
MEDLINE/PubMed-format (`PMID- `) and Web of Science tagged files are recognised and refused with
an error that names them. Malformed input is a usage error (exit 2) whose message names the file,
the position and the reason.
"""

from __future__ import annotations

import gc
import os
import re
from collections.abc import Iterator

from ..errors import InputFormatError
from ..lazy import lazy_pattern
from ..model import Record

# Extensions whose files are taken at their word; the others are read by their content.
_EXTENSIONS = {".bib": "bibtex", ".bibtex": "bibtex", ".json": "csl-json"}
_RIS = re.compile(r"^\ufeff?[ \t]*TY {1,2}- ", re.MULTILINE)
# Looked for only in a text that is no RIS: compiled on first use (lazy.py; callgrind, ~0.8 M of
# start-up).
_medline = lazy_pattern(r"^\ufeff?PMID- ?\d", re.MULTILINE)
_wos = lazy_pattern(r"^\ufeff?(?:FN (?:Clarivate|Thomson)|PT [A-Z]\s*$)", re.MULTILINE)
# Formats recognised only to say which they are and what to do instead.
REFUSED = {
    "medline": "a MEDLINE/PubMed-format file ('PMID- ' tags), which quarterly does not read. "
               "In PubMed choose Send to > Citation manager (RIS) and give that file",
    "wos": "a Web of Science tagged file ('PT J' ... 'ER'), which quarterly does not read. "
           "Export from Web of Science as 'RIS (other reference software)' and give that file",
}


def sniff(text: str) -> str | None:
    """Which document format `text` is, or None when it looks like a list of references."""
    start = text.lstrip("\ufeff \t\r\n")
    if start.startswith(("[", "{")):
        return "csl-json"
    if _RIS.search(text):
        return "ris"
    if _medline().search(text):
        return "medline"
    if _wos().search(text):
        return "wos"
    if re.search(r"^\s*@\s*[A-Za-z]+\s*[{(]", text, re.MULTILINE):
        return "bibtex"
    return None


def read_text(text: str, name: str, kind: str | None = None,
              controls: bytes | None = None) -> list[Record]:
    """The records of a document; `controls`, when known, the C0 control bytes but newline,
    and DEL, that the file holds (fileio.FileText.controls)."""
    kind = kind or sniff(text)
    if kind == "csl-json":
        from .csljson import read

        return read(text, name)
    if kind == "bibtex":
        from .bibtex import read

        return read(text, name)
    if kind == "ris":
        from .ris import read as read_ris

        return read_ris(text, name, controls)
    raise refusal(kind, name)


def refusal(kind: str | None, name: str) -> InputFormatError:
    """The error for a text that is none of the formats read: named when it is a known one."""
    if kind in REFUSED:
        return InputFormatError(f"{name}: {REFUSED[kind]}.")
    return InputFormatError(f"{name}: not BibTeX, RIS or CSL-JSON. Give a .bib, .ris or .json "
                            "file.")


def _kind_of(path: str, head: str) -> str | None:
    """The format of a file: from its extension when that is `.bib` or `.json`, else from its
    first 64 KiB, `head` (a `.ris` or `.txt` file may be RIS after a preamble, or MEDLINE)."""
    kind = _EXTENSIONS.get(os.path.splitext(path)[1].lower())
    if kind is not None:
        return kind
    found = sniff(head)
    if found is None and path.lower().endswith(".ris"):
        return "ris"  # the RIS reader then says what is missing
    return found


def iter_path(path: str, kind: str | None = None) -> Iterator[Record]:
    """Records from a file, lazily; `kind` (bibtex, ris, csl-json) when the caller knows it,
    else the extension (`.bib`, `.json`), else the content decides. Errors surface on iteration.

    The file is opened once (it may be a pipe, as `quarterly cite <(curl …)` gives) and decoded
    as it is read (fileio.FileText): bytes that are not UTF-8, or a NUL, stop the run where they
    are, and a file whose first 64 KiB are not a document quarterly reads is refused before the
    rest is read — a 2 GB binary named `refs.ris` fails at once, in constant memory. CSL-JSON is
    streamed item by item (libraries of 100,000 records); BibTeX and RIS are read whole (a
    regular file of up to fileio.WHOLE_FILE bytes in one read, decoded in one go), and RIS
    records are made from that text as they are asked for."""
    from ..fileio import FileText

    try:
        with open(path, "rb") as handle:
            text = FileText(handle, path)
            kind = kind or _kind_of(path, text.head(64 << 10))
            if kind == "csl-json":
                from .csljson import iter_items

                yield from iter_items(text, path)
                return
            if kind not in ("bibtex", "ris"):
                raise refusal(kind, path)
            whole = text.read()
    except OSError as exc:
        raise InputFormatError(f"{path}: cannot read it ({exc.strerror}).") from None
    yield from _read_whole(whole, path, kind, text.controls)


def _read_whole(text: str, path: str, kind: str, controls: bytes | None) -> Iterator[Record]:
    """The records of a whole BibTeX or RIS text, handed on as each is made (RIS) or once all
    are (BibTeX, whose `crossref` and `xdata` need every entry first), with the cyclic collector
    paused from the first to the last.

    A conversion makes records, their tables and their output, with no reference cycles: each
    is freed by reference counting, and the collector would only walk them — again and again as
    records pile up in a reader or a style that sorts them. So it is paused while the file is
    read and its records are handed on, the caller's work on each included (on the 10,000 real
    records of benchmarks/run.py: RIS 1.70 s -> 1.38 s, BibTeX 1.01 s -> 0.78 s when it was
    paused for the reading alone; RIS -> BibTeX of records-10000.ris, side by side (15
    rounds), 477 -> 449 ms with the writing too and the records made as the scan reads them).
    At the end, whatever is still alive (the records a style keeps to sort, the caches of names
    and dates) is moved to the oldest generation (gc.freeze, then gc.unfreeze), so that the
    collections after it do not walk it all from the youngest one up; left alone when the
    process has frozen objects of its own. RIS -> BibTeX of 10,000 real records spent 0.13-0.23
    s in collections when the records were left young after reading, 0.01-0.04 s when they
    were frozen while handed on (before), and spends 5 ms now (gc.callbacks)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        if kind == "ris":
            from .ris import iter_records

            yield from iter_records(text, path, controls)
        else:
            yield from read_text(text, path, kind, controls)
    finally:
        if enabled:
            if not gc.get_freeze_count():
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def read_path(path: str, kind: str | None = None) -> list[Record]:
    """All records of a file (see iter_path)."""
    return list(iter_path(path, kind))
