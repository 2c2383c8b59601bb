"""Regular expressions compiled when first used rather than when their module is imported.

Compiling a pattern costs ~0.2-4 M instructions (an IGNORECASE alternation of names, the most);
a module-level `re.compile` pays that at every start-up, also on the paths that never use the
pattern. A pattern that a conversion of a file does not need (HTML and MathML from remote
sources, dates in words, `check --max-age`) is written `_name = lazy_pattern(...)` and used as
`_name().search(...)`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache, partial


def lazy_pattern(pattern: str, flags: int = 0) -> Callable[[], re.Pattern[str]]:
    """A function giving `re.compile(pattern, flags)`, compiled on its first call and kept
    (functools.cache of the call: ~34 ns a use once compiled)."""
    return cache(partial(re.compile, pattern, flags))
