"""RIS against the real exports in ../shared/real-world (read in place, never copied).

1. Round trips: every real RIS file (`.ris`, and `.txt` files that hold RIS) read, written as RIS
   and read again — and written as CSL-JSON, read, written as RIS and read again — keeps every
   field of every record.
2. Agreement with an independent reader: rispy reads each file with its own tag map; every value
   it reads must come out of our CSL-JSON writer in the CSL variable the tag stands for (the
   correspondence below, README "What each format keeps" → RIS), for at least 99% of the field
   occurrences. The figure is printed per tag.

Every behaviour checked here also has a small test with input written here (test_ris.py).
"""

from __future__ import annotations

import html
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

from quarterly_cli import doi as doi_mod
from quarterly_cli.diagnostics import capture
from quarterly_cli.errors import InputFormatError
from quarterly_cli.formats import FORMATS, Options
from quarterly_cli.formats.csljson import item
from quarterly_cli.model import Date, DateError, Record
from quarterly_cli.readers import read_path, read_text
from quarterly_cli.readers.ris import TYPES

REAL = Path(__file__).resolve().parents[1].parent / "shared" / "real-world"
EXPORTS = REAL / "exports"


def _ris_files() -> list[Path]:
    if not REAL.is_dir():
        return []
    found = sorted(EXPORTS.glob("*.ris")) + sorted((REAL / "excerpts").glob("*.ris"))
    for txt in sorted(EXPORTS.glob("*.txt")) + sorted((REAL / "excerpts").glob("*.txt")):
        if re.search(r"^\ufeff?TY  - ", txt.read_text("utf-8-sig", errors="replace"), re.M):
            found.append(txt)
    return found


FILES = _ris_files()
needs_real = pytest.mark.skipif(not FILES, reason=f"real-world exports not found at {REAL}")


def _read(path: Path) -> list[Record] | None:
    """The file's records, or None for the files that are not RIS at all (a MEDLINE file and a
    Web of Science tagged file named .ris, and JabRef's 'corrupted' file without a TY line):
    those are refused with an error naming what they are (asserted in test_ris.py)."""
    with capture():
        try:
            return read_path(str(path))
        except InputFormatError:
            return None


def kept(record: Record, through_csl: bool) -> dict[str, Any]:
    """What a round trip must keep: the whole record, less what the CSL-JSON leg cannot hold by
    design — a citation key it had to make up, keyword lists (CSL joins them with commas),
    abstract markup and label case (CSL abstracts are plain text read as `Label: text`)."""
    data = record.to_dict()
    data.pop("id", None)
    data.pop("source", None)
    if through_csl:
        data.pop("citation-key", None)
        data.pop("keyword", None)
        if "abstract" in data:
            text = " ".join(f"{s['label']}: " * bool(s["label"]) + " ".join(s["paragraphs"])
                            for s in data["abstract"])
            data["abstract"] = _plain(text).casefold()
    return data


@needs_real
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_real_file_round_trips(path):
    records = _read(path)
    if records is None:  # not RIS at all: refused with one line that says what it is instead
        with pytest.raises(InputFormatError) as refused, capture():
            read_path(str(path))
        assert re.search(r"MEDLINE|Web of Science|no RIS records|not RIS", str(refused.value))
        assert "\n" not in str(refused.value)
        return
    assert records
    ris = FORMATS["ris"].render(records, Options())
    again = read_text(ris, "again", "ris")
    assert [kept(r, False) for r in again] == [kept(r, False) for r in records]
    csl = read_text(FORMATS["csl-json"].render(records, Options()), "csl", "csl-json")
    twice = read_text(FORMATS["ris"].render(csl, Options()), "twice", "ris")
    assert [kept(r, True) for r in twice] == [kept(r, True) for r in records]


# --- agreement with rispy ------------------------------------------------------------------

