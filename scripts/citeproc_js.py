"""citeproc-js (through citation-js, as Zotero's engine is packaged on npm) from Python.

Used by `compare_citeproc.py` (the real-world measurement) and `citation_fixtures.py` (the
expected in-text citations of the journal corpus). citation-js is installed with npm into
`benchmarks/.cache/citation-js/` on first use, as `benchmarks/run.py` does; the official styles
are read from `tests/data/conformance/`.

    run(items, style, jobs) -> dict

`jobs` is a list of what to produce: "items" (each item alone: bibliography text and HTML, and
its in-text citation), "bibliography" (all items as one bibliography, text), "cluster" (all
items cited in one in-text citation, text).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from run import NODE_DIR, ensure_citation_js  # noqa: E402

STYLES = ROOT / "tests" / "data" / "conformance"

_SCRIPT = r"""
const {Cite, plugins} = require('@citation-js/core');
require('@citation-js/plugin-csl');
const fs = require('fs');
const request = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const template = 'official-' + request.style;
plugins.config.get('@csl').styles.add(template, fs.readFileSync(request.styleFile, 'utf8'));
const out = {};
const opts = (format) => ({template, format, lang: 'en-US'});
if (request.jobs.includes('items')) {
  out.items = {};
  for (const item of request.items) {
    const one = {};
    try {
      const cite = new Cite(item);
      one.text = cite.format('bibliography', opts('text')).trim();
      one.html = cite.format('bibliography', opts('html'));
      one.citation = cite.format('citation', opts('text'));
    } catch (error) {
      one.error = String(error);
    }
    out.items[item.id] = one;
  }
}
if (request.jobs.includes('bibliography')) {
  out.bibliography = new Cite(request.items).format('bibliography', opts('text'));
}
if (request.jobs.includes('cluster')) {
  out.cluster = new Cite(request.items).format('citation', opts('text'));
  out.clusterHtml = new Cite(request.items).format('citation', opts('html'));
}
process.stdout.write(JSON.stringify(out));
"""


def run(items: list[dict], style: str, jobs: list[str]) -> dict:
    """Format `items` with citeproc-js and the official `style` (apa, ama, vancouver)."""
    node = ensure_citation_js()
    if node is None:
        raise SystemExit("Node.js and npm are needed to run citeproc-js (citation-js).")
    script = NODE_DIR / "citeproc_runner.js"
    script.write_text(_SCRIPT, "utf-8")
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8",
                                     delete=False) as handle:
        json.dump({"items": items, "style": style, "jobs": jobs,
                   "styleFile": str(STYLES / f"{style}.csl")}, handle, ensure_ascii=False)
        request = handle.name
    try:
        done = subprocess.run([node, str(script), request], check=True, capture_output=True,
                              text=True, cwd=NODE_DIR)
    finally:
        Path(request).unlink()
    return json.loads(done.stdout)
