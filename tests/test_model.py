"""The record model: one date type with one parser, every CSL variable, the JSON shape."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quarterly_cli.links import Relation, Update
from quarterly_cli.model import (
    DATE_VARS,
    NAME_ROLES,
    TEXT_VARS,
    Date,
    DateError,
    FieldError,
    Name,
    Record,
    Section,
    days_in_month,
    record_from_dict,
    validate,
)


@pytest.mark.parametrize(("text", "parts", "end", "season"), [
    ("2014", (2014,), (), None),
    ("2014-12", (2014, 12), (), None),
    ("2014-12-05", (2014, 12, 5), (), None),
    ("2014-12-05T10:00:00Z", (2014, 12, 5), (), None),
    ("2016/2017", (2016,), (2017,), None),  # biblatex date range
    ("2014-12-01/2014-12-05", (2014, 12, 1), (2014, 12, 5), None),
    ("2014-21", (2014,), (), 1),  # EDTF spring
    ("2014/12/05/", (2014, 12, 5), (), None),  # RIS DA
    ("2014/12//", (2014, 12), (), None),
    ("2014///Spring", (2014,), (), 1),
    ("Dec 2014", (2014, 12), (), None),
    ("Sept. 2014", (2014, 9), (), None),
    ("2014 Dec 5", (2014, 12, 5), (), None),
    ("5 December 2014", (2014, 12, 5), (), None),
    ("December 5, 2014", (2014, 12, 5), (), None),
    ("2014 Nov-Dec", (2014, 11), (2014, 12), None),  # MEDLINE
    ("1998 Dec-1999 Jan", (1998, 12), (1999, 1), None),
    ("2000 Dec 21-28", (2000, 12, 21), (2000, 12, 28), None),
    ("Spring 2015", (2015,), (), 1),
    ("2015 Fall", (2015,), (), 3),
    ("05/12/2014", (2014, 5, 12), (), None),  # US month/day
    ("25/12/2014", (2014, 12, 25), (), None),
    ("5.12.2014", (2014, 12, 5), (), None),
])
def test_one_parser_reads_every_written_form(text, parts, end, season):
    date = Date.parse(text)
    assert (date.parts, date.end, date.season) == (parts, end, season)


@pytest.mark.parametrize("text", ["SEP 22", "in press", "n.d.", "", "forthcoming"])
def test_text_without_a_year_is_no_date(text):
    assert Date.parse(text) is None


def test_loose_parsing_finds_a_lone_year():
    assert Date.parse("2014a", loose=True).parts == (2014,)
    assert Date.parse("c2014", loose=True).parts == (2014,)
    assert Date.parse("2014a") is None
    assert Date.parse("1999 or 2000", loose=True) is None  # two years: no guess


@pytest.mark.parametrize(("value", "message"), [
    ({"date-parts": [[2020, 13]]}, "month 13 is not 1-12"),
    ({"date-parts": [[2020, 2, 30]]}, "day 30 does not exist in 2020-02"),
    ({"date-parts": [[2020, 2, 99]]}, "day 99"),
    ({"date-parts": [[float("inf")]]}, "not a whole number"),
    ({"date-parts": [[1e400]]}, "not a whole number"),
    ({"date-parts": [[float("nan")]]}, "not a whole number"),
    ({"date-parts": [[123456]]}, "out of range"),
    ({"date-parts": "2020"}, "must look like"),
    ({"date-parts": [[True]]}, "not a number"),
    ([2020], "must look like"),
])
def test_impossible_dates_are_refused_with_the_reason(value, message):
    with pytest.raises(DateError, match=message):
        Date.from_csl(value)


def test_text_naming_an_impossible_date_is_refused():
    with pytest.raises(DateError, match="month 13"):
        Date.parse("2020-13-01")


def test_csl_date_objects():
    assert Date.from_csl({"date-parts": [[None]]}) is None  # Crossref's empty date
    assert Date.from_csl({"date-parts": [["2014", "12"]]}).parts == (2014, 12)
    assert Date.from_csl({"date-parts": [[2016], [2017]]}).end == (2017,)
    assert Date.from_csl({"date-parts": [[2016], [2016]]}).end == ()
    assert Date.from_csl({"raw": "2014 Nov-Dec"}).end == (2014, 12)
    assert Date.from_csl({"literal": "Spring term"}).literal == "Spring term"
    assert Date.from_csl({"date-parts": [[2015]], "season": "summer"}).season == 2
    assert Date.from_csl({"date-parts": [[2015]], "circa": True}).circa
    leap = Date.from_csl({"date-parts": [[2020, 2, 29]]})
    assert leap.to_csl() == {"date-parts": [[2020, 2, 29]]} and leap.iso() == "2020-02-29"
    assert Date.parse("2016/2017").iso() == "2016/2017"


def _every_variable_record() -> Record:
    return Record(
        "A <i>title</i>", "chapter",
        names={role: (Name(family=f"F{n}", given="G"),) for n, role in enumerate(NAME_ROLES)},
        dates={var: Date.of(2000 + n, 1 + n, 1 + n) for n, var in enumerate(DATE_VARS)},
        variables={var: f"value {n}" for n, var in enumerate(TEXT_VARS)},
        ISSN=("1234-5678", "8765-4321"), ISBN=("978-3-16-148410-0",), keyword=("k1", "k2"),
        subject=("s",), mesh=("Humans",), license=("https://l/1", "https://l/2"),
        funder=("Wellcome Trust",), affiliation=("Somewhere",), policy_points=("p",),
        abstract=(Section("Methods", ("m1", "m2")),), abstract_source="PubMed 1",
        updates=(Update("retraction", "10.5555/r", "updated-by", Date.of(2020, 5),
                        "Retraction", "retraction-watch", "12345"),),
        relations=(Relation("is-preprint-of", "10.5555/p"),), more_names=("author",),
        custom={"bibtex-mrclass": "62F10"}, id="key1", source="test")


def test_every_csl_variable_and_role_survives_the_json_shape():
    record = _every_variable_record()
    data = record.to_dict()
    assert set(NAME_ROLES) | set(DATE_VARS) | set(TEXT_VARS) - {"source"} <= set(data)
    assert (data["csl-source"], data["source"]) == (record.get("source"), "test")
    assert record_from_dict(data) == record
    assert validate(record) == record


def test_keyword_construction_and_with_():
    record = Record("T", author=(Name("Doe", "J"),), issued=(2014, 12), container_title="J",
                    edition=2, collection_number="7", archive_location="Box 3")
    assert record.issued.parts == (2014, 12) and record.year == 2014 and record.month == 12
    assert record.get("edition") == "2" and record.get("collection-number") == "7"
    assert record.get("archive_location") == "Box 3"  # CSL's own underscore
    changed = record.with_(title="U", volume="3", edition=None, issued=Date.of(2015))
    assert (changed.title, changed.volume, changed.get("edition"), changed.year) == (
        "U", "3", None, 2015)
    assert record.title == "T" and record.get("edition") == "2"  # unchanged
    with pytest.raises(TypeError, match="unknown CSL variable"):
        Record("T", journal="J")


def test_records_from_release_0_1_0_still_load():
    """The JSON shape of 0.1.0 (licence as a string, update dates under `issued`)."""
    old = {"title": "T", "type": "article-journal", "issued": {"date-parts": [[2014, 12]]},
           "ISSN": ["0887-378X"], "license": "https://l", "keyword": ["a", "b"],
           "updates": [{"type": "correction", "DOI": "10.5555/c", "direction": "updated-by",
                        "issued": {"date-parts": [[2015, 1, 2]]}}],
           "abstract": [{"label": None, "paragraphs": ["x"]}], "source": "crossref"}
    record = record_from_dict(old)
    assert record.license == ("https://l",) and record.updates[0].issued == (2015, 1, 2)


@pytest.mark.parametrize(("data", "field"), [
    ({"title": "T", "issued": {"date-parts": [[2014, 13]]}}, "issued"),
    ({"title": "T", "accessed": {"date-parts": [[2014, 2, 30]]}}, "accessed"),
    ({"title": "T", "journal": "J"}, "journal"),
    ({"title": "T", "editor": [{"given": "G"}]}, "editor[0]"),
    ({"title": "T", "edition": ["2"]}, "edition"),
    ({"title": "T", "custom": []}, "custom"),
])
def test_bad_json_names_the_field(data, field):
    with pytest.raises(FieldError) as caught:
        record_from_dict(data)
    assert caught.value.field == field


def test_a_literal_date_loses_its_control_characters():
    assert Date.from_csl({"literal": "Spring\x1b]52;c;aGk=\x07 term"}).literal == "Spring term"
    assert Date.from_csl({"raw": "\x1b[2Jsoon"}).literal == "soon"
    assert Date.from_csl("\x07") is None


# Record.from_tables (the readers' constructor for tables built for one record) against Record(…).
_short = st.text(st.sampled_from(list("ab É-<:")), max_size=6)
_names = st.dictionaries(st.sampled_from(sorted(NAME_ROLES)), st.lists(st.builds(
    Name, st.none() | _short, st.none() | _short), min_size=1, max_size=3).map(tuple), max_size=3)
_dates = st.dictionaries(st.sampled_from(sorted(DATE_VARS)), st.builds(
    Date, st.tuples(st.integers(1, 2100)), st.just(()), st.none() | st.integers(1, 4)),
    max_size=2)
_strings = st.lists(_short, max_size=3)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(_short, st.sampled_from(["article-journal", "book", "chapter"]), _names, _dates,
       st.dictionaries(st.sampled_from(sorted(TEXT_VARS)), _short.filter(bool), max_size=4),
       _strings, _strings, _strings, _strings,
       st.lists(st.builds(Section, st.none() | _short, _strings.map(tuple)), max_size=2),
       st.dictionaries(st.sampled_from(["ris", "x"]), st.dictionaries(_short, _strings),
                       max_size=2),
       st.none() | _short, st.sampled_from(["ris", "bibtex"]),
       st.lists(st.sampled_from(sorted(NAME_ROLES)), max_size=2))
def test_from_tables_is_record(title, type_, names, dates, variables, issn, isbn, keyword,
                               affiliation, abstract, custom, id_, source, more_names):
    expected = Record(title, type_, names=names, dates=dates, variables=variables, ISSN=issn,
                      ISBN=isbn, keyword=keyword, affiliation=affiliation, abstract=abstract,
                      custom=custom, id=id_, source=source, more_names=more_names)
    made = Record.from_tables(title, type_, names, dates, variables, issn, isbn, keyword,
                              affiliation, tuple(abstract), custom, id_, source, more_names)
    assert type(made) is Record
    assert made == expected
    assert repr(made) == repr(expected)
    assert made.to_dict() == expected.to_dict()
    with pytest.raises(AttributeError):  # frozen like any Record (FrozenInstanceError)
        made.title = "changed"  # type: ignore[misc]


@settings(max_examples=500, derandomize=True, deadline=None)
@given(st.integers(1, 9999), st.integers(1, 12))
def test_days_in_month_is_calendars(year, month):
    """model.days_in_month, which spares start-up the calendar module, against calendar itself."""
    import calendar

    assert days_in_month(year, month) == calendar.monthrange(year, month)[1]
