"""The BibTeX and BibLaTeX writers: the fields each entry type takes, escaping that no reader
misreads (bibtexparser, pybtex and ours), `--ascii`, and round trips of records of every type
(hand-written here, and arbitrary Unicode ones from hypothesis)."""

from __future__ import annotations

import contextlib
import io
import logging
import unicodedata

import bibtexparser
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pybtex.database import parse_string as pybtex_parse

from quarterly_cli import diagnostics, markup
from quarterly_cli.formats import FORMATS, Options
from quarterly_cli.model import Date, Name, Record, Section
from quarterly_cli.readers import read_text


def render(records, dialect="bibtex", **options) -> str:
    return FORMATS[dialect].render(records, Options(**options))


def back(text: str) -> list[Record]:
    with diagnostics.capture():
        return read_text(text, "x.bib", "bibtex")


def fields_of(text: str) -> dict[str, str]:
    (entry,) = bibtexparser.parse_string(text).entries
    return {f.key: str(f.value) for f in entry.fields}


def pybtex(text: str):
    with contextlib.redirect_stderr(io.StringIO()):
        return pybtex_parse(text, "bibtex")


# --- the fields each type takes ------------------------------------------------------------

PEOPLE = (Name(family="Doe", given="Jane"),)


@pytest.mark.parametrize(("record", "bibtex", "biblatex"), [
    (Record(title="Chapter", type="chapter", author=PEOPLE, container_title="The Book",
            editor=(Name(family="Ed", given="Ann"),), publisher="Policy Press",
            publisher_place="Bristol", collection_title="Studies", collection_number="7"),
     ("@incollection", {"booktitle": "The Book", "editor": "Ed, Ann", "address": "Bristol",
                        "series": "Studies", "number": "7", "publisher": "Policy Press"}),
     ("@incollection", {"booktitle": "The Book", "location": "Bristol"})),
    (Record(title="Paper", type="paper-conference", author=PEOPLE, container_title="Proc. X",
            event_title="X 2020", event_place="Berlin"),
     ("@inproceedings", {"booktitle": "Proc. X", "eventtitle": "X 2020", "venue": "Berlin"}),
     ("@inproceedings", {"booktitle": "Proc. X"})),
    (Record(title="Thesis", type="thesis", author=PEOPLE, publisher="Univ. of Bristol",
            genre="Master's thesis"),
     ("@mastersthesis", {"school": "Univ. of Bristol"}),
     ("@thesis", {"institution": "Univ. of Bristol", "type": "mathesis"})),
    (Record(title="Report", type="report", author=PEOPLE, publisher="RAND", number="RR-1",
            genre="Working paper"),
     ("@techreport", {"institution": "RAND", "number": "RR-1", "type": "Working paper"}),
     ("@report", {"institution": "RAND", "number": "RR-1"})),
    (Record(title="Page", type="webpage", author=PEOPLE, URL="https://x.org/a_b",
            accessed=Date((2020, 1, 2)), issued=Date((2019, 5, 4))),
     ("@online", {"howpublished": "\\url{https://x.org/a_b}", "url": "https://x.org/a_b",
                  "urldate": "2020-01-02", "year": "2019", "month": "may",
                  "date": "2019-05-04"}),
     ("@online", {"url": "https://x.org/a_b", "urldate": "2020-01-02", "date": "2019-05-04"})),
    (Record(title="Article", type="article-journal", author=PEOPLE, container_title="J",
            volume="9", issue="2", number="e0262000", ISSN=("1234-5678", "8765-4321")),
     ("@article", {"journal": "J", "number": "2", "eid": "e0262000",
                   "issn": "1234-5678, 8765-4321"}),
     ("@article", {"journaltitle": "J", "number": "2", "eid": "e0262000"})),
    (Record(title="Book", type="book", editor=PEOPLE, edition="3", ISBN=("978-0-00-000000-2",),
            number_of_pages="300", note="A note"),
     ("@book", {"editor": "Doe, Jane", "edition": "3", "isbn": "978-0-00-000000-2",
                "pagetotal": "300", "note": "A note"}),
     ("@book", {"edition": "3"})),
    (Record(title="Doc", type="document", publisher="WHO"),
     ("@misc", {"howpublished": "WHO"}), ("@misc", {"howpublished": "WHO"})),
    (Record(title="Patent", type="patent", number="US 1234"),
     ("@patent", {"number": "US 1234"}), ("@patent", {"number": "US 1234"})),
])
def test_fields_per_type(record, bibtex, biblatex):
    for dialect, (entry_type, expected) in (("bibtex", bibtex), ("biblatex", biblatex)):
        text = render([record], dialect)
        assert text.startswith(entry_type + "{")
        found = fields_of(text)
        assert {k: found.get(k) for k in expected} == expected
        assert "journal" not in found or record.type == "article-journal"


