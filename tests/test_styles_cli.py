"""`quarterly cite` with reference styles: --in-text and --narrative, --style as one more entry of
the format registry (native styles, CSL styles), case-insensitive names and suggestions, and the
usage errors (exit 2, one line, nothing on stdout)."""

from __future__ import annotations

import json

import pytest

from quarterly_cli.cli import main
from quarterly_cli.formats import FORMATS, lookup, lookup_style

from .conftest import DATA

TYPES = DATA / "conformance" / "types" / "records.json"


def run(runner, *args, **kwargs):
    return runner.invoke(main, list(args), catch_exceptions=False, **kwargs)


def outcome(result):
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def two_records(tmp_path):
    items = json.loads(TYPES.read_text("utf-8"))
    path = tmp_path / "two.json"
    path.write_text(json.dumps([i for i in items if i["id"] in ("t01", "t16")]), "utf-8")
    return str(path)


def test_in_text_apa(runner):
    assert outcome(run(runner, "cite", "--in-text")) == (0, "(Mathers et al., 2014)\n", "")


def test_narrative_implies_in_text(runner):
    assert outcome(run(runner, "cite", "--narrative")) == (0, "Mathers et al. (2014)\n", "")


def test_in_text_cluster_is_sorted_and_numbers_follow_input_order(runner, two_records):
    assert run(runner, "cite", "--in-text", two_records).stdout == (
        "(Hernández et al., 2024; Walsh, 2022)\n")
    assert run(runner, "cite", "--narrative", two_records).stdout == (
        "Hernández et al. (2024) and Walsh (2022)\n")
    assert run(runner, "cite", "--in-text", "-f", "ama", two_records).stdout == "1,2\n"
    assert run(runner, "cite", "--in-text", "--style", "vancouver", two_records).stdout == (
        "(1,2)\n")


def test_in_text_markup(runner, two_records):
    html = run(runner, "cite", "--in-text", "-f", "ama", "--markup", "html", two_records)
    assert html.stdout == "<sup>1,2</sup>\n"
    apa = run(runner, "cite", "--in-text", "--markup", "html")
    assert apa.stdout == "(Mathers et al., 2014)\n"


def test_in_text_with_a_csl_style(runner):
    result = run(runner, "cite", "--in-text", "--style", "chicago-author-date")
    assert outcome(result) == (0, "(Mathers et al. 2014)\n", "")  # citeproc-py's output


@pytest.mark.parametrize("name", ["apa", "APA", "Apa"])
def test_style_apa_is_the_native_writer(runner, name):
    native = run(runner, "cite", "-f", "apa").stdout
    assert outcome(run(runner, "cite", "--style", name)) == (0, native, "")


@pytest.mark.parametrize(("args", "same_as"), [
    (["-f", "BibTeX"], ["-f", "bibtex"]),
    (["-f", "VANCOUVER"], ["-f", "vancouver"]),
    (["--style", "AMA"], ["-f", "ama"]),
    (["--style", "Chicago-Author-Date"], ["--style", "chicago-author-date"]),
])
def test_names_are_case_insensitive(runner, args, same_as):
    assert outcome(run(runner, "cite", *args)) == outcome(run(runner, "cite", *same_as))


@pytest.mark.parametrize(("args", "message"), [
    (["-f", "bibtx"], "Error: Unknown format 'bibtx'. Did you mean: bibtex, biblatex?\n"),
    (["-f", "ieee"], "Error: Unknown format 'ieee'. ieee is a CSL style: use --style ieee.\n"),
    (["--style", "ieee", "-f", "apa"],
     "Error: Use -f or --style, not both: --style names a reference style, -f a format.\n"),
    (["--style", "bibtex"],
     "Error: bibtex is a data format, not a reference style: use -f bibtex.\n"),
    (["--in-text", "-f", "ris"], "Error: ris is a data format; in-text citations come from a "
     "reference style (apa, ama, vancouver or a CSL style).\n"),
    (["--narrative", "-f", "ama"],
     "Error: --narrative is for APA's author-date citations; ama has no narrative form here.\n"),
    (["--in-text", "--json"], "Error: --in-text prints one citation for all the references; it "
     "has no --json form. Drop one of them.\n"),
    # An option the format does not use is refused, never silently ignored.
    (["-f", "ris", "--markup", "html"], "Error: --markup applies to reference styles (apa, ama, "
     "vancouver, --style); the ris format does not use it. Drop --markup.\n"),
    (["-f", "bibtex", "--keep-case"], "Error: --keep-case applies to reference styles (apa, ama, "
     "vancouver, --style); the bibtex format does not use it. Drop --keep-case.\n"),
    (["-f", "apa", "--ascii"], "Error: --ascii applies to the bibtex and biblatex formats; apa "
     "is written in UTF-8. Drop --ascii.\n"),
    (["--style", "ieee", "--ascii"], "Error: --ascii applies to the bibtex and biblatex formats; "
     "ieee is written in UTF-8. Drop --ascii.\n"),
    (["--style", "ieee", "--keep-case"], "Error: --keep-case applies to apa, ama and vancouver; "
     "CSL styles (through citeproc-py) print titles as stored. Drop --keep-case.\n"),
    (["--style", "ieee", "--markup", "markdown"], "Error: A CSL style prints text or html "
     "(citeproc-py has no Markdown); use --markup text or --markup html.\n"),
])
def test_usage_errors_are_one_line(runner, args, message):
    assert outcome(run(runner, "cite", *args)) == (2, "", message)


