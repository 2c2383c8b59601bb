"""The citeproc-js string rules the native styles are built on (formats/_citeproc.py), each with
inputs written here, and properties of the styles' output for any text a record may hold.

The expected values are citeproc-js 1.4's (checked with scripts/citeproc_js.py), from the real
Crossref records that showed each rule (scripts/compare_citeproc.py) and the conformance corpora.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quarterly_cli.formats import FORMATS, Options, apa
from quarterly_cli.formats._citeproc import (
    RICH_CHANGES,
    _unchanged_by_rich,
    glue,
    initials,
    italic,
    italic_leaf,
    normalize_initials,
    number,
    ordinal,
    parse_name,
    rich,
    rich_unique,
    title_case,
)
from quarterly_cli.formats._text import collation, collation_code, to_html, to_plain
from quarterly_cli.formats.citations import citation
from quarterly_cli.model import Date, Name, Record


def plain(styled: str) -> str:
    return to_plain(styled)


@pytest.mark.parametrize(("text", "expected"), [
    ("The \"Rainbow\"", "The “Rainbow”"),
    ("Testing of 'Donor' Blood", "Testing of “Donor” Blood"),  # first quotes met are outer
    ("A 'shiny' thing and \"big 'small' world\"", "A “shiny” thing and ‘big “small” world’"),
    ("Britain's 'best' and the '90s", "Britain’s “best” and the ’90s"),
    ("O'Neil", "O’Neil"),
    ("Memory Alloy : Dependence", "Memory Alloy\u202f: Dependence"),  # narrow no-break space
    ("Unbalanced \"quote", "Unbalanced \"quote"),
])
def test_quotes_apostrophes_and_spaces(text, expected):
    assert plain(rich(text)) == expected


def test_quotes_inside_quoted_or_italic_text_flip():
    assert plain(rich("A 'shiny' thing", quoted_context=True)) == "A ‘shiny’ thing"
    html = to_html(italic(rich("About <i>Homo sapiens</i> today", italic_context=True)))
    assert html == '<i>About <span style="font-style:normal;">Homo sapiens</span> today</i>'


def test_markup_in_data_cannot_forge_formatting():
    styled = rich("a\x01b\x1b[31m<script>")
    assert "\x01" not in styled and "\x1b" not in styled
    assert to_html(styled) == "ab[31m&#60;script&#62;"


@pytest.mark.parametrize(("left", "joint", "expected"), [
    ("Who cares?", ". ", "Who cares? "),
    ("Proceedings.", ". ", "Proceedings. "),
    ("Proceedings.", ", ", "Proceedings., "),
    ("Title:", ". ", "Title: "),
    ("Title: ", ". ", "Title: . "),
    ("“Rainbow”\x14", ". ", "“Rainbow.” "),
    ("‘big “small” world’\x14", ".", "‘big “small” world.’"),
    ("A “b ‘c’\x14”\x14", ", ", "A “b ‘c,’\x14”\x14 "),
])
def test_punctuation_where_pieces_meet(left, joint, expected):
    assert plain(glue(left, joint)) == plain(expected)


def test_a_field_styled_on_its_own_keeps_its_mark():
    # ama.csl's journal is `<text variable="container-title" font-style="italic"/>`.
    assert plain(glue(italic_leaf("What now?"), ". ")) == "What now?. "
    assert plain(glue(italic("Who cares?"), ". ")) == "Who cares? "


@pytest.mark.parametrize(("given", "apa_form", "ama_form"), [
    ("Gabriela R.", "G. R.", "GR"),
    ("Jean-Paul", "J.-P.", "JP"),
    ("P.-N.", "P.-N.", "PN"),
    ("Jae-sung", "J.", "J sung"),
    ("William. P.", "William. P.", "WilliamP"),
    ("B.YU.", "B. YU.", "BYU"),
    ("Th.", "Th.", "Th"),
    ("Xiong (Bill)", "X. (Bill)", "X (Bill)"),
    ("Łukasz", "Ł.", "Ł"),
])
def test_initials(given, apa_form, ama_form):
    assert initials(given, ". ") == apa_form
    assert initials(given, "", hyphen=False) == ama_form


def test_suffixes_and_particles_inside_name_parts():
    assert normalize_initials("V", ". ") == "V." and normalize_initials("Jr.", "") == "Jr"
    assert parse_name("van der Berg", "Ludwig van", None, None) == (
        "Berg", "Ludwig", None, "van", "van der", False)
    assert parse_name("King", "Martin, Jr.", None, None)[2] == "Jr."
    assert parse_name("Mathers", "Jonathan", None, None) == (
        "Mathers", "Jonathan", None, None, None, False)


@pytest.mark.parametrize(("variable", "value", "expanded", "minimal"), [
    ("page", "725-753", "725–753", "725–53"),
    ("page", "725-53", "725–753", "725–53"),
    ("page", "S180-S186", "S180–S186", "S180–6"),
    ("page", "e1365-e1376", "e1365–e1376", "e1365–76"),
    ("page", "1392b-1392", "1392b–11392", "1392b–1392"),  # as citeproc-js expands it
    ("page", "E550-556", "E550-556", "E550-556"),
    ("page", "123-45, 200-210", "123–145, 200–210", "123–45, 200–10"),
    ("issue", "4-6", "4–6", "4–6"),
    ("volume", "3-4", "3–4", "3–4"),
    ("issue", "4 Suppl 2", "4 Suppl 2", "4 Suppl 2"),
    ("page", "no-no", "no-no", "no-no"),
])
def test_number_ranges(variable, value, expanded, minimal):
    assert number(variable, value) == expanded
    assert number(variable, value, "minimal") == minimal
    assert number(variable, value, "expanded", "-") == expanded.replace("–", "-")


@pytest.mark.parametrize(("value", "expected"), [
    ("1", "1st"), ("2", "2nd"), ("3", "3rd"), ("4", "4th"), ("11", "11th"), ("12", "12th"),
    ("21", "21st"), ("112", "112th"), ("0", "0"), ("Rev.", "Rev."),
])
def test_ordinals(value, expected):
    assert ordinal(value) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Zeitschrift für anorganische Chemie", "Zeitschrift Für Anorganische Chemie"),
    ("Mechanics and its Applications", "Mechanics and Its Applications"),
    ("a tale of two cities: the end", "A Tale of Two Cities: The End"),
    ("NHS waiting list in England", "NHS Waiting List in England"),
])
def test_title_case_as_citeproc_js(text, expected):
    assert title_case(text) == expected


def test_sort_keys_order_as_citeproc_js():
    names = ["Vance", "van der Berg", "Yildiz", "Yıldız", "Bræstrup", "Brown", "Report 10",
             "Report 9", "<scp>X</scp>", "Anon"]
    assert sorted(names, key=collation) == [
        "<scp>X</scp>", "Anon", "Bræstrup", "Brown", "Report 9", "Report 10", "van der Berg",
        "Vance", "Yildiz", "Yıldız"]


# --- properties -------------------------------------------------------------------------------

TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
# Text made mostly of what the string rules look at: quotes, tags, spaces, punctuation, digits.
MARKED = st.lists(st.sampled_from(
    ["a", "B", "é", "Ø", "ı", "ß", "1", "10", "½", " ", "  ", "-", ".", ":", "?", "!", "«", "»",
     "'", "’", "‘", '"', "“", "”", "<i>", "</i>", "<b>", "</b>", "<sup>", '<span class="nocase">',
     "</span>", "\x01", "\t", "<", "+", "°", "|"]), max_size=25).map("".join)


@settings(max_examples=500, deadline=None)
@given(st.one_of(TEXT, MARKED), st.one_of(TEXT, MARKED))
def test_sort_key_strings_order_as_the_collation_tuples(a, b):
    """`collation_code` (the string the APA sort compares) orders as `collation` does."""
    assert (collation_code(a) < collation_code(b)) == (collation(a) < collation(b))
    assert (collation_code(a) == collation_code(b)) == (collation(a) == collation(b))
    assert (collation_code(a + " " + b) < collation_code(a)) == (collation(a + " " + b) < collation(a))


TEXT_KEY = st.one_of(st.just(apa.UNDEFINED),
                    st.one_of(TEXT, MARKED).map(lambda text: (0, collation_code(text))))
DATE_KEY = st.one_of(st.just(apa.UNDEFINED), st.tuples(
    st.just(0), st.tuples(st.integers(-9999, 9999), st.integers(0, 12), st.integers(0, 31))))
FIRST_KEYS = st.tuples(TEXT_KEY, st.sampled_from("012"), DATE_KEY, TEXT_KEY)


@settings(max_examples=1000, deadline=None)
@given(FIRST_KEYS, FIRST_KEYS)
def test_first_sort_keys_as_one_string_order_as_the_tuples(a, b):
    """`apa.first_keys_code` (what the reference list sorts on) orders as `apa.sort_key`'s tuple."""
    assert (apa.first_keys_code(a) < apa.first_keys_code(b)) == (a < b)
    assert (apa.first_keys_code(a) == apa.first_keys_code(b)) == (a == b)