# --- escaping ------------------------------------------------------------------------------

def test_ligatures_are_protected():
    record = Record(title="Ages 18--64, ``quoted'' and !`", issued=(2020,))
    text = render([record])
    assert "18-{}-64" in text
    (again,) = back(text)
    assert again.title == record.title
    assert pybtex(text).entries[again.id].fields["title"] == "Ages 18-{}-64, `{}`quoted'{}' and !{}`"


@pytest.mark.parametrize("ascii_", [False, True])
def test_a_line_starting_with_at_does_not_start_an_entry(ascii_):
    record = Record(title="T", abstract=(Section(None, ("First.", "@WHO (2020) said so",
                                                         "@Über\n@x")),), issued=(2020,))
    text = render([record], ascii=ascii_)
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks and len(library.entries) == 1
    assert len(pybtex(text).entries) == 1
    (again,) = back(text)
    assert again.abstract[0].paragraphs == ("First.", "@WHO (2020) said so", "@Über @x")


def test_names_with_braces_and_commas_and_dollars_read_back_as_written():
    names = (Name(family="Smith, Jr and Sons", given="A"), Name(family="de Souza", given="B"),
             Name(family="{Brace}", given="C$"), Name(family="Berg", given="P.",
                                                     non_dropping_particle="van der"),
             Name(family="King", given="Martin", suffix="Jr."), Name(literal="R & D {Ltd}"))
    record = Record(title="T", author=names, issued=(2020,))
    for dialect in ("bibtex", "biblatex"):
        for ascii_ in (False, True):
            text = render([record], dialect, ascii=ascii_)
            (again,) = back(text)
            assert again.author == names
            persons = pybtex(text).entries[again.id].persons["author"]
            assert len(persons) == len(names)


ASCII_TEXT = "Nguyễn Ð Þ đ ı ŋ ŧ «guillemets» ‐ – — “” ‘’ 中文 Ærø ß"


def test_ascii_is_pure_ascii_and_reads_back():
    record = Record(title=ASCII_TEXT, author=(Name(family="Nguyễn", given="Thị Minh"),),
                    container_title="Čas. Lék. Česk.", issued=(2020,),
                    URL="https://x.org/é", abstract=(Section(None, (ASCII_TEXT,)),))
    for dialect in ("bibtex", "biblatex"):
        text = render([record], dialect, ascii=True)
        assert text.isascii()
        assert "Nguy{\\~{\\^e}}n" in text
        (again,) = back(text)
        assert (again.title, again.author, again.container_title) == (
            record.title, record.author, record.container_title)
        assert again.abstract == record.abstract
        assert again.URL == "https://x.org/%C3%A9"


def test_ascii_covers_kept_fields_and_literal_dates():
    record = back("@article{k, title={T}, year={à paraître}, mrnote = {Café}}")[0]
    text = render([record], "biblatex", ascii=True)
    assert text.isascii()
    (again,) = back(text)
    assert again.issued.literal == "à paraître" and "Caf" in again.custom["bibtex:mrnote"]


