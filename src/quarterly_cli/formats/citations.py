"""In-text citations: `(Mathers et al., 2014; Parry, 2010)` in APA, `1,2` in AMA, `(1,2)` in
Vancouver — as citeproc-js prints one citation cluster holding the given records.

    citation(records, "apa")                    → "(Mathers et al., 2014)"
    citation(records, "apa", narrative=True)    → "Mathers et al. (2014)"
    citation(records, "ama", markup="html")     → "<sup>1</sup>"

APA (apa.csl's `<citation>`, APA 7 §8.10-8.20): cites sorted by author and date; three or more
authors shortened to the first and `et al.`; works by the same author collapsed, in the order
they are cited (`Walsh, 2022b, 2022a`, as citeproc-js prints them); first authors who share a
surname get initials everywhere (§8.20), cites that still look alike get more authors, then year
letters (§8.19). The year letters are the ones the reference list prints, so both come from
`apa_disambiguation`. AMA and Vancouver number
the records in input order, three or more consecutive numbers as a range (`1–3`).

The narrative form is not a citeproc-js output (citeproc-js has no narrative cluster); it is the
parenthetical one's author, then its date in parentheses, cites joined as a series.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from ..memo import Memo
from ..model import Name, Record
from . import apa
from ._citeproc import glue, initials
from ._fields import letters
from ._text import (
    EN_DASH,
    collation_flat,
    parts,
    short_name,
    to_ansi,
    to_html,
    to_markdown,
    to_plain,
    word_key_code,
)

FALLBACK = {"apa": apa.FALLBACK_TYPES, "ama": frozenset(), "vancouver": frozenset()}


@dataclass
class Disambiguation:
    """Per record (by input index): how many names its in-text author shows (None: the style's
    default), whether its first author gets initials, and its year letter."""

    names_shown: list[int | None]
    initials: list[bool]
    year_suffix: list[str]


def apa_bibliography_order(records: Sequence[Record], keep_case: bool,
                           titles: Sequence[str] | None = None) -> list[int]:
    """Input indexes in the order of APA's reference list."""
    return apa.bibliography_order(records, keep_case, titles)


def _given_key(name: Name) -> str:
    """The initials of a given name: what `primary-name-with-initials` can add."""
    p = parts(name)
    return initials(p.given, ". ") if p.given else ""


_given_keys: Memo[Name, str] = Memo(_given_key, 1 << 15)


def apa_disambiguation(records: Sequence[Record], keep_case: bool,
                       order: Sequence[int] | None = None,
                       titles: Sequence[str] | None = None) -> Disambiguation:
    """citeproc-js's disambiguation for apa.csl (`disambiguate-add-names`,
    `-add-givenname` with `primary-name-with-initials`, `-add-year-suffix`)."""
    count = len(records)
    if order is None:
        order = apa_bibliography_order(records, keep_case, titles)
    entries: dict[int, apa.Entry] = {}

    def entry(i: int) -> apa.Entry:
        found = entries.get(i)
        if found is None:
            found = entries[i] = apa.Entry(records[i], keep_case, citation=True,
                                           title=titles[i] if titles else None)
        return found

    # One pass over the records for what every cite needs: its names, its first author's
    # family name (`short_name`) and initials, and its in-text date (no letters yet). Written
    # as one loop rather than one per list, each first author looked up once (10,000 mixed
    # records: ~83 -> ~69 ms process time against main, medians of three alternating runs).
    names: list[tuple[Name, ...] | None] = []
    plain_names: list[bool] = []  # `author_short` is `short_names` of them (apa.names_alone)
    families: list[str | None] = []  # the first name's `short_name`
    dates: list[str] = []
    # Primary names that share a family name but not initials get initials everywhere (§8.20).
    by_family: dict[str, set[str]] = defaultdict(set)
    short_author_source, names_alone = apa.short_author_source, apa.names_alone
    plain_date_short = apa.plain_date_short
    for i, record in enumerate(records):
        role = short_author_source(record)
        if role is None:
            names.append(None)
            plain_names.append(False)
            families.append(None)
        else:
            found = record.names[role]
            names.append(found)
            plain_names.append(names_alone(record, role))
            first = found[0]
            family = short_name[first]
            families.append(family)
            if first.literal is None:
                by_family[family].add(_given_keys[first])
        dates.append(plain_date_short(record) or to_plain(apa.date_short(entry(i))))
    shown: list[int | None] = [None] * count
    initials = [False] * count
    for i, (first_family, listed) in enumerate(zip(families, names, strict=True)):
        if first_family is not None and listed and listed[0].literal is None and \
                len(by_family[first_family]) > 1:
            initials[i] = True
    forms: dict[tuple[int, int | None], tuple[str, str]] = {}

    def form(i: int) -> tuple[str, str]:
        key = (i, shown[i])
        found = forms.get(key)
        if found is None:
            if plain_names[i]:  # `author_short` without an Entry
                who = apa.short_names(names[i] or (), shown[i], (0,) if initials[i] else ())
            else:
                e = entry(i)
                e.suppressed.clear()
                who = apa.author_short(e, shown[i], (0,) if initials[i] else ())
            found = forms[key] = (to_plain(who), dates[i])
        return found

    # Citations can only be the same if their first authors' names and their years are: only
    # records that share those are rendered and compared.
    rough: dict[object, list[int]] = defaultdict(list)
    fallback_types = apa.FALLBACK_TYPES
    for i, record in enumerate(records):
        if record.type not in fallback_types:
            rough[(families[i], dates[i])].append(i)
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for members in rough.values():
        if len(members) > 1:
            for i in members:
                groups[form(i)].append(i)
    suffix = [""] * count
    position = {i: n for n, i in enumerate(order)}
    for members in groups.values():
        if len(members) < 2:
            continue
        unresolved = _add_names(members, names, shown, form, plain_names)
        for n, i in enumerate(sorted(unresolved, key=position.__getitem__)):
            suffix[i] = letters(n)
    return Disambiguation(shown, initials, suffix)


