"""The one record type that passes between sources, the store, formats and the renderer.

Shape: CSL's own vocabulary (CSL 1.0.2, https://docs.citationstyles.org/en/stable/specification.html
#appendix-iv-variables), held in three tables keyed by CSL's names — `names` (every name role:
author, editor, translator, container-author, …), `dates` (issued, accessed, original-date, …) and
`variables` (every text and number variable: container-title, edition, publisher-place, DOI, …) —
plus typed fields for what CSL has no variable for or holds as one string (ISSN and ISBN lists,
keywords, the structured abstract, Policy Points, update notices, relations).

Why this shape: a reader or writer that learns a field touches its own mapping table and nothing
else; a CSL variable the code never reads still travels from input to output; and the record is
already a CSL item, so CSL-JSON in and out is a renaming, not a translation. What the code reads
often has typed access (`record.author`, `record.issued`, `record.container_title`, `record.DOI`);
the rest is `record.get("collection-title")` / `record.names_of("editor")`.

Text in the title-like variables (RICH_VARS) is *CSL rich text*: plain text in which only `<i>`,
`<b>`, `<sup>`, `<sub>` and `<span class="nocase">` are markup (see `markup.py`). Every other
variable is plain text.

Dates have one type, `Date`, and one parser, `Date.parse` (text) / `Date.from_csl` (CSL date
objects), used by every reader and source. A Date is validated when it is made — a month of 13 or
a 30 February raises DateError — so no consumer ever indexes a month table with an unchecked
number.

`to_dict`/`record_from_dict` give the JSON shape used by `data/`, the store and `--json`: a CSL
item with quarterly's extra keys (structured `abstract`, `policy-points`, `updates`, …).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, NamedTuple

from .lazy import lazy_pattern

if TYPE_CHECKING:
    from .links import Relation, Update

# --- CSL 1.0.2 vocabulary --------------------------------------------------------------------

TYPES = frozenset((
    "article", "article-journal", "article-magazine", "article-newspaper", "bill", "book",
    "broadcast", "chapter", "classic", "collection", "dataset", "document", "entry",
    "entry-dictionary", "entry-encyclopedia", "event", "figure", "graphic", "hearing", "interview",
    "legal_case", "legislation", "manuscript", "map", "motion_picture", "musical_score",
    "pamphlet", "paper-conference", "patent", "performance", "periodical",
    "personal_communication", "post", "post-weblog", "regulation", "report", "review",
    "review-book", "software", "song", "speech", "standard", "thesis", "treaty", "webpage",
))

# In the order writers list them.
NAME_ROLES = (
    "author", "editor", "translator", "container-author", "collection-editor", "compiler",
    "chair", "composer", "contributor", "curator", "director", "editorial-director",
    "executive-producer", "guest", "host", "illustrator", "interviewer", "narrator", "organizer",
    "original-author", "performer", "producer", "recipient", "reviewed-author", "script-writer",
    "series-creator",
)

DATE_VARS = ("issued", "original-date", "event-date", "submitted", "available-date", "accessed")

# Every CSL text and number variable the record keeps in `variables`, in the order writers list
# them. (ISSN, ISBN, keyword and abstract are typed fields instead; see Record.)
TEXT_VARS = (
    "title-short", "container-title", "container-title-short", "collection-title",
    "collection-number", "volume", "number-of-volumes", "issue", "page", "page-first",
    "number-of-pages", "number", "chapter-number", "section", "supplement", "part",
    "part-title", "volume-title", "volume-title-short", "edition", "printing", "version",
    "genre", "medium", "status", "publisher", "publisher-place", "original-title",
    "original-publisher", "original-publisher-place", "event-title", "event-place",
    "authority", "jurisdiction", "division", "references", "reviewed-title", "reviewed-genre",
    "dimensions", "scale", "source", "archive", "archive_collection", "archive_location",
    "archive-place", "call-number", "language", "note", "annote", "citation-key",
    "citation-label", "DOI", "URL", "PMID", "PMCID",
)
_TEXT_VAR_SET = frozenset(TEXT_VARS)

# Title-like variables hold CSL rich text; the others hold plain text.
RICH_VARS = frozenset(("title", "title-short", "container-title", "container-title-short",
                       "collection-title", "original-title", "part-title", "volume-title",
                       "volume-title-short", "event-title", "reviewed-title"))

# Older spellings that CSL-JSON in the wild still uses (CSL 1.0.1, Zotero, citeproc-js).
ALIASES = {"journalAbbreviation": "container-title-short", "shortTitle": "title-short",
           "event": "event-title", "event-location": "event-place",
           "publisher-location": "publisher-place", "archive-location": "archive_location",
           "collection-num": "collection-number"}

# Python spelling (`container_title`) → CSL spelling (`container-title`), for keyword arguments.
_PY_TO_CSL = {v.replace("-", "_"): v for v in (*NAME_ROLES, *DATE_VARS, *TEXT_VARS)}


class Name(NamedTuple):
    """A person or organisation (CSL name variables). A NamedTuple rather than a frozen dataclass:
    immutable all the same, and about 4x cheaper to create — conversions make one per author."""

    family: str | None = None
    given: str | None = None
    suffix: str | None = None
    dropping_particle: str | None = None
    non_dropping_particle: str | None = None
    literal: str | None = None
    orcid: str | None = None
    affiliation: tuple[str, ...] = ()

    @property
    def is_literal(self) -> bool:
        return self.literal is not None

    @property
    def full_family(self) -> str:
        """Family name with its non-dropping particle (`van der Berg`)."""
        if self.literal is not None:
            return self.literal
        particle, family = self.non_dropping_particle, self.family
        # `" ".join(p for p in (particle, family) if p)` without the generator: read for every
        # author of every title sentence case converts (~20,000 calls per 10,000 records)
        return f"{particle} {family}" if particle and family else particle or family or ""


# --- dates -----------------------------------------------------------------------------------

class DateError(ValueError):
    """A date that cannot exist (month 13, 30 February, a year of 1e400); the message says why."""


MIN_YEAR, MAX_YEAR = -9999, 9999
SEASON_NAMES = ("Spring", "Summer", "Autumn", "Winter")
_SEASONS = {"spring": 1, "summer": 2, "autumn": 3, "fall": 3, "winter": 4}
_MONTHS = {name: n for n, names in enumerate((
    ("jan", "january", "janv", "jän", "jänner", "januar", "enero"),
    ("feb", "february", "febr", "fév", "février", "februar", "febrero"),
    ("mar", "march", "mär", "märz", "mars", "marzo"),
    ("apr", "april", "avr", "avril", "abril"),
    ("may", "mai", "mayo"),
    ("jun", "june", "juin", "juni", "junio"),
    ("jul", "july", "juil", "juillet", "juli", "julio"),
    ("aug", "august", "août", "agosto"),
    ("sep", "sept", "september", "septembre", "septiembre"),
    ("oct", "october", "okt", "oktober", "octobre", "octubre"),
    ("nov", "november", "novembre", "noviembre"),
    ("dec", "december", "dez", "dezember", "déc", "décembre", "diciembre"),
), 1) for name in names}


def _int_part(value: Any, what: str) -> int:
    """One date part as an int: ints, integral finite floats and digit strings are accepted."""
    if isinstance(value, bool):
        raise DateError(f"{what} {value!r} is not a number")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value) or value != int(value):
            raise DateError(f"{what} {value!r} is not a whole number")
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d{1,6}\s*", value):
        return int(value)
    raise DateError(f"{what} {value!r} is not a number")


_MONTH_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def days_in_month(year: int, month: int) -> int:
    """`calendar.monthrange(year, month)[1]` (proleptic Gregorian), without importing calendar:
    callgrind, start-up of a conversion, ~1.6 M instructions."""
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return _MONTH_DAYS[month] + (month == 2 and leap)


def check_parts(parts: tuple[int, ...]) -> tuple[int, ...]:
    """Validate (year[, month[, day]]); returns them, or raises DateError saying what is wrong."""
    if not 1 <= len(parts) <= 3:
        raise DateError("a date needs a year, and at most a month and a day")
    year = parts[0]
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DateError(f"year {year} is out of range")
    if len(parts) > 1 and not 1 <= parts[1] <= 12:
        raise DateError(f"month {parts[1]} is not 1-12")
    if len(parts) > 2 and not 1 <= parts[2] <= days_in_month(year if year > 0 else 2000, parts[1]):
        raise DateError(f"day {parts[2]} does not exist in {year}-{parts[1]:02d}")
    return parts


@dataclass(frozen=True, slots=True)
class Date:
    """A CSL date: a point or a range of (year[, month[, day]]), a season, `circa`, or a literal
    that is not a calendar date at all ("Spring term 2015" stays as written)."""

    parts: tuple[int, ...] = ()
    end: tuple[int, ...] = ()  # the end of a range (`2016/2017`, `2014 Nov-Dec`)
    season: int | None = None  # 1 spring, 2 summer, 3 autumn, 4 winter
    circa: bool = False
    literal: str | None = None

    def __post_init__(self) -> None:
        if self.parts:
            check_parts(self.parts)
        if self.end:
            if not self.parts:
                raise DateError("a date range needs a start")
            check_parts(self.end)
        if self.season is not None and not 1 <= self.season <= 4:
            raise DateError(f"season {self.season} is not 1-4")
        if not self.parts and self.literal is None:
            raise DateError("a date needs a year or a literal")

    @property
    def year(self) -> int | None:
        return self.parts[0] if self.parts else None

    @property
    def month(self) -> int | None:
        return self.parts[1] if len(self.parts) > 1 else None

    @property
    def day(self) -> int | None:
        return self.parts[2] if len(self.parts) > 2 else None

    def iso(self) -> str:
        """`2014-12-05`, `2014-12`, a range as `2016/2017` (EDTF, as biblatex's `date`)."""
        def one(parts: tuple[int, ...]) -> str:
            return "-".join(f"{p:04d}" if i == 0 else f"{p:02d}" for i, p in enumerate(parts))
        if not self.parts:
            return ""
        return one(self.parts) + (f"/{one(self.end)}" if self.end else "")

    def to_csl(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.parts:
            out["date-parts"] = [list(self.parts)] + ([list(self.end)] if self.end else [])
        if self.season is not None:
            out["season"] = self.season
        if self.circa:
            out["circa"] = True
        if self.literal is not None:
            out["literal"] = self.literal
        return out

    @staticmethod
    def from_csl(value: Any) -> Date | None:
        """A CSL date object (`{"date-parts": [[2014, 12]]}`, with `season`, `circa`, `literal`,
        `raw`), or an EDTF string. None for an empty date (`[[null]]`, as Crossref sends);
        DateError for one that cannot exist or has the wrong shape."""
        if isinstance(value, str):
            value = _clean_text(value)
            return Date.parse(value) or (Date(literal=value) if value else None)
        if not isinstance(value, Mapping):
            raise DateError('must look like {"date-parts": [[2014, 12]]}')
        season = _season(value.get("season"))
        circa = bool(value.get("circa")) and value.get("circa") not in ("0", "false")
        literal = value.get("literal")
        if literal is not None:
            if not isinstance(literal, str):
                raise DateError("'literal' must be a string")
            literal = _clean_text(literal) or None
        raw = value.get("date-parts")
        if raw is not None:
            if not isinstance(raw, list) or not 1 <= len(raw) <= 2 or not all(
                    isinstance(p, list) for p in raw):
                raise DateError('date-parts must look like [[2014, 12]] or [[2016], [2017]]')
            points = []
            for part in raw:
                numbers = []
                for i, item in enumerate(part[:3]):
                    if item is None or item == "":
                        break
                    numbers.append(_int_part(item, ("year", "month", "day")[i]))
                points.append(tuple(numbers))
            start = points[0]
            end = points[1] if len(points) > 1 and points[1] and points[1] != start else ()
            if start:
                return Date(check_parts(start), check_parts(end) if end else (), season, circa,
                            literal)
        text = value.get("raw")
        if isinstance(text, str) and text.strip():
            text = _clean_text(text)
            parsed = Date.parse(text)
            if parsed is not None:
                return parsed
            literal = literal or text.strip()
        if literal:
            return Date(literal=literal, season=season, circa=circa)
        return None

    @staticmethod
    def of(year: int, month: int | None = None, day: int | None = None) -> Date:
        parts = tuple(p for p in (year, month, day) if p is not None)
        return Date(check_parts(parts))

    @staticmethod
    def parse(text: str, *, loose: bool = False) -> Date | None:
        """The one parser for dates written as text, in every input format:

        ISO 8601 / EDTF (`2014`, `2014-12`, `2014-12-05T10:00Z`, `2016/2017`, `2014~`,
        `2014-21` for spring), RIS (`2014/12/05/`, `2014/12//`, `2014///Spring`), month names in
        either order (`Dec 2014`, `2014 Dec 5`, `5 December 2014`, `December 5, 2014`),
        MEDLINE ranges (`2014 Nov-Dec`, `1998 Dec-1999 Jan`), seasons (`Spring 2015`,
        `2015 Fall`) and numeric day-month-year (`05/12/2014` as US month/day, `5.12.2014`).
        With `loose`, a lone year inside other text (`c2014`, `2014a`) is taken too.
        None when there is no date; DateError when the text names one that cannot exist.
        """
        return _parse_text(text, loose)


def _clean_text(text: str) -> str:
    """A date written as text is printed as it is when it is not a date: controls removed."""
    from .markup import squash_space, strip_controls

    return squash_space(strip_controls(text))


def _season(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.strip().lower() in _SEASONS:
        return _SEASONS[value.strip().lower()]
    number = _int_part(value, "season")
    if 13 <= number <= 16:
        number -= 12
    elif 21 <= number <= 24:
        number -= 20
    if not 1 <= number <= 4:
        raise DateError(f"season {value!r} is not 1-4 or a season's name")
    return number


_ISO_POINT = r"(-?\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?"
_TIME = r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
_ISO = re.compile(rf"{_ISO_POINT}{_TIME}([~?%]*)")
_RIS = re.compile(r"(\d{4})/(\d{0,2})/(\d{0,2})(?:/(.*))?")
_MON = r"([A-Za-zäéû]{3,9})\.?"
# Dates in words and numeric day-month dates, compiled when a date needs them (RIS and CSL dates
# are ISO or `2014/12/05/`): callgrind, start-up of a conversion, ~5.5 M instructions.
_medline = lazy_pattern(
    rf"(\d{{4}})\s+{_MON}(?:\s+(\d{{1,2}}))?(?:\s*-\s*(?:(\d{{4}})\s+)?(?:{_MON})?(?:\s*(\d{{1,2}}))?)?")
_month_first = lazy_pattern(rf"{_MON}(?:\s+(\d{{1,2}})(?:st|nd|rd|th)?)?,?\s+(\d{{4}})")
_day_first = lazy_pattern(rf"(\d{{1,2}})(?:st|nd|rd|th)?\.?\s+{_MON},?\s+(\d{{4}})")
_season_year = lazy_pattern(r"([A-Za-z]+)(?:\s*[-/]\s*[A-Za-z]+)?,?\s+(\d{4})")
_year_season = lazy_pattern(r"(\d{4}),?\s+([A-Za-z]+)(?:\s*[-/]\s*[A-Za-z]+)?")
_numeric = lazy_pattern(r"(\d{1,2})([/.])(\d{1,2})[/.](\d{4})")
_lone_year = lazy_pattern(r"(?<!\d)(1[0-9]\d\d|20\d\d)(?!\d)")


def _month(word: str | None) -> int | None:
    if not word:
        return None
    return _MONTHS.get(word.lower().rstrip("."))


def _point(year: str, month: str | None, day: str | None) -> tuple[int, ...]:
    parts = [int(year)]
    if month:
        parts.append(int(month))
        if day:
            parts.append(int(day))
    return check_parts(tuple(parts))


def _parse_text(text: str, loose: bool) -> Date | None:
    text = " ".join(text.split())
    if not text:
        return None
    if "/" in text and not _RIS.fullmatch(text) and not _numeric().fullmatch(text):
        start, _, stop = text.partition("/")
        first = _ISO.fullmatch(start)
        if first:  # an EDTF interval: `2016/2017`, `2014-12-01/2014-12-05`, `2014/..`
            second = _ISO.fullmatch(stop)
            begin = _point(*first.groups()[:3])
            until = _point(*second.groups()[:3]) if second else ()
            return Date(begin, until if until != begin else (), circa="~" in first.group(4))
    match = _ISO.fullmatch(text)
    if match:
        year, month, day, flags = match.groups()
        if month and 21 <= int(month) <= 24 and not day:  # EDTF season
            return Date(_point(year, None, None), season=int(month) - 20, circa="~" in flags)
        return Date(_point(year, month, day), circa="~" in flags)
    match = _RIS.fullmatch(text)
    if match:
        year, month, day, other = match.groups()
        season = _SEASONS.get((other or "").strip().lower())
        return Date(_point(year, month or None, (day or None) if month else None), season=season)
    match = _medline().fullmatch(text)
    if match and _month(match.group(2)):
        year, mon, day, year2, mon2, day2 = match.groups()
        opening = _point(year, str(_month(mon)), day)
        closing: tuple[int, ...] = ()
        if mon2 and _month(mon2):
            closing = _point(year2 or year, str(_month(mon2)), day2)
        elif day2 and day:
            closing = _point(year, str(_month(mon)), day2)
        return Date(opening, closing)
    for pattern, order in ((_month_first, "mdy"), (_day_first, "dmy")):
        named = pattern().fullmatch(text)
        if named:
            groups = dict(zip(order, named.groups(), strict=True))
            month = _month(groups["m"])
            if month:
                return Date(_point(groups["y"], str(month), groups["d"]))
    for pattern, year_at in ((_season_year, 2), (_year_season, 1)):
        seasonal = pattern().fullmatch(text)
        if seasonal:
            word = seasonal.group(3 - year_at).lower()
            if word in _SEASONS:
                return Date(_point(seasonal.group(year_at), None, None), season=_SEASONS[word])
            month = _month(word)
            if month:
                return Date(_point(seasonal.group(year_at), str(month), None))
    numeric = _numeric().fullmatch(text)
    if numeric:
        one, sep, two, year = numeric.groups()
        # `12/05/2014` is US month/day (as Zotero reads it); `5.12.2014` and a first number
        # over 12 are day-month.
        dd, mm = (one, two) if sep == "." or int(one) > 12 else (two, one)
        return Date(_point(year, mm, dd))
    if loose:
        years = _lone_year().findall(text)
        if len(years) == 1:
            return Date((int(years[0]),))
    return None


# --- record parts ----------------------------------------------------------------------------

class Section(NamedTuple):
    """One labelled part of a structured abstract; `label` is None for an unstructured one. A
    NamedTuple rather than a frozen dataclass, as Name: immutable all the same, its class costs
    start-up ~0.5 M instructions rather than ~3 M, and it is cheaper to create — a reader makes
    one or more per abstract (callgrind, records-10000.ris to BibTeX: 4,016M -> 3,992M;
    real-10000.ris 5,007M -> 5,003M)."""

    label: str | None
    paragraphs: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


def _names_arg(value: Any) -> tuple[Name, ...]:
    return tuple(value) if value else ()


def _date_arg(value: Any) -> Date | None:
    if value is None or isinstance(value, Date):
        return value
    if isinstance(value, tuple):
        return Date(check_parts(value)) if value else None
    raise TypeError(f"a date must be a Date or a tuple of ints, not {type(value).__name__}")


@dataclass(frozen=True, slots=True, init=False)
class Record:
    """One work. Construct with CSL variables as keyword arguments in Python spelling
    (`Record(title=…, author=(…), issued=Date.of(2014, 12), container_title=…, edition="2")`),
    or with the tables directly (`names=`, `dates=`, `variables=`)."""

    title: str
    type: str
    names: Mapping[str, tuple[Name, ...]]
    dates: Mapping[str, Date]
    variables: Mapping[str, str]
    ISSN: tuple[str, ...]
    ISBN: tuple[str, ...]
    keyword: tuple[str, ...]
    subject: tuple[str, ...]
    mesh: tuple[str, ...]  # MeSH headings (PubMed)
    license: tuple[str, ...]  # licence URLs
    funder: tuple[str, ...]
    affiliation: tuple[str, ...]
    policy_points: tuple[str, ...]
    abstract: tuple[Section, ...]
    abstract_source: str | None  # `PubMed 25492602`, `Crossref` — where the abstract came from
    updates: tuple[Update, ...]
    relations: tuple[Relation, ...]
    more_names: tuple[str, ...]  # roles whose list went on unnamed (BibTeX `and others`)
    custom: Mapping[str, Any]  # variables outside CSL, kept as read (CSL-JSON `custom`)
    id: str | None
    source: str

    def __init__(self, title: str = "", type: str = "article-journal", *,
                 names: Mapping[str, tuple[Name, ...]] | None = None,
                 dates: Mapping[str, Date] | None = None,
                 variables: Mapping[str, str] | None = None,
                 ISSN: Iterable[str] = (), ISBN: Iterable[str] = (), keyword: Iterable[str] = (),
                 subject: Iterable[str] = (), mesh: Iterable[str] = (),
                 license: Iterable[str] | str | None = (), funder: Iterable[str] = (),
                 affiliation: Iterable[str] = (), policy_points: Iterable[str] = (),
                 abstract: Iterable[Section] = (), abstract_source: str | None = None,
                 updates: Iterable[Update] = (), relations: Iterable[Relation] = (),
                 more_names: Iterable[str] = (), custom: Mapping[str, Any] | None = None,
                 id: str | None = None, source: str = "unknown", **csl: Any) -> None:
        name_table = dict(names) if names else {}
        date_table = dict(dates) if dates else {}
        var_table = dict(variables) if variables else {}
        for key, value in csl.items():
            var = _PY_TO_CSL.get(key)
            if var is None:
                raise TypeError(f"Record() got an unknown CSL variable {key!r}")
            if var in _NAME_ROLE_SET:
                if value:
                    name_table[var] = _names_arg(value)
                else:
                    name_table.pop(var, None)
            elif var in _DATE_SET:
                date = _date_arg(value)
                if date is None:
                    date_table.pop(var, None)
                else:
                    date_table[var] = date
            elif value is None or value == "":
                var_table.pop(var, None)
            else:
                var_table[var] = value if isinstance(value, str) else str(value)
        if isinstance(license, str):
            license = (license,)
        setter = object.__setattr__
        setter(self, "title", title)
        setter(self, "type", type)
        setter(self, "names", name_table)
        setter(self, "dates", date_table)
        setter(self, "variables", var_table)
        setter(self, "ISSN", tuple(ISSN))
        setter(self, "ISBN", tuple(ISBN))
        setter(self, "keyword", tuple(keyword))
        setter(self, "subject", tuple(subject))
        setter(self, "mesh", tuple(mesh))
        setter(self, "license", tuple(license or ()))
        setter(self, "funder", tuple(funder))
        setter(self, "affiliation", tuple(affiliation))
        setter(self, "policy_points", tuple(policy_points))
        setter(self, "abstract", tuple(abstract))
        setter(self, "abstract_source", abstract_source)
        setter(self, "updates", tuple(updates))
        setter(self, "relations", tuple(relations))
        setter(self, "more_names", tuple(more_names))
        setter(self, "custom", dict(custom) if custom else {})
        setter(self, "id", id)
        setter(self, "source", source)

    @classmethod
    def from_tables(cls, title: str, type: str, names: dict[str, tuple[Name, ...]],
                    dates: dict[str, Date], variables: dict[str, str], ISSN: Iterable[str],
                    ISBN: Iterable[str], keyword: Iterable[str], affiliation: Iterable[str],
                    abstract: tuple[Section, ...], custom: dict[str, Any], id: str | None,
                    source: str, more_names: Iterable[str] = ()) -> Record:
        """The Record `Record(title, type, names=names, dates=dates, …)` makes (the same fields,
        the others empty), for a reader that built these tables for this record alone: they
        become the record's own, not copied, so the caller must not change them afterwards.

        Record(…)'s keyword-argument handling, four table copies and 22 object.__setattr__ calls
        were ~11 us of the ~70 us the RIS reader spends per record (10,000 real records); this
        sets the fields on a mutable twin of Record's layout and then makes the object a Record
        (`__class__` assignment, allowed between classes with the same slots), which costs
        ~1 us. tests/test_model.py holds it to Record(…) on arbitrary tables."""
        record: Any = _RecordFields()
        record.title = title
        record.type = type
        record.names = names
        record.dates = dates
        record.variables = variables
        record.ISSN = tuple(ISSN)
        record.ISBN = tuple(ISBN)
        record.keyword = tuple(keyword)
        record.subject = record.mesh = record.license = record.funder = ()
        record.affiliation = tuple(affiliation)
        record.policy_points = ()
        record.abstract = tuple(abstract)
        record.abstract_source = None
        record.updates = record.relations = ()
        record.more_names = tuple(more_names)
        record.custom = custom
        record.id = id
        record.source = source
        record.__class__ = cls
        return record  # type: ignore[no-any-return]

    # -- general access --
    def get(self, var: str) -> str | None:
        """A text or number variable by its CSL name (`collection-title`)."""
        return self.variables.get(var)

    def names_of(self, role: str) -> tuple[Name, ...]:
        return self.names.get(role, ())

    def date(self, var: str) -> Date | None:
        return self.dates.get(var)

    def with_(self, **changes: Any) -> Record:
        """A copy with some fields or CSL variables (Python spelling) changed; None removes."""
        kwargs: dict[str, Any] = {f.name: getattr(self, f.name) for f in fields(self)}
        csl: dict[str, Any] = {}
        for key, value in changes.items():
            if key in kwargs:
                kwargs[key] = value
            else:
                csl[key] = value
        return Record(**kwargs, **csl)

    def to_dict(self) -> dict[str, Any]:
        return _record_to_dict(self)

    # -- typed access to what the code reads often --
    @property
    def author(self) -> tuple[Name, ...]:
        return self.names.get("author", ())

    @property
    def editor(self) -> tuple[Name, ...]:
        return self.names.get("editor", ())

    @property
    def issued(self) -> Date | None:
        return self.dates.get("issued")

    @property
    def accessed(self) -> Date | None:
        return self.dates.get("accessed")

    @property
    def year(self) -> int | None:
        issued = self.dates.get("issued")
        return issued.year if issued else None

    @property
    def month(self) -> int | None:
        issued = self.dates.get("issued")
        return issued.month if issued else None

    @property
    def day(self) -> int | None:
        issued = self.dates.get("issued")
        return issued.day if issued else None

    @property
    def container_title(self) -> str | None:
        return self.variables.get("container-title")

    @property
    def container_title_short(self) -> str | None:
        return self.variables.get("container-title-short")

    @property
    def collection_title(self) -> str | None:
        return self.variables.get("collection-title")

    @property
    def volume(self) -> str | None:
        return self.variables.get("volume")

    @property
    def issue(self) -> str | None:
        return self.variables.get("issue")

    @property
    def page(self) -> str | None:
        return self.variables.get("page")

    @property
    def number(self) -> str | None:
        return self.variables.get("number")

    @property
    def edition(self) -> str | None:
        return self.variables.get("edition")

    @property
    def genre(self) -> str | None:
        return self.variables.get("genre")

    @property
    def publisher(self) -> str | None:
        return self.variables.get("publisher")

    @property
    def publisher_place(self) -> str | None:
        return self.variables.get("publisher-place")

    @property
    def language(self) -> str | None:
        return self.variables.get("language")

    @property
    def note(self) -> str | None:
        return self.variables.get("note")

    @property
    def DOI(self) -> str | None:  # noqa: N802 - CSL's spelling
        return self.variables.get("DOI")

    @property
    def URL(self) -> str | None:  # noqa: N802
        return self.variables.get("URL")

    @property
    def PMID(self) -> str | None:  # noqa: N802
        return self.variables.get("PMID")

    @property
    def PMCID(self) -> str | None:  # noqa: N802
        return self.variables.get("PMCID")

    @property
    def page_first(self) -> str | None:
        return split_pages(self.page)[0]

    @property
    def page_last(self) -> str | None:
        return split_pages(self.page)[1]


class _RecordFields:
    """Record's slots without its frozen `__setattr__`: Record.from_tables fills one, then makes
    it a Record."""

    __slots__ = Record.__slots__


def preprint_type(csl_type: str, genre: str | None) -> str:
    """CSL `article` (a preprint) for a generic document or manuscript whose genre says it is a
    preprint: BibTeX (`@misc`, `type = {Preprint}`) and RIS (`UNPB`, `M3  - Preprint`) have no
    preprint type of their own, and that is how Zotero, Better BibTeX and quarterly write one."""
    if csl_type in ("document", "manuscript", "webpage") and genre and \
            genre.strip().casefold().startswith("preprint"):
        return "article"
    return csl_type


_NAME_ROLE_SET = frozenset(NAME_ROLES)
_DATE_SET = frozenset(DATE_VARS)


def page_range(page: str | None, dash: str) -> str | None:
    """`725-753` with the dash a style wants (`–`, `-`, `--`); a single page or eLocator as is."""
    first, last = split_pages(page)
    if first is None:
        return None
    return first if last is None else f"{first}{dash}{last}"


def split_pages(page: str | None) -> tuple[str | None, str | None]:
    """`725-753`, `725–753` or `725--753` → ("725", "753"); `e025000` → ("e025000", None)."""
    if not page:
        return None, None
    for sep in ("--", "–", "—", "-"):
        if sep in page:
            first, _, last = page.partition(sep)
            return first.strip() or None, last.strip() or None
    return page.strip(), None


# --- JSON shape -----------------------------------------------------------------------------

def _key(name: str) -> str:
    """Python attribute → JSON key (`policy_points` → `policy-points`)."""
    return name.replace("_", "-")


_NAME_FIELDS = Name._fields
_NAME_KEYS = {_key(a): a for a in _NAME_FIELDS}
_LIST_FIELDS = ("ISSN", "ISBN", "keyword", "subject", "mesh", "license", "funder", "affiliation",
                "policy_points", "more_names")


def name_to_dict(name: Name) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for attr in _NAME_FIELDS:
        value = getattr(name, attr)
        if value:
            out[_key(attr)] = list(value) if isinstance(value, tuple) else value
    return out


def _update_to_dict(u: Update) -> dict[str, Any]:
    pairs = (("type", u.type), ("DOI", u.DOI), ("direction", u.direction),
             ("issued", u.date.to_csl() if u.date else None), ("label", u.label),
             ("source", u.source), ("record-id", u.record_id), ("PMID", u.PMID))
    return {k: v for k, v in pairs if v}


def _record_to_dict(record: Record) -> dict[str, Any]:
    out: dict[str, Any] = {"type": record.type}
    if record.id:
        out["id"] = record.id
    out["title"] = record.title
    for role in NAME_ROLES:
        names = record.names.get(role)
        if names:
            out[role] = [name_to_dict(n) for n in names]
    variables = record.variables
    for var in TEXT_VARS:
        value = variables.get(var)
        if value:
            out[_JSON_KEY.get(var, var)] = value
    for var in DATE_VARS:
        date = record.dates.get(var)
        if date is not None:
            out[var] = date.to_csl()
    for attr in _LIST_FIELDS:
        listed = getattr(record, attr)
        if listed:
            out[_key(attr)] = list(listed)
    if record.abstract:
        out["abstract"] = [{"label": s.label, "paragraphs": list(s.paragraphs)}
                           for s in record.abstract]
    if record.abstract_source:
        out["abstract-source"] = record.abstract_source
    if record.updates:
        out["updates"] = [_update_to_dict(u) for u in record.updates]
    if record.relations:
        out["relations"] = [{"type": r.type, "id": r.id, "id-type": r.id_type}
                            for r in record.relations]
    if record.custom:
        out["custom"] = dict(record.custom)
    out["source"] = record.source
    return out


class FieldError(ValueError):
    """A JSON record does not have the expected shape; `field` names the offending key."""

    def __init__(self, field_name: str, problem: str) -> None:
        super().__init__(f"field '{field_name}': {problem}")
        self.field = field_name
        self.problem = problem


def _str(data: Mapping[str, Any], key: str, required: bool = False) -> str | None:
    value = data.get(key)
    if value is None:
        if required:
            raise FieldError(key, "is missing")
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and math.isfinite(value):
        return str(int(value)) if value == int(value) else str(value)
    if not isinstance(value, str):
        raise FieldError(key, f"must be a string, not {type(value).__name__}")
    if required and not value.strip():
        raise FieldError(key, "must not be empty")
    return value


def _strs(data: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = data.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise FieldError(key, "must be a list of strings")
    return tuple(value)


def _date_field(value: Any, key: str) -> Date | None:
    try:
        return Date.from_csl(value)
    except DateError as exc:
        raise FieldError(key, str(exc)) from None


def name_from_dict(data: Any, key: str) -> Name:
    if not isinstance(data, dict):
        raise FieldError(key, "must be an object with 'family'/'given' or 'literal'")
    unknown = set(data) - set(_NAME_KEYS)
    if unknown:
        raise FieldError(f"{key}.{sorted(unknown)[0]}", "is not a name field")
    kwargs: dict[str, Any] = {}
    for k, attr in _NAME_KEYS.items():
        kwargs[attr] = _strs(data, k) if attr == "affiliation" else _str(data, k)
    if not kwargs["family"] and not kwargs["literal"]:
        raise FieldError(key, "needs a 'family' or a 'literal' name")
    return Name(**kwargs)


# In the record's JSON, `source` says where quarterly got the record (`crossref`, `bibtex`, …), as
# it has since 0.1.0; CSL's own `source` variable (the database a work was found in) is kept under
# another key.
_JSON_KEY = {"source": "csl-source"}
_FROM_JSON_KEY = {v: k for k, v in _JSON_KEY.items()}
_TEXT_KEYS = (_TEXT_VAR_SET - set(_JSON_KEY)) | set(_FROM_JSON_KEY)

_SPECIAL_KEYS = frozenset(("type", "id", "title", "abstract", "abstract-source", "updates",
                           "relations", "custom", "source"))
_LIST_KEYS = {_key(a): a for a in _LIST_FIELDS}


def record_from_dict(data: Any) -> Record:
    """Build a Record from its JSON shape; raises FieldError naming the first bad field."""
    if not isinstance(data, dict):
        raise FieldError("(record)", "must be a JSON object")
    unknown = set(data) - _SPECIAL_KEYS - _NAME_ROLE_SET - _DATE_SET - _TEXT_KEYS - set(_LIST_KEYS)
    if unknown:
        raise FieldError(sorted(unknown)[0], "is not a record field")
    names: dict[str, tuple[Name, ...]] = {}
    dates: dict[str, Date] = {}
    variables: dict[str, str] = {}
    lists: dict[str, tuple[str, ...]] = {}
    for key, value in data.items():
        if key in _NAME_ROLE_SET:
            if not isinstance(value, list):
                raise FieldError(key, "must be a list of names")
            names[key] = tuple(name_from_dict(n, f"{key}[{i}]") for i, n in enumerate(value))
        elif key in _DATE_SET:
            date = _date_field(value, key)
            if date is not None:
                dates[key] = date
        elif key in _TEXT_KEYS:
            text = _str(data, key)
            if text:
                variables[_FROM_JSON_KEY.get(key) or key] = text
        elif key in _LIST_KEYS:
            lists[_LIST_KEYS[key]] = _strs(data, key)
    title = _str(data, "title", required=True) or ""
    type_ = _str(data, "type") or "article-journal"
    custom = data.get("custom")
    if custom is not None and not isinstance(custom, dict):
        raise FieldError("custom", "must be an object")
    return Record(
        title, type_, names=names, dates=dates, variables=variables,
        abstract=_sections(data.get("abstract"), "abstract"),
        abstract_source=_str(data, "abstract-source"),
        updates=_updates(data.get("updates"), "updates"),
        relations=_relations(data.get("relations"), "relations"),
        custom=custom, id=_str(data, "id"), source=_str(data, "source") or "unknown",
        **lists,
    )


def _sections(value: Any, key: str) -> tuple[Section, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise FieldError(key, "must be a list of {label, paragraphs} objects")
    out = []
    for i, item in enumerate(value):
        where = f"{key}[{i}]"
        if not isinstance(item, dict):
            raise FieldError(where, "must be an object with 'label' and 'paragraphs'")
        label = _str(item, "label")
        paragraphs = _strs(item, "paragraphs")
        if not paragraphs:
            raise FieldError(f"{where}.paragraphs", "must hold at least one paragraph")
        out.append(Section(label, paragraphs))
    return tuple(out)


def _updates(value: Any, key: str) -> tuple[Update, ...]:
    if value is None:
        return ()
    from .links import Update

    if not isinstance(value, list):
        raise FieldError(key, "must be a list")
    out = []
    for i, item in enumerate(value):
        where = f"{key}[{i}]"
        if not isinstance(item, dict):
            raise FieldError(where, "must be an object")
        out.append(Update(
            type=_str(item, "type", required=True) or "",
            DOI=_str(item, "DOI") or "",
            direction=_str(item, "direction", required=True) or "",
            date=_date_field(item["issued"], f"{where}.issued") if "issued" in item else None,
            label=_str(item, "label"),
            source=_str(item, "source"),
            record_id=_str(item, "record-id"),
            PMID=_str(item, "PMID"),
        ))
    return tuple(out)


def _relations(value: Any, key: str) -> tuple[Relation, ...]:
    if value is None:
        return ()
    from .links import Relation

    if not isinstance(value, list):
        raise FieldError(key, "must be a list")
    out = []
    for i, item in enumerate(value):
        if not isinstance(item, dict):
            raise FieldError(f"{key}[{i}]", "must be an object")
        out.append(Relation(_str(item, "type", required=True) or "",
                            _str(item, "id", required=True) or "",
                            _str(item, "id-type") or "doi"))
    return tuple(out)


def validate(record: Record) -> Record:
    """The record as it would be read back from its JSON shape; FieldError when it would not be
    (the store calls this before writing, so nothing it cannot read again is ever stored)."""
    return record_from_dict(record.to_dict())


__all__ = ["Date", "DateError", "FieldError", "Name", "Record", "Section", "record_from_dict",
           "split_pages", "validate"]
