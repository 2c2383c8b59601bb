"""`quarterly check` end to end against a Crossref-shaped server on 127.0.0.1: the twelve-entry
reference list of the issue (one retracted article, one wrong year, one DOI of another work, one
missing DOI with a confident match, one duplicate, seven clean entries), its three outputs, its
exit codes, and `--fix`."""

from __future__ import annotations

import json
import os
import re
from urllib.parse import unquote

import pytest
from werkzeug import Response

from quarterly_cli.cli import main

from .conftest import DATA

CHECK = DATA / "check"
REFS = CHECK / "refs.bib"


def envelope(items: list[dict], terms: str | None = None) -> dict:
    """A `work-list` answer as Crossref sends it (`GET /works?…`)."""
    return {"status": "ok", "message-type": "work-list", "message-version": "1.0.0",
            "message": {"facets": {}, "total-results": len(items), "items": items,
                        "items-per-page": len(items),
                        "query": {"start-index": 0, "search-terms": terms}}}


class FakeCrossref:
    """A Crossref stand-in: `GET /works/{doi}` from `works` (404 `Resource not found.` for the
    rest), `GET /works?filter=updates:…` from `notices` (each a notice work whose `update-to`
    names the works it updates; several `updates:` filters are OR-ed, as Crossref does), and
    `GET /works?query.bibliographic=…` from `searches` (the first whose key words all appear in
    the query). Every request is kept in `requests` as (kind, query parameters)."""

    def __init__(self, server, works: dict | None = None, notices: list | None = None,
                 searches: dict | None = None) -> None:
        self.works = {k.casefold(): v for k, v in (works or {}).items()}
        self.notices = notices or []
        self.searches = searches or {}
        self.requests: list[tuple[str, dict]] = []
        server.expect_request(re.compile(r"^/works")).respond_with_handler(self)

    def kinds(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for kind, _ in self.requests:
            out[kind] = out.get(kind, 0) + 1
        return out

    def __call__(self, request) -> Response:
        args = dict(request.args)
        if request.path == "/works":
            if "filter" in args:
                self.requests.append(("updates", args))
                wanted = {f.removeprefix("updates:").casefold()
                          for f in args["filter"].split(",")}
                items = [n for n in self.notices if any(
                    u["DOI"].casefold() in wanted for u in n.get("update-to", []))]
                return json_response(envelope(items))
            self.requests.append(("search", args))
            text = args.get("query.bibliographic", "").casefold()
            for words, answer in self.searches.items():
                if all(w in text for w in words.casefold().split()):
                    return json_response(answer)
            return json_response(envelope([], text))
        doi = unquote(request.path.removeprefix("/works/"))
        self.requests.append(("work", {"doi": doi}))
        found = self.works.get(doi.casefold())
        if found is None:
            return Response("Resource not found.", status=404, content_type="text/plain")
        return json_response(found)


def json_response(data: dict) -> Response:
    return Response(json.dumps(data), status=200, content_type="application/json")


def fake_for_refs(server) -> FakeCrossref:
    works = json.loads((CHECK / "works.json").read_text("utf-8"))
    searches = json.loads((CHECK / "search.json").read_text("utf-8"))
    return FakeCrossref(server, works, searches={"patient navigators": searches["navigators"],
                                                 "antenatal migrant": searches["nothing"]})


def run(runner, *args: str, input: str | None = None):
    return runner.invoke(main, list(args), input=input)


EXPECTED = [
    ("retracted", "whitcombe2019hydroxychloroquine",
     "RETRACTED: Retraction, 2020-06-12, https://doi.org/10.5555/jhsrp.2020.retraction.0412 "
     "(Retraction Watch record 28114; publisher via Crossref)"),
    ("mismatch", "lindqvist2013waiting", "year: 2013 in refs.bib, 2014 in Crossref"),
    ("does-not-exist", "nakamura2016antenatal",
     "DOI 10.5555/jhsrp.2016.0999 is another work's: “Dental Workforce Projections for Remote "
     "Island Communities” in Crossref (title similarity 0.44)"),
    ("missing-doi", "adebayo2015patient",
     "no DOI; Crossref's best match is 10.5555/jhsrp.2015.0318 (score 97.3, title similarity "
     "1.00)"),
    ("duplicate", "buchanan2017socialb",
     "buchanan2017socialb and buchanan2017social have the same DOI 10.5555/jhsrp.2017.0201"),
]


def test_twelve_references_five_findings_exit_1(runner, crossref):
    fake = fake_for_refs(crossref)
    result = run(runner, "check", str(REFS))
    assert result.exit_code == 1, result.output
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert [(r[0], r[1], r[5]) for r in rows] == EXPECTED
    assert rows[1][2:5] == ["year", "2013", "2014"]
    assert rows[3][2:5] == ["DOI", "", "10.5555/jhsrp.2015.0318"]
    assert result.stderr == ("12 references: 7 clean, 5 with findings (1 retracted, "
                             "1 does-not-exist, 1 mismatch, 1 missing-doi, 1 duplicate).\n")
    # One look-up per distinct DOI (the duplicate's is asked once), one search per entry with
    # no DOI or another work's, and no notice request: every record was fetched just now.
    assert fake.kinds() == {"work": 10, "search": 2}


def test_fail_on_none_exits_0_with_the_same_findings(runner, crossref):
    fake_for_refs(crossref)
    result = run(runner, "check", "--fail-on", "none", str(REFS))
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 5


@pytest.mark.parametrize(("level", "code"), [("retracted", 1), ("missing-doi", 1),
                                             ("style-fields", 1)])
def test_fail_on_levels(runner, crossref, level, code):
    fake_for_refs(crossref)
    assert run(runner, "check", "--fail-on", level, str(REFS)).exit_code == code


def test_json_and_tsv_carry_the_same_findings(runner, crossref):
    fake_for_refs(crossref)
    piped = run(runner, "check", str(REFS))
    as_json = run(runner, "check", "--json", str(REFS))
    assert as_json.exit_code == 1
    objects = json.loads(as_json.stdout)
    assert [o["reference"] for o in objects] == [
        "whitcombe2019hydroxychloroquine", "lindqvist2013waiting", "nakamura2016antenatal",
        "adebayo2015patient", "buchanan2017social", "vasquez2018paying",
        "thistlewood2012health", "keane2020telephone", "weitzman2013accountable",
        "habimana2016community", "demir2018measuring", "buchanan2017socialb"]
    from_json = [(f["level"], o["reference"], f["message"]) for o in objects
                 for f in o["findings"]]
    from_tsv = [tuple(line.split("\t")[i] for i in (0, 1, 5))
                for line in piped.stdout.splitlines()]
    assert from_json == from_tsv == EXPECTED
    assert all(o["status"] == "checked" for o in objects)
    retracted = objects[0]
    assert retracted["notices"][0]["sources"] == ["retraction-watch", "publisher"]
    assert retracted["notices"][0]["record-id"] == "28114"
    assert objects[1]["findings"][0]["fix"] == "2014"


def test_terminal_table_grouped_by_severity(runner, crossref):
    fake_for_refs(crossref)
    result = run(runner, "check", "--color", str(REFS))
    assert result.exit_code == 1
    text = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout)
    order = [text.index(key) for key in ("whitcombe2019", "nakamura2016", "lindqvist2013",
                                         "adebayo2015", "buchanan2017socialb")]
    assert order == sorted(order)  # retracted, does-not-exist, mismatch, missing-doi, duplicate
    assert "12 references: 7 clean, 5 with findings" in text
    assert result.stderr == ""


