"""The RIS reader's shortcuts against the general rules they skip (readers/ris.py says where).

Each shortcut is written for speed on the common case; the rule it stands for is kept here as
the reference, and both must give the same answer on any input (hypothesis, derandomised so CI
is repeatable).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from quarterly_cli import markup
from quarterly_cli.readers.ris import (
    ISBN_SHAPE,
    ISSN_SHAPE,
    TYPES,
    _classify_sn,
    _classify_sn_value,
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
