"""quarterly's own record as JSON: every field, the structured abstract and Policy Points included.

This is the shape of the bundled file in `data/` and of `quarterly show --json`; it reads back with
`model.record_from_dict`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from ..model import Record
from . import Options


def render(records: Sequence[Record], options: Options) -> str:
    return json.dumps([r.to_dict() for r in records], ensure_ascii=False, indent=2) + "\n"
