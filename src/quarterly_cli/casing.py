"""Sentence case for article titles (APA 7 §6.17, AMA 11 §3.9, Citing Medicine ch. 1).

CSL processors print titles as stored, and Crossref stores them in title case, so every CSL-based
tool prints `The Challenge of Implementing …` where APA wants `The challenge of implementing …`.
The rule here is that a conversion must never make a correct title wrong, so a title is converted
only when it is clearly in title case: no significant word is in lower case, apart from the words
title case itself keeps lower (`words.KEPT_LOWER`: particles, `v.`, Latin; the second half of a
hyphenated compound; species epithets after a genus; units after a number; anything in italics).
Titles in another language are left alone: the record's `language` when it is not English,
otherwise a cheap check of function words and script (Crossref labels some German titles `en`).

A conversion lowers a word only when it is capitalised (`Care`, not `NHS`, `mHealth`, `Al2O3`,
`3-D`, `CD4+`) and keeps:

- the first word, and the first word after a colon, question mark, exclamation mark, dash or a
  full stop that ends a sentence (`CTA #17. Concrete corbels`);
- single letters and initials (`Influenza A`, `T cells`, `Vitamin D`, `Howard E.`);
- names: the lexicon in `data/proper_nouns.txt`, capitalised words from elsewhere in the record
  (`names`: authors, container title, publisher), words with accents (`Brønsted`), the part before
  a name in a hyphenated word (`Rij-Rousseau`, but `non-Hodgkin`), words around initials and
  particles (`Howard E. 'Rocky' Stone`, `Rosén von Rosenstein`), after an honorific (`St. Thomas`),
  and the words that spell a following acronym (`Multicenter … Study (MIDAS)`);
- a noun numbering a series (`Target 6.3`, `Part 1`);
- text in case-protected spans (`<span class="nocase">`), and the first word of an italic span (a
  genus: `<i>Helicobacter pylori</i>`).

The output differs from the input in letter case only: markup and spacing are kept byte for byte.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from functools import cache, lru_cache, reduce
from itertools import chain
from operator import attrgetter, or_
from typing import TYPE_CHECKING, NamedTuple

from . import data_path, markup
from .memo import Memo
from .words import (
    ABBREVIATIONS,
    COMPOUND_ENDINGS,
    HONORIFICS,
    KEPT_LOWER,
    LOANWORDS,
    MINOR_WORDS,
    NAME_PARTICLES,
    NAMED_HEADS,
    PREFIXES,
    SERIES_NOUNS,
    TITLE_CASE_LOWER,
)

if TYPE_CHECKING:
    from .model import Name, Record

# Words are separated by white space or an em dash (`age—United States`); the separators are kept.
_SEP = re.compile(r"(\s*[—―]\s*|\s+)")
# Parts of a compound: hyphens (ASCII, U+2010, U+2011), an en dash inside a word, a slash.
_JOIN = re.compile(r"([-‐‑–/])")
_EDGE = re.compile(r"^([^\w]*)(.*?)([^\w]*)$")
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_DIGIT = re.compile(r"\d")
_LETTER = re.compile(r"[^\W\d_]")
_NUMBER = re.compile(r"^(?:\d+(?:[.,]\d+)*|[IVX]+)$")
_BREAK_AFTER = (":", "?", "!", "—", "–", "―")
_DASHES = frozenset("-–—―")
_FULL_STOPS = frozenset((".", ".”", ".’", '."', ".'"))
_QUOTES = "'‘’\"“”"
# Latin endings of species epithets (`melanogaster`, `pylori`, `aureus`, `coli`, `elegans`).
_EPITHET = re.compile(r"(?:a|ae|i|ii|us|um|is|es|ans|ens|ensis|oides|ica|icus|icum|ata|atus|osa|osus)$")
# Latin letters with diacritics (Latin-1 Supplement to Latin Extended-B, less × and ÷).
_ACCENTED = re.compile(r"[À-ÖØ-öø-ɏ]")
_LIGATURES = frozenset("æœÆŒ")
# Taxa above the genus are capitalised in both styles (ICZN, ICN, ICTV): families, orders.
_TAXON = re.compile(r"(?:viridae|virinae|aceae|idae|iformes|oidea|ptera|phyta|mycota|mycetes)$")


class Phrase(NamedTuple):
    keys: tuple[str, ...]  # each word without punctuation or possessive, in lower case
    words: tuple[str, ...]  # as written: a capitalised word is kept, a lower-case one lowered


class Lexicon(NamedTuple):
    singles: frozenset[str]
    genera: frozenset[str]  # `Drosophila`, `Helicobacter`
    # Names of several words as written, by the key of their first word. A phrase is written in
    # sentence case, so it also says which words to lower: `Down syndrome`, `guinea pig`.
    phrases: dict[str, list[str]]


def _phrase(words: Iterable[str]) -> Phrase:
    words = tuple(words)
    return Phrase(tuple(w.lower() if w.isalpha() else _key(w) for w in words), words)


def _key(word: str) -> str:
    """The word without surrounding punctuation or possessive, in lower case."""
    return _base(_EDGE.match(word).group(2)).lower()  # type: ignore[union-attr]


# The section headers of data/proper_nouns.txt, as scripts/build_lexicon.py writes them.
SECTIONS = (
    "# Names of one word",
    "# Genera: a lower-case word after one is its species epithet, no evidence of sentence case",
    "# Names of several words, matched as a whole and written in sentence case (`Down syndrome`)",
)


@cache
def lexicon() -> Lexicon:
    """The proper nouns shipped in data/proper_nouns.txt (generated by scripts/build_lexicon.py).

    Read on the first title `cite` converts, so kept cheap: the file is three plain lists.
    """
    with open(data_path("proper_nouns.txt"), encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    one, genus, several = (lines.index(header) for header in SECTIONS)
    phrases: dict[str, list[str]] = {}
    for line in lines[several + 1:]:
        first = line.split(" ", 1)[0]
        phrases.setdefault(first.lower() if first.isalpha() else _key(first), []).append(line)
    return Lexicon(
        frozenset(chain(lines[one + 1:genus], lines[genus + 1:several])),
        frozenset(lines[genus + 1:several]),
        phrases,
    )


@lru_cache(maxsize=1 << 10)
def _phrases(key: str) -> tuple[Phrase, ...]:
    """The lexicon's phrases that start with this key, longest first (parsed when first needed)."""
    found = [_phrase(line.split()) for line in lexicon().phrases.get(key, ())]
    return tuple(sorted(found, key=lambda phrase: len(phrase.keys), reverse=True))


