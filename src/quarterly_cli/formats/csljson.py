"""CSL-JSON, valid against the CSL 1.0 schema (csl-data.json): no keys the schema does not know.

Every CSL variable the record holds is written: all name roles, all dates, all text and number
variables. `ISSN`, `ISBN` and `keyword` are single strings in CSL (`, `-joined, as citeproc-js reads
keywords); subjects go to `categories`; the abstract's labelled sections become `Label: text`
paragraphs. What CSL has no variable for — and anything a reader kept from outside CSL — goes under
CSL's `custom` object: ORCIDs and affiliations, MeSH headings, licences, funders, Policy Points,
update notices and relations (README, "What each format keeps").
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from ..model import DATE_VARS, NAME_ROLES, TEXT_VARS, Name, Record, name_to_dict
from . import Options
from ._fields import abstract_paragraphs, citation_keys

_NAME_KEYS = (("family", "family"), ("given", "given"), ("suffix", "suffix"),
              ("dropping_particle", "dropping-particle"),
              ("non_dropping_particle", "non-dropping-particle"), ("literal", "literal"))


def csl_name(name: Name) -> dict[str, str]:
    return {key: getattr(name, attr) for attr, key in _NAME_KEYS if getattr(name, attr)}


def _custom(record: Record) -> dict[str, Any]:
    """What CSL cannot hold, under `custom` (its keys are quarterly's record JSON keys)."""
    out: dict[str, Any] = dict(record.custom)
    people = {role: [name_to_dict(n) for n in names] for role, names in record.names.items()
              if any(n.orcid or n.affiliation for n in names)}
    if people:
        out["names"] = people
    extras = record.to_dict()
    for key in ("mesh", "license", "funder", "affiliation", "policy-points", "updates",
                "relations", "abstract-source", "more-names"):
        if key in extras:
            out[key] = extras[key]
    return out


def item(record: Record, key: str) -> dict[str, Any]:
    out: dict[str, Any] = {"id": key, "type": record.type, "title": record.title}
    for role in NAME_ROLES:
        names = record.names.get(role)
        if names:
            out[role] = [csl_name(n) for n in names]
    variables = record.variables
    for var in TEXT_VARS:
        value = variables.get(var)
        if value:
            out[var] = value
    for var in DATE_VARS:
        date = record.dates.get(var)
        if date is not None:
            out[var] = date.to_csl()
    if record.ISSN:
        out["ISSN"] = ", ".join(record.ISSN)
    if record.ISBN:
        out["ISBN"] = ", ".join(record.ISBN)
    if record.keyword:
        out["keyword"] = ", ".join(record.keyword)
    if record.subject:
        out["categories"] = list(record.subject)
    paragraphs = abstract_paragraphs(record)
    if paragraphs:
        out["abstract"] = "\n\n".join(paragraphs)
    custom = _custom(record)
    if custom:
        out["custom"] = custom
    return out


def render_iter(records: Iterable[Record], options: Options) -> Iterator[str]:
    keyed = citation_keys(records)
    return json_array(item(record, key) for record, key in keyed)


def json_array(items: Iterable[dict[str, Any]]) -> Iterator[str]:
    """`json.dumps(list(items), indent=2)`, one item at a time, byte for byte the same."""
    first = True
    for data in items:
        body = json.dumps(data, ensure_ascii=False, indent=2).replace("\n", "\n  ")
        yield ("[\n  " if first else ",\n  ") + body
        first = False
    yield "[]\n" if first else "\n]\n"
