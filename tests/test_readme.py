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


def test_readme_shows_how_to_run_quarterly_and_install_extras_from_a_checkout():
    readme = (ROOT / "README.md").read_text("utf-8")
    top = readme.split("## ")[0]  # before the first section: what a newcomer reads first
    assert "source .venv/bin/activate" in top and "`.venv/bin/quarterly`" in top
    assert "pip install '.[styles]'" in top


def test_known_limitations_come_before_the_benchmark_tables():
    readme = (ROOT / "README.md").read_text("utf-8")
    assert readme.index("\n## Known limitations\n") < readme.index("\n## Benchmarks\n")
