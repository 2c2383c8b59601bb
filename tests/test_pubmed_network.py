"""PubMed over the network: a real HTTP server on 127.0.0.1 answers efetch and esearch the way
NCBI's E-utilities do (XML with NCBI's DOCTYPE, <ERROR> envelopes, 429/5xx), next to Crossref."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time

import pytest
from werkzeug import Request, Response

from quarterly_cli.cli import main
from quarterly_cli.identifiers import Identifier
from quarterly_cli.store import Store

from .conftest import DATA, ESEARCH_EMPTY, GOLDEN, crossref_payload

EFETCH = "/eutils/efetch.fcgi"
ESEARCH = "/eutils/esearch.fcgi"
DOCTYPE = ('<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, '
           '1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n')


def article(pmid: str, doi: str | None = None, pmcid: str | None = None, labelled: bool = True,
            title: str = "Peer support in primary care") -> str:
    """A PubmedArticle shaped like efetch's, for tests that need many."""
    abstract = (
        '<AbstractText Label="BACKGROUND" NlmCategory="BACKGROUND">Peers reach people.</AbstractText>'
        '<AbstractText Label="METHODS" NlmCategory="METHODS">We interviewed 48 trainers.</AbstractText>'
        '<AbstractText Label="FINDINGS" NlmCategory="RESULTS">Retention rose.</AbstractText>'
        '<AbstractText Label="CONCLUSIONS" NlmCategory="CONCLUSIONS">Fund them.</AbstractText>'
        if labelled else "<AbstractText>Peers reach people. We interviewed trainers.</AbstractText>")
    ids = f'<ArticleId IdType="pubmed">{pmid}</ArticleId>'
    ids += f'<ArticleId IdType="doi">{doi}</ArticleId>' if doi else ""
    ids += f'<ArticleId IdType="pmc">{pmcid}</ArticleId>' if pmcid else ""
    return (
        f'<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">{pmid}'
        '</PMID><Article PubModel="Print"><Journal><ISSN IssnType="Print">0887-378X</ISSN>'
        "<JournalIssue><Volume>92</Volume><Issue>4</Issue><PubDate><Year>2014</Year>"
        "<Month>Dec</Month></PubDate></JournalIssue><Title>The Milbank quarterly</Title>"
        f"<ISOAbbreviation>Milbank Q</ISOAbbreviation></Journal><ArticleTitle>{title} {pmid}."
        "</ArticleTitle><Pagination><MedlinePgn>725-53</MedlinePgn></Pagination>"
        f"<Abstract>{abstract}</Abstract><AuthorList><Author ValidYN=\"Y\"><LastName>Mathers"
        "</LastName><ForeName>Jonathan</ForeName><Initials>J</Initials></Author></AuthorList>"
        "<Language>eng</Language></Article><MedlineJournalInfo><MedlineTA>Milbank Q</MedlineTA>"
        "</MedlineJournalInfo><MeshHeadingList><MeshHeading><DescriptorName>Peer Group"
        "</DescriptorName></MeshHeading></MeshHeadingList></MedlineCitation><PubmedData>"
        f"<ArticleIdList>{ids}</ArticleIdList></PubmedData></PubmedArticle>")


def efetch_body(*articles: str) -> str:
    return DOCTYPE + "<PubmedArticleSet>\n" + "\n".join(articles) + "\n</PubmedArticleSet>\n"


def esearch_body(*pmids: str) -> str:
    ids = "".join(f"<Id>{p}</Id>\n" for p in pmids)
    return ('<?xml version="1.0" encoding="UTF-8" ?>\n<!DOCTYPE eSearchResult PUBLIC "-//NLM//DTD '
            'esearch 20060628//EN" "https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20060628/esearch.dtd">'
            f"\n<eSearchResult><Count>{len(pmids)}</Count><RetMax>{len(pmids)}</RetMax><RetStart>0"
            f"</RetStart><IdList>\n{ids}</IdList><TranslationSet/><QueryTranslation/>"
            "</eSearchResult>\n")