# --- Language ---------------------------------------------------------------------------------

# Function words of other languages that English titles do not use. German comes first: German
# capitalises its nouns, so a German title in sentence case looks like English in title case.
_FOREIGN = frozenset(
    # German
    "der das und des dem ein eine einer eines einem einen mit für über auf zur zum bei ist nicht "
    "durch ihre ihrer ihren sich oder vom im aus nach zwischen gegen ohne wie beim sowie auch wird "
    "werden sind als unter vor zu von neue neuen seine seiner bzw "
    # French
    "le les du et pour dans sur une avec aux au est par entre sous leur leurs ses ces cette sont "
    "selon chez vers lors "
    # Spanish, Portuguese, Italian
    "el los las del y para con por una según sobre sus como hacia desde más os dos das em com "
    "na nas nos pela pelo ao aos à não il della delle dei degli nel nella nelle gli sul sulla alla "
    "alle uno tra fra la de "
    # Dutch, Indonesian
    "het een voor bij naar niet zijn uit tussen dan untuk dengan yang dari pada dalam terhadap "
    "sebagai oleh".split()
)
_ENGLISH = frozenset(
    "the of and in for with on to from by at is are an its their this that these between using "
    "among into after through toward towards versus via how what why when does can not or as "
    "based study analysis effect effects new novo vitro vivo situ".split()
)
_ELISION = re.compile(r"^(?:l|d|qu)['’]")


def _is_english(language: str | None) -> bool:
    """The record's CSL `language` says English, or says nothing."""
    if not language or not language.strip():
        return True
    return re.split(r"[-_\s]", language.strip().lower())[0] in ("en", "eng", "english")


def _looks_foreign(words: list[_Word], texts: list[str]) -> bool:
    """A cheap check that an unlabelled (or mislabelled) title is not English."""
    foreign = english = 0
    for word in words:
        if word.language:
            if word.language > 0:
                foreign += 1
            else:
                english += 1
    if foreign >= 2 and foreign > english:
        return True
    text = "".join(texts)
    if text.isascii():
        return False
    letters = _LETTER.findall(text)
    if foreign and not english and any(_ACCENTED.match(c) for c in letters):
        return True  # `Krebsbekämpfung durch Prävention`
    latin = sum(c < "ɐ" for c in letters)
    return latin < 0.7 * len(letters)  # Cyrillic, Greek, CJK …


# --- One word ---------------------------------------------------------------------------------
# Everything about a word that does not depend on its neighbours is computed once and cached:
# titles share most of their vocabulary (benchmarks/run.py runs this for every record).

_LOWER, _CAPITAL = 1, 2  # evidence: a lower-case significant word, a capitalised one

# Word kinds used by the rules that look at neighbours.
_INITIAL, _PARTICLE, _HONORIFIC, _SERIES, _NUMERAL, _QUOTED, _GENUS_ABBR, _GENUS_WORD, _OPENS_QUOTE = (
    1 << n for n in range(9)
)


class _Word(NamedTuple):
    key: str  # the word without punctuation or possessive, in lower case
    evidence: int  # 0, _LOWER or _CAPITAL
    capitalised: bool  # starts with a capital, rest lower case: a candidate for lowering
    ends: bool  # a clause ends after it
    kinds: int  # bit set of the kinds above
    acronym: str  # the letters of a parenthesised acronym, `(MIDAS)` → `MIDAS`
    initials: str  # what it would give to an acronym: `Accessibility` → `A`, `AI-Based` → `AIB`
    bases: frozenset[str]  # the core and its compound parts, possessive removed
    possessive: bool  # `Smith's`, `Thomas’`
    language: int  # 1: a function word of another language, -1: of English, 0: neither
    phrase_head: bool  # a lexicon phrase may start here


