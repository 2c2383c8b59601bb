"""Shared fixtures: an isolated store folder, a CLI runner, Crossref-shaped payloads."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import settings

HERE = Path(__file__).parent
DATA = HERE / "data"
GOLDEN = HERE / "golden"

# Property tests run the same examples on every run (a fixed budget, no example database), so CI
# is repeatable; `--hypothesis-seed` or a local profile explores further.
settings.register_profile("quarterly", derandomize=True, database=None, deadline=None)
settings.register_profile("explore", max_examples=2000, database=None, deadline=None)
settings.load_profile(os.environ.get("QUARTERLY_HYPOTHESIS", "quarterly"))

# Small backoff so retry tests run quickly; read before the shared session is built.
os.environ["QUARTERLY_BACKOFF"] = "0.05"
os.environ.pop("QUARTERLY_MAILTO", None)
os.environ.pop("NCBI_API_KEY", None)
os.environ.pop("NO_COLOR", None)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    """Every test gets its own store folder and no network settings from the developer's shell."""
    home = tmp_path / "home"
    monkeypatch.setenv("QUARTERLY_HOME", str(home))
    monkeypatch.delenv("QUARTERLY_MAILTO", raising=False)
    monkeypatch.delenv("NCBI_API_KEY", raising=False)
    for name in ("QUARTERLY_CROSSREF_URL", "QUARTERLY_EUTILS_URL", "QUARTERLY_DOI_URL"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.setenv("QUARTERLY_READ_TIMEOUT", "2")
    monkeypatch.setenv("QUARTERLY_CONNECT_TIMEOUT", "2")
    return home


@pytest.fixture
def runner():
    return CliRunner()


def crossref_payload(name: str) -> dict:
    return json.loads((DATA / "crossref" / f"{name}.json").read_text("utf-8"))


@pytest.fixture
def crossref(httpserver, monkeypatch):
    """A real HTTP server on 127.0.0.1 standing in for api.crossref.org."""
    monkeypatch.setenv("QUARTERLY_CROSSREF_URL", httpserver.url_for("").rstrip("/"))
    return httpserver


@pytest.fixture
def services(httpserver, monkeypatch):
    """One HTTP server on 127.0.0.1 standing in for Crossref (/works/…), NCBI E-utilities
    (/eutils/…) and doi.org (/doi/…)."""
    base = httpserver.url_for("").rstrip("/")
    monkeypatch.setenv("QUARTERLY_CROSSREF_URL", base)
    monkeypatch.setenv("QUARTERLY_EUTILS_URL", base + "/eutils")
    monkeypatch.setenv("QUARTERLY_DOI_URL", base + "/doi")
    return httpserver


def not_found_anywhere(server, doi: str) -> None:
    """What each source answers for a DOI it does not know: Crossref's 404, an empty esearch,
    doi.org's 404 (the `services` server)."""
    server.expect_request(f"/works/{doi}").respond_with_data("Resource not found.", status=404)
    server.expect_request("/eutils/esearch.fcgi").respond_with_data(
        ESEARCH_EMPTY, content_type="text/xml")
    server.expect_request(f"/doi/{doi}").respond_with_data("DOI Not Found", status=404)


ESEARCH_EMPTY = (
    '<?xml version="1.0" encoding="UTF-8" ?>\n<!DOCTYPE eSearchResult PUBLIC "-//NLM//DTD esearch '
    '20060628//EN" "https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20060628/esearch.dtd">\n'
    "<eSearchResult><Count>0</Count><RetMax>0</RetMax><RetStart>0</RetStart><IdList/>"
    "<TranslationSet/><QueryTranslation/><ErrorList><PhraseNotFound>missing</PhraseNotFound>"
    "</ErrorList><WarningList><OutputMessage>No items found.</OutputMessage></WarningList>"
    "</eSearchResult>\n")


@pytest.fixture
def threaded_server():
    """A threaded HTTP server on 127.0.0.1, for tests that send requests at once."""
    from pytest_httpserver import HTTPServer

    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


def work_payload(doi: str, title: str = "Community Health Workers in Rural Clinics") -> dict:
    """The structured Crossref payload with another DOI and title."""
    payload = crossref_payload("structured")
    payload["message"]["DOI"] = doi
    payload["message"]["title"] = [title]
    return payload