class Efetch:
    """An efetch endpoint that answers for whichever PMIDs it is asked about (GET or POST),
    recording each request's arrival time, method and parameters."""

    def __init__(self, known=None) -> None:
        self.known = known  # pmid → article XML; None: every PMID exists
        self.calls: list[tuple[float, str, dict]] = []
        self.lock = threading.Lock()

    def __call__(self, request: Request) -> Response:
        params = dict(request.values)
        with self.lock:
            self.calls.append((time.monotonic(), request.method, params))
        ids = params.get("id", "").split(",")
        found = [self.known[p] if self.known is not None else article(p) for p in ids
                 if self.known is None or p in self.known]
        return Response(efetch_body(*found), content_type="text/xml")


def run(runner, *args, input=None):
    return runner.invoke(main, list(args), input=input, catch_exceptions=False)


@pytest.fixture
def eutils(services):
    return services


# --- PMIDs ------------------------------------------------------------------------------------

def test_pmid_through_efetch_with_tool_email_and_key(runner, eutils, monkeypatch):
    monkeypatch.setenv("QUARTERLY_MAILTO", "me@example.org")
    monkeypatch.setenv("NCBI_API_KEY", "k3y")
    fetch = Efetch()
    eutils.expect_request(EFETCH).respond_with_handler(fetch)
    result = run(runner, "cite", "-f", "vancouver", "pmid:90000001")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == ("1. Mathers J. Peer support in primary care 90000001. Milbank Q. "
                             "2014 Dec;92(4):725–53. PubMed PMID: 90000001.\n")
    [(_, method, params)] = fetch.calls
    assert method == "GET"
    assert params == {"db": "pubmed", "retmode": "xml", "id": "90000001", "tool": "quarterly-cli",
                      "email": "me@example.org", "api_key": "k3y"}


def test_without_mailto_or_key_only_the_tool_is_named(runner, eutils):
    fetch = Efetch()
    eutils.expect_request(EFETCH).respond_with_handler(fetch)
    assert run(runner, "cite", "PMID: 90000001").exit_code == 0
    [(_, _, params)] = fetch.calls
    assert params["tool"] == "quarterly-cli" and "email" not in params and "api_key" not in params


def test_show_pmid_prints_pubmed_sections_and_says_where_from(runner, eutils):
    eutils.expect_request(EFETCH).respond_with_handler(Efetch())
    result = run(runner, "show", "https://pubmed.ncbi.nlm.nih.gov/90000001/")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (
        "Peer support in primary care 90000001\nJonathan Mathers\n"
        "The Milbank quarterly · December 2014 · 92(4) · 725–753\nJournal article\n"
        "https://pubmed.ncbi.nlm.nih.gov/90000001/\n\n"
        "Background\nPeers reach people.\n\nMethods\nWe interviewed 48 trainers.\n\n"
        "Findings\nRetention rose.\n\nConclusions\nFund them.\n\n"
        "Abstract: PubMed 90000001\n\nMeSH: Peer Group\n")
    as_json = json.loads(run(runner, "show", "--json", "--offline", "90000001").stdout)
    assert (as_json["abstract-source"], as_json["source"], as_json["PMID"]) == (
        "PubMed 90000001", "pubmed", "90000001")


def test_200_pmids_on_stdin_take_one_post(runner, eutils):
    fetch = Efetch()
    eutils.expect_request(EFETCH).respond_with_handler(fetch)
    pmids = [str(30000000 + n) for n in range(200)]
    result = run(runner, "cite", "-f", "ris", "-", input="\n".join(pmids) + "\n")
    assert (result.exit_code, result.stderr) == (0, "")
    assert re.findall(r"^AN  - (\d+)$", result.stdout, re.MULTILINE) == pmids
    assert len(fetch.calls) <= 2
    [(_, method, params)] = fetch.calls
    assert method == "POST" and params["id"].split(",") == pmids


def test_more_than_200_pmids_are_fetched_200_at_a_time(runner, eutils):
    fetch = Efetch()
    eutils.expect_request(EFETCH).respond_with_handler(fetch)
    pmids = [str(31000000 + n) for n in range(450)]
    result = run(runner, "cite", "-f", "ris", "-", input="\n".join(pmids))
    assert result.exit_code == 0
    assert sorted(len(p["id"].split(",")) for _, _, p in fetch.calls) == [50, 200, 200]


def _most_in_one_second(times: list[float]) -> int:
    times = sorted(times)
    return max(sum(1 for t in times[i:] if t - start < 1.0) for i, start in enumerate(times))


