"""Vancouver / NLM (Citing Medicine, 2nd ed.) for every kind of reference, matching citeproc-js
with the official nlm-citation-sequence.csl (vancouver.csl in the conformance corpus).

Citing Medicine ch. 1-2 journal articles (up to 6 authors then `et al.`, NLM abbreviation,
`2014 Dec;92(4):725–53` with the leading digits of the last page dropped), ch. 2-3 books and
chapters (`Place: Publisher; Year. p. 87–112.`, `288 p.`, series in parentheses), ch. 15-16
reports and theses (`[dissertation]`, `[place]`), ch. 25 web pages (`[Internet]`, `[cited …]`,
`Available from:`). The functions follow the style's macros.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..model import Date, Record
from . import Options
from ._citeproc import is_numeric, join, rich, wrap
from ._text import EN_DASH, Fields, label_edition, numbered, sort_order_name, year_text

MAX_LISTED = 6
SERIAL = frozenset(("article-journal", "article-magazine", "article-newspaper", "periodical",
                    "post-weblog", "review", "review-book"))
IN_CONTAINER = frozenset(("chapter", "paper-conference", "entry-dictionary",
                          "entry-encyclopedia"))
# en-US short months with the style's own Jun., Jul., Sep., printed without periods.
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_ROLE = {"editor": ("editor", "editors"), "translator": ("translator", "translators"),
         "collection-editor": ("editor", "editors")}


def date_text(date: Date, parts: int = 3) -> str:
    """The style's date: `2014 Dec 16`, `2023 Jun 24–27`. Ranges are as citeproc-js writes them
    with this style's date format, whose delimiter is not repeated in the end date
    (`2023 Jun 24–Jul2`, `2022 Dec 30–2023Jan2`)."""
    if not date.parts:
        return date.literal or ""
    start = date.parts[:parts]

    def pieces(p: tuple[int, ...]) -> list[str]:
        out = [str(p[0])]
        if len(p) > 1:
            out.append(MONTHS[p[1] - 1])
        if len(p) > 2:
            out.append(str(p[2]))
        return out

    text = " ".join(pieces(start))
    end = date.end[:parts]
    if not end or end == start:
        return text
    first = next((k for k in range(min(len(start), len(end))) if start[k] != end[k]), None)
    if first is None:
        return text
    return text + EN_DASH + "".join(pieces(end)[first:])


def names(e: Fields, roles: tuple[str, ...], label: bool = True) -> str:
    """`Family GI` names, 7 or more as the first 6 and `et al.`, with `, editors`."""
    out = []
    for role in roles:
        found = e.names(role)
        if not found:
            continue
        rendered = [rich(sort_order_name(n, "", " ", hyphen=False)) for n in found]
        if len(rendered) > MAX_LISTED:
            text = ", ".join(rendered[:MAX_LISTED]) + ", et al."
        else:
            text = ", ".join(rendered)
        if label and role in _ROLE:
            text += ", " + _ROLE[role][len(found) > 1]
        out.append(text)
    return ", ".join(out)


def author(e: Fields) -> str:
    text = names(e, ("author",))
    if text:
        return text
    e.substituting()
    text = names(e, ("editor", "translator")) or names(e, ("editor",)) or names(
        e, ("collection-editor",))
    e.substituted()
    return text


def title(e: Fields) -> str:
    if e.type == "webpage" and e.has("container-title"):
        return e.text("container-title")
    return e.text("title")


def type_of_medium(e: Fields) -> str:
    if e.has("medium"):
        return e.text("medium", "capitalize-first")
    if e.type in IN_CONTAINER:
        return ""
    return "Internet" if e.has("URL") else ""


def _journal_online(e: Fields) -> bool:
    """A journal article with a DOI, PMID or PMCID gets no `[Internet]` or `[cited …]`."""
    return e.type == "article-journal" and e.any("DOI", "PMID", "PMCID")


def container_title(e: Fields) -> str:
    t = e.type
    if t == "webpage":
        return ""
    if e.has("container-title"):
        if t in ("article-journal", "review", "review-book"):
            name = e.text("container-title", short=True, periods=False)
        else:
            name = e.text("container-title")
        internet = "[Internet]" if not _journal_online(e) and e.has("URL") else ""
        return join(". ", [join(" ", [name, internet]), label_edition(e)])
    if t in ("bill", "legislation"):
        section = e.text("section")
        return join(", ", [join(". ", [e.text("container-title"),
                                       ("Sect. " + section) if section else ""]),
                           e.num("number")])
    if t == "speech":
        lead = join(" ", [e.text("genre", "capitalize-first"), "presented at"]) \
            if e.has("genre") else ""
        return join(": ", [lead, e.text("event-title")]) if lead or e.has("event-title") else ""
    volume = e.var("volume")
    label = ("Vol. " if is_numeric("volume", volume) else "") if volume else ""
    return join(", ", [join(", ", [label + e.num("volume") if volume else "",
                                   e.text("volume-title")])])


def publisher(e: Fields) -> str:
    if e.type in SERIAL:
        return ""
    if e.type == "thesis":
        place = wrap(e.text("publisher-place"), "[", "]")
    elif e.type == "speech":
        place = ""
    else:
        place = e.text("publisher-place")
    return join(": ", [place, e.text("publisher")])


def date_of_citation(e: Fields) -> str:
    if not e.has("URL"):
        return ""
    accessed = e.date("accessed")
    return f"[cited {date_text(accessed)}]" if accessed is not None else ""


def date(e: Fields) -> str:
    t = e.type
    issued = e.date("issued")
    if t in SERIAL:
        when = date_text(issued) if issued is not None else ""
        cited = "" if _journal_online(e) else date_of_citation(e)
        page = e.num("page", range_format="minimal") if t == "article-newspaper" else ""
        return join(":", [join(" ", [when, cited]), page])
    if t in ("bill", "legislation"):
        return date_text(issued) if issued is not None else ""
    if t == "report":
        return join(" ", [date_text(issued, 2) if issued is not None else "",
                          date_of_citation(e)])
    if t == "patent":
        return join(" ", [join(", ", [e.num("number"), str(issued.parts[0])
                                      if issued is not None and issued.parts else ""]),
                          date_of_citation(e)])
    if t == "speech":
        return join("; ", [join(" ", [date_text(issued) if issued is not None else "",
                                      date_of_citation(e)]), e.text("event-place")])
    return join(" ", [year_text(issued) if issued is not None else "", date_of_citation(e)])


def identifier_serial(e: Fields) -> str:
    if e.type not in ("article-journal", "article-magazine", "periodical", "post-weblog",
                      "review", "review-book"):
        return ""
    issue = e.num("issue")
    numbers = e.text("collection-title") + e.num("volume") + (f"({issue})" if issue else "")
    where = e.num("number") if e.has("number") else e.num("page", range_format="minimal")
    return join(":", [numbers, where])


def pagination(e: Fields) -> str:
    t = e.type
    if t in ("article-journal", "article-magazine", "article-newspaper", "review",
             "review-book"):
        return ""
    if t == "book":
        pages = e.var("number-of-pages")
        if not pages:
            return ""
        return join(" ", [rich(pages), "p." if is_numeric("number-of-pages", pages) else ""])
    page = e.num("page", range_format="minimal")
    return ("p. " + page) if page else ""


def series(e: Fields) -> str:
    if e.type in SERIAL or not e.has("collection-title"):
        return ""
    number = e.var("collection-number")
    label = ("no. " if is_numeric("collection-number", number) else "") if number else ""
    inner = join("; ", [e.text("collection-title"), label + e.num("collection-number")
                        if number else ""])
    return wrap(join(". ", [names(e, ("collection-editor",)), inner]), "(", ")")


def report_number(e: Fields) -> str:
    if e.type != "report" or not e.has("number"):
        return ""
    lead = e.text("genre", "capitalize-first") if e.has("genre") else "Report"
    value = e.var("number")
    label = "no." if is_numeric("number", value) else ""
    return join(" ", [lead, join(": ", [label, e.num("number")])])


def availability(e: Fields) -> str:
    archive = join("; ", [join(", ", [e.text("archive_collection"), e.text("archive"),
                                      e.text("archive-place")]), e.text("archive_location")])
    located = ("Located at: " + archive) if archive else ""
    url = "" if _journal_online(e) else e.var("URL")
    doi = e.var("DOI")
    return join(". ", [located, join(" ", [("Available from: " + rich(url)) if url else "",
                                           ("doi:" + rich(doi)) if doi else ""])])


def notes(e: Fields) -> str:
    pmid, pmcid = e.text("PMID"), e.text("PMCID")
    ids = join("; ", [("PubMed PMID: " + pmid) if pmid else "",
                      ("PubMed Central PMCID: " + pmcid) if pmcid else ""])
    return wrap(join(". ", [ids, e.text("references")]), suffix=".")


def entry(record: Record, options: Options) -> str:
    """One reference as styled text (without its number)."""
    e = Fields(record, options.keep_case)
    t = e.type
    who = author(e)  # first: what its substitute prints is not printed again
    medium = ""
    if (t == "webpage" and e.has("container-title")) or not e.has("container-title"):
        medium = wrap(type_of_medium(e), "[", "]")
    head = join(" ", [title(e), wrap(e.text("genre"), "[", "]"), medium])
    edition = "" if e.has("container-title") else label_edition(e)
    container = join(". ", [names(e, ("editor",)), container_title(e)])
    # "In" is a macro of its own, which citeproc-js prints even when the container is empty.
    inside = join(": ", ["In" if t in IN_CONTAINER else "", container])
    source = join("; ", [publisher(e), join(";", [date(e), identifier_serial(e)])])
    webpage_part = e.text("title") if t == "webpage" and e.has("container-title") else ""
    body = join(". ", [who, head, edition, inside, source, pagination(e), webpage_part,
                       series(e), report_number(e)])
    return join(" ", [wrap(body, suffix="."), availability(e), notes(e)])


def render_iter(records: Iterable[Record], options: Options) -> Iterator[str]:
    return numbered(records, options, entry)
