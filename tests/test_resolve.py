"""The chain: reference text → Reference, and a Reference → bundled / file / store / sources, with
errors kept typed and the batch fed by arguments, never by sys.stdin."""

from __future__ import annotations

import io
import re
import sys
import types

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quarterly_cli.batch import collect
from quarterly_cli.errors import (
    BadReferenceError,
    NotFoundError,
    QuarterlyError,
    SourceError,
    StoreError,
    UsageError,
)
from quarterly_cli.identifiers import KINDS, Identifier, parse, trim_prose
from quarterly_cli.model import Record, Section
from quarterly_cli.resolve import Resolver, merge, parse_reference
from quarterly_cli.sources.seam import Policy, Source
from quarterly_cli.store import Store

from .conftest import DATA

BUNDLED = "10.1111/1468-0009.12090"


# --- reference text ----------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "kind", "value"), [
    ("10.1111/1468-0009.12090.", "doi", BUNDLED),
    ("doi:10.1000/abc,", "doi", "10.1000/abc"),
    ("https://doi.org/10.1000/ABC;", "doi", "10.1000/ABC"),
    ("10.1016/S0140-6736(20)30183-5).", "doi", "10.1016/S0140-6736(20)30183-5"),
    ("10.1016/0005-2795(76)90109-4", "doi", "10.1016/0005-2795(76)90109-4"),
    ("pmid:25492602", "pmid", "25492602"),
    ("PMID: 25492602", "pmid", "25492602"),
    ("PMID 25492602.", "pmid", "25492602"),
    ("https://pubmed.ncbi.nlm.nih.gov/25492602/", "pmid", "25492602"),
    ("pubmed.ncbi.nlm.nih.gov/25492602", "pmid", "25492602"),
    ("https://www.ncbi.nlm.nih.gov/pubmed/25492602", "pmid", "25492602"),
    ("PMC4266174", "pmcid", "PMC4266174"),
    ("pmc4266174", "pmcid", "PMC4266174"),
    ("pmcid:PMC4266174", "pmcid", "PMC4266174"),
    ("PMCID: 4266174", "pmcid", "PMC4266174"),
    ("https://www.ncbi.nlm.nih.gov/pmc/articles/PMC4266174/", "pmcid", "PMC4266174"),
    ("https://pmc.ncbi.nlm.nih.gov/articles/PMC4266174/?report=reader", "pmcid", "PMC4266174"),
])
def test_identifier_forms(text, kind, value):
    assert parse(text) == Identifier(kind, value)


@pytest.mark.parametrize("text", ["PMC", "pmid:", "pmid:abc", "pmid:0", "10.1000", "doi:",
                                  "https://pubmed.ncbi.nlm.nih.gov/", "", "   ."])
def test_not_identifiers(text):
    assert parse(text) is None


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_any_text_is_an_identifier_or_refused(text):
    found = parse(text)
    if found is not None:
        assert found.kind in KINDS
        assert found.value.isprintable() and found.value == found.value.strip()
        assert parse(str(found)) == found  # `doi:…`, `pmid:…`, `pmcid:…` read back the same


@settings(max_examples=100, deadline=None)
@given(number=st.integers(1, 999_999_999), punctuation=st.sampled_from(["", ".", ",", ";", ")"]))
def test_every_pmid_and_pmcid_form(number, punctuation):
    for form in (f"pmid:{number}", f"PMID: {number}", f"https://pubmed.ncbi.nlm.nih.gov/{number}/",
                 f"pmid {number:011d}"):
        assert parse(form + punctuation) == Identifier("pmid", str(number)), form
    for form in (f"PMC{number}", f"pmcid:PMC{number}", f"PMCID: {number}",
                 f"https://pmc.ncbi.nlm.nih.gov/articles/PMC{number}/"):
        assert parse(form + punctuation) == Identifier("pmcid", f"PMC{number}"), form


_PIECES = ["pmid", "PMID", "pmcid", "PMC", "pmc", "Pm", "pM", "pubmed", "PubMed", "pubmed.ncbi.nlm.nih.gov/",
           "https://", "www.ncbi.nlm.nih.gov/pmc/articles/", "ncbi.nlm.nih.gov/pubmed/", ":", " ",
           "/", "?x", "0", "12345", "ı", "ſ", "K", "İ", "p", "m", "i", "d", "c", ".ris"]


