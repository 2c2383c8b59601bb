"""The `quarterly` command line: Click only. Each command parses options, calls the library and
chooses the output; library errors become exit codes here and nowhere else.

Exit codes: 0 success; 1 a reference could not be resolved or formatted (others are still
printed); 2 usage errors (unknown option, format or malformed reference).
"""

from __future__ import annotations

import errno
import json
import os
import sys

import click

from . import __version__
from .errors import QuarterlyError, UsageError
from .formats import DEFAULT_FORMAT, FORMATS, MARKUPS, Options, by_extension
from .sources import AUTO, choices

ISSUES_URL = "https://github.com/quarterly-cli/quarterly/issues"
# Exit codes (README, "Exit codes"): 0 done; 1 a reference or the run failed; 2 usage errors;
# 70 a bug in quarterly (EX_SOFTWARE); 130 interrupted (Ctrl-C).
EXIT_BUG = 70
EXIT_INTERRUPTED = 130


def one_line(text: str) -> str:
    """Any text bound for the terminal in a message: control characters (escape sequences, BEL)
    removed and white space folded, so a hostile reference or record cannot write to the terminal
    or forge further lines."""
    from .markup import squash_space, strip_controls

    return squash_space(strip_controls(text))


class Failure(click.ClickException):
    """A QuarterlyError on its way out: one `Error: …` line on stderr, the error's exit code."""

    def __init__(self, error: QuarterlyError) -> None:
        super().__init__(one_line(str(error)))
        self.exit_code = error.exit_code  # type: ignore[misc]  # per instance: 1 or 2


class _Bug(click.ClickException):
    exit_code = EXIT_BUG


def _color_flag(flag: bool | None) -> bool | None:
    if flag is None:  # `quarterly --no-color show` sets it for every command
        ctx = click.get_current_context(silent=True)
        flag = ctx.find_root().params.get("color") if ctx is not None else None
    return flag


def _use_color(flag: bool | None, stream=None) -> bool:
    flag = _color_flag(flag)
    if flag is not None:
        return flag
    if os.environ.get("NO_COLOR"):
        return False
    stream = stream or sys.stdout
    return stream is not None and stream.isatty()


def _layout(flag: bool | None) -> tuple[bool, bool]:
    """(laid out, in colour) for `show`, `list` and `search`: laid out on a terminal (or with
    --color, into a pipe too); NO_COLOR and --no-color take the colour away, never the layout
    (https://no-color.org), so words still wrap between words."""
    flag = _color_flag(flag)
    terminal = sys.stdout is not None and sys.stdout.isatty()
    if flag is not None:
        return flag or terminal, flag
    return terminal, terminal and not os.environ.get("NO_COLOR")


_color_option = click.option(
    "--color/--no-color", default=None,
    help="Colour on or off (default: on for a terminal unless NO_COLOR is set); --color also "
         "lays out output for a pipe.",
)
_offline_option = click.option("--offline", is_flag=True,
                               help="Never use the network; fail for records not stored locally.")
_refresh_option = click.option("--refresh", is_flag=True,
                               help="Fetch again even if the record is stored locally.")
_source_option = click.option(
    "--source", type=click.Choice(choices()), default=AUTO, show_default=True,
    help="Where to look records up: auto asks Crossref, then PubMed (for PMIDs, and for the "
         "abstract a Crossref record lacks), then doi.org; or name one source.")


def _debug(ctx: click.Context) -> bool:
    return bool(ctx.find_root().params.get("traceback")) or os.environ.get(
        "QUARTERLY_DEBUG", "") not in ("", "0")


