"""APA, AMA and Vancouver against citeproc-js's output with the official styles.

- tests/data/conformance/ (copied from ../shared/conformance): 25 journal articles;
- tests/data/conformance/types/ (copied from ../shared/conformance/types): 60 references of every
  kind a health-policy reference list holds, with each item's in-text citation;
- tests/data/conformance/generated/ (written by scripts/citation_fixtures.py with the same engine
  and styles): the journal corpus's in-text citations, 40 more records of the CSL types neither
  corpus has, and citation clusters (whole corpora; quotes, sorting, initials, added names, year
  letters).

Every item alone in plain text and HTML, every whole bibliography, every in-text citation.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from quarterly_cli.formats import FORMATS, Options
from quarterly_cli.formats.citations import citation
from quarterly_cli.readers.csljson import read

from .conftest import DATA

ROOT = DATA / "conformance"
GENERATED = ROOT / "generated"
STYLES = ("apa", "ama", "vancouver")
# Where each corpus's records and citeproc-js outputs are, and how an output file is named.
CORPORA = {
    "journal": (ROOT / "records.json", ROOT, "{style}.{kind}.json"),
    "types": (ROOT / "types" / "records.json", ROOT / "types", "{style}.{kind}.json"),
    "extra": (GENERATED / "records-extra.json", GENERATED, "extra.{style}.{kind}.json"),
}
CITATIONS = {"journal": GENERATED / "journal.{style}.citations.json",
             "types": ROOT / "types" / "{style}.citations.json",
             "extra": GENERATED / "extra.{style}.citations.json"}
# The extra records' titles are not all in sentence case: they are formatted as stored, so that
# they test the layout of each type and not the sentence-case rules.
OPTIONS = {"journal": Options(), "types": Options(), "extra": Options(keep_case=True)}


def _read(path: Path):
    return read(path.read_text("utf-8"), path.name)


RECORDS = {corpus: _read(spec[0]) for corpus, spec in CORPORA.items()}
BY_ID = {corpus: {r.id: r for r in recs} for corpus, recs in RECORDS.items()}


def expected(corpus: str, style: str, kind: str) -> dict[str, str]:
    _, folder, pattern = CORPORA[corpus]
    return json.loads((folder / pattern.format(style=style, kind=kind)).read_text("utf-8"))


def native(style: str, corpus: str, item_id: str) -> bool:
    """Records the style leaves to the CSL engine are tested in test_styles_fallback.py."""
    from quarterly_cli.formats.citations import FALLBACK

    return BY_ID[corpus][item_id].type not in FALLBACK[style]


CASES = [(style, corpus, item_id) for style in STYLES for corpus in CORPORA
         for item_id in sorted(BY_ID[corpus]) if native(style, corpus, item_id)]


@pytest.mark.parametrize(("style", "corpus", "item_id"), CASES)
def test_each_item_plain(style, corpus, item_id):
    text = FORMATS[style].render([BY_ID[corpus][item_id]], OPTIONS[corpus])
    wanted = expected(corpus, style, "items")[item_id]
    assert text == (wanted + "\n" if wanted else "")  # APA 8.9: letters are cited in text only


@pytest.mark.parametrize(("style", "corpus", "item_id"), CASES)
def test_each_item_html(style, corpus, item_id):
    options = Options(markup="html", keep_case=OPTIONS[corpus].keep_case)
    text = FORMATS[style].render([BY_ID[corpus][item_id]], options)
    assert text == expected(corpus, style, "items.html")[item_id] + "\n"


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("corpus", ["journal", "types"])
def test_whole_bibliography(corpus, style):
    text = FORMATS[style].render(RECORDS[corpus], Options())
    assert text == (CORPORA[corpus][1] / f"{style}.bibliography.txt").read_text("utf-8")


def citations(corpus: str, style: str) -> dict[str, str]:
    path = Path(str(CITATIONS[corpus]).format(style=style))
    return json.loads(path.read_text("utf-8"))


@pytest.mark.parametrize(("style", "corpus", "item_id"), CASES)
def test_each_in_text_citation(style, corpus, item_id):
    record = BY_ID[corpus][item_id]
    assert citation([record], style, keep_case=OPTIONS[corpus].keep_case) == citations(
        corpus, style)[item_id]


# `(Author, date)` → `Author (date)`; a comma citeproc-js moved inside closing quotes goes.
_PARENTHETICAL = re.compile(r"^\((?P<who>.*?)(?:, |,(?P<quote>[’”]+) )(?P<when>[^,]+)\)$")


@pytest.mark.parametrize("corpus", ["journal", "types"])
def test_narrative_form_is_the_parenthetical_rearranged(corpus):
    for item_id, parenthetical in citations(corpus, "apa").items():
        m = _PARENTHETICAL.match(parenthetical)
        assert m, parenthetical
        who = m["who"] + (m["quote"] or "")
        assert citation([BY_ID[corpus][item_id]], "apa", narrative=True) == (
            f"{who} ({m['when']})")


def clusters() -> list[tuple[str, str, str]]:
    sets = ["journal", "types", *json.loads((GENERATED / "clusters.json").read_text("utf-8"))]
    return [(style, name, markup) for style in STYLES for name in sets
            for markup in ("text", "html")]


def _cluster_records(name: str):
    if name in RECORDS:
        return RECORDS[name]
    items = json.loads((GENERATED / "clusters.json").read_text("utf-8"))[name]
    return read(json.dumps(items), f"{name}.json")


@pytest.mark.parametrize(("style", "name", "markup"), clusters())
def test_citation_cluster(style, name, markup):
    """All the records of a set cited together: sorted, collapsed and disambiguated (APA), or
    numbered with ranges (AMA, Vancouver), as citeproc-js prints the cluster."""
    wanted = json.loads((GENERATED / f"{style}.clusters.json").read_text("utf-8"))[name][markup]
    assert citation(_cluster_records(name), style, markup=markup) == wanted


@pytest.mark.parametrize("corpus", ["journal", "types"])
def test_corpus_titles_are_left_alone_by_sentence_case(corpus):
    from quarterly_cli.casing import sentence_case

    for record in RECORDS[corpus]:
        assert sentence_case(record.title) == (record.title, False)
