"""doi.parse's shortcuts for a bare DOI against the rule they skip (doi.py says where)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from quarterly_cli import doi


def parse_reference(text: str) -> str | None:
    """doi.parse without its shortcuts: the prefixes are matched for every text, and _DOI and
    isprintable tried for every candidate."""
    candidate = text.strip()
    match = doi._PREFIXES.match(candidate)
    if match:
        candidate = candidate[match.end():]
        if "%" in candidate:
            from urllib.parse import unquote

            candidate = unquote(candidate)
    if doi._DOI.fullmatch(candidate) and candidate.isprintable():
        return candidate
    return None


_PIECES = ["10.", "1234", "5555", ".7", "/", "bench.0", " ", "\t", "\x00", "\x85", "é", "<>",
           "%2F", "doi:", "10.1/x", "١", "\x7f", "~", "!"]
_PREFIX = st.sampled_from(["", "", " ", "doi:", "DOI: ", "https://doi.org/", "http://dx.doi.org/",
                           "info:doi/", "doi.org/", "1"])
_TEXT = st.lists(st.one_of(st.sampled_from(_PIECES), st.characters()), max_size=8).map("".join)
_ASCII_TEXT = st.lists(st.one_of(
    st.sampled_from(["bench.0", "x", " ", "\t", "\x01", "\x7f", "~", "!", "/", "<>", "%2F"]),
    st.characters(max_codepoint=0x7F)), max_size=6).map("".join)
# Mostly DOI-shaped: a prefix (or none), `10.`, a registrant code, `/` and a suffix; often all
# ASCII (as nearly every DOI is: parse's first shortcut).
doi_like = st.one_of(_TEXT, st.builds(
    lambda prefix, code, suffix: f"{prefix}10.{code}/{suffix}", _PREFIX,
    st.from_regex(r"\d{3,10}(\.\d+)?", fullmatch=True), _TEXT), st.builds(
    lambda prefix, code, suffix: f"{prefix}10.{code}/{suffix}", _PREFIX,
    st.from_regex(r"[0-9]{3,10}(\.[0-9]{1,3})?", fullmatch=True), _ASCII_TEXT))


@settings(max_examples=2000, derandomize=True, deadline=None)
@given(doi_like)
def test_parse_is_the_prefix_rule(text: str) -> None:
    assert doi.parse(text) == parse_reference(text)
