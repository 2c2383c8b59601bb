"""No escape sequence from the data reaches a terminal (issue 11): OSC 52 (clipboard write), OSC 8
(hyperlink), CSI 2J (clear screen), BEL and a C1 CSI in every field of every input format, through
every output, on pseudo-terminals for stdout and stderr. The only escapes allowed are the ones the
tool writes itself: SGR colours and italics, and hyperlinks to the record's own doi.org / PubMed /
PMC pages."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quarterly_cli.model import DATE_VARS, NAME_ROLES, TEXT_VARS

EVIL = "\x1b]52;c;aGk=\x07\x1b]8;;https://evil.example/\x1b\\\x1b[2J\x07\x9b31m"
MARK = f"q{EVIL}z"  # around the payload: the text must survive, the controls must not

# The tool's own escapes: SGR (colour, italics) and OSC 8 hyperlinks to where records live.
_OWN = re.compile(
    r"\x1b\[[0-9;]*m"
    r"|\x1b\]8;[^;\x07\x1b]*;(?:https://(?:doi\.org|pubmed\.ncbi\.nlm\.nih\.gov|"
    r"pmc\.ncbi\.nlm\.nih\.gov|www\.ncbi\.nlm\.nih\.gov)/[^\x07\x1b]*)?\x1b\\"
    r"|\x1b\[\?25[lh]|\x1b\[2K|\x1b\[1A|\r")  # Rich's spinner/progress: cursor and line clears


def _terminal_run(args: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    """Run quarterly with stdout and stderr on two pseudo-terminals; return (code, out, err)."""
    outs = [pty.openpty(), pty.openpty()]
    proc = subprocess.Popen([sys.executable, "-m", "quarterly_cli", *args],
                            stdin=subprocess.DEVNULL, stdout=outs[0][1], stderr=outs[1][1],
                            env=env, close_fds=True)
    for _, follower in outs:
        os.close(follower)
    chunks: dict[int, list[bytes]] = {outs[0][0]: [], outs[1][0]: []}
    open_fds = set(chunks)
    while open_fds:
        ready, _, _ = select.select(list(open_fds), [], [], 60)
        if not ready:
            proc.kill()
            break
        for fd in ready:
            try:
                data = os.read(fd, 65536)
            except OSError:  # EIO: the other side closed
                data = b""
            if data:
                chunks[fd].append(data)
            else:
                open_fds.discard(fd)
    code = proc.wait(timeout=60)
    for leader, _ in outs:
        os.close(leader)
    out, err = (b"".join(chunks[leader]).decode("utf-8", "replace") for leader, _ in outs)
    return code, out, err


def _foreign(text: str) -> list[str]:
    """Escape sequences and control characters in `text` that the tool did not write."""
    rest = _OWN.sub("", text)
    return [m.group() for m in re.finditer(r"[\x00-\x08\x0b-\x1f\x7f-\x9f][^\x1b]{0,12}", rest)]


def _bibtex() -> str:
    fields = ["title", "author", "editor", "translator", "journal", "booktitle", "series",
              "publisher", "address", "school", "institution", "organization", "howpublished",
              "volume", "number", "pages", "edition", "note", "abstract", "keywords", "isbn",
              "issn", "doi", "url", "type", "chapter", "eprint", "eprinttype", "subtitle",
              "titleaddon", "language", "pmid", "pmcid", "shortjournal", "mrclass", "file"]
    body = ",\n".join(f"  {f} = {{{MARK}}}" for f in fields)
    return f"@article{{evil{MARK[:1]},\n{body},\n  year = {{2020}}\n}}\n"


def _ris() -> str:
    tags = ["TI", "AU", "A1", "A2", "A3", "A4", "ED", "T2", "T3", "J2", "JO", "VL", "IS", "SP",
            "EP", "SN", "PB", "CY", "DO", "UR", "N1", "AB", "KW", "ID", "AN", "M3", "ET", "C7",
            "LA", "DB", "Y2", "DA", "ST", "AD", "ZZ"]
    lines = ["TY  - JOUR"] + [f"{t}  - {MARK}" for t in tags] + ["PY  - 2020", "ER  - "]
    return "\n".join(lines) + "\n"


def _csl_json() -> str:
    item: dict = {"id": MARK, "type": "article-journal", "title": MARK}
    for var in TEXT_VARS:
        item[var] = MARK
    for role in NAME_ROLES:
        item[role] = [{"family": MARK, "given": MARK}, {"literal": MARK}]
    for var in DATE_VARS:
        item[var] = {"literal": MARK}
    item["issued"] = {"date-parts": [[2020]]}
    item.update(ISSN=MARK, ISBN=MARK, keyword=MARK, abstract=f"Methods: {MARK}",
                custom={"x": MARK})
    return json.dumps([item])


INPUTS = {"refs.bib": _bibtex, "refs.ris": _ris, "refs.json": _csl_json}
COMMANDS = [["show"], ["cite"], ["cite", "-f", "ama"], ["cite", "-f", "vancouver"],
            ["cite", "-f", "bibtex"], ["cite", "-f", "biblatex"], ["cite", "-f", "bibtex", "--ascii"],
            ["cite", "-f", "ris"], ["cite", "-f", "csl-json"], ["cite", "-f", "json"],
            ["cite", "--in-text"], ["cite", "--style", "ieee"], ["cite", "--json"],
            ["show", "--json"], ["check", "--offline"]]


@pytest.mark.parametrize("name", sorted(INPUTS))
def test_no_escape_from_any_field_of_any_input_reaches_the_terminal(tmp_path, name):
    path = tmp_path / name
    path.write_text(INPUTS[name](), "utf-8")
    env = dict(os.environ, QUARTERLY_HOME=str(tmp_path / "home"), COLUMNS="100")
    env.pop("NO_COLOR", None)
    for command in COMMANDS:
        code, out, err = _terminal_run([*command, str(path)], env)
        assert code in (0, 1), (command, code, err)
        assert _foreign(out) == [], (command, "stdout")
        assert _foreign(err) == [], (command, "stderr")
        assert "Traceback" not in err, (command, err)
        if command in (["cite"], ["cite", "-f", "ris"], ["show"]):
            assert "evil.example" not in out or "\x1b]8;;https://evil" not in out
            assert "q" in out and "z" in out  # the text around the payload is still there


@pytest.mark.parametrize("reference", [f"10.5555/{EVIL}", f"pmid:{EVIL}", f"{EVIL}.bib", EVIL])
def test_a_hostile_reference_in_an_error_line_carries_no_escape(tmp_path, reference):
    env = dict(os.environ, QUARTERLY_HOME=str(tmp_path / "home"))
    code, out, err = _terminal_run(["cite", "--offline", reference], env)
    assert code in (1, 2)
    assert _foreign(out + err) == []
    assert err.count("\n") == 1 and err.startswith("Error: ")


def _evil_work() -> dict:
    names = [{"family": MARK, "given": MARK, "ORCID": MARK, "affiliation": [{"name": MARK}]},
             {"name": MARK}]
    return {"status": "ok", "message-type": "work", "message": {
        "DOI": "10.5555/evil", "type": "book-chapter", "title": [MARK], "subtitle": [MARK],
        "container-title": [MARK, MARK], "short-container-title": [MARK], "author": names,
        "editor": names, "publisher": MARK, "publisher-location": MARK, "volume": MARK,
        "issue": MARK, "page": MARK, "ISBN": [MARK], "ISSN": [MARK], "URL": MARK,
        "language": MARK, "subject": [MARK], "abstract": f"<jats:p>{MARK}</jats:p>",
        "event": {"name": MARK, "location": MARK}, "license": [{"URL": MARK}],
        "funder": [{"name": MARK}], "issued": {"date-parts": [[2020, 1, 2]]},
        "updated-by": [{"DOI": "10.5555/notice", "type": "retraction", "label": MARK,
                        "source": MARK, "record-id": MARK,
                        "updated": {"date-parts": [[2021, 1, 1]]}}]}}


def test_no_escape_from_a_crossref_record_reaches_the_terminal(tmp_path, httpserver):
    httpserver.expect_request("/works/10.5555/evil").respond_with_json(_evil_work())
    env = dict(os.environ, QUARTERLY_HOME=str(tmp_path / "home"), COLUMNS="100",
               QUARTERLY_CROSSREF_URL=httpserver.url_for("").rstrip("/"))
    env.pop("NO_COLOR", None)
    for command in (["show"], ["cite"], ["cite", "-f", "bibtex"], ["cite", "-f", "ris"],
                    ["show", "--json"], ["list"], ["check"]):
        args = [*command] if command == ["list"] else [*command, "--source", "crossref",
                                                        "10.5555/evil"]
        if command == ["check"]:
            args = ["check", "--offline", "10.5555/evil"]
        code, out, err = _terminal_run(args, env)
        assert code in (0, 1), (command, code, err)
        assert _foreign(out) == [] and _foreign(err) == [], command
        assert "Traceback" not in err


_PIECES = ["\x1b[31m", "\x1b]8;;https://evil.example/\x07", "\x1b\\", "\x07", "\x9b", "\x7f",
           "\x00", "\n", "\t", "\r", "\u00ad", "\u2028", "\x85", " ", "é", "a"]


@settings(max_examples=2000, derandomize=True, deadline=None)
@given(st.lists(st.one_of(st.characters(), st.sampled_from(_PIECES)), max_size=12).map("".join))
def test_strip_controls_shortcuts_are_the_substitution(text):
    """strip_controls returns printable text, and text without a control character, as it is,
    without the substitution: both are what the substitution gives."""
    from quarterly_cli import markup

    assert markup.strip_controls(text) == markup._controls().sub("", text)


@settings(max_examples=2000, derandomize=True, deadline=None)
@given(st.lists(st.one_of(st.characters(), st.sampled_from(_PIECES + ["\xa0", "\x9f", "~"])),
                max_size=12).map("".join))
def test_clean_encoded_is_strip_controls(text):
    """clean_encoded's look at the bytes passes a chunk as it is only when strip_controls would
    leave it so, and cleans any other as strip_controls does."""
    from quarterly_cli import markup

    chunks = [text, text + "\n" + text, "\x85" + text, text + "\xc2\x9f"]
    expected = [markup.strip_controls(chunk).encode() for chunk in chunks]
    assert list(markup.clean_encoded(chunks)) == expected


@settings(max_examples=2000, derandomize=True, deadline=None)
@given(st.lists(st.one_of(st.characters(), st.sampled_from(
    _PIECES + ["  ", "\xa0", "\u3000", "\u2029", "<i>b</i>"])), max_size=12).map("".join))
def test_folded_text_is_its_own_folding(text):
    """markup.folded says a text needs no folding only when folding leaves it as it is, and
    squash_space and one_line, which skip the folding for it, give what the folding gives."""
    from quarterly_cli import markup

    plain = " ".join(text.split())
    assert markup.folded(text) == (text.isprintable() and text == plain)
    assert markup.squash_space(text) == plain
    assert markup.one_line(text) == " ".join(markup.strip_controls(text).split())


@settings(max_examples=2000, derandomize=True, deadline=None)
@given(st.lists(st.one_of(st.characters(), st.characters(codec=None, categories=["Cs"]),
                          st.sampled_from(_PIECES + ["\xa0", "\x9f", "\xc2", "~", "\x08",
                                                     "\x0b", "\x1f", " "])),
                max_size=12).map("".join))
def test_has_control_is_the_search(text):
    """has_control's look at the bytes (the BibTeX writer's test before strip_controls) says
    what the search for one control character says, on any text (lone surrogates too)."""
    from quarterly_cli import markup

    assert markup.has_control(text) == (markup._ANY_CONTROL.search(text) is not None)
