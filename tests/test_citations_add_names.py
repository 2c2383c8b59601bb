"""APA's `disambiguate-add-names` (citations._add_names) stops adding names once no cites can be
told apart by more of them; held here to the loop without that stop (`add_names_reference`,
the rule as it was written before), on arbitrary reference lists, with duplicates, long author
lists, interviews and personal communications (whose cites are not names alone)."""

from __future__ import annotations

from collections import defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st

from quarterly_cli.formats import apa, citations
from quarterly_cli.model import Date, Name, Record


def add_names_reference(members, names, shown, form, plain):
    """citations._add_names without its stop: names are added up to the longest list unless
    every cite is told apart."""
    expandable = [i for i in members if names[i] and len(names[i]) >= 3]
    most = max((len(names[i]) for i in expandable), default=0)
    best = {}

    def clashes():
        rendered = defaultdict(int)
        current = {i: form(i) for i in members}
        for f in current.values():
            rendered[f] += 1
        return {i: rendered[f] for i, f in current.items()}

    for i, n in clashes().items():
        best[i] = (n, None)
    for k in range(2, most + 1):
        if all(n == 1 for n, _ in best.values()):
            break
        for i in expandable:
            shown[i] = min(k, len(names[i]))
        for i, n in clashes().items():
            if n < best[i][0]:
                best[i] = (n, shown[i])
    for i in members:
        shown[i] = best[i][1]
    final = defaultdict(list)
    for i in members:
        final[form(i)].append(i)
    return [i for group in final.values() if len(group) > 1 for i in group]


# Few families and given names, so that first authors and whole lists often agree.
_NAMES = [Name("Smith", "Ann"), Name("Smith", "Bo"), Name("Okafor", "Li"), Name("Ng", "Ann"),
          Name(literal="WHO"), Name("Brown", "Cy")]
_name_lists = st.lists(st.sampled_from(_NAMES), min_size=1, max_size=9).map(tuple)


@st.composite
def reference_lists(draw):
    lists = draw(st.lists(_name_lists, min_size=1, max_size=4))  # shared by several records
    records = []
    for _ in range(draw(st.integers(2, 9))):
        kind = draw(st.sampled_from(["article-journal", "article-journal", "book",
                                     "interview", "personal_communication"]))
        records.append(Record(
            type=kind, title=draw(st.sampled_from(["Peer support", "Health trainers"])),
            names={"author": draw(st.sampled_from(lists))},
            dates={"issued": Date((draw(st.sampled_from([2014, 2015])),))},
            variables={"container-title": "The Milbank Quarterly"}))
    return records


def _disambiguation(records, add_names):
    from unittest.mock import patch

    with patch.object(citations, "_add_names", add_names):
        return citations.apa_disambiguation(records, keep_case=False)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(reference_lists())
def test_the_stop_changes_no_cite(records):
    new = _disambiguation(records, citations._add_names)
    old = _disambiguation(records, add_names_reference)
    assert (new.names_shown, new.initials, new.year_suffix) == \
        (old.names_shown, old.initials, old.year_suffix)


def test_the_same_long_author_list_twice_is_not_rendered_name_by_name(monkeypatch):
    """Two works of one 400-author collaboration in one year, and a third whose list differs at
    its 300th name: names are added until the third is told apart, and no further for the
    other two, which year letters tell apart (`Collab1 et al., 2014a`)."""
    authors = tuple(Name(f"Collab{n}", "A") for n in range(400))
    other = authors[:299] + (Name("Elsewhere", "B"),) + authors[300:]
    records = [Record(type="article-journal", title=title, names={"author": names},
                      dates={"issued": Date((2014,))})
               for title, names in (("One", authors), ("Two", authors), ("Three", other))]
    rendered: list[int | None] = []
    real = apa.short_names

    def counting(names, shown, initials_for):
        rendered.append(shown)
        return real(names, shown, initials_for)

    monkeypatch.setattr(apa, "short_names", counting)
    result = citations.apa_disambiguation(records, keep_case=False)
    assert result.names_shown == [300, 300, 300]  # all three read alike before
    assert sorted(result.year_suffix) == ["", "a", "b"]
    # up to 300 names for each cite, then the stop: not 2 to 400 for all three
    assert max(n or 0 for n in rendered) == 300
    assert len(rendered) < 3 * 300 + 10
    old = _disambiguation(records, add_names_reference)
    assert (old.names_shown, old.year_suffix) == (result.names_shown, result.year_suffix)
