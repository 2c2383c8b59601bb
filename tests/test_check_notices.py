"""Fresh notices without refetching everything: Crossref's `updates:` filter for stored records
whose notices are older than `--max-age`, several DOIs per request, and the request budget of a
500-reference check."""

from __future__ import annotations

import json
import re
from urllib.parse import urlencode

from werkzeug import Response

from quarterly_cli.check import check
from quarterly_cli.cli import main
from quarterly_cli.identifiers import Identifier
from quarterly_cli.notices import parse_age
from quarterly_cli.sources import crossref as crossref_mod
from quarterly_cli.sources.crossref import notices_from_list, update_batches
from quarterly_cli.store import Store

from .test_check import FakeCrossref, envelope

OLD = "2020-01-01T00:00:00+00:00"


def work(doi: str, n: int = 0) -> dict:
    return {"DOI": doi, "type": "journal-article", "title": [f"Study of Topic Number {n}"],
            "author": [{"given": "Kim", "family": f"Author{n}", "sequence": "first"}],
            "container-title": ["Journal of Examples"], "published-print": {
                "date-parts": [[2015, 1]]}, "issued": {"date-parts": [[2015, 1]]},
            "volume": "3", "page": f"{n + 1}-{n + 9}",
            "abstract": "<jats:sec><jats:title>Methods</jats:title><jats:p>Counted."
                        "</jats:p></jats:sec>"}


def notice(doi: str, *targets: tuple[str, str, str | None]) -> dict:
    """A notice work as `filter=updates:` lists it (with `select=DOI,update-to`)."""
    return {"DOI": doi, "update-to": [
        {"DOI": target, "type": kind, "label": kind.replace("_", " ").capitalize(),
         "source": source, "updated": {"date-parts": [[2024, 5, 6]],
                                       "date-time": "2024-05-06T00:00:00Z",
                                       "timestamp": 1714953600000},
         **({"record-id": "40001"} if source == "retraction-watch" else {})}
        for target, kind, source in targets]}


def stored(dois: list[str], checked_at: str = OLD) -> None:
    from quarterly_cli.sources.crossref import record_from_work

    store = Store()
    for n, doi in enumerate(dois):
        store.put(record_from_work(work(doi, n)), checked_at=checked_at,
                  fetched_at="2019-05-05T00:00:00+00:00")
    store.close()


def write_bib(path, dois: list[str], missing: int = 0) -> None:
    entries = []
    for n, doi in enumerate(dois):
        entries.append(f"@article{{ref{n},\n  author = {{Author{n}, Kim}},\n  title = {{Study of "
                       f"topic number {n}}},\n  journal = {{Journal of Examples}},\n  year = "
                       f"{{2015}},\n  volume = {{3}},\n  pages = {{{n + 1}--{n + 9}}},\n  doi = "
                       f"{{{doi}}}\n}}\n")
    path.write_text("\n".join(entries), "utf-8")


# --- the pure parts --------------------------------------------------------------------------------

def test_one_answer_holds_notices_for_several_dois():
    answer = envelope([
        notice("10.5555/n.1", ("10.5555/A.1", "retraction", "retraction-watch"),
               ("10.5555/a.1", "retraction", "publisher")),
        notice("10.5555/n.2", ("10.5555/a.2", "correction", "publisher"),
               ("10.5555/not.asked", "correction", "publisher")),
    ])["message"]
    found = notices_from_list(answer, ["10.5555/a.1", "10.5555/a.2", "10.5555/a.3"])
    assert sorted(found) == ["10.5555/a.1", "10.5555/a.2"]
    assert [(u.type, u.DOI, u.source, u.record_id, u.direction) for u in found["10.5555/a.1"]] \
        == [("retraction", "10.5555/n.1", "retraction-watch", "40001", "updated-by"),
            ("retraction", "10.5555/n.1", "publisher", None, "updated-by")]
    assert found["10.5555/a.2"][0].date.parts == (2024, 5, 6)


def test_batches_keep_each_request_line_under_crossrefs_limit(monkeypatch):
    monkeypatch.setenv("QUARTERLY_CROSSREF_URL", "https://api.crossref.org")
    dois = [f"10.1002/(SICI)1097-4636(199812)43:4<437::AID-JBM{n}>3.0.CO;2-G" for n in range(60)]
    dois += [f"10.5555/short.{n}" for n in range(300)] + ["10.5555/with,comma"]
    batches = update_batches(dois)
    assert sum(len(b) for b in batches) == 360  # the DOI with a comma cannot be a filter
    assert all(len(b) <= crossref_mod.MAX_DOIS_PER_REQUEST for b in batches)
    for batch in batches:
        query = urlencode({"filter": ",".join(f"updates:{d}" for d in batch),
                           "select": "DOI,update-to", "rows": "1000"})
        assert len("GET /works?" + query + " HTTP/1.1") <= 4096
    assert len(batches) <= 8


# --- against the server -----------------------------------------------------------------------------

