"""Crossref REST API: `GET {base}/works/{doi}` → Record.

The network call (`fetch_work`) is kept apart from the pure mapping (`record_from_work`), which
the tests feed with payloads shaped like Crossref's documented responses
(https://api.crossref.org/swagger-ui/index.html, https://www.crossref.org/documentation/retrieve-metadata/rest-api/).
Raw Crossref dicts never leave this module.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import quote

from .. import markup
from ..errors import NotFoundError, QuarterlyError, SourceError
from ..links import Relation, Update
from ..model import Date, DateError, Name, Record, Section
from . import http
from .jats import parse_abstract
from .seam import Policy, Source, concurrently, one_request_each

DEFAULT_BASE_URL = "https://api.crossref.org"
SETTING = "QUARTERLY_CROSSREF_URL"

def base_url() -> str:
    return os.environ.get(SETTING, DEFAULT_BASE_URL).rstrip("/")


def policy() -> Policy:
    """Crossref's published limits (late 2025): the public pool allows 1 request at a time and 5
    per second; the polite pool (a mailto) 5 at a time and 10 per second. Answers may announce
    tighter ones (`Gate.observe`)."""
    return Policy(5, 10.0) if http.mailto() else Policy(1, 5.0)


def fetch_work(doi: str, gate: http.Gate | None = None) -> dict[str, Any]:
    """The `message` of `GET /works/{doi}`; raises NotFoundError or SourceError.

    With a gate, the request waits for its turn and the answer's rate-limit headers tighten it.
    """
    url = f"{base_url()}/works/{quote(doi, safe='')}"
    address = http.mailto()
    params = {"mailto": address} if address else None
    if gate is None:
        response = http.get(url, params=params, user_agent=http.user_agent(), service="Crossref",
                            setting=SETTING)
    else:
        with gate:
            response = http.get(url, params=params, user_agent=http.user_agent(), service="Crossref",
                                setting=SETTING)
        gate.observe(response.headers)
    if response.status == 404:
        raise NotFoundError("no such DOI at Crossref (404). Check the DOI for typos.")
    return _message(response, "work", "a work record")


def _message(response: http.Response, message_type: str, what: str) -> dict[str, Any]:
    """The `message` of a Crossref answer whose `message-type` is `message_type`; SourceError
    (naming `what` was expected) for any other status, a body that is not JSON or another
    envelope."""
    if response.status != 200:
        raise SourceError(f"Crossref answered {response.status}. Try again later.")
    try:
        payload = json.loads(response.body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise SourceError("Crossref sent something that is not JSON (a truncated answer or a "
                          "maintenance page). Try again later.") from None
    if (not isinstance(payload, dict) or payload.get("status") != "ok"
            or payload.get("message-type") != message_type
            or not isinstance(payload.get("message"), dict)):
        raise SourceError(f"Crossref's answer is not {what}. Try again later.")
    bad = markup.lone_surrogate(payload["message"])
    if bad:
        advice = "Try --source doi.org, or report" if message_type == "work" else "Report"
        raise SourceError(f"Crossref's answer holds the escape {bad}, half of a UTF-16 "
                          "surrogate pair without its other half, which is no character. "
                          f"{advice} the record to Crossref.")
    return payload["message"]


def fetch(doi: str, gate: http.Gate | None = None) -> Record:
    record = record_from_work(fetch_work(doi, gate))
    if (record.abstract or record.policy_points) and not record.abstract_source:
        record = record.with_(abstract_source="Crossref")
    return record


fetch_many = one_request_each(fetch)  # one request per DOI, as many at once as the gate allows


SOURCE = Source("crossref", "Crossref", ("doi",), policy, fetch_many, abstracts=True)


# --- the pure mapping ------------------------------------------------------------------------
#
# Crossref's work record (https://api.crossref.org/swagger-ui/index.html, `api_format.md` of
# CrossRef/rest-api-doc) → CSL 1.0.2. Types and the choices between fields follow Zotero's
# "Crossref REST" translator and citation-js's plugin-doi where they agree; where they differ
# the README ("What each source keeps: Crossref") says which one is followed and why.

# Crossref calls it journal-article; CSL calls it article-journal.
_TYPES = {
    "journal-article": "article-journal",
    "journal-issue": "periodical", "journal-volume": "periodical", "journal": "periodical",
    "proceedings-article": "paper-conference",
    "proceedings": "book", "proceedings-series": "book",
    "book-chapter": "chapter", "book-part": "chapter", "book-section": "chapter",
    "book-track": "chapter",
    "book": "book", "monograph": "book", "edited-book": "book", "reference-book": "book",
    "book-series": "book", "book-set": "book",
    "reference-entry": "entry-encyclopedia",
    "posted-content": "article",
    "dissertation": "thesis",
    "report": "report", "report-component": "report", "report-series": "report",
    "dataset": "dataset", "database": "dataset",
    "peer-review": "review",
    "standard": "standard", "standard-series": "standard",
    "component": "document", "grant": "document", "other": "document",
}
# Posted content by `subtype`: a preprint is CSL's `article`; Crossref's "other" is mostly blog
# posts (Front Matter / Rogue Scholar), which Zotero imports as blog posts.
_POSTED_TYPES = {"other": "post-weblog", "report": "report", "dissertation": "thesis",
                 "review": "review"}

# Name roles Crossref sends, by their CSL names (CSL 1.0.2 has `chair`; Zotero, having none,
# makes chairs contributors).
_ROLES = ("author", "editor", "translator", "chair")

# Where `container-title` goes: the types whose container is a series rather than a book or a
# journal (Zotero: a book's container title is its `series`, a report's its `seriesTitle`).
_SERIES_ONLY = frozenset(("book", "report"))
# When a chapter has two container titles, Crossref's order does not say which is the book and
# which the series (CrossRef/rest-api-doc#11, zotero/translators#1931): Zotero takes the first as
# the book. Words that name a series, or a volume number at the end, decide it first.
_SERIES_WORDS = re.compile(
    r"\bseries\b|\bserie\b|reihe\b|schriften|\blecture notes\b|briefs\b|\bprogress in\b"
    r"|\badvances in\b|\bproceedings$", re.IGNORECASE)
_VOLUME_END = re.compile(r"(?:\b[IVXLC]+|\b\d{1,4}|\b(?i:vol|volume|part|band|bd)\.?\s*\w+)$")


def _strings(value: Any) -> list[str]:
    """A Crossref field that is a list of strings (or one string): its non-blank strings."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return []
    return [v for v in value if isinstance(v, str) and v.strip()]


