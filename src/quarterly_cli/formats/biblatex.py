"""BibLaTeX `@article` entries: `journaltitle`, ISO `date`, issue in `number`, article number in `eid`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..model import Record
from . import Options
from .bibtex import write_iter


def render_iter(records: Iterable[Record], options: Options) -> Iterator[str]:
    return write_iter(records, options, biblatex=True)