def _add_names(members: list[int], names, shown: list[int | None], form,
               plain: Sequence[bool]) -> list[int]:
    """Show more names for ambiguous cites (`disambiguate-add-names`): each cite keeps the fewest
    names that tell it apart from as many of the others as names can; a cite names cannot help
    keeps the style's default. Returns the cites still ambiguous (for year letters). `plain[i]`:
    cite i's author is its names alone (`apa.names_alone`), its form a function of its names,
    how many are shown, the initials and the date.

    Names are added one at a time up to the longest list, unless no cite can be told apart
    further: when every set of cites that read the same is of plain cites with the same names
    (the same reference twice, or the works of one large collaboration in one year), those read
    the same at any number of names, so no cite's count of look-alikes can fall below what it
    is. Without that stop, two such cites with 3,000 authors each were rendered with 2, 3, …,
    3,000 names: `quarterly cite` of 10,000 real RIS records (real exports cycled, so each
    reference is there several times) in APA took 14.0 s, 24.9 s of 28.3 under cProfile in
    these renderings, and takes 1.7 s with the stop (the same output).
    tests/test_citations_add_names.py holds it to the loop without the stop."""
    expandable = [i for i in members if names[i] and len(names[i]) >= 3]
    most = max((len(names[i]) for i in expandable), default=0)
    best: dict[int, tuple[int, int | None]] = {}  # cite → (clashes, names shown)

    def clashes() -> tuple[dict[int, int], bool]:
        """Each cite's count of cites that read as it does, and whether more names may still
        tell some of those apart."""
        by_form: dict[tuple[str, str], list[int]] = defaultdict(list)
        for i in members:
            by_form[form(i)].append(i)
        counts = {}
        separable = False
        for group in by_form.values():
            for i in group:
                counts[i] = len(group)
            if len(group) > 1 and not separable:
                first = group[0]
                separable = not all(plain[i] and names[i] == names[first] for i in group)
        return counts, separable

    counts, separable = clashes()
    for i, n in counts.items():
        best[i] = (n, None)
    for k in range(2, most + 1):
        if not separable or all(n == 1 for n, _ in best.values()):
            break  # no more names can tell any cites apart, or every cite is told apart
        for i in expandable:
            shown[i] = min(k, len(names[i]))
        counts, separable = clashes()
        for i, n in counts.items():
            if n < best[i][0]:
                best[i] = (n, shown[i])
    for i in members:
        shown[i] = best[i][1]
    final: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i in members:
        final[form(i)].append(i)
    return [i for group in final.values() if len(group) > 1 for i in group]


# --- clusters ---------------------------------------------------------------------------------

