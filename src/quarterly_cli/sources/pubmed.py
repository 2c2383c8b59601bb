"""PubMed through NCBI E-utilities (https://www.ncbi.nlm.nih.gov/books/NBK25499/) → Records.

- `efetch.fcgi?db=pubmed&retmode=xml&id=…`: up to BATCH PMIDs per request, sent by POST when the
  list would make a long URL.
- `esearch.fcgi?db=pubmed&term=…`: DOIs (`"10.…"[doi]`) and PMCIDs (`PMC…[pmcid]`) to PMIDs,
  several OR'ed in one search. A DOI or PMCID counts as found only when exactly one fetched
  record carries it (format rules: "valid only when exactly one Id comes back"), so a search
  that matched something else can never give the wrong record.
- Every request carries `tool=quarterly-cli`, `email=` (QUARTERLY_MAILTO) and `api_key=`
  (NCBI_API_KEY) when set; NCBI allows 3 requests per second without a key and 10 with one, which
  is this source's Policy (kept across threads by the run's Gate).

The network calls are kept apart from the pure mapping (`parse_efetch`, `record_from_article`),
which the tests feed with real efetch records. PubMed XML never leaves this module. It is parsed
with defusedxml: the DOCTYPE NCBI puts on every answer is allowed but never loaded, and entity
declarations are refused (no entity expansion, no external references).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Sequence
from xml.etree.ElementTree import Element

from .. import doi as doi_mod
from .. import markup
from ..errors import NotFoundError, QuarterlyError, SourceError
from ..identifiers import Identifier, trim_prose, valid_pmcid, valid_pmid
from ..links import Update
from ..model import Date, DateError, Name, Record, Section
from . import http
from .jats import rich_element
from .seam import Policy, Source, concurrently

DEFAULT_BASE_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
SETTING = "QUARTERLY_EUTILS_URL"
TOOL = "quarterly-cli"
BATCH = 200  # PMIDs per efetch
SEARCH_BATCH = 50  # DOIs or PMCIDs OR'ed in one esearch
# Parameters longer than this go in a POST body: E-utilities take long ID lists and terms by POST
# (https://www.ncbi.nlm.nih.gov/books/NBK25497/, "Using the HTTP POST method").
POST_OVER = 1000


# --- network --------------------------------------------------------------------------------

def base_url() -> str:
    return os.environ.get(SETTING, DEFAULT_BASE_URL).rstrip("/")


def api_key() -> str | None:
    return os.environ.get("NCBI_API_KEY") or None


def policy() -> Policy:
    """NCBI: "no more than 3 requests per second" without an API key, 10 with one
    (https://www.ncbi.nlm.nih.gov/books/NBK25497/)."""
    return Policy(10, 10.0) if api_key() else Policy(3, 3.0)


def _identity() -> dict[str, str]:
    out = {"tool": TOOL}
    if http.mailto():
        out["email"] = http.mailto() or ""
    if api_key():
        out["api_key"] = api_key() or ""
    return out


def _ask(endpoint: str, fields: dict[str, str], gate: http.Gate) -> bytes:
    """One E-utilities request; the body of a usable answer, or SourceError."""
    params = {**fields, **_identity()}
    long = sum(len(v) for v in fields.values()) > POST_OVER
    with gate:
        response = http.request(
            "POST" if long else "GET", f"{base_url()}/{endpoint}",
            params=None if long else params, data=params if long else None,
            user_agent=http.user_agent(), service="PubMed", setting=SETTING,
            accept="application/xml")
    reason = _reason(response.body)
    if response.status == 200 or (response.status == 400 and not reason):
        # NCBI puts its XML <ERROR> envelopes on 400 (an ID list with no valid ID) as well as on
        # 200; parse_efetch / parse_esearch read them.
        return response.body
    if "api key" in reason.lower():
        raise SourceError(f"PubMed refused the request{reason}. Check NCBI_API_KEY, or unset it.")
    raise SourceError(f"PubMed answered {response.status}{reason}. Try again later.")


def _reason(body: bytes) -> str:
    """` (API key invalid)` from NCBI's JSON error bodies; empty when there is none."""
    try:
        data = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return ""
    message = data.get("error") if isinstance(data, dict) else None
    return f" ({_one_line(message)})" if isinstance(message, str) and message.strip() else ""


def _one_line(text: str, limit: int = 200) -> str:
    """An NCBI message fit for one line of stderr: tags and controls removed, cut short."""
    text = markup.squash_space(markup.strip_controls(re.sub(r"<[^>]*>?", " ", text)))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def esearch(term: str, retmax: int, gate: http.Gate) -> list[str]:
    """PMIDs matching `term`."""
    return parse_esearch(_ask("esearch.fcgi", {"db": "pubmed", "term": term,
                                                "retmax": str(retmax)}, gate))


def efetch(pmids: Sequence[str], gate: http.Gate) -> list[tuple[str, Record | SourceError]]:
    """(PMID, Record or why not) for each article PubMed sent back."""
    return parse_efetch(_ask("efetch.fcgi", {"db": "pubmed", "retmode": "xml",
                                              "id": ",".join(pmids)}, gate))


def _term(identifier: Identifier) -> str | None:
    if identifier.kind == "doi":
        # Quoted, so that brackets and semicolons in old DOIs are not query syntax; a DOI with
        # a double quote cannot be searched for at all.
        return None if '"' in identifier.value else f'"{identifier.value}"[doi]'
    return f"{identifier.key}[pmcid]"


def _chunks(items: Sequence, size: int) -> list[list]:
    return [list(items[i:i + size]) for i in range(0, len(items), size)]


def fetch_many(identifiers: Sequence[Identifier],
               gate: http.Gate) -> Iterator[tuple[Identifier, Record | QuarterlyError]]:
    """PMIDs straight to efetch; DOIs and PMCIDs through esearch first. Requests run as many at
    once as the gate allows; each identifier is answered once."""
    direct = [i for i in identifiers if i.kind == "pmid"]
    searched = [i for i in identifiers if i.kind != "pmid"]
    search_failed: dict[Identifier, QuarterlyError] = {}
    found: dict[str, None] = {}  # PMIDs the searches gave, in order

    def search(chunk: list[Identifier]) -> list[str] | QuarterlyError:
        terms = [t for t in map(_term, chunk) if t]
        if not terms:
            return []
        try:
            return esearch(" OR ".join(terms), 2 * len(terms) + 10, gate)
        except QuarterlyError as exc:
            return exc

    chunks = [chunk for kind in ("doi", "pmcid")
              for chunk in _chunks([i for i in searched if i.kind == kind], SEARCH_BATCH)]
    for chunk, pmids in concurrently(search, chunks, gate.limit):
        if isinstance(pmids, QuarterlyError):
            search_failed.update(dict.fromkeys(chunk, pmids))
        else:
            found.update(dict.fromkeys(pmids))

    wanted = list(dict.fromkeys([*(i.key for i in direct), *found]))
    fetched: dict[str, Record | SourceError] = {}
    fetch_errors: list[QuarterlyError] = []

    def fetch(chunk: list[str]) -> list[tuple[str, Record | SourceError]] | QuarterlyError:
        try:
            return efetch(chunk, gate)
        except QuarterlyError as exc:
            return exc

    waiting = {i.key: i for i in direct}
    for chunk, result in concurrently(fetch, _chunks(wanted, BATCH), gate.limit):
        if isinstance(result, QuarterlyError):
            fetch_errors.append(result)
        else:
            fetched.update((valid_pmid(pmid) or pmid, outcome) for pmid, outcome in result)
        for pmid in chunk:
            identifier = waiting.pop(pmid, None)
            if identifier is not None:
                yield identifier, (result if isinstance(result, QuarterlyError) else fetched.get(
                    pmid) or NotFoundError(f"no PubMed record with PMID {pmid}. Check the number."))
    index: dict[tuple[str, str], list[Record]] = {}
    for outcome in fetched.values():
        if isinstance(outcome, Record):
            for kind, value in (("doi", outcome.DOI), ("pmcid", outcome.PMCID)):
                if value:
                    index.setdefault((kind, Identifier(kind, value).key), []).append(outcome)
    for identifier in searched:
        if identifier in search_failed:
            yield identifier, search_failed[identifier]
            continue
        matches = index.get((identifier.kind, identifier.key), [])
        if len(matches) == 1:
            yield identifier, matches[0]
        elif matches:
            yield identifier, NotFoundError(
                f"PubMed has {len(matches)} records with this {identifier.label}; give the PMID "
                f"instead ({', '.join(r.PMID or '' for r in matches)}).")
        elif fetch_errors:
            yield identifier, fetch_errors[0]
        else:
            yield identifier, NotFoundError(f"no PubMed record with this {identifier.label}. "
                                            f"Check the {identifier.label} for typos.")


SOURCE = Source("pubmed", "PubMed", ("pmid", "pmcid", "doi"), policy, fetch_many, abstracts=True)


# --- parsing NCBI's answers (pure) -------------------------------------------------------------

def _xml(body: bytes) -> Element:
    from defusedxml import ElementTree as SafeET
    from defusedxml.common import DefusedXmlException

    try:
        return SafeET.fromstring(body, forbid_dtd=False, forbid_entities=True,
                                 forbid_external=True)
    except (SafeET.ParseError, DefusedXmlException):
        raise SourceError("PubMed sent something that is not XML (a truncated answer or a "
                          "maintenance page). Try again later.") from None


def _ncbi_error(root: Element) -> str | None:
    error = root.find("ERROR")
    if error is None and root.tag == "ERROR":
        error = root
    return _one_line("".join(error.itertext())) if error is not None else None


def parse_esearch(body: bytes) -> list[str]:
    """The PMIDs of an `eSearchResult` (none for NCBI's "No items found"); SourceError for an
    `<ERROR>` answer or anything else."""
    root = _xml(body)
    message = _ncbi_error(root)
    if message is not None or root.tag != "eSearchResult":
        raise SourceError(f"PubMed could not run the search ({message or root.tag}). Try again "
                          "later.")
    return [pmid for pmid in (valid_pmid(e.text or "") for e in root.iterfind("IdList/Id")) if pmid]


def parse_efetch(body: bytes) -> list[tuple[str, Record | SourceError]]:
    """(PMID, Record) for each `PubmedArticle` / `PubmedBookArticle` of an efetch answer; a record
    that cannot be mapped is (PMID, SourceError) and does not spoil the others. NCBI's answer to an
    ID list with no valid ID is an empty list; any other `<ERROR>` is a SourceError."""
    root = _xml(body)
    message = _ncbi_error(root)
    if message is not None:
        if "ID list is empty" in message:
            return []
        raise SourceError(f"PubMed answered with an error ({message}). Try again later.")
    if root.tag != "PubmedArticleSet":
        raise SourceError(f"PubMed's answer is not a PubmedArticleSet ({_one_line(root.tag, 40)})."
                          " Try again later.")
    out: list[tuple[str, Record | SourceError]] = []
    for element in root:
        if element.tag not in ("PubmedArticle", "PubmedBookArticle"):
            continue  # DeleteCitation, …
        pmid = _text(element.find("MedlineCitation/PMID")) or _text(element.find("BookDocument/PMID"))
        try:
            out.append((pmid or "", record_from_article(element)))
        except SourceError as exc:
            out.append((pmid or "", exc))
    return out


# --- mapping one article (pure) ----------------------------------------------------------------

# MathML accents (`<mover>`) as combining characters: V with a dot above is V̇ (V-dot, flow rate).
_LANGUAGES = {  # MEDLINE's ISO 639-2 codes → the BCP 47 tags CSL's `language` holds
    "eng": "en", "ger": "de", "fre": "fr", "spa": "es", "ita": "it", "por": "pt", "dut": "nl",
    "swe": "sv", "nor": "no", "dan": "da", "fin": "fi", "pol": "pl", "rus": "ru", "jpn": "ja",
    "chi": "zh", "kor": "ko", "tur": "tr", "cze": "cs", "hun": "hu", "gre": "el", "heb": "he",
    "ara": "ar", "per": "fa", "ukr": "uk", "rum": "ro", "hrv": "hr", "slv": "sl", "ice": "is",
}
# CommentsCorrections that are notices about the work (the rest are comments and citations).
# Crossref's update types where there is one (https://www.crossref.org/documentation/crossmark/).
_NOTICES = {
    "RetractionIn": ("retraction", "updated-by"), "RetractionOf": ("retraction", "update-to"),
    "PartialRetractionIn": ("partial_retraction", "updated-by"),
    "PartialRetractionOf": ("partial_retraction", "update-to"),
    "ErratumIn": ("erratum", "updated-by"), "ErratumFor": ("erratum", "update-to"),
    "ExpressionOfConcernIn": ("expression_of_concern", "updated-by"),
    "ExpressionOfConcernFor": ("expression_of_concern", "update-to"),
    "UpdateIn": ("new_version", "updated-by"), "UpdateOf": ("new_version", "update-to"),
    "CorrectedandRepublishedIn": ("correction", "updated-by"),
    "CorrectedandRepublishedFrom": ("correction", "update-to"),
    "RepublishedIn": ("republication", "updated-by"),
    "RepublishedFrom": ("republication", "update-to"),
    "ReprintIn": ("reprint", "updated-by"), "ReprintOf": ("reprint", "update-to"),
}
_ORCID = re.compile(r"(\d{4}-\d{4}-\d{4}-\d{3}[\dX])")
_RANGE = re.compile(r"(\d+)-(\d+)")
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
# The date of a notice in its citation: `Biochem J. 1977 Apr 15;164(1):287-8` → `1977 Apr 15`.
_REF_DATE = re.compile(r"(?<![\d;:(])(\d{4}(?: [A-Z][a-z]{2}(?: \d{1,2})?)?);")


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _text(element: Element | None) -> str | None:
    """An element's whole text, plain: controls removed, white space folded."""
    if element is None:
        return None
    return markup.squash_space(markup.strip_controls("".join(element.itertext()))) or None


def _rich(element: Element | None) -> str:
    """An element's content as CSL rich text, through the builder every source shares
    (`markup.RichText`, as Crossref's JATS): <i>, <b>, <sup>, <sub> kept, MathML as text with
    scripts (`<sup>3</sup>He`), other tags' text kept, text that would read as markup neutralised,
    controls removed, white space folded, nesting bounded."""
    if element is None:
        return ""
    # PubMed marks up with elements; a tag spelled in the text (`&lt;i&gt;`) is text.
    return rich_element(element, escaped=False)


def _literal(element: Element | None) -> str | None:
    """Plain text for a rich-text variable (a journal title): no markup of its own."""
    text = _text(element)
    return markup.literal(text) if text else None


def _without_period(title: str) -> str:
    """NLM ends every title with a period; citation styles add their own."""
    return title[:-1].rstrip() if title.endswith(".") and not title.endswith("..") else title


def _titles(article_title: Element | None, vernacular: Element | None) -> tuple[str, str | None]:
    """(title, original title). A title NLM translated into English is in square brackets, with
    the original in VernacularTitle; a record whose only title is the vernacular one has an empty
    ArticleTitle."""
    title = _without_period(_rich(article_title))
    original = _without_period(_rich(vernacular)) or None
    if title.startswith("[") and title.endswith("]"):
        title = title[1:-1].strip()
    if not title:
        return original or "", None
    return title, original


def _label(text: str | None) -> str | None:
    """`MATERIAL AND METHOD` → `Material and method`, as the structured abstracts of other sources
    read (and as `abstracts.sections_from_text` turns them); labels in mixed case are kept."""
    if not text or text.strip().upper() in ("UNLABELLED", "UNASSIGNED"):
        return None
    text = markup.squash_space(markup.strip_controls(text)).rstrip(":").strip()
    return text[0] + text[1:].lower() if text.isupper() else text or None


def _abstract(abstract: Element | None) -> tuple[tuple[Section, ...], tuple[str, ...]]:
    """(sections, Policy Points). Consecutive AbstractTexts under one label are its paragraphs."""
    if abstract is None:
        return (), ()
    groups: list[tuple[str | None, list[str]]] = []
    for part in abstract.iterfind("AbstractText"):
        text = _rich(part)
        if not text:
            continue
        label = _label(part.get("Label") or part.get("NlmCategory"))
        if groups and groups[-1][0] == label:
            groups[-1][1].append(text)
        else:
            groups.append((label, [text]))
    points = tuple(p for label, body in groups if (label or "").casefold() == "policy points"
                   for p in body)
    sections = tuple(Section(label, tuple(body)) for label, body in groups
                     if (label or "").casefold() != "policy points")
    return sections, points


def _names(author_list: Element | None) -> tuple[Name, ...]:
    if author_list is None:
        return ()
    out = []
    for author in author_list.iterfind("Author"):
        if author.get("ValidYN") == "N":  # an author the journal's erratum removed
            continue
        affiliation = tuple(dict.fromkeys(
            a for a in (_text(e) for e in author.iterfind("AffiliationInfo/Affiliation")) if a))
        orcid = next((f"https://orcid.org/{m.group(1)}" for e in author.iterfind("Identifier")
                      if (e.get("Source") or "").upper() == "ORCID"
                      for m in [_ORCID.search(e.text or "")] if m), None)
        family = _text(author.find("LastName"))
        if family:
            given = (_text(author.find("ForeName")) or _text(author.find("FirstName"))
                     or _text(author.find("Initials")))
            out.append(Name(family=family, given=given, suffix=_text(author.find("Suffix")),
                            orcid=orcid, affiliation=affiliation))
            continue
        collective = _text(author.find("CollectiveName"))
        if collective:
            out.append(Name(literal=collective, orcid=orcid, affiliation=affiliation))
    return tuple(out)


def _role_lists(parent: Element | None) -> dict[str, tuple[Name, ...]]:
    """AuthorLists by their Type (`authors`, the default, or `editors`)."""
    out: dict[str, tuple[Name, ...]] = {}
    for author_list in parent.iterfind("AuthorList") if parent is not None else ():
        role = "editor" if author_list.get("Type") == "editors" else "author"
        out[role] = out.get(role, ()) + _names(author_list)
    return out


def _parse_date(text: str) -> Date | None:
    try:
        return Date.parse(text)
    except DateError:
        return None


def _date(element: Element | None) -> Date | None:
    """PubDate, ArticleDate: Year/Month/Day, Year/Season, or MedlineDate (`2014 Nov-Dec`),
    through the one date parser; a part that cannot exist is dropped, not guessed."""
    if element is None:
        return None
    medline = _text(element.find("MedlineDate"))
    if medline:
        parsed = _parse_date(medline)
        if parsed is None:
            lone = _YEAR.search(medline)
            parsed = _parse_date(lone.group(1)) if lone else None
        return parsed
    year = _text(element.find("Year"))
    if not year or not year.isdigit():
        return None
    month, day = _text(element.find("Month")), _text(element.find("Day"))
    season = _text(element.find("Season"))
    tries = [f"{year} {season}"] if season else []
    if month:
        numeric = month.isdigit()
        month_text = f"-{int(month):02d}" if numeric else f" {month}"
        if day and day.isdigit():
            tries.append(f"{year}{month_text}{'-' if numeric else ' '}{int(day):02d}")
        tries.append(year + month_text)
    tries.append(year)
    return next((d for d in map(_parse_date, tries) if d is not None), None)


def _pages(pagination: Element | None) -> str | None:
    """MedlinePgn with abbreviated ends written out (`725-53` → `725-753`), else StartPage-EndPage."""
    if pagination is None:
        return None
    pages = _text(pagination.find("MedlinePgn"))
    if not pages:
        start, end = _text(pagination.find("StartPage")), _text(pagination.find("EndPage"))
        pages = f"{start}-{end}" if start and end else start
    if not pages:
        return None

    def full(match: re.Match[str]) -> str:
        first, last = match.groups()
        return f"{first}-{first[: len(first) - len(last)]}{last}" if len(last) < len(first) else \
            match.group()
    return _RANGE.sub(full, pages)


def _updates(citation: Element) -> tuple[Update, ...]:
    out = []
    for item in citation.iterfind("CommentsCorrectionsList/CommentsCorrections"):
        notice = _NOTICES.get(item.get("RefType") or "")
        if notice is None:
            continue
        source = _text(item.find("RefSource"))
        found = re.search(r"doi:\s*(\S+)", source or "", re.IGNORECASE)
        doi = doi_mod.parse(trim_prose(found.group(1))) if found else None
        when = _REF_DATE.search(source or "")
        out.append(Update(type=notice[0], DOI=doi or "", direction=notice[1],
                          date=_parse_date(when.group(1)) if when else None, label=source,
                          source="pubmed", PMID=valid_pmid(_text(item.find("PMID")) or "")))
    return tuple(out)


def _ids(id_list: Element | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in id_list.iterfind("ArticleId") if id_list is not None else ():
        value = _text(item)
        if value:
            out.setdefault((item.get("IdType") or "").lower(), value)
    return out


def _keywords(parent: Element) -> tuple[str, ...]:
    return tuple(dict.fromkeys(k for k in map(_text, parent.iterfind("KeywordList/Keyword")) if k))


def _language(parent: Element) -> str | None:
    code = _text(parent.find("Language"))
    return _LANGUAGES.get(code.lower(), code) if code else None


def _common(pmid: str, ids: dict[str, str], *elocations: Element) -> dict:
    """Identifiers: the DOI from ArticleIdList (NLM's), else from ELocationID (the publisher's);
    the PMCID; the pii."""
    dois = [ids.get("doi")] + [_text(e) for e in elocations
                               if e.get("EIdType") == "doi" and e.get("ValidYN") != "N"]
    doi = next((d for d in map(doi_mod.parse, filter(None, dois)) if d), None)
    pii = ids.get("pii") or next((_text(e) for e in elocations if e.get("EIdType") == "pii"), None)
    return {"DOI": doi, "PMID": pmid, "PMCID": valid_pmcid(ids.get("pmc") or ""),
            "pii": pii}


def _custom(**values: object) -> dict:
    return {k.replace("_", "-"): v for k, v in values.items() if v}


def record_from_article(element: Element) -> Record:
    """One `PubmedArticle` or `PubmedBookArticle` → Record (pure; SourceError when unusable)."""
    if element.tag == "PubmedBookArticle":
        return _book(element)
    citation = element.find("MedlineCitation")
    article = citation.find("Article") if citation is not None else None
    pmid = valid_pmid(_text(citation.find("PMID")) or "") if citation is not None else None
    if citation is None or article is None or not pmid:
        raise SourceError("PubMed's record has no PMID or no article; it cannot be used.")
    title, original = _titles(article.find("ArticleTitle"), article.find("VernacularTitle"))
    if not title:
        raise SourceError(f"PubMed's record {pmid} has no title; it cannot be used.")
    journal = article.find("Journal")
    issue = journal.find("JournalIssue") if journal is not None else None
    info = citation.find("MedlineJournalInfo")
    issns = [_text(e) for e in (journal.iterfind("ISSN") if journal is not None else ())]
    issns.append(_text(info.find("ISSNLinking")) if info is not None else None)
    iso = _text(journal.find("ISOAbbreviation")) if journal is not None else None
    medline_ta = _text(info.find("MedlineTA")) if info is not None else None
    sections, points = _abstract(article.find("Abstract"))
    types = [t for t in map(_text, article.iterfind("PublicationTypeList/PublicationType")) if t]
    ids = _common(pmid, _ids(element.find("PubmedData/ArticleIdList")),
                  *article.iterfind("ELocationID"))
    if not ids["PMCID"]:
        ids["PMCID"] = next((valid_pmcid(_text(e) or "") for e in citation.iterfind("OtherID")
                             if (_text(e) or "").upper().startswith("PMC")), None)
    roles = _role_lists(article)
    return Record(
        title,
        # CSL types: a preprint is `article`; everything else PubMed indexes is a journal's.
        "article" if "Preprint" in types else "article-journal",
        author=roles.get("author"), editor=roles.get("editor"),
        container_title=_literal(journal.find("Title")) if journal is not None else None,
        # The NLM abbreviation (MedlineTA) is what Vancouver and AMA print (format rules).
        container_title_short=markup.literal(short) if (short := medline_ta or iso) else None,
        volume=_text(issue.find("Volume")) if issue is not None else None,
        issue=_text(issue.find("Issue")) if issue is not None else None,
        page=_pages(article.find("Pagination")),
        issued=(_date(issue.find("PubDate")) if issue is not None else None)
        or _date(article.find("ArticleDate")),
        available_date=_date(article.find("ArticleDate")),
        original_title=original,
        language=_language(article),
        DOI=ids["DOI"], PMID=pmid, PMCID=ids["PMCID"],
        ISSN=tuple(dict.fromkeys(i for i in issns if i)),
        keyword=_keywords(citation),
        mesh=tuple(dict.fromkeys(m for m in map(
            _text, citation.iterfind("MeshHeadingList/MeshHeading/DescriptorName")) if m)),
        abstract=sections, policy_points=points,
        abstract_source=f"PubMed {pmid}" if sections or points else None,
        updates=_updates(citation),
        custom=_custom(pii=ids["pii"], iso_abbreviation=iso if iso != medline_ta else None,
                       publication_types=types,
                       copyright=_text(article.find("Abstract/CopyrightInformation"))),
        source="pubmed",
    )


def _book(element: Element) -> Record:
    """A `PubmedBookArticle`: a chapter when it has an ArticleTitle, else the whole book
    (NCBI Bookshelf: GeneReviews, StatPearls, …)."""
    document = element.find("BookDocument")
    book = document.find("Book") if document is not None else None
    pmid = valid_pmid(_text(document.find("PMID")) or "") if document is not None else None
    if document is None or book is None or not pmid:
        raise SourceError("PubMed's book record has no PMID or no book; it cannot be used.")
    chapter, _ = _titles(document.find("ArticleTitle"), None)
    book_title, _ = _titles(book.find("BookTitle"), None)
    if not (chapter or book_title):
        raise SourceError(f"PubMed's book record {pmid} has no title; it cannot be used.")
    own, whole = _role_lists(document), _role_lists(book)
    ids = _ids(document.find("ArticleIdList"))
    common = _common(pmid, {**_ids(element.find("PubmedBookData/ArticleIdList")), **ids})
    accession = ids.get("bookaccession")
    sections, points = _abstract(document.find("Abstract"))
    if chapter:
        names = {"author": own.get("author", ()), "container-author": whole.get("author", ()),
                 "editor": whole.get("editor", ()) + own.get("editor", ())}
    else:
        names = {"author": whole.get("author") or own.get("author", ()),
                 "editor": whole.get("editor") or own.get("editor", ())}
    return Record(
        chapter or book_title, "chapter" if chapter else "book",
        names={role: people for role, people in names.items() if people},
        container_title=book_title if chapter else None,
        publisher=_text(book.find("Publisher/PublisherName")),
        publisher_place=_text(book.find("Publisher/PublisherLocation")),
        issued=_date(book.find("PubDate")),
        edition=_text(book.find("Edition")),
        volume=_text(book.find("Volume")),
        collection_title=_literal(book.find("CollectionTitle")),
        medium=_text(book.find("Medium")),
        ISBN=tuple(dict.fromkeys(i for i in map(_text, book.iterfind("Isbn")) if i)),
        URL=f"https://www.ncbi.nlm.nih.gov/books/{accession}/" if accession else None,
        language=_language(document),
        DOI=common["DOI"], PMID=pmid, PMCID=common["PMCID"],
        keyword=_keywords(document),
        abstract=sections, policy_points=points,
        abstract_source=f"PubMed {pmid}" if sections or points else None,
        custom=_custom(publication_types=[t for t in map(_text, document.iterfind(
            "PublicationType")) if t], copyright=_text(document.find("Abstract/CopyrightInformation"))),
        source="pubmed",
    )
