"""`cite -o FILE --append`: only records FILE does not hold yet (by DOI, PMID, PMCID or citation
key) are added, after FILE's own text, in one atomic write; FILE is read (and a wrong format
refused) before anything is looked up."""

from __future__ import annotations

import json

import bibtexparser
import pytest
import rispy

from quarterly_cli.cli import main

from .conftest import DATA

BUNDLED = "10.1111/1468-0009.12090"
LIBRARY_BIB = DATA / "files" / "library.bib"


def run(runner, *args):
    return runner.invoke(main, list(args), catch_exceptions=False)


def items(tmp_path, *records: dict) -> str:
    path = tmp_path / "in.json"
    path.write_text(json.dumps([{"type": "article-journal", **r} for r in records]), "utf-8")
    return str(path)


def test_appending_twice_adds_once_and_says_so(runner, tmp_path):
    target = tmp_path / "refs.bib"
    first = run(runner, "cite", "-o", str(target), "--append")
    assert (first.exit_code, first.stdout, first.stderr) == (0, "", "")
    written = target.read_text("utf-8")
    again = run(runner, "cite", BUNDLED, "-o", str(target), "--append")
    assert (again.exit_code, again.stdout) == (0, "")
    assert again.stderr == (f"Note: 1 already in {target}, not added again: {BUNDLED}.\n")
    assert target.read_text("utf-8") == written


@pytest.mark.parametrize("suffix", [".bib", ".ris", ".json"])
def test_new_records_follow_the_existing_text(runner, tmp_path, suffix):
    target = tmp_path / f"refs{suffix}"
    assert run(runner, "cite", "-o", str(target)).exit_code == 0  # the bundled article
    before = target.read_text("utf-8")
    source = items(tmp_path, {"id": "new1", "title": "One", "DOI": "10.5555/new.1"},
                   {"id": "dup", "title": "Again", "DOI": BUNDLED.upper()},  # already there
                   {"id": "new2", "title": "Two", "PMID": "31000002"})
    result = run(runner, "cite", source, "-o", str(target), "--append")
    assert result.exit_code == 0
    assert result.stderr == f"Note: 1 already in {target}, not added again: {BUNDLED.upper()}.\n"
    after = target.read_text("utf-8")
    if suffix == ".bib":
        assert after.startswith(before.rstrip() + "\n\n@article{")
        entries = bibtexparser.parse_string(after).entries
        assert [e.key for e in entries] == ["mathers2014challenge", "new1", "new2"]
    elif suffix == ".ris":
        assert after.startswith(before.rstrip() + "\n\nTY  - JOUR")
        assert [e.get("doi") for e in rispy.loads(after)] == [BUNDLED, "10.5555/new.1", None]
    else:
        assert [i["id"] for i in json.loads(after)] == ["mathers2014challenge", "new1", "new2"]


def test_a_record_without_identifiers_is_known_by_its_key(runner, tmp_path):
    target = tmp_path / "refs.bib"
    source = items(tmp_path, {"id": "smith2020notes", "title": "Field notes"})
    assert run(runner, "cite", source, "-o", str(target), "--append").exit_code == 0
    again = run(runner, "cite", source, "-o", str(target), "--append")
    assert again.exit_code == 0 and "not added again: smith2020notes" in again.stderr
    assert target.read_text("utf-8").count("@article{") == 1


def test_a_csl_json_file_holding_one_item_becomes_an_array(runner, tmp_path):
    target = tmp_path / "refs.json"
    target.write_text('{"id": "a", "type": "book", "title": "A", "DOI": "10.5555/a"}\n', "utf-8")
    assert run(runner, "cite", "-o", str(target), "--append").exit_code == 0
    assert [i["id"] for i in json.loads(target.read_text("utf-8"))] == [
        "a", "mathers2014challenge"]


@pytest.mark.parametrize(("args", "message"), [
    (["-o", "{bib}", "-f", "ris"],
     "{bib} does not hold ris entries (it reads as bibtex); append to a file of the same "
     "format."),
    (["-o", "{txt}"], "--append needs a format quarterly can read back to find what refs.txt "
                      "already holds: bibtex, biblatex, ris, csl-json, json."),
    ([], "--append adds to the file named by -o FILE (it reads FILE to skip what is there); on "
         "standard output use >>."),
    (["-o", "{bib}", "--json"], "--append cannot be combined with --json: it adds entries in a "
                                "format quarterly reads back."),
])
def test_what_append_refuses_is_one_line_before_any_lookup(runner, tmp_path, crossref, args,
                                                         message):
    bib, txt = tmp_path / "refs.bib", tmp_path / "refs.txt"
    bib.write_text(LIBRARY_BIB.read_text("utf-8"), "utf-8")
    args = [a.format(bib=bib, txt=txt) for a in args]
    result = runner.invoke(main, ["cite", "10.5555/any", *args, "--append"])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"Error: {message.format(bib=bib)}\n"
    assert crossref.log == []  # refused before the network
    assert bib.read_text("utf-8") == LIBRARY_BIB.read_text("utf-8")
    assert not txt.exists()