@pytest.mark.parametrize(("key", "count", "allowed"), [(None, 1000, 3), ("k3y", 2400, 10)])
def test_requests_per_second_across_threads(runner, threaded_server, monkeypatch, key, count,
                                            allowed):
    """Many efetch chunks run on several threads; the server never sees more than NCBI allows in
    any one second, and every request names the tool, the e-mail and the key as set."""
    base = threaded_server.url_for("").rstrip("/")
    monkeypatch.setenv("QUARTERLY_EUTILS_URL", base + "/eutils")
    monkeypatch.setenv("QUARTERLY_MAILTO", "me@example.org")
    if key:
        monkeypatch.setenv("NCBI_API_KEY", key)
    fetch = Efetch()
    threaded_server.expect_request(EFETCH).respond_with_handler(fetch)
    pmids = [str(32000000 + n) for n in range(count)]
    result = run(runner, "cite", "-f", "ris", "-", input="\n".join(pmids))
    assert result.exit_code == 0
    assert len(fetch.calls) == count // 200
    assert _most_in_one_second([t for t, _, _ in fetch.calls]) <= allowed
    for _, _, params in fetch.calls:
        assert params["tool"] == "quarterly-cli" and params["email"] == "me@example.org"
        assert params.get("api_key") == key


def test_unknown_pmids(runner, eutils):
    """NCBI answers a well-formed unknown PMID with an empty set, and a list with no valid PMID
    with a 400 <ERROR>; both are 'no such record'."""
    eutils.expect_ordered_request(EFETCH).respond_with_data(efetch_body(), content_type="text/xml")
    eutils.expect_ordered_request(EFETCH).respond_with_data(
        (DATA / "pubmed" / "efetch_no_valid_id.xml").read_bytes(), status=400,
        content_type="text/xml")
    for pmid in ("99999999", "00000001"):
        result = run(runner, "cite", f"pmid:{pmid}")
        assert (result.exit_code, result.stdout) == (1, "")
        assert result.stderr == (f"Error: pmid:{pmid}: no PubMed record with PMID "
                                 f"{pmid.lstrip('0')}. Check the number.\n")


@pytest.mark.parametrize(("status", "body", "message"), [
    (200, (DATA / "pubmed" / "efetch_backend_error.xml").read_bytes(),
     "PubMed answered with an error (proxy_stream(): Failed to connect to PubOne service). Try "
     "again later."),
    (400, b'{"error":"API key invalid","api-key":"k3y","type":"invalid","status":"unknown"}',
     "PubMed refused the request (API key invalid). Check NCBI_API_KEY, or unset it."),
    (200, b"<html><body><h1>Down for maintenance</h1>",
     "PubMed sent something that is not XML (a truncated answer or a maintenance page). Try "
     "again later."),
    (404, b"Not Found", "PubMed answered 404. Try again later."),
])
def test_unusable_answers_are_one_line_errors_and_not_stored(runner, eutils, status, body, message):
    eutils.expect_request(EFETCH).respond_with_data(body, status=status)
    result = run(runner, "cite", "pmid:90000001")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"Error: pmid:90000001: {message}\n"
    assert Store().find(Identifier("pmid", "90000001")) is None


def test_429_with_retry_after_then_200(runner, eutils):
    eutils.expect_ordered_request(EFETCH).respond_with_response(Response(
        '{"error":"API rate limit exceeded","count":"4"}', status=429, headers={"Retry-After": "1"}))
    eutils.expect_ordered_request(EFETCH).respond_with_handler(Efetch())
    started = time.monotonic()
    result = run(runner, "cite", "pmid:90000001")
    assert (result.exit_code, result.stderr) == (0, "")
    assert time.monotonic() - started >= 1.0  # Retry-After was honoured
    assert len(eutils.log) == 2


def test_5xx_retried(runner, eutils):
    eutils.expect_ordered_request(EFETCH).respond_with_data("busy", status=502)
    eutils.expect_ordered_request(EFETCH).respond_with_data("busy", status=503)
    eutils.expect_ordered_request(EFETCH).respond_with_handler(Efetch())
    assert run(runner, "cite", "pmid:90000001").exit_code == 0
    assert len(eutils.log) == 3


# --- DOIs and PMCIDs through esearch -----------------------------------------------------------

