"""How `quarterly show` lays a record out: Rich on a terminal, plain text when piped.

This is the only module that imports Rich, and only inside `rich_view`/`print_rich`. All record
text enters Rich as `Text` objects built from spans, never as markup strings, so `[bold]` or
`[link=…]` in a title from the network is printed literally; control characters are stripped first.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from . import doi as doi_mod
from . import markup
from .model import Date, Name, Record


def author_line(authors: tuple[Name, ...]) -> str:
    return ", ".join(
        n.literal if n.literal is not None else " ".join(
            p for p in (n.given, n.dropping_particle, n.full_family, n.suffix) if p)
        for n in authors
    )


# A page of prose is easiest to read at about 65-80 characters a line (the measure of book
# typography, and man(1)'s default): on a wider terminal `show` keeps to this many columns.
READING_WIDTH = 80

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_SEASONS = ("Spring", "Summer", "Autumn", "Winter")
# CSL types as a reader names them; the others are CSL's own name in words (`legal_case` →
# Legal case).
_TYPE_NAMES = {
    "article": "Article", "article-journal": "Journal article",
    "article-magazine": "Magazine article", "article-newspaper": "Newspaper article",
    "chapter": "Book chapter", "paper-conference": "Conference paper", "post": "Post",
    "post-weblog": "Blog post", "review-book": "Book review", "entry-dictionary":
    "Dictionary entry", "entry-encyclopedia": "Encyclopedia entry", "webpage": "Web page",
}
# PubMed's publication type that every journal article has, and so says nothing.
_GENERIC_PUBLICATION_TYPES = frozenset(("Journal Article",))


def date_text(date: Date | None) -> str:
    """`5 December 2014`, `December 2014`, `2014`, `Spring 2015`, `November–December 2014`,
    `c. 1850`; a literal date as written."""
    if date is None:
        return ""
    if not date.parts:
        return date.literal or ""

    def one(parts: tuple[int, ...], with_year: bool = True) -> str:
        words = [str(parts[2])] if len(parts) > 2 else []
        if len(parts) > 1:
            words.append(_MONTHS[parts[1] - 1])
        elif date.season is not None:
            words.append(_SEASONS[date.season - 1])
        if with_year:
            words.append(str(parts[0]))
        return " ".join(words)

    if not date.end:
        text = one(date.parts)
    elif date.end[0] == date.parts[0] and len(date.parts) > 1 and len(date.end) > 1:
        text = f"{one(date.parts, with_year=False)}–{one(date.end)}"  # November–December 2014
    else:
        text = f"{one(date.parts)}–{one(date.end)}"
    return ("c. " if date.circa else "") + text


def citation_line(record: Record) -> str:
    """`The Milbank Quarterly · December 2014 · 92(4) · 725–753`"""
    parts = [record.container_title or "", date_text(record.issued)]
    if record.volume:
        parts.append(record.volume + (f"({record.issue})" if record.issue else ""))
    if record.number:
        parts.append(f"Article {record.number}")
    elif record.page:
        first, last = record.page_first, record.page_last
        parts.append(f"{first}–{last}" if last else first or "")
    return " · ".join(p for p in parts if p)


def kind_line(record: Record) -> str:
    """`Journal article (Original Investigation) · Wiley`: the type, the journal's or PubMed's
    finer name for it when the record has one, and the publisher."""
    kind = _TYPE_NAMES.get(record.type) or record.type.replace("-", " ").replace("_", " ")
    kind = kind[:1].upper() + kind[1:]
    finer = record.get("genre") or record.get("section")
    if not finer:
        listed = record.custom.get("publication-types")
        if isinstance(listed, list):
            finer = ", ".join(t for t in listed
                              if isinstance(t, str) and t not in _GENERIC_PUBLICATION_TYPES)
    if finer:
        kind += f" ({finer})"
    return " · ".join(p for p in (kind, record.get("publisher")) if p)


def affiliations(record: Record) -> tuple[str, ...]:
    """The record's affiliations, else its authors', each once, in order."""
    if record.affiliation:
        return record.affiliation
    return tuple(dict.fromkeys(a for name in record.author for a in name.affiliation))


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


def links(record: Record) -> list[tuple[str, str]]:
    """(label, URL) for where the work is: its DOI, its PubMed and PMC pages, else its URL."""
    out = []
    if record.DOI:
        out.append((doi_mod.url(record.DOI), doi_mod.url(record.DOI)))
    if record.PMID:
        out.append((f"PMID {record.PMID}", f"https://pubmed.ncbi.nlm.nih.gov/{record.PMID}/"))
    if record.PMCID:
        out.append((f"PMCID {record.PMCID}",
                    f"https://pmc.ncbi.nlm.nih.gov/articles/{record.PMCID}/"))
    if not out and record.URL:
        out.append((record.URL, record.URL))
    return [(_clean(label), _clean(url)) for label, url in out]


def link(record: Record) -> str | None:
    """Where the work is: its DOI, else its PubMed page, else its URL."""
    found = links(record)
    return found[0][1] if found else None


def abstract_note(record: Record) -> str | None:
    """One quiet line under the abstract: where it came from when a source said so
    (`Abstract: PubMed 25492602`), or that there is none."""
    if not record.abstract and not record.policy_points:
        return "No abstract."
    return f"Abstract: {record.abstract_source}" if record.abstract_source else None


class _Block(NamedTuple):
    """One paragraph of the view: CSL rich text (`rich`) or plain text, with the prefix of its
    first line and of the lines it wraps onto (a hanging indent)."""

    text: str
    style: str = ""
    first: str = ""
    rest: str = ""
    rich: bool = False
    label_style: str = ""  # the style of `first` (`Keywords:` in bold)


_BLANK = _Block("")


def _blocks(record: Record) -> list[_Block]:
    """The view, top to bottom, in the same order for the terminal and for plain text."""
    out = [_Block(record.title, "bold", rich=True)]
    if record.author:
        out.append(_Block(author_line(record.author), "cyan"))
    places = affiliations(record)
    if places:
        out.append(_Block("; ".join(places), "dim"))
    for line in (citation_line(record), kind_line(record)):
        if line:
            out.append(_Block(line, "dim"))
    if record.policy_points:
        out += [_BLANK, _Block("Policy Points", "bold magenta")]
        out += [_Block(p, first="  • ", rest="    ", rich=True) for p in record.policy_points]
    for section in record.abstract:
        out += [_BLANK, _Block(section.label or "Abstract", "bold magenta")]
        for n, paragraph in enumerate(section.paragraphs):
            if n:
                out.append(_BLANK)
            out.append(_Block(paragraph, first="  ", rest="  ", rich=True))
    note = abstract_note(record)
    if note:
        out += [_BLANK, _Block(note, "dim")]
    if record.keyword or record.mesh:
        out.append(_BLANK)
    for label, values in (("Keywords: ", record.keyword), ("MeSH: ", record.mesh)):
        if values:
            out.append(_Block("; ".join(values), first=label, rest=" " * len(label),
                              label_style="bold"))
    return out


def plain_view(record: Record) -> str:
    """The whole record as plain text with no escape codes (for pipes and files): one line per
    paragraph, links as URLs; labels and bullets are kept, indentation is not. Notices come
    first (`RETRACTED: …`), so that a pipe's first line says it."""
    from .notices import banner_lines

    banner = [_clean(markup.one_line(line)) for line in banner_lines(record)]
    lines = [*banner, ""] if banner else []
    for block in _blocks(record):
        text = markup.plain(block.text) if block.rich else block.text
        prefix = block.first if block.first.strip() else ""
        lines.append(prefix + _clean(text) if text else "")
    head = _head_length(record) + (len(banner) + 1 if banner else 0)
    lines[head:head] = [url for _, url in links(record)]
    return "\n".join(lines) + "\n"