# Tag → where its value goes in CSL-JSON (keys of the item; `custom:` a list in custom.ris).
# Every tag also counts as found under custom.ris[TAG], where the reader keeps what it did not map.
CORRESPONDENCE: dict[str, tuple[str, ...]] = {
    # names
    "AU": ("author",), "A1": ("author",), "ED": ("editor",), "A4": ("translator",),
    "A2": ("editor", "collection-editor", "recipient", "authority"),
    "A3": ("editor", "collection-editor", "contributor"),
    "C2": ("PMCID", "PMID", "container-author"),
    # titles
    "TI": ("title",), "T1": ("title",), "CT": ("title",), "BT": ("title", "container-title"),
    "T2": ("container-title", "collection-title", "event-title"), "T3": ("collection-title",),
    "JF": ("container-title",), "JO": ("container-title", "container-title-short"),
    "JA": ("container-title-short",), "J1": ("container-title-short",),
    "J2": ("container-title-short",), "ST": ("title-short",), "C3": ("container-title",
                                                                         "dimensions"),
    # numbers
    "VL": ("volume",), "IS": ("issue",), "NV": ("number-of-volumes",), "C7": ("number",),
    "SP": ("page", "number-of-pages"), "EP": ("page",), "SN": ("ISSN", "ISBN", "number"),
    "M1": ("issue", "number", "collection-number"), "SV": ("collection-number",),
    # publication
    "PB": ("publisher", "authority"), "CY": ("publisher-place", "event-place"),
    "C1": ("publisher-place", "scale"), "ET": ("edition", "version"),
    "M3": ("genre", "DOI", "medium"), "SE": ("section",), "LA": ("language",),
    "OP": ("references",),
    # where the work is
    "DB": ("archive",), "DP": ("source",), "H1": ("source",), "CN": ("call-number",),
    "H2": ("call-number",), "DO": ("DOI",), "UR": ("URL",), "AN": ("PMID", "archive_location"),
    "AV": ("archive_location",),
    # notes, abstract, keywords, key
    "N1": ("note",), "RN": ("annote",), "AB": ("abstract",), "N2": ("abstract",),
    "KW": ("keyword",), "AD": ("custom:affiliation",), "ID": ("citation-key",),
    # dates
    "PY": ("issued",), "Y1": ("issued",), "DA": ("issued",), "Y2": ("accessed",),
}
_TAGS = re.compile(r"</?[A-Za-z][^<>]*>")


@lru_cache(maxsize=1 << 16)
def _plain(text: str) -> str:
    """Text without markup, for comparing: entities decoded (twice-escaped ones too: Lens writes
    `&amp;lt;p&amp;gt;`), tags removed, white space folded."""
    for _ in range(3):
        text = html.unescape(text)
    return " ".join(_TAGS.sub("", text).split())


def _name(name: dict[str, str]) -> str:
    if "literal" in name:
        return name["literal"]
    parts = [name.get("family", ""), name.get("given", ""), name.get("suffix", "")]
    return ", ".join(parts).rstrip(", ")


def _candidates(it: dict[str, Any], key: str) -> list[str]:
    if key.startswith("custom:"):
        return list(it.get("custom", {}).get(key[7:], []))
    value = it.get(key)
    if value is None:
        return []
    if isinstance(value, list):
        return [_name(n) for n in value]
    if isinstance(value, dict):
        return [value]  # a date, compared in _date_matches
    if key in ("ISSN", "ISBN"):
        return value.split(", ")
    return [value]


def _date_matches(tag: str, value: str, date: dict[str, Any], year: int | None) -> bool:
    parts = (date.get("date-parts") or [[]])[0]
    if tag in ("PY", "Y1"):
        found = re.search(r"\d{4}", value)
        return bool(found and parts and parts[0] == int(found.group())) or \
            date.get("literal") == value
    try:
        parsed = Date.parse(value)
        if parsed is None and year and not re.search(r"\d{4}", value):
            parsed = Date.parse(f"{value} {year}")  # Web of Science: `DA  - SEP 22`
    except DateError:
        return False
    return parsed is not None and tuple(parts[:len(parsed.parts)]) == parsed.parts