def test_hostile_text_stays_inside_its_field():
    record = Record(title="} @article{evil, title={x", note="%\n@comment{",
                    author=(Name(literal="}{"),), URL="http://x/{", issued=(2020,))
    text = render([record])
    assert text.count("{") == text.count("}")
    library = bibtexparser.parse_string(text)
    assert len(library.entries) == 1 and not library.failed_blocks
    (again,) = back(text)
    assert (again.title, again.note, again.author[0].literal) == (record.title, "% @comment{",
                                                                  "}{")


def test_bibtexparser_logs_nothing(caplog):
    with caplog.at_level(logging.DEBUG):
        back(render([Record(title="T", issued=(2020,))] * 2))
    assert not [r for r in caplog.records if r.name.startswith("bibtexparser")]


# --- round trips of every type -------------------------------------------------------------

SMALL = [
    Record(title="A {Protected} <i>Title</i> with CO<sub>2</sub>", type=csl, id=f"k-{csl}",
           author=(Name(family="Müller", given="Jürgen"), Name(literal="World Health Org")),
           editor=(Name(family="Ed", given="Ann"),), translator=(Name(family="Tr", given="T"),),
           container_author=(Name(family="Big", given="Author"),),
           container_title="Container <i>Title</i>", collection_title="Series",
           collection_number="12", edition="2", publisher="Publisher & Co",
           publisher_place="Paris", volume="9", issue="3", number="A-17", page="725-753",
           note="A note", DOI="10.1000/(SICI)1;2-<3>", URL="https://x.org/a?b=c#d",
           issued=Date((2014, 12, 5)), accessed=Date((2020, 1, 2)),
           ISBN=("978-0-00-000000-2", "0-00-000000-0"), ISSN=("1234-5678",),
           abstract=(Section("Background", ("First paragraph.", "Second.")),
                     Section("Methods", ("We did it.",))),
           more_names=("author",))
    for csl in ("article-journal", "article-magazine", "article-newspaper", "book", "chapter",
                "paper-conference", "report", "thesis", "webpage", "manuscript", "patent",
                "software", "dataset", "document", "periodical", "pamphlet",
                "entry-encyclopedia", "graphic", "figure", "song", "musical_score",
                "motion_picture", "performance", "legal_case", "legislation", "treaty",
                "personal_communication", "review", "standard")
]
SERIES_TYPES = ("book", "chapter", "paper-conference", "pamphlet", "entry-encyclopedia")
KEPT = ("container-title", "collection-title", "edition", "publisher", "publisher-place",
        "DOI", "URL", "page", "note", "volume")


def essentials(record: Record) -> dict:
    out = {"type": record.type, "id": record.id, "names": dict(record.names),
           "more": record.more_names, "ISBN": record.ISBN, "ISSN": record.ISSN,
           "dates": dict(record.dates), "abstract": record.abstract, "title": record.title,
           # BibTeX has a series number only for books and their parts (README)
           "numbers": sorted(v for v in (record.issue, record.number, record.get(
               "collection-number") if record.type in SERIES_TYPES else None) if v)}
    out.update({var: record.get(var) for var in KEPT})
    return out


@pytest.mark.parametrize("chain", [("bibtex",), ("biblatex",), ("bibtex", "biblatex"),
                                   ("biblatex", "bibtex"), ("biblatex", "csl-json", "bibtex")])
@pytest.mark.parametrize("ascii_", [False, True], ids=["utf8", "ascii"])
def test_small_records_of_every_type_round_trip(chain, ascii_):
    records = SMALL
    with diagnostics.capture():
        for name in chain:
            records = read_text(FORMATS[name].render(records, Options(ascii=ascii_)), name,
                                "csl-json" if name == "csl-json" else "bibtex")
    for before, after in zip(SMALL, records, strict=True):
        expected = essentials(before)
        if ascii_:
            expected["URL"] = before.URL  # ASCII already
        assert essentials(after) == expected


# --- properties ----------------------------------------------------------------------------

# Text as the reader returns it: NFC (compatibility ideographs and decomposed accents are
# composed on reading, by design), white space folded.
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1,
               max_size=30).map(lambda t: " ".join(unicodedata.normalize("NFC", t).split())
                                 ).filter(bool)