def test_stale_notices_are_refreshed_in_one_request_and_stored(runner, crossref, tmp_path):
    dois = [f"10.5555/a.{n}" for n in range(1, 6)]
    stored(dois)
    fake = FakeCrossref(crossref, notices=[
        notice("10.5555/n.1", ("10.5555/a.1", "retraction", "retraction-watch")),
        notice("10.5555/n.3", ("10.5555/a.3", "expression_of_concern", "publisher"))])
    refs = tmp_path / "refs.bib"
    write_bib(refs, dois)
    result = runner.invoke(main, ["check", str(refs)])
    assert result.exit_code == 1
    assert fake.kinds() == {"updates": 1}  # five stored records: no look-up, one filter request
    assert [line.split("\t")[:2] for line in result.stdout.splitlines()] == [
        ["retracted", "ref0"], ["concern", "ref2"]]
    filter_value = fake.requests[0][1]["filter"]
    assert filter_value == ",".join(f"updates:{d}" for d in dois)
    assert fake.requests[0][1]["select"] == "DOI,update-to"
    store = Store()
    fresh = store.find(Identifier("doi", "10.5555/a.1"))
    assert fresh.record.updates[0].DOI == "10.5555/n.1"
    assert fresh.fetched_at == "2019-05-05T00:00:00+00:00"  # only the notices are new
    assert fresh.checked_at > OLD
    unchanged = store.find(Identifier("doi", "10.5555/a.2"))
    assert unchanged.checked_at > OLD and unchanged.record.updates == ()
    # Checked a moment ago: the next check asks nothing; `--max-age 0` asks again.
    again = runner.invoke(main, ["check", str(refs)])
    assert again.stdout == result.stdout and fake.kinds() == {"updates": 1}
    runner.invoke(main, ["check", "--max-age", "0", str(refs)])
    assert fake.kinds() == {"updates": 2}
    # What the check learnt is what `show` and `cite` say from now on, without the network.
    crossref.clear()
    shown = runner.invoke(main, ["show", "--offline", "10.5555/a.1"])
    assert shown.stdout.startswith("RETRACTED: Retraction, 2024-05-06, "
                                   "https://doi.org/10.5555/n.1 (Retraction Watch record 40001)")


def test_long_answers_are_paged(runner, crossref, tmp_path):
    dois = ["10.5555/p.1"]
    stored(dois)
    pages = [notice(f"10.5555/fix.{n}", ("10.5555/p.1", "correction", "publisher"))
             for n in range(3)]
    seen = []

    def handler(request):
        seen.append(dict(request.args))
        offset = int(request.args.get("offset", "0"))
        body = envelope(pages[offset:offset + 2])
        body["message"]["total-results"] = 3
        return Response(json.dumps(body), content_type="application/json")

    crossref.expect_request(re.compile("^/works$")).respond_with_handler(handler)
    monkeypatched = check([str(write_then(tmp_path, dois))], max_age=parse_age("0"))
    assert [s.get("offset") for s in seen] == [None, "2"]
    assert [f.level for f in monkeypatched.entries[0].findings] == ["corrected"] * 3


def write_then(tmp_path, dois):
    path = tmp_path / "refs.bib"
    write_bib(path, dois)
    return path


def test_a_failed_notice_request_leaves_the_references_unchecked(runner, crossref, tmp_path):
    stored(["10.5555/f.1", "10.5555/f.2"])
    crossref.expect_request(re.compile("^/works$")).respond_with_data("Bad Request", status=400)
    result = runner.invoke(main, ["check", "--fail-on", "none", str(write_then(
        tmp_path, ["10.5555/f.1", "10.5555/f.2"]))])
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "unchecked\tref0\t\t\t\tits notices could not be refreshed: Crossref answered 400. Try "
        "again later.",
        "unchecked\tref1\t\t\t\tits notices could not be refreshed: Crossref answered 400. Try "
        "again later."]
    assert Store().find(Identifier("doi", "10.5555/f.1")).checked_at == OLD


def test_a_doi_no_filter_can_carry_is_fetched_again(runner, crossref, tmp_path):
    doi = "10.5555/with,comma"
    stored([doi])
    fresh = work(doi)
    fresh["updated-by"] = [{"DOI": "10.5555/n.9", "type": "retraction", "label": "Retraction",
                            "source": "publisher", "updated": {"date-parts": [[2024, 1, 2]]}}]
    fake = FakeCrossref(crossref, works={doi: {"status": "ok", "message-type": "work",
                                               "message": fresh}})
    report = check([str(write_then(tmp_path, [doi]))])
    assert fake.kinds() == {"work": 1}
    assert [f.level for f in report.entries[0].findings] == ["retracted"]


def test_offline_never_refreshes(runner, crossref, tmp_path):
    stored(["10.5555/o.1"])
    result = runner.invoke(main, ["check", "--offline", str(write_then(tmp_path,
                                                                       ["10.5555/o.1"]))])
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "1 reference: 1 clean, 0 with findings.\n"
    assert crossref.log == []


def test_500_references_stay_within_the_request_budget(crossref, tmp_path, monkeypatch):
    """480 references stored a year ago and 20 never seen: 20 look-ups, and the notices of the
    480 in a handful of `updates:` requests (the budget: about 20 at most)."""
    known = [f"10.5555/budget.{n:04d}" for n in range(480)]
    new = [f"10.5555/budget.new.{n:02d}" for n in range(20)]
    stored(known)
    works = {doi: {"status": "ok", "message-type": "work", "message": work(doi, 480 + n)}
             for n, doi in enumerate(new)}
    fake = FakeCrossref(crossref, works=works, notices=[
        notice("10.5555/budget.notice", ("10.5555/budget.0007", "retraction", "publisher"))])
    refs = tmp_path / "refs.bib"
    write_bib(refs, known + new)
    monkeypatch.setenv("QUARTERLY_MAILTO", "checker@example.org")  # the polite pool
    report = check([str(refs)])
    kinds = fake.kinds()
    assert kinds["work"] == 20
    assert 1 <= kinds["updates"] <= 20
    assert sum(kinds.values()) == kinds["work"] + kinds["updates"]
    assert not report.unchecked
    flagged = {e.key: [f.level for f in e.findings] for e in report.entries if e.findings}
    assert flagged == {"ref7": ["retracted"]}
    assert all(args.get("mailto") == "checker@example.org" for _, args in fake.requests
               if "filter" in args)
