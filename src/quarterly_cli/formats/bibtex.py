"""BibTeX `@article` entries, written through bibtexparser v2's model and writer.

Values are LaTeX-escaped field by field (bibtexparser's LatexEncodingMiddleware would escape the
braces we add for case protection and would touch DOIs and URLs, see docs/format-rules.md).
`doi` and `url` are never escaped; only braces and backslashes, which would unbalance the entry,
are percent-encoded there.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from itertools import islice

from .. import markup
from ..model import Name, Record, page_range
from . import Options
from ._fields import abstract_paragraphs, citation_keys

# CSL type → BibTeX entry type (the BibTeX manual's standard types; biblatex reads them too).
ENTRY_TYPES = {"article-journal": "article", "article-magazine": "article",
               "article-newspaper": "article", "book": "book", "chapter": "incollection",
               "paper-conference": "inproceedings", "report": "techreport",
               "thesis": "phdthesis"}

MONTH_MACROS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def bib_name(name: Name, escape) -> str:
    """BibTeX's `von Last, Jr, First`; organisations in an extra pair of braces."""
    if name.literal is not None:
        return "{" + escape(name.literal) + "}"
    return escape(_person(name))


def _person(name: Name) -> str:
    text = name.family or ""
    if name.non_dropping_particle:
        text = f"{name.non_dropping_particle} {text}"
    if name.dropping_particle:
        text = f"{name.dropping_particle} {text}"
    if name.suffix:
        text = f"{text}, {name.suffix}"
    return f"{text}, {name.given}" if name.given else text


def bib_names(names: tuple[Name, ...], escape) -> str:
    """The `author` value. Without organisations the joined list is escaped in one pass (the
    separators hold no LaTeX specials): one escape per record instead of one per name part."""
    if all(n.literal is None for n in names):
        return escape(" and ".join(_person(n) for n in names))
    return " and ".join(bib_name(n, escape) for n in names)


def safe_url(value: str) -> str:
    return value.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D")


def _latex_accents(text: str) -> str:
    """Non-ASCII letters as LaTeX accent commands (`ü` → `{\\"u}`) for classic BibTeX."""
    out = []
    for char in text:
        if ord(char) < 128:
            out.append(char)
            continue
        if char in _SPECIAL_LETTERS:
            out.append(_SPECIAL_LETTERS[char])
            continue
        base, *marks = list(unicodedata.normalize("NFD", char))
        if marks and base.isascii() and all(m in _ACCENTS for m in marks):
            out.append("{" + "".join(_ACCENTS[m] for m in marks) + base + "}")
        else:
            out.append({"–": "--", "—": "---", "’": "'", "‘": "`", "“": "``", "”": "''"}.get(
                char, char))
    return "".join(out)


_ACCENTS = {"\u0300": "\\`", "\u0301": "\\'", "\u0302": "\\^", "\u0308": '\\"', "\u0303": "\\~",
            "\u0327": "\\c ", "\u030c": "\\v ", "\u030a": "\\r ", "\u0304": "\\=", "\u0306": "\\u ",
            "\u030b": "\\H ", "\u0328": "\\k ", "\u0307": "\\."}
_SPECIAL_LETTERS = {"ø": "{\\o}", "Ø": "{\\O}", "æ": "{\\ae}", "Æ": "{\\AE}", "ß": "{\\ss}",
                    "œ": "{\\oe}", "Œ": "{\\OE}", "ł": "{\\l}", "Ł": "{\\L}", "å": "{\\aa}",
                    "Å": "{\\AA}"}


def fields(record: Record, options: Options, biblatex: bool) -> list[tuple[str, str, bool]]:
    """(name, value, bare) triples in the order they are written."""
    def text(value: str) -> str:
        escaped = markup.escape_latex(value)
        return _latex_accents(escaped) if options.ascii else escaped

    def rich(value: str) -> str:
        escaped = markup.to_latex(value)
        return _latex_accents(escaped) if options.ascii else escaped

    out: list[tuple[str, str, bool]] = []
    if record.author:
        out.append(("author", bib_names(record.author, text), False))
    out.append(("title", rich(record.title), False))
    if record.container_title:
        out.append(("journaltitle" if biblatex else "journal", text(record.container_title), False))
    if record.container_title_short:
        out.append(("shortjournal", text(record.container_title_short), False))
    if biblatex and record.year:
        out.append(("date", record.issued.iso() if record.issued else "", False))
    elif record.year:
        out.append(("year", str(record.year), False))
        if record.month:
            out.append(("month", MONTH_MACROS[record.month - 1], True))
    if record.volume:
        out.append(("volume", text(record.volume), False))
    if record.issue:
        out.append(("number", text(record.issue), False))
    pages = page_range(record.page, "--")
    if pages:
        out.append(("pages", text(pages), False))
    if record.number:
        out.append(("eid" if biblatex else ("eid" if pages else "pages"), text(record.number), False))
    if record.publisher:
        out.append(("publisher", text(record.publisher), False))
    if record.DOI:
        out.append(("doi", safe_url(record.DOI), False))
    if record.URL:
        out.append(("url", safe_url(record.URL), False))
    if record.ISSN:
        out.append(("issn", text(", ".join(record.ISSN)), False))
    if record.PMID:
        out.append(("pmid", text(record.PMID), False))
    if record.PMCID:
        out.append(("pmcid", text(record.PMCID), False))
    if record.keyword:
        out.append(("keywords", text(", ".join(record.keyword)), False))
    paragraphs = abstract_paragraphs(record)
    if paragraphs:
        out.append(("abstract", text("\n\n".join(paragraphs)), False))
    return out


# Entries go through bibtexparser's writer in batches, so a 100,000-record conversion never holds
# one Library (and its copy in the writer) for the whole file.
BATCH = 1000


def write_iter(records: Iterable[Record], options: Options, biblatex: bool) -> Iterator[str]:
    from bibtexparser import Library, write_string
    from bibtexparser.middlewares import AddEnclosingMiddleware
    from bibtexparser.model import Block, Entry, Field
    from bibtexparser.writer import BibtexFormat

    fmt = BibtexFormat()
    fmt.indent = "  "
    fmt.block_separator = "\n"
    stack = [AddEnclosingMiddleware(reuse_previous_enclosing=False, enclose_integers=True,
                                    default_enclosing="{", allow_inplace_modification=True)]
    entries: Iterator[Block] = (
        Entry(ENTRY_TYPES.get(record.type, "misc"), key,
              [Field(name, value, enclosing="no-enclosing" if bare else None)
               for name, value, bare in fields(record, options, biblatex)])
        for record, key in citation_keys(records)
    )
    batches = iter(lambda: list(islice(entries, BATCH)), [])
    for n, batch in enumerate(batches):
        # One blank line between entries, across batches too.
        yield ("\n" if n else "") + write_string(Library(batch), unparse_stack=stack,
                                                  bibtex_format=fmt)


def render_iter(records: Iterable[Record], options: Options) -> Iterator[str]:
    return write_iter(records, options, biblatex=False)
