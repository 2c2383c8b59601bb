"""quarterly's own record as JSON: every field, the structured abstract and Policy Points included.

This is the shape of the bundled file in `data/` and of `quarterly show --json`; it reads back with
`model.record_from_dict`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..model import Record
from . import Options
from .csljson import json_array


def render_iter(records: Iterable[Record], options: Options) -> Iterator[str]:
    return json_array(r.to_dict() for r in records)