def _head_length(record: Record) -> int:
    """How many lines come before the links: title, authors, affiliations, citation, kind."""
    return 1 + bool(record.author) + bool(affiliations(record)) + bool(
        citation_line(record)) + bool(kind_line(record))


def _rich_text(rich: str, base_style: str = "") -> Any:
    from rich.text import Text

    styles = {"i": "italic", "b": "bold", "sup": "", "sub": "", "nocase": ""}
    text = Text(style=base_style)
    for span in markup.parse(rich):
        style = " ".join(styles[s] for s in sorted(span.styles) if styles[s])
        text.append(_clean(span.text), style=style or None)
    return text


def _link_lines(record: Record) -> list[Any]:
    """The DOI as a URL, and `PMID 25492602 · PMCID PMC4266174`, each a terminal hyperlink."""
    from rich.text import Text

    out = []
    found = links(record)
    if found and found[0][0] == found[0][1]:  # a DOI or URL: shown as the address itself
        label, url = found.pop(0)
        out.append(Text(label, style=_link_style(url)))
    if found:
        line = Text()
        for n, (label, url) in enumerate(found):
            if n:
                line.append(" · ", style="dim")
            line.append(label, style=_link_style(url))
        out.append(line)
    return out


def _link_style(url: str) -> str:
    # Only a URL with nothing Rich could read as style syntax becomes a link.
    linkable = re.fullmatch(r"https?://[^\s\[\]]+", url)
    return f"link {url} blue underline" if linkable else "blue"


