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


def write_csl_json(path, count: int) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(csl_items(count), handle, ensure_ascii=False)


if __name__ == "__main__":
    import sys

    write_csl_json(sys.argv[1], int(sys.argv[2]))
