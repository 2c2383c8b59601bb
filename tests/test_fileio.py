"""`-o FILE`: whole or nothing, and as if written in place (umask, kept mode, symlinks)."""

from __future__ import annotations

import io
import os
import stat

import pytest

from quarterly_cli import fileio
from quarterly_cli.cli import main, run
from quarterly_cli.errors import QuarterlyError
from quarterly_cli.fileio import write_atomically


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_file_gets_the_users_umask(tmp_path):
    old = os.umask(0o027)
    try:
        write_atomically(str(tmp_path / "a.txt"), ["x"])
    finally:
        os.umask(old)
    assert _mode(tmp_path / "a.txt") == 0o640


def test_an_existing_file_keeps_its_mode(tmp_path):
    target = tmp_path / "refs.bib"
    target.write_text("old")
    target.chmod(0o604)
    write_atomically(str(target), ["new"])
    assert target.read_text() == "new" and _mode(target) == 0o604


def test_through_a_symlink_the_target_is_written_and_the_link_kept(tmp_path):
    real = tmp_path / "library" / "refs.bib"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "refs.bib"
    link.symlink_to(real)
    write_atomically(str(link), ["new"])
    assert link.is_symlink() and real.read_text() == "new"
    assert [p.name for p in real.parent.iterdir()] == ["refs.bib"]  # no temporary left behind


def test_a_failure_while_rendering_leaves_the_old_file(tmp_path):
    target = tmp_path / "refs.bib"
    target.write_text("old")

    def chunks():
        yield "half"
        raise QuarterlyError("boom")

    with pytest.raises(QuarterlyError):
        write_atomically(str(target), chunks())
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["refs.bib"]


def test_cli_output_file_mode(runner, tmp_path):
    old = os.umask(0o022)
    try:
        result = runner.invoke(main, ["cite", "-o", str(tmp_path / "refs.ris")])
    finally:
        os.umask(old)
    assert result.exit_code == 0 and _mode(tmp_path / "refs.ris") == 0o644


# Standard output is buffered whole (fileio.Buffered, as UTF-8) and spilled to a temporary file
# past SPILL_BYTES; write_to hands the bytes to a UTF-8 stream's binary buffer as they are.

class _BytesOnly(io.TextIOWrapper):
    """A UTF-8 stream whose text layer refuses writes: only the bytes can fill it."""

    def write(self, text):  # type: ignore[override]
        raise AssertionError("text written through the text layer")


_PIECES = ["@article{a,\n  title = {Ça va, Søren — 漢字}\n}\n", "x" * 50, "é\n" * 40]


def _buffered(monkeypatch, spilled: bool) -> fileio.Buffered:
    monkeypatch.setattr(fileio, "SPILL_BYTES", 10 if spilled else 1 << 20)
    buffered = fileio.Buffered(iter([_PIECES[0], *(p.encode() for p in _PIECES[1:])]))
    assert (buffered._file is not None) == spilled
    return buffered


@pytest.mark.parametrize("spilled", [False, True])
def test_the_buffer_reaches_a_utf8_stream_as_bytes(monkeypatch, spilled):
    raw = io.BytesIO()
    out = _BytesOnly(raw, encoding="utf-8", newline="")
    _buffered(monkeypatch, spilled).write_to(out)
    assert raw.getvalue() == "".join(_PIECES).encode("utf-8")


@pytest.mark.parametrize("spilled", [False, True])
def test_the_buffer_reaches_another_encoding_as_text(monkeypatch, spilled):
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="utf-16-le", newline="")
    _buffered(monkeypatch, spilled).write_to(out)
    assert raw.getvalue() == "".join(_PIECES).encode("utf-16-le")


def test_pieces_read_back_from_the_file_are_whole_characters(monkeypatch):
    monkeypatch.setattr(fileio, "SPILL_BYTES", 10)
    text = "漢" * 400_000  # 1.2 MB: the file is read back in 1 MiB pieces, one ends mid-character
    assert "".join(fileio.Buffered([text]).pieces()) == text


def test_the_console_script_keeps_exit_codes_and_freezes_before_shutdown(monkeypatch, capsys):
    import gc

    frozen: list[bool] = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(True))
    monkeypatch.setattr("sys.argv", ["quarterly", "cite", "not-a-reference"])
    with pytest.raises(SystemExit) as ended:
        run()
    assert ended.value.code == 2 and frozen == [True]
    assert "Not a DOI" in capsys.readouterr().err
