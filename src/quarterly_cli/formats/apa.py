"""APA 7th edition for every kind of reference, matching citeproc-js with the official apa.csl.

Each function below is one macro of apa.csl (CSL styles repository, "APA Style 7th edition"),
named after it and written as its conditions read, so that a difference from citeproc-js can be
traced to one place. The manual's rules they implement: §9.7-9.12 authors (up to 20, then the
first 19, an ellipsis and the last), §9.13-9.17 dates (`n.d.`, `in press`, month and day for
ephemeral works), §9.18-9.22 titles and bracketed descriptions (`[Data set]`, `[Doctoral
dissertation, University]`), §9.23-9.37 sources (periodicals, `In Editor (Ed.), Book (pp. x–y)`,
publishers, DOIs and URLs, `Retrieved … from` for pages that change), §9.39-9.41 publication
history, §8.17-8.20 in-text citations.

Legal types (bill, hearing, legal_case, legislation, regulation, treaty) follow the Bluebook in
apa.csl; they are formatted by the CSL engine with the official style (`FALLBACK_TYPES`).
"""

from __future__ import annotations

import gc
from collections.abc import Collection, Mapping, Sequence
from functools import lru_cache, partial
from itertools import groupby

from ..memo import Memo
from ..model import Date, Name, Record
from . import Options
from ._citeproc import (
    LEAF_END,
    QUOTE_END,
    capitalize_first,
    clean,
    glue,
    initials,
    is_english,
    is_numeric,
    is_plural,
    italic,
    join,
    lowercase,
    normalize_initials,
    number,
    ordinal,
    rich,
    rich_unique,
    title_case,
    wrap,
)
from ._text import (
    APA_ERAS,
    EN_DASH,
    Fields,
    collation_code,
    given_first_name,
    is_romanesque,
    label_edition,
    month_day,
    parts,
    present_variables,
    same_person,
    short_name,
    sort_order_name,
    text_date,
    title_of,
    year_text,
)

FALLBACK_TYPES = frozenset(("bill", "hearing", "legal_case", "legislation", "regulation",
                            "treaty"))

# APA 7 §9.8: up to 20 authors are listed; from 21 on, the first 19, an ellipsis, the last.
MAX_LISTED = 20
FIRST_WHEN_TRUNCATED = 19

SERIAL = frozenset(("article-journal", "article-magazine", "article-newspaper", "periodical",
                    "post-weblog", "review", "review-book"))
EDITORIAL = ("collection-editor", "compiler", "editor", "editorial-director")
FULL_DATE = frozenset((
    "article-magazine", "article-newspaper", "broadcast", "collection", "document", "event",
    "motion_picture", "pamphlet", "performance", "personal_communication", "post", "post-weblog",
    "song", "speech", "webpage"))
ACCESSIBLE = ("archive", "archive-place", "container-title", "DOI", "number", "publisher",
              "references", "URL")
NO_MONOGRAPHIC_ID = frozenset((
    "article-journal", "article-magazine", "article-newspaper", "broadcast", "event", "patent",
    "performance", "periodical", "post", "post-weblog", "review", "review-book", "speech",
    "webpage"))

# en-US role terms: (singular, plural) long, then short.
_ROLE_LONG = {
    "editor": ("editor", "editors"), "translator": ("translator", "translators"),
    "director": ("director", "directors"), "compiler": ("compiler", "compilers"),
    "illustrator": ("illustrator", "illustrators"), "narrator": ("narrator", "narrators"),
    "chair": ("chair", "chairs"), "organizer": ("organizer", "organizers"),
    "curator": ("curator", "curators"), "series-creator": ("series creator", "series creators"),
    "executive-producer": ("executive producer", "executive producers"),
    "editorial-director": ("editor", "editors"), "collection-editor": ("editor", "editors"),
    "producer": ("producer", "producers"), "guest": ("guest expert", "guest experts"),
    "host": ("host", "hosts"), "script-writer": ("writer", "writers"),
    "contributor": ("contributor", "contributors"), "performer": ("performer", "performers"),
    "interviewer": ("interviewer", "interviewers"), "editortranslator": (
        "editor & translator", "editors & translators"),
}
_ROLE_SHORT = {
    "editor": ("ed.", "eds."), "translator": ("trans.", "trans."),
    "director": ("dir.", "dirs."), "compiler": ("comp.", "comps."),
    "illustrator": ("illus.", "illus."), "narrator": ("narr.", "narrs."),
    "chair": ("chair", "chairs"), "organizer": ("org.", "orgs."), "curator": ("cur.", "curs."),
    "series-creator": ("ser. creator", "ser. creators"),
    "executive-producer": ("exec. prod.", "exec. prods."),
    "editorial-director": ("ed.", "eds."), "collection-editor": ("ed.", "eds."),
    "producer": ("prod.", "prods."), "guest": ("guest", "guests"), "host": ("host", "hosts"),
    "script-writer": ("wrtr.", "wrtrs."), "contributor": ("contrib.", "contribs."),
    "performer": ("perf.", "perfs."), "interviewer": ("interviewer", "interviewers"),
    "editortranslator": ("ed. & trans.", "eds. & trans."),
}
_ROLE_VERB = {"contributor": "with", "container-author": "by", "collection-editor": "edited by",
              "editor": "edited by", "translator": "translated by", "recipient": "to",
              "interviewer": "interview by", "reviewed-author": "by", "performer": "recorded by"}
_ROLE_VERB_SHORT = {"container-author": "by", "reviewed-author": "by", "editor": "ed. by",
                    "translator": "trans. by"}
# Type terms (en-US, with apa.csl's own: software, manuscript, post).
_TYPE_TERM = {"broadcast": "broadcast", "collection": "archival collection",
              "dataset": "dataset", "figure": "figure", "graphic": "graphic",
              "interview": "interview", "personal-communication": "personal communication",
              "letter": "letter", "manuscript": "unpublished manuscript", "map": "map",
              "motion_picture": "video recording", "song": "audio recording",
              "software": "computer software", "post": "online post", "review": "review",
              "review-book": "book review", "supplement": "supplement",
              "special-issue": "special issue"}


class Entry(Fields):
    """One record as apa.csl sees it (see `_text.Fields`)."""

    __slots__ = ()

    def is_review(self) -> bool:
        return self.type in ("review", "review-book") or self.any(
            "reviewed-author", "reviewed-genre", "reviewed-title")


def year_text_apa(date: Date) -> str:
    return year_text(date, APA_ERAS)


def text_date_apa(date: Date) -> str:
    return text_date(date, APA_ERAS)


# --- names ------------------------------------------------------------------------------------

def _label(role: str, count: int, form: str, case_title: bool = True) -> str:
    table = _ROLE_SHORT if form == "short" else _ROLE_LONG
    terms = table.get(role)
    if not terms:
        return ""
    term = terms[1 if count > 1 else 0]
    return title_case(term) if case_title else term


def name_list(names: Sequence[Name], sort_order: bool, citation: bool,
              delimiter_precedes_last: bool, short: bool = False) -> str:
    """A list of names with `&`, truncated as APA wants (bibliography: 21+ → 19, …, last;
    citation: 3+ → first et al.). Returns styled text."""
    if not names:
        return ""
    if citation and len(names) >= 3:
        names = names[:1]
        truncated = True
    elif not citation and len(names) > MAX_LISTED:
        names = (*names[:FIRST_WHEN_TRUNCATED], names[-1])
        truncated = True
    else:
        truncated = False
    if short:
        rendered = [rich(short_name[n]) for n in names]
    elif sort_order:
        rendered = list(map(_bibliography_name.__getitem__, names))
    else:
        rendered = [rich(given_first_name(n)) for n in names]
    return _listed(rendered, truncated, citation,
                   delimiter_precedes_last and names[-1].literal is None)


def _listed(rendered: Sequence[str], truncated: bool, citation: bool, comma: bool) -> str:
    """`name_list`'s names, rendered, joined: `comma` is the delimiter before the `&` of two
    (an organisation last takes citeproc-js's institution `and`, which has no comma)."""
    if truncated:
        if citation:
            return rendered[0] + " et al."
        return ", ".join(rendered[:FIRST_WHEN_TRUNCATED]) + ", … " + rendered[-1]
    if len(rendered) == 1:
        return rendered[0]
    if len(rendered) == 2:
        return f"{rendered[0]}{', ' if comma else ' '}& {rendered[1]}"
    return ", ".join(rendered[:-1]) + ", & " + rendered[-1]