SMALL = st.sampled_from(["", "A", "a", "B", "Report 9", "Report 10"])


@st.composite
def tying_records(draw) -> list[Record]:
    """Records drawn from few values, so that many tie on the first keys or on all of them."""
    out = []
    for n in range(draw(st.integers(0, 12))):
        family = draw(SMALL)
        year = draw(st.sampled_from([None, 2020, 2021]))
        out.append(Record(draw(SMALL) or f"t{n}", draw(st.sampled_from(["book", "webpage"])),
                          author=(Name(family, "J"),) if family else (),
                          issued=Date.of(year) if year else None,
                          volume=draw(SMALL) or None, status=draw(SMALL) or None,
                          archive=draw(SMALL) or None))
    return out


@settings(max_examples=500, deadline=None)
@given(tying_records())
def test_bibliography_order_is_the_sort_on_all_keys(records):
    """`apa.bibliography_order` (first keys as strings, later keys only within ties) is the
    stable sort on the whole tuple of keys."""
    expected = sorted(range(len(records)), key=lambda i: (
        apa.sort_key(records[i], False), apa._later_keys(records[i], False, None)))
    assert apa.bibliography_order(records, False) == expected


@settings(max_examples=1000, deadline=None, derandomize=True)
@given(st.one_of(TEXT, MARKED), st.one_of(TEXT, MARKED))
def test_the_collation_code_of_two_texts_a_space_apart_is_theirs_joined(first, second):
    """What `apa._listed_name_of` makes an author's sort key of: the family name's code and
    the initials' code, each looked up once."""
    assert collation_code(f"{first} {second}") == collation_code(first) + collation_code(second)


