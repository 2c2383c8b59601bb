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
    """The whole record as plain text with no escape codes (for pipes and files)."""
    lines = [_clean(markup.plain(record.title))]
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

    parts: list[Any] = [_rich_text(record.title, "bold")]
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
    """Network lookups on stderr: after DELAY_S, a spinner with the reference the output waits on
    (`Looking up 10.1111/… · 2/7 done`), with a bar for more than
    PROGRESS_THRESHOLD lookups. A lookup answered sooner draws nothing; `always` draws even for
    a pipe (Rich is imported only when something is drawn). Called from the batch as
    `bar(done, total)` and `bar.waiting(reference)`; drawn from a timer thread, hence the lock."""

    PROGRESS_THRESHOLD = 5
    DELAY_S = 0.5
    MAX_REFERENCE = 60  # characters of the reference shown; a long one ends in `…`

    def __init__(self, always: bool = False) -> None:
        import threading

        self.always = always
        self.progress: Any = None
        self.task: Any = None
        self.done, self.total, self.reference = 0, 0, ""
        self.lock = threading.Lock()
        self.timer: threading.Timer | None = None
        self.stopped = False

    def waiting(self, reference: str) -> None:
        import threading

        with self.lock:
            self.reference = _short(markup.squash_space(_clean(reference)), self.MAX_REFERENCE)
            if self.timer is None and not self.stopped:
                self.timer = threading.Timer(self.DELAY_S, self._show)
                self.timer.daemon = True
                self.timer.start()
            self._update()

    def __call__(self, done: int, total: int) -> None:
        with self.lock:
            self.done, self.total = done, total
            self._update()

    def _description(self) -> str:
        count = f" · {self.done}/{self.total} done" if self.total > 1 else ""
        return f"Looking up {self.reference}{count}"

    def _show(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn

        with self.lock:
            if self.stopped or self.progress is not None:
                return
            console = Console(stderr=True, highlight=False)
            if not (self.always or console.is_terminal):
                return
            columns: list[Any] = [SpinnerColumn(), TextColumn("{task.description}", markup=False)]
            if self.total > self.PROGRESS_THRESHOLD:
                columns.append(BarColumn())
            self.progress = Progress(*columns, console=console, transient=True)
            self.task = self.progress.add_task(self._description(), total=self.total or None,
                                               completed=self.done)
            self.progress.start()

    def _update(self) -> None:
        if self.progress is not None:
            self.progress.update(self.task, description=self._description(), completed=self.done,
                                 total=self.total or None)

    def stop(self) -> None:
        with self.lock:
            self.stopped = True
            if self.timer is not None:
                self.timer.cancel()
            if self.progress is not None:
                self.progress.stop()


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
