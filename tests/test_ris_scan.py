"""The RIS line scanner (`readers.ris._scan`) against rispy's parser, the reference it replaced.

`_scan` is hand-written for speed (its docstring has the figures); it must read exactly what
rispy's RisParser reads, subclassed as quarterly used it before (`RispyParser` below, kept here
as the reference): the same records, the same tag lines outside any record, the same count of
extra `TY` lines, and for each record the tag table that `table_of` (below, the rule written
plainly) builds from rispy's (tag, value) lines and the title its first non-blank `TI` or `T1`
line gives error messages. Compared on arbitrary
RIS-like text (hypothesis, derandomised so CI is repeatable) and on every real RIS export in
../shared/real-world (read in place, never copied; skipped when absent).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import rispy
from hypothesis import given, settings
from hypothesis import strategies as st

from quarterly_cli import markup
from quarterly_cli.readers import ris
from quarterly_cli.readers.ris import _LINE, _LIST_TAGS, _pieces, _scan


class RispyParser(rispy.RisParser):
    """rispy's parser keeping every tag in order as (tag, value); tag lines outside any record
    and extra `TY` lines are counted (quarterly's reader until `_scan` replaced it)."""

    def __init__(self) -> None:
        super().__init__(mapping={"TY": "TY"}, list_tags=[], skip_unknown_tags=False)
        self.stray: list[str] = []
        self.extra_ty = 0

    def _iter_till_start(self, lines: Iterator[str]) -> dict[str, Any]:
        while True:
            line = next(lines)
            tag, value = self.parse_line(line)
            if tag == "TY":
                return {"TY": value, "pairs": []}
            if tag is not None and tag != "ER":
                self.stray.append(f"{tag}  - {value}")

    def _add_tag(self, record: dict[str, Any], tag: str | None, content: str,
                 extend_multiline: bool = False) -> None:
        pairs: list[list[str]] = record["pairs"]
        if extend_multiline:
            if not content or not pairs:
                return
            last = pairs[-1]
            if last[0] in _LIST_TAGS:
                pairs.append([last[0], content])
            else:
                last[1] = f"{last[1]} {content}" if last[1] else content
        elif tag == "TY":  # a second TY before ER: the first one stands
            self.extra_ty += 1
        elif tag is not None:
            pairs.append([tag, content])


def table_of(pairs: list[tuple[str, str]]) -> tuple[dict[str, list[str]], list[str]]:
    """A record's tag table from its (tag, value) lines: each value on one line
    (markup.one_line), an empty one dropped, AU and A1 as authors, other tags' values in order."""
    values: dict[str, list[str]] = {}
    authors: list[str] = []
    for tag, value in pairs:
        value = markup.one_line(value)
        if not value:
            continue
        if tag in ("AU", "A1"):
            authors.append(value)
        else:
            values.setdefault(tag, []).append(value)
    return values, authors


def unbuilt(ty: str, tags: ris._Tags, title: str | None) -> tuple[str, ris._Tags, str | None]:
    """What `_scan` hands `build` at each record's ER, kept as it is."""
    return ty, tags, title


def scan(text: str, printable_ascii: bool = False) -> tuple[list[Any], list[str], int]:
    """`_scan`'s records (as `unbuilt` keeps them), then what it returns at the end."""
    scanning = _scan(text, unbuilt, printable_ascii)
    records = []
    while True:
        try:
            records.append(next(scanning))
        except StopIteration as end:
            return (records, *end.value)


def assert_same_as_rispy(text: str) -> None:
    parser = RispyParser()
    expected = parser.parse(text)
    records, stray, extra_ty = scan(text)
    assert stray == parser.stray
    assert extra_ty == parser.extra_ty
    assert len(records) == len(expected)
    for (ty, tags, title), entry in zip(records, expected, strict=True):
        assert ty == entry["TY"]
        want = [tuple(pair) for pair in entry["pairs"]]
        assert title == next((v for t, v in want if t in ("TI", "T1") and v.strip()), None)
        values, authors = table_of(want)
        assert (tags.values, tags.authors) == (values, authors)
        assert list(tags.values) == list(values)  # tags in the order they came


# Tags rispy takes for tags (list tags, others, non-ASCII capitals, `A-`) and lines it does not.
TAGS = ["TY", "ER", "AU", "A1", "KW", "N1", "UR", "TI", "T1", "AB", "PB", "T2", "SN", "É1", "A-",
        "Ab", "1A", "a1", "ÄÖ", "Z9"]
SEPARATORS = ["  - ", "  -", "  -  ", " - ", "  -x", "  -\t", "  --", "-  - "]
value = st.text(st.sampled_from(list("ab Z1,;-<&\t\x00\x1b\x85\u2028\u3000\xa0\ufeffé\r")),
                max_size=12)
tag_line = st.builds(lambda t, s, v: t + s + v, st.sampled_from(TAGS), st.sampled_from(SEPARATORS),
                     value)
other_line = st.one_of(value, st.just(""), st.just("  "), st.builds(
    lambda v: "    " + v, value))
line = st.one_of(tag_line, other_line)
record = st.builds(lambda ty, body, end: "\n".join(["TY  - " + ty, *body, end]), value,
                   st.lists(line, max_size=12), st.sampled_from(["ER  - ", "ER  -", "ER  - x"]))
ris_text = st.lists(st.one_of(record, record, line), max_size=8).map("\n".join)


@settings(max_examples=2000, derandomize=True, deadline=None)
@given(ris_text)
def test_scan_reads_what_rispy_reads(text: str) -> None:
    assert_same_as_rispy(text)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.text(max_size=200))
