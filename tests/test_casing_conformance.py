"""Sentence case against 40 real Crossref titles whose APA form was judged by hand (copied from
../shared/conformance/sentence-case.json): title-case titles to convert, titles already in sentence
case that must not change, and titles in other languages that must not change."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quarterly_cli.casing import sentence_case

CASES = json.loads(
    (Path(__file__).parent / "data" / "casing" / "sentence-case.json").read_text("utf-8")
)


def test_the_set_is_complete():
    assert len(CASES) == 40
    # Judged on letter case only: the expected form is the title with some letters lowered.
    assert all(c["title"].lower() == c["expected"].lower() for c in CASES)


@pytest.mark.parametrize("case", CASES, ids=[c["title"][:50] for c in CASES])
def test_expected_form(case):
    converted, guessed = sentence_case(case["title"])
    assert converted == case["expected"], case["note"]
    assert guessed == (converted != case["title"])
