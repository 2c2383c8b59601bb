"""The SQLite store: concurrency, damage, list and search."""

from __future__ import annotations

import os
import subprocess
import sys

from quarterly_cli.cli import main
from quarterly_cli.identifiers import Identifier
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
        # The payload carries a correction notice, which `cite` names once on stderr.
        assert f"DO  - {doi}\n" in out and err == (
            f"Warning: {doi} — CORRECTED: Correction, 2020-01-15, "
            "https://doi.org/10.1111/1468-0009.99009 (publisher via Crossref)\n")
    stored = {s.record.DOI for s in Store().all()}
    assert stored == set(dois)


def test_corrupt_store_names_file_and_fix(runner, isolated_home):
    isolated_home.mkdir(parents=True)
    (isolated_home / "quarterly.sqlite3").write_bytes(b"this is not a database" * 100)
    result = runner.invoke(main, ["cite", "10.5555/anything"])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: The store {isolated_home / 'quarterly.sqlite3'} is damaged (file is not a "
        "database). Delete it (records will be fetched again) or point QUARTERLY_HOME at "
        "another folder.\n")
    # The bundled article needs no store at all.
    assert runner.invoke(main, ["cite"]).exit_code == 0


BUNDLED_ROW = ("10.1111/1468-0009.12090\tJonathan Mathers et al.\t2014\tThe Challenge of "
               "Implementing Peer-Led Interventions in a Professionalized Health Service: A Case "
               "Study of the National Health Trainers Service in England")


def test_list_and_search(runner):
    store = Store()
    store.put(record_from_work(crossref_payload("structured")["message"]))
    store.put(record_from_work(crossref_payload("unstructured")["message"]))
    listed = runner.invoke(main, ["list"])
    assert (listed.exit_code, listed.stderr) == (0, "")
    assert listed.stdout.splitlines() == [
        BUNDLED_ROW,
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
    assert nothing.stderr == "No records match 'AND OR \"('.\n"
    bundled = runner.invoke(main, ["search", "health TRAINERS"])  # the bundled article too
    assert bundled.stdout.splitlines() == [BUNDLED_ROW]


def test_list_and_search_as_json(runner):
    import json

    Store().put(record_from_work(crossref_payload("unstructured")["message"]))
    rows = json.loads(runner.invoke(main, ["list", "--json"]).stdout)
    assert [(r["DOI"], r["source"], r["year"]) for r in rows] == [
        ("10.1111/1468-0009.12090", "bundled", 2014), ("10.1016/j.jval.2019.99.002", "crossref", 2019)]
    assert rows[1]["title"] == "Cost-Effectiveness of Helicobacter pylori Screening: A Modelling Study"
    assert rows[1]["fetched-at"]
    found = json.loads(runner.invoke(main, ["search", "--json", "pylori"]).stdout)
    assert [r["DOI"] for r in found] == ["10.1016/j.jval.2019.99.002"]


def test_list_warns_about_a_damaged_row_and_goes_on(runner):
    import sqlite3

    store = Store()
    store.put(record_from_work(crossref_payload("structured")["message"]))
    store.put(record_from_work(crossref_payload("unstructured")["message"]))
    conn = sqlite3.connect(store.path)
    conn.execute("UPDATE records SET record = '{' WHERE id = 1")
    conn.commit()
    conn.close()
    result = runner.invoke(main, ["list"])
    assert result.exit_code == 0
    assert [line.split("\t")[0] for line in result.stdout.splitlines()] == [
        "10.1111/1468-0009.12090", "10.1016/j.jval.2019.99.002"]
    assert result.stderr.startswith("Warning: the stored record for row 1 cannot be read")
    assert len(result.stderr.splitlines()) == 1


def test_the_table_never_cuts_an_identifier(runner, monkeypatch):
    from quarterly_cli.model import Record

    long_doi = "10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0"
    Store().put(Record("A long title " * 12, DOI=long_doi, issued=(1998,), source="crossref"))
    monkeypatch.setenv("COLUMNS", "100")
    result = runner.invoke(main, ["list", "--color"])
    assert result.exit_code == 0
    import re

    text = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout)
    assert long_doi in text


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
    assert (result.exit_code, result.stdout, result.stderr) == (
        0, BUNDLED_ROW + "\n", "No stored records yet — try `quarterly show DOI`.\n")


# --- schema 2: identifiers, migration, per-record damage, read-only stores -------------------

def _v1_copy(tmp_path):
    import shutil

    from .conftest import DATA

    target = tmp_path / "old" / "quarterly.sqlite3"
    target.parent.mkdir()
    shutil.copy(DATA / "store" / "v1-release-0.1.0.sqlite3", target)
    return target


def _v1_rows(path):
    import json
    import sqlite3

    conn = sqlite3.connect(path)
    rows = conn.execute("SELECT doi, record FROM records ORDER BY rowid").fetchall()
    conn.close()
    return [(doi, json.loads(text)) for doi, text in rows]


