"""HTML, JATS and MathML from Crossref → CSL rich text (markup.from_html_fragment, markup.RichText,
jats.parse_abstract): the cleaning every source shares."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quarterly_cli import markup
from quarterly_cli.errors import SourceError
from quarterly_cli.sources.crossref import record_from_work
from quarterly_cli.sources.jats import parse_abstract

MML = 'xmlns:mml="http://www.w3.org/1998/Math/MathML"'
NS = 'xmlns="http://www.w3.org/1998/Math/MathML"'


def mml(body: str) -> str:
    return f"<mml:math {MML}>{body}</mml:math>"


def nc(rich: str) -> str:
    """Math comes out protected from case changes."""
    return f'<span class="nocase">{rich}</span>'


@pytest.mark.parametrize("raw, rich", [
    # MathML: scripts, prescripts, operators, and the spaces around math written without them
    ("the" + mml("<mml:mrow><mml:mi>N</mml:mi><mml:mo>=</mml:mo><mml:mn>88</mml:mn></mml:mrow>")
     + "nucleus" + mml("<mml:mmultiscripts><mml:mi>Tb</mml:mi><mml:mprescripts/><mml:none/>"
                       "<mml:mn>153</mml:mn></mml:mmultiscripts>"),
     f"the {nc('N = 88')} nucleus {nc('<sup>153</sup>Tb')}"),
    (mml("<mml:msub><mml:mrow><mml:mi>LaSrVO</mml:mi></mml:mrow><mml:mn>4</mml:mn></mml:msub>")
     + ": a candidate", nc("LaSrVO<sub>4</sub>") + ": a candidate"),
    ("Let a" + mml("<mml:mi>M</mml:mi>") + "-matrix be", f"Let a {nc('M')}-matrix be"),
    ("with" + mml("<mml:msup><mml:mi>L</mml:mi><mml:mn>1</mml:mn></mml:msup>") + "Data",
     f"with {nc('L<sup>1</sup>')} Data"),
    ("Jordan" + mml("<mml:mo>∗</mml:mo>") + "-Derivations", f"Jordan{nc('∗')}-Derivations"),
    ("on" + mml("<mml:msup><mml:mi>C</mml:mi><mml:mo>∗</mml:mo></mml:msup>") + "-Algebras",
     f"on {nc('C<sup>∗</sup>')}-Algebras"),
    (f"More on <math {NS}>\n  <mi>D</mi>\n  <mi>α</mi>\n</math>-Closed Sets",
     f"More on {nc('Dα')}-Closed Sets"),
    (mml("<mml:msubsup><mml:mtext>Σ</mml:mtext><mml:mi>g</mml:mi><mml:mo>+</mml:mo></mml:msubsup>"),
     nc("Σ<sub>g</sub><sup>+</sup>")),
    (mml("<mml:mi>x</mml:mi><mml:mo>−</mml:mo><mml:msqrt><mml:mi>y</mml:mi><mml:mo>+</mml:mo>"
         "<mml:mn>1</mml:mn></mml:msqrt>"), nc("x − √(y + 1)")),
    (mml("<mml:mover accent='true'><mml:mi>B</mml:mi><mml:mo>→</mml:mo></mml:mover>"
         "<mml:mfenced><mml:mi>r</mml:mi><mml:mi>t</mml:mi></mml:mfenced>"), nc("B⃗(r, t)")),
    (mml("<mml:semantics><mml:mi>x</mml:mi><mml:annotation encoding='TeX'>x</mml:annotation>"
         "</mml:semantics>"), nc("x")),
    (mml("<mml:msub><mml:mi>lim</mml:mi><mml:mrow><mml:mi>n</mml:mi><mml:mo>→</mml:mo>"
         "<mml:mi>∞</mml:mi></mml:mrow></mml:msub><mml:mo>\u2061</mml:mo><mml:mi>a</mml:mi>"),
     nc("lim<sub>n→∞</sub>a")),
    ("cold sensations;" + mml("<mml:mi>n</mml:mi><mml:mo>=</mml:mo><mml:mn>1209</mml:mn>") + ")",
     f"cold sensations; {nc('n = 1209')})"),
    ("math that is not XML <mml:math><mml:mi>x&nbsp;</mml:mi></mml:math>here",
     f"math that is not XML {nc('x')} here"),
    # small capitals: upper case, protected
    ("trait data in <scp>r</scp>", 'trait data in <span class="nocase">R</span>'),
    ("The role of\n   <scp>AI</scp>\n   in ecology",
     'The role of <span class="nocase">AI</span> in ecology'),
    ("<scp>T</scp>reebase", '<span class="nocase">T</span>reebase'),
    # the second decoding pass: escaped tags, double-escaped entities
    ("A &lt;scp&gt;dual‐input&lt;/scp&gt; converter",
     'A <span class="nocase">DUAL‐INPUT</span> converter'),
    ("IN AN INFANT&lt;subtitle&gt;Successful Treatment&lt;/subtitle&gt;",
     "IN AN INFANT: Successful Treatment"),
    ("Is it? <subtitle>Yes</subtitle>", "Is it? Yes"),
    ("ecology &amp;amp; evolution", "ecology & evolution"),
    ("P &amp;lt; 0.05", "P < 0.05"),
    ("P &lt; 0.05 &gt; Q", "P < 0.05 > Q"),
    ("R&D and AT&T&nothing", "R&D and AT&T&nothing"),
    # white space: brackets, the edges of inline tags, pretty-printed XML
    ("giant clams (\n   <i>Tridacna maxima</i>\n   ) distractible?",
     "giant clams (<i>Tridacna maxima</i>) distractible?"),
    ("fish,\n   <i>Eleutheronema</i>\n   , and", "fish, <i>Eleutheronema</i>, and"),
    ("Co<sub>1+x\n   </sub>Mn<sub>2−x\n   </sub>O<sub>4</sub>",
     "Co<sub>1+x</sub>Mn<sub>2−x</sub>O<sub>4</sub>"),
    ("detecting\n  <i>KRAS</i>\n  /\n  <i>NRAS</i>\n  mutations",
     "detecting <i>KRAS</i>/<i>NRAS</i> mutations"),
    ("a <i> spaced </i>word", "a <i>spaced</i> word"),
    ("plain ( text ) [ too ]", "plain (text) [too]"),
    # tags: HTML and JATS spellings, unknown ones dropped, unbalanced ones closed
    ("<em>a</em> <strong>b</strong> <italic>c</italic> <jats:bold>d</jats:bold>",
     "<i>a</i> <b>b</b> <i>c</i> <b>d</b>"),
    ('<span style="x">kept</span> <a href="u">text</a><br/>next', "kept text next"),
    ("<i>open <b>inner</i> after</b>", "<i>open <b>inner</b></i> after"),
    ("<i></i>empty <sub> </sub>tags", "empty tags"),
    ("<![CDATA[<i>in cdata</i>]]> <!-- a comment -->done", "<i>in cdata</i> done"),
    ("&lt;i&gt;escaped&lt;/i&gt; and <i>raw</i>", "<i>escaped</i> and <i>raw</i>"),
])
def test_from_html_fragment(raw, rich):
    assert markup.from_html_fragment(raw) == rich


def test_text_that_reads_as_a_csl_tag_is_neutralised():
    # `&lt;b class=x&gt;` is not a plain escaped tag: it stays text, and cannot become markup.
    rich = markup.from_html_fragment("a &lt;span class=&quot;nocase&quot;&gt; b")
    assert markup.plain(rich) == rich.replace("\u200d", "")
    assert '<span class="nocase">' not in rich


def test_controls_and_terminal_escapes_removed_inside_and_between_tags():
    rich = markup.from_html_fragment("\x1b]8;;http://x\x07A\x1b]8;;\x07 <i>b\x1b[31m</i>\x07c")
    assert rich == "A <i>b</i>c"


def test_deeply_nested_math_is_read_as_text_not_a_recursion_error():
    deep = 5000
    rich = markup.from_html_fragment(
        "a" + mml("<mml:mrow>" * deep + "<mml:mi>x</mml:mi>" + "</mml:mrow>" * deep))
    assert rich == f"a {nc('x')}"


# --- JATS -----------------------------------------------------------------------------------

def test_deeply_nested_jats_is_read_as_text_not_a_recursion_error():
    deep = 5000
    sections, _ = parse_abstract("<jats:p>" + "<jats:bold>" * deep + "deep" + "</jats:bold>" * deep
                                 + "</jats:p>")
    (paragraph,) = sections[0].paragraphs
    assert markup.plain(paragraph) == "deep" and balanced(paragraph)


def test_jats_escaped_html_inside_paragraphs_is_read():
    sections, _ = parse_abstract(
        "<jats:p>&lt;p&gt;Profil mahasiswa tipe &lt;em&gt;guardian, artisan,&lt;/em&gt; dan "
        "&lt;em&gt;idealist &lt;/em&gt;dalam masalah.&lt;/p&gt;</jats:p>")
    assert sections[0].paragraphs == (
        "Profil mahasiswa tipe <i>guardian, artisan,</i> dan <i>idealist</i> dalam masalah.",)


def test_jats_small_caps_and_inline_formula_indentation():
    sections, _ = parse_abstract(
        "<jats:p>near the H <jats:sc>i</jats:sc> disk of HepG2-OATP1B1<jats:inline-formula>\n"
        f"  <math {NS}>\n    <mo>∗</mo>\n  </math>\n</jats:inline-formula>1a cells</jats:p>")
    assert sections[0].paragraphs == (
        f'near the H <span class="nocase">I</span> disk of HepG2-OATP1B1{nc("∗")}1a cells',)


def test_jats_alternatives_give_the_formula_once():
    sections, _ = parse_abstract(
        "<jats:p>a<jats:inline-formula><jats:alternatives>"
        f"<mml:math {MML}><mml:msup><mml:mi>x</mml:mi><mml:mn>2</mml:mn></mml:msup></mml:math>"
        "<jats:tex-math>x^2</jats:tex-math><jats:inline-graphic/></jats:alternatives>"
        "</jats:inline-formula>b</jats:p>")
    assert sections[0].paragraphs == (f"a {nc('x<sup>2</sup>')} b",)


def test_jats_that_is_not_xml_keeps_paragraph_breaks_and_markup():
    sections, _ = parse_abstract("<jats:p>One &amp; H<jats:sub>2</jats:sub>O.</jats:p>"
                                 "<jats:p>Two&nbsp;&mdash; three &c</jats:p>")
    assert sections[0].paragraphs == ("One & H<sub>2</sub>O. Two — three &c",)


# --- properties -----------------------------------------------------------------------------

_CSL_TAG = re.compile(r'<(/?)(i|b|sup|sub|span)(?: class="nocase")?>')


def balanced(rich: str) -> bool:
    stack: list[str] = []
    for m in _CSL_TAG.finditer(rich):
        if m.group(1):
            if not stack or stack.pop() != m.group(2):
                return False
        else:
            stack.append(m.group(2))
    return not stack


_PIECES = st.sampled_from([
    "<i>", "</i>", "<b>", "</sub>", "<sup>", "<scp>", "</scp>", "<em>", "<script>", "</span>",
    '<span class="nocase">', "&lt;i&gt;", "&lt;/scp&gt;", "&amp;amp;", "&amp;lt;b&gt;", "&#27;",
    "&#x85;", "\x1b[31m", "\x1b]8;;x\x07", "\x07", "\n", " ", "(", ")", "[", "{", "}", "\\",
    "<subtitle>", "<br/>", "<!--", "-->", "<![CDATA[", "]]>", "a", "Z", "é", "1", "<", ">", "&",
    mml("<mml:mi>x</mml:mi>"), f"<math {NS}><msub><mi>a", "</msub></math>", "<mml:math>",
])
_FRAGMENTS = st.lists(st.one_of(_PIECES, st.text(max_size=5)), max_size=20).map("".join)


@settings(max_examples=200, deadline=None)
@given(_FRAGMENTS)
def test_any_fragment_gives_balanced_csl_markup_without_controls(raw):
    rich = markup.from_html_fragment(raw)
    assert balanced(rich)
    assert not re.search(r"[\x00-\x1f\x7f-\x9f]", rich)
    assert rich == rich.strip() and "  " not in rich
    # Every `<` left in the text either opens a CSL tag or cannot be read as one.
    assert markup.parse(rich) == markup.parse(markup.unparse(markup.parse(rich)))


@settings(max_examples=200, deadline=None)
@given(_FRAGMENTS)
def test_any_jats_gives_balanced_paragraphs(raw):
    sections, points = parse_abstract(f"<jats:p>{raw}</jats:p>")
    for paragraph in [p for s in sections for p in s.paragraphs] + list(points):
        assert balanced(paragraph)
        assert not re.search(r"[\x00-\x1f\x7f-\x9f]", paragraph)


_HOSTILE = st.one_of(st.text(max_size=12), _FRAGMENTS, st.integers(), st.none(),
                     st.lists(st.text(max_size=6), max_size=3))


@settings(max_examples=200, deadline=None)
@given(title=_FRAGMENTS, container=_HOSTILE, family=_HOSTILE, publisher=_HOSTILE,
       event=_HOSTILE, isbn=_HOSTILE, relation=_HOSTILE, funder=_HOSTILE, kind=_HOSTILE)
def test_hostile_work_record_is_mapped_or_refused_cleanly(title, container, family, publisher,
                                                          event, isbn, relation, funder, kind):
    work = {"DOI": "10.1/x", "title": [title], "container-title": container,
            "author": [{"family": family, "given": "A"}], "editor": [{"name": family}],
            "publisher": publisher, "event": {"name": event, "location": event},
            "ISBN": isbn, "isbn-type": [{"value": isbn, "type": "print"}],
            "relation": {"has-preprint": [{"id": relation, "id-type": "doi"}]},
            "funder": [{"name": funder}], "subtype": kind, "type": "posted-content"}
    try:
        record = record_from_work(work)
    except SourceError:
        assert not markup.from_html_fragment(title)  # refused only for want of a title
        return
    texts = [record.title, *record.variables.values(), *record.funder, *record.ISBN,
             *(n.family or n.literal or "" for ns in record.names.values() for n in ns)]
    for text in texts:
        assert not re.search(r"[\x00-\x1f\x7f-\x9f]", text)
    assert balanced(record.title)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=6) | _PIECES,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["name", "value", "type", "DOI", "id", "URL", "family", "date-parts",
                         "start", "location", "place", "updated", "record-id"]), inner,
        max_size=3),
    max_leaves=10)
_FIELDS = ["author", "editor", "translator", "chair", "container-title", "ISBN", "isbn-type",
           "ISSN", "issn-type", "license", "funder", "update-to", "updated-by", "relation",
           "institution", "event", "subtitle", "original-title", "short-title", "degree",
           "group-title", "subtype", "type", "abstract", "description", "published-print",
           "published-online", "approved", "standards-body", "page", "article-number"]


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(_FIELDS), _JSON, max_size=8))
def test_any_shape_of_work_record_is_mapped_or_refused_with_a_source_error(fields):
    work = {"DOI": "10.1/x", "title": ["A title"], **fields}
    try:
        record = record_from_work(work)
    except SourceError:
        return
    assert record.DOI == "10.1/x" and balanced(record.title)



def test_an_issn_type_that_is_not_a_string_is_ignored():
    from quarterly_cli.sources.crossref import record_from_work

    record = record_from_work({"DOI": "10.5555/i", "title": ["T"], "ISSN": ["1234-5678"],
                               "issn-type": [{"type": [], "value": "x"}, {"type": "print",
                                                                           "value": "1234-5678"}]})
    assert record.ISSN == ("1234-5678",)
