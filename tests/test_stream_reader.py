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


class _EndlessArray(io.TextIOBase):
    """A CSL-JSON array of `items` items after `head`, produced on demand; counts what is read."""

    def __init__(self, head: str, items: int) -> None:
        self.pending = head
        self.left = items
        self.served = 0

    def read(self, size: int = -1) -> str:
        item = ',{"type": "article-journal", "title": "T"}'
        while len(self.pending) < size and self.left:
            self.pending += item * min(self.left, 1000)
            self.left -= min(self.left, 1000)
        out, self.pending = self.pending[:size], self.pending[size:]
        self.served += len(out)
        return out


def test_an_early_syntax_error_is_reported_without_reading_the_rest():
    stream = _EndlessArray('[{"type": "article-journal", "title": }', 5_000_000)  # ~200 MB
    with pytest.raises(InputFormatError, match="line 1, column 39: Expecting value"):
        list(iter_items(stream, "big.json"))
    assert stream.served <= 2 * csljson.CHUNK


def test_a_long_unterminated_string_is_read_in_doubling_chunks(monkeypatch):
    monkeypatch.setattr(csljson, "CHUNK", 64)
    text = '[{"type": "article-journal", "title": "' + "x" * 100_000
    reads = []
    handle = io.StringIO(text)
    original = handle.read
    monkeypatch.setattr(handle, "read", lambda size=-1: reads.append(size) or original(size))
    with pytest.raises(InputFormatError, match="Unterminated string"):
        list(iter_items(handle, "f"))
    assert len(reads) < 20  # 64, 64, 128, 256 … not 100_000 / 64 reads


@pytest.mark.parametrize("text", ["[" * 100_000, '[{"type": "book", "title": ' + "[" * 100_000])
def test_deep_nesting_is_an_error_not_a_recursion_crash(text):
    with pytest.raises(InputFormatError, match="nested too deeply"):
        list(iter_items(io.StringIO(text), "deep.json"))