def _dicts(value: Any) -> list[dict[str, Any]]:
    """A Crossref field that is a list of objects: its objects (anything else: none)."""
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _first(value: Any) -> str | None:
    if isinstance(value, str):  # the common case, without building a list
        return value if value.strip() else None
    found = _strings(value)
    return found[0] if found else None


def _text(value: Any) -> str | None:
    """A plain string field (or the first of a list): entities decoded, controls removed, white
    space folded. Runs for every name and field of every lookup, so the common case — a clean
    string — takes the shortest path."""
    if isinstance(value, str):
        text = value
    elif value is None:  # most fields are absent from most records
        return None
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        text = str(value)
    else:
        text = _first(value) or ""
    if "&" in text:
        text = markup.decode_entities(text)
    return markup.one_line(text) or None


def _rich(value: Any) -> str | None:
    text = _first(value)
    return markup.from_html_fragment(text) or None if text else None


def _date(value: Any, what: str = "date") -> Date | None:
    """A Crossref date object; None when absent or empty. A date that cannot exist (month 13)
    makes the whole record unusable: it is refused rather than stored."""
    if value is None:
        return None
    try:
        return Date.from_csl({"date-parts": value.get("date-parts")} if isinstance(value, dict)
                             else value)
    except DateError as exc:
        raise SourceError(f"Crossref's record has an impossible {what} ({exc}); it cannot be "
                          "used.") from None


def _name(person: Any) -> Name | None:
    if not isinstance(person, dict):
        return None
    orcid = _text(person.get("ORCID"))
    affiliation = tuple(
        t for a in _dicts(person.get("affiliation")) for t in [_text(a.get("name"))] if t
    )
    family = _text(person.get("family"))
    given = _text(person.get("given"))
    if family:
        return Name(family=family, given=given, suffix=_text(person.get("suffix")), orcid=orcid,
                    affiliation=affiliation)
    literal = _text(person.get("name")) or given  # an organisation, or a person with one name
    if literal:
        return Name(literal=literal, orcid=orcid, affiliation=affiliation)
    return None


def _names(message: dict[str, Any]) -> dict[str, tuple[Name, ...]]:
    out = {}
    for role in _ROLES:
        people = message.get(role)
        found = tuple(n for n in map(_name, people if isinstance(people, list) else []) if n)
        if found:
            out[role] = found
    return out


