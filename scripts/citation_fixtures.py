"""Write the citeproc-js outputs that tests/data/conformance/generated/ holds.

    .venv/bin/python scripts/citation_fixtures.py

The two shared corpora (tests/data/conformance/ and types/) came with citeproc-js's output; this
script produces, with the same engine (citation-js 0.8.2 / citeproc-js 1.4.61, installed by
benchmarks/run.py) and the same official styles:

- `journal.STYLE.citations.json`: the in-text citation of each journal-corpus item alone;
- `extra.STYLE.items.json`, `.items.html.json`, `.citations.json`: the same for
  `records-extra.json`, 40 records of the CSL types neither corpus has (patents, broadcasts,
  interviews, standards, posts, maps, legal types, …);
- `STYLE.clusters.json`: one citation cluster holding every record of a set — each whole corpus and
  each set in `clusters.json` (quotes, sorting, initials, added names, year letters) — as text and
  as HTML.

Nothing here is edited by hand: run the script again to regenerate.
"""

from __future__ import annotations

import json
from pathlib import Path

from citeproc_js import run

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "conformance"
OUT = CORPUS / "generated"
STYLES = ("apa", "ama", "vancouver")


def write(name: str, data: dict) -> None:
    (OUT / name).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", "utf-8")


def main() -> None:
    journal = json.loads((CORPUS / "records.json").read_text("utf-8"))
    types = json.loads((CORPUS / "types" / "records.json").read_text("utf-8"))
    extra = json.loads((OUT / "records-extra.json").read_text("utf-8"))
    sets = {"journal": journal, "types": types,
            **json.loads((OUT / "clusters.json").read_text("utf-8"))}
    for style in STYLES:
        alone = run(journal, style, ["items"])["items"]
        write(f"journal.{style}.citations.json", {k: v["citation"] for k, v in alone.items()})
        alone = run(extra, style, ["items"])["items"]
        write(f"extra.{style}.items.json", {k: v["text"] for k, v in alone.items()})
        write(f"extra.{style}.items.html.json", {k: v["html"] for k, v in alone.items()})
        write(f"extra.{style}.citations.json", {k: v["citation"] for k, v in alone.items()})
        clusters = {}
        for name, items in sets.items():
            out = run(items, style, ["cluster"])
            clusters[name] = {"text": out["cluster"], "html": out["clusterHtml"]}
        write(f"{style}.clusters.json", clusters)


if __name__ == "__main__":
    main()
