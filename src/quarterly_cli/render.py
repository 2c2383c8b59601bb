"""How `quarterly show` lays a record out: Rich on a terminal, plain text when piped.

This is the only module that imports Rich, and only inside `rich_view`/`print_rich`. All record
text enters Rich as `Text` objects built from spans, never as markup strings, so `[bold]` or
`[link=…]` in a title from the network is printed literally; control characters are stripped first.
"""

from __future__ import annotations

import re
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


def link(record: Record) -> str | None:
    """Where the work is: its DOI, else its PubMed page, else its URL."""
    if record.DOI:
        return doi_mod.url(record.DOI)
    if record.PMID:
        return f"https://pubmed.ncbi.nlm.nih.gov/{record.PMID}/"
    return record.URL


def abstract_note(record: Record) -> str | None:
    """One quiet line under the abstract: where it came from when a source said so
    (`Abstract: PubMed 25492602`), or that there is none."""
    if not record.abstract and not record.policy_points:
        return "No abstract."
    return f"Abstract: {record.abstract_source}" if record.abstract_source else None


def plain_view(record: Record) -> str:
    """The whole record as plain text with no escape codes (for pipes and files). Notices come
    first (`RETRACTED: …`), so that a pipe's first line says it."""
    from .notices import banner_lines

    banner = [_clean(markup.one_line(line)) for line in banner_lines(record)]
    lines = [*banner, ""] if banner else []
    lines.append(_clean(markup.plain(record.title)))
    if record.author:
        lines.append(_clean(author_line(record.author)))
    lines.append(_clean(citation_line(record)))
    where = link(record)
    if where:
        lines.append(_clean(where))
    if record.policy_points:
        lines += ["", "Policy Points"]
        lines += [f"  • {_clean(markup.plain(p))}" for p in record.policy_points]
    for section in record.abstract:
        lines += ["", _clean(section.label or "Abstract")]
        for n, paragraph in enumerate(section.paragraphs):
            if n:
                lines.append("")
            lines.append(_clean(markup.plain(paragraph)))
    note = abstract_note(record)
    if note:
        lines += ["", _clean(note)]
    if record.keyword or record.mesh:
        lines.append("")
    if record.keyword:
        lines.append("Keywords: " + _clean("; ".join(record.keyword)))
    if record.mesh:
        lines.append("MeSH: " + _clean("; ".join(record.mesh)))
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

    parts: list[Any] = []
    banner = notice_banner(record)
    if banner is not None:
        parts.append(banner)
    parts.append(_rich_text(record.title, "bold"))
    if record.author:
        parts.append(Text(_clean(author_line(record.author)), style="cyan"))
    parts.append(Text(_clean(citation_line(record)), style="dim"))
    url = link(record)
    if url:
        url = _clean(url)
        # Only a URL with nothing Rich could read as style syntax becomes a link.
        linkable = re.fullmatch(r"https?://[^\s\[\]]+", url)
        parts.append(Text(url, style=f"link {url} blue underline" if linkable else "blue"))
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
    note = abstract_note(record)
    if note:
        parts += [Text(""), Text(_clean(note), style="dim")]
    if record.keyword or record.mesh:
        parts.append(Text(""))
    for label, values in (("Keywords: ", record.keyword), ("MeSH: ", record.mesh)):
        if values:
            line = Text(label, style="bold")
            line.append(_clean("; ".join(values)))
            parts.append(line)
    return Group(*parts)


# Banner colours by notice kind (notices.KINDS), the most serious notice colouring the frame.
_NOTICE_STYLES = {"retracted": "bold red", "concern": "bold yellow", "superseded": "bold cyan",
                  "corrected": "bold cyan", "notice": "bold blue"}


def _linked(url: str) -> Any:
    from rich.text import Text

    url = _clean(url)
    # Only a URL with nothing Rich could read as style syntax becomes a link.
    if re.fullmatch(r"https?://[^\s\[\]]+", url):
        return Text(url, style=f"link {url} underline")
    return Text(url)


def notice_banner(record: Record) -> Any:
    """A framed block of the record's notices, most serious first (None when it has none):
    kind, what and when, the notice's DOI as a link, who says so."""
    from rich.panel import Panel
    from rich.text import Text

    from .notices import notices

    found = notices(record)
    if not found:
        return None
    body = Text()
    for n, notice in enumerate(found):
        if n:
            body.append("\n")
        body.append(notice.heading + ": ", style=_NOTICE_STYLES[notice.kind])
        text = _clean(markup.one_line(notice.text()))
        link = notice.link
        if link and link in text:
            before, _, after = text.partition(link)
            body.append(before)
            body.append_text(_linked(link))
            body.append(after)
        else:
            body.append(text)
    return Panel(body, border_style=_NOTICE_STYLES[found[0].kind].split()[-1], expand=False)


def print_check(rows: list[tuple[str, str, str]], summary: str) -> None:
    """`quarterly check` on a terminal: the findings grouped by severity, then the summary."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    styles = {"retracted": "bold red", "does-not-exist": "bold red", "concern": "yellow",
              "mismatch": "yellow", "unchecked": "magenta"}
    console = Console(force_terminal=True, highlight=False)
    if rows:
        table = Table(highlight=False)
        table.add_column("Level", no_wrap=True)
        table.add_column("Reference", overflow="fold", max_width=30)
        table.add_column("Finding", ratio=1, overflow="fold")
        previous = None
        for level, key, message in rows:
            if previous is not None and level != previous:
                table.add_section()
            table.add_row(Text(level, style=styles.get(level, "cyan")), Text(_clean(key)),
                          Text(_clean(markup.one_line(message))))
            previous = level
        console.print(table)
    console.print(Text(_clean(summary), style="bold"))


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


class ProgressBar:
    """Network lookups done / total, as a Rich bar on stderr. Called as `bar(done, total)` by the
    batch; drawn only for more than PROGRESS_THRESHOLD lookups unless `always` (Rich is imported
    only then)."""

    PROGRESS_THRESHOLD = 5

    def __init__(self, always: bool = False) -> None:
        self.always = always
        self.progress: Any = None
        self.task: Any = None

    def __call__(self, done: int, total: int) -> None:
        if self.progress is None:
            if not (self.always or total > self.PROGRESS_THRESHOLD):
                return
            from rich.console import Console
            from rich.progress import Progress

            self.progress = Progress(console=Console(stderr=True), transient=True)
            self.task = self.progress.add_task("Looking up references", total=total)
            self.progress.start()
        self.progress.update(self.task, completed=done, total=total)

    def stop(self) -> None:
        if self.progress is not None:
            self.progress.stop()
