"""LaTeX in BibTeX values → CSL rich text (readers/latex.py)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pylatexenc.latex2text import LatexNodes2Text

from quarterly_cli.readers.latex import LatexError, _Parser, latex_to_rich, latex_to_text


@pytest.mark.parametrize(
    "latex",
    [r"M{\"u}ller", r"{\O}deg{\aa}rd", r"Nguy\~{\^e}n", r"Fran\c{c}ois", r"\'{E}cole",
     r"50\% \& rising", r"first\_year", r"Dvo\v{r}\'ak", r"na\"ive", r"Bront\"{e}",
     r"caf\'e au lait", r"{\ss}trasse", r"Erd\H{o}s", r"$\mu$m", r"\textdegree",
     r"$\alpha$-helix", r"\textquotesingle", r"{\'\i}", r"\DH\TH\dj\ng", r"\guillemotleft x",
     r"$\Sigma\Delta$", r"\textperthousand", r"\ldots", r"\textendash"],
)
def test_decoding_agrees_with_pylatexenc(latex):
    """Where pylatexenc (the reference decoder) and no case protection are involved, the same."""
    assert latex_to_text(latex) == LatexNodes2Text().latex_to_text(latex).strip()


@pytest.mark.parametrize(("latex", "rich"), [
    (r"$\mu$m", "μm"),
    (r"The {\TeX}book", "The TeXbook"),
    (r"40\textdegree{}C and Ca\slash{}Mg", "40°C and Ca/Mg"),
    (r"$\alpha$-helix", "α-helix"),
    (r"worth $16\times 16$ words", "worth 16×16 words"),
    (r"D\textquotesingle aspremont", "D'aspremont"),
    (r"Mart{\'\i}n", "Martín"),
    (r"Nguy{\~{\^e}}n", "Nguyễn"),
    (r"$e=mc^2$ and DNA$_2$ and H$_{2}$O", "e=mc<sup>2</sup> and DNA<sub>2</sub> and H<sub>2</sub>O"),
    (r"a\begin{it}b\end{it}c", "a<i>b</i>c"),
    (r"a\begin{bf}b\end{bf}c", "a<b>b</b>c"),
    (r"\begin{it}x \bf y\end{it}", "<i>x <b>y</b></i>"),
    (r"{\it Homo sapiens} {\em et al.}", '<span class="nocase"><i>Homo sapiens</i></span> '
                                         '<span class="nocase"><i>et al.</i></span>'),
    (r"{NHS} Reform in \emph{England} and {\"U}ber", '<span class="nocase">NHS</span> Reform in '
                                                     "<i>England</i> and Über"),
    (r"Tensor{F}low {{City}}", 'Tensor<span class="nocase">F</span>low '
                               '<span class="nocase">City</span>'),
    (r"\textsuperscript{th} \textsubscript{2}", "<sup>th</sup> <sub>2</sub>"),
    (r"18--64, 1939---1945, ``quoted''", "18–64, 1939—1945, “quoted”"),
    (r"\url{http://x.org/~a_b}", "http://x.org/~a_b"),
    (r"\href{http://x.org}{the site}", "the site"),
    (r'{\char"4E2D}\char65', "中A"),
    (r"x < y > z <i>", "x < y > z <\u200di>"),
])
def test_rich_text(latex, rich):
    assert latex_to_rich(latex) == rich


@pytest.mark.parametrize(("latex", "shown"), [
    (r"\foo{bar} x", r"\foo{bar} x"),
    (r"a \unknownmacro b", r"a \unknownmacro b"),
])
def test_an_unknown_command_stays_visible(latex, shown):
    assert latex_to_text(latex) == shown


@pytest.mark.parametrize("latex", [r"a\begin{bf}b\end{it}c", r"a\end{it}", r"\begin{it}never"])
def test_mismatched_environments_are_errors(latex):
    with pytest.raises(LatexError):
        latex_to_rich(latex)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.text("abcAB -'`", max_size=6),
                          st.text("abcAB -", max_size=6).map(lambda t: "{" + t + "}"),
                          st.text("abcAB -", max_size=6).map(lambda t: "{{" + t + "}}")),
                max_size=6).map("".join))
def test_flat_groups_read_as_the_parser_reads_them(value):
    """The split used for `{NHS}`-style values gives what the parser gives."""
    from quarterly_cli import markup

    parsed = markup.squash_space(_Parser(value).sequence(depth=0, math=False, closer=None))
    assert markup.parse(latex_to_rich(value)) == markup.parse(parsed)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(st.characters(exclude_categories=("Cs",)),
                          st.sampled_from(["\x1b", "\x1b[31m", "\x9b", "\x7f", "\t", "\n"])),
                max_size=30).map("".join))
def test_clean_skips_the_control_pass_only_when_there_is_nothing_to_remove(value):
    """latex._clean leaves printable text to itself; the result is always that of removing the
    controls and normalising to NFC."""
    import unicodedata

    from quarterly_cli import markup
    from quarterly_cli.readers.latex import _clean

    assert _clean(value) == unicodedata.normalize("NFC", markup.strip_controls(value))


# --- markup.escape_latex against the plain table ---------------------------------------------

def _escape_latex_reference(text: str) -> str:
    """markup.escape_latex as it was written before it was made fast: one str.translate with the
    table of the ten specials, then an empty group inside every ligature."""
    import re

    from quarterly_cli.markup import _LATEX_SPECIALS

    return re.sub(r"(?<=-)(?=-)|(?<=`)(?=`)|(?<=')(?=')|(?<=[!?])(?=`)", "{}",
                  text.translate(str.maketrans(_LATEX_SPECIALS)))


@settings(max_examples=2000, derandomize=True, deadline=None)
@given(st.one_of(st.text(max_size=40),
                 st.text(st.sampled_from(list("\\{}&%$#_~^-`'!? ab")), max_size=30)))
def test_escape_latex_is_the_table_applied(text):
    from quarterly_cli.markup import escape_latex

    assert escape_latex(text) == _escape_latex_reference(text)
