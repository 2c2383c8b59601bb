"""The streaming CSL-JSON reader agrees with json.loads, positions included, at any chunk size."""

from __future__ import annotations

import io
import json

import pytest

from quarterly_cli.errors import InputFormatError
from quarterly_cli.readers import csljson
from quarterly_cli.readers.csljson import iter_items, record_from_item

from .conftest import DATA

CORPUS = (DATA / "conformance" / "records.json").read_text("utf-8")


@pytest.mark.parametrize("chunk", [1, 7, 64, 1 << 20])
def test_same_records_at_any_chunk_size(monkeypatch, chunk):
    monkeypatch.setattr(csljson, "CHUNK", chunk)
    streamed = list(iter_items(io.StringIO(CORPUS), "corpus"))
    assert streamed == [record_from_item(i) for i in json.loads(CORPUS)]


BROKEN = [
    '[{"type": "article-journal", "title": "A"},\n {"type": "article-journal", "title": }]',
    '[{"type": "article-journal", "title": "A"}\n {"type": "x"}]',
    '[{"type": "article-journal", "title": "A"}] trailing',
    '[{"type": "article-journal", "title": "A"},',
    "",
    '{"type": "article-journal", "title": "A"} {}',
    '[\n\n  {"type": "article-journal",\n   "title": "caf\\u00e9" ,, }]',
]


@pytest.mark.parametrize("chunk", [1, 5, 1 << 20])
@pytest.mark.parametrize("text", BROKEN)
def test_errors_match_json_loads(monkeypatch, chunk, text):
    monkeypatch.setattr(csljson, "CHUNK", chunk)
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(text)
    with pytest.raises(InputFormatError) as got:
        list(iter_items(io.StringIO(text), "f"))
    e = expected.value
    assert str(got.value) == f"f: invalid JSON at line {e.lineno}, column {e.colno}: {e.msg}."
