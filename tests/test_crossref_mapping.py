"""Crossref → Record, the complete mapping (issue 8 item 4), on payloads written here in the shape of
real `/works/{doi}` answers (tests/data/crossref/). The same behaviours are checked against the
1,808 real records in test_crossref_mapping_real.py."""

from __future__ import annotations

import copy

import pytest

from quarterly_cli import markup
from quarterly_cli.casing import sentence_case
from quarterly_cli.errors import SourceError
from quarterly_cli.links import Relation
from quarterly_cli.model import validate
from quarterly_cli.sources.crossref import record_from_work

from .conftest import crossref_payload


def message(name: str) -> dict:
    return copy.deepcopy(crossref_payload(name)["message"])


# --- names, containers, ISBNs ---------------------------------------------------------------

def test_chapter_keeps_editors_translator_and_both_container_titles():
    r = record_from_work(message("chapter_in_series"))
    assert r.type == "chapter"
    assert [n.family for n in r.author] == ["Quill", "Reed"]
    assert [(n.family, n.literal) for n in r.editor] == [
        ("Stone", None), ("Tamm", None), (None, "The Bridge Collective")]
    assert [n.family for n in r.names_of("translator")] == ["Umber"]
    # The series is listed first, but its name says it is one: the book is the container.
    assert r.container_title == "Bridges of Paper and Glue"
    assert r.collection_title == "Lecture Notes in Imaginary Engineering"
    assert (r.publisher_place, r.edition, r.page) == ("Cham", "2", "101-118")


def test_two_container_titles_without_a_clue_keep_crossrefs_first_as_the_book():
    m = message("chapter_in_series")
    m["container-title"] = ["Bridges of Paper and Glue", "Mediterranean Paper Engineering"]
    r = record_from_work(m)
    assert (r.container_title, r.collection_title) == (
        "Bridges of Paper and Glue", "Mediterranean Paper Engineering")


def test_volume_number_marks_the_book_and_proceedings_marks_the_series():
    r = record_from_work(message("proceedings_event"))
    assert r.type == "paper-conference"
    assert r.container_title == "Optical Bridges and Their Measurement XII"
    assert r.collection_title == "Imaginary Society Proceedings"


def test_other_with_isbn_is_a_chapter_whose_first_container_is_the_series():
    # Zotero's Crossref REST translator: `other` + ISBN + container → book section, series first.
    m = message("chapter_in_series")
    m["type"] = "other"
    m["container-title"] = ["Imaginary Mathematics", "Structured Paper Matrices"]
    r = record_from_work(m)
    assert r.type == "chapter"
    assert (r.container_title, r.collection_title) == ("Structured Paper Matrices",
                                                       "Imaginary Mathematics")


def test_a_book_in_a_series_has_the_series_as_collection_title():
    m = message("chapter_in_series")
    m["type"] = "monograph"
    m["container-title"] = ["Lecture Notes in Imaginary Engineering"]
    r = record_from_work(m)
    assert r.type == "book"
    assert (r.container_title, r.collection_title) == (None, "Lecture Notes in Imaginary Engineering")


def test_isbns_print_first_and_their_types_kept():
    r = record_from_work(message("chapter_in_series"))
    assert r.ISBN == ("9783000111114", "9783000111121")
    assert r.custom["isbn-type"] == [{"value": "9783000111121", "type": "electronic"},
                                     {"value": "9783000111114", "type": "print"}]
    assert r.ISSN == ("1234-5679", "2345-6784")


def test_every_licence_url_every_funder_name_and_the_language():
    r = record_from_work(message("chapter_in_series"))
    assert r.license == ("https://www.example.org/tdm/v1", "https://www.example.org/vor/v1")
    assert r.funder == ("Imaginary Research Council", "Paper & Glue Foundation")
    assert r.language == "en"


def test_event_name_place_and_dates_and_the_chair():
    r = record_from_work(message("proceedings_event"))
    assert (r.get("event-title"), r.get("event-place")) == ("Optical Bridges XII", "Lyon, France")
    when = r.date("event-date")
    assert when is not None and (when.parts, when.end) == ((2021, 4, 23), (2021, 4, 27))
    assert [n.family for n in r.names_of("chair")] == ["Wren"]
    assert r.ISBN == ("9781510600000",)
    assert r.volume == "11987"


# --- dates ----------------------------------------------------------------------------------