NAME_TEXT = TEXT.filter(lambda t: t.strip(",") == t and t.lower() not in ("others", "et al"))


@st.composite
def records(draw):
    people = draw(st.lists(st.one_of(
        st.builds(lambda f, g: Name(family=f, given=g), NAME_TEXT, st.none() | NAME_TEXT),
        st.builds(lambda lit: Name(literal=lit), NAME_TEXT)), max_size=3))
    return Record(
        title=markup.literal(draw(TEXT)), type=draw(st.sampled_from(
            ["article-journal", "book", "chapter", "report", "thesis", "webpage"])),
        author=tuple(people), container_title=markup.literal(draw(TEXT)),
        publisher=draw(TEXT), note=draw(TEXT), volume=draw(st.none() | TEXT),
        issued=draw(st.none() | st.builds(Date.of, st.integers(1000, 2100),
                                          st.integers(1, 12), st.integers(1, 28))),
        abstract=(Section(None, (draw(TEXT), draw(TEXT))),))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records(), st.sampled_from(["bibtex", "biblatex"]), st.booleans())
def test_any_record_survives_writer_and_reader(record, dialect, ascii_):
    text = render([record], dialect, ascii=ascii_)
    if ascii_:
        assert text.isascii()
    library = bibtexparser.parse_string(text)
    assert len(library.entries) == 1 and not library.failed_blocks
    assert len(pybtex(text).entries) == 1
    (again,) = back(text)
    assert again.type == record.type and again.author == record.author
    assert markup.parse(again.title) == markup.parse(record.title)
    assert markup.parse(again.container_title) == markup.parse(record.container_title)
    assert (again.publisher, again.note, again.volume, again.issued) == (
        record.publisher, record.note, record.volume, record.issued)
    assert again.abstract == record.abstract


def _part_reference(text, escape, lower_ok=True):
    """bibtex._part as written before its shortcut for a part of letters only."""
    import re

    escaped = escape(text)
    if re.search(r",|\band\b|^\s|\s$", text, re.IGNORECASE) or (
            not lower_ok and " " in text and any(
                w[:1].islower() or not w[:1].isalpha() for w in text.split()[:-1])):
        return "{" + escaped + "}"
    return escaped


@settings(max_examples=1500, derandomize=True, deadline=None)
@given(st.one_of(st.text(max_size=12), st.sampled_from(["and", "AND", "And", "aNd", "andy", "Ändern"]),
                 st.lists(st.sampled_from([",", " ", "and", "AND", "\n", "\u00a0", "\u2028", "a",
                                           "J.", "-", "Ån", "d"]), max_size=6).map("".join)),
       st.booleans())
def test_name_part_shortcut_is_the_plain_rule(text, lower_ok):
    from quarterly_cli.formats import bibtex as bibtex_mod

    for escape in (bibtex_mod._text, bibtex_mod._text_ascii):
        assert bibtex_mod._part(text, escape, lower_ok) == _part_reference(text, escape, lower_ok)


@settings(max_examples=1000, derandomize=True, deadline=None)
@given(st.text(st.characters(categories=("L", "N")), max_size=8))
def test_letters_and_digits_need_no_escaping(text):
    from quarterly_cli.formats import bibtex as bibtex_mod

    assert bibtex_mod._text(text) == markup.escape_latex(markup.strip_controls(text))


_RICH_PIECES = ["<i>", "</i>", '<span class="nocase">', "</span>", "<", "\x1b[31m", "\x07", "\n",
                "&", "--", "''", "{", "\\", "é", "a", " "]


@settings(max_examples=1500, derandomize=True, deadline=None)
@given(st.one_of(st.text(max_size=20),
                 st.lists(st.sampled_from(_RICH_PIECES), max_size=10).map("".join)))
def test_rich_shortcut_is_the_general_path(text):
    """_rich's shortcut for printable text without markup is to_latex of the cleaned text."""
    from quarterly_cli.formats import bibtex as bibtex_mod

    assert bibtex_mod._rich(text) == markup.to_latex(markup.strip_controls(text))


