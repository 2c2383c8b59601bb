"""Crossref REST API: `GET {base}/works/{doi}` → Record.

The network call (`fetch_work`) is kept apart from the pure mapping (`record_from_work`), which
the tests feed with payloads shaped like Crossref's documented responses
(https://api.crossref.org/swagger-ui/index.html, https://www.crossref.org/documentation/retrieve-metadata/rest-api/).
Raw Crossref dicts never leave this module.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import quote

from .. import markup
from ..errors import NotFoundError, QuarterlyError, SourceError
from ..identifiers import Identifier
from ..model import Date, DateError, Name, Record, Update
from . import http
from .jats import parse_abstract
from .seam import Policy, Source, concurrently

DEFAULT_BASE_URL = "https://api.crossref.org"
SETTING = "QUARTERLY_CROSSREF_URL"

# Crossref calls it journal-article; CSL calls it article-journal (CSL 1.0 type list).
_TYPES = {
    "journal-article": "article-journal", "proceedings-article": "paper-conference",
    "book-chapter": "chapter", "book": "book", "monograph": "book", "edited-book": "book",
    "posted-content": "article", "report": "report", "dissertation": "thesis",
    "dataset": "dataset", "peer-review": "review", "reference-entry": "entry",
}


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
    if response.status != 200:
        raise SourceError(
            f"Crossref answered {response.status}. Try again later, or use --offline."
        )
    try:
        payload = json.loads(response.body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise SourceError(
            "Crossref sent something that is not JSON (a truncated answer or a "
            "maintenance page). Try again later."
        ) from None
    if (
        not isinstance(payload, dict)
        or payload.get("status") != "ok"
        or payload.get("message-type") != "work"
        or not isinstance(payload.get("message"), dict)
    ):
        raise SourceError(
            "Crossref's answer is not a work record. Try again later."
        )
    return payload["message"]


def fetch(doi: str, gate: http.Gate | None = None) -> Record:
    record = record_from_work(fetch_work(doi, gate))
    if (record.abstract or record.policy_points) and not record.abstract_source:
        record = record.with_(abstract_source="Crossref")
    return record


def fetch_many(identifiers: Sequence[Identifier],
               gate: http.Gate) -> Iterator[tuple[Identifier, Record | QuarterlyError]]:
    """One request per DOI, as many at once as the gate allows."""
    def one(identifier: Identifier) -> Record | QuarterlyError:
        try:
            return fetch(identifier.value, gate)
        except QuarterlyError as exc:
            return exc

    yield from concurrently(one, identifiers, gate.limit)


SOURCE = Source("crossref", "Crossref", ("doi",), policy, fetch_many, abstracts=True)


# --- the pure mapping ------------------------------------------------------------------------

def _first(value: Any) -> str | None:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), None)
    return value if isinstance(value, str) and value.strip() else None


def _text(value: Any) -> str | None:
    """A plain string field: controls removed, white space folded."""
    text = _first(value)
    return markup.squash_space(markup.strip_controls(text)) or None if text else None


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


def _name(author: dict[str, Any]) -> Name | None:
    if not isinstance(author, dict):
        return None
    orcid = _text(author.get("ORCID"))
    affiliation = tuple(
        t for a in author.get("affiliation") or [] if isinstance(a, dict)
        for t in [_text(a.get("name"))] if t
    )
    family = _text(author.get("family"))
    if family:
        return Name(family=family, given=_text(author.get("given")),
                    suffix=_text(author.get("suffix")), orcid=orcid, affiliation=affiliation)
    literal = _text(author.get("name"))
    if literal:
        return Name(literal=literal, orcid=orcid, affiliation=affiliation)
    return None


def _updates(message: dict[str, Any]) -> tuple[Update, ...]:
    out = []
    for direction in ("update-to", "updated-by"):
        for item in message.get(direction) or []:
            if not isinstance(item, dict) or not _text(item.get("DOI")):
                continue
            out.append(Update(
                type=_text(item.get("type")) or "update",
                DOI=_text(item.get("DOI")) or "",
                direction=direction,
                date=_date(item.get("updated"), "update date"),
                label=_text(item.get("label")),
            ))
    return tuple(out)


def _issns(message: dict[str, Any]) -> tuple[str, ...]:
    typed = {t.get("type"): t.get("value") for t in message.get("issn-type") or []
             if isinstance(t, dict)}
    ordered = [typed.get("print"), typed.get("electronic")]
    ordered += [i for i in message.get("ISSN") or [] if isinstance(i, str)]
    out: list[str] = []
    for issn in ordered:
        clean = _text(issn)
        if clean and clean not in out:
            out.append(clean)
    return tuple(out)


def record_from_work(message: dict[str, Any]) -> Record:
    """Map a Crossref work `message` to a Record (pure; raises SourceError if unusable)."""
    doi = _text(message.get("DOI"))
    title = _rich(message.get("title"))
    if not doi or not title:
        raise SourceError("Crossref's record has no DOI or no title; it cannot be used.")
    subtitle = _rich(message.get("subtitle"))
    if subtitle and subtitle.casefold() not in title.casefold():
        title = f"{title}{'' if title.endswith((':', '?', '!', '.')) else ':'} {subtitle}"
    sections: tuple = ()
    policy_points: tuple[str, ...] = ()
    if _first(message.get("abstract")):
        sections, policy_points = parse_abstract(message["abstract"])
    article_number = _text(message.get("article-number"))
    page = _text(message.get("page"))
    issued = (_date(message.get("issued"), "issued date")
              or _date(message.get("published-print"), "print date")
              or _date(message.get("published-online"), "online date"))
    licence = next((_text(lic.get("URL")) for lic in message.get("license") or []
                    if isinstance(lic, dict) and _text(lic.get("URL"))), None)
    return Record(
        title=title,
        type=_TYPES.get(str(message.get("type")), "article"),
        author=tuple(n for n in map(_name, message.get("author") or []) if n),
        container_title=markup.plain(_rich(message.get("container-title")) or "") or None,
        container_title_short=_text(message.get("short-container-title")),
        volume=_text(message.get("volume")),
        issue=_text(message.get("issue")),
        page=page,
        number=article_number if article_number != page else None,
        issued=issued,
        ISSN=_issns(message),
        publisher=_text(message.get("publisher")),
        DOI=doi,
        URL=_text(message.get("URL")),
        subject=tuple(s for s in map(_text, message.get("subject") or []) if s),
        license=licence,
        policy_points=policy_points,
        abstract=sections,
        updates=_updates(message),
        source="crossref",
    )
