"""Structured abstracts written as text — `Methods: …` paragraphs, as every data format holds
them (BibTeX, RIS and CSL-JSON have one abstract string) — read back into labelled sections.

A paragraph is a section only when it starts with a label this module knows (the headings of
structured abstracts in the health literature: IMRaD, CONSORT/PRISMA/NLM categories, Milbank's
Policy Points) or an all-capital heading (`BACKGROUND:`), so a sentence that happens to contain a
colon stays text. PubMed's RIS and MEDLINE exports put every section in one paragraph
(`BACKGROUND: … METHODS: …`): all-capital headings split those too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from . import markup
from .model import Section

LABELS = frozenset(s.casefold() for s in (
    "Abstract", "Aim", "Aims", "Background", "Background and aims", "Case presentation",
    "Case report", "Clinical relevance", "Comment", "Conclusion", "Conclusions", "Context",
    "Data sources", "Data extraction", "Data synthesis", "Design", "Design and setting",
    "Discussion", "Evidence acquisition", "Evidence synthesis", "Exposure", "Exposures",
    "Findings", "Funding", "Implications", "Importance", "Interpretation", "Interventions",
    "Introduction", "Key points", "Limitations", "Main outcome measures",
    "Main outcomes and measures", "Materials and methods", "Measurements", "Meaning", "Methods",
    "Method", "Methodology", "Objective", "Objectives", "Observations", "Outcomes",
    "Participants", "Patients", "Patients and methods", "Policy points", "Population",
    "Practice implications", "Purpose", "Question", "Rationale", "Relevance", "Results",
    "Review methods", "Search methods", "Selection criteria", "Setting", "Settings",
    "Significance", "Study design", "Study selection", "Summary", "Trial registration",
))
_HEAD = re.compile(r"([A-Z][A-Za-z ,&/()-]{1,60}?):\s+")
_INLINE_HEAD = re.compile(r"(?<=[.!?])\s+([A-Z][A-Za-z ,&/()-]{1,60}?):\s+")
_CAPS_HEAD = re.compile(r"(?:^|(?<=[.!?]\s))([A-Z][A-Z ,&/()-]{2,60}[A-Z)]):\s+")


# The words known headings are made of: a heading made only of them is one too, however they are
# combined (`Background and aim`, `Design, setting, and participants`, `Material and method`).
_LABEL_WORDS = frozenset(w for label in LABELS for w in re.findall(r"[a-z]+", label)) | {"aim"}


_WORD = re.compile(r"[^\W\d_]+")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# What follows the first capital of an all-capital heading (`_CAPS_HEAD`).
_CAPS_FOLLOW = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ ,&/()-")


def _is_label(text: str) -> bool:
    return _known(text) or (text.isupper() and len(text) > 2)


@lru_cache(maxsize=1 << 10)  # a library's abstracts use a few dozen headings
def _known(text: str) -> bool:
    folded = text.casefold()
    if folded in LABELS:
        return True
    words = _WORD.findall(folded)
    return bool(words) and all(w in _LABEL_WORDS for w in words)


def sections_from_text(text: str) -> tuple[Section, ...]:
    """Paragraphs (split on blank lines) → sections; unlabelled paragraphs join the section
    before them (or an unlabelled first section)."""
    if markup.folded(text):
        # One paragraph with its white space folded already (printable text holds no white
        # space but the space), the common case.
        return sections_from_line(text)
    return _sections_of([" ".join(p.split()) for p in _PARAGRAPH_BREAK.split(text)
                         if p.strip()])


def sections_from_line(text: str) -> tuple[Section, ...]:
    """sections_from_text for a text its caller knows to be one paragraph with its white space
    folded (single spaces, none at either end, no other white space: what markup.squash_space
    returns), printable or not, such as every value of the RIS reader's tag table: without
    sections_from_text's check of every character (markup.folded), which on the 1,254
    abstracts of real-10000.ris that hold a `: ` cost ~90M instructions. Without `: ` it has
    no heading (_split_caps), so it is one section (most abstracts).
    tests/test_ris_shortcuts.py holds the two to the same answer."""
    # `":" not in` first: most abstracts hold no `:` at all, which one memchr tells, where
    # `": " in` alone steps through the whole text a character at a time (~8 instructions
    # each; the 5,170 abstracts of real-10000.ris without a `: `: ~40M).
    if ":" not in text or ": " not in text:
        return (Section(None, (text,)),) if text else ()
    # One paragraph's pieces are all headed, or one unheaded piece: none joins another
    # (_sections_of), so each is a section.
    return tuple(_split_caps(text))


def _sections_of(paragraphs: list[str]) -> tuple[Section, ...]:
    """Folded paragraphs → sections (sections_from_text)."""
    out: list[tuple[str | None, list[str]]] = []
    for paragraph in paragraphs:
        for label, (body,) in _split_caps(paragraph):
            if label is None and out:
                out[-1][1].append(body)
            else:
                out.append((label, [body]))
    return tuple(Section(label, tuple(body)) for label, body in out)


def _split_caps(paragraph: str) -> list[Section]:
    """`BACKGROUND: a. METHODS: b.` → [(BACKGROUND, a.), (METHODS, b.)]; `Methods: b.` →
    [(Methods, b.)]; anything else → [(None, paragraph)]: sections of one paragraph each. The
    paragraph's white space is folded (single spaces), so every heading is followed by `: `:
    the regex scans, which try a match at every character, run only on paragraphs that hold one
    (on the real exports of benchmarks/run.py, 1,253 of 6,538 abstracts hold a `: `, fewer an
    all-capital one)."""
    if ":" not in paragraph or ": " not in paragraph:  # as in sections_from_line
        return [Section(None, (paragraph,))]
    # All-capital headings split the paragraph only when one opens it; the others are looked
    # for only then. One opens it only if its second character can follow the first capital:
    # most paragraphs with a `: ` (`Background: …`) are ruled out without a match.
    first = _CAPS_HEAD.match(paragraph) if paragraph[1:2] in _CAPS_FOLLOW else None
    if first and _is_label(first.group(1)):
        return _sectioned(paragraph, first, _at_sentences(paragraph, 0, _CAPS_HEAD, 1, _is_label))
    lead = _HEAD.match(paragraph)
    # The heading's match ends after all the white space that follows it (`\s+`, the characters
    # str.strip takes), so text follows it exactly when the match ends before the paragraph
    # does: no copy of the rest to strip.
    if lead and lead.end() < len(paragraph) and _known(lead.group(1)):
        # A paragraph that opens with a known heading may hold the next sections too, as one-line
        # formats write them (RIS `AB  - Background: … Methods: …`): split at known headings that
        # follow the end of a sentence.
        return _sectioned(paragraph, lead,
                          _at_sentences(paragraph, lead.end(), _INLINE_HEAD, 0, _known))
    return [Section(None, (paragraph,))]


def _sectioned(paragraph: str, lead: re.Match[str],
               heads: list[tuple[int, int, str]]) -> list[Section]:
    """The paragraph cut at its headings (`lead` opens it, `heads` follow): a section for each
    heading with text after it. The heading is its label as written (`BACKGROUND` stays in
    capitals, so that writing the abstract back, `BACKGROUND: …`, reads back the same); the
    patterns' headings start with a capital and end with a letter or `)`, so they hold no white
    space to strip."""
    begin, heading = lead.end(), lead.group(1)
    out = []
    for start, end, following in heads:
        body = paragraph[begin:start].strip()
        if body:
            out.append(Section(heading, (body,)))
        begin, heading = end, following
    body = paragraph[begin:].strip()
    if body:
        out.append(Section(heading, (body,)))
    return out


# Up to the space after the last `.`, `!` or `?` followed by a space (_at_sentences).
_LAST_SENTENCE_END = re.compile(r".*[.!?] ", re.DOTALL)


def _at_sentences(paragraph: str, start: int, head: re.Pattern[str], shift: int,
                  is_label: Callable[[str], bool]) -> list[tuple[int, int, str]]:
    """The matches of `head` (`_INLINE_HEAD`, or `_CAPS_HEAD` with `shift` 1) at the ends of
    sentences of a folded paragraph, from `start` on, whose heading `is_label`, as (start,
    end, heading): where `finditer` finds them, without a match attempt at every character.
    Both patterns can match only at the space after a `.`, `!` or `?` (plus `shift`), their
    headings hold none of these marks and at most 62 characters, and end at a `: `. So each
    match ends at a `: ` whose heading starts at the last sentence end before it, at most 64
    characters back: one attempt there per `: ` (the first of those that share that sentence
    end), instead of one per sentence as before (on the 1,254 abstracts of real-10000.ris with
    a `: `: ~60M fewer instructions, most of them the regex's). tests/test_abstracts.py
    compares the two.

    The `: `s are found as `:`s (one memchr each) followed by a space: str.find of the two
    characters steps through the text a character at a time (~8 instructions each), and the
    text between one `: ` and the next is most of the paragraph. The last sentence end before
    one is most often the last space before it (`… outcomes. Methods: `), which one str.rfind
    finds (a memrchr); else it is one match of _LAST_SENTENCE_END (which runs to the window's
    end and steps back to it) rather than three rfinds and a max(): ~1.3 -> ~0.5 us a `: `
    (timeit). With the rfind, and the matches read once into (start, end, heading) and the
    sections made from them (_sectioned) without a list of (label, body) pairs between:
    callgrind, RIS -> BibTeX, records-10000.ris 3,992M -> 3,906M, real-10000.ris 5,003M ->
    4,991M."""
    found = []
    tried = -1
    last = len(paragraph) - 1  # a `:` there has no space after it
    colon = paragraph.find(":", start)
    while colon >= 0:
        if colon < last and paragraph[colon + 1] == " ":
            low = max(colon - 64, start - 1, 0)
            space = paragraph.rfind(" ", low, colon)
            if space <= low or paragraph[space - 1] not in ".!?":  # not a sentence's end
                ends = _LAST_SENTENCE_END.match(paragraph, low, colon)
                space = ends.end() - 1 if ends else 0
            if space and space != tried:
                tried = space
                match = head.match(paragraph, space + shift)
                if match:
                    heading = match.group(1)
                    if is_label(heading):
                        found.append((match.start(), match.end(), heading))
        colon = paragraph.find(":", colon + 1)
    return found


def split_policy_points(sections: tuple[Section, ...]) -> tuple[tuple[Section, ...],
                                                               tuple[str, ...]]:
    """A `Policy Points` section (Milbank's) is the record's Policy Points, not an abstract
    section."""
    points: tuple[str, ...] = ()
    kept = []
    for section in sections:
        if section.label and section.label.casefold() == "policy points":
            points += section.paragraphs
        else:
            kept.append(section)
    return tuple(kept), points