def _parts(core: str) -> list[str]:
    return _JOIN.split(core)[0::2]


def _base(part: str) -> str:
    return _POSSESSIVE.sub("", part)


def _is_capitalised(part: str) -> bool:
    return len(part) > 0 and part[0].isupper() and (len(part) == 1 or part[1:].islower())


def _keeps_own_case(part: str) -> bool:
    """Never lowered: no letters, digits, one letter, acronyms, internal capitals.

    `3-D`, `Al2O3`, `CD4+`, `A`, `B's`, `NHS`, `mHealth`, `McDonald`, `DL-Learner`'s `DL`. Written
    with str methods rather than per-character loops: it runs for every part of every word.
    """
    base = _base(part)
    if base.lower() == base.upper():  # no letters at all (numbers, punctuation)
        return True
    if _DIGIT.search(base) or len(_LETTER.findall(base)) == 1:
        return True
    if base.isupper():
        return True
    rest = base[1:]
    return rest != rest.lower()


def _is_name(part: str, singles: Container[str]) -> bool:
    base = _base(part)
    if base in singles:
        return True
    # An accent marks a name (`Barré`, `Brønsted`, `Šumava`) unless the word is an English loanword
    # or its only unusual letters are the ligatures of British spelling (`Pædiatrics`).
    accents = _ACCENTED.findall(base)
    return bool(accents) and base.lower() not in LOANWORDS and not set(accents) <= _LIGATURES


def _word_of(word: str) -> _Word:
    if word.isdigit() and word.isascii():
        # A bare number (`2020`, a title's trailing `12`) is what the general path below makes
        # of it, without its regular expressions: a CLI run over 10,000 titles met ~10,000
        # distinct numbers, ~70% of the cache misses here (tests/test_casing.py holds it to
        # `_read_word`).
        return _Word(word, 0, False, False, _NUMERAL, "", word[0], frozenset((word,)), False, 0,
                     word in lexicon().phrases)
    if word.isalpha() and word.isascii():
        return _letters_word(word)
    return _read_word(word)


def _letters_word(word: str) -> _Word:
    """`_read_word` of a word of ASCII letters alone (`Trial`, `rural`: 3,495 of the 4,224 words
    other than numbers that the mixed library's titles first meet), without the regular
    expressions that find punctuation, possessives and compound parts, since it has none: it is
    its own core, base and only part. ~11 -> ~5 us a word (process time);
    tests/test_casing_properties.py holds `_word_of` to `_read_word`."""
    key = word.lower()
    kinds = _NUMERAL if not word.strip("IVX") else 0  # a Roman numeral (`_NUMBER`)
    if word == key and key in NAME_PARTICLES:
        kinds |= _PARTICLE
    if key in HONORIFICS and word[0].isupper():
        kinds |= _HONORIFIC
    capitalised = _is_capitalised(word)
    if key in SERIES_NOUNS and capitalised:
        kinds |= _SERIES
    if key in ("genus", "subgenus"):
        kinds |= _GENUS_WORD
    return _Word(
        key=key,
        evidence=_evidence(word, [word]),
        capitalised=capitalised,
        ends=False,  # no punctuation after it
        kinds=kinds,
        acronym="",  # not in brackets
        initials=word if word.isupper() and len(word) > 1 else word[0].upper(),
        bases=frozenset((word,)),
        possessive=False,
        language=1 if key in _FOREIGN else -(key in _ENGLISH),  # (no elision without an apostrophe)
        phrase_head=key in lexicon().phrases,
    )


# Titles share most of their vocabulary: each word is read once (`_word[text]`).
_word: Memo[str, _Word] = Memo(_word_of, 1 << 16)


def _read_word(word: str) -> _Word:
    lead, core, trail = _EDGE.match(word).groups()  # type: ignore[union-attr]
    base = _base(core)
    key = base.lower()
    parts = _parts(core)
    kinds = 0
    if len(core) == 1 and core.isupper() and trail.startswith("."):
        kinds |= _INITIAL | _GENUS_ABBR  # `Howard E. Stone`, `E. coli` (not `U.S.`)
    if core and core == key and key in NAME_PARTICLES:
        kinds |= _PARTICLE
    if key in HONORIFICS and base[:1].isupper():
        kinds |= _HONORIFIC
    if key in SERIES_NOUNS and _is_capitalised(base):
        kinds |= _SERIES
    if key in ("genus", "subgenus"):
        kinds |= _GENUS_WORD  # `the Genus Emphor`
    if lead[-1:] in ("“", '"'):
        kinds |= _OPENS_QUOTE
    if _NUMBER.match(core) or (core[:1].isdigit() and not _LETTER.search(core)):
        kinds |= _NUMERAL
    if lead and trail and lead[-1] in _QUOTES and trail[0] in _QUOTES:
        kinds |= _QUOTED
    acronym = ""
    if lead.endswith("(") and trail.startswith(")") and len(base) >= 2:
        letters = base[:-1] if base.endswith("s") and base[:-1].isupper() else base
        acronym = letters if letters.isupper() and letters.isalpha() else ""
    initials = "".join(p if p.isupper() and len(p) > 1 else p[:1].upper() for p in parts if p)
    return _Word(
        key=key,
        evidence=_evidence(core, parts),
        capitalised=any(_is_capitalised(_base(p)) for p in parts),
        ends=_ends_clause(word, core, trail),
        kinds=kinds,
        acronym=acronym,
        initials=initials,
        bases=frozenset({base, *map(_base, parts)}),
        possessive=base != core,
        language=1 if key in _FOREIGN or _ELISION.match(key) else -(key in _ENGLISH),
        phrase_head=key in lexicon().phrases,
    )