def citation(records: Sequence[Record], style: str, narrative: bool = False,
             markup: str = "text", keep_case: bool = False) -> str:
    """The in-text citation of `records` cited together, in `markup` (text, html, markdown)."""
    if not records:
        return ""
    if style != "apa":
        return _numbers(len(records), style, markup)
    text = _apa(records, narrative, keep_case)
    return {"html": to_html, "markdown": to_markdown, "ansi": to_ansi}.get(markup, to_plain)(text)


def _apa_order(records: Sequence[Record], info: Disambiguation, keep_case: bool) -> list[int]:
    """The cites' order in citeproc-js's grouped sort (apa.csl collapses by author): sorted by the
    author as printed, then each group of cites with the same author moved to where its first
    member's sort key puts it (`processCitationCluster`, "Grouped sort")."""
    count = len(records)
    printed: list[str | None] = []
    for i, record in enumerate(records):
        e = apa.Entry(record, keep_case, citation=True)
        by_names = apa.short_author_source(record) is not None
        printed.append(to_plain(apa.author_short(e, info.names_shown[i], {0} if info.initials[i]
                                                 else ())) if by_names else None)
    keys = [apa.sort_key(r, keep_case, citation=True) for r in records]

    def first_pass(i: int) -> tuple:
        who = printed[i]
        return ((0, collation_flat(who)) if who is not None else (1,), keys[i])

    ordered = sorted(range(count), key=first_pass)
    group_key: dict[int, str] = {}
    last: object = object()
    lead = ""
    for position, i in enumerate(ordered):
        if printed[i] != last:
            last = printed[i]
            lead = keys[i][0][1] if keys[i][0][0] == 0 else ""
        # the author's words, then a word that is the position (see `_text.word_key_code`)
        group_key[i] = lead + word_key_code(((0, position),))
    return sorted(ordered, key=lambda i: (group_key[i], keys[i]))


def _apa(records: Sequence[Record], narrative: bool, keep_case: bool) -> str:
    info = apa_disambiguation(records, keep_case)
    cites: list[tuple[str, list[str]]] = []  # (author, dates) collapsed by author
    last_by_names = False
    for i in _apa_order(records, info, keep_case):
        e = apa.Entry(records[i], keep_case, info.year_suffix[i], citation=True)
        who = apa.author_short(e, info.names_shown[i], {0} if info.initials[i] else ())
        when = apa.date_short(e)
        by_names = apa.short_author_source(records[i]) is not None
        if cites and by_names and last_by_names and cites[-1][0] == who:
            cites[-1][1].append(when)  # collapse="year": one author, several dates
        else:
            cites.append((who, [when]))
        last_by_names = by_names
    if narrative:
        pieces = [f"{who} ({', '.join(dates)})" if who else f"({', '.join(dates)})"
                  for who, dates in cites]
        if len(pieces) <= 2:
            return " and ".join(pieces)
        return ", ".join(pieces[:-1]) + ", and " + pieces[-1]
    pieces = [glue(who, ", ") + ", ".join(dates) if who else ", ".join(dates)
              for who, dates in cites]
    return "(" + "; ".join(pieces) + ")"


def _numbers(count: int, style: str, markup: str) -> str:
    """`1`, `1,2`, `1–3`: numbers in input order, three or more in a row as a range."""
    text = ",".join(_ranges(list(range(1, count + 1))))
    if style == "vancouver":
        return f"({text})"
    return f"<sup>{text}</sup>" if markup in ("html", "markdown") else text


def _ranges(numbers: list[int]) -> list[str]:
    out: list[str] = []
    start = 0
    while start < len(numbers):
        end = start
        while end + 1 < len(numbers) and numbers[end + 1] == numbers[end] + 1:
            end += 1
        if end - start >= 2:
            out.append(f"{numbers[start]}{EN_DASH}{numbers[end]}")
        else:
            out.extend(str(n) for n in numbers[start:end + 1])
        start = end + 1
    return out


# --- records the native writers leave to the CSL engine --------------------------------------

def fallback_entries(records: Sequence[Record], style: str) -> dict[int, str]:
    """Styled entries, by input index, for the records whose type `style` does not lay out
    itself: those go to the CSL engine (citeproc-py) with the official style. Only APA has such
    types (the legal ones); AMA and Vancouver lay out every type."""
    types = FALLBACK[style]
    indexes = [i for i, r in enumerate(records) if r.type in types]
    if not indexes:
        return {}
    from ..csl import fallback_entries as engine

    texts = engine([records[i] for i in indexes], style)
    return dict(zip(indexes, texts, strict=True))
