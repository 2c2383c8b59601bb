"""Field values shared by the data formats (BibTeX, BibLaTeX, RIS, CSL-JSON)."""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Iterator, Sequence, Set

from .. import markup
from ..model import Record
from ..words import MINOR_WORDS


def abstract_paragraphs(record: Record) -> list[str]:
    """The abstract as plain paragraphs, each labelled section as `Label: text`."""
    out = []
    for section in record.abstract:
        for n, paragraph in enumerate(section.paragraphs):
            text = markup.plain(paragraph)
            if section.label and n == 0:
                text = f"{section.label}: {text}"
            out.append(text)
    return out


def ascii_fold(text: str) -> str:
    """`Ødegård` → `Odegard`, `张伟` → `ZhangWei`, `Иванов` → `Ivanov`: for citation keys, which
    must be ASCII. anyascii transliterates every script (a name in Chinese or Cyrillic gives a
    key, not `anon`); it is imported only for text that is not ASCII already."""
    if text.isascii():
        return text
    from anyascii import anyascii

    return anyascii(text)


_NOT_IN_KEY_WORD = re.compile(r"[^a-z0-9]")


def _key_word(text: str) -> str:
    return _NOT_IN_KEY_WORD.sub("", ascii_fold(text).lower())


def base_key(record: Record) -> str:
    """`mathers2014challenge`: first author's family name, year, first significant title word."""
    first = record.author[0] if record.author else None
    who = ""
    if first is not None:
        who = _key_word(first.family or first.literal or "")
        if first.literal and not first.family:
            who = _key_word((first.literal or "").split()[0])
    word = next((w for w in markup.plain(record.title).split() if w.lower() not in MINOR_WORDS),
                None)  # the first only: not every word of the title looked up
    what = _key_word(word) if word is not None else ""
    return (who or "anon") + str(record.year or "") + what


# What BibTeX, biber, bibtexparser and pybtex all accept in a key (no space, comma, brace,
# quote, `#`, `%`, `=`, parenthesis or backslash).
_KEY = re.compile(r"[A-Za-z0-9_:.+/'!?&*;<>@\[\]|-]+")


def citation_keys(records: Iterable[Record]) -> Iterator[tuple[Record, str]]:
    """Each record with a unique ASCII key, in input order: the second `mathers2014challenge`
    becomes `mathers2014challengea`, then `…b`. A key the input already had (BibTeX, CSL-JSON
    `id`, RIS `ID`) is kept when it is a valid ASCII key: documents cite those keys."""
    seen: set[str] = set()
    # How many letter suffixes of a key are taken: the next record with that key starts there
    # instead of trying `a`, `b`, … again (the 125th `anon` of a library tried 124 keys; on the
    # 10,000 real RIS records of benchmarks/run.py the keys took ~7 ms instead of ~2).
    suffixes: dict[str, int] = {}
    for record in records:
        own = record.id
        # ASCII letters and digits (`13263`, most keys a file gives) are a valid key without
        # the pattern's match (~1 us each: ~7 ms on the 10,000 real RIS records)
        key = base = own if own and (own.isascii() and own.isalnum() or _KEY.fullmatch(own)) \
            else base_key(record)
        if key in seen:
            key, suffixes[base] = _free_suffix(base, seen, suffixes.get(base, 0))
        seen.add(key)
        yield record, key


def keys_beside(records: Sequence[Record], taken: Set[str]) -> list[str]:
    """Keys for records added to a file whose keys are `taken` (`--append`): a key the input
    gave is kept unless the file or an earlier record has it; any other record gets a key that
    neither the file nor any key the input gave uses (`mathers2014challengea`, `…b`)."""
    given = [r.id if r.id and _KEY.fullmatch(r.id) else None for r in records]
    used = set(taken)
    blocked = used | {key for key in given if key}  # what a made-up key must not be
    out = []
    for record, own in zip(records, given, strict=True):
        key = own if own and own not in used else free_key(own or base_key(record), blocked)
        used.add(key)
        blocked.add(key)
        out.append(key)
    return out


def free_key(base: str, taken: Container[str]) -> str:
    """`base`, or `base` with the first letters (`a`, `b`, …, `z`, `aa`) that make a key not in
    `taken`."""
    return _free_suffix(base, taken, 0)[0] if base in taken else base


def _free_suffix(base: str, taken: Container[str], n: int) -> tuple[str, int]:
    """`base` with the first letters from the `n`th on (`letters(n)`) that make a key not in
    `taken`, and how many suffixes are taken up to and with it."""
    key = base + letters(n)
    while key in taken:
        n += 1
        key = base + letters(n)
    return key, n + 1


def letters(n: int) -> str:
    out = ""
    n += 1
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(ord("a") + rem) + out
    return out