def _evidence(core: str, parts: list[str]) -> int:
    """What a word says about the title's case: nothing (0), sentence case, or title case."""
    if not core or "." in core or "@" in core or "_" in core or core.lower() in TITLE_CASE_LOWER:
        return 0  # `U.S.`, `e.g.`, `d3.js`, addresses; minor words go either way
    for n, part in enumerate(parts):
        base = _base(part)
        low = base.lower()
        if _keeps_own_case(part) or low in TITLE_CASE_LOWER:
            continue  # `3-D`, `CD4+`, `T-Cell`'s `T`, `Head-to-Head`'s `to`: look further
        if base[0].isupper():
            return _CAPITAL
        if low in KEPT_LOWER:
            return 0
        if low in PREFIXES and any(p[:1].isupper() for p in parts[n + 1:]):
            return 0  # `non-Hodgkin`
        return _LOWER  # the first half decides: title case keeps `Follow-up` as often as not
    return 0


def _ends_clause(word: str, core: str, trail: str) -> bool:
    """After this word a new clause starts: `:`, `?`, `!`, a dash, or a sentence's full stop.

    A full stop ends a sentence after a word of four or more letters (`spending.`), a number
    (`#17.`) or an acronym (`NICU.`), not after an abbreviation (`vs.`, `U.S.`, `St.`, `Suppl.`).
    """
    if word.endswith(_BREAK_AFTER) or word in _DASHES or word == ".":
        return True
    if trail not in _FULL_STOPS or "." in core:
        return False  # `Balf.)` is an abbreviation inside brackets
    if core.isdigit() or (len(core) >= 2 and core.isupper() and core.isalpha()):
        return True
    return len(core) >= 4 and core.isalpha() and core.lower() not in ABBREVIATIONS


def _lowered_inside(word: str) -> str:
    """The word in sentence case, as far as the word alone can tell (with the shipped lexicon)."""
    return _lower_word(word, False, lexicon().singles)


def _lowered_first(word: str) -> str:
    """`_lowered_inside` for a word that starts a title or a clause."""
    return _lower_word(word, True, lexicon().singles)


# `_lowered[at_start][word]`: a word's sentence case, cached per word (titles share their words).
_lowered: tuple[Memo[str, str], Memo[str, str]] = (
    Memo(_lowered_inside, 1 << 16), Memo(_lowered_first, 1 << 16))


def _lower_word(word: str, at_start: bool, singles: Container[str]) -> str:
    lead, core, trail = _EDGE.match(word).groups()  # type: ignore[union-attr]
    if not core or core in singles or _base(core) in singles or "™" in trail or "®" in trail:
        return word  # `Kaplan-Meier`, `Sub-Saharan`, `Xyce™`
    pieces = _JOIN.split(core)
    parts = pieces[0::2]
    names = [_is_name(p, singles) for p in parts]
    for n, part in enumerate(parts):
        base = _base(part)
        low = base.lower()
        if (at_start and n == 0) or names[n] or _keeps_own_case(part):
            continue
        if n + 1 < len(parts) and names[n + 1] and low not in PREFIXES:
            continue  # `Rij-Rousseau`, `Guillain-Barré`; but `non-Hodgkin`, `post-Kawasaki`
        if n and _is_acronym(parts[n - 1]) and not low.endswith(COMPOUND_ENDINGS):
            continue  # `DL-Learner`, `RNA-Seq`; but `AI-Based`, `HIV-Positive`
        if _TAXON.search(low):
            continue  # `Podoviridae`, `Enterobacteriaceae`, `Hominidae`
        if _is_capitalised(base) and len(part.lower()) == len(part):
            pieces[2 * n] = part.lower()
    return lead + "".join(pieces) + trail


class _Either(Container[str]):
    """Membership in the lexicon's names or the record's: `lexicon().singles | singles` copied
    the lexicon's ~23,000 names into a new set for every word a record vouches for."""

    __slots__ = ("lexicon", "record")

    def __init__(self, lexicon: frozenset[str], record: set[str]) -> None:
        self.lexicon = lexicon
        self.record = record

    def __contains__(self, word: object) -> bool:
        return word in self.lexicon or word in self.record


def _is_acronym(part: str) -> bool:
    """Two or more capitals, with digits or lower-case letters inside (`DL`, `PDL1`, `mRNA`)."""
    return sum(c.isupper() for c in part) >= 2