def _bibliography_name_of(n: Name) -> str:
    # rich_unique: this Memo keeps each name, which would only crowd `rich`'s cache
    return rich_unique(sort_order_name(n, ". ", ", "))


_bibliography_name: Memo[Name, str] = Memo(_bibliography_name_of, 1 << 15)


def sort_names(names: Sequence[Name], first_only: bool = False) -> str:
    """Names as citeproc-js writes them in sort keys (`van der Berg P.`, `Hoffmann von K.`)."""
    if first_only and len(names) >= 3:
        names = names[:1]
    elif len(names) > MAX_LISTED:
        names = (*names[:FIRST_WHEN_TRUNCATED], names[-1])
    return ", ".join(_sort_name(n) for n in names)


def _listed_name_of(n: Name) -> tuple[str, str]:
    """An author's words as a sort key (see `_text.collation_code`), and the author as the
    reference list prints it: the reference list's order and its entries read both for every
    listed author, so one lookup of the name gives both (see `_first_code`).

    A name of a family and a given name alone (no particle or suffix, in a Latin, Greek or
    Cyrillic script: most) is `Family G. I.` and `Family, G. I.`, made here from its initials
    without `_sort_name`'s and `sort_order_name`'s general paths: a first render's 13,767
    distinct authors of 10,000 mixed records, ~290 -> ~205 ms (process time, three alternating
    runs against main). A property test holds it to them."""
    if n.literal is None:
        p = parts(n)
        if p.given and not p.dropping and not p.suffix and is_romanesque(n):
            family = p.full_family()
            given = initials(p.given, ". ")
            # collation_code(f"{family} {given}"), from each half's code: the code of two texts
            # a space apart is the two codes one after the other (the words are coded one by
            # one), and a library's authors share family names and initials (a first render's
            # 13,773 distinct authors of 10,000 mixed records, ~1,000 family names)
            return _collation[family] + _collation[given], rich_unique(f"{family}, {given}")
    return collation_code(_sort_name(n)), _bibliography_name[n]


_listed_name: Memo[Name, tuple[str, str]] = Memo(_listed_name_of, 1 << 15)
_collation: Memo[str, str] = Memo(collation_code, 1 << 14)


@lru_cache(maxsize=1 << 15)
def _sort_name(n: Name) -> str:
    if n.literal is not None:
        return n.literal
    p = parts(n)
    if not p.given:
        return p.full_family()
    return " ".join(x for x in (p.full_family(), p.dropping, initials(p.given, ". "),
                                normalize_initials(p.suffix or "", ". ")) if x)


def _author_names(e: Entry, role: str, label_form: str | None) -> str:
    names = e.names(role)
    if not names:
        return ""
    if e.sorting:
        return sort_names(names, first_only=e.citation)
    text = name_list(names, sort_order=True, citation=e.citation, delimiter_precedes_last=True)
    if label_form is not None:
        label = _label(role, len(names), label_form)
        if label:
            text += f" ({label})"
    return text


def _contributor_names(e: Entry, roles: Sequence[str], label_form: str | None,
                       verb: bool = False) -> str:
    """`<names variable="a b" delimiter="; "><name and="symbol"/><label prefix=", "/></names>`:
    names in given-first order; an editor who is also the translator is `Ed. & Trans.`."""
    lists = [(role, e.names(role)) for role in roles]
    lists = [(role, names) for role, names in lists if names]
    if not lists:
        return ""
    editors = dict(lists).get("editor")
    translators = dict(lists).get("translator")
    if editors and translators and len(editors) == len(translators) and all(
            same_person(a, b) for a, b in zip(editors, translators, strict=True)):
        lists = [("editortranslator" if role == "editor" else role, names)
                 for role, names in lists if role != "translator"]
    out = []
    for role, names in lists:
        text = name_list(names, sort_order=False, citation=e.citation,
                         delimiter_precedes_last=False)
        if verb:
            term = _ROLE_VERB_SHORT.get(role, "") if label_form == "verb-short" else \
                _ROLE_VERB.get(role, "")
            text = f"{title_case(term)} {text}" if term else text
        elif label_form is not None:
            label = _label(role, len(names), label_form)
            if label:
                text += f", {label}"
        out.append(text)
    return "; ".join(out)


# --- 1. author --------------------------------------------------------------------------------

def author(e: Entry) -> str:
    """The `author` macro. Its substitutes are tried in order; every variable they touch, up to
    the one that printed, is not printed again."""
    text = _author_names(e, "composer", "short")
    if text:
        return text
    if "author" in e.present and not e.recording:  # the substitute's first choice, at once
        text = _author_names(e, "author", "short")
        e.suppressed.add("author")
        return text
    e.substituting()
    text = _author_substitute(e)
    e.substituted()
    return text


def _author_substitute(e: Entry) -> str:
    for role in ("author", "illustrator"):
        text = _author_names(e, role, "short")
        if text:
            return text
    if e.type == "broadcast":
        text = join(", ", [_author_names(e, "script-writer", "long"),
                           _author_names(e, "director", "long")])
        if text:
            return text
    for roles in (("director",), ("guest", "host"), ("producer",)):
        text = join(", ", [_author_names(e, role, "long") for role in roles])
        if text:
            return text
    if e.type in ("entry-dictionary", "entry-encyclopedia"):
        text = e.text("publisher")
        if text:
            return text
    if e.has("container-title") and e.type in ("book", "classic", "entry", "entry-dictionary",
                                                "entry-encyclopedia"):
        text = author_title_substitute(e)
        if text:
            return text
    for role, form in (("executive-producer", "long"), ("series-creator", "long"),
                       ("editor", "short"), ("editorial-director", "short"),
                       ("compiler", "long")):
        text = _author_names(e, role, form)
        if text:
            return text
    if e.type in ("event", "performance", "speech"):
        for role in ("chair", "organizer"):
            text = _author_names(e, role, "long")
            if text:
                return text
    text = _author_names(e, "curator", "long") or _author_names(e, "collection-editor", "short")
    if text:
        return text
    if e.type in ("software", "webpage"):
        text = e.text("publisher")
        if text:
            return text
    elif e.type == "standard":
        text = e.text("authority")
        if text:
            return text
    return author_title_substitute(e)


def author_title_substitute(e: Entry) -> str:
    if e.is_review():
        if e.has("reviewed-genre") and e.has("title") or e.has("reviewed-title") and e.has(
                "title"):
            return title(e)
        return title_and_descriptions(e)
    if e.has("title"):
        return join(" ", [title(e), identifier(e)])
    return title_and_descriptions(e)


def author_and_contributors(e: Entry) -> str:
    text = author(e)
    if not e.any("author", "compiler", "composer", "editor", "illustrator"):
        return text
    if e.type in ("book", "musical_score", "pamphlet", "report", "standard"):
        contributors = e.names("contributor")
        if contributors:
            names = name_list(contributors, sort_order=True, citation=False,
                              delimiter_precedes_last=True)
            text = join(" ", [text, f"(with {names})"])
    return text


def short_author_source(record: Record) -> str | None:
    """The name variable the in-text author is made of, following apa.csl's `author-short`
    substitutes; None when a title, publisher or authority stands for it."""
    if record.type in FALLBACK_TYPES or record.type in ("interview", "personal_communication"):
        return None if record.type in FALLBACK_TYPES else (
            "author" if record.names.get("author") else None)
    names = record.names
    if names.get("author") and not names.get("composer"):
        return "author"  # the common case, without walking the chain
    present = present_variables(record)
    chain: list[str] = ["composer", "author", "illustrator"]
    if record.type == "broadcast":
        chain.append("script-writer")
    chain += ["director", "guest", "host", "producer"]
    for role in chain:
        if names.get(role):
            return role
    if record.type in ("entry-dictionary", "entry-encyclopedia") and "publisher" in present:
        return None
    if "container-title" in present and record.type in (
            "book", "classic", "entry", "entry-dictionary", "entry-encyclopedia"):
        return None
    chain = ["executive-producer", "series-creator", "editor", "editorial-director", "compiler"]
    if record.type in ("event", "performance", "speech"):
        chain += ["chair", "organizer"]
    for role in (*chain, "curator", "collection-editor"):
        if names.get(role):
            return role
    return None


def plain_date_short(record: Record) -> str | None:
    """`date_short` as plain text for the commonest case (a year, no original date); None when
    the general path is needed."""
    issued = record.dates.get("issued")
    if issued is None or not issued.parts or issued.end or issued.circa or \
            record.dates.get("original-date") is not None or \
            record.type in ("interview", "personal_communication"):
        return None
    year = issued.parts[0]
    return str(year) if year >= 1000 else None


