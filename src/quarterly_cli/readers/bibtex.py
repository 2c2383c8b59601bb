"""BibTeX/BibLaTeX → Records.

The file is split into entries by a hand-written scanner rather than bibtexparser v2's splitter:
that splitter takes 2.1 s on a 10,341-entry file of real exports (the whole conversion budget),
leaves `#` concatenation unresolved, and turns a duplicate key into a failed block. The scanner
follows BibTeX's own grammar (entries in `{}` or `()`, values in braces or quotes, numbers and
`@string` macros joined by `#`, text outside entries is a comment); tests/test_bibtex_reader.py
holds it against bibtexparser and pybtex on the same files.

Then, per entry, as biber does: `xdata` and `crossref` inheritance (a child inherits its
parent's title as `booktitle`, its editors, year and publisher); duplicate keys and fields are
warnings, not refusals; LaTeX is decoded by `latex.py`; fields map to CSL by the tables below
(README, "BibTeX and BibLaTeX"). What has no CSL variable is kept, as written, under
`record.custom["bibtex:<field>"]` and written back by the BibTeX writers.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_right
from functools import cache, lru_cache

from .. import doi as doi_mod
from ..abstracts import sections_from_text
from ..diagnostics import warn
from ..errors import InputFormatError
from ..model import Date, DateError, Name, Record, Section, preprint_type
from .latex import LatexError, latex_to_rich, latex_to_text

# --- entry types --------------------------------------------------------------------------

# BibTeX and biblatex entry type → CSL type. Where BibTeX is ambiguous this follows
# citation-js's plugin-bibtex and Better BibTeX (README has the table and the exceptions).
TYPES = {
    "article": "article-journal", "book": "book", "mvbook": "book", "bookinbook": "chapter",
    "booklet": "pamphlet", "collection": "book", "mvcollection": "book",
    "incollection": "chapter", "inbook": "chapter", "suppbook": "chapter",
    "suppcollection": "chapter", "proceedings": "book", "mvproceedings": "book",
    "inproceedings": "paper-conference", "conference": "paper-conference",
    "reference": "book", "mvreference": "book", "inreference": "entry-encyclopedia",
    "techreport": "report", "report": "report", "manual": "report",
    "phdthesis": "thesis", "mastersthesis": "thesis", "thesis": "thesis",
    "online": "webpage", "www": "webpage", "electronic": "webpage", "webpage": "webpage",
    "unpublished": "manuscript", "misc": "document", "patent": "patent",
    "software": "software", "dataset": "dataset", "data": "dataset",
    "periodical": "periodical", "suppperiodical": "article-journal",
    "artwork": "graphic", "image": "figure", "audio": "song", "music": "musical_score",
    "video": "motion_picture", "movie": "motion_picture", "performance": "performance",
    "jurisdiction": "legal_case", "legislation": "legislation", "legal": "treaty",
    "letter": "personal_communication", "review": "review", "standard": "standard",
}
_SUBTYPES = {"magazine": "article-magazine", "newspaper": "article-newspaper"}
# biblatex's `type` keys (biblatex manual §4.9.2.13) and the genre the classic thesis types mean.
GENRES = {"phdthesis": "PhD thesis", "mathesis": "Master's thesis", "mastersthesis":
          "Master's thesis", "bathesis": "Bachelor's thesis", "candthesis": "Candidate thesis",
          "techreport": "Technical report", "resreport": "Research report"}
ARTICLE_TYPES = frozenset(("article-journal", "article-magazine", "article-newspaper",
                           "article", "periodical", "review", "review-book"))
# CSL types whose BibTeX `number` is the number within a series (CSL collection-number).
SERIES_NUMBER_TYPES = frozenset(("book", "chapter", "paper-conference", "pamphlet",
                                 "entry-encyclopedia"))

# --- fields --------------------------------------------------------------------------------

# Fields read the same way in every entry type: BibTeX/biblatex field → CSL variable.
PLAIN_FIELDS = {
    "volume": "volume", "volumes": "number-of-volumes", "part": "part",
    "edition": "edition", "version": "version", "series": "collection-title",
    "chapter": "chapter-number", "pagetotal": "number-of-pages",
    "numpages": "number-of-pages", "publisher": "publisher", "address": "publisher-place",
    "location": "publisher-place", "note": "note", "annote": "annote", "annotation": "annote",
    "language": "language", "langid": "language", "shortjournal": "container-title-short",
    "journalabbrev": "container-title-short", "venue": "event-place",
    "pmid": "PMID", "pmcid": "PMCID", "library": "call-number", "pubstate": "status",
    "origpublisher": "original-publisher", "origlocation": "original-publisher-place",
    "addendum": "note",
}
RICH_FIELDS = {"shorttitle": "title-short", "eventtitle": "event-title",
               "origtitle": "original-title", "issuetitle": "volume-title"}
_PLAIN_READ = frozenset(PLAIN_FIELDS) - {"publisher"}  # the publisher is read with its kin
DATE_FIELDS = {"urldate": "accessed", "lastchecked": "accessed", "eventdate": "event-date",
               "origdate": "original-date"}
NAME_FIELDS = {"author": "author", "editor": "editor", "translator": "translator",
               "bookauthor": "container-author"}
# biblatex's `editortype` values that are CSL roles of their own.
EDITOR_TYPES = {"compiler": "compiler", "director": "director", "organizer": "organizer",
                "chair": "chair", "collaborator": "contributor", "redactor": "editor",
                "founder": "contributor", "continuator": "contributor"}
# Where the publisher is, by CSL type: the field the writers use for it comes first, so that it
# wins when an entry has both (a thesis with `school` and `publisher`).
_BODIES: dict[str | None, tuple[str, ...]] = {
    "thesis": ("school", "institution", "publisher", "organization"),
    "report": ("institution", "organization", "publisher", "school"),
    "webpage": ("organization", "publisher", "institution"),
    None: ("publisher", "institution", "organization"),
}
# Fields not inherited through `crossref` (biber's defaults, biblatex manual §B.1).
_NOT_INHERITED = frozenset(("ids", "crossref", "xref", "xdata", "entryset", "entrysubtype",
                            "execute", "label", "options", "presort", "related",
                            "relatedoptions", "relatedstring", "relatedtype", "shorthand",
                            "shorthandintro", "sortkey"))
_MULTIVOLUME = frozenset(("mvbook", "mvcollection", "mvproceedings", "mvreference"))
_CONTAINED = frozenset(("inbook", "incollection", "inproceedings", "bookinbook", "suppbook",
                        "suppcollection", "inreference"))

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december")
_MONTH_NUMBERS = {**{m: n for n, m in enumerate(MONTHS, 1)},
                  **{m[:3]: n for n, m in enumerate(MONTHS, 1)},
                  **{str(n): n for n in range(1, 13)}, **{f"{n:02d}": n for n in range(1, 10)}}
# BibTeX's predefined macros (plain.bst): the months.
_PREDEFINED = {m[:3]: m.capitalize() for m in MONTHS}

# --- the scanner ---------------------------------------------------------------------------

_AT = re.compile(r"@[ \t\r\n]*([A-Za-z][\w:.+-]*)[ \t\r\n]*([{(])")
_SPACE = re.compile(r"(?:[ \t\r\n]|%[^\n]*)*")
_KEY_END = re.compile(r"[,\s}\)]")
_FIELD = re.compile(r"([^\s=,{}\"#%'()]+)[ \t\r\n]*=")


def _nested(depth: int, chars: str = "[^{}]") -> str:
    """`chars` and brace groups nested at most `depth` deep. Possessive quantifiers (Python
    3.11+) read a long abstract in a few steps; before 3.11, one character per step, which never
    backtracks either (a character is a brace or not: one way to match it)."""
    possessive = "+" if sys.version_info >= (3, 11) else ""
    pattern = f"[^{{}}]*{possessive}"
    for level in range(depth, 0, -1):
        one = chars if level == 1 else "[^{}]"
        pattern = f"(?:{one}+{possessive}|\\{{{pattern}\\}})*{possessive}" if possessive \
            else f"(?:{one}|\\{{{pattern}\\}})*"
    return pattern


# The common field in one match: a braced or quoted value with groups nested two deep (`{The
# {NHS} reform}`, Better BibTeX's `{{City}}`, `"Breitenb{\\"{u}}cher"`), or a number. Anything
# else (deeper groups, `#`, macros, comments) goes by the general path below, which reads these
# the same way (tests/test_bibtex_reader.py).
_BRACED_TEXT = _nested(2)
_QUOTED_TEXT = _nested(2, r'[^"{}]')
_SIMPLE_FIELD = re.compile(
    r"([^\s=,{}\"#%'()]+)[ \t\r\n]*=[ \t\r\n]*"
    rf"(?:\{{({_BRACED_TEXT})\}}|\"({_QUOTED_TEXT})\"|(\d+))"
    r"[ \t\r\n]*(?:,[ \t\r\n]*|(?=[})]))")
_QUOTED = re.compile(r'[{}"]')
_BARE = re.compile(r"[^\s\"#%'(),={}]+")


class _Syntax(Exception):
    def __init__(self, pos: int, reason: str) -> None:
        super().__init__(reason)
        self.pos = pos
        self.reason = reason


class Entry:
    """One entry as written: type, key, fields (lower-cased names, LaTeX values) and where."""

    __slots__ = ("type", "key", "fields", "at", "pos", "end")

    def __init__(self, type_: str, key: str, pos: int) -> None:
        self.type = type_
        self.key = key
        self.pos = pos  # offset of the `@` in the file (a line number only when one is needed)
        self.end = pos  # offset after its closing delimiter, once scanned
        self.fields: dict[str, str] = {}
        self.at: dict[str, int] = {}  # field → offset


class _Scanner:
    def __init__(self, text: str, name: str) -> None:
        self.text = text
        self.name = name
        self.macros: dict[str, str] = dict(_PREDEFINED)
        self._newlines: list[int] | None = None
        self._counted = (0, 1)  # (offset, its line): where `line` last counted to
        self.duplicates: list[tuple[Entry, str, int]] = []

    def line(self, pos: int) -> int:
        """The line number of offset `pos`. Warnings mostly come in file order: counted on from
        the last offset asked about (str.count, a few ms for the whole file), and only when one
        goes back, looked up in an index of the newlines (which takes ten times that to build)."""
        if self._newlines is None:
            counted, line = self._counted
            if pos >= counted:
                line += self.text.count("\n", counted, pos)
                self._counted = (pos, line)
                return line
            self._newlines = [m.start() for m in re.finditer("\n", self.text)]
        return bisect_right(self._newlines, pos - 1) + 1

    def entries(self) -> list[Entry]:
        text = self.text
        out: list[Entry] = []
        pos = 0
        while True:
            match = _AT.search(text, pos)
            if match is None:
                return out
            line_start = text.rfind("\n", 0, match.start()) + 1
            if "%" in text[line_start:match.start()]:
                pos = match.end()  # `%@article{…`: commented out (biber and bibtexparser agree)
                continue
            kind = match.group(1).lower()
            closer = "}" if match.group(2) == "{" else ")"
            pos = match.end()
            try:
                if kind == "comment" or kind == "preamble":
                    pos = self._skip_block(pos, closer)
                elif kind == "string":
                    pos = self._string(pos, closer)
                else:
                    entry, pos = self._entry(kind, pos, closer, match.start())
                    entry.end = pos
                    out.append(entry)
            except _Syntax as exc:
                raise InputFormatError(
                    f"{self.name}: BibTeX entry at line {self.line(match.start())} cannot be "
                    f"parsed ({exc.reason} at line {self.line(exc.pos)}). Fix the entry and try "
                    "again.") from None

    def _skip_block(self, pos: int, closer: str) -> int:
        if closer == "}":
            return self._braced(pos)
        end = self.text.find(")", pos)
        if end < 0:
            raise _Syntax(pos, "no closing parenthesis")
        return end + 1

    def _braced(self, pos: int) -> int:
        """`pos` is just after an opening brace; returns the position after its closing one."""
        depth = 1
        text = self.text
        while True:  # closing brace by closing brace: str.find and str.count, not a loop per brace
            close = text.find("}", pos)
            if close < 0:
                raise _Syntax(text.rfind("{", pos) + 1 or pos, "unbalanced braces")
            depth += text.count("{", pos, close) - 1
            pos = close + 1
            if depth == 0:
                return pos

    def _quoted(self, pos: int) -> int:
        depth = 0
        text = self.text
        while True:
            match = _QUOTED.search(text, pos)
            if match is None:
                raise _Syntax(pos, "unterminated quoted value")
            pos = match.end()
            char = match.group()
            if char == '"' and depth == 0:
                return pos
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
                if depth < 0:
                    raise _Syntax(pos, "unbalanced braces in a quoted value")

    def _space(self, pos: int) -> int:
        return _SPACE.match(self.text, pos).end()  # type: ignore[union-attr]

    def _value(self, pos: int) -> tuple[str, int]:
        """A value: parts joined by `#`. Returns the LaTeX text and the position after it."""
        text = self.text
        parts: list[str] = []
        while True:
            pos = self._space(pos)
            char = text[pos:pos + 1]
            if char == "{":
                end = self._braced(pos + 1)
                parts.append(text[pos + 1:end - 1])
            elif char == '"':
                end = self._quoted(pos + 1)
                parts.append(text[pos + 1:end - 1])
            else:
                match = _BARE.match(text, pos)
                if match is None:
                    raise _Syntax(pos, "a value is missing")
                end = match.end()
                word = match.group()
                if word.isdigit():
                    parts.append(word)
                else:
                    macro = self.macros.get(word.lower())
                    if macro is None:
                        warn(f"{self.name}: line {self.line(pos)}: @string '{word}' is not "
                             "defined; its name is kept as the text.")
                        macro = word
                    parts.append(macro)
            pos = self._space(end)
            if text[pos:pos + 1] != "#":
                return "".join(parts), pos
            pos += 1

    def _string(self, pos: int, closer: str) -> int:
        pos = self._space(pos)
        match = _FIELD.match(self.text, pos)
        if match is None:
            raise _Syntax(pos, "an @string without 'name = value'")
        value, pos = self._value(match.end())
        self.macros[match.group(1).lower()] = value
        pos = self._space(pos)
        if self.text[pos:pos + 1] != closer:
            raise _Syntax(pos, f"'{closer}' expected")
        return pos + 1

    def _entry(self, kind: str, pos: int, closer: str, start: int) -> tuple[Entry, int]:
        text = self.text
        pos = self._space(pos)
        match = _KEY_END.search(text, pos)
        if match is None:
            raise _Syntax(pos, "the entry never ends")
        key = text[pos:match.start()]
        entry = Entry(kind, key, start)
        pos = self._space(match.start())
        fields = entry.fields
        while True:
            # The common field (`name = {text without braces},`) in one match; anything else —
            # nested braces, `#`, macros, comments — by the general path below.
            fast = _SIMPLE_FIELD.match(text, pos)
            if fast is not None:
                name = fast.group(1).lower()
                if name in fields:
                    self.duplicates.append((entry, name, pos))
                else:
                    value = fast.group(2)
                    if value is None:
                        value = fast.group(3)
                        if value is None:
                            value = fast.group(4)
                    fields[name] = value
                    entry.at[name] = pos
                pos = fast.end()
                if text.startswith("%", pos):  # a commented-out line between fields
                    pos = self._space(pos)
                continue
            char = text[pos:pos + 1]
            if char == closer or char in "})" and char:
                # `@book{a, … )`: a mismatched closing delimiter is forgiven (citation-js too)
                return entry, pos + 1
            if char == ",":
                pos = self._space(pos + 1)
                continue
            field = _FIELD.match(text, pos)
            if field is None:
                raise _Syntax(pos, "'name = value' expected" if char else "the entry never ends")
            name = field.group(1).lower()
            value, end = self._value(field.end())
            if name in entry.fields:
                self.duplicates.append((entry, name, pos))
            else:
                entry.fields[name] = value
                entry.at[name] = pos
            pos = end
            if text[pos:pos + 1] not in (",", "}", ")") and not _FIELD.match(text, pos):
                # A missing comma before the next `name =` is forgiven (pybtex and
                # bibtexparser read on too); anything else is an error.
                raise _Syntax(pos, "',' expected between fields")


def spans(text: str, name: str) -> list[tuple[int, int]]:
    """Where each entry that `read` turns into a record starts and ends in `text`, in order
    (`check --fix` edits the file entry by entry). No warnings: `read` gave them."""
    return [(e.pos, e.end) for e in _Scanner(text, name).entries() if e.type != "xdata"]


def scan(text: str, name: str) -> tuple[list[Entry], _Scanner]:
    """The entries of a BibTeX file, macros and `#` resolved; a warning per repeated field."""
    scanner = _Scanner(text, name)
    entries = scanner.entries()
    for entry, field, pos in scanner.duplicates:
        warn(f"{name}: entry '{entry.key}' has '{field}' twice (lines "
             f"{scanner.line(entry.at[field])} and {scanner.line(pos)}); the first is kept.")
    return entries, scanner


# --- names ---------------------------------------------------------------------------------

_TIE = re.compile(r"(?<!\\)~")
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
_EXTENDED = re.compile(r"\s*(?:family|given|prefix|suffix|useprefix|giveni)\s*=", re.IGNORECASE)
_ENVIRONMENT = re.compile(r"\\(begin|end)\s*\{[^{}]*\}")
_OTHERS = frozenset(("others", "et al.", "et al", "etal", "et. al.", "{others}"))


def _split_depth0(text: str, pattern: re.Pattern[str]) -> list[str]:
    """Split where `pattern` matches outside braces (BibTeX's `and`, commas, spaces)."""
    if "{" not in text:
        return pattern.split(text)
    out, start, depth, last = [], 0, 0, 0
    for match in pattern.finditer(text):
        depth += text.count("{", last, match.start()) - text.count("}", last, match.start())
        last = match.start()
        if depth == 0:
            out.append(text[start:match.start()])
            start = match.end()
    out.append(text[start:])
    return out


_COMMA = re.compile(r",")
_WORDS = re.compile(r"\s+")
_LETTER_COMMANDS = frozenset(("oe", "OE", "ae", "AE", "aa", "AA", "o", "O", "l", "L", "ss",
                              "i", "j", "DH", "dh", "TH", "th", "NG", "ng", "DJ", "dj"))
_CONTROL_PREFIX = re.compile(r"^\{?\\[A-Za-z]+\s*|^\{?\\.\s*")


def _is_von(word: str) -> bool:
    """BibTeX's rule: a word is part of `von` when its first letter outside braces is lower case
    (a leading `{\\"u}`-style special character counts by its letter)."""
    if "{" not in word:
        return next((c.islower() for c in word if c.isalpha()), False)
    depth = 0
    i = 0
    n = len(word)
    while i < n:
        char = word[i]
        if char == "{":
            if depth == 0 and word[i + 1:i + 2] == "\\":
                match = _CONTROL_PREFIX.match(word[i:])
                command = match.group().strip("{\\ ") if match else ""
                if command in _LETTER_COMMANDS:  # `{\\AA}ke`: the letter's own case
                    return command[0].islower()
                rest = word[i + (match.end() if match else 1):]
                letter = next((c for c in rest if c.isalpha()), "")
                return letter.islower()
            depth += 1
        elif char == "}":
            depth -= 1
        elif depth == 0 and char.isalpha():
            return char.islower()
        i += 1
    return False


def _decoded(words: list[str]) -> str | None:
    return (latex_to_text(" ".join(words)) or None) if words else None


@lru_cache(maxsize=1 << 14)  # a library names the same people again and again
def parse_name(raw: str) -> Name | None:
    """One BibTeX name (`von Last, Jr, First`, `First von Last`, `{Organisation}`, or biblatex's
    `family=…, given=…`), LaTeX decoded. None when it is empty."""
    raw = raw.strip()
    name = _family_given(raw)
    return name if name is not None else _parse_name(raw)


def _family_given(raw: str) -> Name | None:
    """`Family, Given` with a family name of one word and no braces or `=` (three names in four
    of real-10000.bib's): the Name _parse_name makes of it, without its splits, von tests and
    four decodings; None for anything else. The 3,955 distinct names of real-10000.bib (cold,
    callgrind): 237M -> 188M instructions; tests/test_bibtex_reader.py holds it to
    _parse_name."""
    if "{" in raw or "=" in raw or raw.count(",") != 1:
        return None
    family, given = raw.split(",")
    family = family.strip()
    if not family or _WORDS.search(family):
        return None
    family = latex_to_text(family)
    if not family:
        return None
    return Name(family=family, given=latex_to_text(given.strip()) or None)


def _parse_name(raw: str) -> Name | None:
    """parse_name's general path."""
    raw = raw.strip()
    if not raw.strip(", "):
        return None
    if _EXTENDED.match(raw):
        return _extended_name(raw)
    if raw.startswith("{") and raw.endswith("}") and raw[1:2] != "\\" and _closes_at_end(raw):
        # `{World Health Organization}`; but `{\\"U}` is a special character, not a group
        return Name(literal=latex_to_text(raw[1:-1]))
    parts = [p.strip() for p in (raw.split(",") if "{" not in raw else
                                 _split_depth0(raw, _COMMA))]
    if len(parts) == 1:
        words = [w for w in _split_depth0(parts[0], _WORDS) if w]
        if len(words) == 1:
            return Name(family=latex_to_text(words[0]))
        von_start = next((i for i, w in enumerate(words[:-1]) if _is_von(w)), None)
        if von_start is None:
            first, von, last = words[:-1], [], words[-1:]
        else:
            von_end = max(i for i in range(von_start, len(words) - 1) if _is_von(words[i]))
            first, von, last = words[:von_start], words[von_start:von_end + 1], \
                words[von_end + 1:]
        jr: list[str] = []
    else:
        words = [w for w in _split_depth0(parts[0], _WORDS) if w]
        # `von Last`: von runs to the last lower-case word before the final one.
        von_count = next((i + 1 for i in range(len(words) - 2, -1, -1) if _is_von(words[i])), 0)
        von, last = words[:von_count], words[von_count:]
        jr = [parts[1]] if len(parts) > 2 and parts[1] else []
        first = [", ".join(p for p in parts[2 if len(parts) > 2 else 1:] if p)]
    family = _decoded(last)
    if family is None:
        return Name(literal=latex_to_text(raw)) if latex_to_text(raw) else None
    return Name(family=family, given=_decoded(first), non_dropping_particle=_decoded(von),
                suffix=_decoded(jr))


def _closes_at_end(text: str) -> bool:
    """`{World Health Organization}` is one group; `{A} and {B}` is not."""
    depth = 0
    for i, char in enumerate(text):
        depth += char == "{"
        depth -= char == "}"
        if depth == 0 and i < len(text) - 1:
            return False
    return True


def _extended_name(raw: str) -> Name | None:
    """biblatex's extended name format (biblatex manual §3.4): `given=Jean, prefix=de, …`."""
    parts: dict[str, str] = {}
    for item in _split_depth0(raw, _COMMA):
        key, _, value = item.partition("=")
        value = value.strip()
        if value.startswith("{") and value.endswith("}") and _closes_at_end(value):
            value = value[1:-1]
        parts[key.strip().lower()] = value
    family = latex_to_text(parts.get("family", "")) or None
    if family is None:
        return None
    prefix = latex_to_text(parts.get("prefix", "")) or None
    use_prefix = parts.get("useprefix", "").strip().lower() in ("true", "1", "")
    return Name(family=family, given=latex_to_text(parts.get("given", "")) or None,
                suffix=latex_to_text(parts.get("suffix", "")) or None,
                non_dropping_particle=prefix if use_prefix else None,
                dropping_particle=None if use_prefix else prefix)


@lru_cache(maxsize=1 << 12)
def parse_names(value: str) -> tuple[tuple[Name, ...], bool]:
    """A name list and whether it ends in `and others` (`and et al.`): more names, unnamed.
    Cached whole (the result is immutable): a library repeats its author and editor lists
    (the same team, the same editors of a series), and a list's split on `and` and its names'
    lookups cost more than parse_name's cache hit saves (records stage, 10,000 real entries:
    2,046M -> 1,878M instructions)."""
    value = value.strip()
    if "~" in value:
        value = _TIE.sub(" ", value)
    if "\\begin" in value:  # an environment groups like braces: `A\\begin{x} and \\end{x}B`
        value = _ENVIRONMENT.sub(lambda m: "{" if m.group(1) == "begin" else "}", value)
    items = [n.strip() for n in _split_depth0(value, _AND)]
    more = False
    while items and items[-1].lower() in _OTHERS:
        items.pop()
        more = True
    return tuple([n for n in map(parse_name, items) if n is not None]), more


# --- inheritance ---------------------------------------------------------------------------

def _inherited_name(parent_type: str, child_type: str, field: str) -> str:
    """The name a parent's field takes in its child (biber's default `\\DeclareDataInheritance`,
    biblatex manual appendix B): a book's title is its chapter's booktitle, and so on."""
    if parent_type in _MULTIVOLUME and field in ("title", "subtitle", "titleaddon"):
        return {"title": "maintitle", "subtitle": "mainsubtitle",
                "titleaddon": "maintitleaddon"}[field]
    if field in ("title", "subtitle", "titleaddon"):
        if parent_type == "periodical" and child_type in ("article", "suppperiodical"):
            return {"title": "journaltitle", "subtitle": "journalsubtitle",
                    "titleaddon": "journaltitleaddon"}[field]
        if child_type in _CONTAINED:
            return {"title": "booktitle", "subtitle": "booksubtitle",
                    "titleaddon": "booktitleaddon"}[field]
    if field == "author" and child_type in ("inbook", "bookinbook", "suppbook"):
        return "bookauthor"
    if field in ("shorttitle", "sorttitle", "indextitle", "indexsorttitle"):
        return ""
    return field


def inherit(entries: list[Entry], name: str, scanner: _Scanner) -> None:
    """Resolve `xdata` and `crossref` in place, as biber does; a missing parent is a warning."""
    by_key = {e.key: e for e in reversed(entries)}  # the first entry with a key wins
    by_key_lower = {k.lower(): e for k, e in by_key.items()}
    done: set[int] = set()

    def parent_of(entry: Entry, key: str) -> Entry | None:
        parent = by_key.get(key) or by_key_lower.get(key.lower())
        if parent is None:
            warn(f"{name}: entry '{entry.key}' (line {scanner.line(entry.pos)}) refers to "
                 f"'{key}', which is not in the file.")
        return parent

    def resolve(entry: Entry, seen: frozenset[int]) -> None:
        if id(entry) in done or id(entry) in seen or len(seen) > 50:
            return  # done, a cycle, or a chain longer than any real one (hostile input)
        seen = seen | {id(entry)}
        for key in re.split(r"\s*,\s*", entry.fields.get("xdata", "").strip()):
            parent = parent_of(entry, key) if key else None
            if parent is not None:
                resolve(parent, seen)
                for field, value in list(parent.fields.items()):
                    if field not in _NOT_INHERITED:
                        entry.fields.setdefault(field, value)
        key = entry.fields.get("crossref", "").strip()
        parent = parent_of(entry, key) if key else None
        if parent is not None:
            resolve(parent, seen)
            for field, value in list(parent.fields.items()):
                if field in _NOT_INHERITED:
                    continue
                target = _inherited_name(parent.type, entry.type, field)
                if target:
                    entry.fields.setdefault(target, value)
        done.add(id(entry))

    for entry in entries:
        if "crossref" in entry.fields or "xdata" in entry.fields:
            resolve(entry, frozenset())


# --- fields → record -----------------------------------------------------------------------

_PAGE_DASH = re.compile(r"\s*[-–—]+\s*")
_URLISH = re.compile(r"(?:https?|ftp)://\S+$|mailto:\S+$")
_URL_COMMAND = re.compile(r"^\\url\s*\{(.*)\}$", re.DOTALL)
_LIST_SPLIT = re.compile(r"\s*[,;]\s*|\s+and\s+")
_ESCAPED_BREAK = re.compile(r"\\[rn](?=[\dX])")
_KEYWORD_SPLIT = re.compile(r"\s*[,;]\s*")


# A library's keyword lists and ISBNs (a book's, for each of its chapters) recur: each is split
# once (the results are immutable tuples; records stage, 10,000 real entries: 1,838M -> 1,742M
# instructions with _identifiers').
@lru_cache(maxsize=1 << 12)
def _split_list(value: str, pattern: re.Pattern[str]) -> tuple[str, ...]:
    return tuple(s for s in (p.strip() for p in pattern.split(latex_to_text(value))) if s)


@lru_cache(maxsize=1 << 12)
def _identifiers(value: str) -> tuple[str, ...]:
    """ISBNs or ISSNs: separated by commas, semicolons or white space (`978-0 (pbk.)` aside).
    Mendeley writes the line breaks between them as `\\r`/`\\n` (Better BibTeX then escapes
    the backslash: `\\textbackslash{}r`)."""
    text = _ESCAPED_BREAK.sub(" ", latex_to_text(value))
    parts = [p for p in _LIST_SPLIT.split(text) if p.strip()]
    if len(parts) == 1 and len(text.split()) > 1 and all(
            sum(c.isdigit() for c in w) >= 8 for w in text.split()):
        parts = text.split()
    return tuple(p.strip() for p in parts)


def _month_day(month: str, day: str) -> tuple[int | None, int | None, int | None]:
    """`month` as BibTeX writes it — `dec`, `December`, `12`, `{2 sep}`, `sep~2`, `jul--aug`
    — and `day`; returns (month, day, end month of a range)."""
    text = latex_to_text(month).lower().replace("\u00a0", " ")
    numbers = [int(n) for n in re.findall(r"\d+", text)]
    words = [w for w in re.findall(r"[a-zé]+", text) if w[:3] in _PREDEFINED]
    months = [MONTHS.index(next(m for m in MONTHS if m.startswith(w[:3]))) + 1 for w in words]
    day_value = int(day) if day.strip().isdigit() else None
    if not months:
        if numbers and 1 <= numbers[0] <= 12:
            months = [numbers.pop(0)]
        else:
            return None, day_value, None
    if numbers and day_value is None:
        day_value = numbers[0]
    return months[0], day_value, months[1] if len(months) > 1 else None


@lru_cache(maxsize=1 << 12)  # a library's dates repeat (`2019-05`); a Date is immutable
def _date(text: str) -> Date:
    """A date field's text as a date, or as a literal when it is none; DateError (which the
    cache does not keep: the warning is given each time) when it names one that cannot exist."""
    return Date.parse(text) or Date(literal=text)


def _issued(fields: dict[str, str], warn_bad) -> Date | None:
    date = fields.get("date")
    if date:
        text = latex_to_text(date)
        try:
            return _date(text)
        except DateError as exc:
            warn_bad("date", text, exc)
            return Date(literal=text)
    year_text = fields.get("year", "")
    if year_text.isdigit() and len(year_text) == 4 and "day" not in fields:
        # the common cases (`2014`, `2014` + `dec`/`December`/`12`) without the parsing below
        month_text = fields.get("month")
        if not month_text:
            return Date((int(year_text),))
        month_number = _MONTH_NUMBERS.get(month_text.strip().lower())
        if month_number:
            return Date((int(year_text), month_number))
    year_text = latex_to_text(year_text)
    if not year_text:
        return None
    year = re.fullmatch(r"\s*(-?\d{1,4})\s*", year_text)
    if year is None:
        try:
            return Date.parse(year_text.replace("--", "/").replace("–", "/"), loose=True) or \
                Date(literal=year_text)
        except DateError:
            return Date(literal=year_text)
    month, day, until = _month_day(fields.get("month", ""), fields.get("day", ""))
    parts = tuple(p for p in (int(year.group(1)), month, day if month else None) if p)
    try:
        return Date(parts, (parts[0], until) if until and until != month else ())
    except DateError as exc:
        warn_bad("month", fields.get("month", ""), exc)
        return Date((int(year.group(1)),))


def _abstract(value: str | None) -> tuple[Section, ...]:
    """Paragraphs (blank lines apart) of rich text, `Label: text` paragraphs as labelled
    sections (abstracts.py): an abstract keeps its italics, formulas and structure."""
    if not value:
        return ()
    # Exporters put publishers' HTML (`CO<sub>2</sub>`) in abstracts: CSL's own tags are read
    # as the markup they are, not neutralised as in titles.
    paragraphs = [p for p in (latex_to_rich(p).replace("<\u200d", "<")
                              for p in _PARAGRAPHS.split(value)) if p]
    return sections_from_text("\n\n".join(paragraphs)) if paragraphs else ()


_PARAGRAPHS = re.compile(r"\n[ \t\r]*\n")


_TITLE_FIELDS = {prefix: (prefix + "title", prefix + "subtitle", prefix + "titleaddon")
                 for prefix in ("", "journal", "book")}
# The fields that make a title more than its `title` field (record_from_fields' shortcut).
_TITLE_PARTS = frozenset(f for _, *parts in _TITLE_FIELDS.values() for f in parts)


def _title(fields: dict[str, str], prefix: str) -> str | None:
    """`title` + `subtitle` + `titleaddon` (or `booktitle` + `booksubtitle` …) as one title, as
    biblatex prints them: `Title: Subtitle. Addon`; the parts there are when one is missing
    (APA's untitled works have only a `titleaddon`, `[Photograph series of …]`)."""
    title_field, subtitle_field, addon_field = _TITLE_FIELDS[prefix]
    title = fields.get(title_field)
    subtitle = fields.get(subtitle_field)
    addon = fields.get(addon_field)
    if title is None and subtitle is None and addon is None:
        return None
    rich = latex_to_rich(title) if title else ""
    if subtitle:
        rich = f"{rich}: {latex_to_rich(subtitle)}" if rich else latex_to_rich(subtitle)
    if addon:
        rich = f"{rich}. {latex_to_rich(addon)}" if rich else latex_to_rich(addon)
    return rich or None


def _put(variables: dict[str, str], used: set[str], var: str, value: str | None,
         field: str) -> None:
    """Set a CSL variable once; a second field for the same variable stays in custom (`field`
    no longer counts as read)."""
    if not value:
        return
    if var in variables:
        used.discard(field)
    else:
        variables[var] = value


def record_from_fields(key: str, fields: dict[str, str], entry_type: str = "article",
                       warn_bad=None) -> Record:
    """One entry's fields (lower-case names, LaTeX values, inheritance done) as a Record.

    What is not read goes to custom: the fields in _ALWAYS_READ are read whenever an entry has
    them, and `used` holds the others that were. Written without helpers for the common fields
    (the take/text/put closures this had, made for every entry and called ~15 times in it) and
    with the number fields looked at only when there is one (records stage, 2,000 real
    entries, callgrind: 561M -> 532M instructions; 166M -> 136M for a second pass over them,
    its decodings cached)."""
    entry_type = entry_type.lower()
    warn_bad = warn_bad or _ignore
    subtype = latex_to_text(fields["entrysubtype"]).lower() if "entrysubtype" in fields else ""
    csl_type = _SUBTYPES.get(subtype) if entry_type == "article" else None
    csl_type = csl_type or TYPES.get(entry_type, "document")
    names: dict[str, tuple[Name, ...]] = {}
    more: list[str] = []
    variables: dict[str, str] = {}
    dates: dict[str, Date] = {}
    custom: dict[str, str] = {}
    used: set[str] = set()

    # names
    for field, role in NAME_FIELDS.items():
        raw = fields.get(field)
        if raw:
            people, went_on = parse_names(raw)
            if people or went_on:
                names[role] = people
            if went_on:
                more.append(role)
    editor_type = latex_to_text(fields["editortype"]).lower() if "editortype" in fields else ""
    if editor_type in EDITOR_TYPES and "editor" in names and EDITOR_TYPES[editor_type] != "editor":
        names[EDITOR_TYPES[editor_type]] = names.pop("editor")
        if "editor" in more:
            more[more.index("editor")] = EDITOR_TYPES[editor_type]
        used.add("editortype")

    # titles and containers
    # No subtitle or addon (most entries): each title is its one field, read as _title reads
    # it without its calls (records stage, 10,000 real entries: 1,878M -> 1,838M instructions).
    alone = _TITLE_PARTS.isdisjoint(fields)
    if alone:
        title = fields.get("title")
        title = latex_to_rich(title) or None if title else None
        journal = fields.get("journaltitle")
        journal = latex_to_rich(journal) or None if journal else None
    else:
        title = _title(fields, "")
        journal = _title(fields, "journal")
    if not journal and fields.get("journal"):
        journal = latex_to_rich(fields["journal"])
    if alone:
        book = fields.get("booktitle")
        book = latex_to_rich(book) or None if book else None
    else:
        book = _title(fields, "book")
    if csl_type not in ARTICLE_TYPES and book:
        used.update(("booktitle", "booksubtitle", "booktitleaddon"))
        variables["container-title"] = book
    if not journal or "container-title" not in variables:  # else `journal` goes to custom
        used.add("journal")
        if journal:
            variables["container-title"] = journal
    # Most entries have none of these: a set test (in C) before the loop in input order.
    if not RICH_FIELDS.keys().isdisjoint(fields):
        for field in [f for f in fields if f in RICH_FIELDS]:  # input order
            value = fields[field]
            if value and (value := latex_to_rich(value)):
                variables[RICH_FIELDS[field]] = value  # each its own variable, set once

    # numbers
    if not _NUMBER_FIELDS.isdisjoint(fields):
        number = issue = eid = None
        if "number" in fields:
            used.add("number")
            number = latex_to_text(fields["number"]) or None
        if "issue" in fields:
            used.add("issue")
            issue = latex_to_text(fields["issue"]) or None
        if "eid" in fields:
            used.add("eid")
            eid = latex_to_text(fields["eid"]) or None
        if csl_type in ARTICLE_TYPES or (csl_type == "paper-conference" and
                                         "series" not in fields):
            # a proceedings' issue, as citation-js and Zotero read it; in a series, its number
            _put(variables, used, "issue", number or issue, "number")
            if number and issue:
                used.discard("issue")
            _put(variables, used, "number", eid, "eid")
        elif csl_type in SERIES_NUMBER_TYPES:
            _put(variables, used, "collection-number", number, "number")
            _put(variables, used, "issue", issue, "issue")
            _put(variables, used, "number", eid, "eid")
        else:
            _put(variables, used, "number", number, "number")
            _put(variables, used, "issue", issue, "issue")
            if eid:
                _put(variables, used, "number", eid, "eid")
    pages = fields.get("pages")
    if pages is not None and (pages := latex_to_text(pages)) and pages.strip("-–— "):
        used.add("pages")
        variables["page"] = _PAGE_DASH.sub("-", pages)

    # publisher and the bodies BibTeX names by entry type
    if csl_type == "paper-conference" and "address" in fields and "location" in fields:
        # ACM writes the publisher's place in `address` and the conference's in `location`
        used.add("location")
        value = latex_to_text(fields["location"])
        if value:
            variables["event-place"] = value
    for field in [f for f in fields if f in _PLAIN_READ]:  # the entry's fields, in its order
        used.add(field)
        _put(variables, used, PLAIN_FIELDS[field], latex_to_text(fields[field]), field)
    for field in _BODIES.get(csl_type, _BODIES[None]):
        body = fields.get(field)
        if body and "publisher" not in variables:
            used.add(field)
            variables["publisher"] = latex_to_text(body)
    how = fields.get("howpublished")
    if how is not None:
        used.add("howpublished")
        address = _URL_COMMAND.sub(r"\1", how.strip())
        if address == fields.get("url", "").strip():
            pass  # the same address twice (Zotero and quarterly write both)
        elif _URLISH.match(address) and not fields.get("url"):
            variables["URL"] = markup_free(address)
        elif "publisher" not in variables:
            variables["publisher"] = latex_to_text(how)
        else:
            used.discard("howpublished")

    # genre
    genre = None
    if "type" in fields:
        used.add("type")
        genre = latex_to_text(fields["type"])
    if genre:
        genre = GENRES.get(genre.lower().replace(" ", ""), genre)
    elif entry_type in ("phdthesis", "mastersthesis"):
        genre = GENRES[entry_type]
    if genre:
        variables["genre"] = genre
    if entry_type == "article" and subtype and csl_type == "article-journal":
        used.discard("entrysubtype")
    else:
        used.add("entrysubtype")

    # identifiers
    doi = fields.get("doi")
    if doi and (doi := latex_to_text(doi)):
        variables["DOI"] = doi_mod.parse(doi) or doi  # `https://doi.org/10.…` → the bare DOI
    url = fields.get("url")
    if url:
        variables["URL"] = markup_free(url)
    eprint_type = fields.get("eprinttype") or fields.get("archiveprefix") or ""
    eprint_target = _EPRINT_TARGETS.get(latex_to_text(eprint_type).lower()) if eprint_type \
        else None
    if eprint_target and fields.get("eprint") and eprint_target not in variables:
        variables[eprint_target] = latex_to_text(fields["eprint"])
        used.update(("eprint", "eprinttype", "archiveprefix"))

    # dates
    issued = _issued(fields, warn_bad)
    if issued is not None:
        dates["issued"] = issued
        if issued.month and "date" not in fields:
            used.update(("month", "day"))
    if not DATE_FIELDS.keys().isdisjoint(fields):  # most entries have none (as above)
        for field in [f for f in fields if f in DATE_FIELDS]:
            value, var = fields[field], DATE_FIELDS[field]
            if value and var not in dates:
                text_value = latex_to_text(value)
                try:
                    date = _date(text_value)
                except DateError as exc:
                    warn_bad(field, text_value, exc)
                    date = Date(literal=text_value)
                dates[var] = date
                used.add(field)

    for field, value in fields.items():  # in the input's order: written back the same way
        if field not in _ALWAYS_READ and field not in used and (
                value.strip() or field not in ("month", "day")):
            custom["bibtex:" + field] = value
    if entry_type not in _canonical_types(csl_type):
        custom["bibtex-type"] = entry_type
    keywords = fields.get("keywords") or fields.get("keyword")
    # The tables were built for this record alone: the Record takes them without copies
    # (Record(...)'s keywords and copies: ~6.6 -> ~1.3 us a record, 10,000 real entries).
    return Record.from_tables(
        title or "", preprint_type(csl_type, variables.get("genre")), names, dates, variables,
        _identifiers(fields["issn"]) if fields.get("issn") else (),
        _identifiers(fields["isbn"]) if fields.get("isbn") else (),
        _split_list(keywords, _KEYWORD_SPLIT) if keywords else (), (),
        _abstract(fields.get("abstract")), custom, key or None, "bibtex", more)


_NUMBER_FIELDS = frozenset(("number", "issue", "eid"))
_EPRINT_TARGETS = {"pubmed": "PMID", "pmid": "PMID", "pmc": "PMCID", "pmcid": "PMCID",
                   "doi": "DOI"}
# Fields read whenever an entry has them (record_from_fields marks the others it reads as
# used): names, titles (not `journal`, which a book title may take the place of), the date,
# the short titles and such (each its own variable), DOI and URL, and what goes straight into
# the record's typed fields.
_ALWAYS_READ = frozenset((*NAME_FIELDS, "title", "subtitle", "titleaddon", "journaltitle",
                          "journalsubtitle", "journaltitleaddon", "date", "year", *RICH_FIELDS,
                          "doi", "url", "keywords", "keyword", "abstract", "isbn", "issn"))


def _ignore(field: str, value: str, exc: Exception) -> None:
    """The default for record_from_fields' `warn_bad`: callers without a file say nothing."""


@cache
def _canonical_types(csl_type: str) -> tuple[str, ...]:
    """The entry types the writers choose for a CSL type by themselves (formats/bibtex.py); any
    other entry type is remembered so that it is written back."""
    from ..formats.bibtex import BIBTEX_TYPES, ENTRY_TYPES

    if csl_type in ("thesis", "report"):
        return ("phdthesis", "mastersthesis", "thesis", "techreport", "report")
    return (ENTRY_TYPES.get(csl_type, "misc"), BIBTEX_TYPES.get(csl_type, ""))


def markup_free(url: str) -> str:
    """A `url` field as the address: BibTeX writes it verbatim (`\\_` only where escaped)."""
    text = url.strip()
    if "\\" in text:
        text = re.sub(r"\\([_#%&~$])", r"\1", text)
    return text


def read(text: str, name: str) -> list[Record]:
    from ..formats._fields import free_key

    entries, scanner = scan(text, name)
    inherit(entries, name, scanner)
    entries = [e for e in entries if e.type != "xdata"]  # data for others, not a work
    records = []
    seen: dict[str, Entry] = {}
    for entry in entries:
        key = entry.key
        if key and key in seen:
            first = seen[key]
            new_key = free_key(key, seen)  # key is in seen: a letter is added
            warn(f"{name}: key '{key}' is used twice (lines {scanner.line(first.pos)} and "
                 f"{scanner.line(entry.pos)}); the second entry is kept as '{new_key}'.")
            key = new_key
        seen[key] = entry

        def warn_bad(field: str, value: str, exc: Exception, entry: Entry = entry) -> None:
            warn(f"{name}: entry '{entry.key}' (line {scanner.line(entry.pos)}): {field} "
                 f"'{value}' is not a date ({exc}); kept as written.")

        try:
            records.append(record_from_fields(key, entry.fields, entry.type, warn_bad))
        except LatexError as exc:
            raise InputFormatError(
                f"{name}: entry '{entry.key}' at line {scanner.line(entry.pos)}: {exc}. Fix the "
                "LaTeX and try again.") from None
    if not entries and _prose_only(text):
        raise InputFormatError(f"{name}: no BibTeX entries found.")
    return records


def _prose_only(text: str) -> bool:
    """Text with no `@` entry, string or comment at all (a file of only `@string`s or `%`
    comments is an empty library, not an error)."""
    return bool(text.strip()) and not re.fullmatch(r"(?:\s|%[^\n]*)*", text) and \
        not _AT.search(text)
