"""Property tests (hypothesis): any record of arbitrary Unicode written as CSL-JSON or as
quarterly's JSON reads back as it was (issue 11: every writer → reader pair)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from quarterly_cli.formats import FORMATS, Options
from quarterly_cli.model import DATE_VARS, NAME_ROLES, TEXT_VARS, TYPES, Date, Name, Record, Section
from quarterly_cli.readers import read_text

# Text as readers keep it: no control characters, no surrogates, single spaces, trimmed.
_CHARS = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"))
TEXT = st.text(_CHARS, min_size=1, max_size=30).map(lambda t: " ".join(t.split())).filter(bool)
# A list item that CSL joins with `, ` and splits on `,`/`;` cannot hold those characters.
ITEM = TEXT.filter(lambda t: "," not in t and ";" not in t)
# A section's text after `Label: ` starts with a word (a paragraph `: x` would read differently).
PARAGRAPH = TEXT.filter(lambda t: t[0].isalnum())
NUMBER = st.from_regex(r"[0-9]{4}-[0-9]{3}[0-9X]", fullmatch=True)


@st.composite
def dates(draw) -> Date:
    year = draw(st.integers(1000, 2100))
    month = draw(st.none() | st.integers(1, 12))
    day = draw(st.none() | st.integers(1, 28)) if month else None
    return Date.of(year, month, day)


@st.composite
def names(draw) -> Name:
    if draw(st.booleans()):
        return Name(literal=draw(TEXT))
    return Name(family=draw(TEXT), given=draw(st.none() | TEXT), suffix=draw(st.none() | TEXT),
                non_dropping_particle=draw(st.none() | TEXT))


@st.composite
def records(draw) -> Record:
    roles = draw(st.lists(st.sampled_from(NAME_ROLES), max_size=4, unique=True))
    date_vars = draw(st.lists(st.sampled_from(DATE_VARS), max_size=3, unique=True))
    text_vars = draw(st.lists(st.sampled_from(TEXT_VARS), max_size=8, unique=True))
    labels = draw(st.lists(st.sampled_from(["Background", "Methods", "Results", "Conclusions"]),
                           max_size=3, unique=True))
    return Record(
        draw(TEXT), draw(st.sampled_from(sorted(TYPES))),
        names={r: tuple(draw(st.lists(names(), min_size=1, max_size=3))) for r in roles},
        dates={v: draw(dates()) for v in date_vars},
        variables={v: draw(TEXT) for v in text_vars},
        ISSN=tuple(draw(st.lists(NUMBER, max_size=2, unique=True))),
        keyword=tuple(draw(st.lists(ITEM, max_size=3, unique=True))),
        abstract=tuple(Section(label, (draw(PARAGRAPH),)) for label in labels),
        id=draw(st.from_regex(r"[a-z][a-z0-9]{0,10}", fullmatch=True)), source="csl-json",
    )


@settings(max_examples=100)
@given(st.lists(records(), min_size=1, max_size=3, unique_by=lambda r: r.id))
def test_csl_json_reads_back_every_record(items):
    text = FORMATS["csl-json"].render(items, Options())
    assert read_text(text, "t.json", "csl-json") == items


@settings(max_examples=100)
@given(st.lists(records(), min_size=1, max_size=3, unique_by=lambda r: r.id))
def test_quarterly_json_reads_back_every_record(items):
    text = FORMATS["json"].render(items, Options())
    assert read_text(text, "t.json", "csl-json") == items
