"""The BibTeX reader and writers on real exports nobody here wrote, read in place from
`../shared/real-world/exports/` (skipped, with the folder named, when it is absent).

1. Agreement with an independent reader: for every `.bib` file, per entry, every field pybtex
   reads must come out of our CSL-JSON writer with the same value, for at least 99% of field
   occurrences. Run with `-s` to see the figure per field.
2. Round trips bibtex→bibtex, biblatex→biblatex, bibtex↔biblatex (UTF-8 and `--ascii`) keep the
   type, every name role, container, series, edition, publisher and place, ISBN/ISSN, DOI, URL,
   dates, pages or article number, note, citation key and abstract of every record.

The field ↔ CSL correspondence used for (1) is `CORRESPONDENCE` below (README, "BibTeX and
BibLaTeX"). Values are compared after decoding pybtex's LaTeX with latexcodec (pybtex's own
decoder) and a normal form that forgives what latexcodec leaves undecoded (braces, unknown
commands such as `\\emph`) and typography (dashes, quotes, white space).
"""

from __future__ import annotations

import codecs
import contextlib
import io
import json
import re
import unicodedata
from collections import Counter
from pathlib import Path
from urllib.parse import unquote

import latexcodec  # noqa: F401  (registers the "ulatex" codec pybtex uses)
import pytest

from quarterly_cli import diagnostics, markup
from quarterly_cli.errors import InputFormatError
from quarterly_cli.formats import FORMATS, Options
from quarterly_cli.readers import read_path, read_text

REAL = Path(__file__).resolve().parents[1].parent / "shared" / "real-world"
EXPORTS = REAL / "exports"
pytestmark = pytest.mark.skipif(not EXPORTS.is_dir(),
                                reason=f"real exports not found at {EXPORTS}")

# Files quarterly refuses with a one-line error, as the project's failure contract wants: they
# are not valid BibTeX (pybtex only recovers part of them) or not UTF-8.
REFUSED = {"bbt_discarded873.bib": "unbalanced braces (an escaped \\{ inside a value)",
           "jabref_citavi2.bib": "a '}' inside a comment field closes the entry early",
           "bp2_gbk_test.bib": "GBK, not UTF-8"}


def bib_files():
    return sorted(EXPORTS.glob("*.bib")) if EXPORTS.is_dir() else []


def read_ours(path: Path):
    with diagnostics.capture():
        return read_text(path.read_text("utf-8-sig"), path.name, "bibtex")


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused_files_are_refused_with_a_line_number(name):
    with diagnostics.capture(), pytest.raises(InputFormatError, match=r"at line \d+|not UTF-8"):
        read_path(str(EXPORTS / name))


# --- 1. agreement with pybtex ----------------------------------------------------------------

_DASHES = re.compile(r"\s*[–—‐-]+\s*")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "\u00a0": " ", "\u2009": " "})


