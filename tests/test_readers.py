"""BibTeX, RIS and CSL-JSON readers, and round trips through the writers."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pylatexenc.latex2text import LatexNodes2Text

from quarterly_cli import markup
from quarterly_cli.formats import FORMATS, Options
from quarterly_cli.formats._fields import abstract_paragraphs, citation_keys
from quarterly_cli.readers import read_path, read_text
from quarterly_cli.readers.latex import latex_to_rich, latex_to_text

from .conftest import DATA

FILES = DATA / "files"


@pytest.mark.parametrize(
    "latex",
    [r"M{\"u}ller", r"{\O}deg{\aa}rd", r"Nguy\~{\^e}n", r"Fran\c{c}ois", r"\'{E}cole",
     r"50\% \& rising", r"first\_year", r"Dvo\v{r}\'ak", r"na\"ive", r"Bront\"{e}",
     r"caf\'e au lait", r"{\ss}trasse", r"Erd\H{o}s"],
)
def test_latex_decoding_agrees_with_pylatexenc(latex):
    """The hand-written decoder (kept because pylatexenc drops case protection) gives the same
    text as pylatexenc, the reference decoder, wherever no protection is involved."""
    assert latex_to_text(latex) == LatexNodes2Text().latex_to_text(latex)


def test_braces_become_case_protection_and_styles_become_markup():
    assert latex_to_rich(r"{NHS} Reform in \emph{England} and {\"U}ber") == (
        '<span class="nocase">NHS</span> Reform in <i>England</i> and Über')
    assert latex_to_rich(r"\textbraceleft{}x\textbraceright{} \textbackslash{}") == "{x} \\"


def test_bibtex_file():
    records = read_path(str(FILES / "library.bib"))
    assert [r.id for r in records] == ["mueller2018health", "vanderberg2017long", "who2021global"]
    first, second, third = records
    assert [(n.family, n.given) for n in first.author] == [
        ("Müller", "Jürgen"), ("Ødegård", "Øystein"), ("Nguyễn", "Thi Minh")]
    assert first.title == ('Health Systems in <span class="nocase">Scandinavia</span>: '
                           '<span class="nocase">NHS</span>-Style Reform & 50% Cost Shifts')
    assert first.issued.parts == (2018, 8) and first.page == "800-809"
    assert abstract_paragraphs(first) == ["Background: Costs rose by 50% in the first_year.",
                                          "Methods: We compared n = 12 regions & counties."]
    assert [s.label for s in first.abstract] == ["Background", "Methods"]
    assert second.container_title == "The Milbank Quarterly"  # @string macro resolved
    assert (second.author[0].non_dropping_particle, second.author[0].family) == ("van der", "Berg")
    assert second.author[2].suffix == "Jr."
    assert second.keyword == ("long-term care", "financing")
    assert third.author[0].literal == "World Health Organization"
    assert third.title == "Global Strategy on Digital Health 2020–2025"


def test_ris_file():
    records = read_path(str(FILES / "library.ris"))
    first, second = records
    assert first.author[1].family == "O'Brien"
    assert first.title == 'Mental Health Parity & the "Carve-Out" Problem: 100% Coverage?'
    assert (first.container_title, first.container_title_short) == (
        "Psychiatric Services", "Psychiatr Serv")
    assert first.issued.parts == (2017, 7) and first.page == "700-705"
    assert first.ISSN == ("1075-2730",) and first.keyword == ("parity", "insurance")
    assert second.issued.parts == (2022, 1, 14) and second.page == "e0262000"


def test_malformed_bibtex_exits_2_with_line(runner, tmp_path):
    from quarterly_cli.cli import main

    path = tmp_path / "bad.bib"
    path.write_text("@article{ok,\n title = {Fine}\n}\n\n@article{broken,\n title = {No end\n",
                    "utf-8")
    result = runner.invoke(main, ["cite", str(path)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"Error: {path}: BibTeX entry at line 5 cannot be parsed")


def test_content_sniffing_without_extension(tmp_path):
    ris = tmp_path / "export"
    ris.write_text((FILES / "library.ris").read_text("utf-8"), "utf-8")
    from quarterly_cli.readers import iter_path

    assert len(list(iter_path(str(ris)))) == 2
    assert read_text("@article{k, title={T}}", "x")[0].title == "T"


KEYS = ("authors", "title", "journal", "year", "volume", "issue", "pages", "DOI", "abstract")


def essentials(record):
    """The fields the round trips must keep; RIS has no case protection and one-line abstracts,
    so titles compare as plain text and abstracts with white space folded."""
    return {
        "authors": [(n.full_family, n.given, n.suffix, n.literal) for n in record.author],
        "title": markup.plain(record.title),
        "journal": record.container_title,
        "year": record.year,
        "volume": record.volume,
        "issue": record.issue,
        "pages": record.page,
        "DOI": record.DOI,
        "abstract": " ".join(abstract_paragraphs(record)),  # `Label: text`, labels included
    }


def through(records, *formats):
    for name in formats:
        records = read_text(FORMATS[name].render(records, Options()), name)
    return records


def test_bibtex_ris_bibtex_round_trip():
    original = read_path(str(FILES / "library.bib"))
    again = through(original, "ris", "bibtex")
    assert [essentials(r) for r in again] == [essentials(r) for r in original]


def test_ris_csl_json_ris_round_trip():
    original = read_path(str(FILES / "library.ris"))
    again = through(original, "csl-json", "ris")
    assert [essentials(r) for r in again] == [essentials(r) for r in original]


@pytest.mark.parametrize("chain", [("bibtex",), ("biblatex",), ("csl-json",), ("ris",),
                                   ("json",), ("bibtex", "csl-json", "ris", "biblatex")])
def test_every_pair_keeps_the_essentials(chain):
    original = read_path(str(FILES / "library.bib")) + read_path(str(FILES / "library.ris"))
    if chain == ("json",):
        import json

        from quarterly_cli.model import record_from_dict

        again = [record_from_dict(d) for d in json.loads(FORMATS["json"].render(original))]
    else:
        again = through(original, *chain)
    assert [essentials(r) for r in again] == [essentials(r) for r in original]


def test_unique_ascii_citation_keys():
    from quarterly_cli.bundled import bundled_record

    records = [bundled_record()] * 3 + read_path(str(FILES / "library.bib"))
    text = FORMATS["bibtex"].render(records, Options())
    keys = [line[len("@article{"):-1] for line in text.splitlines() if line.startswith("@")]
    assert keys == ["mathers2014challenge", "mathers2014challengea", "mathers2014challengeb",
                    "mueller2018health", "vanderberg2017long", "who2021global"]
    ris = FORMATS["bibtex"].render(read_path(str(FILES / "library.ris")), Options())
    assert [line for line in ris.splitlines() if line.startswith("@")] == [
        "@article{odegard2017mental,", "@article{nakamura2022telehealth,"]
    clash = [r.with_(id="Ødegård 2017") for r in read_path(str(FILES / "library.ris"))[:1]] * 2
    assert [k for _, k in citation_keys(clash)] == ["odegard2017mental", "odegard2017mentala"]


@settings(max_examples=500, derandomize=True, deadline=None)
@given(st.lists(st.sampled_from(["x", "xa", "xb", "xaa", "y", "ya", "a", "aa", "ab", "b"]),
                max_size=40))
def test_citation_keys_remembering_suffixes_are_the_first_free_keys(ids):
    """citation_keys starts a taken key's suffixes where the last record with it stopped: the
    keys are still each the first free one, as free_key finds it from `a` on."""
    from quarterly_cli.formats._fields import free_key
    from quarterly_cli.model import Record

    records = [Record("T", id=key) for key in ids]
    seen: set[str] = set()
    expected = []
    for key in ids:
        expected.append(free_key(key, seen))
        seen.add(expected[-1])
    assert [k for _, k in citation_keys(records)] == expected


@settings(max_examples=2000, derandomize=True, deadline=None)
@given(st.one_of(st.text(max_size=20), st.text(st.sampled_from(list("aZ09_ {},é٣")), max_size=8)))
def test_an_id_is_kept_when_it_is_a_valid_key(own):
    """citation_keys keeps an ASCII alphanumeric id without _KEY's match: the key is the id
    exactly when the pattern matches it, as before."""
    from quarterly_cli.formats._fields import _KEY, base_key
    from quarterly_cli.model import Record

    record = Record("A title", id=own)
    expected = own if own and _KEY.fullmatch(own) else base_key(record)
    assert [k for _, k in citation_keys([record])] == [expected]


def test_hostile_bibtex_text_is_cleaned():
    text = "@article{k, title = {Evil \x1b[2J\x1b]8;;http://x\x07Title [bold]x[/bold]}}"
    (record,) = read_text(text, "evil.bib")
    assert record.title == "Evil Title [bold]x[/bold]"


@pytest.mark.parametrize(("csl", "bibtex", "ris"), [
    ("article-journal", "article", "JOUR"), ("book", "book", "BOOK"),
    ("chapter", "incollection", "CHAP"), ("paper-conference", "inproceedings", "CPAPER"),
    ("report", "techreport", "RPRT"), ("thesis", "phdthesis", "THES"),
    ("document", "misc", "GEN"), ("software", "software", "COMP"),
])
def test_types_survive_conversion(csl, bibtex, ris):
    from quarterly_cli.model import Record

    record = Record(title="T", type=csl, issued=(2020,))
    assert FORMATS["bibtex"].render([record], Options()).startswith(f"@{bibtex}{{")
    assert FORMATS["ris"].render([record], Options()).startswith(f"TY  - {ris}\n")
    if ris != "GEN":
        assert read_text(FORMATS["ris"].render([record], Options()), "x")[0].type == csl
        assert read_text(FORMATS["bibtex"].render([record], Options()), "x")[0].type == csl


@pytest.mark.parametrize("written", ["10.1000/abc", "https://doi.org/10.1000/abc",
                                     "http://dx.doi.org/10.1000/abc", "doi:10.1000/abc"])
def test_doi_forms_in_input_files_become_bare(written):
    bib = read_text(f"@article{{k, title = {{T}}, doi = {{{written}}}}}", "x.bib")[0]
    ris = read_text(f"TY  - JOUR\nTI  - T\nDO  - {written}\nER  - \n", "x.ris")[0]
    assert bib.DOI == ris.DOI == "10.1000/abc"
