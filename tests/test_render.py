"""Rich layout of `quarterly show`, rendered on a fixed-width recording console."""

from __future__ import annotations

from rich.console import Console

from quarterly_cli.bundled import bundled_record
from quarterly_cli.model import Record, Section
from quarterly_cli.render import plain_view, rich_view


def render(record: Record, width: int = 80) -> Console:
    console = Console(record=True, width=width, color_system="truecolor", force_terminal=True)
    console.print(rich_view(record))
    return console


def test_layout_wraps_to_width_and_holds_every_part():
    console = render(bundled_record(), width=60)
    text = console.export_text()
    lines = [line.rstrip() for line in text.splitlines()]
    assert lines[0] == "The Challenge of Implementing Peer-Led Interventions in a"
    assert all(len(line) <= 60 for line in lines)
    assert "Jonathan Mathers, Rebecca Taylor, Jayne Parry" in text
    assert "The Milbank Quarterly · December 2014 · 92(4) · 725–753" in text
    assert "  • In 2004, England’s National Health Service introduced" in text
    for label in ("Policy Points", "Context", "Methods", "Findings", "Conclusions"):
        assert f"\n{label}\n" in text
    assert "Keywords: health trainer; health inequalities; policy" in text


def test_doi_is_a_hyperlink():
    console = render(bundled_record())
    html = console.export_html(inline_styles=True)
    assert 'href="https://doi.org/10.1111/1468-0009.12090"' in html


def test_hostile_title_is_literal_and_stripped():
    hostile = Record(
        title="[bold red]Pwned[/] \x1b]8;;http://evil\x07click\x1b]8;;\x07 \x1b[2J<i>Real</i>",
        abstract=(Section("Methods", ("[link=http://evil]x[/link] \x07bell",)),),
    )
    text = render(hostile).export_text()
    assert "[bold red]Pwned[/]" in text
    assert "[link=http://evil]x[/link]" in text
    assert "\x1b" not in text and "\x07" not in text
    plain = plain_view(hostile)
    assert "\x1b" not in plain and "\x07" not in plain
    assert "[bold red]Pwned[/] click Real" in plain


def test_italic_markup_becomes_italic_style():
    console = render(Record(title="Cost of <i>Helicobacter pylori</i> screening"))
    html = console.export_html(inline_styles=True)
    assert "font-style: italic" in html