def author_short(e: Entry, names_shown: int | None = None,
                 initials_for: Collection[int] = ()) -> str:
    """The in-text author: `Mathers et al.`, `Okafor & Mendoza`, an organisation, or a short title
    (`“Title in Title Case,”` / *Title*) for works without one."""
    role = short_author_source(e.record)
    if role is not None and names_alone(e.record, role):
        return _short_names(e, role, names_shown, initials_for)
    if e.type in ("interview", "personal_communication"):
        return _personal_author_short(e, names_shown, initials_for)
    if role is not None:  # guests and hosts, joined
        return join(", ", [_short_names(e, r, names_shown, initials_for)
                           for r in ("guest", "host")])
    if e.type not in FALLBACK_TYPES:
        if e.type in ("entry-dictionary", "entry-encyclopedia") and e.has("publisher"):
            return e.text("publisher")
        if not (e.has("container-title") and e.type in (
                "book", "classic", "entry", "entry-dictionary", "entry-encyclopedia")):
            if e.type in ("software", "webpage") and e.has("publisher"):
                return e.text("publisher")
            if e.type == "standard" and e.has("authority"):
                return e.text("authority")
    return title_and_descriptions_short(e)


def names_alone(record: Record, role: str | None) -> bool:
    """Whether `author_short` is `short_names` of the `role` names alone (`short_author_source`
    gave `role`): not for interviews and letters, nor for guests and hosts, which are joined."""
    return (role is not None and role not in ("guest", "host")
            and record.type not in ("interview", "personal_communication"))


def _personal_author_short(e: Entry, names_shown: int | None,
                           initials_for: Collection[int]) -> str:
    """An interview or letter: a retrievable one is cited as any work; one that is not, as
    `S. Brennan, personal communication` (APA 7 §8.9)."""
    if e.any(*ACCESSIBLE):
        return _short_names(e, "author", names_shown, initials_for) or \
            title_and_descriptions_short(e)
    names = e.names("author")
    who = name_list(names, sort_order=False, citation=True, delimiter_precedes_last=False) \
        if names else title_and_descriptions_short(e)
    return join(", ", [who, "personal communication"])


def _short_names(e: Entry, role: str, names_shown: int | None, initials_for) -> str:
    return short_names(e.names(role), names_shown, initials_for)


def short_names(names: Sequence[Name], names_shown: int | None,
                initials_for: Collection[int]) -> str:
    """The in-text names of a list (`Mathers et al.`, `Okafor & Mendoza`), `names_shown` of them
    (None: APA's default), those at `initials_for` with their initials."""
    if not names:
        return ""
    shown = names_shown if names_shown is not None else (1 if len(names) >= 3 else len(names))
    rendered = []
    for i, n in enumerate(names[:shown]):
        if i in initials_for and n.literal is None:
            rendered.append(rich(given_first_name(n)))
        else:
            rendered.append(rich(short_name[n]))
    if shown < len(names):
        return (", ".join(rendered) + ("," if len(rendered) > 1 else "") + " et al.")
    if len(rendered) == 1:
        return rendered[0]
    if len(rendered) == 2:
        return f"{rendered[0]} & {rendered[1]}"
    return ", ".join(rendered[:-1]) + ", & " + rendered[-1]


# --- 2. date ----------------------------------------------------------------------------------

def _circa(date) -> str:
    return "ca. " if date is not None and date.circa else ""


def issued_year(date: Date) -> str:
    """`_circa` and `year_text_apa` of a date (`2014`, `ca. 1850`, `2022–2023`, `45 B.C.E.`): a
    year of four digits alone (most dates) is its digits, without the three calls (each
    reference prints one; 10,000 mixed records' dates 11.4 -> 3.9 ms). A property test
    holds it to them."""
    parts = date.parts
    if parts and not date.end and not date.circa and parts[0] >= 1000:
        return str(parts[0])
    return _circa(date) + year_text_apa(date)


def date(e: Entry) -> str:
    """`(2014)`, `(2023, June 24–27)`, `(in press)`, `(n.d.)`, with `2016a`, `n.d.-a`."""
    issued = e.record.dates.get("issued")
    if issued is not None:
        year = issued_year(issued) + e.year_suffix
        detail = ""
        if e.type in FULL_DATE:
            detail = month_day(issued)
        elif e.any(*EDITORIAL, "issue", "page", "volume"):
            detail = ""
        elif e.type in ("interview", "paper-conference"):
            detail = month_day(issued)
        return f"({join(', ', [year, detail])})"
    status = e.var("status")
    if status:
        return f"({join('-', [rich(lowercase(status)), e.year_suffix])})"
    return f"({join('-', ['n.d.', e.year_suffix])})"


def date_short(e: Entry) -> str:
    """The in-text date: `2014`, `1998/2016` (original date), `in press`, `n.d.`, with `2016a`."""
    issued = e.record.dates.get("issued")
    if issued is not None:
        original = e.record.dates.get("original-date")
        first = (_circa(original) + year_text_apa(original)) if original is not None else ""
        if not e.any(*ACCESSIBLE) and e.type in ("interview", "personal_communication"):
            when = _circa(issued) + text_date_apa(issued)
        else:
            when = issued_year(issued)
        return join("/", [first, when + e.year_suffix])
    status = e.var("status")
    if status:
        return join("-", [rich(lowercase(status)), e.year_suffix])
    return join("-", ["n.d.", e.year_suffix])


# --- 3. title and descriptions ----------------------------------------------------------------

def title_and_descriptions(e: Entry) -> str:
    if e.has("title"):
        return join(" ", [title(e), identifier(e), description(e)])
    if e.type in ("bill", "report"):
        return join(" ", [identifier_number(e), description(e), identifier(e)])
    return join(" ", [description(e), identifier(e)])


def title_and_descriptions_short(e: Entry) -> str:
    if e.has("title"):
        return title_short(e)
    if e.type in ("bill", "report"):
        return join(" ", [e.text("genre"), e.text("number")])
    return description_short(e)


def serial_layout(e: Entry) -> bool:
    """apa.csl's recurring choice between its serial and monographic macros (title,
    contributors, source): serial types, and interviews and conference papers without an
    editorial container (a container title, editor, …), are laid out as serials."""
    return e.type in SERIAL or (e.type in ("interview", "paper-conference")
                                and not e.any(*EDITORIAL))


def title(e: Entry) -> str:
    if e.type in ("post", "webpage"):
        return italic(_title_filter_review(e, italic_context=True))
    return _title_serial(e) if serial_layout(e) else _title_monographic(e)


def _title_filter_review(e: Entry, italic_context: bool = False) -> str:
    if e.is_review():
        if not ((e.has("reviewed-genre") or e.has("reviewed-title")) and e.has("title")):
            return ""
    return e.text("title", styled_italic=italic_context)


def _title_serial(e: Entry) -> str:
    if e.has("container-title"):
        return _title_filter_review(e)
    return italic(_title_filter_review(e, italic_context=True))


def _title_monographic(e: Entry) -> str:
    if e.has("container-title"):
        return e.text("title")
    return italic(join(": ", [e.text("title", styled_italic=True), title_volume(e, True)]))


def title_volume(e: Entry, in_italics: bool = False) -> str:
    if e.has("volume-title"):
        return join(". ", [label_volume(e), e.text("volume-title", styled_italic=in_italics)])
    volume = e.peek("volume")
    if volume and not is_numeric("volume", volume):
        return label_volume(e)
    return ""


def title_short(e: Entry) -> str:
    """`title-short`: the short title in title case, quoted for parts of something, italic for
    whole works (APA 7 §8.14)."""
    raw = e.record.variables.get("title-short") or e.title
    cased = title_case(raw) if e.english else raw
    if e.is_review():
        if (e.has("reviewed-genre") or e.has("reviewed-title")) and e.has("title"):
            return _quoted(cased)
        return description_short(e)
    if e.type in ("bill", "legislation", "regulation", "report", "treaty"):
        return rich(cased)
    if e.type in ("legal_case", "post"):
        return italic(rich(raw, True))
    if e.type in ("hearing", "webpage"):
        return italic(rich(cased, True))
    if e.has("container-title"):
        return _quoted(cased)
    return italic(rich(cased, True))


def _quoted(raw: str) -> str:
    return f"“{rich(raw, quoted_context=True)}”{QUOTE_END}"


def label_volume(e: Entry) -> str:
    volume = e.var("volume")
    if not volume:
        return ""
    text = number("volume", volume)
    if is_numeric("volume", volume):
        return ("Vols. " if is_plural("volume", volume) else "Vol. ") + rich(text)
    return rich(capitalize_first(text))


