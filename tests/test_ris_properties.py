"""Property: any record the RIS writer writes, the RIS reader reads back exactly (issue 11, item 4).

Records are made of arbitrary Unicode — line breaks, control characters, `<`, `&`, tag-like text
included — in every variable RIS holds (README, "What each format keeps" → RIS). "Exactly" is
after the one normalisation every RIS value goes through, `markup.one_line` (controls removed,
white space folded: a RIS value is one line), and within the documented limits of the format:
names without commas, ISSNs and ISBNs of their own shape, no page for the types whose SP is a
page count (and no hyphen in that count), case protection not written. The examples are drawn
the same way on every run (derandomize), so CI is repeatable; run with
`--hypothesis-seed=N` to explore others.
"""

from __future__ import annotations

import string

from hypothesis import example, given, settings
from hypothesis import strategies as st

from quarterly_cli import markup
from quarterly_cli.formats import FORMATS, Options
from quarterly_cli.model import Date, Name, Record, Section
from quarterly_cli.readers import read_text
from quarterly_cli.readers.ris import PAGES_COUNT, RIS_TYPES, TYPE_TAGS, TYPES

# CSL types that RIS has a type of its own for (the others are read back as another type).
TYPES_KEPT = sorted(t for t, ty in RIS_TYPES.items() if TYPES[ty] == t)
UNMAPPED_TAGS = ("U1", "U2", "C8", "WE", "ZZ", "FX", "LB", "U5")
# Variables only some types have a tag for (README: RIS → "Per type"), and what a type's own
# tag takes away from it (a case's PB is its court, so it has no publisher).
ONLY_FOR = {var: {csl for csl, ty in RIS_TYPES.items() if (ty, tag) in TYPE_TAGS}
            for (_, tag), var in TYPE_TAGS.items()}
ONLY_FOR["number-of-pages"] = {csl for csl, ty in RIS_TYPES.items() if ty in PAGES_COUNT}
CANNOT_HOLD = {"thesis": {"collection-editor"}, "legal_case": {"publisher"},
               "graphic": {"genre"}}

any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)


def line(text: str) -> str:
    return markup.one_line(text)


one_line = any_text.map(line).filter(bool)
no_comma = one_line.map(lambda t: line(t.replace(",", " "))).filter(bool)
span = st.tuples(one_line.map(markup.literal),
                 st.frozensets(st.sampled_from(("i", "b", "sup", "sub")), max_size=2))
rich = st.lists(span, min_size=1, max_size=4).map(
    lambda spans: line(markup.unparse([markup.Span(t, s) for t, s in spans]))).map(
    lambda text: markup.squash_space(markup.unparse(markup.parse(text)))).filter(bool)
name = st.one_of(
    st.builds(lambda f, g, s: Name(family=f, given=g, suffix=s if g else None),
              no_comma, st.none() | no_comma, st.none() | no_comma),
    st.builds(lambda text: Name(literal=text), no_comma),
)
names = st.lists(name, max_size=3).map(tuple)
date = st.one_of(
    st.builds(Date.of, st.integers(1, 9999), st.none() | st.integers(1, 12)),
    st.builds(lambda y, m, d: Date.of(y, m, min(d, 28)), st.integers(1, 9999),
              st.integers(1, 12), st.integers(1, 31)),
    st.builds(lambda y, s: Date((y,), season=s), st.integers(1, 9999), st.integers(1, 4)),
)
digits = st.text(string.digits, min_size=1, max_size=6)
issn = st.builds(lambda a, b: f"{a}-{b}", st.text(string.digits, min_size=4, max_size=4),
                 st.text(string.digits + "X", min_size=4, max_size=4).filter(
                     lambda s: s[:3].isdigit()))
isbn = st.text(string.digits, min_size=10, max_size=10).map(lambda d: "978" + d)
word = st.text(string.ascii_letters, min_size=1, max_size=12)


