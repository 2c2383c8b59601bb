"""Files of records as input: BibTeX (bibtexparser v2), RIS (rispy) and CSL-JSON.

The format comes from the extension (.bib, .ris, .json) or, failing that, from the content.
Malformed input is a usage error (exit 2) whose message names the file, the position and the reason.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

from ..errors import InputFormatError
from ..model import Record

_EXTENSIONS = {".bib": "bibtex", ".bibtex": "bibtex", ".ris": "ris", ".json": "csl-json",
               ".txt": None}


def sniff(text: str) -> str | None:
    """Which document format `text` is, or None when it looks like a list of references."""
    start = text.lstrip("\ufeff \t\r\n")
    if start.startswith(("[", "{")):
        return "csl-json"
    if re.match(r"TY  -", start):
        return "ris"
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
    raise InputFormatError(
        f"{name}: not BibTeX, RIS or CSL-JSON. Give a .bib, .ris or .json file.")


def iter_path(path: str) -> Iterator[Record]:
    """Records from a file, lazily: CSL-JSON is streamed item by item (libraries of 100,000
    records); BibTeX and RIS are parsed whole by their libraries. Errors surface on iteration."""
    suffix = os.path.splitext(path)[1].lower()
    kind = _EXTENSIONS.get(suffix)
    if kind is None:
        try:
            with open(path, encoding="utf-8-sig", errors="replace") as handle:
                kind = sniff(handle.read(64 << 10))
        except OSError as exc:
            raise InputFormatError(f"{path}: cannot read it ({exc.strerror}).") from None
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
    extension, else the content decides."""
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
    return read_text(text, path, kind or _EXTENSIONS.get(os.path.splitext(path)[1].lower()))