def _title(message: dict[str, Any]) -> tuple[str | None, str | None]:
    """(title, original-title). The title is `title` with its `subtitle`; when `title` is empty
    (older J-STAGE deposits put the title in `original-title` or `subtitle` only), the
    original-language title, and failing that the subtitle, stands in."""
    title = _rich(message.get("title"))
    original = _rich(message.get("original-title"))
    subtitle = _rich(message.get("subtitle"))
    main = title or original
    if main and subtitle and subtitle.casefold() not in main.casefold():
        main = f"{main}{'' if main.endswith((':', '?', '!', '.')) else ':'} {subtitle}"
    main = main or subtitle
    if original and (not title or original.casefold() == title.casefold()):
        original = None  # it is the title already
    return main, original


def _series_score(title: str) -> int:
    return bool(_SERIES_WORDS.search(title)) - bool(_VOLUME_END.search(title))


def _containers(csl_type: str, titles: list[str],
                series_first: bool) -> tuple[str | None, str | None]:
    """(container-title, collection-title) from Crossref's `container-title` list; every title
    is kept, those that are not the container joined with `; ` as the collection."""
    unique: list[str] = []
    for title in titles:
        if title.casefold() not in (u.casefold() for u in unique):
            unique.append(title)
    if not unique:
        return None, None
    if csl_type in _SERIES_ONLY:
        return None, "; ".join(unique)
    if len(unique) > 1:
        if series_first:
            unique.reverse()  # Zotero: for `other` with an ISBN, the first is the series
        # Stable: with no word to go by, the first stays the book (Zotero's choice).
        unique.sort(key=_series_score)
    return unique[0], "; ".join(unique[1:]) or None


def _isbns(message: dict[str, Any]) -> tuple[tuple[str, ...], list[dict[str, str]]]:
    """ISBNs print first, then electronic, then untyped (as ISSNs are ordered); and Crossref's
    typed list, kept under `custom` as `isbn-type` since a CSL ISBN has no type."""
    typed = [{"value": v, "type": t} for item in _dicts(message.get("isbn-type"))
             for v, t in [(_text(item.get("value")), _text(item.get("type")))] if v and t]
    order = {"print": 0, "electronic": 1}
    ordered = [t["value"] for t in sorted(typed, key=lambda t: order.get(t["type"], 2))]
    out: list[str] = []
    for isbn in ordered + [i for i in map(_text, _strings(message.get("ISBN"))) if i]:
        if isbn not in out:
            out.append(isbn)
    return tuple(out), typed


def _issns(message: dict[str, Any]) -> tuple[str, ...]:
    typed = {t["type"]: t.get("value") for t in _dicts(message.get("issn-type"))
             if isinstance(t.get("type"), str)}
    ordered = [typed.get("print"), typed.get("electronic"), *_strings(message.get("ISSN"))]
    out: list[str] = []
    for issn in ordered:
        clean = _text(issn)
        if clean and clean not in out:
            out.append(clean)
    return tuple(out)


def _updates(message: dict[str, Any]) -> tuple[Update, ...]:
    """`update-to` (this record is a notice about DOI) and `updated-by` (DOI is a notice about
    this record), with who asserts it (`source`: publisher, retraction-watch) and Retraction
    Watch's record number."""
    out = []
    for direction in ("update-to", "updated-by"):
        for item in _dicts(message.get(direction)):
            if not _text(item.get("DOI")):
                continue
            out.append(Update(
                type=_text(item.get("type")) or "update",
                DOI=_text(item.get("DOI")) or "",
                direction=direction,
                date=_date(item.get("updated"), "update date"),
                label=_text(item.get("label")),
                source=_text(item.get("source")),
                record_id=_text(item.get("record-id")),
            ))
    return tuple(out)


def _relations(message: dict[str, Any]) -> tuple[Relation, ...]:
    relation = message.get("relation")
    if not isinstance(relation, dict):
        return ()
    return tuple(
        Relation(kind, ident, _text(item.get("id-type")) or "doi")
        for kind, items in relation.items() if isinstance(kind, str)
        for item in _dicts(items)
        for ident in [_text(item.get("id"))] if ident
    )


def _unique(values: Any) -> tuple[str, ...]:
    out: list[str] = []
    for value in values:
        if value and value not in out:
            out.append(value)
    return tuple(out)