# Every ASCII character _plain looks for, those around them (`-`, `'`, tab, newline, DEL's
# neighbours) and some that are not ASCII (a C1 control, an accented letter, a dash).
_PLAIN_PIECES = [*map(chr, range(33)), "\x7e", "\x7f", "\x80", "\x85", "\\", "{", "}", "&", "%",
                 "$", "#", "_", "~", "^", "<", "<i>", "`", "!`", "?`", "-", "--", "'", "''", "a",
                 "Z", "é", "–", "\u2028", "\x1b[31m"]


@settings(max_examples=3000, derandomize=True, deadline=None)
@given(st.one_of(st.text(max_size=20),
                 st.lists(st.sampled_from(_PLAIN_PIECES), max_size=8).map("".join)))
def test_plain_shortcut_is_the_general_path(text):
    """_text and _rich return plain ASCII text (_plain) as it is: the same as their general
    paths, escape_latex and to_latex of the text without controls."""
    from quarterly_cli.formats import bibtex as bibtex_mod

    clean = markup.strip_controls(text)
    assert bibtex_mod._text(text) == markup.escape_latex(clean)
    assert bibtex_mod._rich(text) == markup.to_latex(clean)
    if bibtex_mod._plain(text):
        assert markup.to_latex(clean) == text


@settings(max_examples=2000, derandomize=True, deadline=None)
@given(st.one_of(st.text(max_size=20), st.lists(st.sampled_from(
    [*_PLAIN_PIECES, "https://doi.org/", "10.1000/x", "\\_", "%7B"]), max_size=6).map("".join)),
    st.booleans())
def test_plain_url_shortcut_is_the_general_path(url, ascii_only):
    """safe_url returns an ASCII URL without controls, backslashes or braces as it is: the same
    as _safe_url for any text."""
    from quarterly_cli.formats import bibtex as bibtex_mod

    assert bibtex_mod.safe_url(url, ascii_only) == bibtex_mod._safe_url(url, ascii_only)


@settings(max_examples=500, derandomize=True, deadline=None)
@given(st.lists(st.text(st.sampled_from(list("@\n\t a")), max_size=12), min_size=4, max_size=4))
def test_only_values_with_an_at_line_are_protected(values):
    """entry looks for `@` once in the whole body: every value line that would start with `@`
    is still protected ({}@), and nothing else changes."""
    from quarterly_cli.formats import bibtex as bibtex_mod

    title, note, abstract, publisher = values
    record = Record(title, "book", note=note, publisher=publisher,
                    abstract=(Section(None, (abstract,)),) if abstract else ())
    text = bibtex_mod.entry(record, "k", Options(), biblatex=False)
    lines = text.split("\n")
    assert not any(line.lstrip(" \t").startswith("@") for line in lines[1:])
    unprotected = text.replace("{}@", "@")
    assert unprotected == "@book{k,\n" + ",\n".join(
        bibtex_mod.field_lines(record, Options(), False)) + "\n}\n"


@settings(max_examples=2000, derandomize=True, deadline=None)
@given(st.one_of(st.text(max_size=30), st.text(st.sampled_from(list("@\n\t a{}\r")), max_size=20)))
def test_protect_lines_is_the_one_pattern_substitution(value):
    """protect_lines looks at the first line and the others apart (two patterns, the second led
    by its newline): the same text as the one pattern it replaced."""
    import re

    from quarterly_cli.formats.bibtex import protect_lines

    expected = re.sub(r"(^|\n)([ \t]*)@", r"\1\2{}@", value) if "@" in value else value
    assert protect_lines(value) == expected


