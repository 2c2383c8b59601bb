"""BibLaTeX entries of every type: the BibTeX writer in biblatex's dialect — `journaltitle`,
EDTF `date`, `location`, `institution` for theses, `@report`/`@thesis` with `type`, issue in
`number`, article number in `eid` (formats/bibtex.py has the tables)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..model import Record
from . import Options
from .bibtex import write_iter


def render_iter(records: Iterable[Record], options: Options) -> Iterator[str]:
    return write_iter(records, options, biblatex=True)
