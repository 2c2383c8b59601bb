"""No traceback, ever: closed streams, a full disk, hostile text in errors, unexpected bugs."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


# --- standard input -----------------------------------------------------------------------

BUNDLED = "10.1111/1468-0009.12090"
NOT_TEXT = "Give one reference per line, or a BibTeX, RIS or CSL-JSON document"


def test_closed_stdin_is_one_error_line():
    done = subprocess.run([sys.executable, "-m", "quarterly_cli", "cite", "-"],  # `cite - <&-`
                          capture_output=True, text=True, stdin=None,
                          preexec_fn=lambda: os.close(0))
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == ("Error: Standard input is closed: give references as arguments, or "
                           "pipe them in (… | quarterly cite -).\n")


def test_a_nul_byte_in_a_reference_line_is_one_error_line(runner):
    result = runner.invoke(main, ["cite", "-"], input=f"{BUNDLED}\n10.5555/a\x00b\n".encode())
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (f"Error: Standard input holds a NUL byte (line 2): it is not text. "
                             f"{NOT_TEXT}.\n")


def test_bytes_that_are_not_utf8_are_one_error_line(runner):
    result = runner.invoke(main, ["cite", "-"], input=f"{BUNDLED}\n\n".encode() + b"\xff\xfe")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (f"Error: Standard input is not UTF-8 text (line 3). {NOT_TEXT} "
                             "saved as UTF-8.\n")


@pytest.mark.parametrize(("data", "message"), [
    (b"\xff\xfe", f"Standard input is not UTF-8 text (line 1). {NOT_TEXT} saved as UTF-8."),
    (b"10.5555/a\x00b\n", "Standard input holds a NUL byte (line 1): it is not text. "
                          f"{NOT_TEXT}."),
])
def test_check_reads_standard_input_as_cite_does(runner, data, message):
    result = runner.invoke(main, ["check", "--offline", "-"], input=data)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"Error: {message}\n"


class CountingStream(io.BytesIO):
    """Standard input that counts how much of it was read."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.taken = 0

    def read(self, size=-1):
        chunk = super().read(size)
        self.taken += len(chunk)
        return chunk


@pytest.mark.parametrize(("junk", "message"), [
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40_000, "not UTF-8 text (line 1)"),
    (b"10.5555/x\n" + b"\x00" * 10_000_000, "holds a NUL byte (line 2)"),
    (b'[{"type": "article-journal", "title": "A"},, ' + b" " * 10_000_000,
     "invalid JSON at line 1, column 44"),
])
def test_junk_on_stdin_fails_at_the_first_bad_bytes(runner, junk, message):
    stream = CountingStream(junk)
    result = runner.invoke(main, ["cite", "-"], input=stream)
    assert (result.exit_code, result.stdout) == (2, "")
    assert message in result.stderr and result.stderr.count("\n") == 1
    assert stream.taken <= 2 << 20  # a chunk or two of 10 MB, not all of it


def test_a_csl_json_document_on_stdin_is_streamed(runner):
    items = [{"type": "article-journal", "title": f"Title {n}", "DOI": f"10.5555/s.{n}"}
             for n in range(3)]
    result = runner.invoke(main, ["cite", "-f", "ris", "-"], input=json.dumps(items))
    assert (result.exit_code, result.stderr) == (0, "")
    assert [line for line in result.stdout.splitlines() if line.startswith("DO  - ")] == [
        f"DO  - 10.5555/s.{n}" for n in range(3)]


def test_stdin_given_twice_is_a_usage_error(runner):
    result = runner.invoke(main, ["cite", "-", "-"], input=f"{BUNDLED}\n")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "Error: `-` (standard input) can be given once: it is read once.\n"


def test_an_escape_sequence_in_a_failed_stdin_line_never_reaches_the_terminal(runner):
    hostile = "\x1b]52;c;aGk=\x07\x1b[2Jnot-a-doi\x9b31m"
    result = runner.invoke(main, ["cite", "-"], input=f"{BUNDLED}\n{hostile}\n")
    assert result.exit_code == 1
    assert result.stdout.startswith("Mathers, J.")
    [line] = result.stderr.splitlines()
    assert line.startswith("Error: not-a-doi31m: Not a DOI, PMID, PMCID or file: ")
    assert not any(c in result.stderr for c in "\x1b\x07\x9b")


