"""`quarterly show`: what a reader wants from a record (date, type, publisher, affiliations,
PubMed and PMC links, keywords with a hanging indent), laid out for reading on any terminal —
with or without colour — and plain when piped; `--json` with plain titles."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import threading

import pytest
from rich.console import Console

from quarterly_cli.bundled import bundled_record
from quarterly_cli.cli import main
from quarterly_cli.model import Date, Name, Record, Section
from quarterly_cli.render import READING_WIDTH, date_text, kind_line, plain_view, rich_view

ANSI = re.compile(r"\x1b\[[0-9;]*m|\x1b\]8;[^\x1b]*\x1b\\")


def laid_out(record: Record, width: int) -> str:
    """The terminal view as the terminal receives it (no colour codes: color_system=None)."""
    out = io.StringIO()
    Console(file=out, width=width, force_terminal=True, color_system=None,
            highlight=False).print(rich_view(record))
    return ANSI.sub("", out.getvalue())


RECORD = Record(
    "Peer support in <i>rural</i> clinics", "article-journal",
    author=(Name("Alvarez", "Maria", affiliation=("University of Leeds",)),
            Name("Chen", "Li", affiliation=("University of Leeds", "NIHR ARC Yorkshire"))),
    container_title="Health Policy", issued=Date.of(2021, 3, 5), volume="12", issue="2",
    page="101-110", publisher="Elsevier", genre="Systematic review", DOI="10.5555/show.1",
    PMID="31000001", PMCID="PMC7000001",
    keyword=("community health workers", "rural health", "task shifting",
             "primary health care", "workforce"),
    abstract=(Section("Background", ("Peers reach people clinics miss. " * 8,)),),
)


def test_the_head_holds_date_type_publisher_affiliations_and_links():
    lines = plain_view(RECORD).splitlines()
    assert lines[:8] == [
        "Peer support in rural clinics",
        "Maria Alvarez, Li Chen",
        "University of Leeds; NIHR ARC Yorkshire",
        "Health Policy · 5 March 2021 · 12(2) · 101–110",
        "Journal article (Systematic review) · Elsevier",
        "https://doi.org/10.5555/show.1",
        "https://pubmed.ncbi.nlm.nih.gov/31000001/",
        "https://pmc.ncbi.nlm.nih.gov/articles/PMC7000001/",
    ]


def test_pmid_and_pmcid_are_terminal_links():
    console = Console(record=True, width=100, force_terminal=True)
    console.print(rich_view(RECORD))
    text = console.export_text(clear=False)
    assert "\nPMID 31000001 · PMCID PMC7000001\n" in text
    html = console.export_html(inline_styles=True)
    for url in ("https://pubmed.ncbi.nlm.nih.gov/31000001/",
                "https://pmc.ncbi.nlm.nih.gov/articles/PMC7000001/",
                "https://doi.org/10.5555/show.1"):
        assert f'href="{url}"' in html


@pytest.mark.parametrize("width", [40, 60, 80, 120, 200])
def test_lines_are_capped_for_reading_and_carry_no_trailing_spaces(width):
    text = laid_out(bundled_record(), width)
    lines = text.splitlines()
    links = {"https://doi.org/10.1111/1468-0009.12090", "PMID 25492602 · PMCID PMC4266174"}
    assert all(len(line) <= min(width, READING_WIDTH) for line in lines if line not in links)
    assert all(line == line.rstrip() for line in lines)
    assert links <= set(lines)  # links are never wrapped


def test_keywords_wrap_with_a_hanging_indent():
    lines = laid_out(RECORD, 40).splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith("Keywords: "))
    assert lines[start:] == [
        "Keywords: community health workers;",
        "          rural health; task shifting;",
        "          primary health care; workforce",
    ]


def test_paragraphs_and_policy_points_wrap_under_their_indent():
    text = laid_out(bundled_record(), 60)
    assert "\n  • In 2004, England’s National Health Service introduced\n    health trainer" in text
    context = text.split("\nContext\n")[1].splitlines()
    assert context[0].startswith("  In 2004, the English Public Health White Paper")
    assert context[1].startswith("  ")


@pytest.mark.parametrize(("date", "text"), [
    (Date.of(2014), "2014"), (Date.of(2014, 12), "December 2014"),
    (Date.of(2014, 12, 5), "5 December 2014"),
    (Date((2014, 11), (2014, 12)), "November–December 2014"),
    (Date((2016,), (2017,)), "2016–2017"), (Date((2015,), season=1), "Spring 2015"),
    (Date((1850,), circa=True), "c. 1850"), (Date(literal="Michaelmas term 1999"),
                                             "Michaelmas term 1999"),
])
def test_publication_dates_read_as_words(date, text):
    assert date_text(date) == text


def test_the_kind_line_names_type_finer_type_and_publisher():
    assert kind_line(bundled_record()) == "Journal article (Original Investigation) · Wiley"
    assert kind_line(Record("T", "legal_case")) == "Legal case"
    pubmed = Record("T", "article-journal",
                    custom={"publication-types": ["Journal Article", "Randomized Controlled Trial"]})
    assert kind_line(pubmed) == "Journal article (Randomized Controlled Trial)"


def test_show_json_titles_are_plain_text_with_the_markup_beside_them(runner):
    result = runner.invoke(main, ["show", "--json"])
    assert (result.exit_code, result.stderr) == (0, "")
    data = json.loads(result.stdout)
    assert "<span" not in data["title"] and data["title"].endswith("Trainers Service in England")
    assert data["title-markup"] == bundled_record().title
    assert "container-title-markup" not in data  # only where markup was removed


def test_section_with_json_is_a_usage_error_in_one_line(runner):
    result = runner.invoke(main, ["show", "--section", "methods", "--json"])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == ("Error: --section and --json cannot be combined: --json prints "
                             'every section (under "abstract"); choose one.\n')


def complete(runner, words: str) -> list[str]:
    result = runner.invoke(main, [], prog_name="quarterly", env={
        "_QUARTERLY_COMPLETE": "bash_complete", "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1))})
    return [line.split(",", 1)[1] for line in result.stdout.splitlines()]


def test_section_names_complete_from_the_records_named(runner, tmp_path):
    assert complete(runner, "quarterly show --section ") == [
        "policy-points", "context", "methods", "findings", "conclusions"]
    assert complete(runner, "quarterly show --section co") == ["context", "conclusions"]
    path = tmp_path / "one.json"
    path.write_text(json.dumps([{"type": "article-journal", "title": "T", "abstract": [
        {"label": "Objective", "paragraphs": ["O."]}, {"label": "Results", "paragraphs": ["R."]}]
    }]), "utf-8")
    assert complete(runner, f"quarterly show {path} --section ") == ["objective", "results"]
    # Not stored, and completion never uses the network: the common names.
    assert "results" in complete(runner, "quarterly show 10.5555/nowhere --section ")


def _terminal_output(args: list[str], env: dict[str, str]) -> str:
    """stdout of `quarterly ARGS` on a pseudo-terminal."""
    import pty

    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "quarterly_cli", *args], stdout=follower,
                            stderr=subprocess.PIPE, env=dict(os.environ, **env))
    os.close(follower)
    chunks: list[bytes] = []

    def read() -> None:
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # EIO once the process has closed its side
                return
            if not chunk:
                return
            chunks.append(chunk)

    reader = threading.Thread(target=read)
    reader.start()
    proc.wait(timeout=60)
    reader.join(10)
    os.close(leader)
    assert proc.returncode == 0
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


@pytest.mark.parametrize(("args", "env"), [(["show"], {"NO_COLOR": "1"}),
                                           (["show", "--no-color"], {}),
                                           (["--no-color", "show"], {})])
def test_no_color_keeps_the_layout_on_a_terminal(args, env):
    out = _terminal_output(args, {"COLUMNS": "60", **env})
    assert not re.search(r"\x1b\[[0-9;]*3[0-9]m", out)  # no foreground colour
    lines = ANSI.sub("", out).splitlines()
    assert lines[:2] == ["The Challenge of Implementing Peer-Led Interventions in a",
                         "Professionalized Health Service: A Case Study of the"]
    assert all(len(line) <= 60 for line in lines if not line.startswith(("http", "PMID")))


def test_list_keeps_its_table_on_a_terminal_without_colour():
    out = _terminal_output(["list"], {"COLUMNS": "100", "NO_COLOR": "1"})
    assert not re.search(r"\x1b\[[0-9;]*3[0-9]m", out)
    assert "┏" in out and "10.1111/1468-0009.12090" in out  # a table, not tab-separated rows