def test_a_value_line_starting_with_at_is_not_a_new_entry():
    from quarterly_cli.formats import bibtex as bibtex_mod

    record = Record("@misc{x, title = {t}}", "article-journal", abstract=(
        Section(None, ("First.", "@book{y,", "  @ z")),), note="a@b")
    text = bibtex_mod.entry(record, "k", Options(), biblatex=False)
    assert "  title = {{}@misc\\textbraceleft{}x, title = \\textbraceleft{}t\\textbraceright{}" \
           "\\textbraceright{}}" in text
    assert "First.\n\n{}@book\\textbraceleft{}y,\n\n  {}@ z}" in text
    assert "  note = {a@b}" in text
    assert [line for line in text.splitlines() if line.lstrip().startswith("@")] == ["@article{k,"]


# --- field_lines' shortcuts against the general paths ------------------------------------------

@settings(max_examples=1000, derandomize=True, deadline=None)
@given(st.lists(st.sampled_from(["12", "e3", "7", "é", "-", "--", "---", "–", "—", " ", "\\", "{",
                                 "%"]), min_size=1, max_size=5).map("".join),
       st.booleans(), st.booleans())
def test_pages_shortcut_is_pages_line(page, ascii_only, biblatex):
    """field_lines writes plain pages (`854`, `336-341`, `343--355`) without _pages_line: the
    same line as _pages_line for any page text."""
    from quarterly_cli.formats import bibtex as bibtex_mod

    text = bibtex_mod._ESCAPES[ascii_only][0]
    lines = bibtex_mod.field_lines(Record("T", page=page), Options(ascii=ascii_only), biblatex)
    assert [line for line in lines if line.startswith("  pages = ")] == [
        bibtex_mod._pages_line(page, text)]


_ROLES = ("author", "editor", "translator", "compiler", "contributor", "container-author")
_PEOPLE = st.lists(st.builds(Name, st.sampled_from(["Smith", "and", "de la Cruz"]),
                             st.sampled_from([None, "J. A.", "Ann"])), max_size=2).map(tuple)


@settings(max_examples=1000, derandomize=True, deadline=None)
@given(st.dictionaries(st.sampled_from(_ROLES), _PEOPLE, max_size=3),
       st.lists(st.sampled_from(_ROLES), max_size=2, unique=True))
def test_authors_alone_shortcut_is_name_lines(names, more):
    """field_lines writes a record that names authors alone without _name_lines: the same name
    lines as _name_lines for any names table and roles that went on unnamed."""
    from quarterly_cli.formats import bibtex as bibtex_mod

    record = Record("T", "book", names=names, more_names=more)
    expected = bibtex_mod._name_lines(record.names, record.more_names, bibtex_mod._text)
    lines = bibtex_mod.field_lines(record, Options(), False)
    assert lines[:len(expected)] == expected
    assert lines[len(expected)].startswith("  title = ")


_DATES = st.one_of(
    st.builds(Date, st.one_of(st.tuples(st.integers(-50, 2100)),
                              st.tuples(st.integers(1, 2100), st.integers(1, 12)),
                              st.tuples(st.integers(1, 2100), st.integers(1, 12),
                                        st.integers(1, 28))),
              st.one_of(st.just(()), st.tuples(st.integers(2101, 2200))),
              st.one_of(st.none(), st.integers(1, 4))),
    st.builds(Date, literal=st.text(st.sampled_from(list("in press-{")), max_size=8)))


@settings(max_examples=1000, derandomize=True, deadline=None)
@given(_DATES, st.booleans())
def test_year_alone_shortcut_is_issued_lines(date, biblatex):
    """field_lines writes a year alone without _issued_lines: the same lines as _issued_lines
    for any issued date."""
    from quarterly_cli.formats import bibtex as bibtex_mod

    lines = bibtex_mod.field_lines(Record("T", issued=date), Options(), biblatex)
    assert lines[1:] == bibtex_mod._issued_lines(date, biblatex, bibtex_mod._text)


_NAME_PIECES = ["J", "J.", ".", "a", "And", "AND", "Andrew", "van", "Ö", " ", "-", "--", ",", "&",
                "\\", "\t"]