# What an identifier (in parentheses) can be made of.
IDENTIFIER_VARS = frozenset((
    "interviewer", "translator", "narrator", "illustrator", "container-author", "editor",
    "compiler", "chair", "organizer", "curator", "series-creator", "executive-producer",
    "number", "version", "edition", "collection-title", "collection-number", "volume",
    "number-of-volumes", "issue", "page", "chapter-number", "volume-title", "part-title",
    "authority", "genre"))


def identifier(e: Entry) -> str:
    t = e.type
    if t != "patent" and e.present.isdisjoint(IDENTIFIER_VARS):
        return ""
    if t == "patent":
        parts = [identifier_patent(e)]
    elif t in ("post", "webpage"):
        parts = [identifier_contributors(e), identifier_number(e), identifier_monographic(e)]
    elif t == "report" and e.has("container-title"):
        parts = [identifier_contributors(e)]
    elif t == "report" and e.has("title"):
        parts = [identifier_contributors(e), identifier_number(e), identifier_monographic(e)]
    elif t == "report":
        parts = [identifier_contributors(e), identifier_monographic(e)]
    elif e.has("container-title"):
        parts = []
        if not e.any("genre", "title"):
            parts.append(label_chapter_number(e))
        parts.append(identifier_contributors(e))
        if t in ("broadcast", "graphic", "map", "motion_picture"):
            parts.append(identifier_number(e))
        # identifier-serial prints part-number only, which records here do not carry
    else:
        parts = [identifier_contributors(e), identifier_number(e), identifier_monographic(e)]
    return wrap(join("; ", parts), "(", ")")


CONTRIBUTORS = frozenset(("interviewer", "translator", "narrator", "illustrator",
                          "container-author", "editor", "compiler", "chair", "organizer",
                          "curator", "series-creator", "executive-producer"))


def identifier_contributors(e: Entry) -> str:
    if e.present.isdisjoint(CONTRIBUTORS):
        return ""  # the macro prints names only
    return _contributors_serial(e) if serial_layout(e) else _contributors_monographic(e)


def _contributors_serial(e: Entry) -> str:
    parts = []
    if e.has("title"):
        parts.append(_contributor_names(e, ("interviewer",), "short"))
    parts.append(_contributor_names(e, ("translator", "narrator"), "short"))
    return join("; ", parts)


def _contributors_monographic(e: Entry) -> str:
    parts = []
    if e.has("title"):
        parts.append(_contributor_names(e, ("interviewer",), "short"))
    if e.type in ("post", "webpage"):
        parts.append(_contributor_names(e, ("container-author",), "verb-short", verb=True))
        parts.append(_contributor_names(e, ("editor", "translator"), "short"))
        parts.append(_contributor_names(e, ("illustrator", "narrator"), "short"))
        parts.append(_contributor_names(e, ("compiler", "chair", "organizer", "curator",
                                            "series-creator", "executive-producer"), "long"))
    else:
        parts.append(_contributor_names(e, ("illustrator", "narrator"), "short"))
        if e.has("container-title"):
            parts.append(_contributor_names(e, ("translator",), "short"))
        else:
            parts.append(_contributor_names(e, ("container-author",), "verb-short", verb=True))
            parts.append(_contributor_names(e, ("editor", "translator"), "short"))
            parts.append(_contributor_names(e, ("compiler", "chair", "organizer", "curator",
                                                "series-creator", "executive-producer"),
                                            "long"))
    return join("; ", parts)


def identifier_locators(e: Entry) -> str:
    page = e.var("page")
    if page:
        return ("pp. " if is_plural("page", page) else "p. ") + rich(number("page", page))
    if e.has("chapter-number") and (e.has("genre") or e.has("title")):
        return label_chapter_number(e)
    return ""


def identifier_monographic(e: Entry) -> str:
    if e.type in NO_MONOGRAPHIC_ID:
        return ""
    if e.any(*EDITORIAL):
        return identifier_monographic_item(e)
    if e.type in ("interview", "paper-conference"):
        return ""
    return identifier_monographic_item(e)


def identifier_monographic_item(e: Entry) -> str:
    version = e.var("version")
    issue = e.var("issue")
    return join(", ", [
        f"Version {rich(version)}" if version else "",
        label_edition(e),
        identifier_series(e),
        identifier_number_volume(e),
        f"Issue {rich(number('issue', issue))}" if issue else "",
        identifier_locators(e),
    ])


def identifier_number(e: Entry) -> str:
    number_text = label_number(e)
    if not number_text:  # the group prints nothing without its one variable but `genre`
        return ""
    genre = ""
    if e.type == "thesis" and e.has("genre"):
        genre = "Publication"
    elif e.has("number"):
        genre = e.text("genre", "title")
    return join(" ", [genre, number_text])


def label_number(e: Entry) -> str:
    value = e.var("number")
    if not value:
        return ""
    label = ""
    if e.type != "standard" and (is_numeric("number", value) or e.type in (
            "legislation", "patent", "regulation")):
        label = "Nos." if is_plural("number", value) else "No."
    return join(" ", [label, rich(capitalize_first(number("number", value)))])


def identifier_number_volume(e: Entry) -> str:
    if e.has("volume") and e.has("volume-title"):
        return ""
    volume = e.peek("volume")
    if volume and is_numeric("volume", volume):
        return label_volume(e)
    if volume:
        return ""
    volumes = e.var("number-of-volumes")
    if not volumes:
        return ""
    if is_numeric("number-of-volumes", volumes):
        return f"Vols. 1{EN_DASH}{rich(volumes)}"
    return rich(volumes)


def identifier_patent(e: Entry) -> str:
    genre = e.text("genre", "capitalize-first") if e.has("genre") else "Patent"
    return join(" ", [e.text("authority"), genre, label_number(e)])


def identifier_series(e: Entry) -> str:
    if e.type in ("document", "report", "standard"):
        return join(" ", [e.text("collection-title", "title"), e.num("collection-number")])
    return ""


def label_chapter_number(e: Entry) -> str:
    chapter = e.var("chapter-number")
    if not chapter:
        return ""
    label = ""
    if is_numeric("chapter-number", chapter):
        label = "Track" if e.type == "song" else "Chapter"
    return join(" ", [label, rich(chapter)])


# --- descriptions [in brackets] ---------------------------------------------------------------

# What a description [in brackets] can be made of: these variables, or a type's own term.
DESCRIPTION_VARS = frozenset(("genre", "medium", "section", "interviewer", "reviewed-author",
                              "reviewed-genre", "reviewed-title", "recipient", "composer",
                              "publisher"))
DESCRIPTION_TYPES = frozenset((
    "broadcast", "collection", "dataset", "figure", "graphic", "interview", "manuscript", "map",
    "motion_picture", "periodical", "personal_communication", "post", "review", "review-book",
    "software", "song", "thesis"))


def description(e: Entry) -> str:
    t = e.type
    if t not in DESCRIPTION_TYPES and e.present.isdisjoint(DESCRIPTION_VARS):
        return ""
    if t == "interview" or e.has("interviewer"):
        text = description_interview(e)
    elif e.is_review():
        text = description_review(e)
    elif t == "personal_communication":
        text = description_letter(e)
    elif t == "song" and e.has("composer"):
        text = description_song(e)
    elif t == "thesis":
        text = description_thesis(e)
    elif t in SERIAL:
        text = join("; ", [description_format(e), "" if e.has("title") else e.text("section")])
    elif not e.has("container-title"):
        text = description_format(e)
    elif t in ("document", "report", "software", "standard"):
        text = ""
    elif t in ("event", "paper-conference", "performance", "speech"):
        text = description_format(e) if e.any(*EDITORIAL, "issue", "page", "volume") else ""
    else:
        text = description_format(e)
    return wrap(text, "[", "]")


def description_short(e: Entry) -> str:
    t = e.type
    if t == "interview" or e.has("interviewer"):
        names = e.names("interviewer")
        if names:
            text = "Interview by " + name_list(names, False, True, False, short=True)
        else:
            text = _description_format_short(e)
    elif e.is_review():
        text = join(" ", ["Review of", _review_title_short(e)])
    elif t == "personal_communication":
        text = _description_format_short(e)
    elif t in SERIAL:
        text = "" if e.has("title") else (
            e.text("section", "capitalize-first") if e.has("section") else
            _description_format_short(e))
    elif e.any(*EDITORIAL):
        text = _description_format_short(e)
    elif t in ("interview", "paper-conference"):
        text = "" if e.has("title") else _description_format_short(e)
    else:
        text = _description_format_short(e)
    return wrap(text, "[", "]")


