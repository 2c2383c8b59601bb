"""Properties of sentence case, checked by hypothesis on generated titles: it changes letter case
only (and only downwards), it is idempotent, it never lowers a word with internal capitals or
digits, a single letter or an initial, and it leaves titles already in sentence case alone."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from quarterly_cli import casing, markup
from quarterly_cli.casing import sentence_case
from quarterly_cli.model import Name, Record

CAPITALISED = ["Care", "Health", "Outcomes", "Study", "Review", "Cells", "Therapy", "Model",
               "Patients", "Effects", "Primary", "Rural", "Evidence", "Policy", "Follow-Up",
               "High-Flow", "Non-Expansion", "Long-Term", "Role"]
MINOR = ["of", "and", "in", "the", "for", "with", "a", "on", "to", "Of", "And", "The"]
LOWER = ["care", "health", "outcomes", "analysis", "patients", "follow-up", "treatment"]
OWN_CASE = ["NHS", "COVID-19", "mHealth", "Al2O3", "CD4+", "DL-Learner", "3-D", "Fe-MCM-41",
            "p53", "McDonald", "iPhone", "PDL1-Targeted", "Ca2+-Dependent", "5α-Reductase", "IL-10"]
LETTERS = ["A", "T", "D", "I", "B's", "E.", "J.", "X-Ray", "T-Cell"]
NAMES = ["China", "Guillain-Barré", "Alzheimer's", "Howard", "von", "Rosén", "Medicaid",
         "United", "States", "Black", "Death", "Zoë", "Émile"]
PUNCTUATED = ["Care:", "Health?", "Study.", "(MIDAS)", "'Donor'", "—", "-", "Review,", "“Spiny”",
              "#17.", "U.S.", "St.", "Target", "6.3", "v.", "vitro", "in", "Situ", "10", "mg"]
MARKUP = ["<i>Helicobacter pylori</i>", '<span class="nocase">Health Trainers</span>',
          "Al<sub>2</sub>O<sub>3</sub>-Sheathed", "<b>Bold Words</b>", "<i>In Vivo</i>", "</i>"]
WORDS = CAPITALISED + MINOR + LOWER + OWN_CASE + LETTERS + NAMES + PUNCTUATED + MARKUP

titles = st.lists(st.sampled_from(WORDS), min_size=1, max_size=14).map(" ".join)
any_text = st.one_of(titles, st.text(max_size=80))
PARTS = re.compile(r"[-‐‑–/]")
EDGE = re.compile(r"^\W*(.*?)\W*$")


def only_lowered(before: str, after: str) -> bool:
    return len(before) == len(after) and all(
        a == b or a.lower() == b for a, b in zip(before, after, strict=True))


def must_keep(part: str) -> bool:
    """A part with internal capitals or digits, a single letter, an initial."""
    core = EDGE.match(part).group(1)
    letters = [c for c in core if c.isalpha()]
    return bool(core) and (
        any(c.isdigit() for c in core) or any(c.isupper() for c in core[1:]) or len(letters) == 1)


@settings(max_examples=200, deadline=None, database=None)
@given(any_text)
def test_only_letter_case_changes_and_only_downwards(title):
    converted, guessed = sentence_case(title)
    assert only_lowered(title, converted)
    assert guessed <= (converted != title)


@settings(max_examples=200, deadline=None, database=None)
@given(any_text)
def test_idempotent(title):
    once = sentence_case(title)[0]
    assert sentence_case(once)[0] == once


@settings(max_examples=200, deadline=None, database=None)
@given(titles)
def test_never_lowers_internal_capitals_digits_letters_or_initials(title):
    before = markup.plain(title).split()
    after = markup.plain(sentence_case(title)[0]).split()
    for word, new in zip(before, after, strict=True):
        for part, new_part in zip(PARTS.split(word), PARTS.split(new), strict=True):
            if must_keep(part):
                assert new_part == part, (word, new)


@settings(max_examples=200, deadline=None, database=None)
@given(st.sampled_from(CAPITALISED), st.lists(st.sampled_from(LOWER + MINOR[:9] + OWN_CASE + NAMES),
                                              max_size=10),
       st.sampled_from(LOWER), st.integers(min_value=0, max_value=10))
def test_sentence_case_is_returned_unchanged(first, rest, lower, at):
    title = " ".join([first, *rest[:at], lower, *rest[at:]])
    assert sentence_case(title) == (title, False)


# --- a record's names, read once per distinct name ----------------------------------------------

NAME_WORDS = st.sampled_from(["Howard", "Stone", "Care", "Health", "von", "Rosén", "Journal",
                              "University", "of", "the", "Study", "Medicaid", "Young", "J.", ""])
PEOPLE = st.lists(st.builds(
    lambda family, given, literal: Name(family or None, given or None, literal=literal or None),
    NAME_WORDS, NAME_WORDS,
    st.one_of(st.just(""), st.lists(NAME_WORDS, max_size=6).map(" ".join))), max_size=5)


# Titles in title case made of the names' words, so that the names decide what stays capitalised.
NAMED_TITLES = st.lists(st.sampled_from(
    ["Howard", "Stone", "Care", "Health", "Study", "Medicaid", "Young", "Rosén", "Journal",
     "University", "Of", "The", "Policy", "Review", "J.", "von", "Outcomes"]),
    min_size=3, max_size=12).map(" ".join)


# A container's or publisher's words, some in markup (read as plain text).
TEXT_WORDS = st.one_of(NAME_WORDS, st.sampled_from(["<i>Health</i>", "<b>Care</b>",
                                                    "<i>Stone</i>", "<sup>Young</sup>"]))


@settings(max_examples=1000, deadline=None)
@given(NAMED_TITLES, PEOPLE, PEOPLE, st.lists(TEXT_WORDS, max_size=6).map(" ".join), TEXT_WORDS)
def test_a_record_s_sentence_case_is_that_of_its_names_as_text(title, authors, editors,
                                                               container, publisher):
    """`record_sentence_case` reads each person's name through a cache of what it vouches for;
    `sentence_case` with the same names as text (author, then the other names, then container
    and publisher) is the general path."""
    record = Record(title, "chapter", author=tuple(authors), editor=tuple(editors),
                    container_title=container or None, publisher=publisher or None)
    names = [casing._person_text(n) for role in record.names.values() for n in role]
    names += [markup.plain(value) for value in map(record.get, (
        "container-title", "collection-title", "publisher", "event-title")) if value]
    assert casing.record_sentence_case(record) == sentence_case(
        title, language=record.language, names=names)


# --- shortcuts held to the general path ---------------------------------------------------------

WORD_TEXT = st.one_of(st.sampled_from(WORDS + PUNCTUATED), st.text(max_size=12).filter(
    lambda text: not any(c.isspace() for c in text)))


@settings(max_examples=2000, deadline=None)
@given(WORD_TEXT, st.booleans())
def test_only_a_capitalised_word_can_be_lowered(word, at_start):
    """`_convert` (sentence case) looks only at words `_Word.capitalised` says are: `_lower_word` leaves
    every other word as it is, whatever the names it is given."""
    if not casing._word[word].capitalised:
        assert casing._lower_word(word, at_start, frozenset()) == word
        assert casing._lower_word(word, at_start, casing.lexicon().singles) == word


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(WORDS + PUNCTUATED + ["J.", "van", "der", "St.", "Part",
                                                                   "1", "Genus", "(NHS)"]),
                          WORD_TEXT), min_size=1, max_size=10))
def test_names_by_neighbours_skips_only_titles_it_would_leave(texts):
    """`_names_by_neighbours` returns at once when no word is of a kind it acts on: with every
    kind counted (`_NEIGHBOURLY` all bits), so that it always reads the words, it finds the
    same names."""
    words = [casing._word[text] for text in texts]
    fast = casing._names_by_neighbours(words)
    saved = casing._NEIGHBOURLY
    casing._NEIGHBOURLY = -1
    try:
        assert casing._names_by_neighbours(words) == fast
    finally:
        casing._NEIGHBOURLY = saved


# Words of ASCII letters of every kind `_read_word` tells apart: particles, honorifics, series
# nouns, Roman numerals, genus words, function words of either language, phrase heads, initials,
# acronyms, internal capitals, minor and kept-lower words.
LETTER_WORDS = ["von", "Von", "van", "de", "Dr", "Mount", "mr", "Part", "part", "Chapter", "IV",
                "XI", "VIX", "IVa", "Genus", "subgenus", "der", "und", "Und", "les", "the", "The",
                "of", "Of", "study", "Down", "down", "guinea", "A", "a", "I", "NHS", "mHealth",
                "McDonald", "vitro", "Care", "care", "CARE", "vs", "et", "al", "in", "Vivo"]


@settings(max_examples=2000, deadline=None, derandomize=True)
@given(st.one_of(st.sampled_from(LETTER_WORDS),
                 st.text(alphabet="abcdeilmnostuvxIVXADNCH", min_size=1, max_size=8), WORD_TEXT))
def test_a_word_of_letters_reads_as_the_general_path_reads_it(word):
    """`_word_of` (with its shortcuts for ASCII letters alone and for bare numbers) gives the
    `_Word` that `_read_word` gives."""
    assert casing._word_of(word) == casing._read_word(word)
