"""Synthetic but realistic record corpora for the benchmarks (deterministic, no network)."""

from __future__ import annotations

import json
import random

FAMILIES = ["Mathers", "Taylor", "Parry", "Müller", "van der Berg", "O'Brien", "Nguyễn", "Smith",
            "García", "Okafor", "Nakamura", "Koller", "Dubois", "Ødegård", "Chen", "Patel"]
GIVENS = ["Jonathan", "Rebecca", "Jayne", "Jean-Paul", "Anne-Marie", "Li", "Thị Minh", "Maria",
          "Christopher F.", "Chidi", "Ken", "Priya", "J. R.", "Siobhan"]
JOURNALS = [("The Milbank Quarterly", "Milbank Q"), ("Health Affairs", "Health Aff (Millwood)"),
            ("BMJ Open", "BMJ Open"), ("Social Science & Medicine", "Soc Sci Med"),
            ("American Journal of Public Health", "Am J Public Health")]
# A long tail of made-up words so that caches see a realistic mix of repeats and first sightings.
_SYLLABLES = ["ka", "lo", "mi", "ter", "san", "vo", "rel", "dun", "pha", "gri", "tos", "ne"]
TAIL = sorted({a + b + c for a in _SYLLABLES for b in _SYLLABLES for c in _SYLLABLES})
WORDS = ["health", "care", "policy", "community", "workers", "primary", "insurance", "Medicaid",
         "outcomes", "rural", "hospital", "England", "prevention", "equity", "financing",
         "evaluation", "trial", "NHS", "COVID-19", "mortality", "access", "services"]


def csl_items(count: int, seed: int = 2014) -> list[dict]:
    rng = random.Random(seed)
    items = []
    for n in range(count):
        journal, short = rng.choice(JOURNALS)
        words = [rng.choice(WORDS) if rng.random() < 0.6 else rng.choice(TAIL)
                 for _ in range(rng.randint(5, 12))]
        title = " ".join(w if w[0].isupper() or rng.random() < 0.1 else w.capitalize()
                         for w in words)
        if rng.random() < 0.4:
            title += ": A " + " ".join(rng.choice(WORDS).capitalize() for _ in range(3))
        authors = []
        for _ in range(rng.choice([1, 2, 3, 3, 4, 6, 7, 12])):
            family = rng.choice(FAMILIES)
            name = {"family": family, "given": rng.choice(GIVENS)}
            if family.startswith("van der "):
                name = {"family": "Berg", "non-dropping-particle": "van der",
                        "given": name["given"]}
            authors.append(name)
        first = rng.randint(1, 900)
        item = {
            "id": f"r{n}", "type": "article-journal", "title": f"{title} {n}",
            "container-title": journal, "container-title-short": short, "author": authors,
            "issued": {"date-parts": [[rng.randint(1990, 2025), rng.randint(1, 12)]]},
            "volume": str(rng.randint(1, 120)), "issue": str(rng.randint(1, 12)),
            "page": f"{first}-{first + rng.randint(3, 40)}",
            "DOI": f"10.5555/bench.{n}",
            "abstract": "Background: " + " ".join(rng.choice(WORDS) for _ in range(60))
            + ".\n\nMethods: " + " ".join(rng.choice(WORDS) for _ in range(40)) + ".",
        }
        items.append(item)
    return items


# A health-policy reference list: mostly journal articles, then reports, books, chapters, web
# pages, news, conference papers, preprints, theses and data sets (the conformance corpus's mix).
MIXED_TYPES = [("article-journal", 60), ("report", 10), ("book", 7), ("chapter", 6),
               ("webpage", 5), ("article-newspaper", 3), ("article-magazine", 2),
               ("paper-conference", 2), ("article", 2), ("thesis", 1), ("dataset", 1),
               ("entry-encyclopedia", 1)]
ORGANISATIONS = ["World Health Organization", "NHS England", "OECD", "Kaiser Family Foundation",
                 "U.S. Government Accountability Office", "The King's Fund"]
PUBLISHERS = [("Oxford University Press", "Oxford"), ("Springer", "Cham"),
              ("Policy Press", "Bristol"), ("RAND Corporation", "Santa Monica, CA")]


