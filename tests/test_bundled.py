"""The bundled record holds every verified fact (../shared/article/facts.md), nothing invented."""

from __future__ import annotations

import json

import pytest

from quarterly_cli import markup
from quarterly_cli.bundled import bundled_record, load_record_file
from quarterly_cli.errors import RecordFileError


def test_bibliographic_facts():
    r = bundled_record()
    assert markup.plain(r.title) == (
        "The Challenge of Implementing Peer-Led Interventions in a Professionalized Health Service:"
        " A Case Study of the National Health Trainers Service in England"
    )
    assert '<span class="nocase">National Health Trainers Service</span>' in r.title
    assert '<span class="nocase">England</span>' in r.title
    assert [(a.given, a.family) for a in r.author] == [
        ("Jonathan", "Mathers"), ("Rebecca", "Taylor"), ("Jayne", "Parry")]
    assert (r.container_title, r.container_title_short) == ("The Milbank Quarterly", "Milbank Q")
    assert r.ISSN == ("0887-378X", "1468-0009")
    assert r.issued.parts == (2014, 12)
    assert (r.volume, r.issue, r.page) == ("92", "4", "725-753")
    assert (r.DOI, r.PMID, r.PMCID) == ("10.1111/1468-0009.12090", "25492602", "PMC4266174")
    assert r.keyword == ("health trainer", "health inequalities", "policy implementation")
    assert r.publisher == "Wiley"
    assert r.type == "article-journal"
    assert r.get("section") == "Original Investigation"  # the journal section
    assert r.affiliation == ("School of Health and Population Sciences, University of Birmingham",)
    assert r.license == () and all(a.orcid is None for a in r.author)  # unconfirmed: left out


def test_policy_points_and_sections_verbatim():
    r = bundled_record()
    assert len(r.policy_points) == 3
    assert r.policy_points[0].startswith("In 2004, England’s National Health Service")
    assert "“downstream”" in r.policy_points[1]
    assert r.policy_points[2].endswith("established medical system’s characteristics.")
    assert [s.label for s in r.abstract] == ["Context", "Methods", "Findings", "Conclusions"]
    assert r.abstract[1].paragraphs == (
        "During longitudinal case studies of 6 local health trainer services, we conducted"
        " in-depth interviews with key stakeholders and analyzed service activity data.",)
    assert r.abstract[3].paragraphs[0].endswith("(ie, the NHS’s) characteristics.")
    assert "“medicalized”" in r.abstract[3].paragraphs[0]


def test_malformed_json_names_the_file(tmp_path):
    path = tmp_path / "bad.json"
    with pytest.raises(RecordFileError, match=r"bad\.json: not valid JSON \(line 1, column 2"):
        load_record_file(path, "{oops")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"issued": {"date-parts": [[2014, 13]]}}, "field 'issued'"),
        ({"author": [{"given": "Jonathan"}]}, r"field 'author\[0\]': needs a 'family'"),
        ({"volume": ["92"]}, "field 'volume': must be a string"),
        ({"colour": "blue"}, "field 'colour': is not a record field"),
        ({"title": ""}, "field 'title': must not be empty"),
    ],
)
def test_malformed_field_names_the_field(tmp_path, change, message):
    data = bundled_record().to_dict() | change
    with pytest.raises(RecordFileError, match=message):
        load_record_file(tmp_path / "r.json", json.dumps(data))


def test_json_round_trip():
    r = bundled_record()
    assert load_record_file("x", json.dumps(r.to_dict())) == r


def test_cli_reports_a_damaged_bundled_file(runner, tmp_path, monkeypatch):
    from quarterly_cli import bundled
    from quarterly_cli.cli import main

    damaged = tmp_path / bundled.BUNDLED_FILE
    data = bundled_record().to_dict() | {"issued": {"date-parts": [["December"]]}}
    damaged.write_text(json.dumps(data), "utf-8")
    monkeypatch.setattr(bundled, "data_path", lambda name: str(tmp_path / name))
    bundled.bundled_record.cache_clear()
    try:
        result = runner.invoke(main, ["cite"])
    finally:
        bundled.bundled_record.cache_clear()
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"Error: {damaged}: field 'issued': year 'December' is not a number. "
        "Fix that field or reinstall the package.\n")