def test_cite_dash_on_a_terminal_says_it_is_waiting():
    import pty

    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "quarterly_cli", "cite", "-"], stdin=follower,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    os.close(follower)
    try:
        os.write(leader, f"{BUNDLED}\n".encode() + b"\x04")  # a line, then Ctrl-D
        out, err = proc.communicate(timeout=60)
    finally:
        os.close(leader)
    assert proc.returncode == 0
    assert err == "Reading references from standard input, one per line; Ctrl-D to end.\n"
    assert out.startswith("Mathers, J., Taylor, R., & Parry, J. (2014).")


# --- impossible dates in files ------------------------------------------------------------

@pytest.mark.parametrize(("parts", "reason"), [
    ("[[2020, 13]]", "'issued' month 13 is not 1-12."),
    ("[[1e400]]", "'issued' year inf is not a whole number."),
    ('"2020"', "'issued' date-parts must look like [[2014, 12]] or [[2016], [2017]]."),
    ("[[2020, 2, 99]]", "'issued' day 99 does not exist in 2020-02."),
])
def test_an_impossible_date_in_a_csl_json_file_is_one_error_line(runner, tmp_path, parts, reason):
    path = tmp_path / "dates.json"
    path.write_text('[{"type": "article-journal", "title": "A", "DOI": "10.5555/ok"},\n'
                    '{"type": "article-journal", "title": "B", "issued": {"date-parts": '
                    f"{parts}}}}}]", "utf-8")
    result = runner.invoke(main, ["cite", "-f", "ris", str(path)])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"Error: {path}: item 2 is not CSL-JSON: {reason}\n"


# --- every value on stdout or stderr goes through one control-character policy ---------------

def test_json_output_escapes_c1_controls_from_a_stdin_line(runner):
    hostile = "\x9b31mnot-a-doi\x7f"
    result = runner.invoke(main, ["cite", "--json", "-"], input=f"{BUNDLED}\n{hostile}\n")
    assert result.exit_code == 1
    assert not any(c in result.stdout for c in "\x9b\x7f\x1b")
    items = json.loads(result.stdout)
    assert items[1]["reference"] == hostile  # the value itself is kept, escaped
    assert "\\u009b" in result.stdout


def test_warnings_carry_no_control_characters(capsys):
    from quarterly_cli.diagnostics import warn

    warn("10.5555/x\x1b]52;c;aGk=\x07: dropped\x9b2J a field\nwith a line break")
    # The C1 CSI is removed; what followed it is plain text.
    assert capsys.readouterr().err == "Warning: 10.5555/x: dropped2J a field with a line break\n"


# --- properties of the stdin reader ---------------------------------------------------------