# --- A title ----------------------------------------------------------------------------------

class _Title(NamedTuple):
    texts: list[str]  # the words as written (possibly "")
    seps: list[str]  # the separators between them: one fewer than texts
    spaced: bool  # every separator is one space
    # The markup, by word index: a title without markup (most titles) has none of it, so that
    # reading it builds no list per word.
    protected: AbstractSet[int]  # words wholly inside `<span class="nocase">`
    masks: Mapping[int, tuple[bool, ...]]  # per letter, of words with a letter in a nocase span
    italic: AbstractSet[int]  # words that start inside `<i>`
    runs: list[tuple[int, int]] | None  # where the plain text sits in the rich text, if marked up


_NO_WORDS: frozenset[int] = frozenset()
_NO_MASKS: Mapping[int, tuple[bool, ...]] = {}


def _text_runs(title: str) -> list[tuple[int, int, frozenset[str]]]:
    """(start, end, styles) of each run of text in the rich text, as `markup.parse` reads it but
    with offsets into the original, so that the output keeps the markup exactly as it came.

    It reads markup's own tag tables, so both agree on what is a tag; `_read` checks that they
    agree on the text, and leaves a title alone if they ever do not.
    """
    runs: list[tuple[int, int, frozenset[str]]] = []
    stack: list[str] = []
    pos = 0
    for token in markup._TOKEN.split(title):
        if token in markup._TAGS:
            stack.append(markup._TAGS[token])
        elif token in markup._CLOSE and stack and stack[-1] == markup._CLOSE[token]:
            stack.pop()
        elif token:
            runs.append((pos, pos + len(token), frozenset(stack)))
        pos += len(token)
    return runs


def _split(text: str) -> tuple[list[str], list[str], bool]:
    if "  " not in text and "—" not in text and "―" not in text and text.isprintable():
        texts = text.split(" ")  # the common case, without a regular expression
        return texts, [" "] * (len(texts) - 1), True
    pieces = _SEP.split(text)
    return pieces[0::2], pieces[1::2], False


def _read(title: str) -> _Title | None:
    if "<" not in title:
        texts, seps, spaced = _split(title)
        return _Title(texts, seps, spaced, _NO_WORDS, _NO_MASKS, _NO_WORDS, None)
    runs = _text_runs(title)
    plain = "".join(title[start:end] for start, end, _ in runs)
    if plain != markup.plain(title):
        return None  # markup this module does not understand: leave the title alone
    styles: list[frozenset[str]] = []
    for start, end, style in runs:
        styles.extend([style] * (end - start))
    texts, seps, spaced = _split(plain)
    protected: set[int] = set()
    masks: dict[int, tuple[bool, ...]] = {}
    italic: set[int] = set()
    offset = 0
    for i, (text, sep) in enumerate(zip(texts, [*seps, ""], strict=True)):
        inside = styles[offset:offset + len(text)]
        mask = tuple("nocase" in s for s in inside)
        # A word only partly protected (`{M}-Matrices`) may change outside its protected letters.
        if mask and all(mask):
            protected.add(i)
        if any(mask):
            masks[i] = mask
        if inside and "i" in inside[0]:
            italic.add(i)
        offset += len(text) + len(sep)
    return _Title(texts, seps, spaced, protected, masks, italic,
                  [(start, end) for start, end, _ in runs])


def is_title_case(title: str) -> bool:
    """True when the title is clearly in title case: no significant word is in lower case (apart
    from the words title case keeps lower) and at least three are capitalised."""
    read = _read(title)
    return read is not None and _is_title_case(read, list(map(_word.__getitem__, read.texts)))


_EVIDENCE = attrgetter("evidence")


def _is_title_case(title: _Title, words: list[_Word]) -> bool:
    """At least three capitalised words and no lower-case one (outside case protection) that
    title case would not keep lower. Read from the words' evidence as a list (one C-level pass,
    then list methods): run for every title, most of them never converted."""
    evidence = list(map(_EVIDENCE, words))
    for i in title.protected:
        evidence[i] = 0
    if evidence.count(_CAPITAL) < 3:
        return False
    return _LOWER not in evidence or all(
        _kept_lower_here(title, words, i) for i, found in enumerate(evidence) if found == _LOWER)


def _kept_lower_here(title: _Title, words: list[_Word], i: int) -> bool:
    """A lower-case word that title case would keep lower in this place: in italics (epithets,
    foreign terms), after an abbreviated genus (`E. coli`), an epithet after a genus the lexicon
    knows (`Drosophila melanogaster`), or a short unit after a number (`10 mg`)."""
    if i in title.italic or i == 0:
        return i in title.italic
    before = words[i - 1]
    key = words[i].key
    if before.kinds & _GENUS_ABBR:
        return True
    if before.kinds & _NUMERAL and len(key) <= 3:
        return True
    return not before.bases.isdisjoint(lexicon().genera) and bool(_EPITHET.search(key))


# --- Names from the record --------------------------------------------------------------------