@settings(max_examples=2000, derandomize=True, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_PIECES), st.characters()), max_size=8).map("".join))
def test_the_pm_shortcut_is_the_patterns(text):
    """identifiers.parse returns None without trying the PMID and PMCID patterns when the text
    holds neither `pm` nor `pubmed` in any letter case: the patterns find nothing there."""
    from quarterly_cli import identifiers

    text = trim_prose(text)
    if "pm" not in text.lower() and "pubmed" not in text.lower():
        assert not identifiers._pmid_forms().fullmatch(text)
        assert not identifiers._pmcid_forms().fullmatch(text)
        assert not identifiers._pmcid_digits().fullmatch(text)


def test_trim_prose_keeps_balanced_brackets():
    assert trim_prose("10.1002/(SICI)1097-0258(1998)17:1<1::AID-SIM1>3.0.CO;2-#.") == \
        "10.1002/(SICI)1097-0258(1998)17:1<1::AID-SIM1>3.0.CO;2-#"
    assert trim_prose("(10.1/x)") == "(10.1/x)"  # balanced: kept
    assert trim_prose("10.1/x)]") == "10.1/x"


def test_bare_digits_are_a_pmid_unless_a_file_has_that_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert parse_reference("25492602").identifier == Identifier("pmid", "25492602")
    assert parse_reference("0025492602").bundled
    (tmp_path / "2024").write_text((DATA / "files" / "library.bib").read_text("utf-8"), "utf-8")
    ref = parse_reference("2024")
    assert (ref.identifier, ref.path) == (None, "2024")


def test_the_bundled_article_by_each_identifier():
    for text in (BUNDLED, "pmid:25492602", "PMC4266174", "https://doi.org/10.1111/1468-0009.12090"):
        assert parse_reference(text).bundled, text
    assert not parse_reference("pmid:25492603").bundled


@pytest.mark.parametrize("text", ["not a doi", "1234567890123", "PMC0"])
def test_unrecognised_reference_says_what_is_accepted(text):
    with pytest.raises(BadReferenceError) as caught:
        parse_reference(text)
    assert str(caught.value) == (
        f"Not a DOI, PMID, PMCID or file: {text!r}. Give a DOI as 10.xxxx/…, doi:10.xxxx/…, "
        "https://doi.org/10.xxxx/… or http://dx.doi.org/10.xxxx/…, a PMID as 25492602 or "
        "pmid:25492602, a PMCID as PMC4266174, or a .bib, .ris or .json file.")


# --- merging -----------------------------------------------------------------------------------

CROSSREF = Record(title="T", DOI="10.5555/m", source="crossref")
LABELLED = Record(title="T.", DOI="10.5555/m", PMID="1", PMCID="PMC2", mesh=("Humans",),
                  abstract=(Section("Methods", ("M.",)), Section("Results", ("R.",))),
                  policy_points=("P.",), abstract_source="PubMed 1", source="pubmed")


def test_merge_takes_the_abstract_a_record_lacks_and_identifiers():
    merged = merge(CROSSREF, LABELLED)
    assert (merged.title, merged.source, merged.DOI) == ("T", "crossref", "10.5555/m")
    assert (merged.abstract, merged.policy_points, merged.abstract_source) == (
        LABELLED.abstract, ("P.",), "PubMed 1")
    points_only = Record(title="T", policy_points=("Q.",), abstract_source="Crossref")
    assert merge(points_only, LABELLED).policy_points == ("Q.",)  # the record's own are kept
    assert (merged.PMID, merged.PMCID, merged.mesh) == ("1", "PMC2", ("Humans",))


