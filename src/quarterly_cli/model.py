"""The one record type that passes between sources, the store, formats and the renderer.

Field names follow CSL-JSON (https://citeproc-js.readthedocs.io/en/latest/csl-json/markup.html)
where CSL has one, with Python spelling (`container_title` for `container-title`). Text fields
that can carry inline markup hold *CSL rich text*: plain text in which only `<i>`, `<b>`, `<sup>`,
`<sub>` and `<span class="nocase">` are markup (see `markup.py`); anything else is literal text.

`to_dict`/`from_dict` give the JSON shape used by `data/`, the store and `--json`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any, NamedTuple


class Name(NamedTuple):
    """A person or organisation (CSL name variables). A NamedTuple rather than a frozen dataclass:
    immutable all the same, and about 4x cheaper to create — conversions make one per author."""

    family: str | None = None
    given: str | None = None
    suffix: str | None = None
    dropping_particle: str | None = None
    non_dropping_particle: str | None = None
    literal: str | None = None
    orcid: str | None = None
    affiliation: tuple[str, ...] = ()

    @property
    def is_literal(self) -> bool:
        return self.literal is not None

    @property
    def full_family(self) -> str:
        """Family name with its non-dropping particle (`van der Berg`)."""
        if self.literal is not None:
            return self.literal
        parts = [self.non_dropping_particle, self.family]
        return " ".join(p for p in parts if p)


@dataclass(frozen=True)
class Section:
    """One labelled part of a structured abstract; `label` is None for an unstructured one."""

    label: str | None
    paragraphs: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass(frozen=True)
class Update:
    """A Crossref `updated-by`/`update-to` notice (correction, retraction, …)."""

    type: str
    DOI: str
    direction: str  # "updated-by" or "update-to"
    issued: tuple[int, ...] = ()
    label: str | None = None


@dataclass(frozen=True)
class Record:
    title: str
    type: str = "article-journal"
    author: tuple[Name, ...] = ()
    container_title: str | None = None
    container_title_short: str | None = None
    genre: str | None = None
    volume: str | None = None
    issue: str | None = None
    page: str | None = None
    number: str | None = None
    issued: tuple[int, ...] = ()
    ISSN: tuple[str, ...] = ()
    publisher: str | None = None
    DOI: str | None = None
    PMID: str | None = None
    PMCID: str | None = None
    URL: str | None = None
    keyword: tuple[str, ...] = ()
    subject: tuple[str, ...] = ()
    license: str | None = None
    affiliation: tuple[str, ...] = ()
    policy_points: tuple[str, ...] = ()
    abstract: tuple[Section, ...] = ()
    updates: tuple[Update, ...] = ()
    id: str | None = None
    source: str = "unknown"

    @property
    def year(self) -> int | None:
        return self.issued[0] if self.issued else None

    @property
    def month(self) -> int | None:
        return self.issued[1] if len(self.issued) > 1 else None

    @property
    def day(self) -> int | None:
        return self.issued[2] if len(self.issued) > 2 else None

    @property
    def page_first(self) -> str | None:
        return split_pages(self.page)[0]

    @property
    def page_last(self) -> str | None:
        return split_pages(self.page)[1]

    def with_(self, **changes: Any) -> Record:
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        return _record_to_dict(self)


def page_range(page: str | None, dash: str) -> str | None:
    """`725-753` with the dash a style wants (`–`, `-`, `--`); a single page or eLocator as is."""
    first, last = split_pages(page)
    if first is None:
        return None
    return first if last is None else f"{first}{dash}{last}"


def split_pages(page: str | None) -> tuple[str | None, str | None]:
    """`725-753`, `725–753` or `725--753` → ("725", "753"); `e025000` → ("e025000", None)."""
    if not page:
        return None, None
    for sep in ("--", "–", "—", "-"):
        if sep in page:
            first, _, last = page.partition(sep)
            return first.strip() or None, last.strip() or None
    return page.strip(), None


# --- JSON shape -----------------------------------------------------------------------------

def _key(name: str) -> str:
    """Python attribute → CSL key (`container_title` → `container-title`)."""
    return name.replace("_", "-")


_NAME_FIELDS = Name._fields
_RECORD_FIELDS = {f.name: f for f in fields(Record)}


def _name_to_dict(name: Name) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for attr in _NAME_FIELDS:
        value = getattr(name, attr)
        if value:
            out[_key(attr)] = list(value) if isinstance(value, tuple) else value
    return out


def _date(parts: tuple[int, ...]) -> dict[str, Any]:
    return {"date-parts": [list(parts)]}


def _record_to_dict(record: Record) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for attr in _RECORD_FIELDS:
        value = getattr(record, attr)
        if value in (None, ()):
            continue
        key = _key(attr)
        if attr == "author":
            out[key] = [_name_to_dict(n) for n in value]
        elif attr == "issued":
            out[key] = _date(value)
        elif attr == "abstract":
            out[key] = [{"label": s.label, "paragraphs": list(s.paragraphs)} for s in value]
        elif attr == "updates":
            out[key] = [
                {k: v for k, v in (("type", u.type), ("DOI", u.DOI), ("direction", u.direction),
                                   ("issued", _date(u.issued) if u.issued else None),
                                   ("label", u.label)) if v}
                for u in value
            ]
        elif isinstance(value, tuple):
            out[key] = list(value)
        else:
            out[key] = value
    return out


class FieldError(ValueError):
    """A JSON record does not have the expected shape; `field` names the offending key."""

    def __init__(self, field_name: str, problem: str) -> None:
        super().__init__(f"field '{field_name}': {problem}")
        self.field = field_name
        self.problem = problem


def _str(data: dict[str, Any], key: str, required: bool = False) -> str | None:
    value = data.get(key)
    if value is None:
        if required:
            raise FieldError(key, "is missing")
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise FieldError(key, f"must be a string, not {type(value).__name__}")
    if required and not value.strip():
        raise FieldError(key, "must not be empty")
    return value


def _strs(data: dict[str, Any], key: str) -> tuple[str, ...]:
    value = data.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise FieldError(key, "must be a list of strings")
    return tuple(value)


def _date_parts(value: Any, key: str) -> tuple[int, ...]:
    if value is None:
        return ()
    try:
        parts = value["date-parts"][0]
        out = tuple(int(p) for p in parts)
    except (TypeError, KeyError, IndexError, ValueError):
        raise FieldError(key, 'must look like {"date-parts": [[2014, 12]]}') from None
    if not 1 <= len(out) <= 3 or (len(out) > 1 and not 1 <= out[1] <= 12):
        raise FieldError(key, "must hold a year, and optionally a month (1-12) and a day")
    return out


def _name_from_dict(data: Any, key: str) -> Name:
    if not isinstance(data, dict):
        raise FieldError(key, "must be an object with 'family'/'given' or 'literal'")
    unknown = set(data) - {_key(a) for a in _NAME_FIELDS}
    if unknown:
        raise FieldError(f"{key}.{sorted(unknown)[0]}", "is not a name field")
    kwargs: dict[str, Any] = {}
    for attr in _NAME_FIELDS:
        k = _key(attr)
        kwargs[attr] = _strs(data, k) if attr == "affiliation" else _str(data, k)
    if not kwargs["family"] and not kwargs["literal"]:
        raise FieldError(key, "needs a 'family' or a 'literal' name")
    return Name(**kwargs)


def record_from_dict(data: Any) -> Record:
    """Build a Record from its JSON shape; raises FieldError naming the first bad field."""
    if not isinstance(data, dict):
        raise FieldError("(record)", "must be a JSON object")
    known = {_key(a) for a in _RECORD_FIELDS}
    unknown = set(data) - known
    if unknown:
        raise FieldError(sorted(unknown)[0], "is not a record field")
    kwargs: dict[str, Any] = {}
    for attr, f in _RECORD_FIELDS.items():
        key = _key(attr)
        if key not in data:
            continue
        value = data[key]
        if attr == "author":
            if not isinstance(value, list):
                raise FieldError(key, "must be a list of names")
            kwargs[attr] = tuple(_name_from_dict(n, f"{key}[{i}]") for i, n in enumerate(value))
        elif attr == "issued":
            kwargs[attr] = _date_parts(value, key)
        elif attr == "abstract":
            kwargs[attr] = _sections(value, key)
        elif attr == "updates":
            kwargs[attr] = _updates(value, key)
        elif f.type.startswith("tuple"):
            kwargs[attr] = _strs(data, key)
        else:
            kwargs[attr] = _str(data, key, required=attr == "title")
    if "title" not in kwargs:
        raise FieldError("title", "is missing")
    return Record(**kwargs)


def _sections(value: Any, key: str) -> tuple[Section, ...]:
    if not isinstance(value, list):
        raise FieldError(key, "must be a list of {label, paragraphs} objects")
    out = []
    for i, item in enumerate(value):
        where = f"{key}[{i}]"
        if not isinstance(item, dict):
            raise FieldError(where, "must be an object with 'label' and 'paragraphs'")
        label = _str(item, "label")
        paragraphs = _strs(item, "paragraphs")
        if not paragraphs:
            raise FieldError(f"{where}.paragraphs", "must hold at least one paragraph")
        out.append(Section(label, paragraphs))
    return tuple(out)


def _updates(value: Any, key: str) -> tuple[Update, ...]:
    if not isinstance(value, list):
        raise FieldError(key, "must be a list")
    out = []
    for i, item in enumerate(value):
        where = f"{key}[{i}]"
        if not isinstance(item, dict):
            raise FieldError(where, "must be an object")
        out.append(Update(
            type=_str(item, "type", required=True) or "",
            DOI=_str(item, "DOI", required=True) or "",
            direction=_str(item, "direction", required=True) or "",
            issued=_date_parts(item.get("issued"), f"{where}.issued"),
            label=_str(item, "label"),
        ))
    return tuple(out)


__all__ = ["Name", "Record", "Section", "Update", "FieldError", "record_from_dict",
           "split_pages"]
