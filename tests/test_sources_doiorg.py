"""doi.org content negotiation: the last source for DOIs Crossref does not know, against a local
server that answers with DataCite-shaped CSL-JSON (after a redirect, as doi.org does)."""

from __future__ import annotations

import json

import pytest
from werkzeug import Response

from quarterly_cli import markup
from quarterly_cli.cli import main
from quarterly_cli.errors import SourceError
from quarterly_cli.sources.doiorg import ACCEPT, record_from_csl
from quarterly_cli.store import Store

from .conftest import DATA, ESEARCH_EMPTY

ZENODO = "10.5281/zenodo.9990001"
ARXIV = "10.48550/arXiv.2401.99999"


def payload(name: str) -> dict:
    return json.loads((DATA / "doiorg" / f"{name}.json").read_text("utf-8"))


def run(runner, *args):
    return runner.invoke(main, list(args), catch_exceptions=False)


def unknown_elsewhere(server, doi: str) -> None:
    server.expect_request(f"/works/{doi}").respond_with_data("Resource not found.", status=404)
    server.expect_request("/eutils/esearch.fcgi").respond_with_data(ESEARCH_EMPTY,
                                                                    content_type="text/xml")


def test_datacite_doi_through_content_negotiation(runner, services):
    unknown_elsewhere(services, ZENODO)
    # doi.org redirects to the registration agency, which answers with CSL-JSON.
    services.expect_request(f"/doi/{ZENODO}").respond_with_response(Response(
        status=302, headers={"Location": services.url_for(f"/datacite/{ZENODO}")}))
    services.expect_request(f"/datacite/{ZENODO}").respond_with_json(
        payload("zenodo"), content_type="application/vnd.citationstyles.csl+json")
    result = run(runner, "show", "--json", ZENODO)
    assert (result.exit_code, result.stderr) == (0, "")
    record = json.loads(result.stdout)
    assert (record["type"], record["source"], record["DOI"], record["publisher"]) == (
        "dataset", "doi.org", "10.5281/ZENODO.9990001", "Zenodo")
    assert record["author"] == [{"family": "Mathers", "given": "Jonathan"},
                                {"literal": "Health Trainers Evaluation Group"}]
    assert record["issued"] == {"date-parts": [[2019, 5, 1]]}
    assert record["abstract-source"] == "doi.org"
    asked = next(r for r, _ in services.log if r.path == f"/doi/{ZENODO}")
    assert asked.headers["Accept"] == ACCEPT
    assert [r.path for r, _ in services.log] == [
        f"/works/{ZENODO}", "/eutils/esearch.fcgi", f"/doi/{ZENODO}", f"/datacite/{ZENODO}"]
    assert Store().get(ZENODO).source == "doi.org"


def test_hostile_csl_from_an_agency_is_plain_text(runner, services):
    services.expect_request(f"/doi/{ARXIV}").respond_with_json(payload("arxiv"))
    result = run(runner, "show", "--source", "doi.org", ARXIV)
    assert (result.exit_code, result.stderr) == (0, "")
    assert "\x1b" not in result.stdout
    # The escape sequences go whole; Rich-style brackets and CSL tags stay what they are.
    assert result.stdout.startswith("A network model of peer support [bold]in[/bold] primary "
                                    "care\nLi Chen, Maria Alvarez\n")
    assert "\nBackground\nPeer workers reach people clinics miss.\n\nMethods\nA network model.\n" \
        in result.stdout
    record = json.loads(run(runner, "show", "--json", "--offline", ARXIV).stdout)
    assert (record["ISSN"], record["keyword"]) == (["2331-8422"], ["peer support", "networks"])
    assert record["custom"]["copyright"] == "arXiv.org perpetual, non-exclusive license"


@pytest.mark.parametrize(("status", "body", "message"), [
    (404, "DOI Not Found", "no such DOI at doi.org (404). Check the DOI for typos."),
    (406, "", "the DOI's registration agency has no citation data for it (406)."),
    (200, "<html><body>Landing page</body></html>",
     "doi.org sent something that is not CSL-JSON (a landing page or a truncated answer). Try "
     "again later."),
    (500, "oops", "doi.org answered 500. Try again later."),
    (200, '{"type": "dataset", "DOI": "10.5281/zenodo.9990001", "title": "Bad \\ud800 half"}',
     "doi.org's answer holds the escape \\ud800, half of a UTF-16 surrogate pair without its "
     "other half, which is no character. Try --source crossref, or report the record to its "
     "registration agency."),
])
def test_unusable_answers(runner, services, status, body, message):
    services.expect_request(f"/doi/{ZENODO}").respond_with_data(body, status=status)
    result = run(runner, "cite", "--source", "doi.org", ZENODO)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"Error: {ZENODO}: {message}\n"
    assert Store().get(ZENODO) is None


def test_every_source_says_not_found(runner, services):
    unknown_elsewhere(services, ZENODO)
    services.expect_request(f"/doi/{ZENODO}").respond_with_data("DOI Not Found", status=404)
    result = run(runner, "cite", ZENODO)
    assert result.stderr == (f"Error: {ZENODO}: no record at Crossref, PubMed or doi.org. Check "
                             "the DOI for typos.\n")


def test_doi_in_the_path_is_percent_encoded(runner, services):
    doi = "10.1002/(SICI)1097-0258(19980815/30)17:15/16<1641::AID-SIM812>3.0.CO;2-#"
    services.expect_request(
        "/doi/10.1002/(SICI)1097-0258(19980815/30)17:15/16<1641::AID-SIM812>3.0.CO;2-#"
    ).respond_with_json({**payload("zenodo"), "DOI": doi})
    result = run(runner, "cite", "--source", "doi.org", "-f", "ris", doi)
    assert result.exit_code == 0 and f"DO  - {doi}\n" in result.stdout
    assert services.log[0][0].url.endswith("3.0.CO;2-%23")  # the `#` did not end the path


def test_pure_mapping_checks_what_came_back():
    record = record_from_csl(payload("zenodo"), ZENODO)
    assert (record.title, record.subject) == (
        "Health trainer interviews (anonymised transcripts)", ("Health policy", "Peer support"))
    assert record.abstract[0].paragraphs == (
        "Interview transcripts from 48 health trainers in England, 2015-2018.",)
    with pytest.raises(SourceError, match="another DOI"):
        record_from_csl(payload("zenodo"), "10.5281/zenodo.1")
    with pytest.raises(SourceError, match="no title"):
        record_from_csl({**payload("zenodo"), "title": ""}, ZENODO)
    with pytest.raises(SourceError, match="not a CSL-JSON item"):
        record_from_csl(["a list"], ZENODO)
    with pytest.raises(SourceError, match="cannot be read"):
        record_from_csl({**payload("zenodo"), "author": "not a list"}, ZENODO)
    untyped = record_from_csl({"title": "T", "DOI": ZENODO}, ZENODO)
    assert untyped.type == "document" and markup.plain(untyped.title) == "T"