# Variables the later sort keys may read, each present or not.
LATER_VARIABLES = st.dictionaries(st.sampled_from(
    ["container-title", "volume", "volume-title", "reviewed-genre", "reviewed-title", "archive",
     "archive_collection", "archive_location", "archive-place", "language", "publisher"]),
    st.sampled_from(["3", "IV", "Vol. 2", "Archives", "en", "de", "“Q”", "x"]), max_size=4)


@settings(max_examples=1000, deadline=None, derandomize=True)
@given(title=st.one_of(st.just(""), TEXT, MARKED), kind=st.sampled_from(
           ["article-journal", "book", "chapter", "report", "webpage", "post", "review",
            "review-book", "interview", "paper-conference", "bill", "legal_case", "thesis"]),
       variables=LATER_VARIABLES, reviewed=st.booleans(), event=st.booleans(),
       original=st.booleans(), keep_case=st.booleans(),
       title_text=st.one_of(st.none(), st.just(""), TEXT, MARKED))
def test_the_later_keys_of_a_title_alone_are_the_macros(title, kind, variables, reviewed, event,
                                                        original, keep_case, title_text):
    """`apa._later_keys` keys a record with no volume, review or archive by its printed title
    without the `title` macro: the same keys as `_later_keys_general`."""
    rec = Record(title, kind, variables=variables,
                 names={"reviewed-author": (Name("Roe", "A"),)} if reviewed else None,
                 dates={**({"event-date": Date.of(2020, 5)} if event else {}),
                        **({"original-date": Date.of(1899)} if original else {})})
    assert apa._later_keys(rec, keep_case, title_text) == apa._later_keys_general(
        rec, keep_case, title_text)


# What `_unchanged_by_rich` looks for, and what comes near it.
RICH_MARKED = st.lists(st.sampled_from(
    ["a", "é", "1", " ", ":", ";", "?", "!", "«", "»", "'", "’", "‘", '"', "“", "”", "<", ">",
     "\x01", "\x7f", "\u00a0", ".", ",", "-"]), max_size=12).map("".join)


@settings(max_examples=2000, deadline=None, derandomize=True)
@given(st.one_of(TEXT, RICH_MARKED))
def test_unchanged_by_rich_is_the_pattern(text):
    """The plain-text test of `rich_unique` (`in` scans) is the pattern's search."""
    assert _unchanged_by_rich(text) == (text.isprintable()
                                        and not RICH_CHANGES.search(text))


