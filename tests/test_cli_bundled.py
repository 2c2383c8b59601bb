"""`quarterly show` and `quarterly cite` on the bundled article: exit codes, exact stdout/stderr."""

from __future__ import annotations

import json

import pytest

from quarterly_cli.cli import main
from quarterly_cli.formats import FORMATS

from .conftest import GOLDEN

APA = (
    "Mathers, J., Taylor, R., & Parry, J. (2014). The challenge of implementing peer-led "
    "interventions in a professionalized health service: A case study of the National Health "
    "Trainers Service in England. The Milbank Quarterly, 92(4), 725–753. "
    "https://doi.org/10.1111/1468-0009.12090\n"
)
AMA = (
    "1. Mathers J, Taylor R, Parry J. The challenge of implementing peer-led interventions in a "
    "professionalized health service: A case study of the National Health Trainers Service in "
    "England. Milbank Q. 2014;92(4):725-753. doi:10.1111/1468-0009.12090\n"
)


def run(runner, *args, input=None):
    return runner.invoke(main, list(args), input=input, catch_exceptions=False)


def test_cite_default_is_apa_exactly(runner):
    result = run(runner, "cite")
    assert (result.exit_code, result.stdout, result.stderr) == (0, APA, "")


def test_cite_ama_exactly(runner):
    result = run(runner, "cite", "-f", "ama")
    assert (result.exit_code, result.stdout, result.stderr) == (0, AMA, "")


@pytest.mark.parametrize(
    "reference",
    ["10.1111/1468-0009.12090", "doi:10.1111/1468-0009.12090", "DOI:10.1111/1468-0009.12090",
     "https://doi.org/10.1111/1468-0009.12090", "http://dx.doi.org/10.1111%2F1468-0009.12090",
     "  10.1111/1468-0009.12090  ", "10.1111/1468-0009.12090".upper()],
)
def test_bundled_found_by_any_doi_form(runner, reference):
    result = run(runner, "cite", reference)
    assert (result.exit_code, result.stdout, result.stderr) == (0, APA, "")


@pytest.mark.parametrize("name", sorted(set(FORMATS) - {"json"}))
def test_golden_files(runner, name):
    result = run(runner, "cite", "-f", name)
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout == (GOLDEN / f"bundled.{name}.txt").read_text("utf-8")


def test_show_plain_golden(runner):
    result = run(runner, "show")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (GOLDEN / "bundled.show.txt").read_text("utf-8")
    assert "\x1b" not in result.stdout


def test_show_plain_contains_everything(runner):
    from quarterly_cli import markup
    from quarterly_cli.bundled import bundled_record

    out = run(runner, "show").stdout
    record = bundled_record()
    assert markup.plain(record.title) in out
    for name in ("Jonathan Mathers", "Rebecca Taylor", "Jayne Parry"):
        assert name in out
    for point in record.policy_points:
        assert point in out
    for section in record.abstract:
        assert f"\n{section.label}\n{section.paragraphs[0]}\n" in out


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("methods", "During longitudinal case studies of 6 local health trainer services, we "
                    "conducted in-depth interviews with key stakeholders and analyzed service "
                    "activity data.\n"),
        ("Policy Points", None),
    ],
)
def test_show_section(runner, name, expected):
    from quarterly_cli.bundled import bundled_record

    result = run(runner, "show", "--section", name)
    assert result.exit_code == 0 and result.stderr == ""
    if expected is None:
        expected = "".join(p + "\n" for p in bundled_record().policy_points)
    assert result.stdout == expected


def test_show_unknown_section(runner):
    result = run(runner, "show", "--section", "results")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "Error: No section 'results' in 10.1111/1468-0009.12090; available: policy-points, "
        "context, methods, findings, conclusions.\n")


def test_show_json_is_the_whole_record(runner):
    from quarterly_cli import markup
    from quarterly_cli.bundled import bundled_record
    from quarterly_cli.model import record_from_dict

    result = run(runner, "show", "--json")
    assert result.exit_code == 0 and result.stderr == ""
    data = json.loads(result.stdout)
    assert data["title"] == markup.plain(bundled_record().title)  # no <span class="nocase">
    data["title"] = data.pop("title-markup")
    assert record_from_dict(data) == bundled_record()