# Words that make a string an institution or a periodical rather than a person's name.
_INSTITUTIONAL = frozenset(
    "journal review reviews research medicine science sciences letters annals archives "
    "proceedings bulletin reports studies advances press university association society "
    "publishing publishers group ltd llc inc institute college academy foundation international "
    "organization organisation council department ministry office centre center hospital "
    "clinical health".split()
)


@lru_cache(maxsize=1 << 12)
def _names_in(text: str) -> tuple[frozenset[str], tuple[Phrase, ...]]:
    """Proper nouns that one string from the record vouches for.

    A person's name (a few words, nothing institutional) vouches for each of its capitalised
    words. A container title or a publisher is in title case itself, so only its runs of two or
    more capitalised words count, as phrases (`Canadian Association of Gastroenterology`).
    """
    words = [_base(_EDGE.match(w).group(2)) for w in text.split()]  # type: ignore[union-attr]
    capital = [len(w) > 1 and w[0].isupper() and w.lower() not in MINOR_WORDS for w in words]
    if len(words) <= 4 and not any(w.lower() in _INSTITUTIONAL for w in words):
        return frozenset(w for w, c in zip(words, capital, strict=True) if c), ()
    phrases: list[Phrase] = []
    run: list[str] = []
    for word, cap in zip([*words, ""], [*capital, False], strict=True):
        if cap or (run and word.lower() in ("of", "and", "for", "the", "&")):
            run.append(word)
            continue
        while run and not run[-1][:1].isupper():
            run.pop()
        # The whole run, and what follows each minor word in it: `Journal of the American
        # Medical Association` vouches for `American Medical Association` too.
        starts = [0] + [n + 1 for n, w in enumerate(run) if not w[:1].isupper()]
        for start in starts:
            tail = run[start:]
            if len(tail) >= 2 and tail[0][:1].isupper():
                phrases.append(_phrase(tail))
        run = []
    return frozenset(), tuple(phrases)


def _vouch(text: str) -> tuple[Iterable[str], tuple[Phrase, ...]]:
    """What `_names_in(text)` finds (singles, phrases), reading a person's name (four words or
    fewer, nothing institutional) word by word from a cache of words: names are mostly unique
    across a library, their words are not. On 10,000 mixed records (14,459 distinct name
    strings, which missed `_names_in`'s cache every time) the names' share of `sentence_case`
    fell from ~45% to ~10%. The singles may hold "" (a word not capitalised), which the caller
    discards. Returned rather than added to the caller's set and list: a person's name is read
    into a new frozenset anyway (`_person_vouches_of`)."""
    words = text.split()
    if len(words) <= 4:
        found = list(map(_name_word.__getitem__, words))
        if None not in found:
            return found, ()  # type: ignore[return-value]  # (no None in it)
    return _names_in(text)


def _name_word_of(word: str) -> str | None:
    """A word of a name as `_names_in` reads it: its base when capitalised (and not a minor word),
    "" when not, None when it is institutional."""
    base = _base(_EDGE.match(word).group(2))  # type: ignore[union-attr]
    low = base.lower()
    if low in _INSTITUTIONAL:
        return None
    return base if len(base) > 1 and base[0].isupper() and low not in MINOR_WORDS else ""


_name_word: Memo[str, str | None] = Memo(_name_word_of, 1 << 14)


# --- Sentence case ----------------------------------------------------------------------------

def sentence_case(
    title: str, *, language: str | None = None, names: Iterable[str] = ()
) -> tuple[str, bool]:
    """Return (title in sentence case, whether the conversion was guessed).

    `language` is the record's CSL `language`; `names` is other text from the same record (author
    names, container title, publisher) whose capitalised words count as proper nouns. A title
    that is not clearly English title case comes back unchanged. "Guessed" means the title was
    converted and carried no case protection, so proper nouns outside the lexicon may have been
    lowered.
    """
    found = _title_words(title, language)
    if found is None:
        return title, False
    read, words = found
    return _convert(title, read, words, (), map(_vouch, filter(None, names)))


def _title_words(title: str, language: str | None) -> tuple[_Title, list[_Word]] | None:
    """The title read and its words, when it is one to convert: English and clearly in title case.
    Most titles are not (5,944 of the mixed library's 10,000), and are left before anything else
    of the record is read."""
    if not _is_english(language):
        return None
    read = _read(title)
    if read is None:
        return None
    words = list(map(_word.__getitem__, read.texts))
    if not _is_title_case(read, words) or _looks_foreign(words, read.texts):
        return None
    return read, words