def _review_title_short(e: Entry) -> str:
    var = "reviewed-title" if e.any("reviewed-genre", "reviewed-title") else "title"
    raw = e.var(var)
    return italic(rich(title_case(raw) if e.english else raw, True)) if raw else ""


def description_format(e: Entry) -> str:
    if e.has("genre") or e.has("medium"):
        return join("; ", ["" if e.has("number") else e.text("genre", "capitalize-first"),
                           e.text("medium", "capitalize-first")])
    return description_format_term_generic(e)


def _description_format_short(e: Entry) -> str:
    if e.has("genre"):
        return e.text("genre", "capitalize-first")
    if e.has("medium"):
        return e.text("medium", "capitalize-first")
    return description_format_term_generic(e)


def description_format_term_generic(e: Entry) -> str:
    t = e.type
    term = ""
    if t in ("broadcast", "collection", "dataset", "figure", "graphic", "map", "motion_picture",
             "song", "software", "post", "review", "review-book"):
        term = _TYPE_TERM[t]
    elif t in ("interview", "personal_communication"):
        if not e.any(*ACCESSIBLE):
            term = "personal communication"
        elif t == "interview":
            term = "interview"
        else:
            term = "letter"
    elif t == "manuscript":
        if not e.any(*ACCESSIBLE):
            term = "unpublished manuscript"
    elif t == "periodical" and e.has("container-title") and e.has("supplement"):
        term = "supplement"
    elif t == "periodical" and e.has("container-title") and e.has("title"):
        term = "special issue"
    return capitalize_first(term) if term else ""


def description_interview(e: Entry) -> str:
    if e.has("interviewer") and e.has("title"):
        return join("; ", ["" if e.has("number") else e.text("genre", "capitalize-first"),
                           e.text("medium", "capitalize-first")])
    if e.has("title"):
        return description_format(e)
    if e.has("genre"):
        names = e.names("interviewer")
        return join(" ", [e.text("genre", "capitalize-first"),
                          ("by " + name_list(names, False, e.citation, False)) if names else ""])
    if e.has("interviewer"):
        names = e.names("interviewer")
        return join("; ", ["Interview by " + name_list(names, False, e.citation, False),
                           e.text("medium", "capitalize-first")])
    return description_format(e)


def description_letter(e: Entry) -> str:
    recipients = e.names("recipient")
    if recipients:
        return join("; ", [join(" ", [description_format(e), "to " + name_list(
            recipients, False, e.citation, False)]), _description_medium(e)])
    return description_format(e)


def _description_medium(e: Entry) -> str:
    if e.has("number"):
        return ""
    return e.text("medium", "capitalize-first") if e.has("genre") else ""


def description_review(e: Entry) -> str:
    # apa.csl's terms: review-of is "review of the", its short form "review of". A CSL group
    # prints nothing when every variable in it is empty, whatever terms it holds.
    head_from_variable = True
    if e.has("reviewed-genre"):
        head = join(" ", ["Review of the", e.text("reviewed-genre")])
    elif e.has("number"):
        head, head_from_variable = "Review of", False
    elif e.has("genre"):
        head = e.text("genre", "capitalize-first")
    elif e.has("medium"):
        head = e.text("medium", "capitalize-first")
    else:
        head = "Review of the book" if e.type == "review-book" else "Review of"
        head_from_variable = False
    var = "reviewed-title" if e.any("reviewed-genre", "reviewed-title") else "title"
    reviewed_title = italic(e.text(var, styled_italic=True))
    if head_from_variable and not head.strip():
        head_from_variable = False
    what = join(" ", [head, reviewed_title]) if reviewed_title or head_from_variable else ""
    authors = e.names("reviewed-author")
    by = ("by " + name_list(authors, False, e.citation, False)) if authors else ""
    return join("; ", [join(", ", [what, by]), _description_medium(e)])


def description_song(e: Entry) -> str:
    if e.has("genre") or e.has("medium"):
        lead = join(" ", ["" if e.has("number") else e.text("genre", "capitalize-first"),
                          e.text("medium", "capitalize-first"), "recorded by"])
    else:
        lead = "Recorded by"
    names = e.names("author") or e.names("performer")
    return join("; ", [join(" ", [lead, name_list(names, False, e.citation, False)])
                       if names else "", _description_medium(e)])


def description_thesis(e: Entry) -> str:
    publisher = e.text("publisher") if e.any("archive", "DOI", "URL") else ""
    return join("; ", [join(", ", [e.text("genre", "capitalize-first"), publisher]),
                       e.text("medium", "capitalize-first")])


# --- 4. source --------------------------------------------------------------------------------

def source(e: Entry) -> str:
    t = e.type
    if t in ("post", "webpage"):
        main = ""
    else:
        main = source_serial(e) if serial_layout(e) else source_monographic(e)
    website = e.text("container-title", "title") if t in ("post", "webpage") else ""
    return join(". ", [main, source_publisher(e), source_archive(e), source_location(e),
                       website])


def source_serial(e: Entry) -> str:
    container = italic(join(", ", [e.text("container-title", "title", True),
                                   e.text("collection-title", "title", True)]))
    volume = e.num("volume")
    issue = e.num("issue")
    numbers = (italic(volume) + LEAF_END if volume else "") + (f"({issue})" if issue else "")
    locator = ("Article " + e.num("number")) if e.has("number") else e.num("page")
    text = join(", ", [container, numbers, locator])
    if not e.any("collection-title", "issue", "number", "page", "volume") and e.has(
            "issued") and e.has("status"):
        text = join(". ", [text, e.text("status", "capitalize-first")])
    return text


def source_monographic(e: Entry) -> str:
    if not e.has("container-title"):
        return ""
    preposition = "On" if e.type == "song" else "In"
    head = join(", ", [source_monographic_author(e), source_monographic_title(e)])
    return join(" ", [preposition, head, source_monographic_identifier(e),
                      source_monographic_description(e)])


def source_monographic_author(e: Entry) -> str:
    names = e.names("container-author")
    if names:
        return name_list(names, False, e.citation, False)
    for role, form in (("executive-producer", None), ("series-creator", None),
                       ("editor", "short"), ("editorial-director", "short"),
                       ("compiler", None)):
        text = _container_names(e, role, form)
        if text:
            return text
    if e.type in ("event", "performance", "speech"):
        for role in ("chair", "organizer"):
            text = _container_names(e, role, None)
            if text:
                return text
    return (_container_names(e, "curator", None)
            or _container_names(e, "collection-editor", "short"))


def _container_names(e: Entry, role: str, form: str | None) -> str:
    names = e.names(role)
    if not names:
        return ""
    text = name_list(names, False, e.citation, False)
    label = _label(role, len(names), form or "long")
    return f"{text} ({label})" if label else text


def source_monographic_title(e: Entry) -> str:
    return italic(join(": ", [e.text("container-title", styled_italic=True),
                              title_volume(e, True)]))


def source_monographic_identifier(e: Entry) -> str:
    if not e.has("container-title"):
        return ""
    number_part = "" if e.type in ("broadcast", "graphic", "map", "motion_picture") else \
        identifier_number(e)
    return wrap(join("; ", [number_part, identifier_monographic(e)]), "(", ")")


def source_monographic_description(e: Entry) -> str:
    t = e.type
    if t in ("document", "report", "software", "standard"):
        text = description_format(e)
    elif e.any(*EDITORIAL, "issue", "page", "volume"):
        text = ""
    elif t in ("event", "paper-conference", "performance", "speech"):
        text = description_format(e)
    else:
        text = ""
    return wrap(text, "[", "]")


def source_publisher(e: Entry) -> str:
    t = e.type
    if t == "thesis":
        return "" if e.any("archive", "DOI", "URL") else e.text("publisher")
    if t in SERIAL:
        return ""
    if e.any(*EDITORIAL) or t == "interview":
        return e.text("publisher")
    if t == "paper-conference":
        return ""
    return e.text("publisher")


def source_archive(e: Entry) -> str:
    if not e.any("archive", "archive_collection", "archive_location", "archive-place"):
        return ""
    location = wrap(e.text("archive_location"), "(", ")")
    if e.has("archive_collection"):
        return join(", ", [join(" ", [e.text("archive_collection"), location]),
                           e.text("archive"), e.text("archive-place")])
    return join(", ", [join(" ", [e.text("archive"), location]), e.text("archive-place")])


