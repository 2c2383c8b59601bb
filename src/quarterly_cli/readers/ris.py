"""RIS → Records.

Lines are split into tags, values and records as rispy's parser splits them (`_scan`, which
reads what rispy reads, faster; rispy is the reference it is tested against); the meaning of
each tag is decided here, per reference type, because rispy's own tag map is one table for
every type and wrong in places (it keeps `A1` and `AU` apart, keeps an empty first `PB` over a later full one,
and has no notion of `T2` being a book title for `CHAP` but a series for `BOOK`).

The map follows Zotero's RIS translator and citation-js where RIS is ambiguous (README, "What
each format keeps" → RIS, has the tables). Whatever a record holds that no CSL variable takes —
an unknown tag, a second `TI`, a `DA` whose year disagrees with `PY` — is kept under
`record.custom["ris"]` as `{tag: [values]}` and written back by the RIS writer, so nothing a
file says is dropped on a RIS → RIS or RIS → CSL-JSON → RIS trip.

Reading is content-based: byte-order marks at the start of any line, a preamble before the first `TY  -`
(Ovid's `1.`, Cochrane's `Record #3 of 18`), and a last record without `ER  -` (read, with a
warning) are all handled; tag lines outside any record are reported, never silently skipped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Generator, Iterator
from functools import lru_cache
from typing import Any, TypeVar

from .. import doi as doi_mod
from .. import markup
from ..abstracts import sections_from_line
from ..diagnostics import warn
from ..errors import InputFormatError
from ..model import Date, DateError, Name, Record, preprint_type

# RIS TY → CSL type. The RIS specification's type list (RefMan 2011) plus the EndNote spellings
# seen in exports (WEB, INTV, OTHER). Where Zotero and citation-js read a type differently the
# closer CSL type wins (SER is a periodical, not a book; LEGAL a regulation).
TYPES = {
    "ABST": "article-journal", "ADVS": "motion_picture", "AGGR": "dataset", "ANCIENT": "classic",
    "ART": "graphic", "BILL": "bill", "BLOG": "post-weblog", "BOOK": "book", "CASE": "legal_case",
    "CHAP": "chapter", "CHART": "figure", "CLSWK": "classic", "COMP": "software",
    "CONF": "paper-conference", "CPAPER": "paper-conference", "CTLG": "entry", "DATA": "dataset",
    "DBASE": "dataset", "DICT": "entry-dictionary", "EBOOK": "book", "ECHAP": "chapter",
    "EDBOOK": "book", "EJOUR": "article-journal", "ELEC": "webpage", "ENCYC": "entry-encyclopedia",
    "EQUA": "document", "FIGURE": "figure", "GEN": "document", "GOVDOC": "report",
    "GRANT": "document", "GRNT": "document", "HEAR": "hearing", "ICOMM": "post",
    "INPR": "article-journal", "INTV": "interview", "JFULL": "article-journal",
    "JOUR": "article-journal", "LEGAL": "regulation", "MANSCPT": "manuscript", "MAP": "map",
    "MGZN": "article-magazine", "MPCT": "motion_picture", "MULTI": "motion_picture",
    "MUSIC": "musical_score", "NEWS": "article-newspaper", "OTHER": "document",
    "PAMP": "pamphlet", "PAT": "patent", "PCOMM": "personal_communication", "POD": "broadcast",
    "PRESS": "article-newspaper", "RPRT": "report", "SER": "periodical", "SLIDE": "speech",
    "SOUND": "song", "STAND": "standard", "STAT": "legislation", "THES": "thesis",
    "UNBILL": "bill", "UNPB": "manuscript", "UNPD": "manuscript", "VIDEO": "motion_picture",
    "WEB": "webpage",
}

# CSL type → RIS TY. Each TY is read back as the same CSL type (TYPES above); CSL types
# RIS has no TY for are written as the nearest one and named in the README.
RIS_TYPES = {
    "article": "UNPB", "article-journal": "JOUR", "article-magazine": "MGZN",
    "article-newspaper": "NEWS", "bill": "BILL", "book": "BOOK", "broadcast": "MPCT",
    "chapter": "CHAP", "classic": "CLSWK", "collection": "BOOK", "dataset": "DATA",
    "document": "GEN", "entry": "CTLG", "entry-dictionary": "DICT",
    "entry-encyclopedia": "ENCYC", "event": "GEN", "figure": "FIGURE", "graphic": "ART",
    "hearing": "HEAR", "interview": "PCOMM", "legal_case": "CASE", "legislation": "STAT",
    "manuscript": "UNPB", "map": "MAP", "motion_picture": "MPCT", "musical_score": "MUSIC",
    "pamphlet": "PAMP", "paper-conference": "CPAPER", "patent": "PAT", "performance": "GEN",
    "periodical": "SER", "personal_communication": "PCOMM", "post": "ICOMM",
    "post-weblog": "BLOG", "regulation": "LEGAL", "report": "RPRT", "review": "JOUR",
    "review-book": "JOUR", "software": "COMP", "song": "SOUND", "speech": "SLIDE",
    "standard": "STAND", "thesis": "THES", "treaty": "GEN", "webpage": "ELEC",
}

# Type groups whose tags mean something else (Zotero's RIS fieldMap, by item type).
BOOKS = frozenset(("BOOK", "EBOOK", "EDBOOK", "CLSWK", "ANCIENT"))
# T2 is the series for these (Zotero: `series` for book, `seriesTitle` for report/program/map).
SERIES_IN_T2 = BOOKS | {"RPRT", "GOVDOC", "COMP", "MAP"}
# A2 is the series editor (collection-editor) for these, A3 the editor of a book.
A2_SERIES_EDITOR = BOOKS | {"RPRT", "GOVDOC", "COMP", "MAP"}
A2_RECIPIENT = frozenset(("PCOMM", "ICOMM"))
CHAPTERS = frozenset(("CHAP", "ECHAP"))
CONFERENCES = frozenset(("CPAPER", "CONF"))
SERIALS = frozenset(("JOUR", "JFULL", "EJOUR", "ABST", "INPR", "MGZN", "NEWS", "SER"))
# SP alone is the number of pages for these (Zotero: numPages).
PAGES_COUNT = BOOKS | {"THES", "MANSCPT", "UNPB", "UNPD"}
# SN is a report or patent number when it is not shaped like an ISBN or ISSN.
SN_NUMBER = frozenset(("RPRT", "GOVDOC", "PAT"))
VERSIONED = frozenset(("COMP", "DATA", "DBASE", "AGGR"))

# Tags that mean a CSL variable of their own for one type (Zotero's fieldMap, by item type):
# a patent's issuing authority in A2, a case's court in PB, a bill's number in M1, …
TYPE_TAGS = {
    ("PAT", "A2"): "authority", ("CASE", "PB"): "authority", ("BILL", "M1"): "number",
    ("BILL", "OP"): "references", ("HEAR", "OP"): "references", ("STAT", "OP"): "references",
    ("CASE", "OP"): "references", ("ART", "M3"): "medium", ("ART", "C3"): "dimensions",
    ("MAP", "C1"): "scale",
}

# Tags that hold one CSL variable whatever the type. One N1 is the note: further N1 lines stay
# separate lines (custom), since CSL-JSON folds a note's line breaks and could not give them back.
_SIMPLE = (("ST", "title-short"), ("VL", "volume"), ("NV", "number-of-volumes"),
           ("C7", "number"), ("SE", "section"), ("LA", "language"), ("DB", "archive"),
           ("N1", "note"), ("RN", "annote"))
_TYPE_TAGS_BY_TYPE: dict[str, list[tuple[str, str]]] = {}
for (_ty, _tag), _var in TYPE_TAGS.items():
    _TYPE_TAGS_BY_TYPE.setdefault(_ty, []).append((_tag, _var))

# The tags rispy reads as lists: a continuation line under one of them is a new value, under
# any other tag it continues the value (as rispy does, so both readers agree).
_LIST_TAGS = frozenset(("A1", "A2", "A3", "A4", "AU", "KW", "N1", "UR"))
# The tags of editors and other people besides authors (record_from_tags, `people`).
_PEOPLE_TAGS = frozenset(("A2", "A3", "ED", "A4"))
# The tags of the publication block of record_from_tags (publisher, place, edition, source).
_PUBLICATION_TAGS = frozenset(("PB", "C1", "CY", "ET", "DP", "H1", "CN", "H2"))
ISSN_SHAPE = re.compile(r"\d{4}-?\d{3}[\dXx]")
ISBN_SHAPE = re.compile(r"(?:97[89][- ]?)?(?:\d[- ]?){9}[\dXx]")
_NUMBERS = re.compile(r"[;,]\s*|\s+(?=\d)")
_PMID = re.compile(r"\d{1,8}")
_PMCID = re.compile(r"PMC\d+", re.IGNORECASE)
_YEAR_RANGE = re.compile(r"(\d{4})\s*[-–/]\s*(\d{4})")
_HAS_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")


# Every line in one pass of one pattern: a tag line with the tags files hold (`AB  - text`) as
# (tag, value), any other line as ("", line), which `_scan` then tests as rispy does. The tag is
# one branch or an empty one (`(?:…|)`) rather than an optional group (`(?:…)?`), which re
# matches through its general repeat, a context allocated and freed per line: the same pairs,
# and the scan of benchmarks/run.py's synthetic records-10000.ris 1,396M -> 1,338M instructions
# (callgrind).
_LINE = re.compile(r"^(?:([A-Z][A-Z0-9])  -.?|)(.*)", re.MULTILINE)


# Characters of text matched per findall call (`_pieces`): the (tag, value) pairs of a whole
# 15 MB file, made at once, take memory the scan drops as it goes, each page a fresh one the
# kernel faults in. 10,000 real records (benchmarks/run.py): 20,100 -> 13,600 page faults,
# ~440 -> ~375 ms of CPU for the scan (medians of 6 fresh processes).
_PIECE = 1 << 18

# An ASCII text's controls (C0 and DEL, the only characters of ASCII that str.isprintable
# refuses) mapped to NUL, every other byte to itself: see _scan.
_CONTROL_NUL = markup.nul_table(bytes([*range(32), 127]))


def _pieces(text: str) -> Iterator[tuple[int, int]]:
    """Bounds (start, end) of the pieces `_scan` matches `_LINE` in, about _PIECE characters
    each, each ending at a line's end: `_LINE.findall(text, start, end)` over them gives the
    pairs `_LINE.findall(text)` gives (`^` and `.*` see what they see in the whole text)."""
    start = 0
    while True:
        end = text.find("\n", start + _PIECE)
        if end < 0:
            yield start, len(text)
            return
        yield start, end
        start = end + 1


_Built = TypeVar("_Built")


def _scan(text: str, build: Callable[[str, _Tags, str | None], _Built],
          printable_ascii: bool = False) -> Generator[_Built, None, tuple[list[str], int]]:
    """The records of a RIS text, each yielded as `build` makes it of (TY value, tags, title
    for messages: its first `TI` or `T1` value that is not blank, as written), called at the
    record's `ER`; then, returned: the tag lines outside any record, and how many extra `TY`
    lines records had.

    This reads what rispy's RisParser reads (tests/test_ris_scan.py compares them on arbitrary
    RIS-like text and on every real export): a tag line is two characters that rispy takes for
    a tag (`line[:2].isupper()`, the first a letter), two spaces and a hyphen, its value from
    the seventh character on, stripped; a record runs from `TY` to `ER`, a second `TY` inside
    it is ignored (and counted), tag lines outside a record are stray (but `ER`), a record never
    closed is not read, other lines outside a record are skipped. Any other line in a record
    continues the line before it: as a new value under a tag rispy reads as a list (`KW`, `AU`,
    `N1`, …), else joined to its value with a space; an empty one, or one before the record's
    first tag, says nothing. Each value then goes into the record's tag table (`_Tags`), built
    in the same pass: folded to one line (markup.one_line), an empty one dropped, `AU` and `A1`
    as authors in file order, any other tag's values in order (tests/test_ris_scan.py holds the
    table to that rule written plainly).

    `printable_ascii`: the caller knows that the text holds no C0 control but newline, and no
    DEL (fileio.FileText.controls), so that every ASCII value is printable and only the others
    are looked at for controls.

    Each record is built as soon as its `ER` is read, rather than all records' tag tables
    first and the records after: the table is used while it is fresh in the cache, and its
    memory is free again for the next record's table instead of fresh pages the kernel must
    fault in (~45 MB of tables for 10,000 synthetic records). Yielded, it goes on to the
    writer (readers._read_whole) while it is fresh too. RIS -> BibTeX, side by side
    (medians of 15 rounds): records-10000.ris 527 -> 485 ms (peak memory 96 -> 73 MB; page
    faults of the scan and build 13,400 -> 7,600), real-10000.ris 690 -> 653 ms.

    Hand-written rather than rispy's parser (which quarterly used before, subclassed): on the
    10,000 real records of benchmarks/run.py rispy's parse and building the tag tables from its
    output took 0.89 s, this 0.58 s (medians of 5, side by side in one process)."""
    stray: list[str] = []
    extra_ty = 0
    ty = ""
    inside = False  # in a record (after its TY, before its ER)
    title: str | None = None
    values: dict[str, list[str]] = {}
    authors: list[str] = []
    # The record's last tag line, still open to continuation lines; put into the table (below,
    # inlined: it runs for every line) when the next tag line or the ER comes.
    last_tag: str | None = None
    last = ""
    strip_controls, list_tags = markup.strip_controls, _LIST_TAGS
    for start, end in _pieces(text):
        for tag, value in _LINE.findall(text, start, end):
            if not tag:
                if value[2:5] == "  -" and value[:2].isupper() and value[:1].isalpha():
                    # a tag line all the same (`É1  - `, `A-  - `)
                    tag, value = value[:2], value[6:].strip()
                else:
                    if last_tag is None:  # outside a record, or before its first tag
                        continue
                    value = value.strip()
                    if not value:
                        continue
                    if last_tag not in list_tags:
                        last = f"{last} {value}" if last else value
                        continue
                    tag = last_tag  # a new value of the same tag
            else:
                value = value.strip()
            if not inside:
                if tag == "TY":
                    ty, inside, title, values, authors, last_tag = value, True, None, {}, [], None
                elif tag != "ER":
                    stray.append(f"{tag}  - {value}")
                continue
            if tag == "TY":  # a second TY before ER: the first one stands
                extra_ty += 1
                continue
            if last_tag is not None:
                # markup.one_line, inlined; `PB  -` with nothing after it says nothing (a later
                # PB may). An abstract in ASCII (the longest values, most of a file's text) is
                # looked at through its bytes, one translation (~8 instructions a character)
                # instead of str.isprintable's table look-up (~23): the scan of the synthetic
                # records-10000.ris 1,338M -> 1,240M instructions, of real-10000.ris 1,985M ->
                # 1,913M with the change to _LINE (callgrind). Other values are short: the test
                # would cost more than it saves. tests/test_ris_scan.py holds it to rispy.
                # In a text known to hold no controls (`printable_ascii`), an ASCII value (one
                # flag of the string: no pass over it) is printable: RIS -> BibTeX, scan stage
                # (medians of 9, in process), records-10000.ris 120 -> 108 ms, real-10000.ris
                # 178 -> 160 ms.
                if (not (last.isascii() or last.isprintable()) if printable_ascii else
                        0 in last.encode().translate(_CONTROL_NUL) if last_tag == "AB" and
                        last.isascii() else not last.isprintable()) or "  " in last:
                    if title is None and (last_tag == "TI" or last_tag == "T1") and \
                            "TI" not in values and "T1" not in values:
                        title = last  # the first title, as written (see the ER below)
                    last = " ".join(strip_controls(last).split())
                if last:
                    if last_tag == "AU" or last_tag == "A1":
                        authors.append(last)
                    else:
                        listed = values.get(last_tag)
                        if listed is None:
                            values[last_tag] = [last]
                        else:
                            listed.append(last)
            if tag == "ER":
                # The title for messages: a value is not blank (values are stripped) unless it is
                # empty, and one the folding leaves as it is (nearly all) is in the table as
                # written; only a title the folding changed (or dropped) is taken above, when no
                # title came before it. Looked up once a record rather than tested for on each
                # line: RIS -> BibTeX (callgrind) of records-10000.ris 3,926M -> 3,910M
                # instructions, of real-10000.ris 4,932M -> 4,882M.
                if title is None and ("TI" in values or "T1" in values):
                    title = _first_title(values)
                yield build(ty, _Tags(values, authors), title)
                inside, last_tag = False, None
            else:
                last_tag, last = tag, value
    return stray, extra_ty


def _first_title(values: dict[str, list[str]]) -> str:
    """The first `TI` or `T1` value of a record's table that holds either, in the order the
    lines came (the table's tags are in the order they first came)."""
    if "T1" not in values:
        return values["TI"][0]
    if "TI" not in values:
        return values["T1"][0]
    return values[next(tag for tag in values if tag == "TI" or tag == "T1")][0]


def _one(value: str) -> str:
    return markup.one_line(value)


_TAG = re.compile(r"</?([A-Za-z][\w:.-]*)((?:\s[^<>]*)?)/?>")
_ENTITY = re.compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_RENAMES = {"i": "i", "em": "i", "italic": "i", "b": "b", "strong": "b", "bold": "b",
            "sup": "sup", "sub": "sub"}


def rich(value: str) -> str:
    """A RIS title as CSL rich text: HTML tags are markup (`<i>Kaiparowits</i>` is italics, as
    Zotero and Web of Science write them), not text. `<i>`, `<b>`, `<sup>`, `<sub>` (and `<em>`,
    `<strong>`) and `<span class="nocase">` are kept; other tags (MathML, `<sc>`) are dropped with
    their text kept; `&lt;`-style entities are decoded. A `<` not followed by a letter or `/`
    (`x < y`) is text. Decoded text that would read as a CSL tag is neutralised."""
    if "<" not in value and "&" not in value:
        return value
    out: list[str] = []
    open_spans: list[bool] = []  # per open <span>: is it the nocase one?
    pos = 0
    for match in _TAG.finditer(value):
        out.append(markup.literal(_unescape(value[pos:match.start()])))
        pos = match.end()
        name = match.group(1).lower()
        closing = match.group(0).startswith("</")
        if name == "span":
            if closing:
                if open_spans and open_spans.pop():
                    out.append("</span>")
            else:
                nocase = 'class="nocase"' in match.group(2)
                open_spans.append(nocase)
                if nocase:
                    out.append('<span class="nocase">')
        elif name in _RENAMES:
            out.append(f"<{'/' if closing else ''}{_RENAMES[name]}>")
    out.append(markup.literal(_unescape(value[pos:])))
    # One spelling for the same marks (`<b><sub>` and `<sub><b>` alike), so a title read back
    # from the writer's output is the same string.
    return markup.squash_space(markup.unparse(markup.parse("".join(out))))


def _unescape(text: str) -> str:
    if "&" not in text:
        return text
    # Not at the top: html.entities builds its tables of names on import (callgrind, ~7 M
    # instructions), which a file without entities never needs.
    from html import unescape

    return _ENTITY.sub(lambda m: unescape(m.group()), text)


@lru_cache(maxsize=1 << 14)  # names repeat across a library; a Name is immutable
def _name(text: str) -> Name:
    """`Family, Given[, Suffix]`; a name without a comma is an organisation (RIS spec, AU)."""
    family, comma, rest = text.partition(",")
    if not comma:
        return Name(None, None, None, None, None, text)
    given, _, suffix = rest.partition(",")
    family = family.strip()
    if not family:
        return Name(None, given.strip() or None, suffix.strip() or None, None, None, text)
    return Name(family, given.strip() or None, suffix.strip() or None)


class _Tags:
    """The tags of one record, consumed as the fields are read; what is left goes to custom."""

    __slots__ = ("values", "authors")

    def __init__(self, values: dict[str, list[str]], authors: list[str]) -> None:
        self.values = values  # tag → its values (non-empty, one line), tags in the order they came
        self.authors = authors  # A1 and AU, in the order of the file

    def peek(self, *tags: str) -> str | None:
        for tag in tags:
            values = self.values.get(tag)
            if values:
                return values[0]
        return None

    def first(self, *tags: str) -> str | None:
        """The first non-empty value of the first tag present; it is consumed."""
        for tag in tags:
            values = self.values.get(tag)
            if values:
                return values.pop(0)
        return None


def _classify_sn(values: list[str], ty: str) -> tuple[list[str], list[str], list[str]]:
    """SN lines → (ISSNs, ISBNs, other numbers). Each number is judged by its shape (an ISSN is
    8 characters, an ISBN 10 or 13); one of neither shape is an ISSN for serials, a report or
    patent number for RPRT/PAT, and an ISBN otherwise (Zotero's SN map)."""
    if len(values) == 1 and ISSN_SHAPE.fullmatch(values[0]):
        return values, [], []  # one SN line, one ISSN (most records): as the loop below has it
    issn: list[str] = []
    isbn: list[str] = []
    other: list[str] = []
    for value in values:
        if ISSN_SHAPE.fullmatch(value):
            # One ISSN as it stands (most SN lines): what `_classify_sn_value` makes of it,
            # without the splits (tests/test_ris_shortcuts.py holds the two to the same answer).
            issn.append(value)
        else:
            _classify_sn_value(value, ty, issn, isbn, other)
    return list(dict.fromkeys(issn)), list(dict.fromkeys(isbn)), other


def _classify_sn_value(value: str, ty: str, issn: list[str], isbn: list[str],
                       other: list[str]) -> None:
    """The numbers of one SN line, each added to the list its shape (or else `ty`) says."""
    if value.startswith("[") and value.endswith("]"):  # Rayyan: `["1932-8494", "1932-8486"]`
        value = value[1:-1].replace('"', "")
    parts = [p.strip() for p in _NUMBERS.split(value) if p.strip()]
    if len(parts) < 2 or not all(ISSN_SHAPE.fullmatch(p) or ISBN_SHAPE.fullmatch(p) for p in parts):
        parts = [value]
    for part in parts:
        # `1932-6203 (Electronic)`: the number is kept, the qualifier is not (README).
        head = part.split("(")[0].strip()
        if ISSN_SHAPE.fullmatch(head):
            issn.append(head)
        elif ISBN_SHAPE.fullmatch(head):
            isbn.append(head)
        elif ty in SN_NUMBER:
            other.append(part)
        elif ty in SERIALS:
            issn.append(part)
        else:
            isbn.append(part)


@lru_cache(maxsize=1 << 12)  # `2019`, `2020` …: dates repeat; a Date is immutable
def _date(text: str | None) -> Date | None:
    if not text:
        return None
    match = _YEAR_RANGE.fullmatch(text.strip())
    try:
        if match and match.group(1) != match.group(2):
            return Date((int(match.group(1)),), (int(match.group(2)),))
        return Date.parse(text)
    except DateError:
        return None


def _issued(values: dict[str, list[str]], leftover: dict[str, list[str]]) -> Date | None:
    """`PY` (or the old `Y1`) and `DA` together (_issued_of); what they say that the date does
    not hold goes to `leftover`."""
    py_text = values["PY"].pop(0) if "PY" in values else None  # no tag of these is read before
    y1_text = values["Y1"].pop(0) if "Y1" in values else None
    da_text = values["DA"].pop(0) if "DA" in values else None
    if py_text is None and y1_text is None and da_text is None:
        return None
    issued, kept = _issued_of(py_text, y1_text, da_text)
    for tag, text in kept:
        leftover.setdefault(tag, []).append(text)
    return issued


# A library's records share their few hundred years and months: each spelling is read once
# (scan + build of records-10000.ris 3,014M -> 2,968M instructions, callgrind). Date is
# immutable and nothing here warns, so a kept answer is the answer.
@lru_cache(maxsize=1 << 12)
def _issued_of(py_text: str | None, y1_text: str | None,
               da_text: str | None) -> tuple[Date | None, tuple[tuple[str, str], ...]]:
    """`PY` (or the old `Y1`) and `DA` → (the issued date, the (tag, value) pairs kept as
    written). `DA` gives month and day; when it has no year of its own (Web of Science's
    `DA  - SEP 22`, `DA  - Spring`) the year comes from `PY`. When `DA` cannot be read, or names
    another year than `PY`, the year is `PY`'s and `DA` is kept as written (custom)."""
    kept: list[tuple[str, str]] = []
    if y1_text and not py_text and da_text and _HAS_YEAR.search(da_text) and _date(da_text):
        # Y1 is the old spelling of DA: a DA with a year of its own wins (Zotero, RIS 2011).
        kept.append(("Y1", y1_text))
        y1_text = None
    year_text = py_text or y1_text
    if py_text and y1_text:
        kept.append(("Y1", y1_text))
    year_date = _date(year_text) if year_text else None
    if year_text and year_date is None:
        loose = _date_loose(year_text)
        year_date = loose or Date(literal=year_text)
    da_date = None
    if da_text:
        da_date = _date(da_text)
        if da_date is None and year_date is not None and year_date.year \
                and not _HAS_YEAR.search(da_text):
            da_date = _date(f"{da_text} {year_date.year}")
        if da_date is not None and year_date is not None and year_date.year is not None \
                and da_date.year != year_date.year:
            da_date = None
        if da_date is None:
            kept.append(("DA", da_text))
    if da_date is not None and (year_date is None or len(da_date.parts) >= len(year_date.parts)
                                or da_date.season):
        if year_date is not None and year_date.parts[1:] and not da_date.parts[1:] \
                and not da_date.season:
            return year_date, tuple(kept)
        return da_date, tuple(kept)
    return year_date, tuple(kept)


def _date_loose(text: str) -> Date | None:
    try:
        return Date.parse(text, loose=True)
    except DateError:
        return None


# The tags that are one CSL variable in a record of each RIS type: `_SIMPLE`, then the type's
# own (`TYPE_TAGS`, which win: a bill's `M1` is its number over `C7`).
_ONE_VARIABLE_TAGS = {ty: _SIMPLE + tuple(pairs) for ty, pairs in _TYPE_TAGS_BY_TYPE.items()}
# Tags read only through tags.first/peek in record_from_tags, tested for together first.
_JOURNAL_ABBREVIATIONS = frozenset(("J2", "JA", "J1", "JO"))


def _people(values: dict[str, list[str]], names: dict[str, tuple[Name, ...]], role: str,
            tag: str) -> None:
    listed = values.pop(tag, None)
    if listed:
        found = tuple(map(_name, listed))
        names[role] = names[role] + found if role in names else found


def record_from_tags(ty_text: str, tags: _Tags) -> Record:
    """One RIS record (its TY value and its tag table, which this consumes) → Record.

    A tag is looked for with `tag in values` before it is read, without a call: a record holds
    ~15 of the ~60 tags read here, and the calls (take(), one(), _Tags.first, …) that read
    absent tags were most of the cost of a record's table (a record with one `TI`: ~13 -> ~8 us).
    A tag's list is never empty until something reads it, so a tag nothing read before is read
    at `values[tag]` directly; one that an earlier step may have read (`M1`, `M3`, `T2`, `PB`,
    …) through get() and a test for an empty list."""
    raw_ty, ty, csl_type = _record_type(ty_text)
    leftover: dict[str, list[str]] = {}
    values = tags.values
    keys = values.keys()  # one view, live, for the isdisjoint tests below
    variables: dict[str, str] = {}
    names: dict[str, tuple[Name, ...]] = {}

    # Tags that are one variable for this type; none is read before this loop.
    for tag, var in _ONE_VARIABLE_TAGS.get(ty, _SIMPLE):
        if tag in values:
            variables[var] = values[tag].pop(0)

    # Names. A1 and AU are both authors, in the order the file gives them.
    if tags.authors:
        names["author"] = tuple(map(_name, tags.authors))
    if not keys.isdisjoint(_PEOPLE_TAGS):  # one test for the ~98% of records with none
        if ty in A2_RECIPIENT:
            _people(values, names, "recipient", "A2")
        elif ty in A2_SERIES_EDITOR:
            _people(values, names, "collection-editor", "A2")
        else:
            _people(values, names, "editor", "A2")
        if ty in BOOKS:
            _people(values, names, "editor", "A3")
        elif ty == "THES":
            _people(values, names, "contributor", "A3")  # the supervisor (Zotero: contributor)
        else:
            _people(values, names, "collection-editor", "A3")
        _people(values, names, "editor", "ED")
        _people(values, names, "translator", "A4")

    # Titles.
    if "TI" in values:
        title: str | None = values["TI"].pop(0)
    else:
        title = tags.first("T1", "CT") or (tags.first("BT") if ty in BOOKS else None)
    # Every title is rich text (rich), read where it is set: no variable read here is set twice.
    if ty in SERIES_IN_T2:
        value = tags.first("T2", "T3")
        if value:
            variables["collection-title"] = rich(value)
        if "JF" in values:
            variables["container-title"] = rich(values["JF"].pop(0))
    else:
        if "T3" in values:
            variables["collection-title"] = rich(values["T3"].pop(0))
        if ty in CONFERENCES and values.get("C3") and values.get("T2"):
            # Zotero writes the proceedings' title in C3 and the conference's name in T2.
            variables["container-title"] = rich(values["C3"].pop(0))
            variables["event-title"] = rich(values["T2"].pop(0))
        else:
            # tags.first("T2", "JF", "BT") with its first tag (the container of nearly every
            # record: Zotero and quarterly write T2) read without the call: nothing reads T2
            # before this branch, so its list is not empty. With J2's below: RIS -> BibTeX of
            # records-10000.ris 3,688M -> 3,632M instructions (callgrind, with the empty
            # tuples for SN, KW and AD). tests/test_ris_shortcuts.py holds both to tags.first.
            value = values["T2"].pop(0) if "T2" in values else \
                tags.first("JF", "BT") or tags.peek("JO", "JA", "J1", "J2")
            if value:
                variables["container-title"] = rich(value)
    # tags.first("J2", "JA", "J1", "JO") likewise: J2 (Zotero's and quarterly's journal
    # abbreviation) is only peeked at above.
    if "J2" in values:
        variables["container-title-short"] = rich(values["J2"].pop(0))
    elif not keys.isdisjoint(_JOURNAL_ABBREVIATIONS):
        value = tags.first("JA", "J1", "JO")
        if value:
            variables["container-title-short"] = rich(value)
    if "title-short" in variables:  # ST (_SIMPLE)
        variables["title-short"] = rich(variables["title-short"])

    # Numbers and pages.
    if "IS" in values:
        variables["issue"] = values["IS"].pop(0)
    listed = values.get("M1")  # a bill's M1 was read above
    if listed:
        if "issue" not in variables and ty in SERIALS and len(listed[0]) <= 12:
            variables["issue"] = listed.pop(0)  # EndNote writes a journal's issue in M1 (Zotero)
        elif ty in BOOKS:
            variables["collection-number"] = listed.pop(0)
    if "SV" in values:
        variables["collection-number"] = values["SV"].pop(0)
    first = values["SP"].pop(0) if "SP" in values else None
    last = values["EP"].pop(0) if "EP" in values else None
    if first and last:
        variables["page"] = f"{first}-{last}"
    elif first and ty in PAGES_COUNT and "-" not in first:
        variables["number-of-pages"] = first
    elif first:
        variables["page"] = first
    elif last:
        leftover["EP"] = [last]
    serials = values.pop("SN", None)
    # No SN (~30% of real records, every synthetic one): empty tuples, not new lists.
    issn, isbn, numbers = _classify_sn(serials, ty) if serials else ((), (), ())
    if numbers and "number" not in variables:
        value = numbers.pop(0)
        if value:  # `SN  - []` (Rayyan, empty) is no number
            variables["number"] = value
    if numbers:
        leftover["SN"] = numbers

    # Publication.
    if not keys.isdisjoint(_PUBLICATION_TAGS):  # one test for the ~75% of records with none
        listed = values.get("PB")  # a case's PB was read above (its court)
        if listed:
            variables["publisher"] = listed.pop(0)
        listed = values.get("C1")  # a map's C1 was read above (its scale)
        if ty in CONFERENCES and listed:
            # Zotero and EndNote: a conference paper's place of publication is C1, CY the venue.
            variables["publisher-place"] = listed.pop(0)
            if "CY" in values:
                variables["event-place"] = values["CY"].pop(0)
        elif "CY" in values:
            variables["publisher-place"] = values["CY"].pop(0)
        if "ET" in values:
            variables["version" if ty in VERSIONED else "edition"] = values["ET"].pop(0)
        value = tags.first("DP", "H1")  # H1, H2: Citavi's library and call number
        if value:
            variables["source"] = value
        value = tags.first("CN", "H2")
        if value:
            variables["call-number"] = value

    # Identifiers. AN is a PMID only when it is one (digits); WoS and Dimensions accession
    # numbers (`WOS:000282053100002`, `pub.1149029839`) are archive locations, as Zotero reads AN.
    for value in (values.pop("AN", []) + values.pop("AV", [])  # AV: RefMan's availability (Zotero)
                  if "AN" in values or "AV" in values else ()):
        if _PMID.fullmatch(value) and "PMID" not in variables:
            variables["PMID"] = value
        elif "archive_location" not in variables:
            variables["archive_location"] = value
        else:
            leftover.setdefault("AN", []).append(value)
    # C2 is PubMed's PMCID, Scopus's PMID, and in Zotero's CHAP the book's author.
    for value in values.pop("C2") if "C2" in values else ():
        if _PMCID.fullmatch(value) and "PMCID" not in variables:
            variables["PMCID"] = value.upper()
        elif _PMID.fullmatch(value) and "PMID" not in variables:
            variables["PMID"] = value
        elif ty in CHAPTERS:
            names["container-author"] = names.get("container-author", ()) + (_name(value),)
        else:
            leftover.setdefault("C2", []).append(value)
    doi_text = values["DO"].pop(0) if "DO" in values else None
    listed = values.get("M3")  # an artwork's M3 was read above (its medium)
    if listed and not doi_text and doi_mod.parse(listed[0]):  # old EndNote: the DOI in M3
        doi_text = listed.pop(0)
    if doi_text:
        variables["DOI"] = doi_mod.parse(doi_text) or doi_text
    if listed:
        variables["genre"] = listed.pop(0)
    urls = values.pop("UR", None)
    if urls:
        split = [u.strip() for u in urls[0].split(";")]
        if len(split) > 1 and all(re.match(r"[a-z][a-z0-9+.-]*:", u) for u in split):
            urls = split + urls[1:]  # `UR  - https://a; https://b`, as rispy splits it
        if urls[0]:
            variables["URL"] = urls[0]
        if urls[1:]:
            leftover["UR"] = urls[1:]
    record_id = values["ID"].pop(0) if "ID" in values else None
    if record_id:
        variables["citation-key"] = record_id

    # Dates.
    dates: dict[str, Date] = {}
    issued = _issued(values, leftover)
    if issued is not None:
        dates["issued"] = issued
    if "Y2" in values:
        accessed_text = values["Y2"].pop(0)
        accessed = _date(accessed_text)
        if accessed is not None:
            dates["accessed"] = accessed
        else:
            leftover["Y2"] = [accessed_text]

    abstract = values["AB"].pop(0) if "AB" in values else tags.first("N2")
    keywords = values.pop("KW", None) or ()  # () as for SN
    affiliation = values.pop("AD", None) or ()
    # What no variable took, in the order the tags came. A record whose tags were all read
    # (every record of the synthetic records-10000.ris) is told by any() over the lists,
    # without a loop over its ~12 emptied tags in Python: ~2k instructions a record.
    if any(values.values()):
        for tag, rest in values.items():
            if rest:
                leftover.setdefault(tag, []).extend(rest)
    custom: dict[str, Any] = {}
    if "genre" in variables:
        csl_type = preprint_type(csl_type, variables["genre"])
    if raw_ty != RIS_TYPES.get(csl_type, "GEN"):
        leftover["TY"] = [raw_ty]
    if leftover:
        custom["ris"] = leftover
    # The tables were built for this record alone: the Record takes them without copies.
    # rich keeps a value of the table on one line with its white space folded: the abstract's
    # sections are found without a check of every character (abstracts.sections_from_line).
    return Record.from_tables(
        rich(title) if title else "", csl_type, names, dates, variables, issn, isbn, keywords,
        affiliation, sections_from_line(rich(abstract)) if abstract else (), custom, record_id,
        "ris")


@lru_cache(maxsize=1 << 8)  # a library holds a handful of TY values
def _record_type(text: str) -> tuple[str, str, str]:
    """A record's TY value → (it on one line, the RIS type it names, its CSL type)."""
    raw = _one(text)
    return (raw, *read_type(raw))


def read_type(text: str) -> tuple[str, str]:
    """A TY value → (the RIS type it names, its CSL type). Case and spelling vary in the wild
    (`Chap`, `Journal Article`, `JOUR `): the first four letters decide; an unknown type is a
    CSL `document`, never a journal article."""
    ty = text.strip().upper()
    if ty not in TYPES and len(ty) >= 4:
        ty = next((t for t in TYPES if t.startswith(ty[:4])), ty)
    return ty, TYPES.get(ty, "document")


_TY_LINE = re.compile(r"^TY  -", re.MULTILINE)
_ER_LINE = re.compile(r"^ER  -", re.MULTILINE)
_TY_ONE_SPACE = re.compile(r"^TY - ", re.MULTILINE)
_ONE_SPACE = re.compile(r"^([A-Z][A-Z0-9]) -(?= |$)", re.MULTILINE)


def _describe(ty: str, title: str | None, n: int) -> str:
    return f"record {n} ({ty}{': ' + _one(title)[:60] if title else ''})"


def read(text: str, name: str, controls: bytes | None = None) -> list[Record]:
    """The records of a RIS text (iter_records)."""
    return list(iter_records(text, name, controls))


def iter_records(text: str, name: str, controls: bytes | None = None) -> Iterator[Record]:
    """The records of a RIS text, each made as it is asked for; `controls`, when known, the C0
    control bytes but newline, and DEL, that the file holds (fileio.FileText.controls). The
    warnings about lines outside records come after the last record."""
    # A byte-order mark at the start of the text or of any line (files concatenated from
    # several exports) would hide the `TY` tag from the parser.
    if "\r" in text:  # Windows and old Mac line ends (a Web of Science export mixes them)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\ufeff" in text:  # at a line's start only: inside a value it is the value's
        text = text.removeprefix("\ufeff").replace("\n\ufeff", "\n")
    if not _TY_LINE.search(text) and _TY_ONE_SPACE.search(text):
        # `TY - JOUR`: one space before the hyphen, which Zotero accepts and rispy does not.
        text = _ONE_SPACE.sub(r"\1  -", text)
    if not _TY_LINE.search(text):
        raise InputFormatError(f"{name}: no RIS records (each starts with a 'TY  - ' line).")
    last_ty = text.rfind("\nTY  -") + 1  # 0: the only TY line is the first line
    if not _ER_LINE.search(text, last_ty):
        warn(f"{name}: the last RIS record has no ER line; it was read to the end of "
             "the file.")
        text = text.rstrip("\r\n") + "\nER  - \n"
    count = 0  # the records met so far, for a message

    def build(ty: str, tags: _Tags, title: str | None) -> Record:
        nonlocal count
        count += 1
        try:
            return record_from_tags(ty, tags)
        except (DateError, ValueError) as exc:
            raise InputFormatError(
                f"{name}: {_describe(ty, title, count)} cannot be read: {exc}."
            ) from None

    # Carriage returns are gone (above); a tab is a control a value must be folded for.
    stray, extra_ty = yield from _scan(text, build, controls in (b"", b"\r"))
    if stray:
        warn(f"{name}: {len(stray)} tag line(s) outside any record (no 'TY  - ' before "
             f"them) were not read, the first: {stray[0][:60]}")
    if extra_ty:
        warn(f"{name}: {extra_ty} 'TY' line(s) inside a record (before its ER) were "
             "ignored; each record's first TY gives its type.")
