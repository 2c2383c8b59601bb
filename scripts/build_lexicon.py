"""Regenerate src/quarterly_cli/data/proper_nouns.txt (run by hand; the output is committed).

Sources, all public lists:
- `pycountry` (https://pypi.org/project/pycountry/, data from Debian's iso-codes, LGPL-2.1):
  country names (ISO 3166-1 `name`, `common_name`, `official_name`), the subdivisions of every
  country (ISO 3166-2) and the languages that have a two-letter code (ISO 639-1);
- English month and weekday names from Python's `calendar` module (C locale);
- first names and the 20,000 most frequent surnames of the 1990 US Census (public domain), as
  shipped by the `names` package (https://pypi.org/project/names/, MIT);
- `scripts/proper_nouns_curated.txt`: organisations, programmes, laws, historical events and
  periods, eponymous diseases and methods, genera, chemical symbols, places, nationalities; each
  section there names the public list it was chosen from.

A generated name other than a country's, a month's or a weekday's is dropped when it is also an
ordinary English word, so that `Young`, `Hunter` or `Wells` never keep a capital by accident.
"Ordinary word" means a lower-case entry of Webster's Second International (web2, public domain)
or any entry of GCIDE, both as shipped by the `english-words` package
(https://pypi.org/project/english-words/, MIT), or such a word with a plural or verb ending.
Curated names are taken as written: the curator decided.

Usage:  pip install pycountry names english-words && python scripts/build_lexicon.py
"""

from __future__ import annotations

import calendar
import re
import sys
from pathlib import Path

import names as census
import pycountry
from english_words import get_english_words_set

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent / "src"))

from quarterly_cli.casing import SECTIONS  # noqa: E402
from quarterly_cli.words import KEPT_LOWER, PREFIXES, TITLE_CASE_LOWER  # noqa: E402

TARGET = HERE.parent / "src" / "quarterly_cli" / "data" / "proper_nouns.txt"
SURNAMES = 20_000  # the Census list is ranked; its long tail is mostly spellings of ordinary words
ENDINGS = ("s", "es", "ed", "ing", "er", "ers", "ly")


def _clean(name: str) -> str:
    name = re.sub(r"\s*\[.*?\]", "", name)  # "Wales [Cymru GB-CYM]" → "Wales"
    name = re.sub(r"\s*\(.*?\)", "", name)  # "Bolivia (Plurinational State of)" → "Bolivia"
    return name.split(",")[0].strip()


def ordinary_words() -> frozenset[str]:
    web2 = get_english_words_set(["web2"], lower=False, alpha=True)
    gcide = get_english_words_set(["gcide"], lower=True, alpha=True)
    return frozenset(w for w in web2 if w.islower()) | gcide | TITLE_CASE_LOWER | KEPT_LOWER | PREFIXES


def is_ordinary(name: str, ordinary: frozenset[str]) -> bool:
    low = name.lower()
    return low in ordinary or any(
        low.endswith(end) and low[: -len(end)] in ordinary for end in ENDINGS
    )


def generated(ordinary: frozenset[str]) -> set[str]:
    """Names from the public lists, each word of a single name checked against the dictionaries."""
    names: set[str] = set()
    for sub in pycountry.subdivisions:
        names.add(_clean(sub.name))
    for language in pycountry.languages:
        if getattr(language, "alpha_2", None):
            names.add(_clean(language.name))
    folder = Path(census.__file__).parent
    for file, limit in (("dist.male.first", None), ("dist.female.first", None),
                        ("dist.all.last", SURNAMES)):
        lines = (folder / file).read_text("ascii").splitlines()[:limit]
        names.update(line.split()[0].capitalize() for line in lines if line.strip())
    kept = set()
    for name in names:
        words = name.split()
        lower = TITLE_CASE_LOWER | KEPT_LOWER
        if not words or not all(w[:1].isupper() for w in words if w.lower() not in lower):
            continue  # "Bonaire, Sint Eustatius and Saba" is fine; lower-case local forms are not
        if len(words) == 1 and is_ordinary(name, ordinary):
            continue  # `Turkey`, `Young`, `Centre`: a word first, a name second
        if len(words) > 1 and all(is_ordinary(w, ordinary) for w in words):
            continue  # `Central Region`, `North East`
        kept.add(name)
    return kept


def unfiltered() -> set[str]:
    """Country, month and weekday names, taken even when they are words too (`China`, `Turkey`,
    `United States`, `May`): in a title they are the name far more often than not."""
    names = set(calendar.month_name[1:]) | set(calendar.day_name)
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                names.add(_clean(value))
    return names


def curated() -> tuple[set[str], set[str]]:
    """The curated names, and the generated names it strikes out (lines starting with `!`)."""
    lines = (HERE / "proper_nouns_curated.txt").read_text("utf-8").splitlines()
    entries = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    return ({e for e in entries if not e.startswith("!")},
            {e[1:] for e in entries if e.startswith("!")})


def main() -> None:
    ordinary = ordinary_words()
    chosen, struck = curated()
    names = ((generated(ordinary) | unfiltered()) - struck) | chosen
    genus = " (genus)"
    genera = sorted(n[: -len(genus)] for n in names if n.endswith(genus))
    singles = sorted(n for n in names if " " not in n)
    phrases = sorted(n for n in names if " " in n and not n.endswith(genus))
    # Three sections, each a plain list, so that quarterly reads the file with a few slices
    # (it is read on the first title `cite` converts: start-up time).
    text = "\n".join([
        "# Proper nouns kept capitalised by sentence case. Generated by scripts/build_lexicon.py",
        "# from pycountry (ISO 3166, ISO 639-1), Python's calendar module, the 1990 US Census name",
        "# lists and scripts/proper_nouns_curated.txt. One name per line, in three sections.",
        SECTIONS[0], *singles,
        SECTIONS[1], *genera,
        SECTIONS[2], *phrases,
    ])
    TARGET.write_text(text + "\n", "utf-8")
    print(f"wrote {len(singles)} names, {len(genera)} genera and {len(phrases)} phrases to {TARGET}")


if __name__ == "__main__":
    main()
