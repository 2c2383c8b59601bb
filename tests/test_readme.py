"""The README's two newcomer commands are the ones CI runs."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).parent.parent


def test_ci_runs_the_readme_test_command_word_for_word():
    readme = (ROOT / "README.md").read_text("utf-8")
    blocks = readme.split("```sh\n")
    setup, tests = blocks[1].split("\n```")[0], blocks[2].split("\n```")[0]
    assert setup.endswith("quarterly show")
    assert "pytest" in tests
    ci = (ROOT / ".ci" / "run").read_text("utf-8").splitlines()
    assert tests in ci


def test_readme_format_table_matches_registry():
    from quarterly_cli.formats import FORMATS

    readme = (ROOT / "README.md").read_text("utf-8")
    for fmt in FORMATS.values():
        assert f"| `{fmt.name}`" in readme
