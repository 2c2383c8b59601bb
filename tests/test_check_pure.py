"""The checker's judgement without a server: title similarity, field comparison, confident
matches, duplicates, style fields, levels and the outputs."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quarterly_cli.check import (
    MATCH_SCORE,
    STYLE_FIELDS,
    Entry,
    Report,
    best_match,
    compare,
    duplicates,
    judge,
    normalise,
    same_journal,
    style_findings,
    summary,
    title_similarity,
    tsv_lines,
)
from quarterly_cli.formats import FORMATS
from quarterly_cli.identifiers import Identifier
from quarterly_cli.links import Update
from quarterly_cli.model import Date, Name, Record
from quarterly_cli.notices import FAIL_ON, LEVELS

ORIGINAL = Record(
    "The Challenge of Implementing Peer-Led Interventions in a Professionalized Health "
    "Service: A Case Study of the National Health Trainers Service in England", DOI="10.1/m",
    author=(Name("Mathers", "Jonathan"), Name("Taylor", "Rebecca")), issued=Date.of(2014, 12),
    container_title="The Milbank Quarterly", container_title_short="Milbank Q", volume="92",
    issue="4", page="725-753", source="crossref")


def test_normalise_folds_case_accents_markup_and_punctuation():
    assert normalise("Côte d’Ivoire: <i>Plasmodium</i>  FALCIPARUM!") == \
        "cote d ivoire plasmodium falciparum"


def test_title_similarity_thresholds():
    cited = ("The challenge of implementing peer-led interventions in a professionalized health "
             "service")
    assert title_similarity(cited, ORIGINAL.title) >= 0.9  # the subtitle left out
    assert title_similarity(ORIGINAL.title.upper(), ORIGINAL.title) == 1.0
    assert title_similarity("Dental workforce projections", ORIGINAL.title) < 0.6
    assert title_similarity("", ORIGINAL.title) == 0.0


def test_compare_names_each_mismatch_with_both_values():
    cited = ORIGINAL.with_(issued=Date.of(2013), volume="93", page="725-53", issue="04",
                           container_title="Milbank Quarterly")
    other, similarity, found = compare(cited, ORIGINAL, "refs.bib", "Crossref")
    assert (other, similarity) == (False, 1.0)
    assert [(f.field, f.message, f.fix) for f in found] == [
        ("year", "year: 2013 in refs.bib, 2014 in Crossref", "2014"),
        ("volume", "volume: 93 in refs.bib, 92 in Crossref", "92")]


def test_compare_accepts_the_online_year_abbreviations_and_article_numbers():
    registry = ORIGINAL.with_(available_date=Date.of(2013, 11, 2), page="e0262000", number=None)
    cited = ORIGINAL.with_(issued=Date.of(2013), container_title="Milbank Q", page=None,
                           number="e0262000")
    assert compare(cited, registry, "refs.bib", "Crossref")[2] == []
    assert same_journal(Record("x", container_title="N Engl J Med"),
                        Record("y", container_title="The New England Journal of Medicine"))
    assert same_journal(Record("x", container_title="Health Aff (Millwood)"),
                        Record("y", container_title="Health Affairs"))
    assert same_journal(Record("x", container_title="BMJ"),
                        Record("y", container_title="The Lancet")) is False


def test_compare_another_work_unless_author_and_year_agree():
    stranger = Record("Dental Workforce Projections for Remote Island Communities",
                      author=(Name("Halvorsen", "Ingrid"),), issued=Date.of(2011))
    assert compare(ORIGINAL, stranger, "refs.bib", "Crossref")[0] is True
    translated = ORIGINAL.with_(title="Die Herausforderung der Peer-Interventionen")
    other, _, found = compare(translated, ORIGINAL, "refs.bib", "Crossref")
    assert other is False and [f.field for f in found] == ["title"]


def candidate(title: str, doi: str, type_: str = "article-journal", year: int = 2014,
              family: str = "Mathers", **kwargs) -> Record:
    return Record(title, type_, DOI=doi, issued=Date.of(year),
                  author=(Name(family, "J"),), **kwargs)


def test_best_match_is_confident_or_nothing():
    cited = ORIGINAL.with_(DOI=None)
    right = candidate(ORIGINAL.title, "10.1/right")
    assert best_match(cited, [(88.0, right)]).record.DOI == "10.1/right"
    assert best_match(cited, [(MATCH_SCORE - 1, right)]) is None  # score below the floor
    assert best_match(cited, [(88.0, candidate(ORIGINAL.title, "10.1/x", year=2009))]) is None
    assert best_match(cited, [(88.0, candidate(ORIGINAL.title, "10.1/x", family="Ng"))]) is None
    assert best_match(cited, [(88.0, candidate("Peer support in prisons", "10.1/x"))]) is None
    # Two works fit as well: no guess — unless the entry's type tells a preprint apart.
    twin = candidate(ORIGINAL.title, "10.1/twin")
    assert best_match(cited, [(88.0, right), (87.0, twin)]) is None
    preprint = candidate(ORIGINAL.title, "10.1/pre", type_="article")
    assert best_match(cited, [(90.0, preprint), (88.0, right)]).record.DOI == "10.1/right"
    # A notice about the work ("Correction: <title>") is never the match.
    correction = candidate("Correction: " + ORIGINAL.title, "10.1/corr", updates=(
        Update("correction", "10.1/right", "update-to"),))
    assert best_match(cited, [(95.0, correction), (80.0, right)]).record.DOI == "10.1/right"


def entry(key: str, record: Record | None = None, doi: str | None = None) -> Entry:
    return Entry(key, "refs.bib", record, Identifier("doi", doi) if doi else None)


def test_duplicates_by_doi_or_by_title_and_year():
    entries = [entry("a", ORIGINAL, "10.1/m"), entry("b", ORIGINAL.with_(DOI="10.1/M"), "10.1/M"),
               entry("c", ORIGINAL.with_(title=ORIGINAL.title.lower(), DOI=None)),
               entry("d", ORIGINAL.with_(issued=Date.of(2015), DOI=None))]
    found = duplicates(entries)
    assert {n: f.message for n, f in found.items()} == {
        1: "b and a have the same DOI 10.1/M", 2: "c and a have the same title and year"}


def test_style_fields_per_style():
    assert set(STYLE_FIELDS) == {n for n, f in FORMATS.items() if f.is_style}
    sparse = Record("A title", author=(Name("Ng", "K"),), issued=Date.of(2020),
                    container_title="J Ex")
    assert [f.field for f in style_findings(sparse, "apa", "refs.bib")] == ["volume", "page"]
    assert [f.field for f in style_findings(sparse, "ama", "refs.bib")] == ["volume", "issue",
                                                                           "page"]
    assert style_findings(sparse, "vancouver", "refs.bib")[1].message == \
        "VANCOUVER needs pages or an article number; the entry in refs.bib has none"
    book = Record("A book", "book", editor=(Name("Ng", "K"),), issued=Date.of(2020))
    assert style_findings(book, "ama", "refs.bib") == []


def test_levels_and_fail_on():
    assert FAIL_ON[-1] == "none" and LEVELS[0] == "retracted"
    report = Report([Entry("a", "refs.bib", findings=[]), Entry("b", "refs.bib")])
    from quarterly_cli.check import Finding

    report.entries[0].findings = [Finding("duplicate", "b and a are the same")]
    assert not report.fails("missing-doi") and report.fails("duplicate")
    assert not report.fails("none")
    report.entries[1].unchecked = "Crossref answered 503"
    assert report.fails("retracted") and not report.fails("none")
    assert summary(report) == "2 references: 0 clean, 1 with findings (1 duplicate); 1 could " \
                              "not be checked."


def test_judge_orders_findings_by_severity_and_retraction_first():
    retracted = ORIGINAL.with_(updates=(Update("retraction", "10.1/n", "updated-by",
                                               source="publisher"),))
    cited = ORIGINAL.with_(issued=Date.of(2012))
    e = Entry("m", "refs.bib", cited, Identifier("doi", "10.1234/m"), retracted)
    malformed = Entry("x", "refs.bib", cited, Identifier("doi", "10.1/m"))
    judge([e, malformed], "ama")
    assert [f.level for f in e.findings] == ["retracted", "mismatch"]
    assert [f.message for f in malformed.findings] == ["'10.1/m' is not a DOI",
                                                       "x and m have the same title and year"]


@given(st.text(), st.text())
@settings(max_examples=200, deadline=None)
def test_tsv_lines_are_six_clean_cells_whatever_the_input(key, message):
    from quarterly_cli.check import Finding

    e = Entry(key, "refs.bib", findings=[Finding("mismatch", message, "title", message, key)])
    e.unchecked = message or None
    report = Report([e])
    for line in tsv_lines(report):
        assert "\n" not in line and "\r" not in line and "\x1b" not in line
        assert len(line.split("\t")) == 6
    json.loads(json.dumps(summary(report)))


@pytest.mark.parametrize("title", ["", "   ", "(untitled)"])
def test_missing_titles_are_style_findings(title):
    record = Record(title, author=(Name("Ng", "K"),), issued=Date.of(2020), container_title="J",
                    volume="1", page="2")
    assert [f.field for f in style_findings(record, "apa", "x")] == ["title"]
