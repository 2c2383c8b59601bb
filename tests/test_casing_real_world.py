"""Sentence case over the titles of 1,808 real Crossref records (../shared/real-world/crossref,
read in place; see its SOURCES.md). Nobody judged these by hand, so the test holds the invariants
rather than expected forms: only letter case changes, and only downwards; words with internal
capitals or digits, single letters and initials are never lowered; a title with a lower-case
significant word is never converted."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

from quarterly_cli import markup
from quarterly_cli.casing import lexicon, sentence_case
from quarterly_cli.errors import QuarterlyError
from quarterly_cli.sources.crossref import record_from_work
from quarterly_cli.words import KEPT_LOWER, PREFIXES, TITLE_CASE_LOWER

FOLDER = Path(__file__).resolve().parents[1].parent / "shared" / "real-world" / "crossref"
PARTS = re.compile(r"[-‐‑–/]")
EDGE = re.compile(r"^\W*(.*?)\W*$")
WORDS = re.compile(r"[^\s—―]+")


@pytest.fixture(scope="module")
def converted():
    """(title, converted title, italic words) for every usable record."""
    works = FOLDER / "works.json.gz"
    if not works.exists():
        pytest.skip(f"the real Crossref records are not there: {FOLDER}")
    with gzip.open(works, "rt", encoding="utf-8") as handle:
        records = json.load(handle)
    results = []
    for entry in records.values():
        message = entry["message"]
        try:
            title = record_from_work(message).title
        except QuarterlyError:
            continue  # no title: nothing to convert
        names = [part for author in message.get("author") or []
                 for part in (author.get("given"), author.get("family"), author.get("name")) if part]
        names += [*(message.get("container-title") or []), message.get("publisher") or ""]
        results.append((title, sentence_case(title, language=message.get("language"), names=names)))
    return results


def must_keep(part: str) -> bool:
    core = EDGE.match(part).group(1)
    letters = [c for c in core if c.isalpha()]
    return bool(core) and (
        any(c.isdigit() for c in core) or any(c.isupper() for c in core[1:]) or len(letters) == 1)


def lower_case_significant_words(title: str) -> list[str]:
    """The words that say a title is in sentence case, worked out independently of the module:
    a word starting in lower case, less the words title case keeps lower too (issue 9)."""
    plain = markup.plain(title)
    styles = [span.styles for span in markup.parse(title) for _ in span.text]
    matches = list(WORDS.finditer(plain))
    words = [m.group() for m in matches]
    found = []
    for n, word in enumerate(words):
        if "i" in styles[matches[n].start()]:
            continue  # in italics: epithets, foreign terms
        parts = [p for p in PARTS.split(EDGE.match(word).group(1)) if p]
        first = next((p for p in parts if not must_keep(p) and p.lower() not in TITLE_CASE_LOWER), "")
        core = EDGE.match(word).group(1)
        if not first[:1].islower() or "." in core:
            continue
        low = re.sub(r"['’]s?$", "", first).lower()
        before = EDGE.match(words[n - 1]).group(1) if n else ""
        if (low in KEPT_LOWER
                or (low in PREFIXES and any(p[:1].isupper() for p in parts[1:]))
                or (before.replace(".", "").replace(",", "").isdigit() and len(low) <= 3)
                or (len(before) == 1 and words[n - 1].endswith("."))
                or before in lexicon().genera):
            continue
        found.append(word)
    return found


def test_the_sweep_converts_titles(converted):
    changed = sum(new != title for title, (new, _) in converted)
    assert len(converted) > 1700
    assert changed > 500  # about 40 %: a sweep that converts nothing would hold every invariant


def test_only_letter_case_changes_and_only_downwards(converted):
    for title, (new, _) in converted:
        assert len(new) == len(title) and all(
            a == b or a.lower() == b for a, b in zip(title, new, strict=True)), title


def test_never_lowers_internal_capitals_digits_single_letters_or_initials(converted):
    for title, (new, _) in converted:
        words = WORDS.findall(markup.plain(title))
        for word, after in zip(words, WORDS.findall(markup.plain(new)), strict=True):
            for part, new_part in zip(PARTS.split(word), PARTS.split(after), strict=True):
                if must_keep(part):
                    assert new_part == part, title


def test_titles_with_a_lower_case_significant_word_are_not_converted(converted):
    for title, (new, _) in converted:
        if new != title:
            assert not lower_case_significant_words(title), title
