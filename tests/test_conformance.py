"""APA, AMA and Vancouver against citeproc-js's output for the conformance corpus (copied from
../shared/conformance into tests/data/conformance)."""

from __future__ import annotations

import json

import pytest

from quarterly_cli.formats import FORMATS, Options
from quarterly_cli.readers.csljson import read

from .conftest import DATA

CORPUS = DATA / "conformance"
STYLES = ("apa", "ama", "vancouver")
RECORDS = read((CORPUS / "records.json").read_text("utf-8"), "records.json")
BY_ID = {r.id: r for r in RECORDS}


def expected(style: str, kind: str) -> dict[str, str]:
    return json.loads((CORPUS / f"{style}.{kind}.json").read_text("utf-8"))


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("item_id", sorted(BY_ID))
def test_each_item_plain(style, item_id):
    text = FORMATS[style].render([BY_ID[item_id]], Options())
    assert text == expected(style, "items")[item_id] + "\n"


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("item_id", sorted(BY_ID))
def test_each_item_html(style, item_id):
    text = FORMATS[style].render([BY_ID[item_id]], Options(markup="html"))
    assert text == expected(style, "items.html")[item_id] + "\n"


@pytest.mark.parametrize("style", STYLES)
def test_whole_bibliography(style):
    text = FORMATS[style].render(RECORDS, Options())
    assert text == (CORPUS / f"{style}.bibliography.txt").read_text("utf-8")


def test_corpus_titles_are_left_alone_by_sentence_case():
    from quarterly_cli.casing import sentence_case

    for record in RECORDS:
        assert sentence_case(record.title) == (record.title, False)