def source_location(e: Entry) -> str:
    if not e.has("event-title"):
        return ""
    if e.type == "paper-conference" and e.any(*EDITORIAL, "issue", "page", "volume"):
        return ""
    event_date = e.record.dates.get("event-date")
    when = (_circa(event_date) + text_date_apa(event_date)) if event_date is not None else ""
    return join(", ", [e.text("event-title", "capitalize-first"), e.text("event-place"), when])


def source_doi_url(e: Entry) -> str:
    doi = e.var("DOI")
    if doi:
        return "https://doi.org/" + clean(doi)
    url = e.var("URL")
    if not url:
        return ""
    if e.has("issued") or e.has("status"):
        return clean(url)
    accessed = e.record.dates.get("accessed")
    retrieved = f"Retrieved {text_date_apa(accessed)}, from " if accessed is not None else \
        "Retrieved "
    return retrieved + clean(url)


def publication_history(e: Entry) -> str:
    if not e.any("references", "status", "original-date", "original-title",
                 "original-publisher"):
        return ""
    if e.type == "patent":
        return wrap(e.text("references"), "(", ")")
    status = ""
    if e.has("issued") and e.any("collection-title", "issue", "number", "page", "volume"):
        status = e.text("status", "capitalize-first")
    if e.has("references"):
        history = e.text("references")
    else:
        original = e.record.dates.get("original-date")
        original_title = e.var("original-title")
        details = join(", ", [
            ("as " + italic(rich(original_title, True))) if original_title else "",
            (_circa(original) + year_text_apa(original)) if original is not None else "",
            e.text("original-publisher")])
        history = ("Original work published " + details) if details else ""
    return wrap(join("; ", [status, history]), "(", ")")


# --- the reference ------------------------------------------------------------------------------

def entry(record: Record, options: Options, year_suffix: str = "",
          title: str | None = None, authors: str | None = None) -> str:
    """One reference as styled text (`bibliography` macro of apa.csl). `title` is the printed
    title and `authors` the listed authors (`_listed_authors`) when the caller has them."""
    if record.type in FAST_SERIAL_TYPES and record.title and record.names.get("author"):
        present = present_variables(record)
        if present <= FAST_SERIAL and "container-title" in present:
            printed = title if title is not None else title_of(record, options.keep_case)
            return _serial_entry(record, printed, year_suffix, authors)
    if record.type in FAST_MONOGRAPH and record.title and record.names.get("author") and \
            "issued" in record.dates and present_variables(record) <= FAST_MONOGRAPH[
                record.type]:
        printed = title if title is not None else title_of(record, options.keep_case)
        return _monograph_entry(record, printed, year_suffix, authors)
    if record.type in FAST_PART and record.title and record.names.get("author") and \
            "issued" in record.dates:
        present = present_variables(record)
        if present <= FAST_PART[record.type] and present.issuperset(FAST_PART_NEEDS[record.type]):
            printed = title if title is not None else title_of(record, options.keep_case)
            return (_webpage_entry if record.type == "webpage" else _edited_part_entry)(
                record, printed, year_suffix, authors)
    if cited_in_text_only(record):
        return ""
    e = Entry(record, options.keep_case, year_suffix, title=title)
    head = join(". ", [author_and_contributors(e), date(e), title_and_descriptions(e),
                       source(e)])
    return join(" ", [glue(head, "."), source_doi_url(e), publication_history(e)])


# Books and reports with authors, a title and a date, holding only these variables, are printed
# by `_monograph_entry`.
_INERT = ("title-short", "language", "note", "source", "citation-key", "submitted",
          "available-date", "PMID", "PMCID", "accessed", "number-of-pages", "publisher-place")
FAST_MONOGRAPH = {
    "book": frozenset(("title", "author", "issued", "publisher", "edition", "volume", "DOI",
                       "URL", *_INERT)),
    "report": frozenset(("title", "author", "issued", "publisher", "edition", "number", "genre",
                         "collection-title", "collection-number", "DOI", "URL", *_INERT)),
}


def _listed_authors(record: Record) -> str:
    """A fast path's authors as the reference list prints them (`Mathers, J., & Parry, J.`)."""
    return name_list(record.names["author"], sort_order=True, citation=False,
                     delimiter_precedes_last=True)


def _closed(head: str, variables: Mapping[str, str]) -> str:
    """A fast path's reference: `head` ended by a period, then the DOI as a link, else the URL."""
    doi = variables.get("DOI")
    link = "https://doi.org/" + clean(doi) if doi else clean(variables.get("URL") or "")
    return join(" ", [glue(head, "."), link])


def _monograph_entry(record: Record, title: str, year_suffix: str,
                     authors: str | None = None) -> str:
    """`entry` for a book or a report with authors, a title and a date, as the macros print it
    (title-monographic, identifier, description-format, source-publisher), without walking those
    that print nothing for it; a property test holds it to the general path."""
    variables = record.variables
    english = is_english(variables.get("language"))
    who = _listed_authors(record) if authors is None else authors
    issued = record.dates["issued"]
    when = f"({issued_year(issued)}{year_suffix})"
    edition = variables.get("edition")
    if edition:
        edition = f"{ordinal(edition)} ed." if is_numeric("edition", edition) else rich(edition)
    volume = variables.get("volume")
    volume_in_title = ""
    if volume:
        printed = number("volume", volume)
        if is_numeric("volume", volume):
            volume = ("Vols. " if is_plural("volume", volume) else "Vol. ") + rich(printed)
        else:
            volume_in_title, volume = rich(capitalize_first(printed)), ""
    heading = italic(join(": ", [rich_unique(title, True), volume_in_title]))
    description = ""
    if record.type == "report":
        genre = variables.get("genre")
        numbered = variables.get("number")
        id_number = ""
        if numbered:
            label = "" if not is_numeric("number", numbered) else (
                "Nos." if is_plural("number", numbered) else "No.")
            id_number = join(" ", [rich(title_case(genre) if english else genre) if genre else "",
                                   join(" ", [label, rich(capitalize_first(
                                       number("number", numbered)))])])
        series = variables.get("collection-title")
        series_number = variables.get("collection-number")
        series = join(" ", [rich(title_case(series) if english else series) if series else "",
                            rich(number("collection-number", series_number))
                            if series_number else ""])
        identifier = join("; ", [id_number, join(", ", [edition or "", series])])
        if genre and not numbered:
            description = f"[{rich(capitalize_first(genre))}]"
    else:
        identifier = join(", ", [edition or "", volume or ""])
    heading = join(" ", [heading, f"({identifier})" if identifier else "", description])
    publisher = variables.get("publisher")
    head = join(". ", [who, when, heading, rich(publisher) if publisher else ""])
    return _closed(head, variables)


# Chapters, entries and conference papers in an edited book, and web pages on a site, holding
# only these variables (with authors, a title and a date), are printed by `_edited_part_entry`
# and `_webpage_entry`.
_EDITED_PART = frozenset(("title", "author", "issued", "container-title", "editor", "page",
                          "publisher", "DOI", "URL", *_INERT))
FAST_PART = {
    "chapter": _EDITED_PART, "entry-encyclopedia": _EDITED_PART,
    "paper-conference": _EDITED_PART,
    "webpage": frozenset(("title", "author", "issued", "container-title", "publisher", "DOI",
                          "URL", *_INERT)),
}
# An edited part needs its book and editors (a conference paper without an editor is laid out as
# an article), a web page its site.
FAST_PART_NEEDS = {"chapter": ("container-title", "editor"),
                   "entry-encyclopedia": ("container-title", "editor"),
                   "paper-conference": ("container-title", "editor"),
                   "webpage": ("container-title",)}


def _edited_part_entry(record: Record, title: str, year_suffix: str,
                       authors: str | None = None) -> str:
    """`entry` for a chapter, an encyclopedia entry or a conference paper in an edited book (see
    FAST_PART), as the macros print it — `Author. (Year). Title. In E. Editor (Ed.), *Book* (pp.
    x–y). Publisher. DOI` — without walking those that print nothing for it; a property test
    holds it to the general path."""
    variables = record.variables
    who = _listed_authors(record) if authors is None else authors
    issued = record.dates["issued"]
    when = f"({issued_year(issued)}{year_suffix})"
    editors = record.names["editor"]
    book = join(", ", [
        f"{name_list(editors, False, False, False)} ({_label('editor', len(editors), 'short')})",
        italic(rich(variables["container-title"], True))])
    page = variables.get("page")
    pages = (("pp. " if is_plural("page", page) else "p. ") + rich_unique(number("page", page))
             if page else "")
    publisher = variables.get("publisher")
    source = join(". ", [join(" ", ["In", book, wrap(pages, "(", ")")]),
                  rich(publisher) if publisher else ""])
    head = join(". ", [who, when, rich_unique(title), source])
    return _closed(head, variables)