def norm(text: str) -> str:
    """The form both sides are compared in."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)  # NFKC: µ (micro) is μ
    text = re.sub(r"\\[A-Za-z]+\s*", "", text)  # commands latexcodec leaves (`\emph `)
    text = text.replace("{", "").replace("}", "").replace("\\", "")
    text = _DASHES.sub("-", text)
    return " ".join(text.split())


_MATH = re.compile(r"\$([^$]*)\$")


def decode(value: str) -> str:
    """pybtex's value as text: latexcodec for LaTeX, braces dropped, math shifts and the
    super/subscript marks latexcodec leaves (`Cu$_2$O`) removed."""
    if re.search(r"[\\~$]|--|``|''", value):
        try:
            value = codecs.decode(value, "ulatex")
        except (ValueError, UnicodeError):
            pass
        value = _MATH.sub(lambda m: re.sub(r"[_^]", "", m.group(1)), value)
    return norm(value)


def ours_text(value) -> str:
    if isinstance(value, list):
        value = ", ".join(value)
    return norm(markup.plain(str(value)))


ARTICLES = {"article", "periodical", "suppperiodical"}
BOOKISH = {"book", "mvbook", "inbook", "bookinbook", "suppbook", "collection", "mvcollection",
           "incollection", "suppcollection", "proceedings", "mvproceedings", "inproceedings",
           "conference", "booklet", "reference", "mvreference", "inreference"}


def _number_key(entry_type: str) -> str:
    if entry_type in ARTICLES:
        return "issue"
    return "collection-number" if entry_type in BOOKISH else "number"


# pybtex field → where it is in our CSL-JSON (`None`: a function of the entry decides).
CORRESPONDENCE = {
    "title": "title", "journal": "container-title", "journaltitle": "container-title",
    "booktitle": "container-title", "volume": "volume", "number": None, "pages": "page",
    "year": None, "month": None, "publisher": "publisher", "school": "publisher",
    "institution": "publisher", "organization": "publisher", "address": "publisher-place",
    "location": "publisher-place", "edition": "edition", "series": "collection-title",
    "note": "note", "isbn": "ISBN", "issn": "ISSN", "doi": "DOI", "url": "URL",
    "abstract": "abstract", "keywords": "keyword", "chapter": "chapter-number",
    "shorttitle": "title-short", "language": "language", "urldate": "accessed",
    "howpublished": None, "annote": "annote", "eprint": None, "type": "genre",
    "pagetotal": "number-of-pages", "version": "version", "volumes": "number-of-volumes",
    "eventtitle": "event-title", "venue": "event-place", "part": "part", "eid": "number",
    "issue": "issue", "pmid": "PMID", "pmcid": "PMCID", "date": None, "langid": "language",
    "keyword": "keyword", "numpages": "number-of-pages", "annotation": "annote",
    "addendum": "note", "origtitle": "original-title", "origpublisher": "original-publisher",
    "origlocation": "original-publisher-place", "origdate": None, "eventdate": None,
    "subtitle": "title", "titleaddon": "title", "journalsubtitle": "container-title",
    "booksubtitle": "container-title", "booktitleaddon": "container-title",
    "issuetitle": "volume-title", "pubstate": "status", "shortjournal": "container-title-short",
    "journalabbrev": "container-title-short", "library": "call-number",
}
# Where a part of a title is found inside the joined title (`Title: Subtitle. Addon`).
_PARTS = {"subtitle", "titleaddon", "journalsubtitle", "booksubtitle", "booktitleaddon"}
_DATES = {"year": "issued", "month": "issued", "date": "issued", "urldate": "accessed",
          "origdate": "original-date", "eventdate": "event-date"}


def _ours_candidates(field: str, entry_type: str, item: dict) -> list[str]:
    """Every value of ours the pybtex field may legitimately have become."""
    custom = item.get("custom", {})
    raw = custom.get(f"bibtex:{field}")
    out = [decode(raw)] if isinstance(raw, str) else []  # kept as written: decoded alike
    if field in ("translator", "bookauthor"):
        role = {"bookauthor": "container-author"}.get(field, field)
        out.append(norm(" and ".join(
            ", ".join(x for x in (" ".join(y for y in (n.get("non-dropping-particle"),
                                                       n.get("family")) if y),
                                  n.get("suffix"), n.get("given")) if x) or n.get("literal", "")
            for n in item.get(role, []))))
    if field == "eprint":
        out += [norm(item.get(k, "")) for k in ("PMID", "PMCID", "DOI")]
    if field in ("eprinttype", "archiveprefix") and raw is None:
        out += ["pubmed", "pmc", "pmcid", "pmid", "doi"]  # read into PMID, PMCID or DOI
    target = CORRESPONDENCE.get(field, "")
    if field == "number":
        target = _number_key(entry_type)
    if field == "howpublished":
        out += [ours_text(item.get("URL", "")), ours_text(item.get("publisher", ""))]
    if field in _DATES:
        date = item.get(_DATES[field], {})
        points = date.get("date-parts") or [[]]
        parts = points[0]
        if field == "year" and parts:
            out.append(str(parts[0]))
        elif field == "month" and len(parts) > 1:
            out.append(str(parts[1]))
        elif parts:
            iso = ["-".join(f"{p:02d}" for p in point) for point in points]
            out += ["/".join(iso), iso[0]]
            if date.get("season"):
                out.append(f"{parts[0]:04d}-{20 + date['season']}")
        if date.get("literal"):
            out.append(ours_text(date["literal"]))
        return out
    if field in ("author", "editor"):
        return out
    if target and target in item:
        out.append(ours_text(item[target]))
    if field in ("number", "issue", "eid"):
        out += [ours_text(item.get(k, "")) for k in ("issue", "number", "collection-number")]
    if field == "booktitle" and entry_type in ("proceedings", "book", "collection"):
        out.append(ours_text(item.get("title", "")))
    return out


def _expected(field: str, value: str) -> list[str]:
    if field in ("isbn", "issn"):  # Mendeley's line breaks written as the letters \r, \n
        value = re.sub(r"\\(?:textbackslash\s*(?:\{\})?)?[rn](?=[\dX])", " ", value)
    text = decode(value)
    if field == "month":
        names = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                 "dec")
        low = text.lower()
        found = [str(n) for n, m in enumerate(names, 1) if low.startswith(m)]
        return found + [low.lstrip("0")]
    if field == "doi":
        from quarterly_cli import doi

        return [norm(doi.parse(text) or text)]
    if field in ("isbn", "issn"):
        return [text, ", ".join(p for p in re.split(r"[,;\s]+", text) if p)]
    if field in ("keywords", "keyword"):
        return [", ".join(p.strip() for p in re.split(r"[,;]", text) if p.strip())]
    if field == "url":
        return [norm(value)]  # verbatim: `~` is part of an address
    if field == "type":
        from quarterly_cli.readers.bibtex import GENRES

        return [text, text.lower(), norm(GENRES.get(text.lower(), text))]
    return [text]


def _names_agree(persons, ours: list[dict]) -> bool:
    theirs = [norm(decode(" ".join(p.prelast_names + p.last_names)))
              for p in persons if str(p).strip().lower() not in ("others", "et al.", "et al")]
    mine = [norm(" ".join(x for x in (n.get("non-dropping-particle"), n.get("family"),
                                      n.get("literal")) if x)) for n in ours]
    return theirs == mine


def agreement():
    """(per-field Counter of agreeing occurrences, of all occurrences, examples of misses)."""
    from pybtex import errors as pybtex_errors
    from pybtex.database import parse_string

    pybtex_errors.set_strict_mode(False)
    agree, total, misses = Counter(), Counter(), {}
    for path in bib_files():
        if path.name in REFUSED:
            continue
        text = path.read_text("utf-8-sig")
        with contextlib.redirect_stderr(io.StringIO()):
            theirs = parse_string(text, "bibtex")
        records = read_ours(path)
        items = {i["id"]: i for i in json.loads(FORMATS["csl-json"].render(records, Options()))}
        for key, entry in theirs.entries.items():
            item = items.get(key)
            if item is None:
                continue  # pybtex reads `%@article{…}` lines as entries; biber and we do not
            entry_type = entry.type.lower()
            for role, persons in entry.persons.items():
                role = role.lower()
                field = f"{role}s"
                total[field] += 1
                # an editor with an `editortype` is filed under that role (compiler, …)
                roles = [{"author": "author", "translator": "translator",
                          "bookauthor": "container-author"}.get(role, role)]
                if role == "editor":
                    roles += ["compiler", "director", "organizer", "chair", "contributor"]
                if any(_names_agree(persons, item.get(r, [])) for r in roles) or \
                        f"bibtex:{role}" in item.get("custom", {}):
                    agree[field] += 1
                else:
                    misses.setdefault(field, []).append((path.name, key, str(persons)))
            for field, value in entry.fields.items():
                field = field.lower()
                if field in ("crossref", "xdata", "entrysubtype", "editortype"):
                    continue
                total[field] += 1
                expected = _expected(field, str(value))
                candidates = _ours_candidates(field, entry_type, item)
                if any(e == c or (field in ("title", "journaltitle", "booktitle", "journal")
                                  and c.startswith(e)) or (field in _PARTS and e in c) or
                       (field in ("abstract",) and norm(e) == norm(c))
                       for e in expected for c in candidates):
                    agree[field] += 1
                else:
                    misses.setdefault(field, []).append((path.name, key, expected[0][:300],
                                                         [c[:300] for c in candidates]))
    return agree, total, misses


@pytest.fixture(scope="module")
def pybtex_agreement():
    return agreement()


def test_fields_read_agree_with_pybtex(pybtex_agreement):
    agree, total, misses = pybtex_agreement
    print("\nfield agreement with pybtex (occurrences):")
    for field, n in total.most_common():
        print(f"  {field:16} {agree[field]:6} / {n:6}  {100 * agree[field] / n:6.2f}%")
    overall = sum(agree.values()) / sum(total.values())
    print(f"  {'all fields':16} {sum(agree.values()):6} / {sum(total.values()):6}  "
          f"{100 * overall:6.2f}%")
    for field, examples in misses.items():
        for example in examples[:3]:
            print(f"  miss in {field}: {example}")
    assert sum(total.values()) > 50_000
    assert overall >= 0.99, f"{100 * overall:.2f}% of field occurrences agree"


@pytest.mark.parametrize("field", ["title", "author", "year", "journal", "booktitle", "editor",
                                   "pages", "publisher", "doi", "isbn"])
def test_key_fields_agree_with_pybtex(pybtex_agreement, field):
    agree, total, _ = pybtex_agreement
    field = {"author": "authors", "editor": "editors"}.get(field, field)
    assert total[field] and agree[field] / total[field] >= 0.98


# --- 2. round trips --------------------------------------------------------------------------

KEPT_VARIABLES = ("container-title", "collection-title", "collection-number", "edition",
                  "publisher", "publisher-place", "DOI", "URL", "page", "number", "note",
                  "volume", "issue", "citation-key")


def kept(record) -> dict:
    """What the acceptance names: type, every name role, container, series, edition, publisher
    and place, ISBN/ISSN, DOI, URL, dates, pages or article number, note, key and abstract.
    Rich text compares by its spans (`{A}{B}` and `{AB}` protect the same letters)."""
    def rich(text):
        return markup.unparse(markup.parse(text)) if text else text

    out = {"type": record.type, "id": record.id, "names": dict(record.names),
           "more": set(record.more_names), "ISBN": record.ISBN, "ISSN": record.ISSN,
           "dates": dict(record.dates), "abstract": [
               (s.label, tuple(rich(p) for p in s.paragraphs)) for s in record.abstract]}
    for var in KEPT_VARIABLES:
        out[var] = rich(record.get(var))
    # `--ascii` percent-encodes what is not ASCII in a URL; the address is the same.
    out["URL"] = unquote(out["URL"]) if out["URL"] else None
    return out


CHAINS = [("bibtex",), ("biblatex",), ("bibtex", "biblatex"), ("biblatex", "bibtex")]


@pytest.mark.parametrize("path", [p for p in bib_files() if p.name not in REFUSED],
                         ids=lambda p: p.name)
def test_real_export_round_trips(path):
    original = read_ours(path)
    for chain in CHAINS:
        for ascii_ in (False, True):
            records = original
            with diagnostics.capture():
                for name in chain:
                    records = read_text(FORMATS[name].render(records, Options(ascii=ascii_)),
                                        name, "bibtex")
            assert len(records) == len(original)
            for before, after in zip(original, records, strict=True):
                expected = kept(before)
                if before.id is None:  # an entry without a key gets one
                    expected["id"] = after.id
                assert kept(after) == expected, (chain, ascii_, before.id)
