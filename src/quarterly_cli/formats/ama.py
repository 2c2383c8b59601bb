"""AMA Manual of Style, 11th edition, for every kind of reference, matching citeproc-js with the
official american-medical-association.csl (ama.csl in the conformance corpus).

AMA 11 §3.6 authors (up to 6; 7 or more: the first 3 and et al), §3.9 titles (articles as
stored; books, reports and theses in italics and title case), §3.11 journals (NLM abbreviation
without periods, `2014;92(4):725-753`, full page ranges with a hyphen), §3.12-3.13 books and
chapters (`In: Editor, ed. Book. Publisher; Year:pages`), §3.15 DOIs (`doi:10.…`) and URLs with
the access date. The functions follow the style's layout branch by branch.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..model import Name, Record
from . import Options
from ._citeproc import is_numeric, is_plural, italic, italic_leaf, join, rich, wrap
from ._text import Fields, label_edition, numbered, sort_order_name, text_date, year_text

MAX_LISTED = 6
FIRST_WHEN_TRUNCATED = 3
RANGE = "-"  # ama.csl's page-range-delimiter

TITLE_ITALIC = frozenset(("bill", "book", "graphic", "legal_case", "legislation",
                          "motion_picture", "report", "song", "thesis"))
BOOKLIKE = frozenset(("bill", "book", "graphic", "legislation", "motion_picture", "report",
                      "song"))
IN_CONTAINER = frozenset(("chapter", "paper-conference", "entry-dictionary",
                          "entry-encyclopedia"))


def names(e: Fields, role: str, label: bool = True) -> str:
    """`Family GI` names, 7 or more as the first 3 and `et al`, with `, ed`/`, eds`."""
    found = e.names(role)
    if not found:
        return ""
    text = name_list(found)
    if label and role == "editor":
        text += ", eds." if len(found) > 1 else ", ed."
    return text


def name_list(found: tuple[Name, ...]) -> str:
    rendered = [rich(sort_order_name(n, "", " ", hyphen=False)) for n in found]
    if len(rendered) > MAX_LISTED:
        return ", ".join(rendered[:FIRST_WHEN_TRUNCATED]) + ", et al."
    return ", ".join(rendered)


def author(e: Fields) -> str:
    text = names(e, "author")
    if text:
        return text
    e.substituting()
    text = names(e, "editor") or title(e)
    e.substituted()
    return text


def title(e: Fields) -> str:
    if e.type in TITLE_ITALIC:
        return italic(e.text("title", "title", styled_italic=True))
    return e.text("title")


def label_volume(e: Fields) -> str:
    volume = e.var("volume")
    if not volume:
        return ""
    text = e.num("volume")
    if is_numeric("volume", volume):
        return ("Vols " if is_plural("volume", volume) else "Vol ") + text
    return text


def _year(e: Fields) -> str:
    issued = e.date("issued")
    return year_text(issued) if issued is not None else ""


def _full_date(e: Fields) -> str:
    issued = e.date("issued")
    return text_date(issued) if issued is not None else ""


def access(e: Fields) -> str:
    doi = e.var("DOI")
    if doi:
        return "doi:" + rich(doi)
    url = e.var("URL")
    if not url:
        return ""
    accessed = e.date("accessed")
    when = ("Accessed " + text_date(accessed)) if accessed is not None else ""
    return join(". ", [when, rich(url)])


def _publisher_year(e: Fields) -> str:
    return join("; ", [e.text("publisher"), _year(e)])


def details(e: Fields) -> str:
    """The layout's choice by type: what follows the title."""
    t = e.type
    if t in BOOKLIKE:
        editor = wrap(names(e, "editor"), "(", ")")
        return join(":", [join(". ", [label_volume(e), label_edition(e), editor,
                                      _publisher_year(e)]), e.num("page")])
    if t in IN_CONTAINER:
        inside = join(". ", [names(e, "editor"),
                             italic_leaf(e.text("container-title", "title", True)),
                             label_volume(e), label_edition(e), e.text("collection-title"),
                             _publisher_year(e)])
        where = e.num("page") if e.has("page") else _chapter(e)
        return join(":", [join(": ", ["In", inside]) if inside else "", where])
    if t == "legal_case":
        editor = wrap(names(e, "editor"), "(", ")")
        court = join(" ", [e.text("authority"), _year(e)])
        return join(" ", [join(", ", [join(". ", [editor, join(" ", [
            e.text("container-title"), e.num("volume")])]), e.num("page")]),
            wrap(court, "(", ")")])
    if t in ("post", "post-weblog", "webpage"):
        return join(". ", [e.text("container-title"), _full_date(e)])
    if t == "speech":
        if e.has("genre"):
            lead = join(" ", [e.text("genre", "capitalize-first"), "presented at"])
        elif e.any("event-title", "event-place"):
            lead = "Presented at"
        else:
            lead = ""
        event = join("; ", [e.text("event-title"), _full_date(e), e.text("event-place")])
        return join(": ", [lead, event]) if event else ""
    if t == "thesis":
        return join(". ", [e.text("genre"), _publisher_year(e)])
    container = italic_leaf(e.text("container-title", short=True, periods=False,
                                   styled_italic=True))
    publisher = italic_leaf(e.text("publisher", styled_italic=True)) if t == "article" else ""
    if e.any("issue", "volume"):
        when = _year(e)
    else:
        lead = "Preprint posted online" if t == "article" else \
            "" if t == "article-newspaper" else "Published online"
        date = _full_date(e)
        when = join(" ", [lead, date]) if date else ""
    numbers = ""
    if t != "article-newspaper":
        issue = e.num("issue")
        numbers = e.num("volume") + (f"({issue})" if issue else "")
    where = e.num("number") if e.has("number") else e.num("page")
    return join(". ", [names(e, "editor"), container, publisher,
                       join(":", [join(";", [when, numbers]), where])])


def _chapter(e: Fields) -> str:
    chapter = e.var("chapter-number")
    if not chapter:
        return ""
    label = "chap " if is_numeric("chapter-number", chapter) else ""
    return label + rich(chapter)


def entry(record: Record, options: Options) -> str:
    """One reference as styled text (without its number)."""
    e = Fields(record, options.keep_case, range_delimiter=RANGE)
    body = join(". ", [author(e), title(e), details(e)])
    return join(". ", [wrap(body, suffix="."), access(e)])


def render_iter(records: Iterable[Record], options: Options) -> Iterator[str]:
    return numbered(records, options, entry)
