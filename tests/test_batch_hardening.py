"""Batches as documented: --strict reports the first failure in input order, whichever source
it comes from; Ctrl-C ends a batch at once (exit 130), cancels the lookups not yet sent, and
keeps what was already fetched."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time

from werkzeug import Response

from quarterly_cli.cli import main
from quarterly_cli.store import Store

from .conftest import crossref_payload, not_found_anywhere, work_payload

BUNDLED = "10.1111/1468-0009.12090"
STRUCTURED = "10.1111/1468-0009.99001"


def run(runner, *args, input=None):
    return runner.invoke(main, list(args), input=input, catch_exceptions=False)


def test_strict_reports_a_network_failure_before_a_later_bad_stdin_line(runner, services):
    not_found_anywhere(services, "10.5555/missing")
    result = run(runner, "cite", "--strict", "10.5555/missing", "-", input="not a doi\n")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == ("Error: 10.5555/missing: no record at Crossref, PubMed or doi.org. "
                             "Check the DOI for typos.\n")


def test_strict_prints_every_citation_before_a_bad_stdin_line(runner, crossref):
    crossref.expect_request(f"/works/{STRUCTURED}").respond_with_json(
        crossref_payload("structured"))
    result = run(runner, "cite", "-f", "ris", "--strict", BUNDLED, "-",
                 input=f"{STRUCTURED}\nnot a doi\n10.5555/never\n")
    assert result.exit_code == 1
    assert [line for line in result.stdout.splitlines() if line.startswith("DO  - ")] == [
        f"DO  - {BUNDLED}", f"DO  - {STRUCTURED}"]
    [line] = [e for e in result.stderr.splitlines() if not e.startswith("Warning: ")]  # notices
    assert line.startswith("Error: not a doi: Not a DOI, PMID, PMCID or file: 'not a doi'.")
    assert [entry[0].path for entry in crossref.log] == [f"/works/{STRUCTURED}"]


def test_ctrl_c_ends_a_batch_keeps_what_was_fetched_and_exits_130(threaded_server, tmp_path):
    """Crossref's public pool asks one DOI at a time: the first answers, the second hangs (the
    server would take a minute), the third waits its turn. SIGINT while the second hangs."""
    arrived, release = threading.Event(), threading.Event()
    asked: list[str] = []

    def handler(request):
        doi = request.path.removeprefix("/works/")
        asked.append(doi)
        if doi.endswith("slow"):
            arrived.set()
            release.wait(60)
        return Response(json.dumps(work_payload(doi, f"Study {doi}")),
                        content_type="application/json")

    threaded_server.expect_request(re.compile("^/works/")).respond_with_handler(handler)
    env = dict(os.environ, QUARTERLY_CROSSREF_URL=threaded_server.url_for("").rstrip("/"),
               QUARTERLY_READ_TIMEOUT="120")
    proc = subprocess.Popen(
        [sys.executable, "-m", "quarterly_cli", "cite", "--source", "crossref",
         "10.5555/fast", "10.5555/slow", "10.5555/third"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        # Python turns SIGINT into KeyboardInterrupt only when it is not ignored on start.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        assert arrived.wait(60), "the second lookup never started"
        # The first record is committed as it arrives; wait for that before the signal, which
        # would otherwise roll back a write it happened to interrupt.
        store = Store()
        for _ in range(600):
            if store.get("10.5555/fast") is not None:
                break
            time.sleep(0.05)
        store.close()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=5)  # generous: the server would answer in 60 s
    finally:
        release.set()
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert (proc.returncode, out, err) == (130, "", "Interrupted.\n")
    assert asked == ["10.5555/fast", "10.5555/slow"]  # the third was never sent
    store = Store()
    assert store.get("10.5555/fast") is not None
    assert store.get("10.5555/slow") is None


def _read_all(fd: int, into: list[bytes]) -> None:
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # EIO: the other side of the pty was closed
            return
        if not chunk:
            return
        into.append(chunk)


def test_a_slow_lookup_on_a_terminal_shows_a_spinner_with_the_reference(crossref):
    import pty

    def slow(request):
        time.sleep(1.5)  # three times the spinner's delay
        return Response(json.dumps(crossref_payload("structured")),
                        content_type="application/json")

    crossref.expect_request(f"/works/{STRUCTURED}").respond_with_handler(slow)
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "quarterly_cli", "cite", STRUCTURED],
                            stdout=subprocess.PIPE, stderr=follower, text=True,
                            env=dict(os.environ, COLUMNS="100", QUARTERLY_READ_TIMEOUT="30"))
    os.close(follower)
    drawn: list[bytes] = []
    reader = threading.Thread(target=_read_all, args=(leader, drawn))
    reader.start()
    out, _ = proc.communicate(timeout=60)
    reader.join(10)
    os.close(leader)
    assert proc.returncode == 0
    assert out.startswith("Alvarez, M., Brennan, T., & Chen, L. (2019).")  # stdout stays clean
    assert f"Looking up {STRUCTURED}" in b"".join(drawn).decode("utf-8", "replace")


def test_the_spinner_waits_and_shows_references_without_escapes():
    from quarterly_cli.render import ProgressBar

    bar = ProgressBar()
    bar.DELAY_S = 60.0
    bar.waiting("\x1b]52;c;aGk=\x07\x1b[2J10.5555/x\x9b1m")
    bar(0, 2)
    assert bar._description() == "Looking up 10.5555/x1m · 0/2 done"
    bar.stop()  # settled before the delay: the timer is cancelled and nothing is drawn
    assert bar.timer is not None
    bar.timer.join(5)
    assert bar.progress is None and not bar.timer.is_alive()
