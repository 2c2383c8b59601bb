"""CSL-JSON in and out over the whole CSL vocabulary."""

from __future__ import annotations

import json

import jsonschema
import pytest

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