def test_print_date_is_issued_and_the_online_date_is_kept():
    r = record_from_work(message("chapter_in_series"))
    assert r.issued is not None and r.issued.parts == (2023,)
    online = r.date("available-date")
    assert online is not None and online.parts == (2023, 6, 2)


def test_online_date_alone_is_issued_without_a_copy():
    m = message("chapter_in_series")
    del m["published-print"]
    r = record_from_work(m)
    assert r.issued is not None and r.issued.parts == (2023, 6, 2)
    assert r.date("available-date") is None


def test_thesis_approved_date_degree_and_university():
    r = record_from_work(message("thesis"))
    assert r.type == "thesis"
    assert r.issued is not None and r.issued.parts == (2019, 5, 1)
    assert r.genre == "Doctor of Philosophy"
    assert (r.publisher, r.publisher_place) == ("University of Somewhere", "Somewhere, Iowa")


def test_standard_with_only_an_approval_date_and_its_standards_body():
    m = message("thesis")
    m.update(type="standard", publisher="Example Standards", degree=None, institution=None,
             **{"standards-body": {"name": "Example Standards Institution", "acronym": "ESI"}})
    r = record_from_work(m)
    assert r.type == "standard"
    assert r.issued is not None and r.issued.parts == (2019, 5, 1)
    assert (r.publisher, r.get("authority")) == ("Example Standards",
                                                 "Example Standards Institution")


def test_report_published_by_its_laboratory_keeps_its_own_date_not_the_approval():
    m = message("thesis")
    m.update(type="report", degree=None, issued={"date-parts": [[1992, 10, 1]]},
             **{"published-online": {"date-parts": [[1992, 10, 1]]}})
    m["approved"] = {"date-parts": [[2008, 2, 6]]}
    r = record_from_work(m)
    assert r.type == "report"
    assert r.issued is not None and r.issued.parts == (1992, 10, 1)
    assert r.publisher == "University of Somewhere"


def test_month_13_refuses_the_record():
    with pytest.raises(SourceError, match="impossible print date .month 13"):
        record_from_work(message("month13"))


@pytest.mark.parametrize("field", ["issued", "published-online", "approved"])
def test_an_impossible_date_anywhere_it_is_read_refuses_the_record(field):
    m = message("chapter_in_series")
    m[field] = {"date-parts": [[2020, 2, 30]]}
    with pytest.raises(SourceError, match="impossible"):
        record_from_work(m)


# --- titles ---------------------------------------------------------------------------------

NOCASE = '<span class="nocase">'


def test_mathml_title_becomes_text_with_scripts_and_spaces():
    r = record_from_work(message("mathml_title"))
    assert r.title == (
        f"Shape coexistence in the {NOCASE}N = 90</span> nucleus {NOCASE}<sup>155</sup>Gd</span>"
        f" and in Strictly Dominant {NOCASE}M</span>-Matrices of {NOCASE}Ba<sub>2</sub>"
        "Cu<sub>1−x</sub>O<sub>4</sub></span>")
    # Protected from case changes: sentence case of the title-case form leaves the symbols alone.
    title_case = r.title.replace("coexistence", "Coexistence").replace("nucleus", "Nucleus")
    converted = sentence_case(title_case)[0]
    assert markup.plain(converted) == (
        "Shape coexistence in the N = 90 nucleus 155Gd and in strictly dominant M-matrices of "
        "Ba2Cu1−xO4")


def test_mathml_in_a_jats_abstract():
    r = record_from_work(message("mathml_title"))
    assert r.abstract[0].paragraphs == (
        f"Let {NOCASE}A</span> be a matrix with {NOCASE}L<sup>1</sup></span> data; its norm is "
        f"{NOCASE}1/(n + 1)</span>.",)


def test_small_capitals_become_protected_capitals_and_brackets_are_trimmed():
    r = record_from_work(message("small_caps"))
    assert r.title == (
        'The role of <span class="nocase">AI</span> in bridge data: reading and writing trait data '
        'in <span class="nocase">R</span> for giant clams (<i>Tridacna maxima</i>): a tutorial')
    assert r.abstract[0].paragraphs == (
        'Users of the <span class="nocase">R</span> language, <i>Tridacna maxima</i>, and others.',)


def test_title_only_in_original_title_and_subtitle_is_used():
    r = record_from_work(message("title_in_subtitle"))
    assert r.title == "紙の橋の形態学的研究 (其ノ二): 微細構造ヲ中心トシテ"
    assert r.get("original-title") is None  # it is the title already