def test_pmcid_through_esearch(runner, eutils):
    eutils.expect_request(ESEARCH).respond_with_data(esearch_body("90000001"),
                                                     content_type="text/xml")
    eutils.expect_request(EFETCH).respond_with_handler(Efetch({"90000001": article(
        "90000001", doi="10.5555/pm.1", pmcid="PMC9000001")}))
    result = run(runner, "cite", "https://pmc.ncbi.nlm.nih.gov/articles/PMC9000001/")
    assert (result.exit_code, result.stderr) == (0, "")
    search = next(r for r, _ in eutils.log if r.path == ESEARCH)
    assert (search.args["term"], search.args["db"], search.args["tool"]) == (
        "PMC9000001[pmcid]", "pubmed", "quarterly-cli")
    assert Store().find(Identifier("pmcid", "pmc9000001")).record.PMID == "90000001"


def test_doi_unknown_to_crossref_resolves_through_pubmed(runner, eutils):
    doi = "10.5555/only.in.pubmed"
    eutils.expect_request(f"/works/{doi}").respond_with_data("Resource not found.", status=404)
    eutils.expect_request(ESEARCH).respond_with_data(esearch_body("90000002"),
                                                     content_type="text/xml")
    eutils.expect_request(EFETCH).respond_with_handler(
        Efetch({"90000002": article("90000002", doi=doi.upper())}))
    result = run(runner, "cite", "-f", "ris", doi)
    assert (result.exit_code, result.stderr) == (0, "")
    assert "AN  - 90000002\n" in result.stdout
    assert next(r for r, _ in eutils.log if r.path == ESEARCH).args["term"] == f'"{doi}"[doi]'
    stored = Store().get(doi)
    assert (stored.source, stored.record.PMID) == ("pubmed", "90000002")
    assert run(runner, "cite", "--offline", "pmid:90000002").exit_code == 0


def test_doi_pubmed_search_matched_by_doi_not_trusted_blindly(runner, eutils):
    """A search hit whose record carries another DOI is not the record asked for; two records
    with the same DOI are reported, not guessed between."""
    eutils.expect_request(ESEARCH).respond_with_data(esearch_body("1", "2"),
                                                     content_type="text/xml")
    eutils.expect_request(EFETCH).respond_with_handler(Efetch({
        "1": article("1", doi="10.5555/twice"), "2": article("2", doi="10.5555/TWICE")}))
    result = run(runner, "cite", "--source", "pubmed", "10.5555/other", "10.5555/twice")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: 10.5555/other: no PubMed record with this DOI. Check the DOI for typos.\n"
        "Error: 10.5555/twice: PubMed has 2 records with this DOI; give the PMID instead (1, 2).\n")
    assert not any(r.path.startswith("/works/") for r, _ in eutils.log)  # --source pubmed only


def test_many_dois_share_one_search(runner, eutils):
    dois = [f"10.5555/batch.{n}" for n in range(6)]
    eutils.expect_request(ESEARCH).respond_with_data(
        esearch_body(*(str(n + 1) for n in range(6))), content_type="text/xml")
    eutils.expect_request(EFETCH).respond_with_handler(
        Efetch({str(n + 1): article(str(n + 1), doi=d) for n, d in enumerate(dois)}))
    result = run(runner, "cite", "--source", "pubmed", "-f", "ris", *dois)
    assert result.exit_code == 0
    assert re.findall(r"^DO  - (.+)$", result.stdout, re.MULTILINE) == dois
    assert [r.path for r, _ in eutils.log] == [ESEARCH, EFETCH]
    term = eutils.log[0][0].args["term"]
    assert term == " OR ".join(f'"{d}"[doi]' for d in dois)


def test_esearch_error_and_empty(runner, eutils):
    eutils.expect_ordered_request(ESEARCH).respond_with_data(
        (DATA / "pubmed" / "esearch_error.xml").read_bytes(), content_type="text/xml")
    eutils.expect_ordered_request(ESEARCH).respond_with_data(ESEARCH_EMPTY,
                                                             content_type="text/xml")
    failed = run(runner, "cite", "--source", "pubmed", "PMC1")
    assert failed.stderr == ("Error: PMC1: PubMed could not run the search (Invalid query). Try "
                             "again later.\n")
    missing = run(runner, "cite", "--source", "pubmed", "PMC2")
    assert missing.stderr == ("Error: PMC2: no PubMed record with this PMCID. Check the PMCID "
                              "for typos.\n")


