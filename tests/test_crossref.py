"""Crossref: the pure mapping on documented payload shapes, and the network behaviour against a
real HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
import time

import pytest
from werkzeug import Response

from quarterly_cli.cli import main
from quarterly_cli.sources.crossref import record_from_work
from quarterly_cli.store import Store

from .conftest import crossref_payload

STRUCTURED = "10.1111/1468-0009.99001"
PATH = f"/works/{STRUCTURED}"


def message(name: str) -> dict:
    return crossref_payload(name)["message"]


# --- mapping -------------------------------------------------------------------------------

def test_structured_abstract_becomes_sections_and_policy_points():
    r = record_from_work(message("structured"))
    assert r.title == "Community Health Workers in Rural Clinics: A Mixed-Methods Evaluation"
    assert r.type == "article-journal"
    assert r.policy_points == (
        "Community health workers extend primary care into <i>rural</i> districts.",
        "Stable funding matters more than training length.",
    )
    assert [s.label for s in r.abstract] == ["Context", "Methods", "Findings", "Conclusions"]
    assert r.abstract[1].paragraphs == ("We interviewed 48 workers in 12 clinics.",
                                        "Survey data covered 2015–2018.")
    assert r.abstract[2].paragraphs == ("Retention rose where pay was regular (<i>P</i> < .05).",)
    assert r.issued.parts == (2019, 6)  # print before online (issue 8)
    assert r.date("available-date").parts == (2019, 5, 1)
    assert (r.volume, r.issue, r.page, r.number) == ("97", "2", "410-437", None)
    assert r.ISSN == ("0887-378X", "1468-0009")
    assert r.author[0].orcid == "http://orcid.org/0000-0002-1825-0097"
    assert r.author[0].affiliation == ("Department of Health Policy University of Somewhere",)
    assert r.subject == ("Health Policy", "Public Health, Environmental and Occupational Health")
    assert r.license == ("http://onlinelibrary.wiley.com/termsAndConditions#vor",)
    assert r.publisher == "Wiley"
    (update,) = r.updates
    assert (update.type, update.DOI, update.direction, update.date.parts if update.date else ()) == (
        "correction", "10.1111/1468-0009.99009", "updated-by", (2020, 1, 15))


def test_unstructured_abstract_html_title_and_subtitle():
    r = record_from_work(message("unstructured"))
    assert r.title == "Cost-Effectiveness of <i>Helicobacter pylori</i> Screening: A Modelling Study"
    (section,) = r.abstract
    assert section.label is None
    assert section.paragraphs == (
        "Screening for <i>Helicobacter pylori</i> in adults aged 40–69 years was cost-effective "
        "at a threshold of £20 000 per QALY. H<sub>2</sub>O and CO<sup>2</sup> were not involved.",)
    assert r.container_title_short == "Value in Health"


def test_article_number_and_organisation_author():
    r = record_from_work(message("article_number"))
    assert (r.page, r.number) == (None, "e9990001")
    assert r.author[1].literal == "The Telehealth Evaluation Consortium"
    assert r.title == "Telehealth After the Pandemic & Beyond"
    assert r.license == ("http://creativecommons.org/licenses/by/4.0/",)


def test_hostile_title_loses_escapes_keeps_text():
    r = record_from_work(message("hostile"))
    assert "\x1b" not in r.title and "\x07" not in r.title
    assert r.title.startswith("[bold red]Owned[/bold red] ")
    assert "alert(1)" in r.title and "<script>" not in r.title
    assert r.container_title == "Journal of Red Text"


# --- network -------------------------------------------------------------------------------

def serve(server, name="structured", path=PATH, **kwargs):
    server.expect_request(path).respond_with_json(crossref_payload(name), **kwargs)


def cite(runner, *args):
    return runner.invoke(main, ["cite", *args], catch_exceptions=False)


EXPECTED_APA = (
    "Alvarez, M., Brennan, T., & Chen, L. (2019). Community health workers in rural clinics: A "
    "mixed-methods evaluation. The Milbank Quarterly, 97(2), 410–437. "
    "https://doi.org/10.1111/1468-0009.99001\n")
# The payload carries a correction notice: `cite` names it once on stderr.
CORRECTED = (f"Warning: {STRUCTURED} — CORRECTED: Correction, 2020-01-15, "
             "https://doi.org/10.1111/1468-0009.99009 (publisher via Crossref)\n")


def test_fetch_then_served_from_store_without_requests(runner, crossref):
    serve(crossref)
    first = cite(runner, STRUCTURED)
    assert (first.exit_code, first.stdout, first.stderr) == (0, EXPECTED_APA, CORRECTED)
    assert len(crossref.log) == 1
    second = cite(runner, f"https://doi.org/{STRUCTURED.upper()}")
    assert (second.exit_code, second.stdout) == (0, EXPECTED_APA)
    assert len(crossref.log) == 1  # served from the store: zero new requests
    offline = cite(runner, "--offline", STRUCTURED)
    assert (offline.exit_code, offline.stdout) == (0, EXPECTED_APA)
    assert len(crossref.log) == 1


def test_refresh_fetches_again(runner, crossref):
    serve(crossref)
    cite(runner, STRUCTURED)
    result = cite(runner, "--refresh", STRUCTURED)
    assert result.exit_code == 0
    assert len(crossref.log) == 2


def test_offline_without_record_says_so(runner, crossref):
    result = cite(runner, "--offline", STRUCTURED)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {STRUCTURED}: not in the local store, and --offline forbids the network. "
        "Run once without --offline to fetch it.\n")
    assert crossref.log == []


def test_429_with_retry_after_then_200(runner, crossref):
    crossref.expect_ordered_request(PATH).respond_with_response(
        Response("Too Many Requests", status=429, headers={"Retry-After": "1"}))
    serve_ordered = crossref.expect_ordered_request(PATH)
    serve_ordered.respond_with_json(crossref_payload("structured"))
    started = time.monotonic()
    result = cite(runner, STRUCTURED)
    assert (result.exit_code, result.stdout) == (0, EXPECTED_APA)
    assert time.monotonic() - started >= 1.0  # Retry-After was honoured
    assert len(crossref.log) == 2


def test_503_twice_then_200(runner, crossref):
    for _ in range(2):
        crossref.expect_ordered_request(PATH).respond_with_data("down", status=503)
    crossref.expect_ordered_request(PATH).respond_with_json(crossref_payload("structured"))
    result = cite(runner, STRUCTURED)
    assert (result.exit_code, result.stdout) == (0, EXPECTED_APA)
    assert len(crossref.log) == 3


def test_persistent_503_gives_up_cleanly(runner, crossref, monkeypatch):
    crossref.expect_request(PATH).respond_with_data("down", status=503)
    result = cite(runner, STRUCTURED)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {STRUCTURED}: Crossref answered 503. Try again later.\n")
    assert Store().get(STRUCTURED) is None


def test_404(runner, crossref):
    crossref.expect_request("/works/10.1111/nope").respond_with_data(
        "Resource not found.", status=404, content_type="text/plain")
    result = cite(runner, "--source", "crossref", "10.1111/nope")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "Error: 10.1111/nope: no such DOI at Crossref (404). Check the DOI for typos.\n")


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ('{"status": "ok", "message-type": "work", "message": {"DOI": "10.1', "application/json"),
        ("<html><body><h1>Down for maintenance</h1></body></html>", "text/html"),
        ("", "application/json"),
        ('{"status": "ok", "message-type": "work-list", "message": {"items": []}}',
         "application/json"),
        ('{"status": "ok", "message-type": "work", "message": {"DOI": "10.1111/1468-0009.99001",'
         ' "type": "journal-article", "title": ["A half \\udc00 pair"]}}', "application/json"),
    ],
    ids=["truncated", "html", "empty", "wrong-type", "lone-surrogate"],
)
def test_unusable_body_is_an_error_and_not_stored(runner, crossref, body, content_type):
    crossref.expect_request(PATH).respond_with_data(body, status=200, content_type=content_type)
    result = cite(runner, STRUCTURED)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"Error: {STRUCTURED}: Crossref")
    assert result.stderr.count("\n") == 1
    assert Store().get(STRUCTURED) is None


def test_oversized_body_refused(runner, crossref):
    from quarterly_cli.sources import http

    crossref.expect_request(PATH).respond_with_data(b"x" * (http.MAX_BODY_BYTES + 10))
    result = cite(runner, STRUCTURED)
    assert result.exit_code == 1
    assert "refusing it" in result.stderr


def test_timeout(runner, crossref, monkeypatch):
    monkeypatch.setenv("QUARTERLY_READ_TIMEOUT", "0.3")

    def slow(request):
        time.sleep(0.8)
        return Response(json.dumps(crossref_payload("structured")), content_type="application/json")

    crossref.expect_request(PATH).respond_with_handler(slow)
    result = cite(runner, STRUCTURED)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {STRUCTURED}: Crossref did not answer in time. Try again later, or raise "
        "QUARTERLY_READ_TIMEOUT.\n")
    assert Store().get(STRUCTURED) is None
    deadline = time.monotonic() + 5  # let the server finish the slow answers before teardown
    while len(crossref.log) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(crossref.log) == 2  # one retry after a read timeout, then give up


def test_connection_refused_without_and_with_stored_record(runner):
    # QUARTERLY_CROSSREF_URL points at 127.0.0.1:9, where nothing listens (conftest).
    result = cite(runner, STRUCTURED)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {STRUCTURED}: Cannot reach Crossref at http://127.0.0.1:9. Check your "
        "connection, and QUARTERLY_CROSSREF_URL if you set it.\n")
    Store().put(record_from_work(message("structured")))
    result = cite(runner, STRUCTURED)
    assert (result.exit_code, result.stdout, result.stderr) == (0, EXPECTED_APA, CORRECTED)


def test_mailto_in_query_and_user_agent(runner, crossref, monkeypatch):
    from quarterly_cli import __version__

    monkeypatch.setenv("QUARTERLY_MAILTO", "researcher@example.org")
    serve(crossref)
    assert cite(runner, STRUCTURED).exit_code == 0
    (request, _), = crossref.log
    assert request.args["mailto"] == "researcher@example.org"
    assert request.headers["User-Agent"] == (
        f"quarterly-cli/{__version__} (+https://github.com/quarterly-cli/quarterly; "
        "mailto:researcher@example.org)")


def test_no_mailto_no_query(runner, crossref):
    serve(crossref)
    cite(runner, STRUCTURED)
    (request, _), = crossref.log
    assert "mailto" not in request.args
    assert "mailto" not in request.headers["User-Agent"]


def test_hostile_title_in_show_and_cite(runner, crossref):
    serve(crossref, "hostile", "/works/10.5555/hostile.1")
    shown = runner.invoke(main, ["show", "10.5555/hostile.1"])
    assert shown.exit_code == 0
    assert "\x1b" not in shown.stdout and "\x07" not in shown.stdout
    assert "[bold red]Owned[/bold red]" in shown.stdout
    assert "[link=http://evil.example]Mallory[/link]" in shown.stdout  # literal author name
    colored = runner.invoke(main, ["show", "--color", "10.5555/hostile.1"])
    assert "[bold red]Owned[/bold red]" in colored.stdout  # literal, not interpreted by Rich
    assert "\x1b]8;;http://evil" not in colored.stdout and "\x1b[2J" not in colored.stdout
    ris = cite(runner, "-f", "ris", "10.5555/hostile.1").stdout
    assert "\x1b" not in ris


def test_show_structured_like_the_bundled_article(runner, crossref):
    serve(crossref)
    result = runner.invoke(main, ["show", STRUCTURED])
    assert result.exit_code == 0
    out = result.stdout
    assert "Policy Points\n  • Community health workers extend primary care into rural districts." in out
    for label in ("Context", "Methods", "Findings", "Conclusions"):
        assert f"\n{label}\n" in out
    assert "\nMethods\nWe interviewed 48 workers in 12 clinics.\n\nSurvey data covered 2015–2018.\n" in out
    methods = runner.invoke(main, ["show", "--section", "methods", STRUCTURED])
    assert methods.stdout == "We interviewed 48 workers in 12 clinics.\nSurvey data covered 2015–2018.\n"


@pytest.mark.parametrize("fmt", ["bibtex", "ris", "ama"])
def test_cite_fetched_record_in_other_formats(runner, crossref, fmt):
    serve(crossref)
    result = cite(runner, "-f", fmt, STRUCTURED)
    assert result.exit_code == 0
    assert {"bibtex": "@article{alvarez2019community,", "ris": "TY  - JOUR",
            "ama": "1. Alvarez M, Brennan T, Chen L."}[fmt] in result.stdout


def test_jats_entities_are_never_expanded():
    from quarterly_cli.sources.jats import parse_abstract

    bomb = ('<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
            "<jats:p>Safe &lol2; text</jats:p>")
    sections, points = parse_abstract(bomb)
    text = " ".join(p for s in sections for p in s.paragraphs)
    assert "lollol" not in text
    assert points == ()


def test_jats_with_html_entities_falls_back_to_text():
    from quarterly_cli.sources.jats import parse_abstract

    sections, _ = parse_abstract("<jats:p>Costs&nbsp;rose &mdash; a lot.</jats:p>")
    assert sections[0].paragraphs == ("Costs rose — a lot.",)  # entities decoded, space folded