def test_fix_adds_the_doi_and_corrects_the_year_and_keeps_the_rest(runner, crossref, tmp_path):
    fake_for_refs(crossref)
    before = REFS.read_bytes()
    fixed = tmp_path / "fixed.bib"
    result = run(runner, "check", str(REFS), "--fix", "-o", str(fixed))
    assert result.exit_code == 1
    assert REFS.read_bytes() == before
    assert result.stderr.splitlines()[-3:] == [
        "Fixed lindqvist2013waiting: year 2013 → 2014",
        "Fixed adebayo2015patient: added DOI 10.5555/jhsrp.2015.0318",
        f"Wrote {fixed} (2 changes).",
    ]
    text = fixed.read_text("utf-8")
    assert "  year = 2014,\n" in text
    assert "\tpages = {160--168},\n\tdoi = {10.5555/jhsrp.2015.0318}\n}" in text
    # Everything else byte for byte: the file differs from its input in those two places only.
    expected = before.decode().replace("  year = 2013,\n", "  year = 2014,\n").replace(
        "\tpages = {160--168}\n}", "\tpages = {160--168},\n\tdoi = {10.5555/jhsrp.2015.0318}\n}")
    assert text == expected


def test_fixed_copy_checks_clean_of_what_it_fixed(runner, crossref, tmp_path):
    fake_for_refs(crossref)
    fixed = tmp_path / "fixed.bib"
    run(runner, "check", str(REFS), "--fix", "-o", str(fixed))
    again = run(runner, "check", "--fail-on", "none", str(fixed))
    levels = [line.split("\t")[0:2] for line in again.stdout.splitlines()]
    assert ["mismatch", "lindqvist2013waiting"] not in levels
    assert ["missing-doi", "adebayo2015patient"] not in levels
    assert ["retracted", "whitcombe2019hydroxychloroquine"] in levels