def test_merge_prefers_labels_but_never_drops_labels():
    unlabelled = CROSSREF.with_(abstract=(Section(None, ("Words.",)),), abstract_source="Crossref")
    assert merge(unlabelled, LABELLED).abstract == LABELLED.abstract
    plain_pubmed = LABELLED.with_(abstract=(Section(None, ("Other words.",)),))
    kept = merge(unlabelled, plain_pubmed)
    assert (kept.abstract, kept.abstract_source, kept.PMID) == (
        unlabelled.abstract, "Crossref", "1")
    labelled = CROSSREF.with_(abstract=(Section("Context", ("C.",)),))
    assert merge(labelled, LABELLED).abstract == labelled.abstract


# --- the chain over sources, without a network -------------------------------------------------

def sources(monkeypatch, kinds=("doi", "pmid"), **behaviours):
    """Replace the registry with fake sources, in the order given. A behaviour is (answers,
    supplies abstracts): answers map an identifier value to what the source says (a Record or a
    QuarterlyError); absent values are 'not found'."""
    calls: dict[str, list[list[str]]] = {}
    for name, (answers, abstracts) in behaviours.items():
        def fetch_many(identifiers, gate, name=name, answers=answers):
            calls.setdefault(name, []).append([i.value for i in identifiers])
            for identifier in identifiers:
                with gate:
                    pass
                yield identifier, answers.get(identifier.value) or NotFoundError(
                    f"not at {name}.")
        module = types.ModuleType(f"quarterly_cli.sources.{name}")
        module.SOURCE = Source(name, name.title(), kinds, lambda: Policy(4, 100.0),
                               fetch_many, abstracts=abstracts)
        monkeypatch.setitem(sys.modules, module.__name__, module)
    monkeypatch.setattr("quarterly_cli.sources.REGISTRY", {n: n for n in behaviours})
    return calls


def test_first_source_that_knows_it_wins_and_abstract_sources_fill_in(monkeypatch):
    calls = sources(monkeypatch,
                    first=({"10.5555/m": CROSSREF}, False),
                    second=({"10.5555/m": LABELLED,
                             "10.5555/n": LABELLED.with_(DOI="10.5555/n", PMID="3", PMCID=None)},
                            True))
    result = collect(("10.5555/m", "10.5555/n"))
    assert result.failures == []
    m, n = result.records
    assert (m.source, m.abstract_source, m.PMID) == ("crossref", "PubMed 1", "1")
    assert (n.source, n.DOI) == ("pubmed", "10.5555/n")
    # One round per step, every identifier of a round in one call to the source.
    assert calls == {"first": [["10.5555/m", "10.5555/n"]],
                     "second": [["10.5555/m", "10.5555/n"]]}
    stored = Store().get("10.5555/m")
    assert (stored.record.PMID, stored.source) == ("1", "crossref")


def test_not_found_everywhere_names_every_source(monkeypatch):
    sources(monkeypatch, first=({}, False), second=({}, True), third=({}, False))
    [failure] = collect(("10.5555/x",)).failures
    assert isinstance(failure.error, NotFoundError)
    assert str(failure.error) == ("no record at First, Second or Third. Check the DOI for typos.")


def test_a_failing_source_is_reported_over_not_found(monkeypatch):
    down = SourceError("Second answered 503. Try again later.")
    sources(monkeypatch, first=({}, False), second=({"10.5555/x": down}, True))
    [failure] = collect(("10.5555/x",)).failures
    assert failure.error is down  # the very object, typed, until the CLI prints it


def test_a_failing_source_does_not_stop_the_next(monkeypatch):
    down = SourceError("First answered 503.")
    sources(monkeypatch, first=({"10.5555/x": down}, False),
            second=({"10.5555/x": LABELLED.with_(DOI="10.5555/x")}, True))
    result = collect(("10.5555/x",))
    assert (result.failures, result.records[0].source) == ([], "pubmed")


def test_failed_abstract_source_warns_and_keeps_the_record_out_of_the_store(monkeypatch):
    from quarterly_cli.diagnostics import capture

    sources(monkeypatch, first=({"10.5555/m": CROSSREF}, False),
            second=({"10.5555/m": SourceError("Second is down.")}, True))
    with capture() as warnings:
        result = collect(("10.5555/m",))
    assert result.records == [CROSSREF]
    assert warnings == ["Warning: doi:10.5555/m: Second could not be asked for an abstract "
                        "(Second is down.); not stored, so the next lookup asks again."]
    assert Store().get("10.5555/m") is None


