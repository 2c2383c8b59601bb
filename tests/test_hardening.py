"""No traceback, ever: closed streams, a full disk, hostile text in errors, unexpected bugs."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from quarterly_cli.cli import main


def _run(args, **kwargs):
    env = dict(os.environ, **kwargs.pop("env", {}))
    return subprocess.run([sys.executable, "-m", "quarterly_cli", *args], capture_output=True,
                          text=True, env=env, **kwargs)


def test_no_arguments_prints_help_on_stdout_and_succeeds(runner):
    result = runner.invoke(main, [])
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.startswith("Usage: ") and "  cite " in result.stdout


def test_closed_stdout_is_one_error_line():
    done = subprocess.run([sys.executable, "-m", "quarterly_cli", "cite"],  # as `cite 1>&-`
                          stderr=subprocess.PIPE, text=True, preexec_fn=lambda: os.close(1))
    assert done.returncode == 1
    assert done.stderr == ("Error: standard output is closed. Redirect it to a file, or write "
                           "with -o FILE.\n")


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_disk_on_stdout_is_one_error_line():
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "quarterly_cli", "cite"], stdout=full,
                              stderr=subprocess.PIPE, text=True)
    assert done.returncode == 1
    assert done.stderr == ("Error: Cannot write to standard output (No space left on device). "
                           "Check the disk, or write with -o FILE.\n")


def _boom(*args, **kwargs):
    raise ValueError("unexpected \x1b]52;c;aGk=\x07 state")


def test_an_unexpected_exception_is_one_line_saying_it_is_a_bug(runner, monkeypatch):
    monkeypatch.setattr("quarterly_cli.formats.Format.render_iter", _boom)
    monkeypatch.delenv("QUARTERLY_DEBUG", raising=False)
    result = runner.invoke(main, ["cite"])
    assert (result.exit_code, result.stdout) == (70, "")
    assert result.stderr == (
        "Error: quarterly hit a bug (ValueError: unexpected state). Please report it "
        "at https://github.com/quarterly-cli/quarterly/issues with the command you ran; "
        "QUARTERLY_DEBUG=1 or --traceback shows the traceback.\n")


@pytest.mark.parametrize(("args", "env"), [(["--traceback", "cite"], {}),
                                           (["cite"], {"QUARTERLY_DEBUG": "1"})])
def test_the_traceback_when_asked(runner, monkeypatch, args, env):
    monkeypatch.setattr("quarterly_cli.formats.Format.render_iter", _boom)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    result = runner.invoke(main, args)
    assert isinstance(result.exception, ValueError)


def test_error_lines_carry_no_escape_sequences(runner):
    hostile = "10.5555/x\x1b]52;c;aGk=\x07\x1b[2J.bib"
    result = runner.invoke(main, ["cite", hostile])
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_color_before_the_command(runner):
    result = runner.invoke(main, ["--color", "cite"])
    assert result.exit_code == 0 and "\x1b[3m" in result.stdout  # italics on: the flag took
    plain = runner.invoke(main, ["--no-color", "cite"])
    assert plain.exit_code == 0 and "\x1b" not in plain.stdout
