"""CSL-JSON (an array of items, or one item) → Records."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from typing import IO, Any

from .. import markup
from ..errors import InputFormatError
from ..model import Date, DateError, Name, Record, Section

_NAME_KEYS = {"family": "family", "given": "given", "suffix": "suffix", "literal": "literal",
              "dropping-particle": "dropping_particle",
              "non-dropping-particle": "non_dropping_particle"}
_STRING_FIELDS = {"container-title": "container_title",
                  "container-title-short": "container_title_short", "journalAbbreviation":
                  "container_title_short", "genre": "genre", "volume": "volume", "issue": "issue",
                  "page": "page", "number": "number", "publisher": "publisher", "DOI": "DOI",
                  "PMID": "PMID", "PMCID": "PMCID", "URL": "URL"}


class _ItemError(ValueError):
    pass


def _string(value: Any, key: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise _ItemError(f"'{key}' must be a string or a number")
    text = markup.strip_controls(str(value)).strip()
    return text or None


def _names(value: Any, key: str) -> tuple[Name, ...]:
    if not isinstance(value, list):
        raise _ItemError(f"'{key}' must be a list of names")
    out = []
    for n, raw in enumerate(value):
        if not isinstance(raw, dict):
            raise _ItemError(f"'{key}[{n}]' must be an object")
        kwargs: dict[str, Any] = {
            attr: _string(raw.get(k), f"{key}[{n}].{k}") for k, attr in _NAME_KEYS.items()}
        if not kwargs["family"] and not kwargs["literal"]:
            raise _ItemError(f"'{key}[{n}]' needs 'family' or 'literal'")
        out.append(Name(**kwargs))
    return tuple(out)


def _issued(value: Any) -> Date | None:
    try:
        return Date.from_csl(value) if value is not None else None
    except DateError as exc:
        raise _ItemError(f"'issued' {exc}") from None


def record_from_item(item: Any) -> Record:
    if not isinstance(item, dict):
        raise _ItemError("an item must be a JSON object")
    if not isinstance(item.get("type"), str):
        raise _ItemError("'type' is missing; a CSL item needs a type such as article-journal")
    title = _string(item.get("title"), "title")
    if not title:
        raise _ItemError("'title' is missing")
    kwargs: dict[str, Any] = {attr: _string(item.get(k), k) for k, attr in _STRING_FIELDS.items()
                              if item.get(k) is not None}
    if "author" in item:
        kwargs["author"] = _names(item["author"], "author")
    issn = _string(item.get("ISSN"), "ISSN")
    keywords = _string(item.get("keyword"), "keyword")
    abstract = _string(item.get("abstract"), "abstract")
    return Record(
        title=title,
        type=item["type"],
        issued=_issued(item.get("issued")),
        ISSN=tuple(s.strip() for s in re.split(r"[,;\s]+", issn) if s.strip()) if issn else (),
        keyword=tuple(k.strip() for k in re.split(r"[,;]", keywords) if k.strip()) if keywords else (),
        abstract=(Section(None, tuple(p.strip() for p in re.split(r"\n\s*\n", abstract) if p.strip())),)
        if abstract else (),
        id=_string(item.get("id"), "id"),
        source="csl-json",
        **kwargs,
    )


def _record(item: Any, n: int, name: str) -> Record:
    try:
        return record_from_item(item)
    except _ItemError as exc:
        ident = f" (id {item.get('id')})" if isinstance(item, dict) and item.get("id") else ""
        raise InputFormatError(f"{name}: item {n}{ident} is not CSL-JSON: {exc}.") from None


def _syntax_error(name: str, line: int, column: int, msg: str) -> InputFormatError:
    return InputFormatError(f"{name}: invalid JSON at line {line}, column {column}: {msg}.")


def read(text: str, name: str) -> list[Record]:
    return list(iter_items(io.StringIO(text), name))


CHUNK = 1 << 20


def iter_items(handle: IO[str], name: str) -> Iterator[Record]:
    """Records from a CSL-JSON array (or one item), parsed one item at a time.

    The json module has no incremental parser, so the array is walked here: each item is decoded
    with `JSONDecoder.raw_decode` from a buffer that is refilled in 1 MiB chunks. Memory stays at
    one chunk plus one item, whatever the file's size. Error positions are those json.loads
    would report for the whole file.
    """
    decoder = json.JSONDecoder()
    buf = handle.read(CHUNK)
    pos = 0
    eof = not buf
    lines_before = 0  # newlines in text already dropped from the buffer
    column_base = 0  # column of buf[0] on its line, when that line began before the buffer

    def where(offset: int) -> tuple[int, int]:
        line = lines_before + buf.count("\n", 0, offset) + 1
        start = buf.rfind("\n", 0, offset)
        column = offset - start if start >= 0 else column_base + offset + 1
        return line, column

    def refill() -> bool:
        nonlocal buf, pos, eof, lines_before, column_base
        if eof:
            return False
        chunk = handle.read(CHUNK)
        if not chunk:
            eof = True
            return False
        dropped = buf[:pos]
        newlines = dropped.count("\n")
        lines_before += newlines
        column_base = (len(dropped) - dropped.rfind("\n") - 1) if newlines else column_base + pos
        buf, pos = buf[pos:] + chunk, 0
        return True

    def skip_space() -> None:
        nonlocal pos
        while True:
            while pos < len(buf) and buf[pos] in " \t\r\n\ufeff":
                pos += 1
            if pos < len(buf) or not refill():
                return

    def decode() -> Any:
        nonlocal pos
        while True:
            try:
                value, end = decoder.raw_decode(buf, pos)
            except json.JSONDecodeError as exc:
                if refill():
                    continue
                raise _syntax_error(name, *where(exc.pos), exc.msg) from None
            pos = end
            return value

    skip_space()
    if pos >= len(buf):
        raise _syntax_error(name, *where(pos), "Expecting value")
    if buf[pos] != "[":
        item = decode()
        skip_space()
        if pos < len(buf):
            raise _syntax_error(name, *where(pos), "Extra data")
        yield _record(item, 1, name)
        return
    pos += 1
    n = 0
    skip_space()
    if pos < len(buf) and buf[pos] == "]":
        pos += 1
    else:
        while True:
            n += 1
            yield _record(decode(), n, name)
            skip_space()
            if pos >= len(buf):
                raise _syntax_error(name, *where(pos), "Expecting ',' delimiter")
            if buf[pos] == "]":
                pos += 1
                break
            if buf[pos] != ",":
                raise _syntax_error(name, *where(pos), "Expecting ',' delimiter")
            pos += 1
            skip_space()
    skip_space()
    if pos < len(buf):
        raise _syntax_error(name, *where(pos), "Extra data")
