"""APA, AMA and Vancouver against citeproc-js's output with the official styles, for both
conformance corpora (copied from ../shared/conformance into tests/data/conformance): 25 journal
articles, and 60 references of every kind a health-policy reference list holds (types/)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quarterly_cli.formats import FORMATS, Options
from quarterly_cli.readers.csljson import read

from .conftest import DATA

CORPORA = {"journal": DATA / "conformance", "types": DATA / "conformance" / "types"}
STYLES = ("apa", "ama", "vancouver")


def records(corpus: str):
    folder = CORPORA[corpus]
    return read((folder / "records.json").read_text("utf-8"), "records.json")


RECORDS = {corpus: records(corpus) for corpus in CORPORA}
BY_ID = {corpus: {r.id: r for r in recs} for corpus, recs in RECORDS.items()}
CASES = [(corpus, item_id) for corpus in CORPORA for item_id in sorted(BY_ID[corpus])]


def expected(corpus: str, style: str, kind: str) -> dict[str, str]:
    path: Path = CORPORA[corpus] / f"{style}.{kind}.json"
    return json.loads(path.read_text("utf-8"))


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize(("corpus", "item_id"), CASES)
def test_each_item_plain(corpus, item_id, style):
    text = FORMATS[style].render([BY_ID[corpus][item_id]], Options())
    assert text == expected(corpus, style, "items")[item_id] + "\n"


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize(("corpus", "item_id"), CASES)
def test_each_item_html(corpus, item_id, style):
    text = FORMATS[style].render([BY_ID[corpus][item_id]], Options(markup="html"))
    assert text == expected(corpus, style, "items.html")[item_id] + "\n"


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("corpus", CORPORA)
def test_whole_bibliography(corpus, style):
    text = FORMATS[style].render(RECORDS[corpus], Options())
    assert text == (CORPORA[corpus] / f"{style}.bibliography.txt").read_text("utf-8")


@pytest.mark.parametrize("corpus", CORPORA)
def test_corpus_titles_are_left_alone_by_sentence_case(corpus):
    from quarterly_cli.casing import sentence_case

    for record in RECORDS[corpus]:
        assert sentence_case(record.title) == (record.title, False)
