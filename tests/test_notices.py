"""Notices everywhere: the wording (notices.py) over Crossref-shaped and PubMed-shaped records,
`show`'s banner (terminal and piped), `cite`'s warning, `--json` and `--with-notices`; the real
Crossref and PubMed records read in place."""

from __future__ import annotations

import gzip
import json
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quarterly_cli.cli import main
from quarterly_cli.links import Relation, Update
from quarterly_cli.model import Date, Record
from quarterly_cli.notices import (
    banner_lines,
    is_stale,
    notices,
    parse_age,
    warning,
    with_note,
)
from quarterly_cli.sources.crossref import record_from_work
from quarterly_cli.store import Store

REAL = Path(__file__).resolve().parents[1].parent / "shared" / "real-world"


def dated(y: int, m: int, d: int) -> dict:
    return {"date-parts": [[y, m, d]], "date-time": f"{y:04d}-{m:02d}-{d:02d}T00:00:00Z",
            "timestamp": 0}


def work(doi: str, **fields) -> dict:
    """A Crossref work `message` with the fields a notice test needs."""
    message = {"DOI": doi, "type": "journal-article", "title": ["A Trial of Something"],
               "author": [{"given": "Ada", "family": "Lovell", "sequence": "first"}],
               "container-title": ["Journal of Examples"], "issued": {"date-parts": [[2019]]},
               "published-print": {"date-parts": [[2019, 3]]}, "volume": "4", "page": "1-9"}
    message.update(fields)
    return message


RETRACTED = work("10.5555/ex.1", **{"updated-by": [
    {"DOI": "10.5555/ex.1.retraction", "type": "retraction", "label": "Retraction",
     "source": "retraction-watch", "updated": dated(2021, 2, 3), "record-id": "31001"},
    {"DOI": "10.5555/ex.1.retraction", "type": "retraction", "label": "Retraction",
     "source": "publisher", "updated": dated(2021, 2, 3)},
    {"DOI": "10.5555/ex.1.erratum", "type": "correction", "label": "Correction",
     "source": "publisher", "updated": dated(2019, 9, 1)}]})
CONCERN = work("10.5555/ex.2", **{"updated-by": [
    {"DOI": "10.5555/ex.2.eoc", "type": "expression_of_concern",
     "label": "Expression of concern", "source": "publisher", "updated": dated(2022, 1, 7)}]})
PREPRINT = work("10.5555/ex.3", type="posted-content", subtype="preprint", relation={
    "is-preprint-of": [{"id-type": "doi", "id": "10.5555/ex.3.published",
                        "asserted-by": "subject"}]})
NOTICE = work("10.5555/ex.1.retraction", title=["Retraction notice"], **{"update-to": [
    {"DOI": "10.5555/ex.1", "type": "retraction", "label": "Retraction",
     "source": "publisher", "updated": dated(2021, 2, 3)}]})
IN_PLACE = work("10.5555/ex.4", **{"updated-by": [
    {"DOI": "10.5555/ex.4", "type": "new_version", "label": "New version",
     "source": "publisher", "updated": dated(2018, 3, 26)}], "update-to": [
    {"DOI": "10.5555/ex.4", "type": "new_version", "label": "New version",
     "source": "publisher", "updated": dated(2018, 3, 26)}]})


def test_retraction_asserted_twice_is_one_notice_most_serious_first():
    lines = banner_lines(record_from_work(RETRACTED))
    assert lines == [
        "RETRACTED: Retraction, 2021-02-03, https://doi.org/10.5555/ex.1.retraction "
        "(Retraction Watch record 31001; publisher via Crossref)",
        "CORRECTED: Correction, 2019-09-01, https://doi.org/10.5555/ex.1.erratum "
        "(publisher via Crossref)"]


def test_concern_preprint_notice_and_update_in_place():
    assert banner_lines(record_from_work(CONCERN)) == [
        "EXPRESSION OF CONCERN: Expression of concern, 2022-01-07, "
        "https://doi.org/10.5555/ex.2.eoc (publisher via Crossref)"]
    assert banner_lines(record_from_work(PREPRINT)) == [
        "PUBLISHED VERSION: published as https://doi.org/10.5555/ex.3.published"]
    # A notice says which article it concerns; it is not a problem for whoever cites it.
    notice = record_from_work(NOTICE)
    assert banner_lines(notice) == [
        "NOTICE: Retraction of https://doi.org/10.5555/ex.1, 2021-02-03 (publisher via "
        "Crossref)"]
    assert warning(notice, "10.5555/ex.1.retraction") is None
    # PLOS deposits a new version under the same DOI, in both directions: one line, no link.
    assert banner_lines(record_from_work(IN_PLACE)) == [
        "NEW VERSION: New version, 2018-03-26, published under this DOI (publisher via "
        "Crossref)"]