def _institution(message: dict[str, Any]) -> tuple[str | None, str | None]:
    """(name, place) of the first `institution` (a thesis's university, a report's laboratory,
    a preprint's server)."""
    found = _dicts(message.get("institution"))
    if not found:
        return None, None
    first = found[0]
    places = [p for p in map(_text, _strings(first.get("place"))) if p]
    return _text(first.get("name")), ", ".join(places) or None


def _degree(message: dict[str, Any]) -> str | None:
    """`Doctor of Philosophy (PhD)` → `Doctor of Philosophy` (Zotero drops the abbreviation)."""
    degree = _text(message.get("degree"))
    return (re.sub(r"\s*\([^)]*\)", "", degree).strip() or degree) if degree else None


def _event(message: dict[str, Any]) -> tuple[str | None, str | None, Date | None]:
    """(name, place, dates from `start` to `end`) of a conference."""
    event = message.get("event")
    if not isinstance(event, dict):
        return None, None, None
    points = [value["date-parts"][0] for value in (event.get("start"), event.get("end"))
              if isinstance(value, dict) and isinstance(value.get("date-parts"), list)
              and value["date-parts"]]
    when = _date({"date-parts": points}, "event date") if points else None
    return _text(event.get("name")), _text(event.get("location")), when


def _dates(message: dict[str, Any], is_thesis: bool) -> dict[str, Date]:
    """`issued` is the print date before the online date (a citation names the issue the work
    appeared in; Crossref's own `issued` is the earlier of the two); the online date is kept as
    CSL's `available-date`. A thesis is issued when it was approved; a record with no other date
    (standards) uses `approved` too."""
    parsed: dict[str, Date | None] = {}

    def date(key: str, what: str) -> Date | None:
        # Crossref's `issued` repeats the print or online date: parse each distinct one once.
        value = message.get(key)
        token = repr(value.get("date-parts") if isinstance(value, dict) else value)
        if token not in parsed:
            parsed[token] = _date(value, what)
        return parsed[token]

    printed = date("published-print", "print date")
    online = date("published-online", "online date")
    crossref_issued = date("issued", "issued date")
    approved = date("approved", "approval date")
    issued = ((approved if is_thesis else None) or printed or online or crossref_issued
              or approved)
    out = {}
    if issued is not None:
        out["issued"] = issued
        if online is not None and online != issued:
            out["available-date"] = online
    return out


def _csl_type(message: dict[str, Any], has_isbn: bool) -> str:
    crossref_type = str(message.get("type"))
    subtype = _text(message.get("subtype"))
    if crossref_type == "posted-content" and subtype in _POSTED_TYPES:
        return _POSTED_TYPES[subtype]
    if crossref_type == "other" and has_isbn and _strings(message.get("container-title")):
        return "chapter"  # Zotero: an `other` with an ISBN and a container is a book section
    return _TYPES.get(crossref_type, "document")


def _publication(message: dict[str, Any], csl_type: str, has_isbn: bool) -> dict[str, str | None]:
    """Where the work appeared and who issued it: container and collection titles, publisher
    and place, genre (a thesis's degree, a posted work's subtype)."""
    crossref_type = message.get("type")
    titles = [t for t in (markup.plain(markup.from_html_fragment(c))
                          for c in _strings(message.get("container-title"))) if t]
    container, collection = _containers(csl_type, titles, crossref_type == "other" and has_isbn)
    publisher = _text(message.get("publisher"))
    place = _text(message.get("publisher-location"))
    genre = None
    institution, institution_place = _institution(message)
    if csl_type in ("thesis", "report") and institution:
        # Zotero: the university (thesis) or laboratory (report) is who publishes it.
        publisher, place = institution, institution_place or place
    if csl_type == "thesis":
        genre = _degree(message)
    if crossref_type == "posted-content":
        group = _text(message.get("group-title"))
        if csl_type == "post-weblog":  # the blog is the group; the platform its publisher
            container = container or group
            publisher = publisher or institution
        else:  # citation-js: the preprint server is the container; the group its collection
            container = container or institution or group
            if group and group != container:
                collection = "; ".join(filter(None, (collection, group)))
        subtype = _text(message.get("subtype"))
        if subtype and subtype != "other":
            genre = subtype.replace("_", " ").capitalize()
    return {"container-title": container, "collection-title": collection, "genre": genre,
            "publisher": publisher, "publisher-place": place}


def _abstract(message: dict[str, Any]) -> tuple[tuple[Section, ...], tuple[str, ...]]:
    """(sections, Policy Points) of the JATS `abstract`, or a dataset's `description`."""
    jats = _first(message.get("abstract"))
    if jats:
        return parse_abstract(jats)
    description = _first(message.get("description"))
    text = markup.from_html_fragment(description) if description else ""
    return ((Section(None, (text,)),) if text else ()), ()