class _Group(click.Group):
    """Every command runs inside this: any QuarterlyError, wherever it is raised (lazily read
    files included), becomes one `Error:` line and its exit code — never a traceback. Anything
    else is a bug: one line that says so and how to see the traceback (exit 70)."""

    def main(self, *args, **kwargs):  # type: ignore[override]
        if sys.stdout is None:  # started with standard output closed (`quarterly cite 1>&-`)
            if sys.stderr is not None:
                sys.stderr.write("Error: standard output is closed. Redirect it to a file, or "
                                 "write with -o FILE.\n")
            sys.exit(1)
        return super().main(*args, **kwargs)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except QuarterlyError as exc:
            raise Failure(exc) from None
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            _exit_interrupted()
        except OSError as exc:
            if exc.errno == errno.EPIPE:
                raise  # Click ends quietly on a closed pipe (`| head`)
            if _debug(ctx):
                raise
            raise _Bug(_bug_message(exc)) from None
        except Exception as exc:
            if _debug(ctx):
                raise
            raise _Bug(_bug_message(exc)) from None


def _exit_interrupted() -> None:
    """Exit 130 now. Lookups still in flight sit in socket reads that nothing can interrupt, and
    Python joins their threads before it exits (up to QUARTERLY_READ_TIMEOUT later), so with such
    threads alive the process ends without that join. Records already fetched were committed to
    the store as they arrived, and the store was closed on the way here."""
    import threading

    if threading.active_count() == 1:
        sys.exit(EXIT_INTERRUPTED)
    from contextlib import suppress

    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            with suppress(OSError):  # a closed pipe: nothing more can be said on it
                stream.flush()
    os._exit(EXIT_INTERRUPTED)


def _bug_message(exc: BaseException) -> str:
    return one_line(
        f"quarterly hit a bug ({type(exc).__name__}: {exc}). Please report it at {ISSUES_URL} "
        "with the command you ran; QUARTERLY_DEBUG=1 or --traceback shows the traceback.")


_MAIN_HELP = f"""Read and cite journal articles: structured abstracts, and references in
{", ".join(FORMATS)} (`quarterly formats` describes each).

With no reference, commands use the bundled article (Mathers et al., The Milbank Quarterly,
2014, doi:10.1111/1468-0009.12090).

\b
  quarterly show
  quarterly cite --format bibtex 10.1111/1468-0009.12090 >> refs.bib
"""


@click.group(cls=_Group, invoke_without_command=True, help=_MAIN_HELP,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="quarterly")
@click.option("--color/--no-color", default=None,
              help="Colour on or off for every command (default: on for a terminal unless "
                   "NO_COLOR is set); --color also lays out output for a pipe.")
@click.option("--traceback", is_flag=True,
              help="Show the traceback of an unexpected error (as QUARTERLY_DEBUG=1 does).")
@click.pass_context
def main(ctx: click.Context, color: bool | None, traceback: bool) -> None:
    # The help text is _MAIN_HELP, built from the format registry so that it lists every format.
    if ctx.invoked_subcommand is None:  # `quarterly` alone: help on stdout, success
        click.echo(ctx.get_help())


def _collect(references: tuple[str, ...], offline: bool, refresh: bool, strict: bool,
             progress: bool | None, source: str):
    from .batch import collect

    stdin_text = _stdin() if any(r.strip() == "-" for r in references) else None
    bar = None
    if progress or (progress is None and sys.stderr.isatty()):
        from .render import ProgressBar

        bar = ProgressBar(always=bool(progress))
    try:
        return collect(references, stdin_text=stdin_text, offline=offline, refresh=refresh,
                       strict=strict, source=source, progress=bar,
                       waiting=bar.waiting if bar is not None else None)
    finally:
        if bar is not None:
            bar.stop()


def _stdin():
    """Standard input for `-`: refused when closed (`quarterly cite - <&-`); on a terminal, a
    line on stderr says that it is waiting and how to end."""
    from .fileio import stdin_input

    if sys.stdin is None:
        raise UsageError("Standard input is closed: give references as arguments, or pipe them "
                         "in (… | quarterly cite -).")
    raw = sys.stdin.buffer
    if raw.isatty():
        end = "Ctrl-Z then Enter" if os.name == "nt" else "Ctrl-D"
        click.echo(f"Reading references from standard input, one per line; {end} to end.",
                   err=True)
    return stdin_input(raw)


