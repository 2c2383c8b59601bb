"""`quarterly check` on a 500-reference BibTeX file against a local Crossref-shaped server with
realistic latency: requests made (by kind) and wall time, for a cold store, a store whose notices
are stale, and a store checked a moment ago.

    .venv/bin/python benchmarks/check.py            # 500 references
    .venv/bin/python benchmarks/check.py --refs 100

The server answers `GET /works/{doi}` after LOOKUP_LATENCY_S and `GET /works?filter=updates:…`
after FILTER_LATENCY_S (a filter over a hundred DOIs is a heavier query), one in fifty works
carrying a retraction notice. The run uses the polite pool (QUARTERLY_MAILTO set): 5 requests
at once, 10 per second — so a cold store's 500 look-ups take at least 50 s by politeness alone.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

PYTHON = sys.executable
QUARTERLY = str(Path(PYTHON).with_name("quarterly"))
LOOKUP_LATENCY_S = 0.15
FILTER_LATENCY_S = 0.40


def doi_of(n: int) -> str:
    return f"10.1016/j.jhealeco.2019.{n:06d}"


def work(n: int) -> dict:
    message = {
        "DOI": doi_of(n), "type": "journal-article", "title": [f"Hospital Prices and Study {n}"],
        "author": [{"given": "Kim", "family": f"Author{n}", "sequence": "first"}],
        "container-title": ["Journal of Health Economics"], "volume": str(60 + n % 9),
        "issue": str(1 + n % 4), "page": f"{100 + n}-{110 + n}",
        "published-print": {"date-parts": [[2019, 1 + n % 12]]},
        "issued": {"date-parts": [[2019, 1 + n % 12]]},
        "abstract": "<jats:sec><jats:title>Methods</jats:title><jats:p>We counted.</jats:p>"
                    "</jats:sec>",
    }
    return {"status": "ok", "message-type": "work", "message-version": "1.0.0",
            "message": message}


class Crossref(BaseHTTPRequestHandler):
    counts: dict[str, int] = {}
    lock = threading.Lock()

    def log_message(self, *args) -> None:  # quiet
        pass

    def count(self, kind: str) -> None:
        with self.lock:
            self.counts[kind] = self.counts.get(kind, 0) + 1

    def do_GET(self) -> None:  # noqa: N802 - the handler's API
        parts = urlsplit(self.path)
        if parts.path == "/works":
            self.count("updates")
            time.sleep(FILTER_LATENCY_S)
            wanted = [f.removeprefix("updates:") for f in
                      parse_qs(parts.query).get("filter", [""])[0].split(",")]
            items = [{"DOI": f"{d}.retraction", "update-to": [
                {"DOI": d, "type": "retraction", "label": "Retraction", "source": "publisher",
                 "updated": {"date-parts": [[2024, 2, 1]]}}]}
                for d in wanted if int(d.rsplit(".", 1)[1]) % 50 == 0]
            body = {"status": "ok", "message-type": "work-list", "message-version": "1.0.0",
                    "message": {"total-results": len(items), "items": items,
                                "items-per-page": len(items), "facets": {}}}
            return self.send(200, json.dumps(body))
        self.count("lookups")
        time.sleep(LOOKUP_LATENCY_S)
        n = int(unquote(parts.path).rsplit(".", 1)[1])
        self.send(200, json.dumps(work(n)))

    def send(self, status: int, body: str) -> None:
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def bib(count: int) -> str:
    return "\n".join(
        f"@article{{ref{n},\n  author = {{Author{n}, Kim}},\n  title = {{Hospital prices and "
        f"study {n}}},\n  journal = {{Journal of Health Economics}},\n  year = {{2019}},\n  "
        f"volume = {{{60 + n % 9}}},\n  number = {{{1 + n % 4}}},\n  pages = "
        f"{{{100 + n}--{110 + n}}},\n  doi = {{{doi_of(n)}}}\n}}\n" for n in range(count))


def run(label: str, argv: list[str], env: dict) -> None:
    Crossref.counts.clear()
    started = time.perf_counter()
    proc = subprocess.run(argv, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed: {proc.stderr[-500:]}")
    counts = ", ".join(f"{v} {k}" for k, v in sorted(Crossref.counts.items())) or "none"
    print(f"  {label:<44} {elapsed:7.2f} s   requests: {counts}")
    print(f"  {'':<44} {proc.stderr.strip().splitlines()[-1]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--refs", type=int, default=500)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Crossref)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with tempfile.TemporaryDirectory() as tmp:
        refs = Path(tmp) / "refs.bib"
        refs.write_text(bib(args.refs), "utf-8")
        env = dict(os.environ, QUARTERLY_HOME=str(Path(tmp) / "home"),
                   QUARTERLY_CROSSREF_URL=f"http://127.0.0.1:{server.server_port}",
                   QUARTERLY_MAILTO="benchmark@example.org", NO_COLOR="1")
        command = [QUARTERLY, "check", "--source", "crossref", "--no-progress", str(refs)]
        print(f"quarterly check, {args.refs} references with DOIs (latency: look-up "
              f"{LOOKUP_LATENCY_S * 1000:.0f} ms, updates filter {FILTER_LATENCY_S * 1000:.0f} ms;"
              " polite pool)")
        run("cold store (every reference looked up)", command, env)
        run("stored, notices stale (--max-age 0)", [*command, "--max-age", "0"], env)
        run("stored, notices checked a moment ago", command, env)
    server.shutdown()


if __name__ == "__main__":
    main()