# --- Crossref first, PubMed for the abstract ---------------------------------------------------

STRUCTURED = "10.1111/1468-0009.99001"


def crossref_without_abstract(doi: str = STRUCTURED) -> dict:
    payload = crossref_payload("structured")
    del payload["message"]["abstract"]
    payload["message"]["DOI"] = doi
    return payload


def test_crossref_without_abstract_gets_pubmeds_labelled_sections(runner, eutils):
    eutils.expect_request(f"/works/{STRUCTURED}").respond_with_json(crossref_without_abstract())
    eutils.expect_request(ESEARCH).respond_with_data(esearch_body("25000001"),
                                                     content_type="text/xml")
    eutils.expect_request(EFETCH).respond_with_handler(Efetch({"25000001": article(
        "25000001", doi=STRUCTURED, pmcid="PMC4000001")}))
    result = run(runner, "show", STRUCTURED)
    assert (result.exit_code, result.stderr) == (0, "")
    out = result.stdout
    # The Crossref record's correction notice comes first, then the record.
    assert out.startswith("CORRECTED: Correction, 2020-01-15, https://doi.org/10.1111/"
                          "1468-0009.99009 (publisher via Crossref)\n\nCommunity Health Workers "
                          "in Rural Clinics: A Mixed-Methods Evaluation\n")
    assert ("\n\nBackground\nPeers reach people.\n\nMethods\nWe interviewed 48 trainers.\n\n"
            "Findings\nRetention rose.\n\nConclusions\nFund them.\n\n"
            "Abstract: PubMed 25000001\n") in out
    record = json.loads(run(runner, "show", "--json", "--offline", "pmid:25000001").stdout)
    assert (record["source"], record["DOI"], record["PMID"], record["PMCID"]) == (
        "crossref", STRUCTURED, "25000001", "PMC4000001")
    assert record["abstract-source"] == "PubMed 25000001"
    assert record["mesh"] == ["Peer Group"]
    assert len(eutils.log) == 3  # the second show came from the store


def test_unlabelled_crossref_abstract_gives_way_to_labelled_pubmed(runner, eutils):
    doi = "10.1016/j.jval.2019.99.002"
    eutils.expect_request(f"/works/{doi}").respond_with_json(crossref_payload("unstructured"))
    eutils.expect_request(ESEARCH).respond_with_data(esearch_body("1"), content_type="text/xml")
    eutils.expect_request(EFETCH).respond_with_handler(Efetch({"1": article("1", doi=doi)}))
    record = json.loads(run(runner, "show", "--json", doi).stdout)
    assert [s["label"] for s in record["abstract"]] == ["Background", "Methods", "Findings",
                                                        "Conclusions"]


def test_unlabelled_pubmed_abstract_leaves_crossrefs_and_adds_identifiers(runner, eutils):
    doi = "10.1016/j.jval.2019.99.002"
    eutils.expect_request(f"/works/{doi}").respond_with_json(crossref_payload("unstructured"))
    eutils.expect_request(ESEARCH).respond_with_data(esearch_body("1"), content_type="text/xml")
    eutils.expect_request(EFETCH).respond_with_handler(
        Efetch({"1": article("1", doi=doi, labelled=False)}))
    result = run(runner, "show", doi)
    assert "Screening for Helicobacter pylori in adults" in result.stdout
    assert "\nAbstract: Crossref\n" in result.stdout
    assert Store().find(Identifier("pmid", "1")).record.DOI == doi


def test_labelled_crossref_abstract_needs_no_pubmed(runner, eutils):
    eutils.expect_request(f"/works/{STRUCTURED}").respond_with_json(crossref_payload("structured"))
    result = run(runner, "show", STRUCTURED)
    assert result.exit_code == 0 and "\nAbstract: Crossref\n" in result.stdout
    assert [r.path for r, _ in eutils.log] == [f"/works/{STRUCTURED}"]


def test_source_crossref_asks_no_one_else_and_says_there_is_no_abstract(runner, eutils):
    eutils.expect_request(f"/works/{STRUCTURED}").respond_with_json(crossref_without_abstract())
    result = run(runner, "show", "--source", "crossref", STRUCTURED)
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.endswith(f"\nhttps://doi.org/{STRUCTURED}\n\nNo abstract.\n")
    assert [r.path for r, _ in eutils.log] == [f"/works/{STRUCTURED}"]