def _convert(title: str, read: _Title, words: list[_Word], people: Iterable[Sequence[Name]],
             vouched: Iterable[tuple[Iterable[str], tuple[Phrase, ...]]]) -> tuple[str, bool]:
    """`sentence_case` of a title `_title_words` read, with the record's names as lists of `Name`
    (`people`, each read once per distinct name, `_person_vouches`) and what its other text
    vouches for (`vouched`: `_vouch` of each text)."""
    texts = read.texts
    singles: set[str] = set()
    phrases: list[Phrase] = []
    for group in people:
        for name in group:
            more, runs = _person_vouches[name]
            singles.update(more)
            phrases.extend(runs)
    for found, runs in vouched:
        singles.update(found)
        phrases.extend(runs)
    singles.discard("")
    keep, lower = _kept_by_context(words, phrases)
    keep.update(read.protected)

    # A quotation that runs to the end is a title quoted whole: `Erratum to “Visual Outcomes …”`.
    quoted_title = texts[-1].endswith(("”", '"'))
    # Read once rather than per word: each `read.` or `word.` is a NamedTuple field lookup, and
    # the loop runs for every word of every converted title (~32,500 in the mixed library).
    italic, masks, seps, spaced = read.italic, read.masks, read.seps, read.spaced
    out = list(texts)
    changed = False
    at_start = True
    for i, word in enumerate(words):
        text = texts[i]
        # Only a capitalised word can change: `_lower_word` lowers capitalised parts and nothing
        # else, so the others (numbers, acronyms, minor words) are not looked up.
        if word.capitalised and i not in keep:
            start = (
                at_start
                or (i in italic and i - 1 not in italic)
                or (quoted_title and bool(word.kinds & _OPENS_QUOTE))
            )
            if i in lower:
                new = _lower_word(text, start, frozenset())
            elif singles and not singles.isdisjoint(word.bases) and _named_here(i, words, singles):
                new = _lower_word(text, start, _Either(lexicon().singles, singles))
            else:
                new = _lowered[start][text]
            if new != text:
                mask = masks.get(i) if masks else None
                if mask is None or (len(new) == len(text) and not any(
                        differs and kept for differs, kept in zip(
                            (a != b for a, b in zip(new, text, strict=True)), mask, strict=True))):
                    out[i] = new  # (not when the change would touch a protected letter)
                    changed = True
        if text:
            at_start = word.ends
        if not spaced and i < len(seps) and _DASHES.intersection(seps[i]):
            at_start = True
    if not changed:
        return title, False
    if read.spaced:
        result = " ".join(out)
    else:
        result = "".join(part for pair in zip(out, [*read.seps, ""], strict=True) for part in pair)
    guessed = not read.masks
    if read.runs is None:
        return result, guessed
    rich: list[str] = []
    cursor = last = 0
    for begin, end in read.runs:  # the same characters, in the same places between the tags
        rich.append(title[last:begin])
        rich.append(result[cursor:cursor + end - begin])
        cursor += end - begin
        last = end
    rich.append(title[last:])
    return "".join(rich), guessed


def _named_here(i: int, words: list[_Word], singles: set[str]) -> bool:
    """Whether the title uses a word the record vouches for as a name: possessive, joined to
    another part (`Rij-Rousseau`), or next to an initial or another name (`Jeanne Rij-Rousseau`).
    A word on its own is more often the word: a journal called `Energy`, an author called `Young`."""
    word = words[i]
    if word.possessive or len(word.bases) > 1:
        return True
    known = lexicon().singles
    for j in (i - 1, i + 1):
        if 0 <= j < len(words):
            other = words[j]
            if other.kinds & _INITIAL or (
                other.capitalised and not (other.bases.isdisjoint(singles) and other.bases.isdisjoint(known))
            ):
                return True
    return False


def _kept_by_context(words: list[_Word], record_phrases: list[Phrase]) -> tuple[set[int], set[int]]:
    """Words kept as they are because of their neighbours, and words a lexicon phrase lowers."""
    keep, lower = _phrase_cases(words, record_phrases)
    keep |= _names_by_neighbours(words)
    return keep, lower


def _phrase_cases(words: list[_Word], record_phrases: list[Phrase]) -> tuple[set[int], set[int]]:
    """The words of names of several words: those to keep, and those the name writes lower."""
    keep: set[int] = set()
    lower: set[int] = set()
    keys = [w.key for w in words]
    n = len(words)
    extra: dict[str, list[Phrase]] = {}
    for phrase in record_phrases:
        extra.setdefault(phrase.keys[0], []).append(phrase)
    i = 0
    while i < n:
        key = keys[i]
        if not words[i].phrase_head and key not in extra:
            i += 1  # no phrase starts with this word (most words: skipped without a lookup)
            continue
        matched = 0
        for phrase in (*extra.get(key, ()), *_phrases(key)):
            m = len(phrase.keys)
            if tuple(keys[i:i + m]) == phrase.keys:
                for j, name in enumerate(phrase.words):
                    (keep if name[:1].isupper() else lower).add(i + j)
                matched = m
                break
        i += matched or 1
    return keep, lower


# The kinds of word that `_names_by_neighbours` acts on (an acronym too).
_NEIGHBOURLY = _INITIAL | _PARTICLE | _HONORIFIC | _GENUS_WORD | _SERIES
_KINDS, _ACRONYM = attrgetter("kinds"), attrgetter("acronym")