@settings(max_examples=500, deadline=None)
@given(st.one_of(TEXT, MARKED), st.booleans(), st.booleans())
def test_rich_without_its_cache_is_rich(text, italic_context, quoted_context):
    assert rich_unique(text, italic_context, quoted_context) == rich(text, italic_context,
                                                                      quoted_context)


def record(title: str, family: str, given_name: str, container: str, kind: str) -> Record:
    return Record(title or "x", kind, author=(Name(family or "x", given_name or None),),
                  container_title=container or None, issued=Date.of(2020), volume="3",
                  page="1-9", publisher=container or None, DOI="10.1/x")


@settings(max_examples=150, deadline=None)
@given(TEXT, TEXT, TEXT, TEXT, st.sampled_from(["article-journal", "book", "chapter", "report",
                                                "webpage", "thesis", "dataset"]))
def test_html_output_has_only_citeproc_js_tags(title, family, given_name, container, kind):
    for style in ("apa", "ama", "vancouver"):
        html = FORMATS[style].render([record(title, family, given_name, container, kind)],
                                     Options(markup="html", keep_case=True))
        bare = re.sub(r'</?(i|b|sup|sub|div)( [^<>]*)?>|<span style="[a-z:;-]+">|</span>', "",
                      html)
        assert "<" not in bare and ">" not in bare


@settings(max_examples=150, deadline=None)
@given(TEXT, TEXT, TEXT, TEXT, st.sampled_from(["article-journal", "book", "chapter", "report"]))
def test_text_output_has_no_control_characters(title, family, given_name, container, kind):
    for style in ("apa", "ama", "vancouver"):
        text = FORMATS[style].render([record(title, family, given_name, container, kind)],
                                     Options(keep_case=True))
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", text)
        assert text.endswith("\n")
    assert citation([record(title, family, given_name, container, kind)], "apa").startswith("(")


# Volumes and issues, some printed as nothing, as markers alone or ending in a mark.
SERIAL_NUMBERS = st.sampled_from(["", "3", "12-13", "IV", "\x01", "<i></i>", "3,", "2.",
                                  "Suppl. 1", "“4”"])


@settings(max_examples=400, deadline=None, derandomize=True)
@given(title=TEXT, container=st.one_of(TEXT, MARKED),
       families=st.lists(TEXT, min_size=1, max_size=23), volume=SERIAL_NUMBERS,
       issue=SERIAL_NUMBERS, page=st.sampled_from(["", "1-9", "e1365", "725-53", "S10-S16", "\x01"]),
       article=st.sampled_from(["", "e0262"]),
       kind=st.sampled_from(sorted(apa.FAST_SERIAL_TYPES)), month=st.integers(1, 12),
       language=st.sampled_from(["", "en", "de"]), doi=st.booleans())
def test_the_fast_path_for_articles_prints_what_the_macros_print(
        title, container, families, volume, issue, page, article, kind, month, language, doi):
    """`apa._serial_entry` skips the macros that print nothing for an article, and prints each
    journal, volume and issue once: it must print exactly what the general path prints."""
    rec = Record(title or "t", kind, author=tuple(Name(f or "x", "Ann") for f in families),
                 container_title=container or "J", issued=Date.of(2020, month), volume=volume,
                 issue=issue, page=page, number=article, language=language,
                 DOI="10.1/x" if doi else None, URL="https://example.org/x")
    assert rec.type in apa.FAST_SERIAL_TYPES
    assert apa.entry(rec, Options(keep_case=True)) == general_path(rec)


@settings(max_examples=1000, deadline=None, derandomize=True)
@given(journal=st.one_of(TEXT, MARKED), english=st.booleans(),
       volume=st.one_of(st.none(), SERIAL_NUMBERS, MARKED), issue=st.one_of(
           st.none(), SERIAL_NUMBERS, MARKED), where=st.one_of(st.just(""), MARKED))
def test_an_article_s_source_is_its_pieces_joined(journal, english, volume, issue, where):
    """`apa._serial_source` (the journal and the numbers printed once per distinct value, glued
    to their commas) is the join of the pieces `_serial_entry` printed for every article."""
    printed_volume = rich(number("volume", volume)) if volume else ""
    printed_issue = rich(number("issue", issue)) if issue else ""
    numbers = (italic(printed_volume) + apa.LEAF_END if printed_volume else "") + (
        f"({printed_issue})" if printed_issue else "")
    printed = italic(rich(title_case(journal) if english else journal, True))
    assert apa._serial_source(journal, english, volume, issue, where) == apa.join(
        ", ", [printed, numbers, where])