def _json_text(data) -> str:
    """JSON for stdout. json.dumps escapes C0 controls but, with ensure_ascii=False, writes DEL
    and the C1 controls (U+0080-U+009F; U+009B is a CSI to many terminals) as they are: those
    are escaped too, so no value reaches the terminal as a control character."""
    import re

    text = json.dumps(data, ensure_ascii=False, indent=2)
    return re.sub("[\x7f-\x9f]", lambda m: f"\\u{ord(m.group()):04x}", text)


def _report(failures) -> None:
    """One line per failed reference; the reference is the user's text (a line of stdin may hold
    anything), so it goes through the same control-character policy as the message."""
    for failure in failures:
        click.echo(f"Error: {one_line(failure.reference)}: {one_line(str(failure.error))}",
                   err=True)


# What --section completes to when the references typed so far name no record held locally.
COMMON_SECTIONS = ("policy-points", "background", "context", "objective", "methods", "results",
                   "findings", "conclusions", "abstract")


def _complete_sections(ctx, param, incomplete: str):
    """The sections of the records named so far (the bundled article when none), as far as they
    can be read without the network; the common section names otherwise."""
    from itertools import islice

    from .batch import collect
    from .render import sections

    # While completing, Click leaves the references typed before `--section` in ctx.args.
    typed = ctx.params.get("references") or tuple(ctx.args)
    references = tuple(r for r in typed if r.strip() != "-")
    try:
        records = list(islice(collect(references, offline=True).iter_records(), 50))
    except QuarterlyError:
        records = []
    names = list(dict.fromkeys(name for r in records for name in sections(r))) or COMMON_SECTIONS
    return [name for name in names if name.startswith(incomplete.lower())]


@main.command()
@click.argument("references", nargs=-1, metavar="[REFERENCE]...")
@click.option("--json", "as_json", is_flag=True,
              help="Print the whole record as JSON, titles as plain text (the marked-up form "
                   "under title-markup).")
@click.option("--section", metavar="NAME", shell_complete=_complete_sections,
              help="Print only one section's text: policy-points, context, methods, findings, "
                   "conclusions, … (for scripts; not with --json).")
@_color_option
@_offline_option
@_refresh_option
@_source_option
def show(references: tuple[str, ...], as_json: bool, section: str | None, color: bool | None,
         offline: bool, refresh: bool, source: str) -> None:
    """Show an article's title, authors, Policy Points and structured abstract.

    REFERENCE is a DOI, PMID or PMCID in any common form (10.…, pmid:25492602, PMC4266174, a
    doi.org or PubMed URL), or a .bib, .ris or .json file; with none, the bundled article.

    \b
      quarterly show
      quarterly show --section methods
      quarterly show --json doi:10.1111/1468-0009.12090
      quarterly show pmid:25492602
    """
    if section is not None and as_json:
        raise UsageError("--section and --json cannot be combined: --json prints every section "
                         "(under \"abstract\"); choose one.")
    result = _collect(references, offline, refresh, strict=False, progress=None, source=source)
    records = result.records
    laid_out, in_color = _layout(color)
    if as_json:
        from .render import json_view

        data = [json_view(r) for r in records]
        if records:
            click.echo(_json_text(data[0] if len(data) == 1 and len(references) <= 1 else data))
    elif section is not None:
        _print_section(records, section)
    elif records and laid_out:
        from .render import print_rich

        print_rich(records, color=in_color)
    else:
        from .render import plain_view

        click.echo("\n".join(plain_view(r) for r in records), nl=False)
    _report(result.failures)
    sys.exit(1 if result.failures else 0)


