"""CSL-JSON (an array of items, or one item) → Records.

Every CSL 1.0.2 variable is read: all name roles, all dates (through the one date parser in
`model`), all text and number variables, with the older spellings still in use
(`journalAbbreviation`, `shortTitle`, `event`, …). `ISSN` and `ISBN` may hold several numbers;
`keyword` is split on commas and semicolons. Keys outside CSL are kept in the record's `custom`
table (and written back under CSL-JSON's `custom`), never dropped.

quarterly's own JSON (`-f json`, `show --json`, the bundled file) is a superset of CSL-JSON and is
read here too: a structured `abstract`, `policy-points`, `updates`, lists for `ISSN`/`keyword`.
Its `source` says where quarterly found the record; CSL's `source` variable is read as such unless
it is one of quarterly's provenance names.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Protocol

from .. import markup
from ..abstracts import sections_from_text
from ..errors import InputFormatError
from ..model import (
    ALIASES,
    DATE_VARS,
    NAME_ROLES,
    RICH_VARS,
    TEXT_VARS,
    Date,
    DateError,
    FieldError,
    Name,
    Record,
    Section,
    record_from_dict,
)

_NAME_KEYS = ("family", "given", "suffix", "literal", "dropping-particle", "non-dropping-particle")
# Processing hints CSL allows on a name; they carry no text of their own.
_NAME_HINTS = frozenset(("comma-suffix", "static-ordering", "parse-names"))
_TEXT = frozenset(TEXT_VARS)
_ROLES = frozenset(NAME_ROLES)
_DATES = frozenset(DATE_VARS)
_LISTS = {"ISSN": "ISSN", "ISBN": "ISBN", "keyword": "keyword", "categories": "subject"}
# quarterly's own record JSON: keys beyond CSL that `model.record_from_dict` understands.
_QUARTERLY_KEYS = frozenset(("policy-points", "updates", "relations", "abstract-source",
                             "csl-source", "mesh", "license", "funder", "affiliation", "subject",
                             "more-names"))
PROVENANCE = frozenset(("bundled", "crossref", "pubmed", "doi.org", "bibtex", "ris", "csl-json",
                        "unknown"))


class _ItemError(ValueError):
    pass


def _string(value: Any, key: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise _ItemError(f"'{key}' must be a string or a number")
    if isinstance(value, float):
        value = int(value) if value.is_integer() else value
    # `one_line` is `squash_space(strip_controls(…))` with a fast path for printable text with
    # single spaces: ~360,000 calls for 10,000 records (CSL-JSON -> APA spent 11% of its time here)
    text = markup.one_line(str(value))
    return text or None


def _name(raw: Any, role: str, n: int) -> Name:
    """The `n`th name of a role. Its path (`author[2].given`) is spelled out only for an error,
    and a string value takes `_string`'s own path for strings inline: reading ~47,000 names of
    10,000 records was a fifth of reading the file."""
    if not isinstance(raw, dict):
        raise _ItemError(f"'{role}[{n}]' must be an object")
    values: list[str | None] = []
    for k in _NAME_KEYS:  # checked in this order, so that the first bad value is the one named
        value = raw.get(k)
        if value is None:
            values.append(None)
        elif type(value) is str:
            values.append(markup.one_line(value) or None)  # `_string` of a string
        else:
            values.append(_string(value, f"{role}[{n}].{k}"))
    family, given, suffix, literal, dropping, non_dropping = values
    if not family and not literal:
        if given:  # a mononym (`{"given": "Plato"}`): CSL prints it as written
            literal, given = given, None
        else:
            raise _ItemError(f"'{role}[{n}]' needs 'family' or 'literal'")
    return Name(family, given, suffix, dropping, non_dropping, literal)


def _names(value: Any, key: str) -> tuple[Name, ...]:
    if not isinstance(value, list):
        raise _ItemError(f"'{key}' must be a list of names")
    return tuple([_name(raw, key, n) for n, raw in enumerate(value)])


def _date(value: Any, key: str) -> Date | None:
    try:
        return Date.from_csl(value)
    except DateError as exc:
        raise _ItemError(f"'{key}' {exc}") from None


def _list(value: Any, key: str, sep: str) -> tuple[str, ...]:
    if isinstance(value, list):
        items = [_string(v, key) for v in value]
    else:
        text = _string(value, key)
        items = re.split(sep, text) if text else []
    return tuple(dict.fromkeys(i.strip() for i in items if i and i.strip()))


_SEPARATORS = {"ISSN": r"[,;\s]+", "ISBN": r"[,;]\s*|\s+(?=\d)", "keyword": r"[,;]",
               "categories": r"[,;]"}


# True while records are read for a writer that prints no abstract (`abstracts_unread`).
_ABSTRACTS_UNREAD: ContextVar[bool] = ContextVar("abstracts_unread", default=False)


@contextmanager
def abstracts_unread() -> Iterator[None]:
    """Read CSL-JSON without splitting abstracts into sections (their records' `abstract` stays
    empty; a value that is not a string is still an error), for a writer that never prints an
    abstract: `quarterly cite` with APA, AMA or Vancouver. On 10,000 records with abstracts, the
    split was ~17% of `quarterly cite FILE -f apa`. Records read for anything else (a data
    format, a CSL style, the store) keep their abstracts."""
    token = _ABSTRACTS_UNREAD.set(True)
    try:
        yield
    finally:
        _ABSTRACTS_UNREAD.reset(token)


def _abstract(value: Any) -> tuple[Section, ...]:
    if value is None:
        return ()
    if not isinstance(value, str):
        raise _ItemError("'abstract' must be a string")
    if _ABSTRACTS_UNREAD.get():
        return ()
    return sections_from_text(markup.strip_controls(value))


def _is_quarterly_json(item: dict[str, Any]) -> bool:
    return (isinstance(item.get("abstract"), list) or not _QUARTERLY_KEYS.isdisjoint(item)
            or isinstance(item.get("ISSN"), list) or isinstance(item.get("keyword"), list))


def record_from_item(item: Any) -> Record:
    if not isinstance(item, dict):
        raise _ItemError("an item must be a JSON object")
    if _is_quarterly_json(item):
        data = dict(item)
        if data.get("source") not in PROVENANCE and "csl-source" not in data:
            data["csl-source"] = data.pop("source", None)
        data["source"] = "csl-json"
        data.setdefault("title", "")
        try:
            return record_from_dict(data)
        except FieldError as exc:
            raise _ItemError(str(exc)) from None
    type_ = item.get("type")
    if not isinstance(type_, str) or not type_.strip():
        raise _ItemError("'type' is missing; a CSL item needs a type such as article-journal")
    names: dict[str, tuple[Name, ...]] = {}
    dates: dict[str, Date] = {}
    variables: dict[str, str] = {}
    lists: dict[str, tuple[str, ...]] = {}
    custom: dict[str, Any] = {}
    title = ""
    for raw_key, value in item.items():
        key = ALIASES.get(raw_key, raw_key)
        if value is None or key in ("type", "id", "abstract"):
            continue
        if key == "source" and value in PROVENANCE:
            continue  # quarterly's JSON says where it found the record, not CSL's `source`
        if key == "title":
            title = _rich(value, key)
        elif key in _ROLES:
            names[key] = _names(value, key)
        elif key in _DATES:
            date = _date(value, key)
            if date is not None:
                dates[key] = date
        elif key in _TEXT:
            text = _rich(value, key) if key in RICH_VARS else _string(value, key)
            if text and (raw_key == key or key not in variables):  # CSL 1.0.2 spelling wins
                variables[key] = text
        elif key in _LISTS:
            lists[_LISTS[key]] = _list(value, key, _SEPARATORS[key])
        elif key == "custom":
            if not isinstance(value, dict):
                raise _ItemError("'custom' must be an object")
            custom.update(value)
        else:
            custom[raw_key] = value  # not CSL: kept, and written back under `custom`
    record = Record(
        title, type_.strip(), names=names, dates=dates, variables=variables,
        abstract=_abstract(item.get("abstract")), custom=custom,
        id=_string(item.get("id"), "id"), source="csl-json",
        ISSN=lists.get("ISSN", ()), ISBN=lists.get("ISBN", ()), keyword=lists.get("keyword", ()),
        subject=lists.get("subject", ()),
    )
    return _with_extras(record) if not _QUARTERLY_KEYS.isdisjoint(custom) or "names" in custom \
        else record


def _with_extras(record: Record) -> Record:
    """Put back what quarterly's CSL-JSON writer kept under `custom` (see formats/csljson.py):
    ORCIDs and affiliations of names, MeSH, licences, Policy Points, notices, …"""
    custom = dict(record.custom)
    data = record.to_dict()
    people = custom.pop("names", None)
    if isinstance(people, dict):
        for role, listed in people.items():
            if role in data and isinstance(listed, list) and len(listed) == len(data[role]):
                data[role] = [{**mine, **theirs} if isinstance(theirs, dict) else mine
                              for mine, theirs in zip(data[role], listed, strict=True)]
    for key in _QUARTERLY_KEYS & set(custom):
        data[key] = custom.pop(key)
    data["custom"] = custom or None
    if not custom:
        del data["custom"]
    try:
        return record_from_dict(data)
    except FieldError as exc:
        raise _ItemError(f"custom: {exc}") from None


def _rich(value: Any, key: str) -> str:
    """A title-like variable: CSL rich text (its tags are markup), controls removed, white space
    folded."""
    return _string(value, key) or ""


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


def _maybe_truncated(exc: json.JSONDecodeError, size: int) -> bool:
    """Whether a decoding error can be the buffer's end cutting a value short: an unterminated
    string, or an error within the last few characters (a cut number, escape or literal)."""
    return exc.msg.startswith("Unterminated string") or exc.pos >= size - 8


class Readable(Protocol):
    """What iter_items reads from: a text file, io.StringIO, or fileio.StdinText/FileText."""

    def read(self, size: int = -1, /) -> str: ...


def iter_items(handle: Readable, name: str) -> Iterator[Record]:
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
    n = 0  # items read so far
    lines_before = 0  # newlines in text already dropped from the buffer
    column_base = 0  # column of buf[0] on its line, when that line began before the buffer

    def where(offset: int) -> tuple[int, int]:
        line = lines_before + buf.count("\n", 0, offset) + 1
        start = buf.rfind("\n", 0, offset)
        column = offset - start if start >= 0 else column_base + offset + 1
        return line, column

    def refill(size: int = CHUNK) -> bool:
        nonlocal buf, pos, eof, lines_before, column_base
        if eof:
            return False
        chunk = handle.read(size)
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
        size = CHUNK
        while True:
            try:
                value, end = decoder.raw_decode(buf, pos)
            except json.JSONDecodeError as exc:
                # Only an error the end of the buffer may have caused is worth more text; any
                # other is the file's, reported at once (a syntax error early in a 200 MB file
                # costs one chunk, not a read of the whole file). More text arrives in doubling
                # amounts, so an item longer than a chunk is decoded O(log n) times, not O(n).
                if _maybe_truncated(exc, len(buf)) and refill(size):
                    size *= 2
                    continue
                raise _syntax_error(name, *where(exc.pos), exc.msg) from None
            except RecursionError:
                raise InputFormatError(
                    f"{name}: item {max(n, 1)} is nested too deeply to be a CSL item (at line "
                    f"{where(pos)[0]}). Check the file.") from None
            bad = markup.lone_surrogate(value, buf, pos, end)
            if bad:
                raise InputFormatError(
                    f"{name}: item {max(n, 1)} (from line {where(pos)[0]}) holds the escape {bad}, "
                    "half of a UTF-16 surrogate pair without its other half, which is no "
                    "character. Remove it, or write the character it was meant to be.")
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