@st.composite
def records(draw: st.DrawFn) -> Record:
    csl_type = draw(st.sampled_from(TYPES_KEPT))
    variables: dict[str, str] = {}
    for var in ("volume", "issue", "number-of-volumes", "publisher", "publisher-place",
                "edition", "version", "section", "language", "archive", "source", "call-number",
                "note", "annote", "number", "URL", "collection-number", *ONLY_FOR):
        if csl_type in ONLY_FOR.get(var, (csl_type,)) and draw(st.booleans()):
            variables[var] = draw(one_line.filter(lambda t: ";" not in t))
    if "-" in variables.get("number-of-pages", ""):  # SP `10-12` is a page range (README)
        del variables["number-of-pages"]
    for var in ("container-title", "collection-title", "title-short"):
        if draw(st.booleans()):
            variables[var] = draw(rich)
    if "container-title" in variables and draw(st.booleans()):
        variables["container-title-short"] = draw(rich)
    if draw(st.booleans()):
        variables["genre"] = draw(word)
    if draw(st.booleans()):
        variables["DOI"] = "10." + draw(digits).zfill(4) + "/" + draw(word)
    if draw(st.booleans()):
        variables["PMID"] = draw(digits)
    if draw(st.booleans()):
        variables["PMCID"] = "PMC" + draw(digits)
    if draw(st.booleans()):
        variables["archive_location"] = draw(word) + ":" + draw(one_line)
    if RIS_TYPES[csl_type] not in PAGES_COUNT and draw(st.booleans()):
        variables["page"] = draw(st.one_of(
            st.builds(lambda a, b: f"{a}-{b}", digits, digits), one_line))
    key = draw(st.none() | word)
    if key:
        variables["citation-key"] = key
    ris_type = RIS_TYPES[csl_type]
    if ris_type in ("COMP", "DATA"):
        variables.pop("edition", None)
    else:
        variables.pop("version", None)
    custom = draw(st.dictionaries(st.sampled_from(UNMAPPED_TAGS),
                                  st.lists(one_line, min_size=1, max_size=2), max_size=2))
    abstract = draw(st.none() | rich)
    roles = ["author", "editor", "collection-editor", "translator"]
    if csl_type == "thesis":
        roles.append("contributor")
    for var in CANNOT_HOLD.get(csl_type, ()):
        variables.pop(var, None)
        if var in roles:
            roles.remove(var)
    return Record(
        draw(rich), csl_type, variables=variables,
        names={role: value for role in roles if (value := draw(names))},
        dates={var: value for var in ("issued", "accessed") if (value := draw(st.none() | date))},
        ISSN=tuple(dict.fromkeys(draw(st.lists(issn, max_size=2)))),
        ISBN=tuple(dict.fromkeys(draw(st.lists(isbn, max_size=2)))),
        keyword=draw(st.lists(one_line, max_size=3)),
        affiliation=draw(st.lists(one_line, max_size=2)),
        abstract=(Section(None, (abstract,)),) if abstract else (),
        custom={"ris": custom} if custom else None, id=key, source="ris",
    )


@settings(max_examples=200, deadline=None, database=None, derandomize=True)
@given(st.lists(records(), min_size=1, max_size=3))
def test_ris_writer_reader_round_trip(originals):
    text = FORMATS["ris"].render(originals, Options())
    again = read_text(text, "written.ris", "ris")
    assert [r.to_dict() for r in again] == [r.to_dict() for r in originals]


@settings(max_examples=200, deadline=None, database=None, derandomize=True)
@given(st.lists(any_text, min_size=1, max_size=6))
def test_no_value_breaks_a_line(values):
    """Whatever the text, every output line is a tag line: nothing can start a tag of its own."""
    record = Record(values[0], "article-journal", note=" ".join(values), publisher=values[-1],
                    keyword=values, abstract=(Section(None, tuple(values)),))
    text = FORMATS["ris"].render([record], Options())
    lines = text.split("\n")
    assert lines[-1] == "" and lines[-2] == "ER  - "
    assert all(len(ln) >= 6 and ln[2:6] == "  - " for ln in lines[:-1])
    assert sum(ln.startswith("TY  - ") for ln in lines) == 1
    (again,) = read_text(text, "x", "ris")
    assert again.keyword == tuple(v for v in map(line, values) if v)


RICH_PIECES = st.lists(st.sampled_from(
    ['<span class="nocase">', "</span>", "<i>", "</i>", "<sup>", "<", "&", "&amp;", "<\u200d",
     "NHS", " a ", ">", "x<y", "</"]), max_size=10).map("".join)


@settings(max_examples=300, deadline=None, database=None, derandomize=True)
@given(RICH_PIECES)
def test_a_title_with_case_protection_only_is_written_as_the_general_path_writes_it(text):
    """formats/ris.py `rich` removes nocase spans without parsing when they are the only
    markup; whatever the text, the result is that of parsing and writing it (markup.wrap)."""
    from quarterly_cli.formats.ris import _HTML, _escape, rich

    assert rich(text) == markup.wrap(markup.parse(text), _escape, _HTML)


# Mostly printable pieces, so that one space out of place is often the only flaw of a record.
LINE_VALUES = st.lists(st.sampled_from(
    ["a", "b c", "é", "TY  - JOUR"] * 4 + [" ", "  ", "", "\n", "\r", "\t", "\x1b[31m", "\u00a0",
                                          "\u2028", "\x85"]), max_size=3).map("".join)


@settings(max_examples=500, deadline=None, database=None, derandomize=True)
@given(st.lists(st.tuples(st.sampled_from(["TY", "AU", "TI", "N1", "C7"]), LINE_VALUES),
                min_size=1, max_size=6))
@example([("TY", "a "), ("AU", "b")])  # each flaw alone, which random records seldom have
@example([("TY", "a"), ("AU", "b ")])
@example([("TY", "a"), ("AU", " b")])
@example([("TY", "a"), ("AU", "b  c")])
@example([("TY", "a"), ("AU", "b\nc")])
@example([("TY", "a"), ("AU", "b\x1bc")])
@example([("TY", "a"), ("AU", "")])
def test_a_record_checked_whole_is_written_as_line_by_line(pairs):
    """formats/ris.py `_text` checks a record's joined lines once instead of each value;
    whatever the values, its text is the line-by-line path's (`_text_line_by_line`), which
    puts each value on one line."""
    from quarterly_cli.formats.ris import _text, _text_line_by_line

    lines = [f"{tag}  - {value}" for tag, value in pairs]
    assert _text(lines) == _text_line_by_line(lines) == "\n".join(
        f"{tag}  - {markup.one_line(value)}" for tag, value in pairs)