def test_pubmed_notices_and_publication_types():
    erratum = Update("erratum", "", "updated-by", Date.of(2020, 5), "BMJ. 2020 May;369:m2001",
                     "pubmed", PMID="32400001")
    record = Record("A PubMed article", PMID="30000001", updates=(erratum,), source="pubmed",
                    custom={"publication-types": ["Journal Article", "Retracted Publication"]})
    assert banner_lines(record) == [
        "RETRACTED: Retracted Publication (PubMed)",
        "CORRECTED: Erratum, 2020-05, BMJ. 2020 May;369:m2001, "
        "https://pubmed.ncbi.nlm.nih.gov/32400001/ (PubMed)"]
    retraction_in = Update("retraction", "", "updated-by", None, "Lancet. 2010;375:445",
                           "pubmed", PMID="20137807")
    both = record.with_(updates=(retraction_in,))
    # The comment names the notice: the publication type adds nothing more.
    assert banner_lines(both) == ["RETRACTED: Retraction, Lancet. 2010;375:445, "
                                  "https://pubmed.ncbi.nlm.nih.gov/20137807/ (PubMed)"]


def test_warning_is_one_line_and_note_appends():
    record = record_from_work(RETRACTED)
    assert warning(record, "10.5555/ex.1") == (
        "10.5555/ex.1 — RETRACTED: Retraction, 2021-02-03, "
        "https://doi.org/10.5555/ex.1.retraction (Retraction Watch record 31001; publisher via "
        "Crossref); 1 more notice (quarterly show)")
    assert warning(Record("Clean", DOI="10.5555/ok"), "10.5555/ok") is None
    noted = with_note(record.with_(note="Read in 2020."))
    assert noted.note.startswith("Read in 2020. RETRACTED: Retraction, 2021-02-03, ")
    assert noted.note.endswith("(publisher via Crossref).")
    assert with_note(Record("Clean")) == Record("Clean")


@given(st.text(), st.text(), st.sampled_from(["retraction", "correction", "odd type", ""]))
@settings(max_examples=150, deadline=None)
def test_hostile_labels_stay_one_line_for_every_output(label, doi, type_):
    record = Record("T", DOI="10.5555/t", updates=(Update(type_ or "x", doi, "updated-by",
                                                          label=label, source=label),))
    for line in banner_lines(record):
        assert isinstance(line, str)
    text = warning(record, "10.5555/t") or ""
    from quarterly_cli.diagnostics import capture, warn

    with capture() as lines:
        warn(text)
    assert len(lines) == 1 and "\n" not in lines[0] and "\x1b" not in lines[0]


def test_freshness():
    now = datetime(2026, 1, 2, 12, tzinfo=timezone.utc)
    assert parse_age("1d") == timedelta(days=1) and parse_age("30m") == timedelta(minutes=30)
    assert parse_age("12") == timedelta(hours=12) and parse_age("0") == timedelta(0)
    with pytest.raises(ValueError):
        parse_age("tomorrow")
    assert is_stale(None, timedelta(days=1), now)
    assert is_stale("garbage", timedelta(days=1), now)
    assert not is_stale("2026-01-02T00:00:00+00:00", timedelta(days=1), now)
    assert is_stale("2026-01-01T11:00:00+00:00", timedelta(days=1), now)
    assert is_stale("2026-01-02T12:00:00+00:00", timedelta(0), now)


# --- show, cite ----------------------------------------------------------------------------------

def store(message: dict) -> Record:
    record = record_from_work(message)
    Store().put(record)
    return record