def test_an_error_about_the_run_ends_it(monkeypatch):
    sources(monkeypatch, first=({"10.5555/x": StoreError("The store is full.")}, False))
    with pytest.raises(StoreError):
        collect(("10.5555/x",))


def test_a_kind_no_chosen_source_resolves(monkeypatch):
    calls = sources(monkeypatch, kinds=("doi",), first=({}, False))
    [failure] = collect(("pmid:5",)).failures
    assert str(failure.error) == ("no source chosen looks up a PMID. Use --source auto, or a "
                                  "source that does.")
    assert calls == {}


def test_unknown_source_is_a_usage_error():
    with pytest.raises(UsageError, match="Unknown source 'nowhere'"):
        Resolver(source="nowhere")


# --- the batch takes its inputs as arguments ---------------------------------------------------

class NoStdin(io.StringIO):
    def read(self, *args):
        raise AssertionError("the batch must not read sys.stdin")


def test_stdin_text_and_progress_are_arguments(monkeypatch):
    sources(monkeypatch, first=({f"10.5555/{n}": CROSSREF.with_(
        DOI=f"10.5555/{n}", abstract=(Section("Methods", ("M.",)),)) for n in range(3)}, False))
    monkeypatch.setattr(sys, "stdin", NoStdin())
    seen: list[tuple[int, int]] = []
    result = collect(("-",), stdin_text="10.5555/0\n# comment\n10.5555/1\n10.5555/2\n",
                     progress=lambda done, total: seen.append((done, total)))
    assert [r.DOI for r in result.records] == ["10.5555/0", "10.5555/1", "10.5555/2"]
    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_item_errors_are_quarterly_errors(monkeypatch):
    sources(monkeypatch, first=({}, False))
    result = collect(("-",), stdin_text="10.5555/gone\nnot a reference\n")
    assert [type(f.error) for f in result.failures] == [NotFoundError, BadReferenceError]
    assert all(isinstance(f.error, QuarterlyError) for f in result.failures)


def test_strict_still_resolves_what_came_before_a_bad_line(monkeypatch):
    sources(monkeypatch, first=({"10.5555/ok": CROSSREF.with_(
        DOI="10.5555/ok", abstract=(Section("Methods", ("M.",)),))}, False))
    result = collect(("-",), stdin_text="10.5555/ok\nnot a reference\n10.5555/never\n",
                     strict=True)
    assert [i.reference for i in result.items] == ["10.5555/ok", "not a reference"]
    assert [r.DOI for r in result.records] == ["10.5555/ok"]
    assert isinstance(result.items[1].error, BadReferenceError)


def test_strict_stops_asking_after_the_first_failure(runner, threaded_server, monkeypatch):
    """Crossref's public pool asks one at a time: after the first DOI fails, the lookups not yet
    started are cancelled."""
    from werkzeug import Response

    from quarterly_cli.cli import main

    def handler(request):
        return Response("Resource not found.", status=404)

    threaded_server.expect_request(re.compile("^/works/")).respond_with_handler(handler)
    monkeypatch.setenv("QUARTERLY_CROSSREF_URL", threaded_server.url_for("").rstrip("/"))
    dois = [f"10.5555/strict.{n}" for n in range(10)]
    result = runner.invoke(main, ["cite", "--strict", "--source", "crossref", *dois])
    assert result.exit_code == 1
    assert result.stderr == ("Error: 10.5555/strict.0: no such DOI at Crossref (404). Check the "
                             "DOI for typos.\n")
    assert len(threaded_server.log) <= 3


def test_a_read_only_store_keeps_nothing_and_fails_nothing(monkeypatch):
    record = CROSSREF.with_(abstract=(Section("Methods", ("M.",)),))
    sources(monkeypatch, first=({"10.5555/m": record}, False))
    store = Store()
    store.conn  # noqa: B018 - open it, then treat it as a store in a read-only place
    store.read_only = True
    resolver = Resolver(refresh=True, _store=store)
    assert list(resolver.fetch([Identifier("doi", "10.5555/m")])) == [record]
    store.read_only = False
    assert store.get("10.5555/m") is None