@pytest.mark.parametrize("suffix", [".bib", ".json"])
def test_a_new_record_never_reuses_a_key_the_file_has(runner, tmp_path, suffix):
    """Same first author, year and title word as FILE's entry, another DOI: the generated key
    gets a letter; a key given in the input that FILE uses is changed too, with a warning."""
    target = tmp_path / f"refs{suffix}"
    assert run(runner, "cite", "-o", str(target)).exit_code == 0  # mathers2014challenge
    twin = {"title": "The challenge of change", "DOI": "10.5555/twin", "issued":
            {"date-parts": [[2014]]}, "author": [{"family": "Mathers", "given": "J"}]}
    given = {"id": "mathers2014challenge", "title": "Another", "DOI": "10.5555/given"}
    result = run(runner, "cite", items(tmp_path, twin, given), "-o", str(target), "--append")
    assert result.exit_code == 0
    assert result.stderr == (f"Warning: {target} already has an entry with the key "
                             "mathers2014challenge; the new one (10.5555/given) is written as "
                             "mathers2014challengeb.\n")
    text = target.read_text("utf-8")
    keys = ([e.key for e in bibtexparser.parse_string(text).entries] if suffix == ".bib"
            else [i["id"] for i in json.loads(text)])
    assert keys == ["mathers2014challenge", "mathers2014challengea", "mathers2014challengeb"]


def test_ris_ids_and_keys_given_in_the_input_never_collide_with_the_file(runner, tmp_path):
    """RIS writes `ID` from the record's citation-key: it changes with the key. A key the input
    gives (`smith2020fooa`) is kept; generated keys step around it and around the file's."""
    target = tmp_path / "out.ris"
    target.write_text("TY  - JOUR\nID  - x\nTI  - A\nDO  - 10.1000/a\nER  - \n", "utf-8")
    source = tmp_path / "in.ris"
    source.write_text("TY  - JOUR\nID  - x\nTI  - B\nDO  - 10.1000/b\nER  - \n", "utf-8")
    result = run(runner, "cite", str(source), "-f", "ris", "-o", str(target), "--append")
    assert result.stderr == (f"Warning: {target} already has an entry with the key x; the new "
                             "one (10.1000/b) is written as xa.\n")
    assert [e.get("id") for e in rispy.loads(target.read_text("utf-8"))] == ["x", "xa"]

    bib = tmp_path / "refs.bib"
    bib.write_text("@article{smith2020foo, author={Smith, A}, title={Foo}, year={2020}, "
                   "doi={10.1/x}}\n", "utf-8")
    three = tmp_path / "three.ris"
    three.write_text("".join(
        f"TY  - JOUR\n{given}AU  - Smith, A\nTI  - Foo {n}\nPY  - 2020\nDO  - 10.1/{n}\nER  - \n"
        for n, given in enumerate(["", "ID  - smith2020fooa\n", ""])), "utf-8")
    result = run(runner, "cite", str(three), "-o", str(bib), "--append")
    assert (result.exit_code, result.stderr) == (0, "")
    keys = [e.key for e in bibtexparser.parse_string(bib.read_text("utf-8")).entries]
    assert keys == ["smith2020foo", "smith2020foob", "smith2020fooa", "smith2020fooc"]


def test_the_warning_names_a_record_by_pmid_when_it_has_no_doi(runner, tmp_path):
    target = tmp_path / "refs.json"
    target.write_text('[{"id": "x", "type": "article-journal", "title": "T", "DOI": "10.1/q"}]',
                      "utf-8")
    source = items(tmp_path, {"id": "x", "PMID": "12345"})
    result = run(runner, "cite", source, "-o", str(target), "--append")
    assert "the new one (PMID 12345) is written as xa." in result.stderr
    assert [i["id"] for i in json.loads(target.read_text("utf-8"))] == ["x", "xa"]


@pytest.mark.parametrize(("raw", "message"), [
    (b"@article{a,\n  title = {Caf\xe9}\n}\n",
     "{path} is not UTF-8 text (line 2). Save the file as UTF-8 and try again."),
    (b"@article{a,\n\n  title = {A\x00}\n}\n",
     "{path} holds a NUL byte (line 3): it is not text. Give a BibTeX, RIS or CSL-JSON file."),
])
def test_a_target_file_that_is_not_text_is_refused_by_line_and_left_alone(runner, tmp_path,
                                                                         crossref, raw, message):
    target = tmp_path / "refs.bib"
    target.write_bytes(raw)
    result = runner.invoke(main, ["cite", "10.5555/any", "-o", str(target), "--append"])
    assert result.exit_code != 0 and result.stdout == ""
    assert result.stderr == f"Error: {message.format(path=target)}\n"
    assert crossref.log == []  # refused before the network
    assert target.read_bytes() == raw
