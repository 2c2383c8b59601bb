"""CSL-JSON in and out over the whole CSL vocabulary."""

from __future__ import annotations

import json

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quarterly_cli.errors import InputFormatError
from quarterly_cli.formats import FORMATS
from quarterly_cli.readers.csljson import read

from .conftest import DATA
from .test_model import _every_variable_record

SCHEMA = json.loads((DATA / "csl-data.json").read_text("utf-8"))


def test_every_variable_round_trips_and_the_output_is_valid_csl():
    record = _every_variable_record()
    text = FORMATS["csl-json"].render([record])
    jsonschema.validate(json.loads(text), SCHEMA)
    (back,) = read(text, "t.json")
    assert back.with_(source="test") == record


def test_aliases_custom_and_lists():
    text = json.dumps([{
        "id": "x", "type": "book", "title": "T", "journalAbbreviation": "J Abbr",
        "shortTitle": "Short", "event": "Old event name", "event-title": "New event name",
        "ISBN": "978-3-16-148410-0 0-306-40615-2", "ISSN": "1234-5678; 8765-4321",
        "keyword": "a; b, c", "categories": ["Health"], "author": [{"given": "Plato"}],
        "zoteroKey": "ABC", "custom": {"mine": 1},
        "issued": {"date-parts": [["2014", "12", "5"]]}, "accessed": {"raw": "2020-01-02"},
    }])
    (r,) = read(text, "t.json")
    assert r.get("container-title-short") == "J Abbr" and r.get("title-short") == "Short"
    assert r.get("event-title") == "New event name"  # the CSL 1.0.2 spelling wins
    assert r.ISBN == ("978-3-16-148410-0", "0-306-40615-2")
    assert r.ISSN == ("1234-5678", "8765-4321") and r.keyword == ("a", "b", "c")
    assert r.subject == ("Health",) and r.author[0].literal == "Plato"
    assert r.custom == {"zoteroKey": "ABC", "mine": 1}
    assert r.issued.parts == (2014, 12, 5) and r.accessed.parts == (2020, 1, 2)
    out = json.loads(FORMATS["csl-json"].render([r]))[0]
    assert out["custom"] == {"zoteroKey": "ABC", "mine": 1}
    jsonschema.validate([out], SCHEMA)


def test_quarterly_json_reads_back_whole():
    record = _every_variable_record()
    text = FORMATS["json"].render([record])
    (back,) = read(text, "t.json")
    assert back.with_(source="test") == record


def test_abstracts_are_left_unread_only_for_the_native_styles(tmp_path, runner):
    """`quarterly cite FILE` with APA, AMA or Vancouver reads CSL-JSON without splitting its
    abstracts (readers.csljson.abstracts_unread): these styles never print one, so the output is
    the same as from records with their abstracts; anything else gets the abstracts."""
    from quarterly_cli.cli import main
    from quarterly_cli.formats import Options
    from quarterly_cli.readers.csljson import abstracts_unread

    item = {"id": "a", "type": "article-journal", "title": "A Title: On Care", "DOI": "10.1/x",
            "author": [{"family": "Okafor", "given": "Chidi"}], "container-title": "BMJ Open",
            "issued": {"date-parts": [[2020]]},
            "abstract": "Background: why.\n\nMethods: how. RESULTS: what."}
    text = json.dumps([item, {**item, "id": "b", "abstract": "Plain."}])
    records = read(text, "t.json")
    assert [r.abstract for r in records][1][0].paragraphs == ("Plain.",)
    with abstracts_unread():
        bare = read(text, "t.json")
        assert all(r.abstract == () for r in bare)
        with pytest.raises(InputFormatError, match="'abstract' must be a string"):
            read(json.dumps([{**item, "abstract": 5}]), "t.json")  # still checked
    assert read(text, "t.json") == records  # the switch is off again
    assert [r.with_(abstract=()) for r in records] == bare
    path = tmp_path / "refs.json"
    path.write_text(text, "utf-8")
    for style in ("apa", "ama", "vancouver"):
        for options in (Options(), Options(markup="html"), Options(keep_case=True)):
            assert FORMATS[style].render(bare, options) == FORMATS[style].render(records, options)
        result = runner.invoke(main, ["cite", str(path), "-f", style])
        assert result.exit_code == 0 and result.output == FORMATS[style].render(records)
    result = runner.invoke(main, ["cite", str(path), "-f", "ris"])
    assert "Background: why." in result.output  # a data format keeps the abstract


@pytest.mark.parametrize("escape", ["\\ud800", "\\uDFFF", "\\udc00\\ud800"])
def test_a_lone_surrogate_escape_is_refused_with_its_line(tmp_path, runner, escape):
    """JSON can escape half of a UTF-16 pair; no text holds it, and it would fail every write."""
    from quarterly_cli.cli import main

    path = tmp_path / "refs.json"
    path.write_text('[{"id": "a", "type": "book", "title": "Fine"},\n'
                    f' {{"id": "b", "type": "book", "title": "x{escape}y"}}]', "utf-8")
    result = runner.invoke(main, ["cite", str(path), "-f", "bibtex"])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith(f"Error: {path}: item 2 (from line 2) holds the escape \\u")
    assert result.stderr.count("\n") == 1


def test_surrogate_pairs_and_escaped_backslashes_are_text(tmp_path, runner):
    from quarterly_cli.cli import main

    path = tmp_path / "refs.json"
    path.write_text('[{"id": "a", "type": "book", "title": "x\\ud83d\\ude00y \\\\ud800"}]',
                    "utf-8")
    result = runner.invoke(main, ["cite", str(path), "-f", "csl-json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)[0]["title"] == "x\U0001f600y \\ud800"


_ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=6)  # surrogates included


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.recursive(_ANY_TEXT | st.integers(), lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(_ANY_TEXT, inner, max_size=3), max_leaves=8))
def test_lone_surrogate_finds_what_utf8_cannot_encode(value):
    from quarterly_cli.markup import lone_surrogate

    source = json.dumps(value)  # ASCII: every surrogate written as an escape
    try:
        source.encode().decode()
        json.dumps(value, ensure_ascii=False).encode()
        encodable = True
    except UnicodeEncodeError:
        encodable = False
    assert (lone_surrogate(value, source) is None) == encodable
    assert (lone_surrogate(value) is None) == encodable
