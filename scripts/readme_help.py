"""Rewrite every `$ quarterly … --help` block in README.md with the CLI's own output (80 columns),
as tests/test_readme_help.py demands:

    .venv/bin/python scripts/readme_help.py
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from click.testing import CliRunner

from quarterly_cli.cli import main

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCK = re.compile(r"(```console\n\$ (quarterly [^\n]*--help)\n)(.*?)```", re.DOTALL)


def cli_help(command: str) -> str:
    result = CliRunner().invoke(main, shlex.split(command)[1:], prog_name="quarterly",
                                terminal_width=78)
    if result.exit_code != 0:
        raise SystemExit(f"{command} failed: {result.output}")
    return result.stdout


def main_() -> None:
    text = README.read_text("utf-8")
    new = BLOCK.sub(lambda m: m.group(1) + cli_help(m.group(2)) + "```", text)
    if new != text:
        README.write_text(new, "utf-8")
        print("README.md: help blocks rewritten")
    else:
        print("README.md: help blocks already current")


if __name__ == "__main__":
    main_()
