"""Reference types a native writer does not lay out itself go to the CSL engine (citeproc-py) with
the official style — never to another type's layout. APA leaves the legal types (Bluebook rules)
to it; AMA and Vancouver lay out every type."""

from __future__ import annotations

import json

import pytest

from quarterly_cli.formats import FORMATS, Options
from quarterly_cli.formats.citations import FALLBACK
from quarterly_cli.model import Date, Name, Record
from quarterly_cli.readers.csljson import read

from .conftest import DATA

EXTRA = DATA / "conformance" / "generated" / "records-extra.json"


def test_apa_leaves_exactly_the_legal_types_to_the_engine():
    assert FALLBACK["apa"] == frozenset(
        ("bill", "hearing", "legal_case", "legislation", "regulation", "treaty"))
    assert FALLBACK["ama"] == FALLBACK["vancouver"] == frozenset()


def test_legal_case_is_formatted_by_citeproc_py_with_the_official_apa_style():
    from quarterly_cli.csl import OFFICIAL, render_with_style

    case = Record("King v. Burwell", "legal_case", container_title="U.S.", volume="576",
                  page="473", authority="Supreme Court", issued=Date.of(2015))
    ours = FORMATS["apa"].render([case], Options())
    # The engine itself, given the bundled official style, prints the same entry.
    from quarterly_cli import data_path

    engine = render_with_style([case], data_path("styles", f"{OFFICIAL['apa']}.csl"), Options())
    assert ours == engine
    assert ours.startswith("King V. Burwell, 576 U.S. 473 (Supreme Court 2015).")


def test_fallback_entries_are_sorted_among_native_ones_by_title():
    records = [
        Record("Zoning and health", "article-journal", author=(Name("Young", "A."),),
               container_title="J", issued=Date.of(2020)),
        Record("Lower costs, more transparency act", "bill", number="H.R. 5378",
               authority="House of Representatives", issued=Date.of(2023)),
        Record("Access", "article-journal", author=(Name("Adams", "B."),), container_title="J",
               issued=Date.of(2019)),
    ]
    lines = FORMATS["apa"].render(records, Options()).splitlines()
    assert [line.split()[0] for line in lines] == ["Adams,", "Lower", "Young,"]
    assert "H.R. 5378" in lines[1]


def test_fallback_html_keeps_the_csl_bib_body_wrapper():
    case = Record("King v. Burwell", "legal_case", container_title="U.S.", volume="576",
                  page="473", authority="Supreme Court", issued=Date.of(2015), id="king")
    html = FORMATS["apa"].render([case], Options(markup="html"))
    assert html.startswith('<div class="csl-bib-body">\n  <div data-csl-entry-id="king" '
                           'class="csl-entry">King V. Burwell')
    assert html.endswith("</div>\n</div>\n")


@pytest.mark.parametrize("style", ["ama", "vancouver"])
def test_ama_and_vancouver_lay_out_legal_types_themselves(style):
    records = {r.id: r for r in read(EXTRA.read_text("utf-8"), "records-extra.json")}
    wanted = json.loads((EXTRA.parent / f"extra.{style}.items.json").read_text("utf-8"))
    for item_id in ("x31", "x32", "x33", "x34", "x35", "x36"):
        text = FORMATS[style].render([records[item_id]], Options(keep_case=True))
        assert text == wanted[item_id] + "\n"


def test_the_engine_prints_no_warning_of_its_own(tmp_path):
    """citeproc-py warns about CSL variables it does not know (`citation-key`, which RIS `ID`
    and BibTeX keys fill): `cite -f apa` of a legal case, left to it, prints the entry and no
    library warning on stderr."""
    import subprocess
    import sys

    ris = tmp_path / "case.ris"
    ris.write_text("TY  - CASE\nID  - king2015\nTI  - King v. Burwell\nVL  - 576\nSP  - 473\n"
                   "PY  - 2015\nER  - \n", "utf-8")
    out = subprocess.run([sys.executable, "-m", "quarterly_cli", "cite", str(ris), "-f", "apa"],
                         capture_output=True, text=True,
                         env={"QUARTERLY_HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr
    assert "King" in out.stdout
    assert "Warning" not in out.stderr and "warn(" not in out.stderr, out.stderr
