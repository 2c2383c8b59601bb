"""The Crossref mapping swept over 1,808 real work records, read in place from
../shared/real-world/crossref/works.json.gz (never copied into the project). Skips, saying so, when
that folder is absent. Every behaviour checked here also has a test on a payload written by hand in
test_crossref_mapping.py / test_crossref_mapping_markup.py."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

from quarterly_cli import markup
from quarterly_cli.errors import SourceError
from quarterly_cli.model import validate
from quarterly_cli.sources.crossref import record_from_work

FOLDER = Path(__file__).resolve().parents[1].parent / "shared" / "real-world" / "crossref"
WORKS = FOLDER / "works.json.gz"

# Left over from markup that was not read: MathML, small capitals, escaped tags or entities.
LEFTOVER = re.compile(r"</?\s*(?:mml:)?(?:math|mi|mn|mo|mrow|msub|msup|mtext|scp|sc)\b|&(?:amp|lt|gt|"
                      r"quot|apos|nbsp|#\d+|#x[0-9a-f]+);", re.IGNORECASE)


@pytest.fixture(scope="module")
def works() -> dict[str, dict]:
    if not WORKS.exists():
        pytest.skip(f"real Crossref records not found in {FOLDER} (a checkout without "
                    "../shared/real-world)")
    with gzip.open(WORKS, "rt", encoding="utf-8") as handle:
        return {doi: entry["message"] for doi, entry in json.load(handle).items()}


def clean(text: str) -> str:
    return markup.one_line(markup.decode_entities(text))


def has_title(message: dict) -> bool:
    return any(markup.from_html_fragment(t) for key in ("title", "subtitle", "original-title")
               for t in message.get(key) or [] if isinstance(t, str))


def test_sweep_over_every_real_record(works):
    counts = dict.fromkeys(("records", "mapped", "refused for want of a title", "names",
                            "container titles", "ISBNs", "events", "updates", "relations"), 0)
    for doi, message in works.items():
        counts["records"] += 1
        if not has_title(message):
            with pytest.raises(SourceError, match="no title"):
                record_from_work(message)
            counts["refused for want of a title"] += 1
            continue
        record = record_from_work(message)  # no exception for any record with a title
        counts["mapped"] += 1
        assert validate(record) == record, doi  # storable and read back unchanged

        for role in ("author", "editor", "translator", "chair"):
            expected = [clean(p.get("family") or p.get("name") or p.get("given"))
                        for p in message.get(role) or []
                        if p.get("family") or p.get("name") or p.get("given")]
            got = [n.family or n.literal for n in record.names_of(role)]
            assert got == expected, (doi, role)
            counts["names"] += len(expected)

        for title in message.get("container-title") or []:
            text = markup.plain(markup.from_html_fragment(title))
            assert text == record.container_title or text in (record.collection_title or ""), \
                (doi, title)
            counts["container titles"] += 1

        isbns = list(message.get("ISBN") or []) + [t["value"] for t in
                                                   message.get("isbn-type") or []]
        assert set(isbns) <= set(record.ISBN), doi
        counts["ISBNs"] += len(set(isbns))

        event = message.get("event")
        if event:
            assert record.get("event-title") == clean(event["name"]), doi
            if event.get("location"):
                assert record.get("event-place") == clean(event["location"]), doi
            counts["events"] += 1

        assert not LEFTOVER.search(record.title), (doi, record.title)
        for section in record.abstract:
            for paragraph in section.paragraphs:
                assert not LEFTOVER.search(paragraph), (doi, paragraph)
        counts["updates"] += len(record.updates)
        counts["relations"] += len(record.relations)

    print("\nCrossref sweep: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    assert counts["records"] == len(works) > 1000
    assert counts["mapped"] + counts["refused for want of a title"] == counts["records"]


def test_issue_examples(works):
    def title(doi: str) -> str:
        return record_from_work(works[doi]).title

    # MathML, once flattened to `theN=88nucleusTb153` and `DominantM-Matrices`
    nocase = '<span class="nocase">'
    assert title("10.1103/physrevc.91.057301") == (
        f"Persistence of collective behavior at high spin in the {nocase}N = 88</span> nucleus "
        f"{nocase}<sup>153</sup>Tb</span>")
    assert "Doubly Strictly Diagonally Dominant M-Matrices" in markup.plain(
        title("10.1155/2014/535716"))
    assert title("10.1103/physrevb.89.235131").startswith(
        f"{nocase}LaSrVO<sub>4</sub></span>: A candidate")
    # `<scp>` small capitals, once kept in their stored lower case (`trait data in r`)
    assert title("10.1111/2041-210x.12469").endswith('trait data in <span class="nocase">R</span>')
    # brackets and escaped tags
    assert "(<i>Tridacna maxima</i>) distractible?" in title("10.7717/peerj.10050")
    assert title("10.1001/archpedi.1951.02040040742008") == (
        "IDIOPATHIC ACQUIRED HEMOLYTIC ANEMIA IN AN INFANT: Successful Treatment with "
        "Corticotropin (ACTH)")
    # the article whose title sits only in `original-title` and `subtitle`, once refused
    assert title("10.3412/jsb1917.18.1_111").startswith("頸部交感神經節")


def test_issue_examples_thesis_containers_dates_editors(works):
    thesis = record_from_work(works["10.17077/etd.89e52p7n"])
    assert thesis.type == "thesis"
    assert thesis.issued is not None and thesis.issued.parts == (2013, 5, 1)  # `approved`
    assert (thesis.genre, thesis.publisher) == ("Doctor of Philosophy", "University of Iowa")

    chapter = record_from_work(works["10.1007/978-981-287-670-6_15"])
    assert chapter.container_title == "Next Generation DNA Led Technologies"
    assert chapter.collection_title == "SpringerBriefs in Applied Sciences and Technology"
    # print date (the volume's year) before the online date, which is kept
    assert chapter.issued is not None and chapter.issued.parts == (2016,)
    online = chapter.date("available-date")
    assert online is not None and online.parts == (2015, 10, 29)

    series_first = record_from_work(works["10.1007/bfb0110966"])
    assert series_first.container_title == "Trends in Colloid and Interface Science XI"
    assert series_first.collection_title == "Progress in Colloid & Polymer Science"

    edited = record_from_work(works["10.17875/gup2007-392"])
    assert edited.type == "book" and len(edited.editor) == 3
