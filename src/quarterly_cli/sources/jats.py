"""JATS abstracts (as Crossref delivers them) → structured sections and Policy Points.

Parsed with defusedxml: no DTDs, no entity expansion, no external references. Inline markup
becomes CSL rich text through `markup.RichText`, the builder every source shares: `<italic>` →
`<i>`, `<sc>` → upper-case nocase text, MathML → text with `<sub>`/`<sup>`, and markup that was
escaped once more (`&lt;em&gt;` inside `<jats:p>`) read as markup; everything else contributes
its text only.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from .. import markup
from ..model import Section

_NAMESPACES = (
    'xmlns:jats="http://www.ncbi.nlm.nih.gov/JATS1" xmlns:mml="http://www.w3.org/1998/Math/MathML" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:ali="http://www.niso.org/schemas/ali/1.0/"'
)
_BLOCKS = {"p", "list-item"}
_PICTURES = {"inline-graphic", "graphic", "media"}  # an image has no text to give
_FORMULAS = {"inline-formula", "disp-formula"}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower()


def _feed(builder: markup.RichText, element: Element, level: int = 0,
          escaped: bool = True) -> None:
    """An element's content, children included, fed to the builder (below MAX_NESTING levels,
    its text only: a crafted abstract cannot exhaust the recursion limit). With `escaped`, text
    that spells tags (`&lt;i&gt;`, which Crossref's deposits carry) is read as markup too."""
    put = builder.escaped if escaped else builder.text
    if level > markup.MAX_NESTING:
        put("".join(element.itertext()))
        return
    # Inside a formula wrapper, white space only indents the MathML in it.
    indent_only = _local(element.tag) in _FORMULAS
    if element.text and not (indent_only and element.text.isspace()):
        put(element.text)
    for child in element:
        name = _local(child.tag)
        if name == "math":
            builder.math(child)
        elif name == "alternatives":
            # The same formula several ways (MathML, TeX, an image): the MathML one, once.
            chosen = next((c for c in child if _local(c.tag) == "math"), None)
            if chosen is not None:
                builder.math(chosen)
            elif len(child):
                _feed(builder, child[0], level + 1, escaped)
        elif name not in _PICTURES:
            builder.tag(name)
            _feed(builder, child, level + 1, escaped)
            builder.tag(name, closing=True)
        if child.tail and not (indent_only and child.tail.isspace()):
            put(child.tail)


def rich_element(element: Element, escaped: bool = True) -> str:
    """An XML element's content as CSL rich text (JATS, or PubMed's `<i>`/`<sup>`/MathML): the
    builder every source shares. `escaped=False` reads tags spelled in the text as text."""
    builder = markup.RichText()
    _feed(builder, element, escaped=escaped)
    return builder.result()


def _loose_text(text: str) -> str:
    builder = markup.RichText()
    builder.escaped(text)
    return builder.result()


def _label(title: Element | None) -> str | None:
    if title is None:
        return None
    text = markup.plain(rich_element(title)).rstrip(":").strip()
    return text or None


def _paragraphs(element: Element) -> list[str]:
    """Block-level text below `element`: its <p> and <list-item> elements, or its own text."""
    found = [
        rich_element(e) for e in element.iter()
        if _local(e.tag) in _BLOCKS and not any(_local(c.tag) in _BLOCKS for c in e.iter() if c is not e)
    ]
    found = [p for p in found if p]
    if found:
        return found
    text = rich_element(element)
    return [text] if text else []


def parse_abstract(jats: str) -> tuple[tuple[Section, ...], tuple[str, ...]]:
    """Return (sections, policy points) from a JATS abstract string."""
    from defusedxml import ElementTree as SafeET
    from defusedxml.common import DefusedXmlException

    try:
        root = SafeET.fromstring(f"<root {_NAMESPACES}>{jats}</root>", forbid_dtd=True)
    except (SafeET.ParseError, DefusedXmlException):
        # Not well-formed (HTML entities, stray tags): keep the words and the inline markup.
        text = markup.from_html_fragment(jats)
        return ((Section(None, (text,)),) if text else ()), ()

    sections: list[Section] = []
    policy_points: tuple[str, ...] = ()
    loose: list[str] = []  # paragraphs outside any <sec>: an unstructured abstract
    if root.text and root.text.strip():
        loose.append(_loose_text(root.text))
    for child in root:
        name = _local(child.tag)
        if name == "title":
            continue  # a leading <jats:title>Abstract</jats:title> is a heading, not a section
        if name == "sec":
            title = next((c for c in child if _local(c.tag) == "title"), None)
            label = _label(title)
            paragraphs = [p for c in child if c is not title for p in _paragraphs(c)]
            if label and label.casefold() == "policy points":
                policy_points = tuple(paragraphs)
            elif paragraphs:
                sections.append(Section(label, tuple(paragraphs)))
        else:
            loose.extend(_paragraphs(child))
        if child.tail and child.tail.strip():
            loose.append(_loose_text(child.tail))
    if loose:
        sections.insert(0, Section(None, tuple(loose)))
    return tuple(sections), policy_points