def test_a_store_written_by_release_0_1_0_is_migrated_keeping_every_record(tmp_path):
    import sqlite3

    path = _v1_copy(tmp_path)
    before = _v1_rows(path)
    assert len(before) == 5
    store = Store(path)
    after = {s.record.DOI: s.record for s in store.all()}
    assert set(after) == {doi for doi, _ in before}
    for doi, old in before:
        record = after[doi]
        assert record.title == old["title"]
        assert [n.family or n.literal for n in record.author] == [
            a.get("family") or a.get("literal") for a in old.get("author", [])]
        assert record.issued.to_csl() == old["issued"]
        assert (record.volume, record.issue, record.page) == (
            old.get("volume"), old.get("issue"), old.get("page"))
        assert [list(s.paragraphs) for s in record.abstract] == [
            s["paragraphs"] for s in old.get("abstract", [])]
        assert list(record.ISSN) == old.get("ISSN", [])
        assert record.source == old["source"]
    # Found by every identifier, searchable, and the file says schema 2.
    assert store.find(Identifier("pmid", "25492602")).record.DOI == "10.1111/1468-0009.12090"
    assert store.find(Identifier("pmcid", "pmc4266174")).record.DOI == "10.1111/1468-0009.12090"
    assert [s.record.DOI for s in store.search("pylori")] == ["10.1016/j.jval.2019.99.002"]
    store.close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
    assert {r[0] for r in conn.execute("SELECT name FROM sqlite_master")} >= {
        "records", "identifiers", "records_fts"}
    assert "records_v1" not in {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}


def test_migration_keeps_a_row_it_cannot_read_and_it_fails_alone(tmp_path, runner, monkeypatch):
    import sqlite3

    path = _v1_copy(tmp_path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE records SET record = '{\"title\": [1]}' WHERE doi = '10.5555/hostile.1'")
    conn.commit()
    conn.close()
    monkeypatch.setenv("QUARTERLY_HOME", str(path.parent))
    damaged = runner.invoke(main, ["cite", "--offline", "10.5555/hostile.1"])
    assert damaged.exit_code == 1 and damaged.stdout == ""
    assert damaged.stderr.startswith("Error: 10.5555/hostile.1: the stored record for doi:")
    assert damaged.stderr.rstrip().endswith("Fetch it again with --refresh.")
    assert len(damaged.stderr.splitlines()) == 1
    fine = runner.invoke(main, ["cite", "--offline", "-f", "ris", "10.1016/j.jval.2019.99.002"])
    assert fine.exit_code == 0 and "DO  - 10.1016/j.jval.2019.99.002" in fine.stdout


def test_put_finds_by_any_identifier_and_merges_rows_of_one_work():
    from quarterly_cli.model import Record

    store = Store()
    store.put(Record("From PubMed", PMID="111", PMCID="PMC222", source="pubmed"))
    store.put(Record("From Crossref", DOI="10.5555/X", source="crossref"))
    store.put(Record("Merged", DOI="10.5555/x", PMID="0111", source="crossref"))
    records = [s.record for s in store.all()]
    assert [r.title for r in records] == ["Merged"]
    for ident in (Identifier("doi", "10.5555/X"), Identifier("pmid", "111"),
                  Identifier("pmcid", "PMC222")):  # the PMCID the merged record lacks too
        assert store.find(ident).record.title == "Merged"
    assert [s.record.title for s in store.search("merged")] == ["Merged"]
    assert list(store.search("crossref")) == []


def test_a_record_that_would_not_read_back_is_never_stored():
    import pytest

    from quarterly_cli.errors import StoreError
    from quarterly_cli.model import Name, Record

    store = Store()
    bad = Record("T", DOI="10.5555/bad", author=(Name(given="Only a given name"),))
    with pytest.raises(StoreError, match="could not be read back"):
        store.put(bad)
    assert list(store.all()) == []


def _read_only_runs(folder, args):
    """Run `quarterly ARGS` with `folder` read-only: a read-only bind mount in a private mount
    namespace (works as root, where permission bits do not stop writes), else permission bits."""
    import shutil
    import stat
    import subprocess
    import sys

    env = dict(os.environ, QUARTERLY_HOME=str(folder))
    commands = [[sys.executable, "-m", "quarterly_cli", *a] for a in args]
    if os.geteuid() == 0:
        if not shutil.which("unshare"):
            import pytest

            pytest.skip("as root, a read-only store needs unshare(1) for a read-only mount")
        script = f"mount --bind -o ro {folder} {folder} && touch {folder}/probe 2>/dev/null; " + \
            " ; ".join(f"{subprocess.list2cmdline(c)} > {folder.parent}/out{n} 2>&1; "
                       f"echo $? >> {folder.parent}/out{n}" for n, c in enumerate(commands))
        done = subprocess.run(["unshare", "-m", "sh", "-c", script], env=env)
        assert done.returncode == 0
        assert not (folder / "probe").exists()  # the mount really was read-only
        outputs = []
        for n in range(len(commands)):
            *text, code = (folder.parent / f"out{n}").read_text().splitlines()
            outputs.append((int(code), "\n".join(text)))
        return outputs
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    (folder / "quarterly.sqlite3").chmod(stat.S_IRUSR)
    try:
        outputs = []
        for c in commands:
            done = subprocess.run(c, env=env, capture_output=True, text=True)
            outputs.append((done.returncode, done.stdout + done.stderr))
        return outputs
    finally:
        folder.chmod(stat.S_IRWXU)
        (folder / "quarterly.sqlite3").chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_a_read_only_store_can_still_be_read(tmp_path):
    import sqlite3

    folder = tmp_path / "ro"
    Store(folder / "quarterly.sqlite3").put(
        record_from_work(crossref_payload("structured")["message"]))
    conn = sqlite3.connect(folder / "quarterly.sqlite3")  # as a closed store is: WAL folded in
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    for extra in folder.glob("quarterly.sqlite3-*"):
        extra.unlink()
    listed, cited, found = _read_only_runs(folder, [
        ["list"], ["cite", "--offline", "10.1111/1468-0009.99001"], ["search", "clinics"]])
    assert listed[0] == 0 and "10.1111/1468-0009.99001\t" in listed[1]
    assert cited[0] == 0 and "Alvarez, M." in cited[1]
    assert found[0] == 0 and "10.1111/1468-0009.99001\t" in found[1]