def test_title_only_in_subtitle_is_used():
    m = message("title_in_subtitle")
    del m["original-title"]
    assert record_from_work(m).title == "微細構造ヲ中心トシテ"


def test_original_title_in_another_language_is_kept():
    m = message("chapter_in_series")
    m["original-title"] = ["Papierbrücken unter Last"]
    r = record_from_work(m)
    assert (r.title, r.get("original-title")) == ("Paper Bridges Under Load",
                                                  "Papierbrücken unter Last")


def test_no_title_anywhere_is_refused():
    m = message("title_in_subtitle")
    del m["original-title"], m["subtitle"]
    with pytest.raises(SourceError, match="no title"):
        record_from_work(m)


def test_escaped_tags_and_double_escaped_entities_are_read():
    r = record_from_work(message("escaped_markup"))
    assert r.title == ('Review for "A new <span class="nocase">DUAL‐INPUT</span> converter '
                       'for & grids"')


def test_escaped_subtitle_tag_joins_with_a_colon():
    m = message("escaped_markup")
    m["title"] = ["ANEMIA IN AN INFANT&lt;subtitle&gt;Treatment with ACTH&lt;/subtitle&gt;"]
    assert record_from_work(m).title == "ANEMIA IN AN INFANT: Treatment with ACTH"


# --- posted content, reviews, relations, updates ----------------------------------------------

def test_preprint_server_group_and_subtype_and_its_relations():
    r = record_from_work(message("preprint"))
    assert r.type == "article"
    assert (r.container_title, r.collection_title, r.genre) == (
        "healthRxiv", "Health Policy", "Preprint")
    assert r.relations == (
        Relation("is-preprint-of", "10.9995/journal.2024.77", "doi"),
        Relation("has-review", "10.9996/2024.01.02.123456/review1", "doi"),
    )


def test_preprint_without_an_institution_takes_the_group_as_container():
    m = message("preprint")
    del m["institution"]
    m["group-title"] = "SSRN"
    r = record_from_work(m)
    assert (r.container_title, r.collection_title) == ("SSRN", None)


def test_posted_content_other_is_a_blog_post_in_its_group():
    r = record_from_work(message("blog_post"))
    assert r.type == "post-weblog"
    assert (r.container_title, r.publisher) == ("paper-bridge-notes", "Blog Platform")
    assert r.relations == (Relation("is-version-of", "10.9994/zyxwv-00001", "doi"),)


def test_peer_review_keeps_what_it_reviews():
    r = record_from_work(message("escaped_markup"))
    assert r.type == "review"
    assert r.relations == (Relation("is-review-of", "10.9990/2050-7038.12345", "doi"),)
    assert [n.family for n in r.editor] == ["Dunn"]


def test_updates_carry_type_direction_date_label_source_and_record_id():
    r = record_from_work(message("mathml_title"))
    correction, retraction = r.updates
    assert (correction.type, correction.DOI, correction.direction, correction.issued,
            correction.label, correction.source, correction.record_id) == (
        "correction", "10.9993/physrevx.0.999999", "update-to", (2015, 4, 20), "Correction",
        "publisher", None)
    assert (retraction.type, retraction.direction, retraction.issued, retraction.source,
            retraction.record_id) == (
        "retraction", "updated-by", (2016, 2, 1), "retraction-watch", "51234")


@pytest.mark.parametrize("crossref_type, csl_type", [
    ("journal-article", "article-journal"), ("book-chapter", "chapter"),
    ("proceedings-article", "paper-conference"), ("monograph", "book"), ("edited-book", "book"),
    ("reference-book", "book"), ("book-series", "book"), ("book-set", "book"),
    ("reference-entry", "entry-encyclopedia"), ("dissertation", "thesis"), ("report", "report"),
    ("dataset", "dataset"), ("peer-review", "review"), ("standard", "standard"),
    ("journal-issue", "periodical"), ("journal", "periodical"), ("component", "document"),
    ("other", "document"), ("no-such-type", "document"),
])
def test_type_table(crossref_type, csl_type):
    m = message("escaped_markup")
    m["type"] = crossref_type
    assert record_from_work(m).type == csl_type


@pytest.mark.parametrize("name", ["chapter_in_series", "proceedings_event", "thesis", "preprint",
                                  "blog_post", "mathml_title", "small_caps",
                                  "title_in_subtitle", "escaped_markup"])
def test_every_record_can_be_stored_and_read_back(name):
    record = record_from_work(message(name))
    assert validate(record) == record