def _webpage_entry(record: Record, title: str, year_suffix: str,
                   authors: str | None = None) -> str:
    """`entry` for a web page with authors, a title, a date and its site (see FAST_PART), as the
    macros print it — `Author. (Year, Month Day). *Title*. Publisher. Site. URL` — without
    walking those that print nothing for it; a property test holds it to the general path."""
    variables = record.variables
    who = _listed_authors(record) if authors is None else authors
    issued = record.dates["issued"]
    year = issued_year(issued) + year_suffix
    when = f"({join(', ', [year, month_day(issued)])})"
    site = variables["container-title"]
    if is_english(variables.get("language")):
        site = title_case(site)
    publisher = variables.get("publisher")
    head = join(". ", [who, when, italic(rich_unique(title, True)),
                       join(". ", [rich(publisher) if publisher else "", rich(site)])])
    return _closed(head, variables)


def cited_in_text_only(record: Record) -> bool:
    """APA 7 §8.9: an interview or letter the reader cannot retrieve has no reference-list entry
    (apa.csl: no archive, container, DOI, number, publisher, references or URL)."""
    return record.type in ("interview", "personal_communication") and present_variables(
        record).isdisjoint(ACCESSIBLE)


# Variables a journal, magazine or newspaper article may hold for `_serial_entry` to print it:
# those the macros read for these types when the article has authors, a title and a journal,
# and those apa.csl never prints for them.
FAST_SERIAL_TYPES = frozenset(("article-journal", "article-magazine", "article-newspaper"))
FAST_SERIAL = frozenset((
    "title", "author", "issued", "container-title", "volume", "issue", "page", "number", "DOI",
    "URL", "accessed", "container-title-short", "title-short", "publisher", "publisher-place",
    "PMID", "PMCID", "language", "note", "source", "citation-key", "submitted",
    "available-date"))


def _serial_entry(record: Record, title: str, year_suffix: str,
                  authors: str | None = None) -> str:
    """`entry` for the commonest reference — an article with authors, a title and a journal — as
    the macros print it, without walking those that print nothing for it (the conformance tests
    and scripts/compare_citeproc.py hold both paths to citeproc-js's output)."""
    variables = record.variables
    who = _listed_authors(record) if authors is None else authors
    issued = record.dates.get("issued")
    if issued is not None:
        year = issued_year(issued) + year_suffix
        detail = month_day(issued) if record.type != "article-journal" else ""
        when = f"({year}, {detail})" if detail else f"({year})"
    else:
        when = f"(n.d.-{year_suffix})" if year_suffix else "(n.d.)"
    article, page = variables.get("number"), variables.get("page")
    where = ("Article " + rich(number("number", article)) if article
             else rich_unique(number("page", page)) if page else "")
    source = _serial_source(variables["container-title"], is_english(variables.get("language")),
                            variables.get("volume"), variables.get("issue"), where)
    head = join(". ", [who, when, rich_unique(title), source])
    return _closed(head, variables)


def _serial_source(journal: str, english: bool, volume: str | None, issue: str | None,
                   where: str) -> str:
    """An article's source, `*Journal*, *12*(3), 45–67`: `join(", ", [journal, numbers, where])`
    of the journal and the numbers as printed once per distinct value (`_journals`,
    `_numbers`), each with the comma that follows it glued already. `glue` looks only at the
    end of what it follows, and a piece glued to its comma ends in a space, which no later
    glue reaches past; a property test holds it to the join."""
    journal, journal_comma = _journals[english][journal]
    numbers, numbers_comma = _numbers[volume, issue]
    rest = numbers_comma + where if where else numbers  # (a comma glued to nothing is "")
    return journal_comma + rest if rest else journal


def _comma_glued(printed: str) -> tuple[str, str]:
    """A piece of `_serial_entry`'s source, and the same followed by the `, ` that joins it
    to the next (`glue`)."""
    return printed, glue(printed, ", ") if printed else ""


def _journal_of(journal: str, english: bool) -> tuple[str, str]:
    """An article's journal as `_serial_entry` prints it: italic, in title case in English."""
    return _comma_glued(italic(rich(title_case(journal) if english else journal, True)))


def _numbers_of(numbers: tuple[str | None, str | None]) -> tuple[str, str]:
    """An article's volume and issue as `_serial_entry` prints them: `*12*(3)`. A number that
    prints as nothing (control characters alone) is left out, as the macros leave it out."""
    volume, issue = numbers
    volume = rich(number("volume", volume)) if volume else ""
    issue = rich(number("issue", issue)) if issue else ""
    return _comma_glued((italic(volume) + LEAF_END if volume else "")
                        + (f"({issue})" if issue else ""))


# A library's articles share a few journals and volume and issue numbers: each is printed once
# (`title_case`'s, `rich`'s and `number`'s caches looked up, the pieces glued once), not once
# per article: the entries of 3,000 mixed records (1,950 articles), warm (callgrind), 193.8M ->
# 165.4M instructions. The journals by whether the article is in English.
_journals: tuple[Memo[str, tuple[str, str]], Memo[str, tuple[str, str]]] = (
    Memo(partial(_journal_of, english=False), 1 << 12),
    Memo(partial(_journal_of, english=True), 1 << 12))
_numbers: Memo[tuple[str | None, str | None], tuple[str, str]] = Memo(_numbers_of, 1 << 14)


# --- order and disambiguation ----------------------------------------------------------------

YEAR_SORTED = frozenset((
    "article", "article-journal", "book", "chapter", "entry", "entry-dictionary",
    "entry-encyclopedia", "dataset", "figure", "graphic", "manuscript", "map", "musical_score",
    "patent", "report", "review", "review-book", "thesis"))


_DAY_SORTED_IF = frozenset((*EDITORIAL, "issue", "page", "volume"))


def _year_sorted(record: Record, present: frozenset[str]) -> bool:
    """Whether the reference list sorts the record by its year alone (`present`: its
    present_variables): most types, and a conference paper published in a book or journal."""
    return record.type in YEAR_SORTED or (
        record.type == "paper-conference" and not present.isdisjoint(_DAY_SORTED_IF))


def _date_sort(record: Record) -> tuple:
    issued = record.dates.get("issued")
    if issued is None or not issued.parts:
        return UNDEFINED
    parts_ = issued.parts
    if _year_sorted(record, present_variables(record)):
        parts_ = parts_[:1]
    return (0, (*parts_, 0, 0)[:3])


UNDEFINED = (1,)  # citeproc-js sorts a missing key after every present one


def _defined(text: str) -> tuple:
    """A text sort key: (0, its collation as a string, `_text.collation_code`), or UNDEFINED."""
    return (0, collation_code(text)) if text else UNDEFINED


def sort_key(record: Record, keep_case: bool, citation: bool = False,
             printed_title: str | None = None) -> tuple:
    """apa.csl's first sort keys: author (or what stands for it), undated before dated before in
    press, date, status (the bibliography adds the later keys, `bibliography_order`). For
    citations the author key has the first name only when there are three or more.
    `printed_title` is the title when the caller has it already."""
    return _first_keys(record, keep_case, citation, printed_title)[0]


def _first_keys(record: Record, keep_case: bool, citation: bool,
                printed_title: str | None) -> tuple[tuple, str | None]:
    """`sort_key`'s keys, and the record's printed title if working them out needed it."""
    authors = record.names.get("author")
    present = present_variables(record)
    title_text = printed_title
    who_key: tuple  # (0, collation code) or UNDEFINED
    if authors and "composer" not in present and record.type not in FALLBACK_TYPES:
        shown = authors[:1] if citation and len(authors) >= 3 else authors
        if not citation and len(authors) > MAX_LISTED:
            shown = (*authors[:FIRST_WHEN_TRUNCATED], authors[-1])
        who_key = (0, "".join([form[0] for form in map(_listed_name.__getitem__, shown)]))
    else:
        e = Entry(record, keep_case, citation=citation, sorting=True, title=printed_title)
        who_key = _defined(e.title if e.type in FALLBACK_TYPES else author(e))
        title_text = e._title
    group = "1" if "issued" in present else "2" if "status" in present else "0"
    return (who_key, group, _date_sort(record), _defined(record.variables.get("status", ""))), \
        title_text


# What makes the later sort keys other than a title's: a volume (`title_volume`, the volume
# key), a review (`title` prints what it reviews) or an archive (`source_archive`).
_LATER_KEYED = frozenset(("volume", "volume-title", "reviewed-author", "reviewed-genre",
                          "reviewed-title", "archive", "archive_collection", "archive_location",
                          "archive-place"))


