"""The peers' import test suites, BibTeX and RIS together (issue 8): runs scripts/peer_bibtex.py
and scripts/peer_ris.py and prints the combined share of the peers' expected fields that
quarterly's readers give. The peers' repositories are read where they lie (never committed):

    python scripts/peer_suites.py --citation-js PATH/citation-js --zotero PATH/translators

PATH/citation-js is a checkout (or a bare git directory) of citation-js/citation-js, PATH/translators
one of zotero/translators; the test files inside them are extracted to a temporary folder.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
_FIGURE = re.compile(r"expected fields matched: (\d+) of (\d+)")


def _file(repo: Path, path: str, target: Path) -> Path:
    """A file of the repository, from its work tree or, for a bare git directory, from HEAD."""
    if (repo / path).is_file():
        return repo / path
    text = subprocess.run(["git", f"--git-dir={repo}", "show", f"HEAD:{path}"], check=True,
                          capture_output=True, text=True).stdout
    target.write_text(text, "utf-8")
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--citation-js", type=Path, required=True)
    parser.add_argument("--zotero", type=Path, required=True)
    args = parser.parse_args()
    total = matched = 0
    with tempfile.TemporaryDirectory() as tmp:
        ris_input = _file(args.citation_js, "packages/plugin-ris/test/input.js",
                          Path(tmp) / "input.js")
        ris_js = _file(args.zotero, "RIS.js", Path(tmp) / "RIS.js")
        runs = {
            "BibTeX": [sys.executable, str(HERE / "peer_bibtex.py"), "--citation-js",
                       str(args.citation_js), "--zotero", str(args.zotero)],
            "RIS": [sys.executable, str(HERE / "peer_ris.py"), "--citation-js", str(ris_input),
                    "--zotero", str(ris_js)],
        }
        for name, argv in runs.items():
            out = subprocess.run(argv, capture_output=True, text=True).stdout
            found = _FIGURE.findall(out)
            if not found:
                print(f"{name}: no figure (run {' '.join(argv)} to see why)")
                return 1
            got, of = map(int, found[-1])  # the script's overall line comes last
            print(f"{name:7} expected fields matched: {got} of {of} ({got / of:.1%})")
            matched, total = matched + got, total + of
    print(f"both    expected fields matched: {matched} of {total} ({matched / total:.1%}; "
          "target >= 95%)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