def test_a_style_typo_suggests_the_native_style_first(runner):
    """With the `styles` extra installed the catalogue adds `vancouver-…` styles to the
    suggestions; the native style comes first either way."""
    code, out, err = outcome(run(runner, "cite", "--style", "vancuver"))
    assert (code, out) == (2, "")
    assert err.startswith("Error: Unknown style 'vancuver'. Did you mean: vancouver")
    assert err.endswith("?\n") and err.count("\n") == 1


@pytest.mark.parametrize("suffix", [".bib", ".ris", ".json", ".BIB"])
def test_style_with_a_data_format_extension_is_a_usage_error(runner, tmp_path, suffix):
    target = tmp_path / f"refs{suffix}"
    result = run(runner, "cite", "--style", "ieee", "-o", str(target))
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(f"Error: -o refs{suffix} names a ")
    assert result.stderr.count("\n") == 1
    assert not target.exists()


def test_style_to_a_text_file(runner, tmp_path):
    target = tmp_path / "refs.txt"
    result = run(runner, "cite", "--style", "ieee", "-o", str(target))
    assert outcome(result) == (0, "", "")
    assert target.read_text("utf-8").startswith("[1]")


def test_registry_lookups():
    assert lookup("RIS") is FORMATS["ris"]
    assert lookup_style("Vancouver") is FORMATS["vancouver"]
    csl = lookup_style("ieee")
    assert (csl.kind, csl.is_style, csl.path.endswith("ieee.csl")) == ("csl", True, True)


def test_formats_command_lists_formats_then_csl_styles(runner):
    result = run(runner, "formats")
    assert (result.exit_code, result.stderr) == (0, "")
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines[:len(FORMATS)]] == list(FORMATS)
    assert lines[len(FORMATS) + 1] == "CSL styles for --style (through citeproc-py):"
    assert "  chicago-author-date" in lines
    assert "  apa" not in lines  # apa is the native writer


def test_personal_communication_is_cited_in_text_only(runner, tmp_path):
    path = tmp_path / "letter.json"
    path.write_text(json.dumps([{"type": "personal_communication", "title": "Email",
                                 "author": [{"family": "Brennan", "given": "Siobhan"}],
                                 "issued": {"date-parts": [[2021, 3, 9]]}}]), "utf-8")
    assert outcome(run(runner, "cite", str(path))) == (
        0, "", "Note: 1 personal communication(s) left out of the reference list: APA cites "
               "them in the text only (see --in-text).\n")
    assert outcome(run(runner, "cite", "--in-text", str(path))) == (
        0, "(S. Brennan, personal communication, March 9, 2021)\n", "")
    assert run(runner, "cite", "-f", "ama", str(path)).stdout.startswith("1. Brennan S.")


def test_in_text_cites_what_resolved_and_reports_the_rest(runner):
    result = run(runner, "cite", "--in-text", "--offline", "10.1111/1468-0009.12090",
                 "10.1000/unknown")
    assert result.exit_code == 1
    assert result.stdout == "(Mathers et al., 2014)\n"
    assert result.stderr.startswith("Error: 10.1000/unknown: ")
    assert result.stderr.count("\n") == 1


def test_in_text_to_a_file(runner, tmp_path):
    target = tmp_path / "cite.txt"
    assert outcome(run(runner, "cite", "--narrative", "-o", str(target))) == (0, "", "")
    assert target.read_text("utf-8") == "Mathers et al. (2014)\n"
