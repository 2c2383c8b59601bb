"""Files of records as input: BibTeX (bibtexparser v2), RIS (read as rispy reads it) and CSL-JSON.

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
from ..model import Record

# Extensions whose files are taken at their word; the others are read by their content.
_EXTENSIONS = {".bib": "bibtex", ".bibtex": "bibtex", ".json": "csl-json"}
_RIS = re.compile(r"^\ufeff?[ \t]*TY {1,2}- ", re.MULTILINE)
_MEDLINE = re.compile(r"^\ufeff?PMID- ?\d", re.MULTILINE)
_WOS = re.compile(r"^\ufeff?(?:FN (?:Clarivate|Thomson)|PT [A-Z]\s*$)", re.MULTILINE)
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
    if _MEDLINE.search(text):
        return "medline"
    if _WOS.search(text):
        return "wos"
    if re.search(r"^\s*@\s*[A-Za-z]+\s*[{(]", text, re.MULTILINE):
        return "bibtex"
    return None


def read_text(text: str, name: str, kind: str | None = None) -> list[Record]:
    kind = kind or sniff(text)
    if kind == "csl-json":
        from .csljson import read

        return read(text, name)
    if kind == "bibtex":
        from .bibtex import read

        return read(text, name)
    if kind == "ris":
        from .ris import read

        return read(text, name)
    if kind in REFUSED:
        raise InputFormatError(f"{name}: {REFUSED[kind]}.")
    raise InputFormatError(
        f"{name}: not BibTeX, RIS or CSL-JSON. Give a .bib, .ris or .json file.")


def _kind_of(path: str, head: str | None = None) -> str | None:
    """The format of a file: from its extension when that is `.bib` or `.json`, else from its
    first 64 KiB (a `.ris` or `.txt` file may be RIS after a preamble, or MEDLINE)."""
    kind = _EXTENSIONS.get(os.path.splitext(path)[1].lower())
    if kind is not None:
        return kind
    if head is None:
        try:
            with open(path, encoding="utf-8-sig", errors="replace") as handle:
                head = handle.read(64 << 10)
        except OSError as exc:
            raise InputFormatError(f"{path}: cannot read it ({exc.strerror}).") from None
    found = sniff(head)
    if found is None and path.lower().endswith(".ris"):
        return "ris"  # the RIS reader then says what is missing
    return found


def iter_path(path: str) -> Iterator[Record]:
    """Records from a file, lazily: CSL-JSON is streamed item by item (libraries of 100,000
    records); BibTeX and RIS are parsed whole. Errors surface on iteration."""
    kind = _kind_of(path)
    if kind != "csl-json":
        yield from read_path(path, kind)
        return
    from .csljson import iter_items

    try:
        with open(path, encoding="utf-8-sig") as handle:
            yield from iter_items(handle, path)
    except UnicodeDecodeError as exc:
        raise InputFormatError(f"{path}: not UTF-8 ({exc.reason}). Save it as UTF-8.") from None
    except OSError as exc:
        raise InputFormatError(f"{path}: cannot read it ({exc.strerror}).") from None


def read_path(path: str, kind: str | None = None) -> list[Record]:
    """All records of a file; `kind` (bibtex, ris, csl-json) when the caller knows it, else the
    extension (`.bib`, `.json`), else the content decides."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as exc:
        raise InputFormatError(f"{path}: cannot read it ({exc.strerror}).") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputFormatError(
            f"{path}: byte {exc.start} is not UTF-8. Save the file as UTF-8 and try again."
        ) from None
    kind = kind or _kind_of(path, text[:64 << 10])
    # Reading a whole file makes objects that all live on (a record's tables, its names, ...), no
    # reference cycles: the cyclic collector would only walk them again and again as they pile
    # up. Paused while the file is read (a cycle made meanwhile is collected once it resumes): on
    # the 10,000 real records of benchmarks/run.py, RIS 1.70 s -> 1.38 s, BibTeX 1.01 s ->
    # 0.78 s (medians of 4, side by side in one process).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return read_text(text, path, kind)
    finally:
        if enabled:
            gc.enable()
