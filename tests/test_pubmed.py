"""PubMed: the pure mapping of efetch XML, on NCBI's real records (read in place) and on small
records of our own for each case."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import NamedTuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quarterly_cli import markup
from quarterly_cli.errors import SourceError
from quarterly_cli.model import Record, validate
from quarterly_cli.sources.pubmed import parse_efetch, parse_esearch

from .conftest import DATA, ESEARCH_EMPTY

REAL = Path(__file__).resolve().parents[1].parent / "shared" / "real-world" / "pubmed"
OWN = DATA / "pubmed"


def real(pmid: str) -> bytes:
    if not REAL.is_dir():
        pytest.skip(f"the real-world PubMed records are not here: {REAL}")
    # Each file is one PubmedArticle / PubmedBookArticle, as it sits inside efetch's answer.
    return b"<PubmedArticleSet>" + (REAL / f"{pmid}.xml").read_bytes() + b"</PubmedArticleSet>"


def one(body: bytes) -> Record:
    [(_, record)] = parse_efetch(body)
    assert isinstance(record, Record), record
    return record


def own() -> dict[str, Record | SourceError]:
    return dict(parse_efetch((OWN / "cases.xml").read_bytes()))


# --- the 26 real records ----------------------------------------------------------------------

class R(NamedTuple):
    pmid: str
    type: str
    title: str
    authors: int
    first: object  # (family, given[, suffix]) or a literal name
    last: object
    journal: str | None
    short: str | None
    date: tuple  # (parts, end of range, season)
    volume: str | None
    issue: str | None
    page: str | None
    doi: str | None
    pmcid: str | None
    labels: tuple


# Values read off each XML file by hand (ArticleTitle less NLM's final period, MedlinePgn written
# out in full, MedlineTA as the short title, sections as PubMed labels them, in sentence case).
REAL_RECORDS = [
    R("993", "article-journal", "The stimulation by synaptic transmitters of the incorporation of "
      "oleate into the phospholipid of synaptic membranes", 2, ("Gullis", "R J"), ("Rowe", "C E"),
      "The Biochemical journal", "Biochem J", ((1975, 6), (), None), "148", "3", "557-565", None,
      "PMC1165577", (None,)),
    R("9997", "article-journal", "Magnetic studies of Chromatium flavocytochrome C552. A mechanism "
      "for heme-flavin interaction", 1, ("Strekas", "T C"), ("Strekas", "T C"),
      "Biochimica et biophysica acta", "Biochim Biophys Acta", ((1976, 9, 28), (), None), "446",
      "1", "179-191", "10.1016/0005-2795(76)90109-4", None, (None,)),
    R("12091962", "article-journal", "The treatment of AIDS behind the walls of correctional "
      "facilities", 1, ("Olivero", "J Michael"), ("Olivero", "J Michael"),
      "Social justice (San Francisco, Calif.)", "Soc Justice", ((1990,), (), 1), "17", "1",
      "113-125", None, None, ()),
    R("17284678", "article-journal", "Sequencing and analysis of chromosome 1 of Eimeria tenella "
      "reveals a unique segmental organization", 33, ("Ling", "King-Hwa"), ("Wan", "Kiew-Lian"),
      "Genome research", "Genome Res", ((2007, 3), (), None), "17", "3", "311-319",
      "10.1101/gr.5823007", "PMC1800922", (None,)),
    R("20301577", "chapter", "<i>CACNA1C</i>-Related Disorders", 2, ("Napolitano", "Carlo"),
      ("Priori", "Silvia G"), "GeneReviews<sup>®</sup>", None, ((1993,), (), None), None, None,
      None, None, None,
      ("Clinical characteristics", "Diagnosis/testing", "Management", "Genetic counseling")),
    R("20729678", "article-journal", "Zotero: harnessing the power of a personal bibliographic "
      "manager", 2, ("Coar", "Jaekea T"), ("Sewell", "Jeanne P"), "Nurse educator", "Nurse Educ",
      ((2010, 9), (2010, 10), None), "35", "5", "205-207", "10.1097/NNE.0b013e3181ed81e4", None,
      (None,)),
    R("20821847", "book", "Endocrinology: An Integrated Approach", 2, ("Nussey", "Stephen"),
      ("Whitehead", "Saffron"), None, None, ((2001,), (), None), None, None, None, None, None,
      (None,)),
    R("23657305", "article-journal", "Hfe mutations and iron overload in patients with alcoholic "
      "liver disease", 6, ("Costa-Matos", "Luís"), ("Carvalho", "Armando"),
      "Arquivos de gastroenterologia", "Arq Gastroenterol", ((2013, 1), (2013, 3), None), "50",
      "1", "35-41", "10.1590/s0004-28032013000100008", None,
      ("Context", "Objectives", "Methods", "Results", "Conclusion")),
    R("24349601", "article-journal", "Genes, Economics, and Happiness", 4,
      ("De Neve", "Jan-Emmanuel"), ("Frey", "Bruno S"),
      "Journal of neuroscience, psychology, and economics", "J Neurosci Psychol Econ",
      ((2012, 11), (), None), "5", "4", None, "10.1037/a0030292", "PMC3858957", (None,)),
    R("26568896", "article-journal", "Titanium Dioxide Nanoparticles are not Cytotoxic or "
      "Clastogenic in Human Skin Cells", 4, ("Browning", "Cynthia L"), ("Wise", "John Pierce", "Sr"),
      "Journal of environmental & analytical toxicology", "J Environ Anal Toxicol",
      ((2014, 11), (), None), "4", "6", None, "10.4172/2161-0525.1000239", "PMC4643289", (None,)),
    R("27797938", "article-journal", "Leucocyte telomere length, genetic variants at the "
      "<i>TERT</i> gene region and risk of pancreatic cancer", 22, ("Bao", "Ying"),
      ("Wolpin", "Brian M"), "Gut", "Gut", ((2017, 6), (), None), "66", "6", "1116-1122",
      "10.1136/gutjnl-2016-312510", "PMC5442267",
      ("Objective", "Design", "Results", "Conclusions")),
    R("28775130", "article-journal", "Occupational pesticide exposure and subclinical "
      "hypothyroidism among male pesticide applicators", 12, ("Lerro", "Catherine C"),
      ("Ward", "Mary H"), "Occupational and environmental medicine", "Occup Environ Med",
      ((2018, 2), (), None), "75", "2", "79-89", "10.1136/oemed-2017-104431", "PMC5771820",
      ("Objectives", "Methods", "Results", "Conclusions")),
    R("29292925", "article-journal", "Psykisk ohälsa, radikalisering och terrorism - Inget säkert "
      "samband har kunnat påvisas", 3, ("Köhler", "Per"), ("Josefsson", "Johanna"),
      "Lakartidningen", "Lakartidningen", ((2017, 11, 9), (), None), "114", None, None, None,
      None, (None,)),
    R("29768149", "article-journal", "Inhaled Combined Budesonide-Formoterol as Needed in Mild "
      "Asthma", 10, ("O'Byrne", "Paul M"), ("Reddel", "Helen K"),
      "The New England journal of medicine", "N Engl J Med", ((2018, 5, 17), (), None), "378",
      "20", "1865-1876", "10.1056/NEJMoa1715274", None,
      ("Background", "Methods", "Results", "Conclusions")),
    R("29963580", "article-journal", "Development of a pulmonary imaging biomarker pipeline for "
      "phenotyping of chronic lung disease", 9, ("Guo", "Fumin"),
      "Canadian Respiratory Research Network", "Journal of medical imaging (Bellingham, Wash.)",
      "J Med Imaging (Bellingham)", ((2018, 4), (), None), "5", "2", "026002",
      "10.1117/1.JMI.5.2.026002", "PMC6022861", (None,)),
    R("30108519", "article-journal", 'A "<i>Blood Relationship"</i> Between the Overlooked '
      "Minimum Lactate Equivalent and Maximal Lactate Steady State in Trained Runners. Back to the "
      "Old Days?", 2, ("Garcia-Tabar", "Ibai"), ("Gorostiaga", "Esteban M"),
      "Frontiers in physiology", "Front Physiol", ((2018,), (), None), "9", None, "1034",
      "10.3389/fphys.2018.01034", "PMC6079548", (None,)),
    R("33474827", "article-journal", "Tumor-educated platelet SNORD55 as a potential biomarker for "
      "the early diagnosis of non-small cell lung cancer", 9, ("Dong", "Xiaohan"),
      ("Song", "Xianrang"), "Thoracic cancer", "Thorac Cancer", ((2021, 3), (), None), "12", "5",
      "659-666", "10.1111/1759-7714.13823", "PMC7919130",
      ("Background", "Methods", "Results", "Conclusions", "Key points")),
    R("34337106", "article-journal", "Understanding What Influences Sexual Health Behaviors among "
      "Black Males in College", 3, ("Reese", "Nicholas"), ("Felder", "Kyazia"),
      "Journal of black sexuality and relationships", "J Black Sex Relatsh", ((2020,), (), 4),
      "6", "3", "13-27", "10.1353/bsr.2020.0005", "PMC8323786", (None,)),
    R("34843274", "article-journal", "Summary of the clinical practice guideline for the "
      "treatment of depression across three age cohorts", 1,
      "Guideline Development Panel for the Treatment of Depressive Disorders",
      "Guideline Development Panel for the Treatment of Depressive Disorders",
      "The American psychologist", "Am Psychol", ((2022, 9), (), None), "77", "6", "770-780",
      "10.1037/amp0000904", None, (None,)),
    R("35649368", "article-journal", "Fatty acid oxidation protects cancer cells from apoptosis by "
      "increasing mitochondrial membrane lipids", 10, ("Li", "Yi-Jia"), ("Yu", "Hua"),
      "Cell reports", "Cell Rep", ((2022, 5, 31), (), None), "39", "9", "110870",
      "10.1016/j.celrep.2022.110870", None, (None,)),
    R("36176722", "article-journal", "Female social structure influences, and is influenced by, "
      "male introduction and integration success among captive rhesus macaques "
      "(<i>Macaca mulatta</i>)", 4, ("Balasubramaniam", "Krishna N"), ("Bloomsmith", "Mollie A"),
      "Behaviour", "Behaviour", ((2021, 9), (), None), "158", "11", "1007-1042",
      "10.1163/1568539x-bja10109", "PMC9518721", (None,)),
    R("36798302", "article", "Dynamic mapping of proteome trafficking within and between living "
      "cells by TransitID", 10, ("Xu", "Wei Qin"), ("Ting", "Alice Y"),
      "bioRxiv : the preprint server for biology", "bioRxiv", ((2023, 2, 8), (), None), None,
      None, None, "10.1101/2023.02.07.527548", "PMC9934598", (None,)),
    R("36987902", "article-journal", "Patients over 75 years admitted to the National Burn Centre, "
      "Haukeland University Hospital, 2000-19", 7, ("Bruserud", "Øyvind"), ("Onarheim", "Henning"),
      "Tidsskrift for den Norske laegeforening : tidsskrift for praktisk medicin, ny raekke",
      "Tidsskr Nor Laegeforen", ((2023, 3, 28), (), None), "143", "5", None,
      "10.4045/tidsskr.22.0358", None,
      ("Background", "Material and method", "Results", "Interpretation")),
    R("38048813", "article-journal", "A Broader Scope - Bio-Psycho-Social Medicine In Global Focus",
      5, ("Zipfel", "Stephan"), ("Giel", "Katrin"),
      "Psychotherapie, Psychosomatik, medizinische Psychologie", "Psychother Psychosom Med Psychol",
      ((2023, 12), (), None), "73", "12", "487-488", "10.1055/a-2189-0166", None, ()),
    R("38147649", "article-journal", "Social anxiety disorder-associated gut microbiota increases "
      "social fear", 23, ("Ritz", "Nathaniel L"), ("Cryan", "John F"),
      "Proceedings of the National Academy of Sciences of the United States of America",
      "Proc Natl Acad Sci U S A", ((2024, 1, 2), (), None), "121", "1", "e2308706120",
      "10.1073/pnas.2308706120", "PMC10769841", (None,)),
    R("38534005", "article-journal", "The EFLM European Urinalysis Guideline 2023", 9,
      ("Kouri", "Timo T"), "Task and Finish Group for Urinalysis (TFG-U), European Federation of "
      "Clinical Chemistry and Laboratory Medicine (EFLM)",
      "Clinical chemistry and laboratory medicine", "Clin Chem Lab Med", ((2024, 8, 27), (), None),
      "62", "9", "1653-1786", "10.1515/cclm-2024-0070", None,
      ("Background", "Recommendations", "Medical needs and test requisition",
       "Specimen collection", "Chemistry", "Particles", "Bacteriology")),
]


def _name(name) -> object:
    if name.literal:
        return name.literal
    return (name.family, name.given) + ((name.suffix,) if name.suffix else ())


@pytest.mark.parametrize("row", REAL_RECORDS, ids=[r.pmid for r in REAL_RECORDS])
def test_real_record(row: R):
    r = one(real(row.pmid))
    assert (r.type, r.title, r.PMID) == (row.type, row.title, row.pmid)
    assert (len(r.author), _name(r.author[0]), _name(r.author[-1])) == (
        row.authors, row.first, row.last)
    assert (r.container_title, r.container_title_short) == (row.journal, row.short)
    assert (r.issued.parts, r.issued.end, r.issued.season) == row.date
    assert (r.volume, r.issue, r.page, r.DOI, r.PMCID) == (
        row.volume, row.issue, row.page, row.doi, row.pmcid)
    assert tuple(s.label for s in r.abstract) == row.labels
    assert r.source == "pubmed"
    assert r.abstract_source == (f"PubMed {row.pmid}" if row.labels else None)
    assert validate(r) == r  # the store can keep it and read it back


def _plain(text: str) -> str:
    """Text to compare across markup and MathML layout: no tags, no white space, no dots (MathML
    writes V-dot as V and `.`; the record as V̇)."""
    return re.sub(r"[\s.\u0307\u200d]", "", markup.plain(text))


@pytest.mark.parametrize("row", REAL_RECORDS, ids=[r.pmid for r in REAL_RECORDS])
def test_real_record_every_abstract_section_whole(row: R):
    """Each AbstractText, read here with the standard library, is one paragraph of the record
    under its label, word for word."""
    body = real(row.pmid)
    r = one(body)
    root = ET.fromstring(body)
    texts = [(t.get("Label"), "".join(t.itertext()), any(e.tag.endswith("}math") for e in t.iter()))
             for t in root.iter("AbstractText")]
    assert len(texts) == sum(len(s.paragraphs) for s in r.abstract)
    paragraphs = [(s.label, p) for s in r.abstract for p in s.paragraphs]
    for (label, text, math), (got_label, paragraph) in zip(texts, paragraphs, strict=True):
        assert (got_label or "").casefold() == (label or "").casefold()
        ours, theirs = _plain(paragraph), re.sub(r"[\s.]", "", text)
        if math:  # MathML puts prescripts after their base (He 3); the record before (³He)
            ours, theirs = "".join(sorted(ours)), "".join(sorted(theirs))
        assert ours == theirs
        assert " ".join(markup.plain(paragraph).split()) == markup.plain(paragraph)


def test_real_inline_markup_and_mathml():
    gut = one(real("27797938"))
    assert "risk (<i>TERT</i>) gene region" not in gut.abstract[0].paragraphs[0]
    assert "reverse transcriptase (<i>TERT</i>) gene region" in gut.abstract[0].paragraphs[0]
    assert "r<sup>2</sup>" in gut.abstract[2].paragraphs[0]
    assert "p<sub>trend</sub>=0.048" in gut.abstract[2].paragraphs[0]
    # MathML becomes text with scripts, protected from case changes (markup.RichText).
    nocase = '<span class="nocase">'
    lungs = one(real("29963580")).abstract[0].paragraphs[0]
    assert f"inhaled {nocase}<sup>3</sup>He/<sup>129</sup>Xe MRI</span> ventilation" in lungs
    runners = one(real("30108519")).abstract[0].paragraphs[0]
    assert f"maximal oxygen uptake ({nocase}V\u0307O<sub>2max</sub></span>) 67.6" in runners
    gene = one(real("20301577"))
    assert gene.abstract[2].paragraphs[0].startswith(
        "<i>Treatment of manifestations:</i> Beta-blockers")


def test_real_people_and_identifiers():
    lungs = one(real("29963580"))
    assert lungs.author[1].orcid == "https://orcid.org/0000-0002-4590-7461"
    assert lungs.author[-1].literal == "Canadian Respiratory Research Network"
    burns = one(real("36987902"))
    assert burns.author[0].orcid == "https://orcid.org/0000-0001-7093-6988"
    zotero = one(real("20729678"))
    assert zotero.author[0].affiliation == (
        "School of Nursing, Georgia College & State University, Milledgeville, Georgia 61061, USA.",)
    assert zotero.ISSN == ("1538-9855", "0363-3624")
    assert one(real("26568896")).get("page") is None  # ELocationID pii `239` is not a page
    assert one(real("26568896")).custom["pii"] == "239"


def test_real_titles_translated_and_vernacular():
    german = one(real("38048813"))
    assert german.get("original-title") == "A Broader Scope – Bio-psycho-soziale Medizin im globalen Fokus"
    assert german.language == "de"
    swedish = one(real("29292925"))  # empty ArticleTitle: the vernacular title is the title
    assert swedish.get("original-title") is None and swedish.language == "sv"
    norwegian = one(real("36987902"))
    assert norwegian.get("original-title") == (
        "Pasienter over 75 år innlagt ved Brannskadeavdelinga, Haukeland universitetssjukehus 2000–19")


def test_real_notices_and_types():
    (retraction,) = one(real("993")).updates
    assert (retraction.type, retraction.direction, retraction.PMID, retraction.source) == (
        "retraction", "updated-by", "195582", "pubmed")
    assert retraction.label == "Rowe CE. Biochem J. 1977 Apr 15;164(1):287-8"
    assert retraction.date.parts == (1977, 4, 15)
    assert "Retracted Publication" in one(real("993")).custom["publication-types"]
    (erratum,) = one(real("35649368")).updates
    assert (erratum.type, erratum.DOI, erratum.PMID, erratum.date.parts) == (
        "erratum", "10.1016/j.celrep.2022.111044", "35767954", (2022, 6, 28))
    (erratum,) = one(real("38147649")).updates
    assert (erratum.type, erratum.DOI) == ("erratum", "10.1073/pnas.2424381121")
    preprint = one(real("36798302"))
    (update,) = preprint.updates
    assert (preprint.type, update.type, update.DOI, update.PMID) == (
        "article", "new_version", "10.1016/j.cell.2023.05.044", "37385249")
    assert one(real("29768149")).updates == ()  # CommentIn is a comment, not a notice


def test_real_books():
    chapter = one(real("20301577"))
    assert [n.family for n in chapter.editor] == [
        "Adam", "Feldman", "Mirzaa", "Pagon", "Wallace", "Amemiya"]
    assert (chapter.publisher, chapter.publisher_place, chapter.get("medium")) == (
        "University of Washington, Seattle", "Seattle (WA)", "Internet")
    assert chapter.URL == "https://www.ncbi.nlm.nih.gov/books/NBK1403/"
    assert "Timothy Syndrome" in chapter.keyword
    assert chapter.custom["copyright"].startswith("Copyright © 1993-2025, University of Washington")
    book = one(real("20821847"))
    assert (book.ISBN, book.publisher, book.publisher_place) == (
        ("1859962521",), "BIOS Scientific Publishers", "Oxford")


def test_real_keywords_mesh_copyright():
    aids = one(real("12091962"))
    assert aids.keyword == ("Health Care and Public Health", "Legal Approach")
    assert aids.mesh[:2] == ("AIDS Serodiagnosis", "Acquired Immunodeficiency Syndrome")
    assert "United States" in aids.mesh and aids.keyword != aids.mesh
    assert one(real("27797938")).custom["copyright"].startswith("Published by the BMJ")


# --- our own records ---------------------------------------------------------------------------

def test_own_structured_abstract_policy_points_and_people():
    r = own()["90000001"]
    assert isinstance(r, Record)
    assert r.policy_points == ("Peer workers reach people clinics miss.",
                               "Funding decides whether they last.")
    assert [(s.label, s.paragraphs) for s in r.abstract] == [
        ("Context", ("Health trainers were introduced in <b>2004</b>.",)),
        ("Methods", ("We interviewed 48 trainers.", "Surveys covered 2015-2018.")),
        ("Results", ("Retention rose (<i>P</i> < .05).",)),  # NlmCategory when there is no Label
        ("Conclusions", ("Services drifted towards the NHS.",)),
    ]
    assert r.abstract_source == "PubMed 90000001"
    assert [_name(n) for n in r.author] == [
        ("Mathers", "Jonathan"), ("King", "M", "Jr"), "Health Trainers Evaluation Group"]
    assert r.author[0].orcid == "https://orcid.org/0000-0002-1825-0097"
    assert r.author[1].orcid == "https://orcid.org/0000-0001-5109-3700"
    assert r.author[0].affiliation == ("University of Birmingham, UK.", "NIHR CLAHRC West Midlands.")
    assert (r.page, r.volume, r.issue) == ("725-753", "92", "4")
    assert (r.issued.parts, r.issued.end) == ((2014, 11), (2014, 12))
    assert r.date("available-date").parts == (2014, 12, 5)
    assert (r.container_title, r.container_title_short) == ("The Milbank quarterly", "Milbank Q")
    assert r.custom["iso-abbreviation"] == "Milbank Q."
    assert r.ISSN == ("0887-378X", "1468-0009")
    assert (r.DOI, r.PMCID, r.custom["pii"]) == ("10.5555/pubmed.90000001", "PMC9000001", "MILQ12090")
    assert r.keyword == ("health trainer", "health inequalities")
    assert r.mesh == ("Humans", "Peer Group")
    assert r.updates == ()  # Cites and CommentIn are not notices
    assert r.custom["copyright"] == "© 2014 Milbank Memorial Fund."


def test_own_hostile_title_is_text():
    r = own()["90000001"]
    assert r.title.startswith("Peer support for <i>healthier</i> lifestyles: H<sub>2</sub>O, "
                              "CO<sup>2</sup> and [bold red]literal[/bold red] ")
    assert "\x9b" not in r.title  # a C1 control (CSI) is legal XML and is removed
    # Escaped tags in the XML are text: they never become markup.
    assert [s.text for s in markup.parse(r.title) if s.styles] == ["healthier", "2", "2"]
    assert "not markup" in markup.plain(r.title)


def test_own_translated_title_season_notices():
    r = own()["90000002"]
    assert isinstance(r, Record)
    assert (r.title, r.get("original-title")) == (
        "Peer support in German general practice", "Peer-Support in der deutschen Allgemeinmedizin")
    assert (r.issued.year, r.issued.season) == (1990, 4)
    assert (r.DOI, r.page, r.language) == ("10.5555/pubmed.90000002", None, "de")
    assert r.abstract[0].label is None
    assert r.abstract[0].paragraphs == ("One unstructured paragraph.", "And a second one.")
    assert [(u.type, u.DOI, u.PMID, u.issued) for u in r.updates] == [
        ("retraction", "10.5555/retraction.1", "90000010", (1991,)), ("erratum", "", None, ()),
        ("expression_of_concern", "", "90000011", (1990,))]
    assert validate(r) == r  # notices with and without a date are stored and read back


def test_own_vernacular_only_impossible_day_preprint():
    r = own()["90000003"]
    assert isinstance(r, Record)
    assert (r.title, r.get("original-title"), r.type) == ("Kamratstöd i primärvården", None,
                                                          "article")
    assert r.issued.parts == (2020, 2)  # 30 February cannot exist: the day is dropped
    assert (r.author[0].family, r.author[0].given) == ("Svensson", "AB")  # Initials stand in
    assert (r.DOI, r.PMCID, r.abstract, r.abstract_source) == (None, "PMC9000003", (), None)
    assert r.updates[0].type == "new_version"


def test_own_record_without_title_fails_alone():
    records = own()
    assert isinstance(records["90000006"], SourceError)
    assert "has no title" in str(records["90000006"])
    assert "90000099" not in records  # a DeleteCitation is not a record
    assert sum(isinstance(r, Record) for r in records.values()) == 5


def test_own_books():
    chapter, book = own()["90000004"], own()["90000005"]
    assert isinstance(chapter, Record) and isinstance(book, Record)
    assert (chapter.type, chapter.title, chapter.container_title) == (
        "chapter", "<i>PEER1</i>-Related Disorders", "Peer Reviews<sup>®</sup>")
    assert [n.family for n in chapter.author] == ["Napolitano"]
    assert [n.family for n in chapter.editor] == ["Adam"]
    assert [s.label for s in chapter.abstract] == ["Clinical characteristics", "Diagnosis/testing"]
    assert chapter.URL == "https://www.ncbi.nlm.nih.gov/books/NBK9004/"
    assert (book.type, book.title, book.ISBN, book.container_title) == (
        "book", "Peer Support: An Integrated Approach", ("1859962521",), None)
    assert [n.family for n in book.author] == ["Nussey", "Whitehead"]


@pytest.mark.parametrize(("pages", "expected"), [
    ("725-53", "725-753"), ("113-25", "113-125"), ("1116-1122", "1116-1122"), ("205-7", "205-207"),
    ("e2308706120", "e2308706120"), ("026002", "026002"), ("12-5, 18", "12-15, 18"),
    ("S12-4", "S12-14"), ("99-101", "99-101"),
])
def test_abbreviated_page_ranges_written_out(pages, expected):
    body = ("<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article>"
            f"<ArticleTitle>T.</ArticleTitle><Pagination><MedlinePgn>{pages}</MedlinePgn>"
            "</Pagination></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>")
    assert one(body.encode()).page == expected


@pytest.mark.parametrize(("pubdate", "parts", "end", "season"), [
    ("<MedlineDate>2014 Nov-Dec</MedlineDate>", (2014, 11), (2014, 12), None),
    ("<MedlineDate>1998 Dec-1999 Jan</MedlineDate>", (1998, 12), (1999, 1), None),
    ("<MedlineDate>2000-2001</MedlineDate>", (2000,), (), None),
    ("<Year>2013</Year><Season>Jan-Mar</Season>", (2013, 1), (2013, 3), None),
    ("<Year>1990</Year><Season>Spring</Season>", (1990,), (), 1),
    ("<Year>2017</Year><Month>06</Month>", (2017, 6), (), None),
    ("<Year>2017</Year><Month>Jun</Month><Day>5</Day>", (2017, 6, 5), (), None),
    ("<Year>2017</Year><Month>13</Month>", (2017,), (), None),
    ("<Year>2017</Year><Month>99999999999</Month><Day>99</Day>", (2017,), (), None),
])
def test_publication_dates_through_the_one_parser(pubdate, parts, end, season):
    body = ("<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article><Journal>"
            f"<JournalIssue><PubDate>{pubdate}</PubDate></JournalIssue></Journal>"
            "<ArticleTitle>T.</ArticleTitle></Article></MedlineCitation></PubmedArticle>"
            "</PubmedArticleSet>")
    issued = one(body.encode()).issued
    assert (issued.parts, issued.end, issued.season) == (parts, end, season)


# --- envelopes and safety ----------------------------------------------------------------------

def test_ncbi_error_envelopes():
    assert parse_efetch((OWN / "efetch_no_valid_id.xml").read_bytes()) == []
    with pytest.raises(SourceError, match=r"PubMed answered with an error \(proxy_stream\(\): "
                                          r"Failed to connect to PubOne service\)"):
        parse_efetch((OWN / "efetch_backend_error.xml").read_bytes())
    with pytest.raises(SourceError, match=r"PubMed could not run the search \(Invalid query\)"):
        parse_esearch((OWN / "esearch_error.xml").read_bytes())
    assert parse_esearch(ESEARCH_EMPTY.encode()) == []
    with pytest.raises(SourceError, match="not XML"):
        parse_efetch(b"<html><body><h1>503 Service Unavailable")
    with pytest.raises(SourceError, match="not a PubmedArticleSet"):
        parse_efetch(b"<eSearchResult><Count>0</Count></eSearchResult>")


def test_entities_are_refused_never_expanded():
    with pytest.raises(SourceError, match="not XML"):
        parse_efetch((OWN / "entity_bomb.xml").read_bytes())


def test_ncbi_doctype_is_allowed_but_not_loaded():
    # cases.xml starts with NCBI's DOCTYPE naming its DTD on dtd.nlm.nih.gov; there is no network
    # here, so parsing it at all shows the DTD is not fetched.
    assert len(parse_efetch((OWN / "cases.xml").read_bytes())) == 6


_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
                max_size=40)


def _xml_text(text: str) -> str:
    """Text as NCBI would escape it; characters XML 1.0 cannot hold at all are left out."""
    legal = "".join(c for c in text if c in "\t\n\r" or ord(c) >= 0x20 and c not in "\ufffe\uffff")
    return legal.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@settings(max_examples=150, deadline=None)
@given(title=_TEXT, label=_TEXT, abstract=_TEXT, family=_TEXT)
def test_any_text_becomes_clean_record_text(title, label, abstract, family):
    body = ("<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>7</PMID><Article>"
            f"<ArticleTitle>{_xml_text(title)}x</ArticleTitle><Abstract>"
            f'<AbstractText Label="{_xml_text(label).replace(chr(34), "")}">{_xml_text(abstract)}'
            f"</AbstractText></Abstract><AuthorList><Author><LastName>{_xml_text(family)}</LastName>"
            "</Author></AuthorList></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>")
    [(pmid, record)] = parse_efetch(body.encode())
    assert pmid == "7" and isinstance(record, Record)
    texts = [record.title, *(p for s in record.abstract for p in s.paragraphs),
             *(s.label or "" for s in record.abstract), *(n.family or "" for n in record.author)]
    for text in texts:
        assert markup.strip_controls(text) == text
        assert "\n" not in text and "  " not in text
    # Text from the source never turns into markup: only the title's own words are there.
    assert all(not span.styles for span in markup.parse(record.title))
    assert validate(record) == record


def test_show_lays_out_a_pubmed_record_on_a_terminal():
    from rich.console import Console

    from quarterly_cli.render import plain_view, rich_view

    record = own()["90000001"]
    assert isinstance(record, Record)
    console = Console(record=True, width=80, color_system="truecolor", force_terminal=True)
    console.print(rich_view(record))
    text = console.export_text()
    for line in ("Policy Points", "Context", "Methods", "Results", "Conclusions",
                 "Abstract: PubMed 90000001", "Keywords: health trainer; health inequalities",
                 "MeSH: Humans; Peer Group", "https://doi.org/10.5555/pubmed.90000001"):
        assert f"\n{line}\n" in text, line
    assert "\x9b" not in text and "[bold red]literal[/bold red]" in text
    no_doi = own()["90000003"]
    lines = plain_view(no_doi).splitlines()  # a preprint PubMed says was updated: banner first
    assert lines[0].startswith("NEW VERSION: New version, 2021, Milbank Q. 2021;99(1):1-20.")
    assert lines[lines.index("") + 1:][3:] == [
        "Article (Preprint)", "https://pubmed.ncbi.nlm.nih.gov/90000003/",
        "https://pmc.ncbi.nlm.nih.gov/articles/PMC9000003/", "", "No abstract."]
    console = Console(record=True, width=80, force_terminal=True)
    console.print(rich_view(no_doi))
    assert "No abstract." in console.export_text(clear=False)
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/90000003/"' in console.export_html()