def _names_by_neighbours(words: list[_Word]) -> set[int]:
    """Words that initials, particles, honorifics, `Genus`, a number or an acronym mark as names."""
    keep: set[int] = set()
    if not reduce(or_, map(_KINDS, words), 0) & _NEIGHBOURLY and not any(map(_ACRONYM, words)):
        return keep  # no word marks its neighbours (most titles): one C-level pass over them
    keys = [w.key for w in words]
    n = len(words)

    def capital(j: int) -> bool:
        return 0 <= j < n and words[j].capitalised and keys[j] not in MINOR_WORDS

    for i in [i for i, word in enumerate(words) if word.kinds or word.acronym]:
        word = words[i]
        kinds = word.kinds
        if kinds & _INITIAL:  # `Howard E. 'Rocky' Stone`, `J. W. Bennett`
            j, count = i - 1, 0
            while j >= 0 and count < 2 and not words[j].ends:
                if words[j].kinds & _INITIAL:
                    j -= 1
                    continue
                if not capital(j):
                    break
                keep.add(j)
                j, count = j - 1, count + 1
            j = i + 1
            while j < n and not word.ends:
                if words[j].kinds & (_INITIAL | _PARTICLE):
                    j += 1
                    continue
                if not capital(j):
                    break
                keep.add(j)
                if not words[j].kinds & _QUOTED or words[j].ends:
                    break
                j += 1
        if kinds & _PARTICLE and capital(i + 1) and (capital(i - 1) or i == 0):
            j = i + 1  # `Rosén von Rosenstein`, `van der Waals`
            while j < n and (words[j].kinds & _PARTICLE or capital(j)):
                keep.add(j)
                if not words[j].kinds & _PARTICLE:
                    break
                j += 1
            j, count = i - 1, 0
            while capital(j) and count < 2 and not words[j].ends:
                keep.add(j)
                j, count = j - 1, count + 1
        if kinds & _HONORIFIC and capital(i + 1) and not word.ends:
            keep.update((i, i + 1))  # `St. Thomas`
        if kinds & _GENUS_WORD and capital(i + 1):
            keep.add(i + 1)
        if kinds & _SERIES and i + 1 < n and words[i + 1].kinds & _NUMERAL:
            keep.add(i)  # `Target 6.3`
        if word.acronym:  # `Multicenter Isradipine Diuretic Atherosclerosis Study (MIDAS)`
            spelled, j, span = "", i - 1, []
            while j >= 0 and len(spelled) < len(word.acronym) and not words[j].ends:
                if keys[j] in MINOR_WORDS:
                    j -= 1
                    continue
                if not words[j].capitalised and words[j].initials != words[j].key.upper():
                    break
                spelled = words[j].initials + spelled
                span.append(j)
                j -= 1
            if spelled == word.acronym and keys[span[0]] in NAMED_HEADS:
                keep.update(span)
    return keep


def _person_text(name: Name) -> str | None:
    """A person's name as text that vouches for proper nouns: the literal, or given and family."""
    given, family = name.given, name.full_family
    # `" ".join(p for p in (given, family) if p)`, without a generator per name
    return name.literal or (f"{given} {family}" if given and family else given or family)


def _person_vouches_of(name: Name) -> tuple[frozenset[str], tuple[Phrase, ...]]:
    """What `_vouch` finds in a person's name (the singles, the phrases)."""
    text = _person_text(name)
    if not text:
        return frozenset(), ()
    singles, phrases = _vouch(text)
    return frozenset(singles), phrases


# Per distinct name: authors recur across a library, and reading a name's words (text, split,
# a lookup per word) cost ~2 us a name, ~5 names per converted title.
_person_vouches: Memo[Name, tuple[frozenset[str], tuple[Phrase, ...]]] = Memo(
    _person_vouches_of, 1 << 15)


# The record's text besides its people's names that vouches for proper nouns in its title.
_VOUCHING = ("container-title", "collection-title", "publisher", "event-title")


def _vouching_values(record: Record) -> Iterator[str]:
    """The container, series, publisher and event names a record holds, read lazily (only a
    title that is converted asks for them)."""
    variables = record.variables
    for var in _VOUCHING:
        value = variables.get(var)
        if value:
            yield value


def _text_vouches_of(value: str) -> tuple[Iterable[str], tuple[Phrase, ...]]:
    """What `_vouch` finds in a container, series, publisher or event name (its plain text)."""
    text = markup.plain(value)
    if not text:
        return (), ()
    found, runs = _vouch(text)
    return tuple(found), runs


# Per distinct value: journals, books and publishers recur across a library, and each was made
# plain text, split and read word by word (or looked up in `_names_in`'s cache) for every
# converted title.
_text_vouches: Memo[str, tuple[Iterable[str], tuple[Phrase, ...]]] = Memo(
    _text_vouches_of, 1 << 12)


def record_sentence_case(record: Record) -> tuple[str, bool]:
    """`sentence_case` of a record's title, with its language and its names (read only when the
    title is converted: ~23M of ~218M instructions for the mixed library's 5,944 titles that are
    not went to gathering them)."""
    title = record.title
    found = _title_words(title, record.language)
    if found is None:
        return title, False
    read, words = found
    return _convert(title, read, words, record.names.values(),
                    map(_text_vouches.__getitem__, _vouching_values(record)))