def _later_keys(record: Record, keep_case: bool, title_text: str | None) -> tuple:
    """The bibliography's sort keys after the status: title, volume, event date, original date,
    archive (worked out only for the records that tie on the first ones).

    A record with none of `_LATER_KEYED` (most: 1,208 of 10,000 mixed records tie, most of
    them an organisation's works of one year) is keyed by its printed title alone, without an
    Entry and the `title` macro: every layout prints the title, italic or not, and the key
    reads its plain text (the order of 3,000 mixed records, warm, callgrind: 117.2M -> 111.5M
    instructions). A property test holds it to `_later_keys_general`."""
    if record.type in ("review", "review-book") or not present_variables(record).isdisjoint(
            _LATER_KEYED):
        return _later_keys_general(record, keep_case, title_text)
    if not record.title:
        title_key = UNDEFINED
    else:
        printed = title_of(record, keep_case) if title_text is None else title_text
        title_key = _defined(rich_unique(printed))
    return (title_key, UNDEFINED, *_later_dates(record), UNDEFINED)


def _later_keys_general(record: Record, keep_case: bool, title_text: str | None) -> tuple:
    """`_later_keys` of any record, from the macros the keys print."""
    e = Entry(record, keep_case, title=title_text)
    return (_defined(title(e)), _defined(e.peek("volume")), *_later_dates(record),
            _defined(source_archive(e)))


def _later_dates(record: Record) -> tuple[tuple, tuple]:
    """The event date's and the original date's sort keys."""
    event = record.dates.get("event-date")
    original = record.dates.get("original-date")
    return ((0, event.parts) if event and event.parts else UNDEFINED,
            (0, original.parts) if original and original.parts else UNDEFINED)


def first_keys_code(keys: tuple) -> str:
    """`sort_key`'s keys as one string that sorts as the tuple does, so that ordering a reference
    list compares strings instead of tuples of tuples (10,000 mixed records: ~40 ms to sort the
    tuples, most of it in tuple comparisons). A text key (0, code) is `0`, its code
    (`_text.collation_code`, words ended by \\x01) and \\x00, below any character that can follow
    in a longer code, so a code that begins another sorts first as in the tuple; UNDEFINED is
    `1`. The group is one character; a date (0, (year, month, day)) is `0` and one character per
    part (years are -9999 to 9999, `model.check_parts`), or `1`."""
    who, group, date, status = keys
    return "".join((
        f"0{who[1]}\x00" if who[0] == 0 else "1",
        group,
        f"0{chr(_DATE_ZERO + date[1][0])}{chr(_DATE_ZERO + date[1][1])}"
        f"{chr(_DATE_ZERO + date[1][2])}" if date[0] == 0 else "1",
        f"0{status[1]}\x00" if status[0] == 0 else "1"))


_DATE_ZERO = 0x100 + 10_000  # a date part n is chr(_DATE_ZERO + n): -9999 to 9999 in one char
_NO_PART = chr(_DATE_ZERO)
# A year's date key (a year alone, or a date sorted by its year), made once per distinct year
# rather than from the date's parts for every record: a library spans few years.
_year_code: Memo[int, str] = Memo(lambda year: f"0{chr(_DATE_ZERO + year)}{_NO_PART}{_NO_PART}",
                                  1 << 15)


def _first_code(record: Record, keep_case: bool, printed_title: str | None
                ) -> tuple[str, str | None, str | None]:
    """`first_keys_code` of the reference list's `_first_keys`, the printed title if working
    them out needed it, and the listed authors (`_listed_authors`) when the record's authors
    stand first (None otherwise). For such a record (most) the string is made directly,
    without the tuples, and each author is looked up once for the key and the entry's text
    (`_listed_name`): on 10,000 mixed records (warm, callgrind) the order makes the authors'
    texts for +29M instructions and the entries save 91M. A property test holds it to the
    tuples and to `_listed_authors`."""
    authors = record.names.get("author")
    if authors and record.type not in FALLBACK_TYPES:
        present = present_variables(record)
        if "composer" not in present:
            truncated = len(authors) > MAX_LISTED
            shown = (*authors[:FIRST_WHEN_TRUNCATED], authors[-1]) if truncated else authors
            codes, texts = zip(*map(_listed_name.__getitem__, shown), strict=True)
            listed = _listed(texts, truncated, False, shown[-1].literal is None)
            issued = record.dates.get("issued")
            parts_ = issued.parts if issued is not None else ()
            if not parts_:
                date = "1"
            elif len(parts_) == 1 or _year_sorted(record, present):
                date = _year_code[parts_[0]]
            else:
                year, month, day = (*parts_, 0)[:3]
                date = f"0{chr(_DATE_ZERO + year)}{chr(_DATE_ZERO + month)}" \
                       f"{chr(_DATE_ZERO + day)}"
            status = record.variables.get("status", "")
            return "".join((
                "0", *codes, "\x00",
                "1" if "issued" in present else "2" if "status" in present else "0",
                date, f"0{collation_code(status)}\x00" if status else "1")), printed_title, listed
    keys, title_text = _first_keys(record, keep_case, False, printed_title)
    return first_keys_code(keys), title_text, None


def bibliography_order(records: Sequence[Record], keep_case: bool,
                       titles: Sequence[str] | None = None) -> list[int]:
    """Input indexes in the order of APA's reference list: by the first keys (`sort_key`), then,
    among the records that tie on them, by the later keys (`_later_keys`); ties on all keep
    their input order, as a stable sort on the whole tuple does."""
    return _ordered(records, keep_case, titles)[0]


def _ordered(records: Sequence[Record], keep_case: bool, titles: Sequence[str] | None
             ) -> tuple[list[int], list[str | None]]:
    """`bibliography_order`, and each record's listed authors when `_first_code` made them."""
    codes: list[str] = []
    title_texts: list[str | None] = []
    listed: list[str | None] = []
    for i, record in enumerate(records):
        code, title_text, authors = _first_code(record, keep_case,
                                                titles[i] if titles else None)
        codes.append(code)
        title_texts.append(title_text)
        listed.append(authors)
    order: list[int] = []
    for _, tied in groupby(sorted(range(len(records)), key=codes.__getitem__),
                           key=codes.__getitem__):
        run = list(tied)
        if len(run) > 1:
            run.sort(key=lambda i: _later_keys(records[i], keep_case, title_texts[i]))
        order += run
    return order, listed


def render(records: Sequence[Record], options: Options) -> str:
    """A reference list: sorted by author and date, ambiguous citations told apart with 2016a,
    2016b (APA 7 §8.19, §9.47)."""
    from . import citations
    from ._text import entry_id, finish

    # The cyclic garbage collector is paused while the list is built: rendering makes no
    # reference cycles, but it allocates enough tuples (sort keys, cache entries) to set off a
    # full collection, which walks every object of the records held in memory. Measured with
    # gc.callbacks on 10,000 mixed records (benchmarks/run.py --apa, warm caches): one full
    # collection per render, 0.21 s of 1.63 s (13%).
    html = options.markup == "html"
    collecting = gc.isenabled()
    gc.disable()
    try:
        titles = [title_of(r, options.keep_case) for r in records]  # sentence case once each
        order, authors = _ordered(records, options.keep_case, titles)
        suffixes = citations.apa_disambiguation(records, options.keep_case, order,
                                                titles).year_suffix
        fallback = citations.fallback_entries(records, "apa")
        entries = []
        for i in order:
            record = records[i]
            text = fallback[i] if i in fallback else entry(record, options, suffixes[i],
                                                           titles[i], authors[i])
            if text:  # only HTML prints the entry's id
                entries.append((entry_id(record, i) if html else "", text))
        return finish(entries, options.markup, numbered=False)
    finally:
        if collecting:
            _age_survivors()
            gc.enable()


def _age_survivors() -> None:
    """Move what the render left alive (the entries of the name, word and number caches, made
    while the collector was paused) to the collector's oldest generation without walking it:
    left young, they would be walked by the first collection after the render, which finds
    nothing to free (the first render of 10,000 mixed records, gc.callbacks: one 40-80 ms
    collection right after it). `gc.freeze` then `gc.unfreeze` moves every tracked object
    there by splicing lists; done only when nothing else is frozen, since unfreezing would
    hand another's frozen objects back too."""
    if not gc.get_freeze_count():
        gc.freeze()
        gc.unfreeze()


__all__ = ["FALLBACK_TYPES", "Entry", "author_short", "date_short", "entry", "name_list",
           "render", "sort_key"]