def test_scan_reads_what_rispy_reads_on_any_text(text: str) -> None:
    assert_same_as_rispy(text)
    assert_same_as_rispy("TY  - JOUR\n" + text + "\nER  - ")


@settings(max_examples=500, derandomize=True, deadline=None)
@given(ris_text, st.integers(0, 40))
def test_scan_in_pieces_of_any_size_reads_what_rispy_reads(text: str, size: int) -> None:
    """The scan matches lines a piece of the text at a time (`_pieces`): pieces of a few
    characters end in any record, value or run of continuation lines."""
    from unittest.mock import patch

    assert [pair for start, end in _pieces(text) for pair in _LINE.findall(text, start, end)] \
        == _LINE.findall(text)
    with patch.object(ris, "_PIECE", size):
        assert [pair for start, end in _pieces(text)
                for pair in _LINE.findall(text, start, end)] == _LINE.findall(text)
        assert_same_as_rispy(text)


@settings(max_examples=500, derandomize=True, deadline=None)
@given(st.text(st.characters(max_codepoint=127)), st.text(max_size=20))
def test_abstract_lines_read_what_rispy_reads(text: str, more: str) -> None:
    """An ASCII `AB` value is tested for controls through its bytes (`_CONTROL_NUL`), any other
    value by str.isprintable: both fold what markup.one_line folds."""
    assert_same_as_rispy(f"TY  - JOUR\nAB  - {text}\nER  - ")
    assert_same_as_rispy(f"TY  - JOUR\nAB  - {text}\n{more}\nN2  - {text}\nER  - ")


@pytest.mark.parametrize("text", [
    "",
    "TY  - JOUR\nTI  - A\n  continued\nKW  - x\n y\n\nER  - \n",
    "TY  - JOUR\n  before any tag\nPB  -\n  late\nTY  - BOOK\n tail\nER  -\nAU  - stray",
    "TY  - JOUR\nAB  - \x1b[31m  red\n  \x00more\nER  - ",
    "TY  - JOUR\nTI  - never closed",
    "ÉR  - x\nTY  - JOUR\nÉ1  - accented\nA-  - dash\nER  - ",
])
def test_scan_examples(text: str) -> None:
    assert_same_as_rispy(text)


