"""`--style` through citeproc-py, CSL-JSON files as input, and the sentence-case notice."""

from __future__ import annotations

import json

import pytest

from quarterly_cli.cli import main

from .conftest import DATA


def run(runner, *args, **kwargs):
    return runner.invoke(main, list(args), catch_exceptions=False, **kwargs)


def test_bundled_chicago_style_without_extra(runner):
    result = run(runner, "cite", "--style", "chicago-author-date")
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout.startswith("Mathers, J., R. Taylor, and J. Parry. 2014.")
    assert "The Milbank Quarterly 92 (4): 725–53. https://doi.org/10.1111/1468-0009.12090" in (
        result.stdout)


def test_style_from_path(runner, tmp_path):
    from importlib import resources

    source = resources.files("quarterly_cli") / "data" / "styles" / "ieee.csl"
    target = tmp_path / "my-style.csl"
    target.write_text(source.read_text("utf-8"), "utf-8")
    result = run(runner, "cite", "--style", str(target))
    assert result.exit_code == 0
    assert "vol. 92, no. 4, pp. 725–753" in result.stdout


def test_unknown_style_suggests(runner):
    result = run(runner, "cite", "--style", "chicago")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(
        "Error: Unknown style 'chicago'. Did you mean: chicago-author-date")
    assert result.stderr.count("\n") == 1


def test_style_does_not_import_citeproc_without_style():
    import subprocess
    import sys

    code = ("import sys; from quarterly_cli.cli import main\n"
            "try: main(['cite', '-f', 'ama'])\n"
            "except SystemExit: pass\n"
            "print('citeproc' in sys.modules, file=sys.stderr)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stderr.strip() == "False"


CORPUS_FILE = DATA / "conformance" / "records.json"


def test_csl_json_file_as_input(runner):
    result = run(runner, "cite", "-f", "ama", str(CORPUS_FILE))
    assert result.exit_code == 0
    assert result.stdout == (DATA / "conformance" / "ama.bibliography.txt").read_text("utf-8")


def test_single_csl_item_as_input(runner, tmp_path):
    item = json.loads(CORPUS_FILE.read_text("utf-8"))[0]
    path = tmp_path / "one.json"
    path.write_text(json.dumps(item), "utf-8")
    result = run(runner, "cite", str(path))
    assert result.stdout.startswith("Alvarez, M., Brennan, T., & Chen, L. (2019).")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[{"id": "a", "type": "article-journal",\n "title": }]',
         "invalid JSON at line 2, column 11: Expecting value."),
        ('[{"id": "a", "title": "No type"}]',
         "item 1 (id a) is not CSL-JSON: 'type' is missing; a CSL item needs a type such as "
         "article-journal."),
        ('[{"type": "article-journal", "title": "T", "author": "Smith"}]',
         "item 1 is not CSL-JSON: 'author' must be a list of names."),
        ('[1, 2]', "item 1 is not CSL-JSON: an item must be a JSON object."),
    ],
)
def test_invalid_csl_json_exits_2_with_position(runner, tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content, "utf-8")
    result = run(runner, "cite", str(path))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"Error: {path}: {message}\n"


def test_guessed_sentence_case_note_on_a_terminal(tmp_path):
    """stderr on a real pseudo-terminal: the note appears once; stdout (a pipe) stays clean."""
    import os
    import pty
    import subprocess
    import sys

    path = tmp_path / "t.json"
    items = [{"type": "article-journal", "title": "Health Care Spending in the United States"},
             {"type": "article-journal", "title": "Medicaid and Mortality Among Older Adults"}]
    path.write_text(json.dumps(items), "utf-8")
    leader, follower = pty.openpty()
    proc = subprocess.run([sys.executable, "-m", "quarterly_cli", "cite", str(path)],
                          stdout=subprocess.PIPE, stderr=follower, text=True,
                          env=dict(os.environ, QUARTERLY_HOME=str(tmp_path)))
    os.close(follower)
    err = os.read(leader, 4096).decode()
    os.close(leader)
    assert proc.returncode == 0
    assert err.count("Note: titles were converted to sentence case by rule") == 1
    assert proc.stdout.splitlines()[0].startswith("Health care spending in the United States")
    assert "Note" not in proc.stdout


def test_no_note_when_piped(runner, tmp_path):
    path = tmp_path / "t.json"
    path.write_text(json.dumps([{"type": "article-journal",
                                 "title": "Health Care Spending in the United States"}]), "utf-8")
    result = run(runner, "cite", str(path))
    assert result.stderr == ""
    assert "Health care spending in the United States" in result.stdout


def test_shell_completion_of_formats_and_styles():
    import os
    import subprocess
    import sys

    def complete(words: str) -> list[str]:
        env = dict(os.environ, _QUARTERLY_COMPLETE="bash_complete", COMP_WORDS=words,
                   COMP_CWORD=str(len(words.split()) - (0 if words.endswith(" ") else 1)))
        out = subprocess.run([sys.executable, "-m", "quarterly_cli"],
                             env=env, capture_output=True, text=True)
        return [line.split(",", 1)[1] for line in out.stdout.splitlines()]

    assert complete("quarterly cite -f bib") == ["bibtex", "biblatex"]
    assert "chicago-author-date" in complete("quarterly cite --style chi")


def test_broken_style_file_is_a_usage_error(runner, tmp_path):
    path = tmp_path / "broken.csl"
    path.write_text("<style><not-closed></style>", "utf-8")
    result = run(runner, "cite", "--style", str(path))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"Error: Cannot read the CSL style '{path}':")
    assert result.stderr.count("\n") == 1


def test_style_in_html(runner):
    result = run(runner, "cite", "--style", "chicago-author-date", "--markup", "html")
    assert result.stdout.startswith('<div class="csl-bib-body">\n  <div data-csl-entry-id="item-0"')
    assert "<i>The Milbank Quarterly</i>" in result.stdout
