"""Run quarterly's BibTeX reader on the import test cases of two peers and compare, field by
field, with the values the peers expect.

    .venv/bin/python scripts/peer_bibtex.py --citation-js PATH --zotero PATH [-v]

PATH is a checkout or a bare git directory (as `fetch` leaves under /work/.mirror/…/repo) of
`citation-js/citation-js` (its `packages/plugin-bibtex/test/input.json` and `input/*.bib`) and
`zotero/translators` (the `testCases` block at the end of `BibTeX.js`). Nothing of theirs is
copied into this project: the script reads them where they are.

Each expected field is one comparison. Fields that are the peer's own convention rather than
BibTeX's meaning are left out and listed with the reason (PEER_QUIRKS); what remains is counted
and every mismatch is printed with a reason category:

    missing      the peer has a value, quarterly has none
    different    both have a value and they differ
    type         the record type differs
    names        a name list differs (count, order, family or given names)
    date         the date differs
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

from quarterly_cli import diagnostics, markup
from quarterly_cli.formats.csljson import item as csl_item
from quarterly_cli.model import Date, DateError
from quarterly_cli.readers.bibtex import read

# Left out of the count, with the reason.
PEER_QUIRKS = {
    ("zotero", "extra"): "Zotero's free-text `extra` field (BibTeX has no equivalent)",
    ("zotero", "attachments"): "file attachments, not bibliographic data",
    ("zotero", "notes"): "Zotero notes are HTML documents built from `note`/`annote`",
    ("zotero", "seeAlso"): "Zotero relations",
    ("zotero", "itemID"): "Zotero's item id; quarterly keeps the key as the record id",
    ("zotero", "libraryCatalog"): "where Zotero found the item",
    ("zotero", "journalAbbreviation/fjournal"): "MathSciNet `fjournal` (full journal name) "
                                                "is Zotero's publicationTitle; quarterly keeps "
                                                "`journal` and stores fjournal as written",
    ("zotero", "creators/jr-first"): "Zotero reads `von Hicks, Michael, III` with first and "
                                     "jr swapped (BibTeX's order is von Last, Jr, First)",
    ("citation-js", "URL/percent"): "citation-js percent-encodes URLs; quarterly keeps the "
                                    "address as written",
    ("citation-js", "_graph"): "citation-js's parse log",
    ("citation-js", "type/booklet"): "citation-js reads @booklet as book; CSL has pamphlet, "
                                     "which keeps the type through a round trip",
    ("citation-js", "undefined-macro"): "an undefined @string is empty for citation-js (and "
                                        "BibTeX); quarterly keeps its name visible and warns",
    ("zotero", "von-rule"): "Zotero puts BibTeX's lower-case `von` words (`American Rights at "
                            "Work`, `sudhin jacob`) in the given name; quarterly, BibTeX and "
                            "pybtex make them a particle",
    ("zotero", "thesisType/case"): "Zotero writes `Master's Thesis`; quarterly follows "
                                   "biblatex's `Master's thesis`",
    ("citation-js", "custom"): "citation-js's own extension object",
}

ZOTERO_TYPES = {
    "journalArticle": "article-journal", "magazineArticle": "article-magazine",
    "newspaperArticle": "article-newspaper", "book": "book", "bookSection": "chapter",
    "conferencePaper": "paper-conference", "report": "report", "thesis": "thesis",
    "webpage": "webpage", "manuscript": "manuscript", "patent": "patent",
    "document": "document", "computerProgram": "software", "letter": "personal_communication",
    "film": "motion_picture", "artwork": "graphic", "audioRecording": "song",
    "videoRecording": "motion_picture", "bill": "legislation", "case": "legal_case",
    "encyclopediaArticle": "entry-encyclopedia", "dataset": "dataset",
}
ZOTERO_FIELDS = {
    "title": "title", "publicationTitle": "container-title", "bookTitle": "container-title",
    "proceedingsTitle": "container-title", "websiteTitle": "container-title",
    "encyclopediaTitle": "container-title", "volume": "volume", "issue": "issue",
    "pages": "page", "publisher": "publisher", "university": "publisher",
    "institution": "publisher", "place": "publisher-place", "edition": "edition",
    "series": "collection-title", "seriesNumber": "collection-number",
    "numPages": "number-of-pages", "ISBN": "ISBN", "ISSN": "ISSN", "DOI": "DOI", "url": "URL",
    "abstractNote": "abstract", "language": "language", "shortTitle": "title-short",
    "reportNumber": "number", "patentNumber": "number", "number": "number",
    "thesisType": "genre", "reportType": "genre", "journalAbbreviation": "container-title-short",
    "conferenceName": "event-title", "numberOfVolumes": "number-of-volumes",
    "callNumber": "call-number", "archiveLocation": "archive_location", "rights": "license",
}
ZOTERO_ROLES = {"author": "author", "editor": "editor", "translator": "translator",
                "bookAuthor": "container-author", "contributor": "contributor",
                "seriesEditor": "collection-editor"}


# --- reading the peers' files ----------------------------------------------------------------

def read_file(root: Path, path: str) -> str:
    """A file of a checkout, or of a bare git directory (`git show HEAD:path`)."""
    if (root / path).is_file():
        return (root / path).read_text("utf-8")
    return subprocess.run(["git", "--git-dir", str(root), "show", f"HEAD:{path}"],
                          check=True, capture_output=True, text=True).stdout


def citation_js_cases(root: Path) -> list[tuple[str, str, list[dict]]]:
    data = json.loads(read_file(root, "packages/plugin-bibtex/test/input.json"))
    cases = []
    for kind in ("@biblatex/text",):
        for name, (text, expected) in data[kind].items():
            if text is None:
                text = read_file(root, f"packages/plugin-bibtex/test/input/{name[5:]}.bib")
            cases.append((name, text, expected))
    return cases


def zotero_cases(root: Path) -> list[tuple[str, str, list[dict]]]:
    source = read_file(root, "BibTeX.js")
    block = source[source.index("var testCases = ") + len("var testCases = "):
                   source.index("/** END TEST CASES **/")].strip().rstrip(";")
    cases = []
    for n, case in enumerate(json.loads(block)):
        if case.get("type") == "import":
            cases.append((f"case {n}: {case['input'][:40]!r}", case["input"], case["items"]))
    return cases


# --- normal forms ----------------------------------------------------------------------------

_SCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹₀₁₂₃₄₅₆₇₈₉", "01234567890123456789")


def norm(value: Any) -> str:
    """The form values are compared in: markup (ours and the peers' HTML) dropped, NFC,
    dashes and super/subscript digits (`e=mc²` and `e=mc<sup>2</sup>`) alike."""
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    text = re.sub(r"</?(?:span|i|b|sup|sub)\b[^>]*>", "", markup.plain(str(value)))
    text = unicodedata.normalize("NFC", text).translate(_SCRIPTS)
    text = text.replace("–", "-").replace("—", "-").replace("\u00a0", " ")
    return " ".join(text.split())


def date_parts(value: Any) -> tuple:
    if isinstance(value, dict):
        parts = value.get("date-parts") or [[]]
        return tuple(tuple(p) for p in parts) if parts[0] else (value.get("literal"),)
    if isinstance(value, str):
        try:
            date = Date.parse(value.strip().replace(" 00:00:00", "").rstrip("Z"), loose=True)
        except DateError:
            return (value,)
        if date is None:
            return (value,)
        return (date.parts,) + ((date.end,) if date.end else ())
    return (value,)


def names_of(csl: dict, role: str) -> list[tuple[str, str]]:
    return [(norm(" ".join(x for x in (n.get("non-dropping-particle"), n.get("family"),
                                       n.get("literal")) if x)), norm(n.get("given", "")))
            for n in csl.get(role, [])]


# --- comparison --------------------------------------------------------------------------------

class Tally:
    def __init__(self, peer: str) -> None:
        self.peer = peer
        self.matched = 0
        self.total = 0
        self.mismatches: list[tuple[str, str, str, str, str]] = []
        self.quirks: Counter[str] = Counter()

    def check(self, case: str, field: str, ok: bool, reason: str, theirs: Any, ours: Any) -> None:
        self.total += 1
        if ok:
            self.matched += 1
        else:
            self.mismatches.append((case, field, reason, repr(theirs)[:90], repr(ours)[:90]))

    def quirk(self, name: str) -> None:
        self.quirks[name] += 1


def ours_for(text: str) -> list[dict]:
    with diagnostics.capture():
        records = read(text, "peer.bib")
    return [csl_item(r, r.id or f"item-{n}") for n, r in enumerate(records)]


def compare_citation_js(cases, tally: Tally) -> None:
    for case, text, expected in cases:
        try:
            ours = ours_for(text)
        except Exception as exc:  # noqa: BLE001 - a refused input is a finding, not a crash
            for item in expected:
                for field in item:
                    tally.check(case, field, False, f"refused: {exc}", item[field], None)
            continue
        for theirs, mine in zip(expected, ours + [{}] * len(expected), strict=False):
            for field, value in theirs.items():
                if field in ("id", "_graph", "custom"):
                    if field != "id":
                        tally.quirk(field)
                    continue
                if field == "citation-key":
                    tally.check(case, field, mine.get("id") == value, "different", value,
                                mine.get("id"))
                elif field in ("author", "editor", "translator", "container-author",
                               "collection-editor", "contributor"):
                    want = [(norm(n.get("non-dropping-particle", "") + " " + n.get("family", "")
                                  if n.get("non-dropping-particle") else n.get("family", "")
                                  ) or norm(n.get("literal", "")), norm(n.get("given", "")))
                            for n in value]
                    tally.check(case, field, names_of(mine, field) == want, "names", want,
                                names_of(mine, field))
                elif field in ("issued", "accessed", "original-date", "event-date"):
                    tally.check(case, field, date_parts(mine.get(field)) == date_parts(value),
                                "date", value, mine.get(field))
                elif field == "type":
                    if value == "book" and mine.get("type") == "pamphlet":
                        tally.quirk("type/booklet")
                        continue
                    tally.check(case, field, mine.get("type") == value, "type", value,
                                mine.get("type"))
                elif field == "URL" and "%" in str(value) and field in mine:
                    tally.quirk("URL/percent")
                elif field == "keyword":  # one string in CSL: compare the keywords
                    want = [norm(k) for k in str(value).split(",")]
                    got = [norm(k) for k in str(mine.get(field, "")).split(",")]
                    tally.check(case, field, got == want, "different", want, got)
                else:
                    ok = norm(mine.get(field, "")) == norm(value)
                    if not ok and "@string" in text and norm(mine.get(field, "")).startswith(
                            norm(value)):
                        tally.quirk("undefined-macro")
                        continue
                    tally.check(case, field, ok, "different" if field in mine else "missing",
                                value, mine.get(field))


def compare_zotero(cases, tally: Tally) -> None:
    for case, text, expected in cases:
        ours = ours_for(text)
        for theirs, mine in zip(expected, ours + [{}] * len(expected), strict=False):
            creators: dict[str, list[tuple[str, str]]] = {}
            for creator in theirs.get("creators", []):
                role = ZOTERO_ROLES.get(creator.get("creatorType", "author"), "contributor")
                creators.setdefault(role, []).append(
                    (norm(creator.get("lastName", "")), norm(creator.get("firstName", ""))))
            for role, want in creators.items():
                got = names_of(mine, role)
                if got != want and any(re.search(r"\b(III|Jr|Sr)\b", g) for _, g in want):
                    tally.quirk("creators/jr-first")
                    continue
                if got != want and [" ".join(filter(None, (g, f))) for f, g in want] == [
                        " ".join(filter(None, (g, f))) for f, g in got] and any(
                        w[:1].islower() for f, _ in got for w in f.split()):
                    tally.quirk("von-rule")  # the same words, BibTeX's von in the family
                    continue
                tally.check(case, f"creators.{role}", got == want, "names", want, got)
            for field, value in theirs.items():
                if field in ("creators", "itemType", "date", "accessDate", "tags"):
                    continue
                if (value in ("", [], {}) or field in ("extra", "attachments", "notes", "seeAlso",
                                                       "itemID", "libraryCatalog")):
                    if value not in ("", [], {}):
                        tally.quirk(field)
                    continue
                if field in ("publicationTitle", "journalAbbreviation") and \
                        "fjournal" in text.lower():
                    tally.quirk("journalAbbreviation/fjournal")
                    continue
                target = ZOTERO_FIELDS.get(field)
                if target is None:
                    tally.check(case, field, False, "missing (no CSL variable)", value, None)
                    continue
                got = mine.get(target)
                if field == "thesisType" and got and norm(got).lower() == norm(value).lower():
                    tally.quirk("thesisType/case")
                    continue
                tally.check(case, field, got is not None and norm(got) == norm(value),
                            "different" if got is not None else "missing", value, got)
            tally.check(case, "itemType", mine.get("type") == ZOTERO_TYPES.get(
                theirs["itemType"]), "type", theirs["itemType"], mine.get("type"))
            if theirs.get("date"):
                tally.check(case, "date", date_parts(mine.get("issued")) == date_parts(
                    theirs["date"]), "date", theirs["date"], mine.get("issued"))
            if theirs.get("accessDate"):
                tally.check(case, "accessDate", date_parts(mine.get("accessed")) == date_parts(
                    theirs["accessDate"]), "date", theirs["accessDate"], mine.get("accessed"))
            if theirs.get("tags"):
                want = sorted(norm(t["tag"] if isinstance(t, dict) else t)
                              for t in theirs["tags"])
                got = sorted(norm(k) for k in str(mine.get("keyword", "")).split(", ") if k)
                tally.check(case, "tags", got == want, "different", want, got)


def report(tallies: list[Tally], verbose: bool) -> None:
    for tally in tallies:
        share = 100 * tally.matched / tally.total if tally.total else 0.0
        print(f"{tally.peer}: expected fields matched: {tally.matched} of {tally.total} "
              f"({share:.1f}%)")
    matched = sum(t.matched for t in tallies)
    total = sum(t.total for t in tallies)
    print(f"all peers: expected fields matched: {matched} of {total} "
          f"({100 * matched / total:.1f}%)")
    print("\nleft out as peer quirks:")
    for tally in tallies:
        for quirk, n in tally.quirks.most_common():
            print(f"  {tally.peer} {quirk} ({n}): {PEER_QUIRKS[(tally.peer, quirk)]}")
    print("\nmismatches:")
    reasons = Counter((t.peer, m[2].split(":")[0]) for t in tallies for m in t.mismatches)
    for (peer, reason), n in reasons.most_common():
        print(f"  {peer} {reason}: {n}")
    for tally in tallies:
        for case, field, reason, theirs, ours in tally.mismatches if verbose else \
                tally.mismatches[:60]:
            print(f"  [{tally.peer}] {case} | {field} | {reason} | peer {theirs} | ours {ours}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--citation-js", type=Path, help="citation-js checkout or git dir")
    parser.add_argument("--zotero", type=Path, help="zotero/translators checkout or git dir")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every mismatch")
    args = parser.parse_args()
    tallies = []
    if args.citation_js:
        tally = Tally("citation-js")
        compare_citation_js(citation_js_cases(args.citation_js), tally)
        tallies.append(tally)
    if args.zotero:
        tally = Tally("zotero")
        compare_zotero(zotero_cases(args.zotero), tally)
        tallies.append(tally)
    if not tallies:
        parser.error("give --citation-js and/or --zotero")
    report(tallies, args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
