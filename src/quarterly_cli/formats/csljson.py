"""CSL-JSON, valid against the CSL 1.0 schema (csl-data.json): no keys the schema does not know.

Crossref calls the type `journal-article`; CSL calls it `article-journal`. `ISSN` and `keyword`
are single strings in CSL 1.0, so lists are joined (`, ` for keywords as citeproc-js reads them).
The record's `genre` (a journal's section label such as "Original Investigation") is left out:
styles print CSL `genre` as a document type.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from ..model import Name, Record
from . import Options
from ._fields import abstract_paragraphs, citation_keys

_NAME_KEYS = (("family", "family"), ("given", "given"), ("suffix", "suffix"),
              ("dropping_particle", "dropping-particle"),
              ("non_dropping_particle", "non-dropping-particle"), ("literal", "literal"))


def csl_name(name: Name) -> dict[str, str]:
    return {key: getattr(name, attr) for attr, key in _NAME_KEYS if getattr(name, attr)}


def item(record: Record, key: str) -> dict[str, Any]:
    out: dict[str, Any] = {"id": key, "type": record.type, "title": record.title}
    if record.author:
        out["author"] = [csl_name(n) for n in record.author]
    simple = (("container-title", record.container_title),
              ("container-title-short", record.container_title_short),
              ("volume", record.volume), ("issue", record.issue),
              ("page", record.page), ("number", record.number), ("publisher", record.publisher),
              ("DOI", record.DOI), ("PMID", record.PMID), ("PMCID", record.PMCID),
              ("URL", record.URL))
    out.update((k, v) for k, v in simple if v)
    if record.issued:
        out["issued"] = record.issued.to_csl()
    if record.ISSN:
        out["ISSN"] = record.ISSN[0] if len(record.ISSN) == 1 else ", ".join(record.ISSN)
    if record.keyword:
        out["keyword"] = ", ".join(record.keyword)
    paragraphs = abstract_paragraphs(record)
    if paragraphs:
        out["abstract"] = "\n\n".join(paragraphs)
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