def record_from_work(message: dict[str, Any]) -> Record:
    """Map a Crossref work `message` to a Record (pure; raises SourceError if unusable)."""
    doi = _text(message.get("DOI"))
    title, original_title = _title(message)
    if not doi or not title:
        raise SourceError("Crossref's record has no DOI or no title; it cannot be used.")
    isbn, isbn_types = _isbns(message)
    csl_type = _csl_type(message, bool(isbn))
    event_title, event_place, event_date = _event(message)
    standards_body = message.get("standards-body")
    sections, policy_points = _abstract(message)
    article_number = _text(message.get("article-number"))
    page = _text(message.get("page"))
    variables = {
        **_publication(message, csl_type, bool(isbn)),
        "container-title-short": _text(message.get("short-container-title")),
        "original-title": original_title,
        "title-short": _rich(message.get("short-title")),
        "volume": _text(message.get("volume")),
        "issue": _text(message.get("issue")),
        "page": page,
        "number": article_number if article_number != page else None,
        "edition": _text(message.get("edition-number")),
        "authority": _text(standards_body.get("name")) if isinstance(standards_body, dict)
        else None,
        "event-title": event_title,
        "event-place": event_place,
        "language": _text(message.get("language")),
        "DOI": doi,
        "URL": _text(message.get("URL")),
    }
    dates = _dates(message, csl_type == "thesis")
    if event_date is not None:
        dates["event-date"] = event_date
    return Record(
        title, csl_type,
        names=_names(message),
        dates=dates,
        variables={k: v for k, v in variables.items() if v},
        ISSN=_issns(message),
        ISBN=isbn,
        subject=_unique(map(_text, _strings(message.get("subject")))),
        license=_unique(_text(lic.get("URL")) for lic in _dicts(message.get("license"))),
        funder=_unique(_text(f.get("name")) for f in _dicts(message.get("funder"))),
        policy_points=policy_points,
        abstract=sections,
        updates=_updates(message),
        relations=_relations(message),
        custom={"isbn-type": isbn_types} if isbn_types else None,
        source="crossref",
    )


# --- notices and bibliographic search (`quarterly check`) ----------------------------------------
#
# `GET /works?filter=updates:{doi}` lists the notices whose `update-to` names that DOI; the same
# filter given several times is OR-ed ("specifying the same filter multiple times will result in
# OR semantics", CrossRef/rest-api-doc README, "Filter names"), so one request serves many DOIs.
# Crossref reads request lines of at most 4096 bytes (CrossRef/rest-api-doc#251): a request holds
# as many DOIs as keep its path and query under MAX_URL_BYTES, and never more than
# MAX_DOIS_PER_REQUEST. `rows` is at most 1000 (README, "Rows"); a longer answer is paged with
# `offset`. `select=DOI,update-to` keeps the answer to what is read (README, "Selecting which
# elements to return").

MAX_URL_BYTES = 3800
MAX_DOIS_PER_REQUEST = 100
MAX_ROWS = 1000
# `query.bibliographic` is Crossref's field query for citation look-up (README, "Field Queries");
# Crossref advises few rows for reference matching (api_tips.md: `rows=2` to spot a tie, about 5
# when ranking candidates yourself). Every `select` name below is in the list of valid ones
# Crossref's answer to an invalid select gives (the same list rcrossref and the Perl client quote):
# the fields compared, the notices and relations of the match, and its score.
SEARCH_ROWS = 5
SEARCH_SELECT = ("DOI,title,subtitle,author,issued,published-print,published-online,"
                 "container-title,short-container-title,volume,issue,page,article-number,type,"
                 "score,update-to,updated-by,relation")
MAX_QUERY_CHARS = 600


def _works_path() -> str:
    from urllib.parse import urlsplit

    return urlsplit(base_url()).path + "/works"


def _with_mailto(params: dict[str, str]) -> dict[str, str]:
    address = http.mailto()
    return {**params, "mailto": address} if address else params


