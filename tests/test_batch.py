"""Scripting contract: many references, stdin, per-item failures, --json, --strict, concurrency."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
import time

import pytest
from werkzeug import Response

from quarterly_cli.cli import main

from .conftest import DATA, crossref_payload, not_found_anywhere, work_payload

FILES = DATA / "files"
BUNDLED = "10.1111/1468-0009.12090"
STRUCTURED = "10.1111/1468-0009.99001"


def run(runner, *args, input=None):
    return runner.invoke(main, list(args), input=input, catch_exceptions=False)


def serve_structured(server):
    server.expect_request(f"/works/{STRUCTURED}").respond_with_json(
        crossref_payload("structured"))


# The structured payload carries a correction notice: `cite` names it once on stderr.
CORRECTED = (f"Warning: {STRUCTURED} — CORRECTED: Correction, 2020-01-15, "
             "https://doi.org/10.1111/1468-0009.99009 (publisher via Crossref)\n")


def test_mixed_references_in_input_order(runner, crossref):
    serve_structured(crossref)
    result = run(runner, "cite", "-f", "ris", str(FILES / "library.ris"), BUNDLED,
                 str(FILES / "library.bib"), STRUCTURED)
    assert result.exit_code == 0 and result.stderr == CORRECTED
    dois = [line[6:] for line in result.stdout.splitlines() if line.startswith("DO  - ")]
    assert dois == ["10.1176/appi.ps.201600000", "10.1371/journal.pone.0262000", BUNDLED,
                    "10.1177/1403494818000000", "10.1111/1468-0009.99002",
                    "10.2471/BLT.21.000000", STRUCTURED]


def test_stdin_references_with_comments_and_blank_lines(runner, crossref):
    serve_structured(crossref)
    stdin = f"# my reading list\n\n{BUNDLED}\n   \n# next one\nhttps://doi.org/{STRUCTURED}\n"
    result = run(runner, "cite", "-f", "ama", "-", input=stdin)
    assert result.exit_code == 0 and result.stderr == CORRECTED
    lines = result.stdout.splitlines()
    assert lines[0].startswith("1. Mathers J, Taylor R, Parry J.")
    assert lines[1].startswith("2. Alvarez M, Brennan T, Chen L.")


@pytest.mark.parametrize("name", ["library.bib", "library.ris"])
def test_stdin_whole_document(runner, name):
    result = run(runner, "cite", "-f", "csl-json", "-",
                 input=(FILES / name).read_text("utf-8"))
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == {"library.bib": 3, "library.ris": 2}[name]


MISSING = ("no record at Crossref, PubMed or doi.org. Check the DOI for typos.")


def test_batch_with_one_bad_doi(runner, services):
    serve_structured(services)
    not_found_anywhere(services, "10.5555/missing")
    result = run(runner, "cite", BUNDLED, "10.5555/missing", STRUCTURED)
    assert result.exit_code == 1
    assert result.stderr == f"{CORRECTED}Error: 10.5555/missing: {MISSING}\n"
    assert [line.split(",")[0] for line in result.stdout.splitlines()] == ["Alvarez", "Mathers"]


def test_bad_line_on_stdin_is_an_item_failure(runner):
    result = run(runner, "cite", "-", input=f"{BUNDLED}\nnot a doi\n")
    assert result.exit_code == 1
    assert result.stdout.startswith("Mathers, J.")
    assert result.stderr.startswith("Error: not a doi: Not a DOI, PMID, PMCID or file: 'not a doi'.")
    assert result.stderr.count("\n") == 1


def test_json_per_item_status(runner, services):
    not_found_anywhere(services, "10.5555/missing")
    result = run(runner, "cite", "--json", "-f", "ama", BUNDLED, "10.5555/missing")
    assert result.exit_code == 1
    items = json.loads(result.stdout)
    assert items == [
        {"reference": BUNDLED, "status": "ok", "citation": (
            "1. Mathers J, Taylor R, Parry J. The challenge of implementing peer-led interventions "
            "in a professionalized health service: A case study of the National Health Trainers "
            "Service in England. Milbank Q. 2014;92(4):725-753. doi:10.1111/1468-0009.12090\n")},
        {"reference": "10.5555/missing", "status": "error", "error": MISSING},
    ]


def test_strict_stops_at_first_failure(runner, crossref):
    crossref.expect_request("/works/10.5555/missing").respond_with_data("no", status=404)
    serve_structured(crossref)
    result = run(runner, "cite", "--strict", BUNDLED, "10.5555/missing", STRUCTURED)
    assert result.exit_code == 1
    assert result.stdout.startswith("Mathers, J.")
    assert "Alvarez" not in result.stdout
    assert result.stderr.count("\n") == 1


def test_usage_error_for_malformed_argument_prints_nothing(runner):
    result = run(runner, "cite", BUNDLED, "nonsense")
    assert result.exit_code == 2
    assert result.stdout == ""


def test_failed_conversion_leaves_no_partial_output(runner, tmp_path):
    good = json.loads((DATA / "conformance" / "records.json").read_text("utf-8"))
    path = tmp_path / "late-error.json"
    path.write_text(json.dumps(good + [{"title": "no type"}]), "utf-8")
    target = tmp_path / "out.ris"
    target.write_text("previous content", "utf-8")
    for args in (["cite", "-f", "ris", str(path)], ["cite", str(path), "-o", str(target)]):
        result = run(runner, *args)
        assert result.exit_code == 2
        assert result.stdout == ""
        assert "item 26 is not CSL-JSON" in result.stderr
    assert target.read_text("utf-8") == "previous content"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["late-error.json", "out.ris"]


class ConcurrencyProbe:
    """Counts requests in flight on the server side; every answer takes `latency` seconds."""

    def __init__(self, latency: float) -> None:
        self.latency = latency
        self.in_flight = 0
        self.peak = 0
        self.lock = threading.Lock()

    def __call__(self, request):
        with self.lock:
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
        time.sleep(self.latency)
        with self.lock:
            self.in_flight -= 1
        doi = request.path.removeprefix("/works/")
        return Response(json.dumps(work_payload(doi, f"Batch Study {doi}")),
                        content_type="application/json")


# Latency above concurrency / rate (1 / 5 and 5 / 10 per second): the rate never hides the bound.
@pytest.mark.parametrize(("mailto", "allowed", "latency"), [(None, 1, 0.3),
                                                           ("me@example.org", 5, 0.6)])
def test_concurrent_lookups_bounded_by_pool(runner, threaded_server, monkeypatch, mailto, allowed,
                                            latency):
    count = 10
    probe = ConcurrencyProbe(latency)
    threaded_server.expect_request(re.compile("^/works/")).respond_with_handler(probe)
    monkeypatch.setenv("QUARTERLY_CROSSREF_URL", threaded_server.url_for("").rstrip("/"))
    if mailto:
        monkeypatch.setenv("QUARTERLY_MAILTO", mailto)
    dois = [f"10.5555/batch.{n}" for n in range(count)]
    started = time.monotonic()
    result = run(runner, "cite", "-f", "ris", *dois)
    elapsed = time.monotonic() - started
    assert result.exit_code == 0, result.stderr
    assert [line[6:] for line in result.stdout.splitlines() if line.startswith("DO  - ")] == dois
    assert probe.peak == allowed  # never more than the pool allows, and the pool is used
    expected = count / allowed * latency
    assert elapsed >= expected * 0.95  # cannot beat (count / concurrency) x latency
    assert elapsed < expected + count * latency * 0.5  # and is far from serial when parallel


def test_progress_flag_writes_only_to_stderr(runner, crossref):
    serve_structured(crossref)
    result = run(runner, "cite", "--progress", STRUCTURED)
    assert result.exit_code == 0
    assert result.stdout.startswith("Alvarez")


def test_start_up_paths_do_not_import_heavy_modules(tmp_path):
    """--help, cite of the bundled and of a stored record (Crossref's, and PubMed's by PMID and
    PMCID), and conversions: no Rich, requests or citeproc in sys.modules — nor any source."""
    from quarterly_cli.sources.crossref import record_from_work
    from quarterly_cli.sources.pubmed import parse_efetch
    from quarterly_cli.store import Store

    home = tmp_path / "home"
    store = Store(home / "quarterly.sqlite3")
    store.put(record_from_work(crossref_payload("structured")["message"]))
    pubmed = dict(parse_efetch((DATA / "pubmed" / "cases.xml").read_bytes()))["90000003"]
    store.put(pubmed)  # no DOI: found by its PMID and PMCID only
    store.close()
    code = (
        "import sys\n"
        "from quarterly_cli.cli import main\n"
        "try:\n    main(sys.argv[1:])\n"
        "except SystemExit:\n    pass\n"
        "heavy = [m for m in ('rich', 'requests', 'citeproc', 'urllib3', 'lxml', 'defusedxml', "
        "'quarterly_cli.sources.crossref', 'quarterly_cli.sources.pubmed', "
        "'quarterly_cli.sources.http') if m in sys.modules]\n"
        "sys.stderr.write('HEAVY=' + ','.join(heavy))\n"
    )
    cases = [["--help"], ["cite"], ["cite", "-f", "bibtex"], ["cite", STRUCTURED],
             ["cite", "-f", "ris", STRUCTURED],
             ["cite", "-f", "bibtex", str(FILES / "library.ris")],
             ["cite", "-f", "apa", str(DATA / "conformance" / "records.json")],
             ["show", "--section", "methods"], ["cite", "pmid:90000003"],
             ["cite", "-f", "vancouver", "PMC9000003"], ["show", "--help"]]
    for args in cases:
        out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                             env={"QUARTERLY_HOME": str(home), "PATH": "/usr/bin:/bin"})
        assert out.stderr.endswith("HEAVY="), (args, out.stderr[-300:])
        assert out.stdout, args


def test_rate_limit_headers_tighten_the_pool(runner, threaded_server, monkeypatch):
    """Crossref announces x-concurrency-limit: 2 and 20 requests per second: once the first
    answer arrives, no more than 2 requests are in flight and starts are 50 ms apart."""
    starts: list[tuple[float, int]] = []
    first_answer = []
    lock = threading.Lock()
    state = {"in_flight": 0}

    def handler(request):
        with lock:
            state["in_flight"] += 1
            starts.append((time.monotonic(), state["in_flight"]))
        time.sleep(0.2)
        with lock:
            state["in_flight"] -= 1
            first_answer.append(time.monotonic())
        doi = request.path.removeprefix("/works/")
        return Response(json.dumps(work_payload(doi)), content_type="application/json",
                        headers={"x-concurrency-limit": "2", "x-rate-limit-limit": "20",
                                 "x-rate-limit-interval": "1s"})

    threaded_server.expect_request(re.compile("^/works/")).respond_with_handler(handler)
    monkeypatch.setenv("QUARTERLY_CROSSREF_URL", threaded_server.url_for("").rstrip("/"))
    monkeypatch.setenv("QUARTERLY_MAILTO", "me@example.org")
    dois = [f"10.5555/gate.{n}" for n in range(12)]
    result = run(runner, "cite", "-f", "ris", *dois)
    assert result.exit_code == 0
    later = [(t, n) for t, n in starts if t > min(first_answer) + 0.25]
    assert later, "some requests must start after the limits were announced"
    assert max(n for _, n in later) <= 2
    gaps = [b[0] - a[0] for a, b in zip(later, later[1:], strict=False)]
    assert min(gaps) >= 0.02  # paced (50 ms apart): without the gate two starts would coincide


def test_empty_stdin_is_a_usage_error(runner):
    result = run(runner, "cite", "-", input="# only a comment\n\n")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("Error: Standard input held no references")


@pytest.mark.parametrize(("name", "value", "message"), [
    ("QUARTERLY_READ_TIMEOUT", "soon", "QUARTERLY_READ_TIMEOUT='soon' is not a number of seconds"),
    ("QUARTERLY_CONNECT_TIMEOUT", "-3", "QUARTERLY_CONNECT_TIMEOUT='-3' is not a number of seconds"),
])
def test_bad_settings_are_reported(runner, monkeypatch, name, value, message):
    monkeypatch.setenv(name, value)
    result = run(runner, "cite", "10.5555/any")
    assert result.exit_code == 1
    assert message in result.stderr and result.stderr.count("\n") == 1


def test_offline_and_refresh_contradict(runner):
    result = run(runner, "cite", "--offline", "--refresh", BUNDLED)
    assert result.exit_code == 2
    assert result.stderr == "Error: --offline and --refresh contradict each other: choose one.\n"
