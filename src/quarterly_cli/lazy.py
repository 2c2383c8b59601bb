"""Regular expressions compiled when first used rather than when their module is imported.

Compiling a pattern costs ~0.2-4 M instructions (an IGNORECASE alternation of names, the most);
a module-level `re.compile` pays that at every start-up, also on the paths that never use the
pattern. A pattern that a conversion of a file does not need (HTML and MathML from remote
sources, dates in words, `check --max-age`) is written `_name = lazy_pattern(...)` and used as
`_name().search(...)`: one call and a list lookup per use once compiled.
"""

from __future__ import annotations

import re
from collections.abc import Callable


def lazy_pattern(pattern: str, flags: int = 0) -> Callable[[], re.Pattern[str]]:
    """A function giving `re.compile(pattern, flags)`, compiled on its first call."""
    compiled: list[re.Pattern[str]] = []

    def get() -> re.Pattern[str]:
        if not compiled:
            compiled.append(re.compile(pattern, flags))
        return compiled[0]

    return get