def general_path(rec: Record) -> str:
    """apa.entry's general branch: every macro of apa.csl's bibliography."""
    e = apa.Entry(rec, True)
    head = apa.join(". ", [apa.author_and_contributors(e), apa.date(e),
                           apa.title_and_descriptions(e), apa.source(e)])
    return apa.join(" ", [apa.glue(head, "."), apa.source_doi_url(e),
                          apa.publication_history(e)])


@settings(max_examples=200, deadline=None)
@given(title=TEXT, kind=st.sampled_from(["book", "report"]),
       families=st.lists(TEXT, min_size=1, max_size=22),
       edition=st.sampled_from(["", "2", "Rev. ed.", "0", "3-4"]),
       volume=st.sampled_from(["", "2", "IV", "1-3"]),
       numbered=st.sampled_from(["", "10127", "WHO/UHL/2023.2", "12-14"]),
       genre=st.sampled_from(["", "Technical report", "issue brief", "'Working' paper"]),
       series=st.sampled_from(["", "health systems in transition"]),
       series_number=st.sampled_from(["", "25(2)", "162"]), publisher=TEXT,
       language=st.sampled_from(["", "en-GB", "fr"]), doi=st.booleans())
def test_the_fast_path_for_books_and_reports_prints_what_the_macros_print(
        title, kind, families, edition, volume, numbered, genre, series, series_number,
        publisher, language, doi):
    fields = {"edition": edition, "language": language, "publisher": publisher or None,
              "DOI": "10.1/x" if doi else None, "URL": "https://example.org/x"}
    if kind == "book":
        fields["volume"] = volume
    else:
        fields.update(number=numbered, genre=genre, collection_title=series,
                      collection_number=series_number)
    rec = Record(title or "t", kind, author=tuple(Name(f or "x", "Ann") for f in families),
                 issued=Date.of(2021), **fields)
    assert apa.present_variables(rec) <= apa.FAST_MONOGRAPH[kind]
    assert apa.entry(rec, Options(keep_case=True)) == general_path(rec)


@settings(max_examples=300, deadline=None)
@given(title=TEXT, kind=st.sampled_from(sorted(apa.FAST_PART)),
       families=st.lists(TEXT, min_size=1, max_size=22), editors=st.lists(TEXT, max_size=3),
       container=st.one_of(TEXT, MARKED), publisher=st.one_of(TEXT, MARKED),
       page=st.sampled_from(["", "1-9", "e1365", "725-53", "S10-S16", "12", "iv-x"]),
       month=st.integers(0, 12), language=st.sampled_from(["", "en", "de"]),
       doi=st.booleans(), url=st.booleans(), accessed=st.booleans(), place=st.booleans())
def test_the_fast_paths_for_parts_and_web_pages_print_what_the_macros_print(
        title, kind, families, editors, container, publisher, page, month, language, doi, url,
        accessed, place):
    """`apa._edited_part_entry` and `apa._webpage_entry` skip the macros that print nothing for
    a chapter, an encyclopedia entry, a conference paper in an edited book or a web page: they
    must print exactly what the general path prints, and be taken only where they apply."""
    fields = {"language": language, "publisher": publisher or None,
              "DOI": "10.1/x" if doi else None, "URL": "https://example.org/x" if url else None,
              "accessed": Date.of(2024, 5, 2) if accessed else None,
              "publisher_place": "Oxford" if place else None}
    if kind != "webpage":
        fields.update(editor=tuple(Name(f or "x", "Ed") for f in editors) or None,
                      page=page or None)
    rec = Record(title or "t", kind, author=tuple(Name(f or "x", "Ann") for f in families),
                 container_title=container or None,
                 issued=Date.of(2021, month, 3) if month else Date.of(2021), **fields)
    assert apa.entry(rec, Options(keep_case=True)) == general_path(rec)
    present = apa.present_variables(rec)
    if present <= apa.FAST_PART[kind] and present.issuperset(apa.FAST_PART_NEEDS[kind]):
        fast = apa._webpage_entry if kind == "webpage" else apa._edited_part_entry
        general = apa.Entry(rec, True, "b")
        head = apa.join(". ", [apa.author_and_contributors(general), apa.date(general),
                               apa.title_and_descriptions(general), apa.source(general)])
        assert fast(rec, rec.title, "b") == apa.join(" ", [
            apa.glue(head, "."), apa.source_doi_url(general), apa.publication_history(general)])
