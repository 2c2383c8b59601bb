"""`check --fix`: the corrected copy changes the fixed values and nothing else, in BibTeX, RIS
and CSL-JSON; read back by the project's readers (bibtexparser, rispy) it says what was fixed."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quarterly_cli.check import Entry, Finding, fixed_copy
from quarterly_cli.readers import read_text


def entry(key: str, **fixes: str) -> Entry:
    return Entry(key, "refs", findings=[Finding("mismatch", "m", field, "old", new, new)
                                        for field, new in fixes.items()])


def fix(text: str, kind: str, *entries: Entry) -> tuple[str, list[str]]:
    fixed, changes = fixed_copy(text, kind, list(entries))
    return fixed, [c.line() for c in changes]


BIB = """@Comment{jabref-meta: databaseType:bibtex;}

@article{one,
  title = {Kept {As} Is \\& braces},
  year = 2013,
  volume = "7",
  pages = {1--9},
  number = {2},
  note = {a "quoted" \\{\\} brace pair}
}

@article{two, title={Two}, year={2001}, date = {2001-05}}

@ARTICLE( three ,
    title = "Three" # { and more },
    pages = 12,
    doi = {10.5555/old}
)
"""


def test_bibtex_values_change_in_place_and_everything_else_stays():
    fixed, lines = fix(BIB, "bibtex", entry("one", year="2014", volume="8", issue="3",
                                            page="10-19"),
                       entry("two", year="2002"), entry("three", page="12-20", DOI="10.5555/new"))
    assert lines == ["one: year old → 2014", "one: volume old → 8", "one: issue old → 3",
                     "one: page old → 10-19", "two: year old → 2002", "three: page old → 12-20",
                     "three: DOI old → 10.5555/new"]
    expected = (BIB.replace("year = 2013", "year = 2014").replace('"7"', '"8"')
                .replace("{1--9}", "{10--19}").replace("number = {2}", "number = {3}")
                .replace("date = {2001-05}", "date = {2002-05}")
                .replace("pages = 12,", "pages = {12--20},")
                .replace("{10.5555/old}", "{10.5555/new}"))
    assert fixed == expected
    records = read_text(fixed, "fixed.bib")
    assert [r.year for r in records] == [2014, 2002, None]
    assert (records[0].volume, records[0].issue, records[0].page) == ("8", "3", "10-19")
    assert records[2].DOI == "10.5555/new"


@pytest.mark.parametrize(("entry_text", "expected"), [
    ("@article{k,\n  title = {T},\n  year = {2015}\n}",
     "@article{k,\n  title = {T},\n  year = {2015},\n  doi = {10.5555/a}\n}"),
    ("@article{k,\n\ttitle = {T},\n\tyear = {2015},\n}",
     "@article{k,\n\ttitle = {T},\n\tyear = {2015},\n\tdoi = {10.5555/a},\n}"),
    ("@article{k, title = {T}, year = {2015}}",
     "@article{k, title = {T}, year = {2015}, doi = {10.5555/a}}"),
    ("@article{k,\n}", "@article{k, doi = {10.5555/a},\n}"),
])
def test_a_new_doi_follows_the_entrys_layout(entry_text, expected):
    fixed, _ = fix(entry_text, "bibtex", entry("k", DOI="10.5555/a"))
    assert fixed == expected
    assert read_text(fixed, "x.bib")[0].DOI == "10.5555/a"


def test_hostile_values_cannot_unbalance_an_entry():
    text = "@article{k,\n  title = {T},\n  volume = {1}\n}\n"
    fixed, _ = fix(text, "bibtex", entry("k", volume="9} , evil = {x", DOI="10.5555/{a}\\b"))
    (record,) = read_text(fixed, "x.bib")
    assert record.volume == "9} , evil = {x"
    assert "evil =" not in fixed.replace("\\}", "").split("volume")[0]
    assert "doi = {10.5555/%7Ba%7D%5Cb}" in fixed


field_values = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)


@given(field_values, field_values, st.integers(1000, 2999))
@settings(max_examples=200, deadline=None)
def test_bibtex_fix_touches_only_its_value(title, note, year):
    """Whatever the writer put around it, the fixed copy differs from its input in the year's
    digits only (a `{` inside a value is written escaped, so the pattern finds the field)."""
    import re

    from quarterly_cli.formats import FORMATS
    from quarterly_cli.model import Record

    record = Record(title or "x", issued=(1789,), note=note or None, volume="1", id="key")
    text = FORMATS["bibtex"].render([record])
    fixed, _ = fix(text, "bibtex", entry("key", year=str(year)))
    at = re.search(r"year = \{?(1789)", text).start(1)
    assert fixed == text[:at] + str(year) + text[at + 4:]
    assert read_text(fixed, "x.bib")[0].year == year


RIS = ("TY  - JOUR\r\nTI  - First\r\nPY  - 2013\r\nDA  - 2013/05/01/\r\nSP  - 10\r\nEP  - 19\r\n"
       "ER  - \r\n\r\nTY  - JOUR\r\nTI  - Second\r\nIS  - 1\r\nER  - \r\n")


def test_ris_lines_change_in_place_and_new_ones_go_before_er():
    fixed, lines = fix(RIS, "ris", entry("a", year="2014", page="20"),
                       entry("b", issue="2", DOI="10.5555/x\nTY  - BOOK"))
    assert fixed == ("TY  - JOUR\r\nTI  - First\r\nPY  - 2014\r\nDA  - 2014/05/01/\r\nSP  - 20\r\n"
                     "ER  - \r\n\r\nTY  - JOUR\r\nTI  - Second\r\nIS  - 2\r\n"
                     "DO  - 10.5555/x TY - BOOK\r\nER  - \r\n")
    assert len(read_text(fixed, "x.ris")) == 2  # a crafted value cannot start a record


CSL = """[
  {
    "id": "a",
    "type": "article-journal",
    "title": "Kept   exactly",
    "issued": {"date-parts": [[2013, 5]]}
  },
    {"id": "b", "type": "article-journal", "title": "One line", "volume": 3}
]
"""


def test_csl_json_changed_items_are_rewritten_others_kept():
    fixed, _ = fix(CSL, "csl-json", entry("a", year="2014", DOI="10.5555/a"),
                   entry("b", volume="4"))
    assert json.loads(fixed)[0] == {"id": "a", "type": "article-journal",
                                    "title": "Kept   exactly",
                                    "issued": {"date-parts": [[2014, 5]]}, "DOI": "10.5555/a"}
    assert json.loads(fixed)[1]["volume"] == 4
    assert fixed.startswith('[\n  {\n    "id": "a",')
    untouched, _ = fix(CSL, "csl-json", entry("a"), entry("b", volume="4"))
    assert untouched.startswith(CSL[:CSL.index("    {")])  # the first item, byte for byte


def test_counts_that_do_not_match_write_nothing():
    from quarterly_cli.errors import QuarterlyError

    with pytest.raises(QuarterlyError, match="no fixed copy was written"):
        fixed_copy(RIS, "ris", [entry("a")])
