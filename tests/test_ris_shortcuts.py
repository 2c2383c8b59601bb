"""The RIS reader's shortcuts against the general rules they skip (readers/ris.py says where).

Each shortcut is written for speed on the common case; the rule it stands for is kept here as
the reference, and both must give the same answer on any input (hypothesis, derandomised so CI
is repeatable).
"""

from __future__ import annotations

import copy

from hypothesis import given, settings
from hypothesis import strategies as st

from quarterly_cli import markup
from quarterly_cli.readers.ris import (
    CONFERENCES,
    ISBN_SHAPE,
    ISSN_SHAPE,
    SERIES_IN_T2,
    TYPE_TAGS,
    TYPES,
    _classify_sn,
    _classify_sn_value,
    _Tags,
    read_type,
    record_from_tags,
    rich,
)


def _classify_sn_reference(values: list[str], ty: str) -> tuple[list[str], list[str], list[str]]:
    """readers.ris._classify_sn without its shortcut for a value that is one ISSN: the general
    rule for every value."""
    issn: list[str] = []
    isbn: list[str] = []
    other: list[str] = []
    for value in values:
        _classify_sn_value(value, ty, issn, isbn, other)
    return list(dict.fromkeys(issn)), list(dict.fromkeys(isbn)), other


sn_value = st.one_of(
    st.text(st.sampled_from(list("0123456789Xx- ;,()[]\"E١")), max_size=30),
    st.from_regex(ISSN_SHAPE, fullmatch=True),
    st.from_regex(ISBN_SHAPE, fullmatch=True),
    st.lists(st.from_regex(ISSN_SHAPE, fullmatch=True), min_size=1, max_size=3).map(", ".join),
)


@settings(max_examples=500, derandomize=True, deadline=None)
@given(st.lists(sn_value, max_size=4), st.sampled_from(sorted(TYPES)))
def test_classify_sn_is_the_general_rule(values, ty):
    assert _classify_sn(list(values), ty) == _classify_sn_reference(list(values), ty)


@settings(max_examples=1000, derandomize=True, deadline=None)
@given(st.one_of(
    st.text(max_size=60),
    st.lists(st.sampled_from(["BACKGROUND:", "Methods:", "a.", "b", ":", " ", "\u00ad", "x: y",
                              "\xa0", "\n"]), max_size=10).map(" ".join),
))
def test_one_line_abstract_shortcut_is_sections_from_text(text):
    from quarterly_cli.abstracts import sections_from_line, sections_from_text

    folded = markup.squash_space(text)  # as every value of the tag table is, and rich keeps it
    assert sections_from_line(folded) == sections_from_text(folded)


def _titles_reference(ty: str, tags: _Tags) -> dict[str, str]:
    """The container and series titles of record_from_tags read with _Tags.first and peek
    throughout, as the rule is written: without its direct reads of T2 and J2."""
    variables: dict[str, str] = {}
    if ty in SERIES_IN_T2:
        value = tags.first("T2", "T3")
        if value:
            variables["collection-title"] = rich(value)
        value = tags.first("JF")
        if value:
            variables["container-title"] = rich(value)
    else:
        value = tags.first("T3")
        if value:
            variables["collection-title"] = rich(value)
        if ty in CONFERENCES and tags.peek("C3") and tags.peek("T2"):
            variables["container-title"] = rich(tags.first("C3") or "")
            variables["event-title"] = rich(tags.first("T2") or "")
        else:
            value = tags.first("T2", "JF", "BT") or tags.peek("JO", "JA", "J1", "J2")
            if value:
                variables["container-title"] = rich(value)
    value = tags.first("J2", "JA", "J1", "JO")
    if value:
        variables["container-title-short"] = rich(value)
    return variables


_TITLE_TAGS = ("T2", "JF", "BT", "JO", "JA", "J1", "J2", "T3", "C3")
# A tag table as _scan leaves it: values on one line and not empty, no tag without a value.
_title_values = st.lists(
    st.sampled_from(["BMJ Open", "Milbank Q", "<i>Nature</i>", "A &amp; B", "x"]),
    min_size=1, max_size=2)


@settings(max_examples=1000, derandomize=True, deadline=None)
@given(st.sampled_from(sorted(TYPES)),
       st.dictionaries(st.sampled_from(_TITLE_TAGS), _title_values, max_size=5))
def test_container_titles_are_the_first_rule(ty, table):
    record = record_from_tags(ty, _Tags({"TI": ["A title"], **copy.deepcopy(table)}, []))
    expected_tags = _Tags(copy.deepcopy(table), [])
    ris_type = read_type(ty)[0]
    for own_type, tag in TYPE_TAGS:  # read before the titles (an artwork's C3 is its dimensions)
        if own_type == ris_type:
            expected_tags.first(tag)
    expected = _titles_reference(ris_type, expected_tags)
    got = {var: record.variables[var] for var in ("collection-title", "container-title",
                                                  "event-title", "container-title-short")
           if var in record.variables}
    assert got == expected
    # What the titles left is kept (custom), as the reference leaves it.
    left = {tag: values for tag, values in expected_tags.values.items() if values}
    kept = record.custom.get("ris", {})
    assert {tag: kept[tag] for tag in _TITLE_TAGS if tag in kept} == left
