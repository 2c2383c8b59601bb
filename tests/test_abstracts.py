"""Structured abstracts held as text, read back into labelled sections."""

from quarterly_cli.abstracts import sections_from_text, split_policy_points
from quarterly_cli.model import Section


def test_labelled_paragraphs_become_sections_and_loose_ones_follow_their_section():
    assert sections_from_text("Context: x\n\nMethods: y\n\ny2\n\nNote: not a label") == (
        Section("Context", ("x",)), Section("Methods", ("y", "y2", "Note: not a label")))


def test_pubmed_style_capital_headings_in_one_paragraph():
    assert sections_from_text("BACKGROUND: a b. MAIN OUTCOMES AND MEASURES: c. RESULTS: d.") == (
        Section("BACKGROUND", ("a b.",)), Section("MAIN OUTCOMES AND MEASURES", ("c.",)),
        Section("RESULTS", ("d.",)))  # as written, so that they read back the same


def test_a_colon_in_a_sentence_is_not_a_heading():
    assert sections_from_text("We study X: a thing. Results: none yet.") == (
        Section(None, ("We study X: a thing. Results: none yet.",)),)
    assert sections_from_text("") == ()


def test_policy_points_are_taken_out():
    sections = (Section("Policy Points", ("p1", "p2")), Section("Methods", ("m",)))
    assert split_policy_points(sections) == ((Section("Methods", ("m",)),), ("p1", "p2"))


def test_one_line_sections_split_at_known_headings_after_a_sentence():
    text = "Background: Costs rose. Methods: We compared 12 regions. Note: a colon. Results: none."
    assert sections_from_text(text) == (
        Section("Background", ("Costs rose.",)),
        Section("Methods", ("We compared 12 regions. Note: a colon.",)),
        Section("Results", ("none.",)))


# --- the fast paths against the plain scans ----------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from quarterly_cli import abstracts  # noqa: E402


def _reference(text: str) -> tuple[Section, ...]:
    """sections_from_text without its shortcuts (no `: ` test, no capital-before-colon test)."""
    import re

    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]
    pieces: list[tuple[str | None, str]] = []
    for paragraph in paragraphs:
        heads = [m for m in abstracts._CAPS_HEAD.finditer(paragraph)
                 if abstracts._is_label(m.group(1))]
        if heads and heads[0].start() == 0:
            for n, head in enumerate(heads):
                end = heads[n + 1].start() if n + 1 < len(heads) else len(paragraph)
                body = paragraph[head.end():end].strip()
                if body:
                    pieces.append((head.group(1).strip(), body))
            continue
        lead = abstracts._HEAD.match(paragraph)
        if lead and abstracts._known(lead.group(1)) and paragraph[lead.end():].strip():
            heads = [lead] + [m for m in abstracts._INLINE_HEAD.finditer(paragraph, lead.end())
                              if abstracts._known(m.group(1))]
            for n, head in enumerate(heads):
                end = heads[n + 1].start() if n + 1 < len(heads) else len(paragraph)
                body = paragraph[head.end():end].strip()
                if body:
                    pieces.append((head.group(1), body))
            continue
        pieces.append((None, paragraph))
    out: list[tuple[str | None, list[str]]] = []
    for label, body in pieces:
        if label is None and out:
            out[-1][1].append(body)
        else:
            out.append((label, [body]))
    return tuple(Section(label, tuple(body)) for label, body in out)


_WORDS = ["BACKGROUND", "METHODS", "Results", "Methods", "Background and aims", "X", "(A)",
          "a", "b.", "c!", "d?", "ABC", "Note", "RESULTS (N)", "e", "f"]
_GLUE = [" ", ": ", ":", ". ", "  ", "\n", "\n\n", " \n \n", "\t", "\xa0", "\x85", ":\n"]
abstract_text = st.lists(st.tuples(st.sampled_from(_WORDS), st.sampled_from(_GLUE)),
                         max_size=14).map(lambda parts: "".join(w + g for w, g in parts))


# Sentences and headings, as structured abstracts are written on one line.
_HEADINGS = ["BACKGROUND", "Methods", "RESULTS (N)", "Background and aims", "Note", "AB", "X Y"]
sentence_text = st.lists(st.one_of(
    st.builds(lambda h, c: h + c, st.sampled_from(_HEADINGS), st.sampled_from([": ", ":  ", ":"])),
    st.builds(lambda w, t: w + t, st.sampled_from(["a", "b c", "D", "(e)"]),
              st.sampled_from([". ", "! ", "? ", " ", ".", ".  "]))), max_size=10).map("".join)


@settings(max_examples=1500, derandomize=True, deadline=None)
@given(st.one_of(abstract_text, sentence_text, st.text(max_size=60)))
def test_shortcuts_find_what_the_scans_find(text: str) -> None:
    assert sections_from_text(text) == _reference(text)


# Sentences with long words and long headings, so that a `: ` falls near the 64 characters
# _at_sentences looks back from it, where the last space before it may end a sentence (its
# str.rfind) or not (its regex).
long_sentence_text = st.lists(st.one_of(
    st.builds(lambda h, c: h + c, st.sampled_from(
        _HEADINGS + ["Main outcomes and measures", "DESIGN, SETTING, AND PARTICIPANTS",
                     "Methods" * 9, "Results (n)"]), st.sampled_from([": ", ":"])),
    st.builds(lambda w, t: w + t, st.sampled_from(["a" * 20, "b" * 55, "c d", "X:", "Y: z"]),
              st.sampled_from([". ", "? ", " ", ".", ": "]))), max_size=12).map("".join)


@settings(max_examples=1000, derandomize=True, deadline=None)
@given(long_sentence_text)
def test_shortcuts_find_what_the_scans_find_near_the_window(text: str) -> None:
    assert sections_from_text(text) == _reference(text)
    folded = " ".join(text.split())  # what sections_from_line is given
    assert abstracts.sections_from_line(folded) == _reference(folded)
