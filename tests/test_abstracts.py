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