def mixed_items(count: int, seed: int = 2026) -> list[dict]:
    """Records of every common type, deterministic: `count` of them, names drawn from a few
    thousand surnames (so that, as in a real library, few citations collide)."""
    rng = random.Random(seed)
    kinds = [kind for kind, weight in MIXED_TYPES for _ in range(weight)]
    surnames = FAMILIES + [(a + b + c).capitalize() for a in _SYLLABLES for b in _SYLLABLES
                           for c in ("son", "er", "ez", "ova", "i", "ski", "")]
    items = []
    for n in range(count):
        kind = rng.choice(kinds)
        words = [rng.choice(WORDS) if rng.random() < 0.6 else rng.choice(TAIL)
                 for _ in range(rng.randint(4, 10))]
        title = " ".join(words)
        title = title[0].upper() + title[1:]
        if rng.random() < 0.5:  # Crossref delivers title case half the time
            title = " ".join(w if w[0].isupper() else w.capitalize() for w in title.split())
        if rng.random() < 0.2:
            title += ": the " + " ".join(rng.choice(WORDS) for _ in range(3))
        year = rng.randint(1995, 2025)
        item: dict = {"id": f"m{n}", "type": kind, "title": f"{title} {n}",
                      "issued": {"date-parts": [[year, rng.randint(1, 12), rng.randint(1, 28)]]}}
        if rng.random() < 0.08 or kind in ("report", "webpage") and rng.random() < 0.5:
            item["author"] = [{"literal": rng.choice(ORGANISATIONS)}]
        else:
            item["author"] = [{"family": rng.choice(surnames), "given": rng.choice(GIVENS)}
                              for _ in range(rng.choice([1, 1, 2, 2, 3, 3, 4, 6, 8, 25]))]
        publisher, place = rng.choice(PUBLISHERS)
        if kind in ("article-journal", "article-magazine", "article-newspaper"):
            journal, short = rng.choice(JOURNALS)
            first = rng.randint(1, 900)
            item.update({"container-title": journal, "container-title-short": short,
                         "volume": str(rng.randint(1, 120)), "issue": str(rng.randint(1, 12)),
                         "page": f"{first}-{first + rng.randint(3, 40)}",
                         "DOI": f"10.5555/mixed.{n}"})
        elif kind in ("chapter", "entry-encyclopedia", "paper-conference"):
            first = rng.randint(1, 400)
            item.update({"container-title": "Handbook of " + " ".join(rng.sample(WORDS, 3)),
                         "editor": [{"family": rng.choice(surnames), "given": rng.choice(GIVENS)}],
                         "page": f"{first}-{first + rng.randint(10, 30)}",
                         "publisher": publisher, "publisher-place": place})
        elif kind == "report":
            item.update({"publisher": publisher, "number": f"RR-{rng.randint(100, 9999)}",
                         "genre": rng.choice(["Technical report", "Working paper", "Issue brief"]),
                         "URL": f"https://example.org/reports/{n}"})
        elif kind == "book":
            item.update({"publisher": publisher, "publisher-place": place,
                         "edition": str(rng.choice([1, 2, 3])), "ISBN": "978-0-19-000000-0"})
        elif kind == "webpage":
            item.update({"container-title": rng.choice(ORGANISATIONS),
                         "URL": f"https://example.org/pages/{n}",
                         "accessed": {"date-parts": [[2024, 5, rng.randint(1, 28)]]}})
        elif kind == "article":
            item.update({"publisher": rng.choice(["medRxiv", "SSRN", "bioRxiv"]),
                         "genre": "Preprint", "DOI": f"10.1101/{n}"})
        elif kind == "thesis":
            item.update({"genre": "Doctoral dissertation", "publisher": "University of Oxford"})
        elif kind == "dataset":
            item.update({"publisher": "Harvard Dataverse", "version": "2",
                         "DOI": f"10.7910/DVN/{n}"})
        items.append(item)
    return items


def write_csl_json(path, count: int) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(csl_items(count), handle, ensure_ascii=False)


if __name__ == "__main__":
    import sys

    if len(sys.argv) > 3 and sys.argv[3] == "mixed":
        with open(sys.argv[1], "w", encoding="utf-8") as handle:
            json.dump(mixed_items(int(sys.argv[2])), handle, ensure_ascii=False)
    else:
        write_csl_json(sys.argv[1], int(sys.argv[2]))