def update_batches(dois: Sequence[str]) -> list[list[str]]:
    """The DOIs in groups, each small enough for one `filter=updates:…` request. A DOI holding a
    comma cannot be written in a filter (commas separate filters) and is left out: its notices
    come from its work record instead."""
    from urllib.parse import urlencode

    path = _works_path()

    def length(group: list[str]) -> int:
        params = _with_mailto(_updates_params(group, 0))
        return len(path) + 1 + len(urlencode(params))

    batches: list[list[str]] = []
    current: list[str] = []
    for doi in dois:
        if "," in doi:
            continue
        if current and (len(current) >= MAX_DOIS_PER_REQUEST or length([*current, doi]) >
                        MAX_URL_BYTES):
            batches.append(current)
            current = []
        current.append(doi)
    if current:
        batches.append(current)
    return batches


def _updates_params(dois: Sequence[str], offset: int) -> dict[str, str]:
    params = {"filter": ",".join(f"updates:{d}" for d in dois), "select": "DOI,update-to",
              "rows": str(MAX_ROWS)}
    if offset:
        params["offset"] = str(offset)
    return params


def _get_list(params: dict[str, str], gate: http.Gate) -> dict[str, Any]:
    """The `message` of a `work-list` answer to `GET /works?…`; raises SourceError."""
    with gate:
        response = http.get(f"{base_url()}/works", params=_with_mailto(params),
                            user_agent=http.user_agent(), service="Crossref", setting=SETTING)
    gate.observe(response.headers)
    message = _message(response, "work-list", "a list of works")
    if not isinstance(message.get("items"), list):
        raise SourceError("Crossref's answer is not a list of works. Try again later.")
    return message


def notices_from_list(message: dict[str, Any], wanted: Sequence[str]) -> dict[str, list[Update]]:
    """Pure: the notices in a `filter=updates:…` answer, by the key (case-folded DOI) of each
    wanted work they update. Each item is a notice; its `update-to` entries name the works it is
    about (a notice may correct several; those not wanted are ignored)."""
    keys = {d.casefold() for d in wanted}
    out: dict[str, list[Update]] = {}
    for item in _dicts(message.get("items")):
        notice_doi = _text(item.get("DOI"))
        if not notice_doi:
            continue
        for target in _dicts(item.get("update-to")):
            key = (_text(target.get("DOI")) or "").casefold()
            if key not in keys:
                continue
            out.setdefault(key, []).append(Update(
                type=_text(target.get("type")) or "update",
                DOI=notice_doi,
                direction="updated-by",
                date=_date(target.get("updated"), "update date"),
                label=_text(target.get("label")),
                source=_text(target.get("source")),
                record_id=_text(target.get("record-id")),
            ))
    return out


def fetch_updates(dois: Sequence[str], gate: http.Gate
                  ) -> Iterator[tuple[str, tuple[Update, ...] | QuarterlyError]]:
    """Every notice that updates each DOI, asked with as few requests as the URL limit allows,
    as many at once as the gate allows. Yields (DOI, notices) — or (DOI, error) for the DOIs of
    a request that failed — for each DOI that a filter can carry (see update_batches)."""
    def one(batch: list[str]) -> dict[str, list[Update]] | QuarterlyError:
        found: dict[str, list[Update]] = {}
        offset = 0
        try:
            while True:
                message = _get_list(_updates_params(batch, offset), gate)
                for key, updates in notices_from_list(message, batch).items():
                    found.setdefault(key, []).extend(updates)
                items = len(message["items"])
                offset += items
                total = message.get("total-results")
                if not items or not isinstance(total, int) or offset >= total:
                    return found
        except QuarterlyError as exc:
            return exc

    for batch, outcome in concurrently(one, update_batches(dois), gate.limit):
        for doi in batch:
            if isinstance(outcome, QuarterlyError):
                yield doi, outcome
            else:
                yield doi, tuple(outcome.get(doi.casefold(), ()))


def candidates_from_list(message: dict[str, Any]) -> list[tuple[float, Record]]:
    """Pure: (score, record) for each item of a `query.bibliographic` answer, best first as
    Crossref ranked them; items that are not usable records are skipped."""
    out = []
    for item in _dicts(message.get("items")):
        score = item.get("score")
        try:
            record = record_from_work(item)
        except SourceError:
            continue
        out.append((float(score) if isinstance(score, (int, float)) else 0.0, record))
    return out


def search_bibliographic(text: str, gate: http.Gate) -> list[tuple[float, Record]]:
    """Crossref's best candidates for a reference written as text (title, first author, year,
    journal); raises SourceError when Crossref cannot be asked."""
    params = {"query.bibliographic": text[:MAX_QUERY_CHARS], "rows": str(SEARCH_ROWS),
              "select": SEARCH_SELECT}
    return candidates_from_list(_get_list(params, gate))
