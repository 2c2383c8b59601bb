"""No traceback, and a bounded wait, whatever the network or the settings do: settings out of
range, host names that do not resolve, a Retry-After of an hour, retries that would go on for
minutes, impossible dates in Crossref's answers. Every probe asserts the exit code, exactly one
stderr line per failure and no partial stdout."""

from __future__ import annotations

import json
import socket

import pytest
from werkzeug import Response

from quarterly_cli.cli import main
from quarterly_cli.sources import http
from quarterly_cli.sources.crossref import record_from_work
from quarterly_cli.store import Store

from .conftest import crossref_payload, work_payload

STRUCTURED = "10.1111/1468-0009.99001"


def run(runner, *args):
    return runner.invoke(main, list(args), catch_exceptions=False)


@pytest.mark.parametrize(("name", "value", "what"), [
    ("QUARTERLY_RETRIES", "inf", "a whole number from 0 to 10"),
    ("QUARTERLY_RETRIES", "2.5", "a whole number from 0 to 10"),
    ("QUARTERLY_READ_TIMEOUT", "nan", "a number of seconds above 0, at most 600"),
    ("QUARTERLY_READ_TIMEOUT", "inf", "a number of seconds above 0, at most 600"),
    ("QUARTERLY_CONNECT_TIMEOUT", "1e308", "a number of seconds above 0, at most 600"),
    ("QUARTERLY_CONNECT_TIMEOUT", "0", "a number of seconds above 0, at most 600"),
    ("QUARTERLY_BACKOFF", "-1", "a number of seconds from 0 to 60"),
])
def test_a_setting_out_of_range_ends_the_run_in_one_line(runner, monkeypatch, name, value, what):
    monkeypatch.setenv(name, value)
    result = run(runner, "cite", "10.5555/one", "10.5555/two")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"Error: {name}={value!r} is not {what}. Fix or unset it.\n"


def test_a_host_name_that_does_not_resolve_is_asked_once(runner, monkeypatch):
    """Name resolution is a connect error to urllib3, retried with backoff (seven seconds with
    the defaults); quarterly asks the resolver once per source."""
    asked: list[str] = []

    def no_such_host(host, *args, **kwargs):
        asked.append(host)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    monkeypatch.setenv("QUARTERLY_BACKOFF", "0.5")  # the default: a retry would wait
    monkeypatch.setenv("QUARTERLY_CROSSREF_URL", "https://crossref.invalid")
    monkeypatch.setenv("QUARTERLY_EUTILS_URL", "https://eutils.invalid")
    monkeypatch.setenv("QUARTERLY_DOI_URL", "https://doi.invalid")
    result = run(runner, "cite", "10.5555/x")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "Error: 10.5555/x: Cannot find Crossref's server crossref.invalid: the name does not "
        "resolve. Check your connection, and QUARTERLY_CROSSREF_URL if you set it.\n")
    assert sorted(asked) == ["crossref.invalid", "doi.invalid", "eutils.invalid"]


def test_a_retry_after_of_an_hour_fails_the_batch_at_once_and_says_so(runner, crossref):
    crossref.expect_request("/works/10.5555/a").respond_with_response(
        Response("slow down", status=429, headers={"Retry-After": "3600"}))
    dois = ["10.5555/a", "10.5555/b", "10.5555/c"]
    result = run(runner, "cite", "--source", "crossref", *dois)
    assert (result.exit_code, result.stdout) == (1, "")
    message = ("Crossref asks to wait 60 min before another request (HTTP 429), longer than "
               "quarterly waits for one request (30 s). Try again later.")
    assert result.stderr.splitlines() == [f"Error: {doi}: {message}" for doi in dois]
    # The first answer closed the gate: the other two were refused without a request.
    assert len(crossref.log) == 1


def test_a_retry_after_date_is_read_too(runner, crossref):
    crossref.expect_request(f"/works/{STRUCTURED}").respond_with_response(
        Response("maintenance", status=503,
                 headers={"Retry-After": "Fri, 31 Dec 2100 23:59:59 GMT"}))
    result = run(runner, "cite", "--source", "crossref", STRUCTURED)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.startswith(f"Error: {STRUCTURED}: Crossref asks to wait ")
    assert "(HTTP 503), longer than quarterly waits" in result.stderr
    assert len(crossref.log) == 1


def test_a_short_retry_after_is_waited_for(runner, crossref):
    path = f"/works/{STRUCTURED}"
    crossref.expect_ordered_request(path).respond_with_response(
        Response("Too Many Requests", status=429, headers={"Retry-After": "1"}))
    crossref.expect_ordered_request(path).respond_with_json(crossref_payload("structured"))
    result = run(runner, "cite", "--quiet", STRUCTURED)  # quiet: the record's correction notice
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.startswith("Alvarez, M.")
    assert len(crossref.log) == 2


def test_retries_end_when_the_window_is_over(runner, crossref, monkeypatch):
    """Backoff 0.4 s: waits of 0, 0.8, 1.6, 3.2 s. With a one-second window the third wait
    would end past it, so the request is tried three times, not five."""
    monkeypatch.setattr(http, "RETRY_WINDOW_S", 1.0)
    monkeypatch.setenv("QUARTERLY_BACKOFF", "0.4")
    crossref.expect_request(f"/works/{STRUCTURED}").respond_with_data("oops", status=500)
    result = run(runner, "cite", "--source", "crossref", STRUCTURED)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.count("\n") == 1 and "Crossref answered 500" in result.stderr
    assert len(crossref.log) == 3


@pytest.mark.parametrize(("parts", "reason"), [
    ("[[2020, 13]]", "month 13 is not 1-12"),
    ("[[1e400]]", "year inf is not a whole number"),  # valid JSON; Python reads infinity
    ('"2020"', "date-parts must look like"),
    ("[[2020, 2, 99]]", "day 99 does not exist in 2020-02"),
])
def test_an_impossible_date_from_crossref_is_one_line_and_not_stored(runner, crossref, parts,
                                                                    reason):
    payload = work_payload(STRUCTURED)
    payload["message"]["published-print"] = {"date-parts": "PARTS"}
    body = json.dumps(payload).replace('"PARTS"', parts)  # written as Crossref would send it
    crossref.expect_request(f"/works/{STRUCTURED}").respond_with_data(
        body, content_type="application/json")
    result = run(runner, "cite", "--source", "crossref", STRUCTURED)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.startswith(f"Error: {STRUCTURED}: Crossref's record has an impossible ")
    assert reason in result.stderr and result.stderr.count("\n") == 1
    assert Store().get(STRUCTURED) is None


def test_refresh_that_fails_says_the_stored_copy_is_there(runner):
    Store().put(record_from_work(crossref_payload("structured")["message"]))
    result = run(runner, "cite", "--refresh", "--source", "crossref", STRUCTURED)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"Error: {STRUCTURED}: Cannot reach Crossref at http://127.0.0.1:9. Check your "
        "connection, and QUARTERLY_CROSSREF_URL if you set it. The stored copy is still there: "
        "drop --refresh, or use --offline, to use it.\n")


def test_no_offline_hint_for_a_record_that_is_not_stored(runner):
    result = run(runner, "cite", "--source", "crossref", STRUCTURED)
    assert result.exit_code == 1
    assert "--offline" not in result.stderr
