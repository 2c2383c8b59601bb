"""The output formats: one module each, one pure function `render(records, options) -> str`.

The registry below drives `--format` choices, `quarterly formats`, file-extension inference and the
parametrised tests. Modules are imported only when their format is used, so start-up stays cheap.
Adding a format is one module and one line here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model import Record

MARKUPS = ("text", "html", "markdown")


@dataclass(frozen=True, slots=True)
class Options:
    markup: str = "text"  # text | html | markdown | ansi (terminal italics)
    keep_case: bool = False
    ascii: bool = False  # BibTeX/BibLaTeX: LaTeX accents instead of UTF-8


@dataclass(frozen=True, slots=True)
class Format:
    name: str
    module: str
    description: str
    extensions: tuple[str, ...] = ()
    is_style: bool = False  # a human-readable reference style (takes --markup, sentence case)

    def render(self, records: Iterable[Record], options: Options = Options()) -> str:
        return "".join(self.render_iter(records, options))

    def render_iter(self, records: Iterable[Record], options: Options = Options()) -> Iterator[str]:
        """The output in pieces. Formats that can write record by record (all but APA, which
        sorts) define `render_iter` and never hold the whole input or output in memory."""
        module = import_module(f"{__name__}.{self.module}")
        if hasattr(module, "render_iter"):
            return module.render_iter(records, options)
        return iter((module.render(list(records), options),))


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("apa", "apa", "APA 7th edition reference list (sorted, 2016a/2016b)", (".txt",), True),
        Format("ama", "ama", "AMA 11th edition, numbered in input order", (), True),
        Format("vancouver", "vancouver", "Vancouver / NLM Citing Medicine, numbered", (), True),
        Format("bibtex", "bibtex",
               "BibTeX entries, @article for journal articles (UTF-8; --ascii for LaTeX accents)",
               (".bib", ".bibtex")),
        Format("biblatex", "biblatex", "BibLaTeX entries (journaltitle, date, eid)", ()),
        Format("ris", "ris", "RIS (TY  - JOUR … ER  - ), for EndNote, Zotero, Mendeley", (".ris",)),
        Format("csl-json", "csljson", "CSL-JSON array, valid against the CSL 1.0 schema",
               (".json",)),
        Format("json", "record_json", "quarterly's full record as JSON, structured abstract included"),
    )
}

DEFAULT_FORMAT = "apa"


def by_extension(suffix: str) -> Format | None:
    suffix = suffix.lower()
    for fmt in FORMATS.values():
        if suffix in fmt.extensions:
            return fmt
    return None
