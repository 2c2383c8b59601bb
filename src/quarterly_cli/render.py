"""How `quarterly show` lays a record out: Rich on a terminal, plain text when piped.

This is the only module that imports Rich, and only inside `rich_view`/`print_rich`. All record
text enters Rich as `Text` objects built from spans, never as markup strings, so `[bold]` or
`[link=…]` in a title from the network is printed literally; control characters are stripped first.
"""

from __future__ import annotations

from typing import Any

from . import doi as doi_mod
from . import markup
from .model import Name, Record


def author_line(authors: tuple[Name, ...]) -> str:
    return ", ".join(
        n.literal if n.literal is not None else " ".join(
            p for p in (n.given, n.dropping_particle, n.full_family, n.suffix) if p)
        for n in authors
    )


def citation_line(record: Record) -> str:
    """`The Milbank Quarterly · 2014 · 92(4) · 725–753`"""
    parts = [record.container_title or "", str(record.year or "")]
    if record.volume:
        parts.append(record.volume + (f"({record.issue})" if record.issue else ""))
    if record.number:
        parts.append(f"Article {record.number}")
    elif record.page:
        first, last = record.page_first, record.page_last
        parts.append(f"{first}–{last}" if last else first or "")
    return " · ".join(p for p in parts if p)


def section_slug(label: str | None) -> str:
    return (label or "abstract").strip().lower().replace(" ", "-")


def sections(record: Record) -> dict[str, list[str]]:
    """Named parts for `--section`: policy-points, then each abstract section by its label."""
    out: dict[str, list[str]] = {}
    if record.policy_points:
        out["policy-points"] = list(record.policy_points)
    for section in record.abstract:
        out.setdefault(section_slug(section.label), []).extend(section.paragraphs)
    return out


def _clean(text: str) -> str:
    return markup.strip_controls(text)


def plain_view(record: Record) -> str:
    """The whole record as plain text with no escape codes (for pipes and files)."""
    lines = [_clean(markup.plain(record.title))]
    if record.author:
        lines.append(_clean(author_line(record.author)))
    lines.append(_clean(citation_line(record)))
    if record.DOI:
        lines.append(_clean(doi_mod.url(record.DOI)))
    if record.policy_points:
        lines += ["", "Policy Points"]
        lines += [f"  • {_clean(markup.plain(p))}" for p in record.policy_points]
    for section in record.abstract:
        lines += ["", _clean(section.label or "Abstract")]
        for n, paragraph in enumerate(section.paragraphs):
            if n:
                lines.append("")
            lines.append(_clean(markup.plain(paragraph)))
    if record.keyword:
        lines += ["", "Keywords: " + _clean("; ".join(record.keyword))]
    return "\n".join(lines) + "\n"


def _rich_text(rich: str, base_style: str = "") -> Any:
    from rich.text import Text

    styles = {"i": "italic", "b": "bold", "sup": "", "sub": "", "nocase": ""}
    text = Text(style=base_style)
    for span in markup.parse(rich):
        style = " ".join(styles[s] for s in sorted(span.styles) if styles[s])
        text.append(_clean(span.text), style=style or None)
    return text


def rich_view(record: Record) -> Any:
    """One Rich renderable for the whole record (testable with Console(record=True))."""
    from rich.console import Group
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    parts: list[Any] = [_rich_text(record.title, "bold")]
    if record.author:
        parts.append(Text(_clean(author_line(record.author)), style="cyan"))
    parts.append(Text(_clean(citation_line(record)), style="dim"))
    if record.DOI:
        url = doi_mod.url(record.DOI)
        parts.append(Text(_clean(url), style=f"link {url} blue underline"))
    if record.policy_points:
        parts += [Text(""), Text("Policy Points", style="bold magenta")]
        bullets = Table.grid(padding=(0, 1))  # a hanging indent for wrapped bullet text
        bullets.add_column(no_wrap=True)
        bullets.add_column()
        for point in record.policy_points:
            bullets.add_row("•", _rich_text(point))
        parts.append(Padding(bullets, (0, 0, 0, 2)))
    for section in record.abstract:
        parts += [Text(""), Text(_clean(section.label or "Abstract"), style="bold magenta")]
        for n, paragraph in enumerate(section.paragraphs):
            if n:
                parts.append(Text(""))
            parts.append(Padding(_rich_text(paragraph), (0, 0, 0, 2)))
    if record.keyword:
        line = Text("Keywords: ", style="bold")
        line.append(_clean("; ".join(record.keyword)))
        parts += [Text(""), line]
    return Group(*parts)


def print_rich(records: list[Record], color: bool) -> None:
    from rich.console import Console

    # Only called when colour is wanted (a terminal, or --color into a pipe).
    console = Console(force_terminal=True, no_color=not color, highlight=False, soft_wrap=False)
    for n, record in enumerate(records):
        if n:
            console.rule()
        console.print(rich_view(record))


def print_table(rows: list[tuple[str, str, str, str]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(highlight=False)
    # Identifiers are never cut (a DOI must stay copyable): the title wraps instead, and only on a
    # terminal too narrow for the identifier itself does it fold onto a second line.
    width = max((len(row[0]) for row in rows), default=3)
    table.add_column("DOI / PMID", no_wrap=True, overflow="fold", min_width=min(width, 60))
    table.add_column("First author", overflow="fold", max_width=24)
    table.add_column("Year", no_wrap=True)
    table.add_column("Title", ratio=1, overflow="fold")
    for row in rows:
        table.add_row(*(_rich_text(cell) for cell in row))
    Console(force_terminal=True, highlight=False).print(table)
