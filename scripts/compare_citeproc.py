"""Native APA (or AMA, Vancouver) against citeproc-js on the real Crossref records.

    .venv/bin/python scripts/compare_citeproc.py                  # APA, a summary
    .venv/bin/python scripts/compare_citeproc.py --style ama -v   # every difference, side by side

Each work in `../shared/real-world/crossref/works.json.gz` (read in place) is mapped with
`sources.crossref.record_from_work`, written as the tool's own CSL-JSON (`formats.csljson`), and
formatted alone twice: by citeproc-js (citation-js from npm, the engine behind Zotero) with the
official style in `tests/data/conformance/`, and by quarterly's native writer with `keep_case`
(titles as stored, as citeproc-js prints them). The script prints the share of records whose text
is identical and the differences grouped by the first place they part ways.
"""

from __future__ import annotations

import argparse
import collections
import difflib
import gzip
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

from citeproc_js import run  # noqa: E402

from quarterly_cli.errors import QuarterlyError  # noqa: E402
from quarterly_cli.formats import FORMATS, Options  # noqa: E402
from quarterly_cli.formats.csljson import item as csl_item  # noqa: E402
from quarterly_cli.sources.crossref import record_from_work  # noqa: E402

WORKS = ROOT.parent / "shared" / "real-world" / "crossref" / "works.json.gz"


def load_records(path: Path):
    works = json.loads(gzip.decompress(path.read_bytes()))
    records, refused = [], []
    for doi, entry in sorted(works.items()):
        try:
            records.append((doi, record_from_work(entry["message"])))
        except QuarterlyError as exc:
            refused.append((doi, str(exc)))
    return records, refused


def first_difference(ours: str, theirs: str) -> str:
    """A short label of where two strings first part ways: `ours ⟂ theirs` around the split."""
    matcher = difflib.SequenceMatcher(None, ours, theirs, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            return f"{ours[max(0, i1 - 12):i2 + 12]!r} ⟂ {theirs[max(0, j1 - 12):j2 + 12]!r}"
    return ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--style", default="apa", choices=("apa", "ama", "vancouver"))
    parser.add_argument("--works", type=Path, default=WORKS)
    parser.add_argument("-v", "--verbose", action="store_true", help="print every difference")
    args = parser.parse_args()
    if not args.works.exists():
        raise SystemExit(f"{args.works} is missing: this script reads ../shared/real-world/.")
    records, refused = load_records(args.works)
    items = [csl_item(record, f"w{n}") for n, (_, record) in enumerate(records)]
    theirs = run(items, args.style, ["items"])["items"]
    fmt = FORMATS[args.style]
    equal = 0
    by_type: collections.Counter[str] = collections.Counter()
    differences = []
    for n, (doi, record) in enumerate(records):
        expected = theirs[f"w{n}"]
        ours = fmt.render([record], Options(keep_case=True)).rstrip("\n")
        if expected.get("error"):
            differences.append((record.type, doi, ours, "citeproc-js error: " + expected["error"]))
        elif ours == expected["text"]:
            equal += 1
            continue
        else:
            differences.append((record.type, doi, ours, expected["text"]))
        by_type[record.type] += 1
    total = len(records)
    print(f"{args.style}: {equal} of {total} records identical to citeproc-js "
          f"({equal / total:.1%}); {len(refused)} works refused by record_from_work")
    casefold = sum(1 for _, _, a, b in differences if a.casefold() == b.casefold())
    print(f"differences: {len(differences)} ({casefold} in letter case only)")
    for type_, count in by_type.most_common():
        print(f"  {type_:<20} {count}")
    for type_, doi, ours, expected in differences:
        print(f"\n[{type_}] {doi}\n  {first_difference(ours, expected)}")
        if args.verbose:
            print(f"  ours:   {ours}\n  theirs: {expected}")


if __name__ == "__main__":
    main()