# The title for messages is taken from the table at ER unless the folding changed it.
@pytest.mark.parametrize("lines", [
    ["TI  - A  b", "T1  - c"], ["T1  - c", "TI  - A  b"], ["TI  - \x00", "T1  - c"],
    ["TI  -", "T1  - c\td", "TI  - e"], ["T1  - c", "TI  - d"], ["TI  - d", "T1  - c"],
    ["T1  - \x1b", "TI  - x  y", "T1  - z"], ["TI  - a", "TI  - b\x00"], ["T2  - a  b"],
])
def test_scan_titles(lines: list[str]) -> None:
    assert_same_as_rispy("\n".join(["TY  - JOUR", *lines, "ER  - "]))


REAL = Path(__file__).resolve().parents[1].parent / "shared" / "real-world"


def _ris_texts() -> list[Path]:
    if not REAL.is_dir():
        return []
    paths = [p for folder in ("exports", "excerpts") for p in sorted((REAL / folder).glob("*"))
             if p.suffix in (".ris", ".txt")]
    return [p for p in paths
            if re.search(r"^\ufeff?TY  - ", p.read_text("utf-8-sig", errors="replace"), re.M)]


FILES = _ris_texts()


@pytest.mark.skipif(not FILES, reason=f"real-world exports not found at {REAL}")
def test_scan_reads_real_exports_as_rispy_does() -> None:
    for path in FILES:
        text = path.read_text("utf-8-sig", errors="replace")
        # as readers.ris.read prepares a text for the scanner
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n\ufeff", "\n")
        assert_same_as_rispy(text)


def test_a_record_that_cannot_be_read_is_named_by_its_title(monkeypatch):
    from quarterly_cli.errors import InputFormatError
    from quarterly_cli.readers import ris

    def fail_on_book(ty: str, tags: Any) -> Any:
        if ty == "BOOK":
            raise ValueError("no reason")
        return real(ty, tags)

    real = ris.record_from_tags
    monkeypatch.setattr(ris, "record_from_tags", fail_on_book)
    text = ("TY  - JOUR\nTI  - First\nER  - \n"
            "TY  - BOOK\nTI  -   \nT1  - The  \x1b[1mbook\nTI  - Later\nER  - \n")
    with pytest.raises(InputFormatError, match=r"x\.ris: record 2 \(BOOK: The book\) "
                                                r"cannot be read: no reason\."):
        ris.read(text, "x.ris")


def _scanned(text: str, printable_ascii: bool) -> tuple[Any, ...]:
    records, stray, extra_ty = scan(text, printable_ascii)
    return ([(ty, tags.values, tags.authors, title) for ty, tags, title in records], stray,
            extra_ty)


_NO_CONTROLS = re.compile("[\x00-\x09\x0b-\x1f\x7f]")


@settings(max_examples=1000, derandomize=True, deadline=None)
@given(ris_text)
def test_a_text_known_to_hold_no_controls_is_scanned_the_same(text: str) -> None:
    """`_scan(text, printable_ascii=True)` (what `read` asks for when the file's bytes hold no
    control but newline and carriage return) reads what the general scan reads of such a text:
    its ASCII values are not looked at for controls, its other values still are (`\\x85`, NBSP,
    U+2028 and U+3000 are in the strategy's alphabet)."""
    text = _NO_CONTROLS.sub("", text.replace("\r", "\n"))
    assert _scanned(text, True) == _scanned(text, False)


@pytest.mark.parametrize(("line", "abstract"), [
    ("AB  - a\tb", "a b"),  # a tab: the file holds a control, every value is looked at
    ("AB  - red \x1b[31mtext", "red text"),
    ("AB  - two  spaces", "two spaces"),  # no control in the file: only the spaces to fold
    ("AB  - caf\u00e9\u00a0au lait", "caf\u00e9 au lait"),  # non-ASCII: looked at all the same
    ("AB  - plain", "plain"),
])
def test_a_ris_file_folds_its_values_whether_or_not_it_holds_controls(tmp_path, line: str,
                                                                       abstract: str) -> None:
    from quarterly_cli.readers import read_path

    path = tmp_path / "refs.ris"
    path.write_bytes(f"TY  - JOUR\r\nTI  - T\r\n{line}\r\nER  - \r\n".encode())
    (record,) = read_path(str(path))
    assert [p for section in record.abstract for p in section.paragraphs] == [abstract]
