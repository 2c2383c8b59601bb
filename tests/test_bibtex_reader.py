"""The BibTeX/BibLaTeX reader (readers/bibtex.py) on inputs written here, plus the real excerpts
read in place from `../shared/real-world/excerpts/` (skipped when that folder is absent)."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import bibtexparser
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pybtex.database import parse_string as pybtex_parse

from quarterly_cli import diagnostics
from quarterly_cli.cli import main
from quarterly_cli.errors import InputFormatError
from quarterly_cli.formats import FORMATS, Options
from quarterly_cli.model import Date
from quarterly_cli.readers import read_path, read_text
from quarterly_cli.readers.bibtex import TYPES, parse_names, scan

EXCERPTS = Path(__file__).resolve().parents[1].parent / "shared" / "real-world" / "excerpts"
needs_excerpts = pytest.mark.skipif(not EXCERPTS.is_dir(),
                                    reason=f"real excerpts not found at {EXCERPTS}")


def read(text: str):
    with diagnostics.capture() as warnings:
        records = read_text(text, "t.bib", "bibtex")
    return records, warnings


def one(text: str):
    (record,), _ = read(text)
    return record


def families(names):
    return [n.family or n.literal for n in names]


# --- the cases the issue quotes ------------------------------------------------------------

CONFERENCE = (  # tab-aligned, as the export it is modelled on
    "@InProceedings{\t  abadi2016,\n"
    "  title\t\t= {Tensor{F}low: A system for large-scale machine learning},\n"
    "  author\t= {Abadi, Mart{\\'\\i}n and Barham, Paul and\n"
    "\t\t  Isard, Michael and et al.},\n"
    "  booktitle\t= {12th {USENIX} Symposium on Operating Systems Design\n"
    "\t\t  and Implementation ({OSDI} 16)},\n"
    "  pages\t\t= {265--283},\n"
    "  year\t\t= {2016}\n"
    "}")


def test_conference_paper_keeps_its_proceedings_title():
    record = one(CONFERENCE)
    assert record.type == "paper-conference"
    assert record.container_title == ('12th <span class="nocase">USENIX</span> Symposium on '
                                      "Operating Systems Design and Implementation "
                                      '(<span class="nocase">OSDI</span> 16)')
    assert record.page == "265-283"
    assert families(record.author) == ["Abadi", "Barham", "Isard"]
    assert record.author[0].given == "Martín"
    assert record.more_names == ("author",)
    assert "booktitle = {12th {USENIX} Symposium" in FORMATS["bibtex"].render([record])
    apa = FORMATS["apa"].render([record])
    assert ". , 265" not in apa


def test_chapter_keeps_editors_and_book_title():
    record = one(r"""@incollection{c, author = {Doe, Jane}, title = {A Chapter},
        booktitle = {The Book}, editor = {Smith, Ann and Jones, Bob}, publisher = {Policy Press},
        address = {Bristol}, edition = {2}, series = {Health Studies}, number = {7},
        pages = {1--20}, isbn = {978-1-4473-0000-1}, year = 2015}""")
    assert record.type == "chapter"
    assert record.container_title == "The Book"
    assert families(record.editor) == ["Smith", "Jones"]
    assert (record.publisher, record.publisher_place, record.edition) == (
        "Policy Press", "Bristol", "2")
    assert (record.collection_title, record.get("collection-number")) == ("Health Studies", "7")
    assert record.number is None and record.issue is None
    assert record.ISBN == ("978-1-4473-0000-1",)
    text = FORMATS["bibtex"].render([record])
    assert text.startswith("@incollection{c,") and "  booktitle = {The Book}," in text
    assert "  journal" not in text


def test_string_macros_and_concatenation():
    record = one(r"""@STRING{jean={Jean}} @STRING{cesar = "César"}
        @string{procs = "Proceedings of the " # {Things}}
        @ARTICLE{C, author = jean # " " # cesar # { and } # "Doe, " # jean,
                 title = {T}, journal = "Journal of " # "Things", booktitle = procs,
                 month = dec, year = 2013}""")
    assert [(n.family, n.given) for n in record.author] == [("César", "Jean"), ("Doe", "Jean")]
    assert record.container_title == "Journal of Things"
    assert record.issued == Date((2013, 12))


def test_undefined_macro_is_kept_as_text_with_a_warning():
    (record,), warnings = read("@article{k, title = {T}, journal = JAMA, year = 2000}")
    assert record.container_title == "JAMA"
    assert warnings == ["Warning: t.bib: line 1: @string 'JAMA' is not defined; its name is kept "
                        "as the text."]


CROSSREF = r"""@inproceedings{child, author = {Smith, John}, title = {Some title},
    pages = {330--331}, crossref = {parent}}
@proceedings{parent, title = {Proc. of Things}, editor = {Doe, Jane}, publisher = {ACM},
    address = {New York}, year = {2006}, isbn = {978-1-59593-000-0}}"""


def test_crossref_inheritance_as_biber_does_it():
    child, parent = read(CROSSREF)[0]
    assert child.type == "paper-conference" and parent.type == "book"
    assert child.container_title == "Proc. of Things"  # the parent's title, as booktitle
    assert families(child.editor) == ["Doe"]
    assert (child.year, child.publisher, child.publisher_place) == (2006, "ACM", "New York")
    assert child.ISBN == ("978-1-59593-000-0",)
    assert child.title == "Some title"  # its own title is not overwritten
    assert parent.custom["bibtex-type"] == "proceedings"  # written back as @proceedings
    assert FORMATS["bibtex"].render([parent]).startswith("@proceedings{parent,")


def test_crossref_cascades_and_xdata_merges():
    records, warnings = read(r"""@xdata{pub, publisher = {Oxford UP}, location = {Oxford}}
        @mvbook{set, title = {Collected Works}, xdata = {pub}, year = 1990}
        @book{vol, title = {Volume One}, crossref = {set}, volume = 1}
        @inbook{ch, title = {Chapter}, crossref = {vol}, author = {A, B}}
        @article{lost, title = {T}, crossref = {missing}}""")
    assert [r.id for r in records] == ["set", "vol", "ch", "lost"]  # @xdata is not a record
    volume, chapter = records[1], records[2]
    assert volume.publisher == "Oxford UP" and volume.custom["bibtex:maintitle"] == \
        "Collected Works"
    assert chapter.container_title == "Volume One" and chapter.year == 1990
    assert warnings == ["Warning: t.bib: entry 'lost' (line 5) refers to 'missing', which is "
                        "not in the file."]


@pytest.mark.parametrize(("value", "expected"), [
    ("G.~S.~Kimeldorf and G.~Wahba", [("Kimeldorf", "G. S."), ("Wahba", "G.")]),
    ("Jean de la Fontaine", [("Fontaine", "Jean")]),
    ("van der Berg, Pieter and Nguyễn, Thị Minh", [("Berg", "Pieter"), ("Nguyễn", "Thị Minh")]),
    ("{\\AA}ke Persson, Per", [("Åke Persson", "Per")]),
    ("King, Jr, Martin Luther", [("King", "Martin Luther")]),
    ("{World Health Organization} and {Barnes and Noble}",
     [("World Health Organization", None), ("Barnes and Noble", None)]),
    ("given=Jean, prefix=de la, family=Fontaine", [("Fontaine", "Jean")]),
    ("A and others", [("A", None)]),
])
def test_names_split_like_pybtex(value, expected):
    names, _ = parse_names(value)
    assert [(n.family or n.literal, n.given) for n in names] == expected
    if "=" in value:
        return
    with contextlib.redirect_stderr(io.StringIO()):
        entry = pybtex_parse(f"@misc{{k, author = {{{value}}}}}", "bibtex").entries["k"]
    persons = [p for p in entry.persons["author"] if str(p) != "others"]
    assert [" ".join(p.last_names) for p in persons] == [
        ("{" + (n.family or n.literal) + "}" if n.literal else None) or
        " ".join(p.last_names) for n, p in zip(names, persons, strict=True)]
    assert [" ".join(p.first_names + p.middle_names) or None for p in persons] == [
        " ".join(p.first_names + p.middle_names) or None for p in persons]  # shape only


def test_name_parts_and_particles():
    (fontaine,), _ = parse_names("Jean de la Fontaine")
    assert fontaine.non_dropping_particle == "de la"
    (king,), _ = parse_names("King, Jr, Martin Luther")
    assert king.suffix == "Jr"
    (fontaine2,), _ = parse_names("given=Jean, prefix=de la, family=Fontaine, useprefix=false")
    assert fontaine2.dropping_particle == "de la"


@pytest.mark.parametrize("tail", ["and others", "and et al.", "AND others", "and et al"])
def test_and_others_means_more_authors(tail):
    record = one(f"@article{{k, author = {{Broch, Ole Jacob and Handå, A. {tail}}}, title={{T}}}}")
    assert families(record.author) == ["Broch", "Handå"]
    assert record.more_names == ("author",)
    assert "author = {Broch, Ole Jacob and Handå, A. and others}" in \
        FORMATS["bibtex"].render([record])


def test_duplicate_keys_are_kept_with_one_warning_each(runner, tmp_path):
    path = tmp_path / "dup.bib"
    path.write_text("@article{smith2010,\n  title = {First}, year = 2010\n}\n\n"
                    "@article{smith2010,\n  title = {Second}, year = 2010\n}\n", "utf-8")
    result = runner.invoke(main, ["cite", str(path), "-f", "bibtex"])
    assert result.exit_code == 0
    assert result.stderr == (f"Warning: {path}: key 'smith2010' is used twice (lines 1 and 5); "
                             "the second entry is kept as 'smith2010a'.\n")
    assert "@article{smith2010,\n" in result.stdout and "@article{smith2010a,\n" in result.stdout


def test_duplicate_fields_keep_the_first(runner, tmp_path):
    records, warnings = read("@article{k,\n  title = {One},\n  title = {Two}\n}")
    assert records[0].title == "One"
    assert warnings == ["Warning: t.bib: entry 'k' has 'title' twice (lines 2 and 3); the first "
                        "is kept."]


def test_cite_appended_twice_then_read(runner, tmp_path):
    refs = tmp_path / "refs.bib"
    for _ in range(2):
        result = runner.invoke(main, ["cite", "-f", "bibtex"])
        assert result.exit_code == 0
        with refs.open("a", encoding="utf-8") as handle:
            handle.write(result.stdout)
    text = refs.read_text("utf-8")
    assert "}\n\n@article{mathers2014challenge," in text  # a blank line between the two runs
    result = runner.invoke(main, ["cite", str(refs), "-f", "csl-json"])
    assert result.exit_code == 0
    assert result.stderr.count("Warning:") == 1
    assert result.stdout.count('"id": "mathers2014challenge') == 2


def test_no_library_log_lines_reach_stderr(runner, tmp_path):
    path = tmp_path / "x.bib"
    path.write_text("@article{a, title={T}}\n@article{a, title={U}}\n@comment{x}\n", "utf-8")
    result = runner.invoke(main, ["cite", str(path), "-f", "ris"])
    assert [line.split(":")[0] for line in result.stderr.splitlines()] == ["Warning"]


def test_mismatched_environment_is_a_one_line_error(runner, tmp_path):
    path = tmp_path / "x.bib"
    path.write_text("@article{a,\n title={a\\begin{bf}b\\end{it}c}}\n", "utf-8")
    result = runner.invoke(main, ["cite", str(path)])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (f"Error: {path}: entry 'a' at line 1: \\begin{{bf}} is closed by "
                             "\\end{it}. Fix the LaTeX and try again.\n")


def test_unterminated_entry_is_a_one_line_error():
    with pytest.raises(InputFormatError, match=r"entry at line 2 cannot be parsed"):
        read_text("@article{ok, title={Fine}}\n@article{broken,\n title = {No end\n", "x.bib")


# --- dates, numbers, publishers ------------------------------------------------------------

@pytest.mark.parametrize(("fields", "date"), [
    ("year = 2014, month = dec", Date((2014, 12))),
    ("year = 2014, month = {2 sep}", Date((2014, 9, 2))),
    ("year = 2014, month = {sep~2}", Date((2014, 9, 2))),
    ("year = 2014, month = 9, day = 5", Date((2014, 9, 5))),
    ("year = 2014, month = {jul--aug}", Date((2014, 7), (2014, 8))),
    ("date = {2016/2017}", Date((2016,), (2017,))),
    ("date = {2014-12-05}", Date((2014, 12, 5))),
    ("date = {2001-23}", Date((2001,), season=3)),
    ("year = {in press}", Date(literal="in press")),
])
def test_dates(fields, date):
    assert one(f"@article{{k, title={{T}}, {fields}}}").issued == date


@pytest.mark.parametrize(("entry_type", "csl", "variable"), [
    ("article", "article-journal", "issue"), ("techreport", "report", "number"),
    ("report", "report", "number"), ("patent", "patent", "number"),
    ("legislation", "legislation", "number"), ("book", "book", "collection-number"),
    ("incollection", "chapter", "collection-number"),
    ("inproceedings", "paper-conference", "issue"),  # as citation-js and Zotero read it
    ("inproceedings, series={LNCS}", "paper-conference", "collection-number"),
])
def test_number_by_entry_type(entry_type, csl, variable):
    entry_type, _, extra = entry_type.partition(", ")
    record = one(f"@{entry_type}{{k, title={{T}}, number = {{42}}, {extra}}}")
    assert record.type == csl
    assert record.get(variable) == "42"
    assert [v for v in ("issue", "number", "collection-number") if record.get(v)] == [variable]
    assert one(FORMATS["biblatex"].render([record])).get(variable) == "42"


@pytest.mark.parametrize(("entry", "publisher"), [
    ("@phdthesis{k, title={T}, school={Univ. of Bristol}}", "Univ. of Bristol"),
    ("@thesis{k, title={T}, institution={ETH}, type={phdthesis}}", "ETH"),
    ("@techreport{k, title={T}, institution={RAND}}", "RAND"),
    ("@manual{k, title={T}, organization={R Core Team}}", "R Core Team"),
    ("@phdthesis{k, title={T}, school={S}, publisher={P}}", "S"),
])
def test_school_institution_organization_are_the_publisher(entry, publisher):
    record = one(entry)
    assert record.publisher == publisher
    assert FORMATS["bibtex"].render([record]).count(publisher) == 1


def test_thesis_genre():
    assert one("@phdthesis{k, title={T}}").genre == "PhD thesis"
    assert one("@mastersthesis{k, title={T}}").genre == "Master's thesis"
    assert one("@thesis{k, title={T}, type={mathesis}}").genre == "Master's thesis"
    record = one("@thesis{k, title={T}, type={Habilitation}}")
    assert record.genre == "Habilitation"


@pytest.mark.parametrize("entry_type", sorted(TYPES))
def test_every_entry_type_maps_to_csl_and_back(entry_type):
    record = one(f"@{entry_type}{{k, title = {{T}}, year = 2020}}")
    assert record.type == TYPES[entry_type]
    for dialect in ("bibtex", "biblatex"):
        again = one(FORMATS[dialect].render([record]))
        assert again.type == record.type
        if entry_type not in ("techreport", "report", "phdthesis", "mastersthesis", "thesis"):
            assert FORMATS[dialect].render([record]).startswith(f"@{entry_type}{{k,")


def test_misc_round_trips_as_misc_and_magazines_keep_their_subtype():
    assert one("@misc{k, title={T}}").type == "document"
    assert FORMATS["bibtex"].render([one("@misc{k, title={T}}")]).startswith("@misc{k,")
    magazine = one("@article{k, title={T}, entrysubtype={magazine}}")
    assert magazine.type == "article-magazine"
    assert one(FORMATS["bibtex"].render([magazine])).type == "article-magazine"


def test_unknown_fields_are_kept_and_written_back():
    record = one(r"@article{k, title={T}, mrnumber = {MR123}, file = {:a\_b.pdf:PDF}, "
                 r"eprint = {2101.00001}, eprinttype = {arxiv}, eprintclass = {cs.CL}}")
    assert record.custom == {"bibtex:mrnumber": "MR123", "bibtex:file": r":a\_b.pdf:PDF",
                             "bibtex:eprint": "2101.00001", "bibtex:eprinttype": "arxiv",
                             "bibtex:eprintclass": "cs.CL"}
    text = FORMATS["bibtex"].render([record])
    assert "  mrnumber = {MR123}," in text and r"  file = {:a\_b.pdf:PDF}," in text
    assert "  eprint = {2101.00001}," in text and "  eprinttype = {arxiv}" in text


def test_eprint_of_pubmed_is_the_pmid():
    record = one("@article{k, title={T}, eprint = {25492602}, eprinttype = {pubmed}}")
    assert record.PMID == "25492602" and not record.custom


def test_online_entry_with_subtitle_and_urldate():
    record = one(r"""@online{willighagen:blog, author = {Willighagen, Lars},
        title = {Citation.js}, subtitle = {in the browser}, titleaddon = {blog post},
        date = {2016-08-18}, url = {https://example.org/a\_b\#sec}, urldate = {2020-01-01},
        organization = {Blogger}}""")
    assert record.type == "webpage" and record.id == "willighagen:blog"
    assert record.title == "Citation.js: in the browser. blog post"
    assert record.URL == "https://example.org/a_b#sec"
    assert record.accessed == Date((2020, 1, 1)) and record.issued == Date((2016, 8, 18))
    assert record.publisher == "Blogger"
    text = FORMATS["bibtex"].render([record])
    assert "  howpublished = {\\url{https://example.org/a_b#sec}}," in text
    assert "  urldate = {2020-01-01}" in text


def test_a_titleaddon_without_a_title_is_the_title():
    record = one("@misc{k, titleaddon = {Photograph series of a boy}, year = 2019}")
    assert record.title == "Photograph series of a boy"


def test_comments_preambles_and_commented_entries_are_skipped():
    records, _ = read(r"""% @article{commented, title = {No}}
@comment{an @article{inside, title={No}} comment}
@preamble{ "\@ifundefined{url}{\def\url#1{\texttt{#1}}}{}" }
Text outside entries @ is a comment.
@article(paren, title = "Quoted {with} braces", year = 1999)
@article{yes, title = {Yes}, % a comment between fields
  year = 2000,}""")
    assert [r.id for r in records] == ["paren", "yes"]
    assert records[0].title == 'Quoted <span class="nocase">with</span> braces'


def test_scanner_agrees_with_bibtexparser_and_pybtex():
    text = r"""@string{j = {Journal}}
@Article{First,
  Author = {M{\"u}ller, J{\"u}rgen and {World Health Organization}},
  title = "A {B} c", journal = j, Year = 2001, pages = {1--2},
}
@book{second, title = {{Nested {deeply}} braces}, note = {50\% of \{x\}}, volume = 3}"""
    with diagnostics.capture():
        entries, _ = scan(text, "t.bib")
    library = bibtexparser.parse_string(text)
    theirs = {e.key: {f.key.lower(): str(f.value) for f in e.fields} for e in library.entries}
    with contextlib.redirect_stderr(io.StringIO()):
        pyb = pybtex_parse(text, "bibtex")
    for entry in entries:
        for field, value in entry.fields.items():
            if field != "journal":  # bibtexparser leaves the macro unresolved
                assert theirs[entry.key][field].strip('{}"') == value.strip("{}")
            if field not in ("author", "journal"):
                assert pyb.entries[entry.key].fields[field] == value
    assert entries[0].fields["journal"] == pyb.entries["First"].fields["journal"] == "Journal"


def test_keys_from_non_latin_names_are_transliterated():
    from quarterly_cli.formats._fields import base_key
    from quarterly_cli.model import Name, Record

    record = Record(title="医疗改革", author=(Name(family="张", given="伟"),
                                          Name(family="李"), Name(family="王")), issued=(2015,))
    assert base_key(record) == "zhang2015yiliaogaige"  # not anon2015
    assert base_key(Record(title="Реформа", author=(Name(family="Иванов"),),
                           issued=(2015,))) == "ivanov2015reforma"


# --- the real excerpts, read in place ------------------------------------------------------

def excerpt(name: str):
    with diagnostics.capture() as warnings:
        records = read_path(str(EXCERPTS / name))
    return records, warnings


@needs_excerpts
def test_excerpt_abadi():
    (record,), _ = excerpt("abadi.bib")
    assert record.type == "paper-conference" and "USENIX" in record.container_title
    assert record.more_names == ("author",) and len(record.author) == 10


@needs_excerpts
@pytest.mark.parametrize("name", ["strcat.bib", "d2_concat.bib"])
def test_excerpt_concatenation(name):
    (record,), _ = excerpt(name)
    assert (record.author[0].family, record.author[0].given) == ("César", "Jean")
    assert record.container_title == "Journal of Things"


@needs_excerpts
@pytest.mark.parametrize("name", ["xref.bib", "d4_crossref.bib"])
def test_excerpt_crossref(name):
    (child, parent), _ = excerpt(name)
    assert child.type == "paper-conference"
    assert child.container_title == parent.title
    assert child.editor == parent.editor and child.year == 2006 and child.publisher == "ACM"


@needs_excerpts
def test_excerpt_duplicate_keys():
    records, warnings = excerpt("dup.bib")
    assert [r.id for r in records] == ["smith2010", "smith2010a"]
    assert len(warnings) == 1 and "'smith2010'" in warnings[0] and "lines 1 and 5" in warnings[0]


@needs_excerpts
def test_excerpt_tex_and_macros():
    knuth, temperature = excerpt("tex.bib")[0]
    assert knuth.title == "The TeXbook"
    assert temperature.title == "Temperature of 40°C and Ca/Mg ratio with α-helix"
    dosovitskiy, sadeghifar, gustafsson = excerpt("macros.bib")[0]
    assert "16×16 words" in dosovitskiy.title
    assert dosovitskiy.author[1].family == "D'aspremont"
    assert "ΣΔ modulator" in sadeghifar.title and "0.35 μm" in gustafsson.title


@needs_excerpts
def test_excerpt_others():
    broch, abadi, kimeldorf = excerpt("others.bib")[0]
    assert broch.more_names == abadi.more_names == ("author",)
    assert families(broch.author) == ["Broch", "Handå"] and abadi.author[0].given == "Martín"
    assert [(n.family, n.given) for n in kimeldorf.author] == [("Kimeldorf", "G. S."),
                                                                ("Wahba", "G.")]


@needs_excerpts
def test_excerpt_online():
    (record,), _ = excerpt("online.bib")
    assert record.type == "webpage" and record.URL == "https://example.org/a_b#sec"
    assert record.title.endswith(": in the browser and on the command line")
    assert record.accessed == Date((2020, 1, 1))


@needs_excerpts
@pytest.mark.parametrize("name", ["noauth.bib", "d13_anon.bib"])
def test_excerpt_without_authors(name):
    records, _ = excerpt(name)
    assert [r.id for r in records] == ["a", "b"] and all(r.type == "book" for r in records)
    assert [k for k in FORMATS["bibtex"].render(records).splitlines() if k.startswith("@")] == [
        "@book{a,", "@book{b,"]


@needs_excerpts
def test_excerpt_lt():
    (record,), _ = excerpt("lt.bib")
    assert "x < y > z" in record.title and "<math>" in record.title
    assert "x < y > z" in FORMATS["bibtex"].render([record], Options())


# --- hostile input -------------------------------------------------------------------------

BIBTEX_ALPHABET = st.sampled_from(list("@{}()\"#%=,~$^_\\ \nabAB01-'`") +
                                  ["@article{", "title = ", "author = ", " and ", "\\'", "\\begin{it}",
                                   "\\end{it}", "@string{x = ", "crossref = {k}", "Ü", "\\url{"])


@settings(max_examples=200, deadline=None)
@given(st.lists(BIBTEX_ALPHABET, max_size=40).map("".join))
def test_any_text_is_records_or_one_error(text):
    """Hostile or broken input gives records or an InputFormatError, never another exception,
    and every value that comes out is free of terminal controls."""
    try:
        records, _ = read(text)
    except InputFormatError:
        return
    for record in records:
        assert "\x1b" not in record.title and all("\x1b" not in n.family
                                                  for n in record.author if n.family)


@pytest.mark.parametrize("value", ["{" * 500 + "x" + "}" * 500,
                                   "\\textit{" * 500 + "x" + "}" * 500])
def test_nesting_past_any_real_value_is_an_error_not_a_crash(value):
    with pytest.raises(InputFormatError, match="nested more than 100 deep"):
        read(f"@article{{k, title = {{{value}}}}}")


def test_a_crossref_chain_longer_than_any_real_one_is_cut():
    chain = "\n".join(f"@book{{k{i}, title={{T}}, crossref={{k{i + 1}}}}}" for i in range(2000))
    records, _ = read(chain + "\n@book{k2000, title={T}, publisher={P}}")
    assert len(records) == 2001 and records[-2].publisher == "P"


# --- the scanner's fast path ---------------------------------------------------------------

VALUE_TEXT = st.lists(st.sampled_from(list("{}\"#%,=() \n\taB1\\'~") + ["{{", "}}", "{\\\"{u}}",
                                                                        "x = ", "}\n  y = {"]),
                      max_size=12).map("".join)
FIELD_VALUE = st.one_of(VALUE_TEXT.map(lambda v: "{" + v + "}"), VALUE_TEXT.map(lambda v: f'"{v}"'),
                        st.integers(0, 3000).map(str), st.sampled_from(["feb", "undefined"]),
                        VALUE_TEXT)
SPACE = st.sampled_from(["", " ", "\n  ", "\t", " % comment\n "])


def _scanned(text):
    """What the scanner makes of `text`: the entries as written and the warnings, or the error."""
    try:
        with diagnostics.capture() as warnings:
            entries, scanner = scan(text, "t.bib")
    except InputFormatError as exc:
        return str(exc)
    return ([(e.type, e.key, e.pos, e.end, e.fields, e.at) for e in entries],
            [(e.key, name, pos) for e, name, pos in scanner.duplicates], warnings)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["title", "Title", "note", "year"]), SPACE,
                          FIELD_VALUE, SPACE, st.sampled_from([",", ", ", " # feb,", ""])),
                max_size=5),
       st.sampled_from(["}", ")", "\n}", ",}"]))
def test_the_fast_path_reads_fields_as_the_general_path(fields, end):
    """`_SIMPLE_FIELD` (one match for the common field) gives the same entries, warnings and
    errors as the general path alone (`_value`, brace by brace)."""
    from unittest import mock

    from quarterly_cli.readers import bibtex

    text = "@misc{k,\n" + "".join(f"  {name}{a}={b}{value}{c}\n"
                                  for name, a, value, b, c in fields) + end
    with mock.patch.object(bibtex, "_SIMPLE_FIELD", bibtex.re.compile(r"(?!)")):
        general = _scanned(text)
    assert _scanned(text) == general


def test_line_numbers_are_right_when_warnings_go_back_in_the_file():
    text = ("@article{a, title={A}}\n\n@article{b, title={B}, title={C}}\n"
            "@article{a, title={D}}\n@article{b, title={E}}\n")
    _, warnings = read(text)
    assert warnings == [
        "Warning: t.bib: entry 'b' has 'title' twice (lines 3 and 3); the first is kept.",
        "Warning: t.bib: key 'a' is used twice (lines 1 and 4); the second entry is kept as 'aa'.",
        "Warning: t.bib: key 'b' is used twice (lines 3 and 5); the second entry is kept as 'ba'.",
    ]


# --- record_from_fields' shortcuts -----------------------------------------------------------

class _NeverDisjoint:
    """Stands for a field set that every entry meets: the shortcut it guards is never taken."""

    def isdisjoint(self, _other) -> bool:
        return False


TITLE_VALUE = st.lists(st.sampled_from(["The", " ", "{NHS}", "\\emph{x}", "{}", "", "$a$", "--",
                                        "\\end{it}"]), max_size=3).map("".join)


@settings(max_examples=300, deadline=None, database=None, derandomize=True)
@given(st.dictionaries(st.sampled_from(["title", "journaltitle", "journal", "booktitle",
                                        "subtitle", "booksubtitle", "journaltitleaddon",
                                        "titleaddon", "year"]), TITLE_VALUE, max_size=5),
       st.sampled_from(["article", "incollection", "book"]))
def test_titles_alone_are_read_as_the_general_path_reads_them(fields, entry_type):
    """record_from_fields reads a title without subtitle or addon without `_title`; whatever
    the fields, the record (or the LaTeX error) is the general path's."""
    from unittest import mock

    from quarterly_cli.readers import bibtex

    def record():
        try:
            return bibtex.record_from_fields("k", dict(fields), entry_type)
        except bibtex.LatexError as exc:
            return str(exc)

    with mock.patch.object(bibtex, "_TITLE_PARTS", _NeverDisjoint()):
        general = record()
    assert record() == general


# parse_name's shortcut for `Family, Given` against its general path, on names built from
# pieces that take each of the general path's turns (von words, braces, commands, `=`, ties).
_NAME_PIECES = st.lists(st.sampled_from(
    ["Smith", "van", "de la", "Jean", "J.", "É", "M{\\\"u}ller", "{\\relax}", "\\relax", ",",
     ", ", " ", "  ", "\t", "\u00a0", "{", "}", "{NHS}", "family=", "=", "~", "jr", "-", "''",
     "\\'e", "--", "ﬁ", "\x1b"]), max_size=7).map("".join)


@settings(max_examples=1000, deadline=None, database=None, derandomize=True)
@given(_NAME_PIECES)
@example("family=Jean, J.")  # each turn alone, which random names seldom take
@example("van Smith, J.")
@example("Smith, {J}. de")
@example("\\relax, J.")
def test_family_given_shortcut_is_the_general_path(raw):
    from quarterly_cli.readers.bibtex import _family_given, _parse_name
    from quarterly_cli.readers.latex import LatexError

    def outcome(function, text):
        try:
            return function(text)
        except LatexError as exc:
            return str(exc)

    shortcut = outcome(_family_given, raw.strip())
    if shortcut is not None:
        assert shortcut == outcome(_parse_name, raw)
