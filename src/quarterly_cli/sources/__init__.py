"""The network sources of records, and the one registry that lists them.

A source is one module that defines `SOURCE` (a `seam.Source`): which identifiers it resolves
(`doi`, `pmid`, `pmcid`), how it fetches many at once, and its politeness (how many requests in
flight, how many per second; its headers are its own business). `resolve.py` runs the chain over
the sources in the order below — for each identifier, the first source that resolves its kind and
knows it gives the record; sources marked `abstracts` are then asked for an abstract the record
lacks — and nothing outside a source's module knows its name. Adding a source is one module and
one line in REGISTRY; `--source` offers its name at once.

This module stays tiny (the CLI reads REGISTRY to build `--source`); source modules and the seam's
types are imported only when a reference needs the network, so start-up stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .seam import Source

# name (as `--source` and a record's `source` say it) → module. The order is the chain's order.
REGISTRY: dict[str, str] = {
    "crossref": "crossref",
    "pubmed": "pubmed",
    "doi.org": "doiorg",
}
AUTO = "auto"  # `--source auto`: the whole chain


def choices() -> tuple[str, ...]:
    """What `--source` accepts."""
    return (AUTO, *REGISTRY)


def load(name: str) -> Source:
    source: Source = import_module(f"{__name__}.{REGISTRY[name]}").SOURCE
    return source
