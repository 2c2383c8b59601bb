"""Every `--help` text in the README is the CLI's own: each ```console block that starts with
`$ quarterly … --help` must hold exactly what that command prints on an 80-column terminal.
After changing a help text, paste the output of the failing command (COLUMNS=80) into the README."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from quarterly_cli.cli import main

README = Path(__file__).parent.parent / "README.md"
BLOCK = re.compile(r"```console\n\$ (quarterly [^\n]*--help)\n(.*?)```", re.DOTALL)


def help_blocks() -> list[tuple[str, str]]:
    return BLOCK.findall(README.read_text("utf-8"))


def cli_help(runner, command: str) -> str:
    # Click wraps help to the terminal's width less two, at most 78: an 80-column terminal.
    result = runner.invoke(main, shlex.split(command)[1:], prog_name="quarterly",
                           terminal_width=78)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_readme_shows_the_top_level_and_show_help():
    assert {command for command, _ in help_blocks()} >= {"quarterly --help",
                                                         "quarterly show --help"}


@pytest.mark.parametrize(("command", "shown"), help_blocks())
def test_readme_help_is_the_cli_help(runner, command, shown):
    assert shown == cli_help(runner, command), (
        f"README's `{command}` is stale: paste `COLUMNS=80 {command}`'s output")


def test_the_top_level_help_lists_every_format(runner):
    from quarterly_cli.formats import FORMATS

    text = " ".join(cli_help(runner, "quarterly --help").split())
    listed = re.search(r"references in ([a-z, -]+) \(", text)
    assert listed is not None and listed.group(1).split(", ") == list(FORMATS)