def test_record_without_any_abstract_shows_one_line(runner, eutils):
    payload = crossref_payload("article_number")
    payload["message"].pop("abstract", None)
    doi = payload["message"]["DOI"]
    eutils.expect_request(f"/works/{doi}").respond_with_json(payload)
    eutils.expect_request(ESEARCH).respond_with_data(ESEARCH_EMPTY, content_type="text/xml")
    result = run(runner, "show", doi)
    assert (result.exit_code, result.stderr) == (0, "")
    lines = result.stdout.splitlines()
    assert lines[-2:] == ["", "No abstract."]
    assert "Abstract\n" not in result.stdout


def test_pubmed_unreachable_for_the_abstract_warns_and_does_not_store(runner, crossref):
    # Crossref answers; E-utilities point at 127.0.0.1:9, where nothing listens (conftest).
    crossref.expect_request(f"/works/{STRUCTURED}").respond_with_json(crossref_without_abstract())
    result = run(runner, "cite", STRUCTURED)
    assert result.exit_code == 0
    assert result.stdout.startswith("Alvarez, M., Brennan, T., & Chen, L. (2019).")
    assert result.stderr == (
        f"Warning: doi:{STRUCTURED}: PubMed could not be asked for an abstract (Cannot reach "
        "PubMed at http://127.0.0.1:9. Check your connection, and QUARTERLY_EUTILS_URL if you "
        "set it.); not stored, so the next lookup asks again.\n"
        f"Warning: {STRUCTURED} — CORRECTED: Correction, 2020-01-15, "
        "https://doi.org/10.1111/1468-0009.99009 (publisher via Crossref)\n")
    assert Store().get(STRUCTURED) is None


# --- the store, offline, list and search -------------------------------------------------------

def test_pubmed_record_without_doi_in_list_search_offline_refresh(runner, eutils):
    fetch = Efetch({"993": article("993", title="Oleate incorporation")})
    eutils.expect_request(EFETCH).respond_with_handler(fetch)
    assert run(runner, "cite", "993").exit_code == 0
    listed = run(runner, "list")
    row = "pmid:993\tJonathan Mathers\t2014\tOleate incorporation 993\n"
    assert listed.stdout.splitlines(keepends=True)[1:] == [row]  # after the bundled article
    found = run(runner, "search", "oleate")
    assert found.stdout == row
    offline = run(runner, "cite", "--offline", "pmid:993")
    assert offline.exit_code == 0 and offline.stdout.startswith("Mathers, J. (2014).")
    assert len(fetch.calls) == 1
    assert run(runner, "cite", "--refresh", "993").exit_code == 0
    assert len(fetch.calls) == 2


def test_eight_processes_share_one_store(threaded_server, isolated_home):
    fetch = Efetch()
    threaded_server.expect_request(EFETCH).respond_with_handler(fetch)
    env = dict(os.environ, QUARTERLY_HOME=str(isolated_home),
               QUARTERLY_EUTILS_URL=threaded_server.url_for("").rstrip("/") + "/eutils")
    pmids = [f"3300000{n}" for n in range(8)]
    procs = [subprocess.Popen([sys.executable, "-m", "quarterly_cli", "cite", "-f", "ris", p],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for p in pmids]
    outputs = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0] * 8, [err for _, err in outputs]
    assert sorted(s.record.PMID for s in Store().all()) == pmids


# --- the bundled article answers to its PMID and PMCID -----------------------------------------

@pytest.mark.parametrize("reference", ["pmid:25492602", "25492602", "PMID: 25492602",
                                       "https://pubmed.ncbi.nlm.nih.gov/25492602/"])
def test_bundled_by_pmid_offline(runner, reference):
    result = run(runner, "show", reference, "--offline")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (GOLDEN / "bundled.show.txt").read_text("utf-8")


@pytest.mark.parametrize("reference", ["PMC4266174", "pmcid:PMC4266174",
                                       "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC4266174/",
                                       "https://pmc.ncbi.nlm.nih.gov/articles/PMC4266174/",
                                       "10.1111/1468-0009.12090."])
def test_bundled_by_pmcid_offline(runner, reference):
    result = run(runner, "cite", reference, "--offline")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == run(runner, "cite").stdout