def test_show_piped_starts_with_retracted(runner):
    store(RETRACTED)
    result = runner.invoke(main, ["show", "10.5555/ex.1"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("RETRACTED: Retraction, 2021-02-03, https://doi.org/")
    assert lines[1].startswith("CORRECTED: ")
    assert lines[2:4] == ["", "A Trial of Something"]
    assert result.stderr == ""


def test_show_on_a_terminal_prints_the_banner_first_with_links(runner):
    store(RETRACTED)
    result = runner.invoke(main, ["show", "--color", "10.5555/ex.1"])
    text = re.sub(r"\x1b\]8;[^\x1b]*\x1b\\|\x1b\[[0-9;]*m", "", result.stdout)
    first = text.index("RETRACTED: Retraction")
    assert first < text.index("A Trial of Something")
    assert text.lstrip().startswith("╭")  # the framed banner is the first thing shown
    assert "\x1b]8;" in result.stdout and "https://doi.org/10.5555/ex.1.retraction" in \
        result.stdout  # a terminal hyperlink to the notice


def test_show_banner_rendering_with_rich_console():
    from rich.console import Console

    from quarterly_cli.render import rich_view

    console = Console(record=True, width=100, force_terminal=True)
    console.print(rich_view(record_from_work(CONCERN)))
    text = console.export_text(clear=False)
    assert text.splitlines()[1].startswith("│ EXPRESSION OF CONCERN: Expression of concern, "
                                           "2022-01-07,")
    assert 'href="https://doi.org/10.5555/ex.2.eoc"' in console.export_html()


def test_cite_warns_once_on_stderr_and_prints_a_clean_citation(runner):
    store(RETRACTED)
    twice = runner.invoke(main, ["cite", "10.5555/ex.1", "doi:10.5555/EX.1"])
    assert twice.exit_code == 0
    assert twice.stderr.count("\n") == 1  # once per reference, however often it is cited
    assert twice.stderr.startswith("Warning: 10.5555/ex.1 — RETRACTED: Retraction, 2021-02-03")
    result = runner.invoke(main, ["cite", "10.5555/ex.1"])
    assert result.stdout == ("Lovell, A. (2019). A Trial of Something. Journal of Examples, 4, "
                             "1–9. https://doi.org/10.5555/ex.1\n")
    assert result.stderr == twice.stderr
    quiet = runner.invoke(main, ["cite", "--quiet", "10.5555/ex.1"])
    assert (quiet.exit_code, quiet.stdout, quiet.stderr) == (0, result.stdout, "")


def test_cite_json_carries_the_notices(runner):
    store(CONCERN)
    result = runner.invoke(main, ["cite", "--json", "--quiet", "10.5555/ex.2"])
    (item,) = json.loads(result.stdout)
    (notice,) = item["notices"]
    assert notice == {"kind": "concern", "heading": "EXPRESSION OF CONCERN",
                      "type": "expression_of_concern", "label": "Expression of concern",
                      "DOI": "10.5555/ex.2.eoc", "date": "2022-01-07", "sources": ["publisher"],
                      "text": "EXPRESSION OF CONCERN: Expression of concern, 2022-01-07, "
                              "https://doi.org/10.5555/ex.2.eoc (publisher via Crossref)"}
    assert "EXPRESSION" not in item["citation"]


def test_with_notices_puts_them_in_the_note_only_when_asked(runner):
    store(RETRACTED)
    plain = json.loads(runner.invoke(main, ["cite", "-f", "csl-json", "10.5555/ex.1"]).stdout)
    assert "note" not in plain[0]
    noted = json.loads(runner.invoke(main, ["cite", "-f", "csl-json", "--with-notices",
                                            "10.5555/ex.1"]).stdout)
    assert noted[0]["note"].startswith("RETRACTED: Retraction, 2021-02-03, "
                                       "https://doi.org/10.5555/ex.1.retraction")


def test_cite_of_a_clean_stored_record_stays_cheap_and_quiet(runner):
    store(work("10.5555/ex.9"))
    result = runner.invoke(main, ["cite", "10.5555/ex.9"])
    assert (result.exit_code, result.stderr) == (0, "")


# --- real records, read in place ---------------------------------------------------------------

def real_works() -> dict:
    path = REAL / "crossref" / "works.json.gz"
    if not path.is_file():
        pytest.skip(f"real-world material not found at {REAL} (../shared/real-world)")
    return json.loads(gzip.decompress(path.read_bytes()))


def test_real_corrected_plos_one_article_says_so():
    record = record_from_work(real_works()["10.1371/journal.pone.0033693"]["message"])
    (line,) = banner_lines(record)
    assert line.startswith("CORRECTED: Correction, 2012-05-08, https://doi.org/10.1371/"
                           "annotation/c76da2c1-ccb8-4797-94c1-359d3ceceeda")


def test_real_records_with_notices_all_have_a_banner_and_never_link_to_themselves():
    found = 0
    for entry in real_works().values():
        message = entry["message"]
        relation = message.get("relation") if isinstance(message.get("relation"), dict) else {}
        if not (message.get("updated-by") or message.get("update-to")
                or relation.get("is-preprint-of")):
            continue
        record = record_from_work(message)
        lines = banner_lines(record)
        assert lines, message["DOI"]
        own = f"https://doi.org/{record.DOI}"
        assert not any(line.endswith(own) or f"{own} " in line for line in lines), lines
        found += 1
    assert found == 26


def test_real_pubmed_retracted_publication():
    path = REAL / "pubmed" / "993.xml"
    if not path.is_file():
        pytest.skip(f"real-world material not found at {REAL} (../shared/real-world)")
    from quarterly_cli.sources.pubmed import parse_efetch

    body = b"<PubmedArticleSet>" + path.read_bytes() + b"</PubmedArticleSet>"
    (_, record), = parse_efetch(body)
    assert isinstance(record, Record)
    kinds = [n.kind for n in notices(record)]
    assert kinds[0] == "retracted"
    assert banner_lines(record)[0].startswith("RETRACTED: Retraction, ")


def test_relation_to_itself_or_unknown_is_not_a_notice():
    record = Record("T", DOI="10.5555/r", relations=(Relation("has-preprint", "10.5555/p"),
                                                     Relation("is-review-of", "10.5555/q")))
    assert notices(record) == []
