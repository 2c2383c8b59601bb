"""Shared fixtures: an isolated store folder, a CLI runner, Crossref-shaped payloads."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

HERE = Path(__file__).parent
DATA = HERE / "data"
GOLDEN = HERE / "golden"

# Small backoff so retry tests run quickly; read before the shared session is built.
os.environ["QUARTERLY_BACKOFF"] = "0.05"
os.environ.pop("QUARTERLY_MAILTO", None)
os.environ.pop("NO_COLOR", None)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    """Every test gets its own store folder and no network settings from the developer's shell."""
    home = tmp_path / "home"
    monkeypatch.setenv("QUARTERLY_HOME", str(home))
    monkeypatch.delenv("QUARTERLY_MAILTO", raising=False)
    monkeypatch.setenv("QUARTERLY_CROSSREF_URL", "http://127.0.0.1:9")  # nothing listens there
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