def _print_section(records, name: str) -> None:
    from . import markup
    from .render import sections

    wanted = name.strip().lower().replace(" ", "-").replace("_", "-")
    for record in records:
        parts = sections(record)
        if wanted not in parts:
            available = ", ".join(parts) or "none"
            raise QuarterlyError(f"No section {name!r} in "
                                 f"{record.DOI or markup.plain(record.title)}; "
                                 f"available: {available}.")
        for paragraph in parts[wanted]:
            click.echo(markup.strip_controls(markup.plain(paragraph)))


def _complete_formats(ctx, param, incomplete: str):
    return [name for name in FORMATS if name.startswith(incomplete)]


def _complete_styles(ctx, param, incomplete: str):
    from .csl import style_names

    return [name for name in style_names() if name.startswith(incomplete)]


@main.command()
@click.argument("references", nargs=-1, metavar="[REFERENCE]...")
@click.option("-f", "--format", "format_name", type=click.Choice(list(FORMATS)),
              shell_complete=_complete_formats,
              help=f"Output format (default: {DEFAULT_FORMAT}, or inferred from -o's extension).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="Write to FILE instead of standard output (.bib, .ris, .json, .txt infer -f).")
@click.option("--markup", "markup_name", type=click.Choice(MARKUPS),
              help="Markup for reference styles: text (default), html or markdown.")
@click.option("--keep-case", is_flag=True,
              help="Print titles as stored; do not convert them to sentence case.")
@click.option("--ascii", "ascii_only", is_flag=True,
              help="BibTeX/BibLaTeX: write accents as LaTeX commands (M{\\\"u}ller).")
@click.option("--style", metavar="NAME_OR_PATH", shell_complete=_complete_styles,
              help="Format with any CSL style (a name such as chicago-author-date, or a .csl file).")
@click.option("--json", "as_json", is_flag=True,
              help="Print a JSON array, one object per reference: status ok/error and the "
                   "citation or the message.")
@click.option("--append", is_flag=True,
              help="With -o FILE: add only the records whose DOI, PMID, PMCID or citation key "
                   "FILE does not hold yet (bibtex, biblatex, ris, csl-json, json).")
@click.option("--strict", is_flag=True, help="Stop at the first reference that fails.")
@click.option("--progress/--no-progress", default=None,
              help="Show a progress bar on stderr (default: on a terminal, for many lookups).")
@_color_option
@_offline_option
@_refresh_option
@_source_option
def cite(references: tuple[str, ...], format_name: str | None, output: str | None,
         markup_name: str | None, keep_case: bool, ascii_only: bool, style: str | None,
         as_json: bool, append: bool, strict: bool, progress: bool | None, color: bool | None,
         offline: bool, refresh: bool, source: str) -> None:
    """Print citations for DOIs, PMIDs, PMCIDs or files of records (BibTeX, RIS, CSL-JSON).

    With no reference, the bundled article. `-` reads references (one per line) or a whole
    BibTeX/RIS/CSL-JSON document from standard input.

    \b
      quarterly cite
      quarterly cite --format bibtex 10.1111/1468-0009.12090 >> refs.bib
      quarterly cite -f vancouver 25492602 PMC4266174
      quarterly cite refs.ris -o refs.bib
      quarterly cite 10.1111/1468-0009.12090 -o refs.bib --append
      quarterly cite --format ama --markup html doi:10.1111/1468-0009.12090
    """
    fmt = _choose_format(format_name, output)
    appending = _appending(append, output, fmt.name, as_json, style)
    to_terminal = output is None and _use_color(color)
    markup_kind = markup_name or ("ansi" if to_terminal and fmt.is_style else "text")
    options = Options(markup=markup_kind, keep_case=keep_case, ascii=ascii_only)
    result = _collect(references, offline, refresh, strict, progress, source)
    records = result.iter_records()
    guessed: list[bool] = []
    if fmt.is_style and not keep_case and not style and sys.stderr.isatty():
        records = _watch_case(records, guessed)
    if appending is not None:
        _append(appending, records, fmt, options)
        _report(result.failures)
        sys.exit(1 if result.failures else 0)
    if as_json:
        chunks = iter((_per_item_json(result, fmt, options, style),))
    elif style:
        from .csl import render_with_style

        chunks = iter((render_with_style(result.records, style, options),))
    else:
        chunks = fmt.render_iter(records, options)
    _write(chunks, output, ansi=markup_kind == "ansi")
    if any(guessed):
        click.echo("Note: titles were converted to sentence case by rule; check proper nouns, "
                   "or use --keep-case.", err=True)
    _report(result.failures)
    sys.exit(1 if result.failures else 0)


def _appending(append: bool, output: str | None, format_name: str, as_json: bool,
               style: str | None):
    """`--append`: FILE read (and checked) before anything is looked up; None without it."""
    if not append:
        return None
    if output is None:
        raise UsageError("--append adds to the file named by -o FILE (it reads FILE to skip what "
                         "is there); on standard output use >>.")
    if as_json or style:
        raise UsageError(f"--append cannot be combined with {'--json' if as_json else '--style'}: "
                         "it adds entries in a format quarterly reads back.")
    from .fileio import Appending

    return Appending.read(output, format_name)


def _append(appending, records, fmt, options: Options) -> None:
    """Write FILE's text and the records it does not hold yet, all at once; say what was
    skipped, and leave FILE untouched when nothing is new."""
    from .fileio import write_atomically

    fresh = list(appending.new(records))
    if fresh:
        write_atomically(appending.path, appending.chunks(fmt.render_iter(fresh, options)))
    if appending.skipped:
        shown = ", ".join(one_line(s) for s in appending.skipped[:3])
        more = f" and {len(appending.skipped) - 3} more" if len(appending.skipped) > 3 else ""
        click.echo(f"Note: {len(appending.skipped)} already in {one_line(appending.path)}, "
                   f"not added again: {shown}{more}.", err=True)


def _choose_format(format_name: str | None, output: str | None):
    if format_name:
        return FORMATS[format_name]
    suffix = os.path.splitext(output)[1] if output else ""
    if output and suffix:
        fmt = by_extension(suffix)
        if fmt is None:
            raise click.UsageError(
                f"Cannot tell the format from {os.path.basename(output)!r}; add --format "
                f"({', '.join(FORMATS)}).")
        return fmt
    return FORMATS[DEFAULT_FORMAT]


def _per_item_json(result, fmt, options: Options, style: str | None) -> str:
    items = []
    for item in result.items:
        if item.error is not None:
            items.append({"reference": item.reference, "status": "error",
                          "error": str(item.error)})
            continue
        if style:
            from .csl import render_with_style

            citation = render_with_style(item.records, style, options)
        else:
            citation = fmt.render(item.records, options)
        items.append({"reference": item.reference, "status": "ok", "citation": citation})
    return _json_text(items) + "\n"


def _write(chunks, output: str | None, ansi: bool = False) -> None:
    """All or nothing: to a file through a renamed temporary file; to stdout once every piece
    has been rendered (so a bad record late in a big file leaves stdout empty)."""
    if output is not None:
        from .fileio import write_atomically

        write_atomically(output, chunks)
        return
    from .fileio import Buffered

    pieces = Buffered(chunks).pieces()
    if ansi:
        for piece in pieces:
            click.echo(piece, nl=False, color=True)
        return
    # Plain output is already free of control characters; click.echo would scan every byte of a
    # large conversion again for ANSI codes to strip.
    out = sys.stdout
    try:
        for piece in pieces:
            out.write(piece)
        out.flush()
    except OSError as exc:
        if exc.errno == errno.EPIPE:
            raise
        raise QuarterlyError(f"Cannot write to standard output ({exc.strerror or exc}). Check "
                             "the disk, or write with -o FILE.") from None


def _watch_case(records, guessed: list[bool]):
    """Pass records through, noting whether any title's sentence case was guessed by rule."""
    from .casing import sentence_case

    for record in records:
        if not guessed and sentence_case(record.title)[1]:
            guessed.append(True)
        yield record


@main.command("formats")
def formats_command() -> None:
    """List the output formats with a one-line description."""
    width = max(len(name) for name in FORMATS)
    for fmt in FORMATS.values():
        click.echo(f"{fmt.name:<{width}}  {fmt.description}")


def _identifier(record) -> str:
    """The DOI, or for a record without one (PubMed's), `pmid:…` / `pmcid:…`."""
    from .identifiers import of_record

    found = of_record(record)
    return record.DOI or (str(found[0]) if found else "")


def _listing(stored, as_json: bool, color: bool | None) -> None:
    """The rows of `list` and `search`: identifier (DOI, else PMID, else PMCID), first author,
    year, title; tab-separated when piped, a table on a terminal, or JSON."""
    from . import markup
    from .render import author_line

    rows: list[tuple[str, str, str, str]] = []
    objects: list[dict[str, object]] = []
    for item in stored:
        r = item.record
        first = author_line(r.author[:1]) + (" et al." if len(r.author) > 1 else "")
        rows.append((_identifier(r), first, str(r.year or ""), r.title))
        objects.append({"DOI": r.DOI, "PMID": r.PMID, "PMCID": r.PMCID,
                        "title": markup.plain(r.title), "authors": author_line(r.author),
                        "year": r.year, "container-title": r.container_title,
                        "source": item.source, "fetched-at": item.fetched_at})
    laid_out, in_color = _layout(color)
    if as_json:
        click.echo(_json_text(objects))
    elif laid_out:
        from .render import print_table

        print_table(rows, color=in_color)
    else:
        for row in rows:
            click.echo("\t".join(one_line(markup.plain(c)) for c in row))


def _with_bundled(stored: list, text: str | None = None) -> list:
    """The bundled article first (it is always available), unless the store holds it too."""
    from . import doi as doi_mod
    from .bundled import BUNDLED_DOI, bundled_record
    from .store import StoredRecord

    if any(s.record.DOI and doi_mod.key(s.record.DOI) == doi_mod.key(BUNDLED_DOI) for s in stored):
        return stored
    record = bundled_record()
    if text is not None and not _matches(record, text):
        return stored
    return [StoredRecord(record, "bundled", ""), *stored]


def _matches(record, text: str) -> bool:
    """Every word of `text` is a word of the record's title, authors or abstract — what the
    store's full-text search (FTS5, unicode61, diacritics removed) does for stored records."""
    import re
    import unicodedata

    from . import markup
    from .render import author_line

    def words(value: str) -> set[str]:
        folded = unicodedata.normalize("NFKD", value.casefold())
        return set(re.findall(r"\w+", "".join(c for c in folded if not unicodedata.combining(c))))

    body = " ".join([markup.plain(record.title), author_line(record.author)] + [
        markup.plain(p) for s in record.abstract for p in s.paragraphs])
    return words(text) <= words(body)


_json_list_option = click.option("--json", "as_json", is_flag=True,
                                 help="Print the rows as a JSON array.")


@main.command("list")
@_json_list_option
@_color_option
def list_command(as_json: bool, color: bool | None) -> None:
    """List the records in the local store and the bundled article (tab-separated when piped).

    \b
      quarterly list
      quarterly list --json
    """
    from .diagnostics import warn
    from .store import Store

    stored = list(Store().all(on_damaged=warn))
    _listing(_with_bundled(stored), as_json, color)
    if not stored:
        click.echo("No stored records yet — try `quarterly show DOI`.", err=True)


@main.command()
@click.argument("text")
@_json_list_option
@_color_option
def search(text: str, as_json: bool, color: bool | None) -> None:
    """Full-text search over stored titles, authors and abstracts (and the bundled article).

    \b
      quarterly search "health trainers"
    """
    from .diagnostics import warn
    from .store import Store

    found = _with_bundled(list(Store().search(text, on_damaged=warn)), text)
    _listing(found, as_json, color)
    if not found:
        click.echo(f"No records match {one_line(text)!r}.", err=True)
