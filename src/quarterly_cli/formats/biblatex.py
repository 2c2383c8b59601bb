"""BibLaTeX `@article` entries: `journaltitle`, ISO `date`, issue in `number`, article number in `eid`."""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Record
from . import Options
from .bibtex import write


def render(records: Sequence[Record], options: Options) -> str:
    return write(records, options, biblatex=True)
