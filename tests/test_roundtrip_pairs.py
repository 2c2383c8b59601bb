"""Round trips through every pair of bibtex, biblatex, ris, csl-json and json (issue 8).

For records of every common type (written here), a trip A → B → A keeps: type, every name role the
formats hold, container, series, edition, publisher and place, ISBN/ISSN (all of them), DOI, URL,
dates (day included), pages or article number, note, citation key and abstract. What a format
cannot hold is listed in README ("What each format keeps"); none of the fields compared here is
among them for these types.
"""

from __future__ import annotations

import itertools

import pytest

from quarterly_cli.diagnostics import capture
from quarterly_cli.formats import FORMATS, Options
from quarterly_cli.model import Date, Name, Record, Section
from quarterly_cli.readers import read_text

FORMATS_COMPARED = ("bibtex", "biblatex", "ris", "csl-json", "json")

A = (Name("Nguyễn", "Thị Minh"), Name("van der Berg", "Pieter"), Name(literal="World Health Organization"))
E = (Name("Okafor", "Chidi"), Name("Lindqvist", "Åsa"))
T = (Name("Dubois", "Marie"),)
ABSTRACT = (Section("Background", ("Costs rose by 50%.",)), Section("Methods", ("We compared 12 regions.",)))


def _records() -> list[Record]:
    common = dict(DOI="10.5555/rt.{n}", URL="https://example.org/rt/{n}", note="A note {n}.",
                  abstract=ABSTRACT)

    def rec(n: int, type_: str, **fields) -> Record:
        values = {k: (v.format(n=n) if isinstance(v, str) else v) for k, v in common.items()}
        values.update(fields)
        return Record(f"Title number {n} of a {type_}", type_, id=f"key{n}", source="test",
                      author=A, issued=Date.of(2019, 3, 14), **values)

    return [
        rec(1, "article-journal", container_title="Journal of Health Policy",
            container_title_short="J Health Policy", volume="12", issue="3", page="101-119",
            ISSN=("1234-5678", "8765-4321")),
        rec(2, "article-journal", container_title="PLOS ONE", volume="9", number="e0262000",
            ISSN=("1932-6203",)),
        rec(3, "book", editor=E, translator=T, edition="2", publisher="Oxford University Press",
            publisher_place="Oxford", collection_title="Health Policy Series",
            collection_number="7", ISBN=("978-0-19-123456-7", "0-19-123456-7")),
        rec(4, "chapter", editor=E, container_title="Handbook of Health Services Research",
            page="113-118", publisher="Springer", publisher_place="Cham",
            ISBN=("978-3-030-12345-6",)),
        rec(5, "paper-conference", container_title="Proceedings of the Health Informatics Conference",
            page="265-283", publisher="ACM", publisher_place="New York"),
        rec(6, "report", number="WHO/HIS/2019.1", publisher="World Health Organization",
            publisher_place="Geneva", collection_title="Technical Report Series"),
        rec(7, "thesis", genre="PhD thesis", publisher="University of Birmingham",
            publisher_place="Birmingham"),
        rec(8, "webpage", container_title="NHS England", accessed=Date.of(2024, 1, 2)),
        rec(9, "dataset", publisher="Zenodo", version="1.2"),
        rec(10, "article", publisher="medRxiv", genre="Preprint"),
        rec(11, "article-newspaper", container_title="The Guardian", page="12"),
        rec(12, "entry-encyclopedia", container_title="Encyclopedia of Public Health",
            editor=E, publisher="Elsevier", publisher_place="Amsterdam", page="44-47"),
        rec(13, "manuscript", genre="Unpublished manuscript"),
        rec(14, "document", publisher="Self-published"),
    ]


def _fields(record: Record, fmt: str) -> dict:
    data = {
        "type": record.type, "title": record.title, "id": record.id,
        "names": {role: [tuple(n[:6]) for n in names] for role, names in sorted(record.names.items())},
        "issued": record.issued.parts if record.issued else None,
        "accessed": record.accessed.parts if record.accessed else None,
        "ISSN": record.ISSN, "ISBN": record.ISBN,
        "abstract": [(s.label, s.paragraphs) for s in record.abstract],
    }
    for var in ("container-title", "collection-title", "collection-number", "edition", "publisher",
                "publisher-place", "DOI", "URL", "page", "number", "note", "volume", "issue",
                "genre", "version"):
        data[var] = record.get(var)
    return data


def _through(records, fmt):
    with capture():
        return read_text(FORMATS[fmt].render(records, Options()), f"rt.{fmt}", _reader(fmt))


def _reader(fmt):
    return {"bibtex": "bibtex", "biblatex": "bibtex", "ris": "ris", "csl-json": "csl-json",
            "json": "csl-json"}[fmt]


@pytest.mark.parametrize(("first", "second"), list(itertools.permutations(FORMATS_COMPARED, 2)))
def test_every_pair_keeps_what_both_hold(first, second):
    original = _records()
    once = _through(original, first)
    back = _through(_through(once, second), first)
    assert [_fields(r, first) for r in back] == [_fields(r, first) for r in once]


@pytest.mark.parametrize(("text", "kind"), [
    ("@misc{k, title = {T}, type = {Preprint}, publisher = {medRxiv}}", "bibtex"),
    ("@unpublished{k, title = {T}, type = {preprint}}", "bibtex"),
    ("TY  - UNPB\nTI  - T\nM3  - Preprint\nER  - \n", "ris"),
    ("TY  - GEN\nTI  - T\nM3  - Preprint\nER  - \n", "ris"),
])
def test_a_document_whose_genre_says_preprint_is_a_preprint(text, kind):
    (record,) = read_text(text, "t", kind)
    assert record.type == "article"


@pytest.mark.parametrize(("text", "kind", "expected"), [
    ("@misc{k, title = {T}, type = {Technical note}}", "bibtex", "document"),
    ("TY  - UNPB\nTI  - T\nER  - \n", "ris", "manuscript"),
])
def test_other_documents_keep_their_type(text, kind, expected):
    (record,) = read_text(text, "t", kind)
    assert record.type == expected