_NAME_PART = st.one_of(
    st.lists(st.sampled_from(_NAME_PIECES), max_size=5).map("".join),
    st.builds(str.join, st.sampled_from([" ", "-", "--", ". ", "", "  ", ", "]),
              st.lists(st.sampled_from(["J", "J.", "Ann", "ann", "And", "AND", "Ö", "van", "a"]),
                       min_size=1, max_size=3)))


@settings(max_examples=3000, derandomize=True, deadline=None)
@given(_NAME_PART)
def test_plain_part_is_written_as_it_is(text):
    """A part _plain_part passes is what _part writes for it, as a family name and as any other
    part."""
    from quarterly_cli.formats import bibtex as bibtex_mod

    if bibtex_mod._plain_part(text):
        assert bibtex_mod._part(text, bibtex_mod._text, lower_ok=False) == text
        assert bibtex_mod._part(text, bibtex_mod._text) == text


_RARE_PART = st.one_of(st.none(), st.none(), st.none(), _NAME_PART)  # None three times in four


@settings(max_examples=2000, derandomize=True, deadline=None)
@given(_NAME_PART, _NAME_PART, _RARE_PART, _RARE_PART, _RARE_PART, _RARE_PART)
def test_plain_name_shortcut_is_bib_name(family, given, suffix, dropping, non_dropping, literal):
    """_text_name writes `Family, Given` of plain parts without _part: the same text as
    bib_name with _text for any name."""
    from quarterly_cli.formats import bibtex as bibtex_mod

    name = Name(family, given, suffix, dropping, non_dropping, literal)
    assert bibtex_mod._text_name(name) == bibtex_mod.bib_name(name, bibtex_mod._text)
    name = Name(family or None, given or None)
    assert bibtex_mod._text_name(name) == bibtex_mod.bib_name(name, bibtex_mod._text)


_SECTIONS = st.lists(st.builds(Section, st.sampled_from([None, "", "Methods"]),
                               st.lists(st.sampled_from(["", "A <i>b</i>", "x%"]),
                                        max_size=2).map(tuple)), max_size=2).map(tuple)


@settings(max_examples=500, derandomize=True, deadline=None)
@given(_SECTIONS)
def test_one_paragraph_shortcut_is_abstract_line(abstract):
    """field_lines writes an abstract of one unlabelled paragraph without _abstract_line: the
    same line as _abstract_line (none without a paragraph) for any abstract."""
    from quarterly_cli.formats import bibtex as bibtex_mod

    lines = bibtex_mod.field_lines(Record("T", abstract=abstract), Options(), False)
    expected = bibtex_mod._abstract_line(abstract, bibtex_mod._text, bibtex_mod._rich)
    assert lines[1:] == ([expected] if expected else [])


_LABELS = st.sampled_from([None, "", "Methods", "A & B", "Bé", "x<y"])
_PARAGRAPHS = st.lists(st.sampled_from(["", "plain text.", "A <i>b</i>", "x%", "é", "a--b",
                                        "it''s", "\x07bell", "-", "'"]), max_size=3).map(tuple)


def _abstract_line_reference(abstract, text, rich):
    """_abstract_line without its shortcut for plain abstracts: a _text per label and a _rich
    per paragraph."""
    paragraphs = [(f"{text(section.label)}: " if section.label and n == 0 else "") + rich(p)
                  for section in abstract for n, p in enumerate(section.paragraphs)]
    return "  abstract = {" + "\n\n".join(paragraphs) + "}" if paragraphs else None


@settings(max_examples=1000, derandomize=True, deadline=None)
@given(st.lists(st.builds(Section, _LABELS, _PARAGRAPHS), max_size=3).map(tuple),
       st.booleans())
def test_plain_abstract_shortcut_is_the_escapes(abstract, ascii):
    """_abstract_line writes an abstract that is _plain as it is: the same line as a _text per
    label and a _rich per paragraph, with and without --ascii."""
    from quarterly_cli.formats import bibtex as bibtex_mod

    text, rich, _, _ = bibtex_mod._ESCAPES[ascii]
    assert (bibtex_mod._abstract_line(abstract, text, rich)
            == _abstract_line_reference(abstract, text, rich))
