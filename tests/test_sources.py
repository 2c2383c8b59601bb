"""The seam every source goes through: the registry, politeness (Gate), and what adding a source
takes."""

from __future__ import annotations

import re
import sys
import threading
import time
import types
from pathlib import Path

import pytest

from quarterly_cli.batch import collect
from quarterly_cli.identifiers import KINDS
from quarterly_cli.model import Record, Section
from quarterly_cli.sources import REGISTRY, choices, load
from quarterly_cli.sources.http import PACE_MARGIN, Cancelled, Gate
from quarterly_cli.sources.seam import Policy, Source, concurrently

ROOT = Path(__file__).parent.parent
SRC = ROOT / "src" / "quarterly_cli"


@pytest.mark.parametrize("name", list(REGISTRY))
def test_each_registered_module_declares_its_source(name):
    source = load(name)
    assert source.name == name
    assert source.kinds and set(source.kinds) <= set(KINDS)
    policy = source.policy()
    assert policy.concurrency >= 1 and policy.per_second > 0


def test_choices_are_auto_and_the_registry():
    assert choices() == ("auto", "crossref", "pubmed", "doi.org")


def test_policies_follow_the_services_rules(monkeypatch):
    assert load("crossref").policy() == Policy(1, 5.0)  # Crossref's public pool
    assert load("pubmed").policy() == Policy(3, 3.0)  # NCBI without a key
    monkeypatch.setenv("QUARTERLY_MAILTO", "me@example.org")
    monkeypatch.setenv("NCBI_API_KEY", "k3y")
    assert load("crossref").policy() == Policy(5, 10.0)  # the polite pool
    assert load("pubmed").policy() == Policy(10, 10.0)


def test_no_module_outside_a_source_names_one():
    """The chain, the batch, the CLI and the renderer never branch on a source: no source name
    appears in their code as a string."""
    names = "|".join(re.escape(n) for n in REGISTRY)
    quoted = re.compile(rf"""["'](?:{names})["']""", re.IGNORECASE)
    for path in ("resolve.py", "batch.py", "cli.py", "render.py", "store.py", "sources/http.py"):
        assert not quoted.findall((SRC / path).read_text("utf-8")), path


def test_readme_module_map_lists_every_source_and_how_to_add_one():
    readme = (ROOT / "README.md").read_text("utf-8")
    development = readme[readme.index("## Development"):]
    for module in REGISTRY.values():
        assert f"{module}.py" in development
    assert "one module and one line in REGISTRY" in development


# --- a third source: one module, one line ------------------------------------------------------

def register(monkeypatch, name: str, fetch_many, kinds=("doi",), abstracts=False, first=True):
    """What adding a source takes: a module whose SOURCE says what it resolves, how it fetches
    and how politely — and its line in REGISTRY."""
    module = types.ModuleType(f"quarterly_cli.sources.{name}")
    module.SOURCE = Source(name, name.title(), kinds, lambda: Policy(2, 50.0), fetch_many,
                           abstracts=abstracts)
    monkeypatch.setitem(sys.modules, module.__name__, module)
    registry = {name: name, **REGISTRY} if first else {**REGISTRY, name: name}
    monkeypatch.setattr("quarterly_cli.sources.REGISTRY", registry)


def test_a_new_source_is_one_module_and_one_registry_line(monkeypatch):
    asked = []

    def fetch_many(identifiers, gate):
        for identifier in identifiers:
            with gate:
                asked.append(identifier.value)
            yield identifier, Record(title=f"From the library: {identifier.value}",
                                     DOI=identifier.value, source="library",
                                     abstract=(Section("Methods", ("Counted.",)),))

    register(monkeypatch, "library", fetch_many)
    assert "library" in choices()
    result = collect(("10.5555/lib.1", "10.5555/lib.2"), source="library")
    assert [r.title for r in result.records] == ["From the library: 10.5555/lib.1",
                                                 "From the library: 10.5555/lib.2"]
    # First in the chain, with a labelled abstract: nobody else is asked (nothing listens on the
    # others' addresses, so asking them would have failed).
    result = collect(("10.5555/lib.3",))
    assert (result.failures, result.records[0].source) == ([], "library")
    assert sorted(asked) == ["10.5555/lib.1", "10.5555/lib.2", "10.5555/lib.3"]


# --- the Gate ----------------------------------------------------------------------------------

def test_gate_bounds_requests_in_flight_across_threads():
    gate = Gate(2)
    state = {"now": 0, "peak": 0}
    lock = threading.Lock()

    def request():
        with gate:
            with lock:
                state["now"] += 1
                state["peak"] = max(state["peak"], state["now"])
            time.sleep(0.05)
            with lock:
                state["now"] -= 1

    threads = [threading.Thread(target=request) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert state["peak"] == 2


def test_gate_spaces_starts_by_the_rate_across_threads():
    gate = Gate(8, per_second=20.0)
    starts: list[float] = []
    lock = threading.Lock()

    def request():
        with gate:
            with lock:
                starts.append(time.monotonic())

    threads = [threading.Thread(target=request) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    starts.sort()
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    assert min(gaps) >= 0.05 * PACE_MARGIN * 0.8  # never two starts closer than 1/rate


def test_gate_cancel_releases_waiting_threads():
    gate = Gate(1)
    gate.__enter__()
    outcome = []

    def waiting():
        try:
            with gate:
                outcome.append("ran")
        except Cancelled:
            outcome.append("cancelled")

    thread = threading.Thread(target=waiting)
    thread.start()
    time.sleep(0.05)
    gate.cancel()
    thread.join(timeout=5)
    assert outcome == ["cancelled"]


def test_gate_parses_intervals():
    gate = Gate(5)
    gate.observe({"X-Concurrency-Limit": "3", "X-Rate-Limit-Limit": "50",
                  "X-Rate-Limit-Interval": "1s"})
    assert (gate.limit, gate.min_gap) == (3, 0.02)
    gate.observe({"x-concurrency-limit": "9", "x-rate-limit-interval": "2000ms",
                  "x-rate-limit-limit": "10"})
    assert (gate.limit, gate.min_gap) == (3, 0.2)  # never loosened
    gate.observe({"x-concurrency-limit": "junk"})
    assert gate.limit == 3
    assert Gate(5, per_second=10.0).min_gap == 0.1
    assert Gate(0).limit == 1


def test_concurrently_yields_every_item_and_raises_errors():
    assert sorted(concurrently(lambda n: n * n, range(6), 3)) == [
        (0, 0), (1, 1), (2, 4), (3, 9), (4, 16), (5, 25)]

    def boom(n):
        raise ValueError(n)

    with pytest.raises(ValueError):
        list(concurrently(boom, range(3), 2))
