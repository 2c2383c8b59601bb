"""The SQLite store: concurrency, damage, list and search."""

from __future__ import annotations

import os
import subprocess
import sys

from quarterly_cli.cli import main
from quarterly_cli.sources.crossref import record_from_work
from quarterly_cli.store import Store

from .conftest import crossref_payload, work_payload


def test_eight_processes_share_one_store(threaded_server, isolated_home):
    dois = [f"10.5555/concurrent.{n}" for n in range(8)]
    for n, doi in enumerate(dois):
        threaded_server.expect_request(f"/works/{doi}").respond_with_json(
            work_payload(doi, f"Parallel Study Number {n}"))
    env = dict(os.environ, QUARTERLY_CROSSREF_URL=threaded_server.url_for("").rstrip("/"),
               QUARTERLY_HOME=str(isolated_home))
    procs = [
        subprocess.Popen([sys.executable, "-m", "quarterly_cli", "cite", "-f", "ris", doi],
                         env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for doi in dois
    ]
    outputs = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0] * 8, [err for _, err in outputs]
    for (out, err), doi in zip(outputs, dois, strict=True):
        assert f"DO  - {doi}\n" in out and err == ""
    stored = {s.record.DOI for s in Store().all()}
    assert stored == set(dois)


def test_corrupt_store_names_file_and_fix(runner, isolated_home):
    isolated_home.mkdir(parents=True)
    (isolated_home / "quarterly.sqlite3").write_bytes(b"this is not a database" * 100)
    result = runner.invoke(main, ["cite", "10.5555/anything"])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: The store {isolated_home / 'quarterly.sqlite3'} cannot be used (file is not a "
        "database). If it is damaged, delete it (records will be fetched again) or point "
        "QUARTERLY_HOME at another folder.\n")
    # The bundled article needs no store at all.
    assert runner.invoke(main, ["cite"]).exit_code == 0


def test_list_and_search(runner):
    store = Store()
    store.put(record_from_work(crossref_payload("structured")["message"]))
    store.put(record_from_work(crossref_payload("unstructured")["message"]))
    listed = runner.invoke(main, ["list"])
    assert (listed.exit_code, listed.stderr) == (0, "")
    assert listed.stdout.splitlines() == [
        "10.1111/1468-0009.99001\tMaria Alvarez et al.\t2019\tCommunity Health Workers in Rural "
        "Clinics: A Mixed-Methods Evaluation",
        "10.1016/j.jval.2019.99.002\tWei Ng\t2019\tCost-Effectiveness of Helicobacter pylori "
        "Screening: A Modelling Study",
    ]
    found = runner.invoke(main, ["search", "pylori"])
    assert (found.exit_code, found.stderr) == (0, "")
    assert found.stdout.startswith("10.1016/j.jval.2019.99.002\t")
    assert len(found.stdout.splitlines()) == 1
    by_abstract = runner.invoke(main, ["search", "interviewed clinics"])
    assert by_abstract.stdout.startswith("10.1111/1468-0009.99001\t")
    by_author = runner.invoke(main, ["search", "brennan"])
    assert by_author.stdout.startswith("10.1111/1468-0009.99001\t")
    nothing = runner.invoke(main, ["search", 'AND OR "('])
    assert (nothing.exit_code, nothing.stdout) == (0, "")


def test_list_on_terminal_is_a_table(runner):
    Store().put(record_from_work(crossref_payload("structured")["message"]))
    result = runner.invoke(main, ["list", "--color"])
    assert "DOI" in result.stdout and "First author" in result.stdout
    assert "10.1111/" in result.stdout and "┏" in result.stdout


def test_put_replaces_and_keeps_fts_in_step():
    store = Store()
    record = record_from_work(crossref_payload("structured")["message"])
    store.put(record)
    store.put(record.with_(title="Renamed Entirely"))
    assert [s.record.title for s in store.all()] == ["Renamed Entirely"]
    assert list(store.search("Renamed"))[0].record.title == "Renamed Entirely"
    assert list(store.search("Mixed")) == []


def test_list_of_an_empty_store(runner):
    result = runner.invoke(main, ["list"])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
