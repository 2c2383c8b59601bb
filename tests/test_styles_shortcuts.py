"""The native styles' shortcuts (formats/_citeproc.py, _text.py, apa.py, citations.py) against the
general rules they skip.

Each shortcut is written for speed on the common case; the rule it stands for is kept beside it
as the general path, and both must give the same answer on any input (hypothesis, derandomised
so CI is repeatable).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from quarterly_cli.formats import _citeproc, _text, apa
from quarterly_cli.model import Date, Name, Record

# Name words that begin or end particles (`van`, `d'`, `al-`), capitals, suffixes and the marks
# the particle rules look for, joined by the separators they split on.
NAME_WORD = st.one_of(
    st.sampled_from(["van", "der", "de", "la", "d'", "D'", "al-", "Al-", "Jr.", "III", "J.", "R.",
                     "Jean-Paul", "Meer", "ʻIke", "’t", "'s", "Ó", "ß", "ǅ", "1", "-", "'", "",
                     "et al.", "é", "É"]),
    st.text(st.sampled_from("aAzZ.-'\u02bb\u2019 ,!\t\u00a0ǅéÉ1"), max_size=5),
)
NAME_TEXT = st.lists(NAME_WORD, min_size=1, max_size=4).flatmap(
    lambda words: st.lists(st.sampled_from([" ", "-", "' ", "\u02bb", "\u2019 ", ", ", "  "]),
                           min_size=len(words), max_size=len(words)).map(
        lambda seps: "".join(w + s for w, s in zip(words, seps, strict=True)).rstrip(", ")
        if len(words) > 1 else words[0]))


@settings(max_examples=2000, derandomize=True, deadline=None)
@given(NAME_TEXT, NAME_TEXT, st.sampled_from([None, "Jr.", ""]),
       st.sampled_from([None, "van"]))
def test_parse_name_shortcut_is_parse_particles(family, given_name, suffix, dropping):
    """`parse_name` returns a name whose first family word and last given word begin with a
    capital, without a comma, as it stands: what `_parse_particles` makes of it."""
    if not family or not given_name:
        return
    assert _citeproc.parse_name(family, given_name, suffix, dropping) == \
        _citeproc._parse_particles(family, given_name, suffix, dropping)


NUMBER_TEXT = st.one_of(
    st.text(st.sampled_from("0123456789-\u2013 \t,&ivxIVX aAp.;\\"), max_size=12),
    st.from_regex(r"\s?[0-9\u0661\u00b2]{1,5}(\s*(-|--|\u2013)\s*[0-9\u0661\u00b2]{1,5})?\s?",
                  fullmatch=True),
)


@settings(max_examples=2000, derandomize=True, deadline=None)
@given(st.sampled_from(["page", "volume", "issue", "number", "edition"]), NUMBER_TEXT)
def test_parse_number_shortcut_is_parse_values(variable, text):
    """`_parse_number` splits a number or a two-number range at once: as `_parse_values` does."""
    prepared = text.strip()
    if variable == "page":
        prepared = prepared.replace("\u2013", "-")
    assert _citeproc._parse_number.__wrapped__(variable, text) == \
        _citeproc._parse_values(prepared)


# Text made of styled-text markers, controls, spaces the sort keys split on, and letters.
STYLED = st.text(st.sampled_from(
    "aZé1 .:“”\u202f\u00a0\t\n\x01\x02\x03\x04\x05\x06\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17"
    "\x18\x19\x1a\x7f\x85"), max_size=12)


@settings(max_examples=2000, derandomize=True, deadline=None)
@given(STYLED)
def test_to_plain_shortcut_is_the_marker_removal(text):
    """`to_plain` returns a printable text as it is: what removing every marker makes of it."""
    assert _text.to_plain(text) == _text._MARKER.sub("", text)


FAMILY = st.sampled_from(["Brown", "van der Berg", "Yıldız", "O'Neil", "", "Ng", "Ø"])


@st.composite
def sorted_records(draw) -> Record:
    """Records of the types and variables `apa._first_code` looks at: authors (none, literal,
    more than twenty), a composer, dates of one to three parts, status, editors and pages."""
    authors = tuple(
        Name(literal="WHO") if draw(st.integers(0, 3)) == 0 else Name(family or "x", "Ann B.")
        for family in draw(st.lists(FAMILY, max_size=23)))
    parts = draw(st.lists(st.integers(1, 12), max_size=2))
    issued = draw(st.sampled_from([None, Date(literal="Spring term"), Date.of(2020, *parts[:1]),
                                   Date.of(-44, *parts[:1]), Date.of(1999, *parts)
                                   if len(parts) < 2 else Date.of(1999, parts[0], parts[1])]))
    return Record(
        "A title", draw(st.sampled_from(["article-journal", "book", "paper-conference",
                                         "webpage", "legal_case", "song", "report"])),
        author=authors or None, issued=issued,
        composer=(Name("Bach", "J. S."),) if draw(st.booleans()) else None,
        status=draw(st.sampled_from([None, "in press", "forthcoming 2"])),
        editor=(Name("Ed", "A"),) if draw(st.booleans()) else None,
        page=draw(st.sampled_from([None, "1-9"])))


@settings(max_examples=2000, derandomize=True, deadline=None)
@given(sorted_records())
def test_first_code_shortcut_is_the_first_keys(record):
    """`apa._first_code` makes the reference list's first sort keys as one string directly when
    the authors stand first, and the authors' text: what `first_keys_code` makes of
    `_first_keys`, and what the entry prints (`_listed_authors`)."""
    keys, title = apa._first_keys(record, False, False, "printed")
    code, title_found, listed = apa._first_code(record, False, "printed")
    assert (code, title_found) == (apa.first_keys_code(keys), title)
    if listed is not None:
        assert listed == apa._listed_authors(record)


@settings(max_examples=1000, derandomize=True, deadline=None)
@given(st.one_of(NAME_TEXT, st.just(""), st.just("张")), st.one_of(NAME_TEXT, st.just(""),
       st.just("伟")), st.sampled_from([None, "Jr.", "III", ""]),
       st.sampled_from([None, "van", ""]), st.sampled_from([None, "de", ""]),
       st.sampled_from([None, None, None, "", "WHO"]))
def test_listed_name_shortcut_is_the_sort_and_bibliography_names(
        family, given_name, suffix, dropping, particle, literal):
    """`apa._listed_name_of` makes a name of a family and a given name alone directly: what
    `_sort_name` (as a collation code) and `sort_order_name` (styled) make of it."""
    name = Name(family or None, given_name or None, suffix, dropping, particle, literal)
    assert apa._listed_name_of(name) == (_text.collation_code(apa._sort_name(name)),
                                         apa._bibliography_name_of(name))


@settings(max_examples=1000, derandomize=True, deadline=None)
@given(st.integers(-9999, 9999).filter(bool), st.lists(st.integers(1, 12), max_size=2),
       st.one_of(st.none(), st.integers(-9999, 9999).filter(bool)), st.booleans())
def test_issued_year_shortcut_is_circa_and_year_text(year, more, end, circa):
    """`apa.issued_year` returns a year of four digits alone as its digits: what `_circa` and
    `year_text_apa` make of it."""
    date = Date((year, *more[:1]), (end,) if end is not None else (), circa=circa)
    assert apa.issued_year(date) == apa._circa(date) + apa.year_text_apa(date)
