"""Sentence case for article titles (APA 7 §6.17, AMA 11 §3.9, Citing Medicine ch. 1).

CSL processors print titles as stored, and Crossref stores them in title case, so every CSL-based
tool prints `The Challenge of Implementing …` where APA wants `The challenge of implementing …`.
This module converts a title only when it *is* in title case, and keeps:

- the first word, and the first word after a colon, question mark, exclamation mark or dash;
- acronyms and mixed-case words (`NHS`, `COVID-19`, `mHealth`, `McDonald`);
- case-protected spans (`<span class="nocase">` in CSL rich text);
- proper nouns and multi-word names in the lexicon shipped in `data/proper_nouns.txt`.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from . import data_path, markup
from .words import MINOR_WORDS

_WORD = re.compile(r"\S+")
_SPACE_SPLIT = re.compile(r"(\s+)")
_EDGE = re.compile(r"^([^\w]*)(.*?)([^\w]*)$", re.UNICODE)
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_BREAK_AFTER = (":", "?", "!", "—", "–")


@cache
def lexicon() -> tuple[frozenset[str], dict[str, list[tuple[str, ...]]]]:
    """Single proper nouns, and multi-word names indexed by their first word."""
    with open(data_path("proper_nouns.txt"), encoding="utf-8") as handle:
        text = handle.read()
    singles: set[str] = set()
    phrases: dict[str, list[tuple[str, ...]]] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        words = tuple(line.split())
        if len(words) == 1:
            singles.add(words[0])
        else:
            phrases.setdefault(words[0], []).append(words)
    for options in phrases.values():
        options.sort(key=len, reverse=True)
    return frozenset(singles), phrases


@lru_cache(maxsize=1 << 16)
def _core(word: str) -> str:
    """The word without surrounding punctuation or a possessive ending."""
    core = _EDGE.match(word).group(2)  # type: ignore[union-attr]
    return _POSSESSIVE.sub("", core)


def _is_capitalised(part: str) -> bool:
    return len(part) > 0 and part[0].isupper() and (len(part) == 1 or part[1:].islower())


def _keeps_own_case(part: str) -> bool:
    """Acronyms, mixed case and words with digits: `NHS`, `mHealth`, `COVID`, `H1N1`, `McDonald`.

    Written with str methods rather than per-character loops: this runs for every word of every
    title (see benchmarks/run.py).
    """
    if part.lower() == part.upper():  # no letters at all (numbers, punctuation)
        return True
    if _DIGIT.search(part):
        return True
    if part.isupper():
        return len(_LETTERS.findall(part)) >= 2
    rest = part[1:]
    return rest != rest.lower()


_DIGIT = re.compile(r"\d")
_LETTERS = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=1 << 16)
def _evidence(word: str) -> int:
    """0: says nothing about the title's case; 1: a lower-case significant word; 2: capitalised."""
    core = _core(word)
    if not core or core.lower() in MINOR_WORDS or not core[0].isalpha() or _keeps_own_case(core):
        return 0
    return 2 if core[0].isupper() else 1


def is_title_case(title: str) -> bool:
    """True when most significant words (outside protected spans) start with a capital."""
    significant = capitalised = 0
    for span in markup.parse(title):
        if "nocase" in span.styles:
            continue
        for word in _WORD.findall(span.text):
            evidence = _evidence(word)
            if evidence:
                significant += 1
                capitalised += evidence == 2
    # The first word is always capitalised; demand real evidence beyond it.
    return significant >= 3 and capitalised >= 0.75 * significant


def sentence_case(title: str) -> tuple[str, bool]:
    """Return (title in sentence case, whether a conversion was guessed).

    "Guessed" means the title was converted and carried no case protection at all, so proper
    nouns outside the lexicon may have been lowered.
    """
    if not is_title_case(title):
        return title, False
    phrases = lexicon()[1]
    spans = markup.parse(title)
    guessed = not any("nocase" in s.styles for s in spans)
    out: list[markup.Span] = []
    at_start = True
    for span in spans:
        if "nocase" in span.styles:
            out.append(span)
            at_start = _ends_clause(span.text.rstrip())
            continue
        # Even indexes hold words (possibly "" at the ends), odd ones the white space between.
        pieces = _SPACE_SPLIT.split(span.text)
        heads = False
        for i in range(0, len(pieces), 2):
            word = pieces[i]
            if word:
                pieces[i], ends, head = _word(word, at_start)
                heads = heads or head
                at_start = ends
        if heads:  # a multi-word proper noun may start here: keep those words as they were
            original = _SPACE_SPLIT.split(span.text)
            for index in _phrase_positions(original[0::2], phrases):
                pieces[index * 2] = original[index * 2]
        out.append(markup.Span("".join(pieces), span.styles))
    result = markup.unparse(out)
    return (result, guessed) if result != title else (title, False)


@lru_cache(maxsize=1 << 16)
def _ends_clause(word: str) -> bool:
    """After this word a new clause starts: `:`, `?`, `!`, a dash, or a sentence's full stop.

    A full stop counts only after a word of four or more letters (`spending.`), not after an
    abbreviation (`vs.`, `U.S.`, `St.`).
    """
    if word.endswith(_BREAK_AFTER):
        return True
    if word.endswith(".") and "." not in word[:-1]:
        return sum(c.isalpha() for c in word) >= 4
    return False


def _phrase_positions(words: list[str], phrases: dict[str, list[tuple[str, ...]]]) -> set[int]:
    keep: set[int] = set()
    cores = [_core(w) for w in words]
    for i, core in enumerate(cores):
        for phrase in phrases.get(core, ()):
            n = len(phrase)
            if tuple(cores[i:i + n]) == phrase:
                keep.update(range(i, i + n))
                break
    return keep


# Word-level results are cached: titles share most of their vocabulary (benchmarks/run.py).
@lru_cache(maxsize=1 << 16)
def _word(word: str, at_start: bool) -> tuple[str, bool, bool]:
    """(the word in sentence case, whether a clause ends after it, whether a lexicon phrase
    starts with it)."""
    singles, phrases = lexicon()
    return _lower_word(word, at_start, singles), _ends_clause(word), _core(word) in phrases


def _lower_word(word: str, at_start: bool, singles: frozenset[str]) -> str:
    """Lower a title-case word unless it must keep its capital; hyphen parts are judged apart."""
    lead, core, trail = _EDGE.match(word).groups()  # type: ignore[union-attr]
    parts = core.split("-")
    result = []
    for n, part in enumerate(parts):
        base = _POSSESSIVE.sub("", part)
        if (at_start and n == 0) or _keeps_own_case(part) or base in singles:
            result.append(part)
        elif _is_capitalised(part):
            result.append(part.lower())
        else:
            result.append(part)
    return lead + "-".join(result) + trail