@pytest.mark.parametrize(("name", "head", "junk", "message"), [
    ("refs.ris", b"TY  - JOUR\nTI  - A\n\xff", b"\xfe" * (1 << 20),
     "refs.ris is not UTF-8 text (line 3). Save the file as UTF-8 and try again."),
    ("bom.ris", b"\xef\xbb\xbfTY  - JOUR\nTI  - A\n\xff", b"\xfe" * (1 << 20),  # mark counted
     "bom.ris is not UTF-8 text (line 3). Save the file as UTF-8 and try again."),
    ("refs.bib", b"@article{a, title={A}}\n", b"\0" * (1 << 20),
     "refs.bib holds a NUL byte (line 2): it is not text. Give a BibTeX, RIS or CSL-JSON file."),
    ("refs.txt", b"", b"plain words, not references\n" * 40_000,
     "refs.txt: not BibTeX, RIS or CSL-JSON. Give a .bib, .ris or .json file."),
])
def test_junk_in_a_file_fails_at_the_first_bad_bytes(runner, tmp_path, name, head, junk, message):
    """The file is a pipe fed by a thread with up to 256 MiB: the reader must stop at the first
    bad bytes (or at a head that is no document), so the feeder is cut off after a few MiB."""
    import threading

    path = tmp_path / name
    os.mkfifo(path)
    fed = []

    def feed():
        with open(path, "wb") as pipe:
            try:
                pipe.write(head)
                for _ in range(256):
                    pipe.write(junk * max(1, (1 << 20) // len(junk)))
                    fed.append(1)
            except BrokenPipeError:
                pass

    feeder = threading.Thread(target=feed)
    feeder.start()
    result = runner.invoke(main, ["cite", str(path), "-f", "bibtex"])
    feeder.join()
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"Error: {tmp_path / message}\n"
    assert len(fed) < 8  # MiB


@settings(max_examples=200, deadline=None)
@given(text=st.text(st.characters(blacklist_categories=("Cs",))), chunk=st.integers(1, 8))
def test_stdin_text_reads_any_text_in_any_chunking(text, chunk):
    """Whatever the chunk size (a multi-byte character may straddle two chunks), the text read
    back is the text written, or the first NUL is reported on its own line."""
    from unittest.mock import patch

    from quarterly_cli import fileio
    from quarterly_cli.errors import InputFormatError

    with patch.object(fileio, "STDIN_CHUNK", chunk):
        stream = fileio.StdinText(io.BytesIO(text.encode("utf-8")))
        if "\0" not in text:
            assert stream.head(3) == text.removeprefix("\ufeff")[:3]
            assert stream.read() == text.removeprefix("\ufeff")
            return
        with pytest.raises(InputFormatError) as caught:
            stream.read()
    line = text.removeprefix("\ufeff")[: text.removeprefix("\ufeff").index("\0")].count("\n") + 1
    assert f"holds a NUL byte (line {line})" in str(caught.value)


@settings(max_examples=200, deadline=None)
@given(text=st.text(st.characters(blacklist_categories=("Cs",))), head=st.integers(1, 8))
def test_a_regular_file_reads_as_standard_input_does(tmp_path_factory, text, head):
    """A regular file is read again from its start and decoded in one go (FileText._whole):
    the same text, or the same first NUL, as the pieces standard input is read in."""
    from unittest.mock import patch

    from quarterly_cli import fileio
    from quarterly_cli.errors import InputFormatError

    path = tmp_path_factory.mktemp("whole") / "refs.ris"
    path.write_bytes(text.encode("utf-8"))
    with patch.object(fileio, "FILE_CHUNK", head), open(path, "rb") as raw:
        stream = fileio.FileText(raw, "refs.ris")
        expected = text.removeprefix("\ufeff")
        try:
            stream.head(head)
            if "\0" not in text:
                assert stream.read() == expected
                assert stream.read() == ""
                return
            stream.read()
        except InputFormatError as caught:  # from the head's pieces, or from the rest
            line = expected[: expected.index("\0")].count("\n") + 1
            assert str(caught) == (f"refs.ris holds a NUL byte (line {line}): it is not "
                                   "text. Give a BibTeX, RIS or CSL-JSON file.")
        else:
            raise AssertionError("the NUL byte was not reported")


def test_a_file_bigger_than_whole_file_stops_at_its_first_bad_piece(tmp_path):
    """Past WHOLE_FILE bytes a regular file is read in pieces, as a pipe is: junk after a good
    head stops the read before the rest of the file is read."""
    from unittest.mock import patch

    from quarterly_cli import fileio
    from quarterly_cli.errors import InputFormatError

    path = tmp_path / "refs.ris"
    good = b"TY  - JOUR\n" + b"N1  - a note\n" * 100_000  # more than the head's first piece
    path.write_bytes(good + b"\xfe" * (8 << 20))
    for limit, stops_early in ((1 << 20, True), (16 << 20, False)):
        with patch.object(fileio, "WHOLE_FILE", limit), open(path, "rb") as raw:
            stream = fileio.FileText(raw, "refs.ris")
            assert stream.head(8) == "TY  - JO"
            with pytest.raises(InputFormatError, match="not UTF-8 text \\(line 100002\\)"):
                stream.read()
            assert (raw.tell() < len(good) + (2 << 20)) is stops_early


@pytest.mark.parametrize(("content", "controls"), [
    (b"TY  - JOUR\nTI  - x\nER  - \n", b""),
    (b"TY  - JOUR\r\nTI  - x\ty\x1b[1m\x7f\r\nER  - \r\n", b"\t\r\x1b\x7f"),
    ("TY  - JOUR\nTI  - caf\u00e9\u0085\nER  - \n".encode(), b""),  # C1: not a C0 byte
])
def test_a_regular_file_read_whole_tells_its_control_bytes(tmp_path, content, controls):
    """FileText.controls: the C0 control bytes but newline, and DEL, of a file read whole (the
    RIS reader skips its search for controls in the ASCII values of a file with none); None
    when the file was read in pieces."""
    from unittest.mock import patch

    from quarterly_cli import fileio

    path = tmp_path / "refs.ris"
    path.write_bytes(content)
    with open(path, "rb") as raw:
        stream = fileio.FileText(raw, "refs.ris")
        assert stream.controls is None
        stream.read()
        assert stream.controls == controls
    with patch.object(fileio, "WHOLE_FILE", 4), open(path, "rb") as raw:
        stream = fileio.FileText(raw, "refs.ris")
        stream.read()
        assert stream.controls is None


def test_a_regular_file_read_whole_loses_its_byte_order_mark(tmp_path):
    from unittest.mock import patch

    from quarterly_cli import fileio

    path = tmp_path / "refs.ris"
    path.write_bytes("\ufeffTY  - JOUR\nTI  - Ødegård\nER  - \n".encode())
    with patch.object(fileio, "FILE_CHUNK", 8), open(path, "rb") as raw:
        stream = fileio.FileText(raw, "refs.ris")
        assert stream.head(4) == "TY  "
        assert stream.read() == "TY  - JOUR\nTI  - Ødegård\nER  - \n"


@pytest.mark.parametrize(("data", "message"), [
    (b"TY  - JOUR\n" * 3 + b"TI  - \xff\n" + b"AB  - \0\n",
     "is not UTF-8 text (line 4). Save the file as UTF-8 and try again."),
    (b"\xef\xbb\xbfTY  - JOUR\n" * 3 + b"AB  - \0\n" + b"TI  - \xe2\x80\n",
     "holds a NUL byte (line 4): it is not text. Give a BibTeX, RIS or CSL-JSON file."),
    (b"TY  - JOUR\n" * 3 + b"TI  - \xe2\x80",  # a character cut off at the end
     "is not UTF-8 text (line 4). Save the file as UTF-8 and try again."),
])
def test_a_regular_file_reports_its_first_bad_bytes_after_its_head(tmp_path, data, message):
    """Past the head, the first of a bad byte and a NUL is reported, with its line."""
    from unittest.mock import patch

    from quarterly_cli import fileio
    from quarterly_cli.errors import InputFormatError

    path = tmp_path / "refs.ris"
    path.write_bytes(data)
    with patch.object(fileio, "FILE_CHUNK", 8), open(path, "rb") as raw:
        stream = fileio.FileText(raw, "refs.ris")
        assert stream.head(8).startswith("TY  - ")
        with pytest.raises(InputFormatError) as caught:
            stream.read()
    assert str(caught.value) == f"refs.ris {message}"


@settings(max_examples=100, deadline=None)
@given(before=st.integers(0, 3), after=st.integers(1, 3), indent=st.sampled_from([None, 0, 4]),
       one_item=st.booleans())
def test_appending_to_any_csl_json_layout_gives_one_array(before, after, indent, one_item):
    from quarterly_cli.appending import Appending
    from quarterly_cli.formats import FORMATS
    from quarterly_cli.model import Record

    existing = [{"id": f"old{n}", "type": "book", "title": f"Old {n}"} for n in range(before)]
    if one_item and before == 1:
        text = json.dumps(existing[0], indent=indent)  # CSL-JSON may be one item, not an array
    else:
        text = json.dumps(existing, indent=indent)
    state = Appending("refs.json", "csl-json", text=text)
    new = [Record(f"New {n}", id=f"new{n}", DOI=f"10.5555/new.{n}") for n in range(after)]
    written = "".join(state.chunks(FORMATS["csl-json"].render_iter(new)))
    assert [item["id"] for item in json.loads(written)] == (
        [f"old{n}" for n in range(before)] + [f"new{n}" for n in range(after)])


@pytest.mark.parametrize(("name", "text", "message"), [
    ("deep.bib", "@article{k, title = {" + "{" * 5000 + "x" + "}" * 5000 + "}}\n",
     "groups are nested more than 100 deep"),
    ("deep.json", "[" * 100_000, "nested too deeply"),
    ("open.bib", "@article{k, title = {" + "{" * 5000 + "x}}\n", "unbalanced braces"),
])
def test_deep_nesting_in_a_file_is_one_error_line(runner, tmp_path, name, text, message):
    path = tmp_path / name
    path.write_text(text)
    result = runner.invoke(main, ["cite", str(path)])
    assert (result.exit_code, result.stdout) == (2, "")
    assert len(result.stderr.splitlines()) == 1 and message in result.stderr


@pytest.mark.parametrize(("name", "document"), [
    ("63", b"TY  - JOUR\nTI  - Through a pipe\nER  - \n"),  # /dev/fd/63, as `<(…)` gives
    ("refs.json", b'[{"type": "article-journal", "title": "Through a pipe"}]'),
])
def test_a_named_pipe_is_read_once_as_a_file(runner, tmp_path, name, document):
    """`quarterly cite <(curl …)`: the path is a pipe, which can be read only once — its head
    (which tells the format) and its body come from one read."""
    import threading

    path = tmp_path / name
    os.mkfifo(path)

    def feed():
        with open(path, "wb") as pipe:
            pipe.write(document)

    feeder = threading.Thread(target=feed)
    feeder.start()
    result = runner.invoke(main, ["cite", str(path), "-f", "csl-json"])
    feeder.join()
    assert (result.exit_code, result.stderr) == (0, "")
    assert [item["title"] for item in json.loads(result.stdout)] == ["Through a pipe"]