def found(tag: str, value: str, it: dict[str, Any], seen: dict[str, list[str]]) -> bool:
    """Whether rispy's `value` for `tag` is in the item where the correspondence puts it.
    `seen` caches each item key's candidates (one record has 1,000+ authors)."""
    value = _plain(value)
    if value in map(_plain, it.get("custom", {}).get("ris", {}).get(tag, [])):
        return True
    for key in CORRESPONDENCE.get(tag, ()):
        if key in ("issued", "accessed"):
            year = re.search(r"\d{4}", str(it.get("issued", {}).get("date-parts", "")))
            if key in it and _date_matches(tag, value, it[key], int(year.group()) if year else None):
                return True
            continue
        if key not in seen:
            seen[key] = [_plain(c) for c in _candidates(it, key)]
        if value in seen[key] or (tag in _NAME_TAGS and _name_text(value) in seen[key]):
            return True
        for have in seen[key]:
            if tag == "DO" and doi_mod.parse(value) and have.casefold() == (
                    doi_mod.parse(value) or "").casefold():
                return True
            if tag == "SP" and (have == value or have.startswith(f"{value}-")):
                return True
            if tag == "EP" and have.endswith(f"-{value}"):
                return True
            if tag == "SN" and have in value:  # `1932-6203 (Electronic)` holds the ISSN
                return True
            if tag == "KW" and value in have:  # CSL joins keywords with ", "
                return True
            if tag in ("AB", "N2") and value.casefold() in have.casefold():
                return True
    return False


_NAME_TAGS = frozenset(("AU", "A1", "A2", "A3", "A4", "ED", "C2"))


def _name_text(value: str) -> str:
    return re.sub(r"\s*,\s*", ", ", value).strip(", ")  # `Baldwin,S.A.` is `Baldwin, S.A.`


def _rispy_pairs(entry: dict[str, Any]) -> list[tuple[str, str]]:
    from rispy.config import TAG_KEY_MAPPING

    tag_of = {key: tag for tag, key in TAG_KEY_MAPPING.items()}
    out = []
    for key, value in entry.items():
        if key == "unknown_tag":
            out += [(tag, v) for tag, values in value.items() for v in values]
            continue
        tag = tag_of[key]
        if tag == "ER":
            continue
        for v in value if isinstance(value, list) else [value]:
            out.append((tag, v))
    return [(t, v.strip()) for t, v in out if isinstance(v, str) and v.strip()]


def agreement(path: Path, records: list[Record], tally: Counter, misses: list[str]) -> None:
    import rispy

    entries = rispy.load(path, encoding="utf-8-sig")  # universal newlines, as rispy reads files
    items = [item(r, f"k{n}") for n, r in enumerate(records)]
    start = 0
    for entry in entries:
        pairs = _rispy_pairs(entry)
        title = next((_plain(v) for want in ("TI", "T1") for t, v in pairs if t == want), None)
        at = next((n for n in range(start, len(items))
                   if title is None or _plain(items[n]["title"]) == title), None)
        seen: dict[str, list[str]] = {}
        for tag, value in pairs:
            if tag == "TY":
                ok = at is not None and TYPES.get(value.upper(), "document") in (
                    items[at]["type"], "document") or (
                    at is not None and value in items[at].get("custom", {}).get("ris", {}).get(
                        "TY", []))
            else:
                ok = at is not None and found(tag, value, items[at], seen)
            tally[(tag, ok)] += 1
            if not ok and len(misses) < 40:
                misses.append(f"{path.name}: {tag}  - {value[:70]}")
        if at is not None:
            start = at + 1


@needs_real
def test_real_files_agree_with_rispy():
    tally: Counter = Counter()
    misses: list[str] = []
    for path in FILES:
        records = _read(path)
        if records is not None:
            agreement(path, records, tally, misses)
    total = sum(tally.values())
    matched = sum(n for (_, ok), n in tally.items() if ok)
    lines = [f"rispy agreement: {matched} of {total} field occurrences "
             f"({100 * matched / total:.2f}%)"]
    for tag in sorted({t for t, _ in tally}):
        good, bad = tally[(tag, True)], tally[(tag, False)]
        lines.append(f"  {tag}: {good}/{good + bad}")
    print("\n".join(lines + ["misses (first 40):"] + misses))
    assert total > 100_000
    assert matched / total >= 0.99, "\n".join(lines + misses)