@pytest.mark.parametrize(("args", "message"), [
    (["--fix"], "--fix writes its copy with -o FILE; -o is only for --fix."),
    (["-o", "x.bib"], "--fix writes its copy with -o FILE; -o is only for --fix."),
    (["--max-age", "soon"], "Invalid value for --max-age: 'soon' is not an age such as 12h, "
                            "1d or 0"),
])
def test_usage_errors_exit_2(runner, args, message):
    result = run(runner, "check", str(REFS), *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_fix_needs_one_file_and_never_writes_over_it(runner, tmp_path):
    copy = tmp_path / "refs.bib"
    copy.write_bytes(REFS.read_bytes())
    same = run(runner, "check", str(copy), "--fix", "-o", str(copy))
    assert same.exit_code == 2
    assert "--fix never writes over its input: give -o another file." in same.stderr
    two = run(runner, "check", str(copy), "10.5555/x", "--fix", "-o", str(tmp_path / "o.bib"))
    assert two.exit_code == 2
    assert "--fix corrects one .bib, .ris or .json file" in two.stderr
    assert copy.read_bytes() == REFS.read_bytes()
    pipe = tmp_path / "63"  # `check --fix <(cat refs.bib)`: a pipe can be read only once
    os.mkfifo(pipe)
    piped = run(runner, "check", str(pipe), "--fix", "-o", str(tmp_path / "o.bib"))
    assert (piped.exit_code, piped.stdout) == (2, "")
    assert "--fix reads its input twice (to check it, then to copy it): give a regular file, " \
           "not a pipe (or pipe the document to '-')." in piped.stderr


def test_no_reference_is_a_usage_error(runner):
    result = run(runner, "check")
    assert result.exit_code == 2
    assert "Missing argument 'REFERENCE...'" in result.stderr


def test_a_failing_crossref_is_not_checked_never_clean(runner, crossref):
    """Crossref refuses every request: each entry is reported as not checked, counted apart,
    and the run fails even with `--fail-on` at its least serious level."""
    crossref.expect_request(re.compile(r"^/works")).respond_with_data("Forbidden", status=403)
    result = run(runner, "check", "--source", "crossref", "--fail-on", "style-fields",
                 str(REFS))
    assert result.exit_code == 1
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    unchecked = [row[1] for row in rows if row[0] == "unchecked"]
    assert len(unchecked) == 12  # eleven look-ups and one search failed
    assert rows[0][5] == "could not be looked up: Crossref answered 403. Try again later."
    assert [row[0] for row in rows if row[0] != "unchecked"] == ["missing-doi", "duplicate"]
    assert result.stderr == ("12 references: 0 clean, 2 with findings (1 missing-doi, "
                             "1 duplicate); 12 could not be checked.\n")


def test_offline_checks_against_the_store_and_counts_the_rest(runner, crossref):
    fake_for_refs(crossref)
    run(runner, "check", "10.5555/jhsrp.2019.0412", "10.5555/mq.2018.0044")
    crossref.clear()
    result = run(runner, "check", "--offline", str(REFS))
    assert result.exit_code == 1
    # The duplicate is found offline too (it is one of the nine not stored).
    assert result.stderr == (
        "12 references: 1 clean, 3 with findings (1 retracted, 1 missing-doi, 1 duplicate); 9 "
        "could not be checked (offline: not in the local store).\n")
    assert "missing-doi\tadebayo2015patient\tDOI\t\t\tno DOI (Crossref not searched)" in \
        result.stdout
    assert crossref.log == []


def test_stdin_document_and_identifiers(runner, crossref):
    fake = fake_for_refs(crossref)
    result = run(runner, "check", "-", "10.5555/jhsrp.2019.0412", "10.5555/nowhere.1",
                 input=REFS.read_text("utf-8"))
    lines = [line.split("\t") for line in result.stdout.splitlines()]
    assert ["retracted", "10.5555/jhsrp.2019.0412"] in [line[:2] for line in lines]
    missing = [line for line in lines if line[1] == "10.5555/nowhere.1"]
    assert missing[0][0] == "unchecked"  # PubMed and doi.org are not reachable here
    assert fake.kinds()["work"] == 11


# --- other inputs ---------------------------------------------------------------------------------

def test_ris_entry_with_a_pmid_takes_pubmeds_doi_and_fix_adds_it(runner, services, tmp_path):
    from .test_pubmed_network import EFETCH, Efetch, article

    services.expect_request(EFETCH).respond_with_handler(Efetch({"25000001": article(
        "25000001", doi="10.5555/pm.1", title="Peer support in primary care")}))
    ris = tmp_path / "refs.ris"
    ris.write_text("TY  - JOUR\nID  - peer2014\nAU  - Mathers, Jonathan\nTI  - Peer support "
                   "in primary care 25000001\nPY  - 2014\nSP  - 725\nEP  - 753\nAN  - 25000001"
                   "\nER  - \n", "utf-8")
    fixed = tmp_path / "fixed.ris"
    result = run(runner, "check", str(ris), "--fix", "-o", str(fixed))
    assert result.exit_code == 0, result.output
    assert result.stdout == ("missing-doi\tpeer2014\tDOI\t\t10.5555/pm.1\tno DOI; PubMed's "
                             "record of it has DOI 10.5555/pm.1\n")
    assert fixed.read_text("utf-8") == ris.read_text("utf-8").replace(
        "AN  - 25000001\n", "AN  - 25000001\nDO  - 10.5555/pm.1\n")


def test_csl_json_input_and_a_doi_that_does_not_exist(runner, services, tmp_path):
    from .conftest import not_found_anywhere

    fake_for_refs(services)
    not_found_anywhere(services, "10.5555/typo.1")
    items = [{"id": "lost", "type": "article-journal", "title": "Patient navigators in community "
              "oncology: a realist evaluation", "author": [{"family": "Adebayo", "given": "F"}],
              "issued": {"date-parts": [[2015]]}, "DOI": "10.5555/typo.1"}]
    path = tmp_path / "refs.json"
    path.write_text(json.dumps(items, indent=2), "utf-8")
    result = run(runner, "check", "--json", str(path), "--fix", "-o", str(tmp_path / "f.json"))
    assert result.exit_code == 1
    (finding,) = json.loads(result.stdout)[0]["findings"]
    assert finding["level"] == "does-not-exist"
    assert finding["message"].startswith("DOI 10.5555/typo.1 does not exist: no record at "
                                         "Crossref, PubMed or doi.org.")
    assert finding["message"].endswith("Crossref's best match is 10.5555/jhsrp.2015.0318 (score "
                                       "97.3, title similarity 1.00)")
    assert json.loads((tmp_path / "f.json").read_text("utf-8"))[0]["DOI"] == \
        "10.5555/jhsrp.2015.0318"


def test_start_up_stays_cheap(tmp_path):
    """`--help`, and `cite` of a stored retracted record (which warns), load neither the
    checker nor Rich, requests or rapidfuzz."""
    import subprocess
    import sys

    from quarterly_cli.sources.crossref import record_from_work
    from quarterly_cli.store import Store

    works = json.loads((CHECK / "works.json").read_text("utf-8"))
    home = tmp_path / "home"
    store = Store(home / "quarterly.sqlite3")
    store.put(record_from_work(works["10.5555/jhsrp.2019.0412"]["message"]))
    store.close()
    code = ("import sys\nfrom quarterly_cli.cli import main\ntry:\n    main(sys.argv[1:])\n"
            "except SystemExit:\n    pass\n"
            "heavy = [m for m in ('rich', 'requests', 'rapidfuzz', 'quarterly_cli.check') "
            "if m in sys.modules]\nsys.stderr.write('HEAVY=' + ','.join(heavy))\n")
    for args in (["--help"], ["check", "--help"], ["cite", "10.5555/jhsrp.2019.0412"]):
        out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                             text=True, env={"QUARTERLY_HOME": str(home), "PATH": "/usr/bin"})
        assert out.stderr.endswith("HEAVY="), (args, out.stderr[-300:])
        assert out.stdout
    assert "RETRACTED" in out.stderr and "RETRACTED" not in out.stdout


def test_offline_knows_the_bundled_article_as_cite_does(runner, tmp_path):
    """No store, no network: the bundled article is still the registry record for its DOI, so a
    wrong year is found and --fix corrects it."""
    refs = tmp_path / "refs.bib"
    refs.write_text("@article{x, title={The challenge of implementing peer-led interventions in "
                    "a professionalized health service}, author={Mathers, J and Taylor, R and "
                    "Parry, J}, journal={Milbank Q}, year={2013}, volume={92}, "
                    "pages={725--753}, doi={10.1111/1468-0009.12090}}\n", "utf-8")
    result = run(runner, "check", "--offline", str(refs))
    assert result.stdout == ("mismatch\tx\tyear\t2013\t2014\tyear: 2013 in refs.bib, 2014 in the "
                             "bundled record\n")
    fixed = tmp_path / "fixed.bib"
    assert run(runner, "check", "--offline", "--fix", "-o", str(fixed), str(refs)).exit_code == 0
    assert fixed.read_text("utf-8") == refs.read_text("utf-8").replace("{2013}", "{2014}")
