"""Run quarterly's RIS reader on the RIS import tests of two peer projects and compare, field by
field, with the values those projects expect.

    python scripts/peer_ris.py --citation-js PATH/packages/plugin-ris/test/input.js \\
                               --zotero PATH/RIS.js

- citation-js (`@citation-js/plugin-ris`, test/input.js): each case is RIS text (or a RIS record
  as an object) and the CSL-JSON citation-js reads from it. The file is a JavaScript module, so
  Node.js turns it into JSON (`node` must be on PATH).
- Zotero (translators repository, RIS.js): the `testCases` block at the end, `import` cases: RIS
  text and the Zotero items expected. Zotero fields are compared with the CSL variable Zotero's
  own CSL mapping gives them (table below).

The peers' files are read where they lie; nothing of them is copied into this project. Each
expected field counts once (a list of names or keywords counts each entry). A field left out of
the figure is a *peer quirk* — a choice of that peer that CSL cannot express or that this
project decided against — and is listed with its reason; every other difference is listed as a
mismatch with its category.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quarterly_cli import markup
from quarterly_cli.diagnostics import capture
from quarterly_cli.errors import QuarterlyError
from quarterly_cli.formats.csljson import item as csl_item
from quarterly_cli.model import Date, DateError
from quarterly_cli.readers import read_text

# Zotero item type → CSL type (Zotero's schema, `csl` type map).
ZOTERO_TYPES = {
    "artwork": "graphic", "audioRecording": "song", "bill": "bill", "blogPost": "post-weblog",
    "book": "book", "bookSection": "chapter", "case": "legal_case",
    "computerProgram": "software", "conferencePaper": "paper-conference", "dataset": "dataset",
    "dictionaryEntry": "entry-dictionary", "document": "document", "email": "personal_communication",
    "encyclopediaArticle": "entry-encyclopedia", "film": "motion_picture", "forumPost": "post",
    "hearing": "hearing", "instantMessage": "personal_communication", "interview": "interview",
    "journalArticle": "article-journal", "letter": "personal_communication",
    "magazineArticle": "article-magazine", "manuscript": "manuscript", "map": "map",
    "newspaperArticle": "article-newspaper", "patent": "patent", "podcast": "broadcast",
    "preprint": "article", "presentation": "speech", "radioBroadcast": "broadcast",
    "report": "report", "standard": "standard", "statute": "legislation", "thesis": "thesis",
    "tvBroadcast": "broadcast", "videoRecording": "motion_picture", "webpage": "webpage",
}
# Zotero field → CSL variable (Zotero's schema, `csl` field map, base fields and their aliases).
ZOTERO_FIELDS = {
    "title": "title", "caseName": "title", "nameOfAct": "title", "subject": "title",
    "publicationTitle": "container-title", "bookTitle": "container-title",
    "proceedingsTitle": "container-title", "websiteTitle": "container-title",
    "blogTitle": "container-title", "encyclopediaTitle": "container-title",
    "dictionaryTitle": "container-title", "reporter": "container-title",
    "code": "container-title", "programTitle": "container-title",
    "series": "collection-title", "seriesTitle": "collection-title",
    "seriesNumber": "collection-number", "volume": "volume", "codeVolume": "volume",
    "reporterVolume": "volume", "codeNumber": "volume", "issue": "issue", "pages": "page",
    "firstPage": "page", "codePages": "page", "numPages": "number-of-pages",
    "numberOfVolumes": "number-of-volumes", "edition": "edition", "versionNumber": "version",
    "place": "publisher-place", "repositoryLocation": "publisher-place",
    "publisher": "publisher", "institution": "publisher", "university": "publisher",
    "company": "publisher", "label": "publisher", "studio": "publisher",
    "distributor": "publisher", "repository": "publisher", "network": "publisher",
    "date": "issued", "dateDecided": "issued", "dateEnacted": "issued", "issueDate": "issued",
    "accessDate": "accessed", "DOI": "DOI", "ISBN": "ISBN", "ISSN": "ISSN", "url": "URL",
    "abstractNote": "abstract", "language": "language", "shortTitle": "title-short",
    "journalAbbreviation": "container-title-short", "archive": "archive",
    "archiveLocation": "archive_location", "libraryCatalog": "source",
    "callNumber": "call-number", "extra": "note", "section": "section",
    "reportNumber": "number", "patentNumber": "number", "billNumber": "number",
    "applicationNumber": "number", "docketNumber": "number", "publicLawNumber": "number",
    "documentNumber": "number", "identifier": "number", "number": "number",
    "reportType": "genre", "thesisType": "genre", "manuscriptType": "genre",
    "websiteType": "genre", "letterType": "genre", "mapType": "genre", "genre": "genre",
    "presentationType": "genre", "postType": "genre", "conferenceName": "event-title",
    "meetingName": "event-title", "artworkMedium": "medium", "videoRecordingFormat": "medium",
    "audioRecordingFormat": "medium", "interviewMedium": "medium", "scale": "scale",
    "runningTime": "dimensions", "artworkSize": "dimensions", "history": "references",
    "references": "references", "legalStatus": "status", "court": "authority",
    "legislativeBody": "authority", "issuingAuthority": "authority", "committee": "section",
    "session": "chapter-number", "country": "jurisdiction",
}
ZOTERO_CREATORS = {
    "author": "author", "editor": "editor", "seriesEditor": "collection-editor",
    "translator": "translator", "bookAuthor": "container-author", "contributor": "contributor",
    "recipient": "recipient", "director": "director", "producer": "producer",
    "composer": "composer", "performer": "performer", "castMember": "performer",
    "inventor": "author", "programmer": "author", "interviewee": "author", "artist": "author",
    "cartographer": "author", "sponsor": "author", "podcaster": "author",
    "presenter": "author", "wordsBy": "author", "counsel": "author", "attorneyAgent": "author",
    "interviewer": "interviewer", "cosponsor": "contributor", "reviewedAuthor": "reviewed-author",
    "scriptwriter": "script-writer", "guest": "guest",
}
# Zotero item keys that are not fields of the work.
ZOTERO_SKIP = {"itemType", "attachments", "seeAlso", "creators", "tags", "notes"}

# Peer choices left out of the figure, with the reason (shown in the report).
QUIRKS = {
    "attachment": "Zotero: L1/L2/L4 become file attachments; quarterly keeps them as RIS links "
                  "(custom), there is no CSL variable for a file",
    "no CSL variable": "Zotero field with no CSL variable in Zotero's own CSL mapping",
    "EBOOK DA": "citation-js reads DA of an EBOOK as the access date; RIS (and Zotero) make DA "
                "the publication date",
    "single name": "citation-js reads a one-word AU as a family name; quarterly, like the RIS "
                   "spec, reads a name without a comma as an organisation (printed the same)",
    "raw date": "citation-js keeps `PY  - 2023-10-24` unparsed (raw); quarterly parses it",
    "ProCite note": "Zotero's ProCite cleaner moves `N1  - Label: value` notes into fields; "
                    "quarterly keeps the notes as the file wrote them (the value is in the note)",
    "Zotero extra": "Zotero files tags it has no field for (M1, M2, …) under `extra`; quarterly "
                    "keeps them as their RIS tags (custom), written back as they came",
    "closer CSL type": "Zotero has no item type for AGGR, ANCIENT, CLSWK, CHART, FIGURE, CTLG, "
                       "SER, … and falls back to document/book/artwork/magazineArticle; CSL 1.0.2 "
                       "has a type of its own (dataset, classic, figure, entry, periodical)",
    "unknown type default": "Zotero reads GEN and unknown TY values as journal articles; the "
                            "issue this project follows asks that they stay generic (document)",
}
# RIS types Zotero maps to a fallback item type where CSL has a closer one.
CLOSER_TYPES = {"AGGR", "ANCIENT", "CLSWK", "CHART", "FIGURE", "CTLG", "SER", "DBASE", "EQUA",
                "GRANT", "GRNT", "LEGAL", "MULTI", "SLIDE", "UNBILL", "ICOMM", "INPR", "VIDEO",
                "ADVS", "SOUND", "MPCT", "PCOMM", "UNPB", "UNPD", "PAMP", "STAND", "GOVDOC"}


@dataclass
class Tally:
    matched: int = 0
    total: int = 0
    quirks: Counter = field(default_factory=Counter)
    mismatches: list[str] = field(default_factory=list)

    def check(self, ok: bool, where: str, what: str, expected: Any, got: Any,
              reason: str = "different value", quirk: str | None = None) -> None:
        if not ok and quirk:
            self.quirk(quirk)
            return
        self.total += 1
        if ok:
            self.matched += 1
        else:
            why = "missing" if got in (None, "", [], {}) else reason
            self.mismatches.append(f"{where}: {what}: expected {expected!r}, got {got!r} ({why})")

    def quirk(self, reason: str) -> None:
        self.quirks[reason] += 1


def plain(text: Any) -> str:
    """Compare text without markup, entities or white space differences."""
    import html

    text = re.sub(r"</?[A-Za-z][^<>]*>", "", html.unescape(str(text)))
    return " ".join(markup.strip_controls(text).split())


def name_text(name: dict[str, Any]) -> str:
    if name.get("literal") or name.get("name"):
        return plain(name.get("literal") or name.get("name"))
    family = name.get("family", name.get("lastName", ""))
    given = name.get("given", name.get("firstName", ""))
    out = ", ".join(p for p in (family, given) if p)
    return plain(out + (f", {name['suffix']}" if name.get("suffix") else ""))


def date_parts(value: Any) -> tuple[int, ...] | None:
    if isinstance(value, str):
        # Zotero's stored form: `2014-06-01 2014/06/01` (SQL date, then the text as given);
        # `0000` when the text is no date.
        zotero_form = re.fullmatch(r"(\d{4})(?:-(\d{2})-(\d{2}))? .*", value)
        if zotero_form:
            parts = tuple(int(p) for p in zotero_form.groups() if p and int(p))
            return parts or None
    if isinstance(value, dict):
        parts = value.get("date-parts")
        if parts:
            return tuple(int(p) for p in parts[0])
        value = value.get("raw") or value.get("literal")
    if not value:
        return None
    try:
        date = Date.parse(str(value), loose=True)
    except DateError:
        return None
    return date.parts if date else None


def read_ours(text: str) -> list[dict[str, Any]]:
    with capture():
        try:
            records = read_text(text, "peer case", "ris")
        except QuarterlyError:
            return []
    return [csl_item(r, r.id or f"item{n}") for n, r in enumerate(records)]


def everything(item: dict[str, Any]) -> str:
    """All the text of an item, for finding what a Zotero note holds."""
    return plain(json.dumps(item, ensure_ascii=False))


# --- citation-js -------------------------------------------------------------------------

def ris_from_object(record: dict[str, Any]) -> str:
    lines = [f"TY  - {record['TY']}"]
    for tag, value in record.items():
        if tag != "TY":
            lines += [f"{tag}  - {v}" for v in (value if isinstance(value, list) else [value])]
    return "\n".join(lines) + "\nER  - \n"


def citation_js(path: Path, tally: Tally) -> None:
    script = "console.log(JSON.stringify(require(process.argv[1])))"
    out = subprocess.run(["node", "-e", script, str(path.resolve())], capture_output=True,
                         text=True, check=True).stdout
    suites = json.loads(out)
    for suite, cases in suites.items():
        for name, (given, expected, *_) in cases.items():
            text = given if isinstance(given, str) else ris_from_object(given)
            ours = read_ours(text)
            for n, want in enumerate(expected):
                got = ours[n] if n < len(ours) else {}
                compare_csl(f"citation-js {suite} {name!r} #{n + 1}", want, got, text, tally)


def compare_csl(where: str, want: dict[str, Any], got: dict[str, Any], text: str,
                tally: Tally) -> None:
    for key, value in want.items():
        if key in ("id",):
            tally.check(value in (got.get("citation-key"), got.get("id")), where, key, value,
                        got.get("citation-key"))
        elif key == "accessed" and "TY  - EBOOK" in text:
            tally.quirk("EBOOK DA")
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            have = [name_text(n) for n in got.get(key, [])]
            for name in value:
                if "literal" not in name and "given" not in name and name_text(name) in [
                        name_text({"literal": h}) for h in have]:
                    tally.quirk("single name")
                    continue
                tally.check(name_text(name) in have, where, f"{key} {name_text(name)}",
                            name_text(name), have)
        elif key in ("issued", "accessed"):
            if isinstance(value, dict) and "raw" in value and date_parts(value) == date_parts(
                    got.get(key)):
                tally.quirk("raw date")
                continue
            tally.check(date_parts(value) == date_parts(got.get(key)), where, key, value,
                        got.get(key))
        elif key == "keyword":
            tally.check(plain(value).replace(", ", ",") == plain(got.get(key, "")).replace(
                ", ", ","), where, key, value, got.get(key))
        else:
            tally.check(plain(value) == plain(got.get(key, "")), where, key, value, got.get(key))


# --- Zotero ------------------------------------------------------------------------------

def zotero_cases(path: Path) -> list[dict[str, Any]]:
    text = path.read_text("utf-8")
    block = text[text.index("/** BEGIN TEST CASES **/"):text.index("/** END TEST CASES **/")]
    return json.loads(block[block.index("["):block.rindex("]") + 1])


def zotero(path: Path, tally: Tally) -> None:
    for n, case in enumerate(zotero_cases(path), 1):
        if case.get("type") != "import":
            continue
        ours = read_ours(case["input"])
        tys = re.findall(r"^TY {1,2}- *(\S*)", case["input"], re.MULTILINE)
        for m, want in enumerate(case["items"]):
            got = ours[m] if m < len(ours) else {}
            compare_zotero(f"zotero case {n} item {m + 1} ({want['itemType']})", want, got,
                           tys[m].upper() if m < len(tys) else "", tally)


def compare_zotero(where: str, want: dict[str, Any], got: dict[str, Any], ty: str,
                   tally: Tally) -> None:
    if ZOTERO_TYPES.get(want["itemType"]) == got.get("type"):
        tally.check(True, where, "itemType", want["itemType"], got.get("type"))
    elif ty in CLOSER_TYPES:
        tally.quirk("closer CSL type")
    elif want["itemType"] == "journalArticle" and got.get("type") == "document":
        tally.quirk("unknown type default")
    else:
        tally.check(False, where, "itemType", want["itemType"], got.get("type"))
    text = everything(got)
    notes = [plain(n) for n in [got.get("note", "")] + got.get("custom", {}).get("ris", {}).get(
        "N1", [])]

    def in_note(value: Any) -> str | None:
        value = plain(value)
        return "ProCite note" if value and any(
            n.endswith(f": {value}") or f": {value} " in n or n == value for n in notes) else None

    for creator in want.get("creators", []):
        role = ZOTERO_CREATORS.get(creator["creatorType"], creator["creatorType"])
        names = [name_text(n) for n in got.get(role, [])]
        anywhere = [name_text(n) for r in got.values() if isinstance(r, list) for n in r
                    if isinstance(n, dict)]
        expected = name_text(creator)
        tally.check(expected in names, where, f"{creator['creatorType']} {expected}", expected,
                    names, "another role" if expected in anywhere else "different value",
                    in_note(expected))
    keywords = plain(got.get("keyword", ""))  # CSL joins keywords with ", "
    for tag in want.get("tags", []):
        tally.check(plain(tag["tag"]) in keywords, where, "tag", tag["tag"], keywords)
    for note in want.get("notes", []):
        body = plain(note["note"] if isinstance(note, dict) else note)
        # `<p>Label: value</p>`: the value must be somewhere in what quarterly kept.
        values = [v.strip() for v in re.split(r"\s*(?:[A-Z][\w ,/]*:)\s", body) if v.strip()]
        ok = all(v in text for v in values) if values else body in text
        tally.check(ok, where, "note (text kept)", body[:80], None)
    for key, value in want.items():
        if key in ZOTERO_SKIP:
            if key == "attachments" and value:
                for _ in value:
                    tally.quirk("attachment")
            continue
        var = ZOTERO_FIELDS.get(key)
        if var is None:
            tally.quirk("no CSL variable")
            continue
        have = got.get(var)
        if var in ("issued", "accessed"):
            ok = date_parts(value) == date_parts(have)
            if date_parts(value) is None:  # Zotero's `0000 Year Date`: the text is no date
                words = value.split(" ", 1)[-1].split()
                ok = not date_parts(have) and all(w in text for w in words)
        elif var in ("ISBN", "ISSN"):
            ok = all(p in plain(have or "") for p in re.split(r"[ ,;]+", plain(value)) if p)
        else:
            ok = plain(value) == plain(have or "")
        found_elsewhere = plain(value) in text
        custom = got.get("custom", {}).get("ris", {})
        extra = key == "extra" and all(
            any(line in map(plain, values) for values in custom.values())
            for line in map(plain, str(value).split("\n")))
        tally.check(ok, where, f"{key} → {var}", value, have,
                    "another variable" if found_elsewhere and not ok else "different value",
                    in_note(value) or ("Zotero extra" if extra else None))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--citation-js", type=Path,
                        help="citation-js's packages/plugin-ris/test/input.js")
    parser.add_argument("--zotero", type=Path, help="Zotero translators' RIS.js")
    args = parser.parse_args(argv)
    if not (args.citation_js or args.zotero):
        parser.error("give --citation-js and/or --zotero")
    tallies: dict[str, Tally] = {}
    if args.citation_js:
        tallies["citation-js"] = Tally()
        citation_js(args.citation_js, tallies["citation-js"])
    if args.zotero:
        tallies["zotero"] = Tally()
        zotero(args.zotero, tallies["zotero"])
    matched = sum(t.matched for t in tallies.values())
    total = sum(t.total for t in tallies.values())
    for name, tally in tallies.items():
        print(f"{name}: expected fields matched: {tally.matched} of {tally.total} "
              f"({100 * tally.matched / max(tally.total, 1):.1f}%)")
    print(f"expected fields matched: {matched} of {total} ({100 * matched / max(total, 1):.1f}%)")
    print("\nleft out as peer quirks (not counted):")
    for name, tally in tallies.items():
        for reason, count in tally.quirks.most_common():
            print(f"  {name}: {count} × {reason} — {QUIRKS[reason]}")
    print("\nmismatches:")
    for tally in tallies.values():
        for line in tally.mismatches:
            print(f"  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
