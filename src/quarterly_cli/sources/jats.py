"""JATS abstracts (as Crossref delivers them) → structured sections and Policy Points.

Parsed with defusedxml: no DTDs, no entity expansion, no external references. JATS inline markup
becomes CSL rich text (`<italic>` → `<i>` …); everything else contributes its text only.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

from .. import markup
from ..model import Section

_NAMESPACES = (
    'xmlns:jats="http://www.ncbi.nlm.nih.gov/JATS1" xmlns:mml="http://www.w3.org/1998/Math/MathML" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:ali="http://www.niso.org/schemas/ali/1.0/"'
)
_INLINE = {"italic": "i", "i": "i", "bold": "b", "b": "b", "sup": "sup", "sub": "sub"}
_BLOCKS = {"p", "list-item"}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower()


def _inline(element: Element) -> str:
    """An element's full text (children included) as CSL rich text."""
    out = [markup.literal(element.text or "")]
    for child in element:
        inner = _inline(child)
        tag = _INLINE.get(_local(child.tag))
        out.append(f"<{tag}>{inner}</{tag}>" if tag and inner.strip() else inner)
        out.append(markup.literal(child.tail or ""))
    return "".join(out)


def _clean(rich: str) -> str:
    return markup.squash_space(markup.strip_controls(rich))


def _label(title: Element | None) -> str | None:
    if title is None:
        return None
    text = markup.plain(_clean(_inline(title))).rstrip(":").strip()
    return text or None


def _paragraphs(element: Element) -> list[str]:
    """Block-level text below `element`: its <p> and <list-item> elements, or its own text."""
    found = [
        _clean(_inline(e)) for e in element.iter()
        if _local(e.tag) in _BLOCKS and not any(_local(c.tag) in _BLOCKS for c in e.iter() if c is not e)
    ]
    found = [p for p in found if p]
    if found:
        return found
    text = _clean(_inline(element))
    return [text] if text else []


def parse_abstract(jats: str) -> tuple[tuple[Section, ...], tuple[str, ...]]:
    """Return (sections, policy points) from a JATS abstract string."""
    from defusedxml import ElementTree as SafeET
    from defusedxml.common import DefusedXmlException

    try:
        root = SafeET.fromstring(f"<root {_NAMESPACES}>{jats}</root>", forbid_dtd=True)
    except (SafeET.ParseError, DefusedXmlException):
        # Not well-formed (HTML entities, stray tags): keep the words, drop the markup.
        text = markup.from_html_fragment(re.sub(r"<[^>]+>", " ", jats))
        return ((Section(None, (text,)),) if text else ()), ()

    sections: list[Section] = []
    policy_points: tuple[str, ...] = ()
    loose: list[str] = []  # paragraphs outside any <sec>: an unstructured abstract
    if root.text and root.text.strip():
        loose.append(_clean(markup.literal(root.text)))
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
            loose.append(_clean(markup.literal(child.tail)))
    if loose:
        sections.insert(0, Section(None, tuple(loose)))
    return tuple(sections), policy_points