def test_not_a_doi_is_a_usage_error(runner):
    result = run(runner, "cite", "not-a-doi")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "Error: Not a DOI, PMID, PMCID or file: 'not-a-doi'. Give a DOI as 10.xxxx/…, "
        "doi:10.xxxx/…, https://doi.org/10.xxxx/… or http://dx.doi.org/10.xxxx/…, a PMID as "
        "25492602 or pmid:25492602, a PMCID as PMC4266174, or a .bib, .ris or .json file.\n")


def test_unknown_format_is_a_one_line_usage_error(runner):
    result = run(runner, "cite", "-f", "mla")
    assert (result.exit_code, result.stdout, result.stderr) == (
        2, "", "Error: Unknown format 'mla'. Run quarterly formats for the list.\n")


def test_unresolvable_doi_exits_1_with_one_line(runner):
    result = run(runner, "cite", "--offline", "10.1000/unknown")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "Error: 10.1000/unknown: not in the local store, and --offline forbids the network. "
        "Run once without --offline to fetch it.\n")


@pytest.mark.parametrize(("suffix", "golden"), [(".bib", "bibtex"), (".ris", "ris"),
                                                (".txt", "apa"), (".json", "csl-json")])
def test_output_file_infers_format(runner, tmp_path, suffix, golden):
    target = tmp_path / f"refs{suffix}"
    result = run(runner, "cite", "-o", str(target))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert target.read_text("utf-8") == (GOLDEN / f"bundled.{golden}.txt").read_text("utf-8")


def test_output_file_with_unknown_extension(runner, tmp_path):
    result = run(runner, "cite", "-o", str(tmp_path / "refs.xyz"))
    assert result.exit_code == 2
    assert "Cannot tell the format from 'refs.xyz'; add --format" in result.stderr
    assert not (tmp_path / "refs.xyz").exists()


def test_formats_command_lists_registry(runner):
    result = run(runner, "formats")
    assert (result.exit_code, result.stderr) == (0, "")
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines[:len(FORMATS)]] == list(FORMATS)


def test_version(runner):
    from quarterly_cli import __version__

    result = run(runner, "--version")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == f"quarterly, version {__version__}\n"


def test_terminal_italics_for_apa(runner):
    result = run(runner, "cite", "--color")
    assert "\x1b[3mThe Milbank Quarterly\x1b[23m, \x1b[3m92\x1b[23m(4)" in result.stdout


def test_markup_html_and_markdown(runner):
    html = run(runner, "cite", "--markup", "html").stdout
    assert "<i>The Milbank Quarterly</i>, <i>92</i>(4)" in html
    assert "&#38; Parry, J." in html
    md = run(runner, "cite", "--markup", "markdown").stdout
    assert "*The Milbank Quarterly*, *92*(4), 725–753." in md


@pytest.mark.parametrize("command", [["show"], ["show", "--json"], ["show", "--section", "x"],
                                     ["cite"], ["cite", "--json"], ["cite", "-f", "ris"],
                                     ["cite", "--style", "ieee"]])
def test_bad_input_file_is_one_line_never_a_traceback(runner, tmp_path, command):
    path = tmp_path / "bad.json"
    path.write_text('[{"title": "no type"}]', "utf-8")
    result = runner.invoke(main, [*command, str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (f"Error: {path}: item 1 is not CSL-JSON: 'type' is missing; a CSL "
                             "item needs a type such as article-journal.\n")


def test_mesh_headings_become_keywords_only_when_asked(runner, tmp_path):
    from quarterly_cli.formats import FORMATS, Options
    from quarterly_cli.model import Record

    path = tmp_path / "mesh.json"
    path.write_text(FORMATS["json"].render([Record(
        "T", keyword=("peer support",), mesh=("Humans", "Peer Group", "peer support"),
        PMID="1", issued=(2014,))], Options()))
    plain = runner.invoke(main, ["cite", "-f", "ris", str(path)])
    assert [x for x in plain.stdout.splitlines() if x.startswith("KW")] == ["KW  - peer support"]
    asked = runner.invoke(main, ["cite", "-f", "ris", "--mesh-keywords", str(path)])
    assert [x for x in asked.stdout.splitlines() if x.startswith("KW")] == [
        "KW  - peer support", "KW  - Humans", "KW  - Peer Group"]