class _View:
    """The record laid out for a terminal: each paragraph wrapped to the reading width (or the
    terminal's, if narrower) with its hanging indent, lines ending at their last character (no
    padding, so copied lines carry no trailing spaces), links never wrapped (a URL cut in two
    cannot be clicked or copied)."""

    def __init__(self, record: Record) -> None:
        self.record = record

    def __rich_console__(self, console: Any, options: Any) -> Any:
        from rich.segment import Segment
        from rich.text import Text

        width = min(options.max_width, READING_WIDTH)
        blocks: list[_Block | Text] = list(_blocks(self.record))
        head = _head_length(self.record)
        blocks[head:head] = _link_lines(self.record)
        for block in blocks:
            if isinstance(block, Text):  # a link line: never wrapped
                yield from _segments(console, block)
                yield Segment.line()
                continue
            if not block.text:
                yield Segment.line()
                continue
            text = (_rich_text(block.text, block.style) if block.rich
                    else Text(_clean(block.text), style=block.style))
            room = max(width - len(block.first), 20)
            for k, line in enumerate(text.wrap(console, room)):
                line.rstrip()
                prefix = block.first if k == 0 else block.rest
                if prefix:
                    yield Segment(prefix, console.get_style(block.label_style or "none")
                                  if k == 0 else None)
                yield from _segments(console, line)
                yield Segment.line()


def _segments(console: Any, line: Any) -> Any:
    """A Text's segments with its own style applied (Text.render leaves a Text's base style to
    the caller; appending it to an empty Text turns that style into a span)."""
    from rich.text import Text

    holder = Text()
    holder.append(line)
    return holder.render(console)


def json_view(record: Record) -> dict[str, Any]:
    """The record as `show --json` prints it: quarterly's record JSON, with every title-like
    field as plain text and, where markup was removed, the CSL rich text beside it under
    `NAME-markup` (`title-markup`: `… in <span class="nocase">England</span>`). `cite -f json`
    keeps the rich text in place, for reading back."""
    from .model import RICH_VARS

    data = record.to_dict()
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key in RICH_VARS and isinstance(value, str) and markup.plain(value) != value:
            out[key] = markup.plain(value)
            out[f"{key}-markup"] = value
        else:
            out[key] = value
    return out


def rich_view(record: Record) -> Any:
    """One Rich renderable for the whole record (testable with Console(record=True)): the
    notice banner first, when there is one."""
    banner = notice_banner(record)
    if banner is None:
        return _View(record)
    from rich.console import Group

    return Group(banner, _View(record))


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
    from rich.rule import Rule

    # Laid out (a terminal, or --color into a pipe); NO_COLOR and --no-color take the colour
    # away and leave the layout (https://no-color.org: no colour, nothing else).
    console = Console(force_terminal=True, no_color=not color, highlight=False, soft_wrap=False)
    for n, record in enumerate(records):
        if n:
            console.print(Rule(style="dim"), width=min(console.width, READING_WIDTH))
        console.print(rich_view(record))


def print_table(rows: list[tuple[str, str, str, str]], color: bool = True) -> None:
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
    Console(force_terminal=True, no_color=not color, highlight=False).print(table)


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
