"""Writers read back through independent readers: bibtexparser and pybtex, rispy, the CSL schema."""

from __future__ import annotations

import json

import bibtexparser
import jsonschema
import pytest
import rispy
from pybtex.database import parse_string as pybtex_parse

from quarterly_cli.bundled import bundled_record
from quarterly_cli.formats import FORMATS, Options
from quarterly_cli.model import Name, Record, Section

from .conftest import DATA

HOSTILE = Record(
    title="50% of R&D_costs {unbalanced $x^2$ ~ \\relax #1",
    author=(Name(family="Müller", given="Jürgen"), Name(literal="World Health Organization")),
    container_title="Health & Place",
    issued=(2015, 3),
    volume="33",
    page="1-8",
    DOI="10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0",
    abstract=(Section("Background", ("Line one\nER  - \nTY  - BOOK", "second {paragraph")),),
    keyword=("a_b", "c&d"),
)


def bibtex(records, **kw):
    return FORMATS["bibtex"].render(records, Options(**kw))


def test_bibtex_reads_back_with_bibtexparser():
    text = bibtex([bundled_record()])
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    (entry,) = library.entries
    assert entry.key == "mathers2014challenge"
    assert entry.entry_type == "article"
    fields = {f.key: f.value for f in entry.fields}
    assert fields["author"] == "Mathers, Jonathan and Taylor, Rebecca and Parry, Jayne"
    assert fields["title"] == (
        "The Challenge of Implementing Peer-Led Interventions in a Professionalized Health "
        "Service: A Case Study of the {National Health Trainers Service} in {England}")
    assert fields["year"] == "2014"
    assert fields["month"] == "dec"
    assert library.entries[0].fields_dict["month"].enclosing == "no-enclosing"  # not {dec}
    assert fields["pages"] == "725--753"
    assert fields["doi"] == "10.1111/1468-0009.12090"
    assert "month = dec," in text


def test_bibtex_reads_back_with_pybtex():
    data = pybtex_parse(bibtex([bundled_record()]), "bibtex")
    entry = data.entries["mathers2014challenge"]
    assert [str(p) for p in entry.persons["author"]] == [
        "Mathers, Jonathan", "Taylor, Rebecca", "Parry, Jayne"]
    assert entry.fields["journal"] == "The Milbank Quarterly"
    assert entry.fields["month"] == "December"
    assert entry.fields["volume"] == "92" and entry.fields["number"] == "4"
    assert entry.fields["pages"] == "725--753"
    assert entry.fields["keywords"] == "health trainer, health inequalities, policy implementation"


def test_bibtex_hostile_text_is_escaped_and_balanced():
    text = bibtex([HOSTILE])
    assert text.count("{") == text.count("}")
    data = pybtex_parse(text, "bibtex")
    (entry,) = data.entries.values()
    assert entry.fields["title"] == (
        r"50\% of R\&D\_costs \textbraceleft{}unbalanced \$x\textasciicircum{}2\$ \textasciitilde{} "
        r"\textbackslash{}relax \#1")
    assert entry.fields["doi"] == HOSTILE.DOI  # never escaped
    assert str(entry.persons["author"][1]) == "{World Health Organization}"


def test_bibtex_ascii_option_uses_latex_accents():
    text = bibtex([HOSTILE], ascii=True)
    assert 'M{\\"u}ller, J{\\"u}rgen' in text
    assert text.isascii()


def test_ris_reads_back_with_rispy():
    text = FORMATS["ris"].render([bundled_record()], Options())
    (entry,) = rispy.loads(text)
    assert entry["type_of_reference"] == "JOUR"
    assert entry["authors"] == ["Mathers, Jonathan", "Taylor, Rebecca", "Parry, Jayne"]
    assert entry["secondary_title"] == "The Milbank Quarterly"
    assert entry["alternate_title1"] == "Milbank Q"
    assert entry["year"] == "2014" and entry["date"] == "2014/12//"
    assert (entry["volume"], entry["number"]) == ("92", "4")
    assert (entry["start_page"], entry["end_page"]) == ("725", "753")
    assert entry["doi"] == "10.1111/1468-0009.12090"
    assert entry["keywords"] == ["health trainer", "health inequalities", "policy implementation"]
    assert entry["abstract"].startswith("Context: In 2004, the English Public Health White Paper")


def test_ris_value_cannot_inject_tags():
    text = FORMATS["ris"].render([HOSTILE], Options())
    (entry,) = rispy.loads(text)
    assert entry["type_of_reference"] == "JOUR"
    assert entry["abstract"] == "Background: Line one ER - TY - BOOK second {paragraph"
    assert all(line[:2].isupper() and line[2:6] == "  - " for line in text.splitlines() if line)


@pytest.fixture(scope="module")
def csl_schema():
    return json.loads((DATA / "csl-data.json").read_text("utf-8"))


@pytest.mark.parametrize("record", [bundled_record(), HOSTILE], ids=["bundled", "hostile"])
def test_csl_json_validates_against_schema(csl_schema, record):
    data = json.loads(FORMATS["csl-json"].render([record], Options()))
    jsonschema.validate(data, csl_schema)
    assert data[0]["type"] == "article-journal"


def test_biblatex_reads_back():
    text = FORMATS["biblatex"].render([bundled_record()], Options())
    library = bibtexparser.parse_string(text)
    fields = {f.key: f.value for f in library.entries[0].fields}
    assert fields["journaltitle"] == "The Milbank Quarterly"
    assert fields["date"] == "2014-12"
    assert fields["number"] == "4"
    assert "year" not in fields and "journal" not in fields


def test_bibtex_batches_join_like_one_library(monkeypatch):
    from quarterly_cli.formats import bibtex as bibtex_module

    records = [bundled_record()] * 5
    whole = bibtex(records)
    monkeypatch.setattr(bibtex_module, "BATCH", 2)
    assert bibtex(records) == whole
    assert whole.count("\n\n@article{") == 4
