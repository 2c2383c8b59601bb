"""LaTeX field values (from BibTeX) → CSL rich text.

Hand-written on purpose: pylatexenc's LatexNodes2Text (what bibtexparser's LatexDecodingMiddleware
uses) drops brace groups, and with them the case protection (`{NHS}`, `{England}`) that sentence
case must keep; it also drops `{\\TeX}`, `\\slash`, environments and math super/subscripts. Here:

- a brace group at the top level of a value becomes `<span class="nocase">` (a group that starts
  with a command, `{\\"u}` or `{\\it x}`, is BibTeX's "special character" and is not protected);
- `\\textit{}`/`\\emph{}`/`{\\it …}`/`\\begin{it}…\\end{it}` become `<i>`, bold `<b>`, math `^`/`_`
  and `\\textsuperscript{}`/`\\textsubscript{}` become `<sup>`/`<sub>`;
- accents (stacked ones too: `\\~{\\^e}` → ễ, `{\\'\\i}` → í) and special letters become Unicode;
- commands this module does not know are looked up in pylatexenc's own table (`\\textdegree`,
  `$\\alpha$`, `\\times`, …), which is imported only when such a command appears;
- a command neither knows is kept visible as written (`\\foo{bar}`), never silently deleted.

tests/test_bibtex_latex.py holds it against pylatexenc's decoding of the same text.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .. import markup

# Real values nest a few groups deep; a value nested deeper than this is refused rather than
# allowed to exhaust Python's stack.
MAX_NESTING = 100


class LatexError(ValueError):
    """LaTeX that cannot be read as written (`\\begin{bf}…\\end{it}`); the message says where."""


_ACCENT_MARKS = {"`": "\u0300", "'": "\u0301", "^": "\u0302", '"': "\u0308", "~": "\u0303",
                 "=": "\u0304", ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b",
                 "c": "\u0327", "k": "\u0328", "r": "\u030a", "d": "\u0323", "b": "\u0331",
                 "t": "\u0361", "G": "\u030f", "U": "\u030e", "h": "\u0309"}
# An accent with nothing to sit on (`\\^{}`) is the accent character itself.
_SPACING = {"`": "`", "'": "´", "^": "^", '"': "¨", "~": "~", "=": "¯", ".": "˙", "u": "˘",
            "v": "ˇ", "H": "˝", "c": "¸", "k": "˛", "r": "˚"}
# Commands that stand for a character (or a short text) and take no argument.
SYMBOLS = {
    "o": "ø", "O": "Ø", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "ss": "ß", "SS": "SS",
    "l": "ł", "L": "Ł", "aa": "å", "AA": "Å", "i": "ı", "j": "ȷ", "DH": "Ð", "dh": "ð",
    "DJ": "Đ", "dj": "đ", "TH": "Þ", "th": "þ", "NG": "Ŋ", "ng": "ŋ", "IJ": "Ĳ", "ij": "ĳ",
    "textendash": "–", "textemdash": "—", "textquoteright": "’", "textquoteleft": "‘",
    "textquotedblleft": "“", "textquotedblright": "”", "quotedblbase": "„",
    "quotesinglbase": "‚", "guillemotleft": "«", "guillemotright": "»", "guilsinglleft": "‹",
    "guilsinglright": "›", "textquotesingle": "'", "textquotedbl": '"', "ldots": "…",
    "dots": "…", "textellipsis": "…", "textbackslash": "\\", "textbraceleft": "{",
    "textbraceright": "}", "textasciitilde": "~", "textasciicircum": "^", "textunderscore": "_",
    "textbar": "|", "textless": "<", "textgreater": ">", "textdollar": "$", "S": "§", "P": "¶",
    "textsection": "§", "textparagraph": "¶", "copyright": "©", "textcopyright": "©",
    "textregistered": "®", "texttrademark": "™", "textdegree": "°", "textperthousand": "‰",
    "textbullet": "•", "textdagger": "†", "textdaggerdbl": "‡", "dag": "†", "ddag": "‡",
    "pounds": "£", "textsterling": "£", "texteuro": "€", "euro": "€", "textyen": "¥",
    "textcent": "¢", "textexclamdown": "¡", "textquestiondown": "¿", "slash": "/",
    "textslash": "/", "textperiodcentered": "·", "textmu": "µ", "textonehalf": "½",
    "textonequarter": "¼", "textthreequarters": "¾", "texttimes": "×", "textdiv": "÷",
    "textpm": "±", "textminus": "−", "textnumero": "№", "textcelsius": "℃",
    "TeX": "TeX", "LaTeX": "LaTeX", "LaTeXe": "LaTeX2ε", "BibTeX": "BibTeX", "XeTeX": "XeTeX",
    "LuaTeX": "LuaTeX", "AmS": "AmS", "nobreakspace": "\u00a0", "enskip": " ", "quad": " ",
    "qquad": " ", "space": " ", "newline": " ", "par": " ", "newblock": " ", "linebreak": " ",
    "break": " ", "relax": "", "protect": "", "ignorespaces": "", "unskip": "", "xspace": "",
    "nolinkurl": "", "hyphen": "-", "textnbhyphen": "\u2011", "textvisiblespace": "␣",
}
# Control symbols: `\&` and friends, spacing and break hints.
_CONTROL_SYMBOLS = {"&": "&", "%": "%", "$": "$", "#": "#", "_": "_", "{": "{", "}": "}",
                    " ": " ", "\\": " ", ",": "\u2009", ";": " ", ":": " ", "!": "", "-": "",
                    "/": "", "@": "", "|": "‖", "\n": " ", "\t": " ", "\r": " ", "*": ""}
# Commands whose one argument is styled (or only grouped).
_STYLED = {"textit": "i", "emph": "i", "textsl": "i", "mathit": "i", "textbf": "b",
           "mathbf": "b", "boldsymbol": "b", "bm": "b", "textsuperscript": "sup",
           "textsubscript": "sub", "sp": "sup", "sb": "sub", "nocase": "nocase", "NoCaseChange": "nocase",
           "textsc": "", "textrm": "", "textsf": "", "texttt": "", "textup": "", "textmd": "",
           "textnormal": "", "mbox": "", "hbox": "", "text": "", "mathrm": "", "mathsf": "",
           "mathtt": "", "mathnormal": "", "ensuremath": "",
           "uppercase": "", "lowercase": "", "MakeUppercase": "", "MakeLowercase": "",
           "enquote": "", "textenglish": "", "underline": ""}
# Declarations: `{\it text}`, `{\bfseries text}` style the rest of their group.
_DECLARATIONS = {"it": "i", "itshape": "i", "em": "i", "sl": "i", "slshape": "i", "bf": "b",
                 "bfseries": "b", "rm": "", "sf": "", "tt": "", "sc": "", "scshape": "",
                 "upshape": "", "normalfont": "", "mdseries": "", "small": "", "footnotesize": "",
                 "scriptsize": "", "tiny": "", "large": "", "Large": "", "LARGE": "", "huge": "",
                 "Huge": "", "normalsize": "", "selectlanguage": ""}
_ENVIRONMENTS = {**_DECLARATIONS, "emph": "i", "textit": "i", "textbf": "b", "quote": "",
                 "quotation": "", "center": "", "flushleft": "", "flushright": "",
                 "math": "math", "displaymath": "math", "equation": "math", "equation*": "math"}
# Commands whose argument is not printed (sort keys, hyphenation, index entries).
_SILENT = frozenset(("noopsort", "noop", "SortNoop", "sortnoop", "hyphenation", "index",
                     "label", "hspace", "vspace", "phantom", "hphantom", "vphantom", "kern"))

_TOKEN = re.compile(
    r"\\(?:[A-Za-z@]+\*?|.)|\\\Z|[{}$~^_]|[^\\{}$~^_]+", re.DOTALL)
_LIGATURES = re.compile(r"---|--|``|''|!`|\?`")
_LIGATURE_TEXT = {"---": "—", "--": "–", "``": "“", "''": "”", "!`": "¡", "?`": "¿"}


def _ligatures(text: str) -> str:
    return _LIGATURES.sub(lambda m: _LIGATURE_TEXT[m.group()], text) if _LIGATURES.search(
        text) else text


@lru_cache(maxsize=4096)
def _pylatexenc_macro(name: str) -> tuple[int, str | None] | None:
    """(number of arguments, replacement with `%s` per argument) from pylatexenc's tables,
    for commands this module's own tables lack; imported only when such a command appears."""
    from pylatexenc import latex2text, latexwalker

    text_spec = latex2text.get_default_latex_context_db().get_macro_spec(name)
    walk_spec = latexwalker.get_default_latex_context_db().get_macro_spec(name)
    argspec = getattr(getattr(walk_spec, "args_parser", None), "argspec", "") or ""
    if text_spec is None or set(argspec) - {"{"}:
        return None
    repl = text_spec.simplify_repl
    if callable(repl) or (isinstance(repl, str) and repl.replace("%s", "").count("%")):
        return None
    if isinstance(repl, str) and repl.count("%s") not in (0, len(argspec)):
        return None
    return len(argspec), repl


class _Parser:
    """A recursive reader over `_TOKEN`s. Produces CSL rich text (see markup.py)."""

    __slots__ = ("tokens", "pos", "value", "level")

    def __init__(self, value: str) -> None:
        self.value = value
        self.tokens = _TOKEN.findall(value)
        self.pos = 0
        self.level = 0  # groups, arguments and environments open: hostile input is bounded

    # -- helpers --
    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def skip_space(self) -> None:
        token = self.peek()
        if token is not None and token.isspace():
            self.pos += 1
        elif token is not None and token[:1].isspace() and token[0] != "\\":
            self.tokens[self.pos] = token.lstrip()

    def group_after(self) -> str | None:
        """If a `{…}` group follows (spaces allowed), its rich text; else None."""
        save = self.pos
        self.skip_space()
        if self.peek() == "{":
            self.pos += 1
            return self.sequence(depth=1, math=False, closer="}")
        self.pos = save
        return None

    def argument(self, math: bool) -> str:
        """One macro argument: a group, one command, or one character of text."""
        self.skip_space()
        token = self.peek()
        if token is None:
            return ""
        if token == "{":
            self.pos += 1
            return self.sequence(depth=1, math=math, closer="}")
        if token.startswith("\\"):
            self.pos += 1
            return self.command(token, depth=1, math=math)
        if token in "}$":
            return ""
        self.tokens[self.pos] = token[1:]
        if not token[1:]:
            self.pos += 1
        return markup.literal(token[0])

    # -- the grammar --
    def sequence(self, depth: int, math: bool, closer: str | None,
                 environment: str | None = None, declaration: bool = False) -> str:
        """Rich text up to `closer` (`}` or `$`), the `\\end` of `environment`, or — for the
        rest of a declaration's group (`declaration`) — the brace or `\\end` that closes it."""
        self.level += 1
        if self.level > MAX_NESTING:
            raise LatexError(f"groups are nested more than {MAX_NESTING} deep")
        try:
            return self._sequence(depth, math, closer, environment, declaration)
        finally:
            self.level -= 1

    def _sequence(self, depth: int, math: bool, closer: str | None,
                  environment: str | None, declaration: bool) -> str:
        out: list[str] = []
        while self.pos < len(self.tokens):
            token = self.tokens[self.pos]
            self.pos += 1
            if token == "}":
                if closer == "}":
                    return "".join(out)
                if depth == 0:
                    continue  # a stray closing brace at the top level is dropped
                self.pos -= 1  # closes the group this declaration/environment sits in
                return "".join(out)
            if token == "$":
                if math:
                    if closer == "$":
                        return "".join(out)
                    continue
                display = self.peek() == "$"
                if display:
                    self.pos += 1
                inner = self.sequence(depth, math=True, closer="$")
                if display and self.peek() == "$":
                    self.pos += 1
                out.append(inner)
                continue
            if token == "{":
                special = self._special_character()
                inner = self.sequence(depth + 1, math, closer="}")
                if depth == 0 and inner and not special and not math:
                    out.append(f'<span class="nocase">{inner}</span>')
                else:
                    out.append(inner)
                continue
            if token.startswith("\\"):
                if token == "\\end":
                    if declaration:
                        self.pos -= 1
                        return "".join(out)
                    name = self._environment_name()
                    if environment is None:
                        raise LatexError(f"\\end{{{name}}} without \\begin{{{name}}}")
                    if name != environment:
                        raise LatexError(
                            f"\\begin{{{environment}}} is closed by \\end{{{name}}}")
                    return "".join(out)
                if token in ("\\begin",):
                    out.append(self.environment(depth, math))
                    continue
                name = token[1:]
                if name in _DECLARATIONS:
                    self.skip_space()
                    rest = self.sequence(depth, math, closer=None, declaration=True)
                    out.append(_wrap(_DECLARATIONS[name], rest))
                    continue
                out.append(self.command(token, depth, math))
                continue
            if math and token in "^_":
                tag = "sup" if token == "^" else "sub"
                out.append(_wrap(tag, self.argument(math)))
                continue
            if token == "~":
                out.append("\u00a0")
                continue
            out.append(markup.literal(token if math else _ligatures(token)))
        if environment is not None and not declaration:
            raise LatexError(f"\\begin{{{environment}}} is never closed")
        return "".join(out)

    def _special_character(self) -> bool:
        """A group that opens with an accent or symbol command (`{\\"u}`, `{\\TeX}`) is
        BibTeX's "special character": it stands for letters and protects no case. A group
        that opens with a style (`{\\textit{…}}`, `{\\it …}`) protects, as biber reads it."""
        token = self.peek() or ""
        if not token.startswith("\\"):
            return False
        name = token[1:]
        return not (_STYLED.get(name) or name in _DECLARATIONS)

    def _environment_name(self) -> str:
        self.skip_space()
        if self.peek() != "{":
            return ""
        self.pos += 1
        name = []
        while self.pos < len(self.tokens) and self.tokens[self.pos] != "}":
            name.append(self.tokens[self.pos])
            self.pos += 1
        self.pos += 1
        return "".join(name).strip()

    def environment(self, depth: int, math: bool) -> str:
        name = self._environment_name()
        style = _ENVIRONMENTS.get(name, "")
        inner = self.sequence(depth, math or style == "math", closer=None, environment=name)
        return _wrap(style if style != "math" else "", inner)

    def command(self, token: str, depth: int, math: bool) -> str:
        name = token[1:]
        if not name:
            return "\\"
        if len(name) == 1 and not name.isalpha():
            if name in _ACCENT_MARKS:
                return self.accent(name, math)
            return _CONTROL_SYMBOLS.get(name, markup.literal(name))
        if name.endswith("*") and name not in _STYLED:
            name = name[:-1]
        if name in _ACCENT_MARKS:
            return self.accent(name, math)
        if name in SYMBOLS:
            self._after_word()
            return markup.literal(SYMBOLS[name])
        if name in _STYLED:
            inner = self.argument(math)
            return _wrap(_STYLED[name], inner)
        if name == "href":
            self.argument(math)
            return self.argument(math)
        if name in _SILENT:
            self.argument(math)
            return ""
        if name == "char":
            return self.char_code()
        if name == "ElsevierGlyph":  # Elsevier's exports: the code point in hexadecimal
            code = markup.plain(self.argument(math))
            return markup.literal(chr(int(code, 16))) if re.fullmatch(
                r"[0-9A-Fa-f]{1,6}", code) and int(code, 16) < 0x110000 else code
        if name in ("url", "path"):
            return self.verbatim()
        known = _pylatexenc_macro(name)
        if known is not None:
            nargs, repl = known
            if nargs == 0:
                self._after_word()
            args = [self.argument(math) for _ in range(nargs)]
            if repl is None:
                return "".join(args)
            pieces = repl.split("%s")
            out = [markup.literal(pieces[0])]
            for arg, piece in zip(args, pieces[1:], strict=False):
                out += [arg, markup.literal(piece)]
            return "".join(out)
        # Unknown: keep it visible, with the groups that follow it.
        out = [markup.literal("\\" + name)]
        while self.peek() == "{":
            self.pos += 1
            out.append("{" + self.sequence(depth + 1, math, closer="}") + "}")
        return "".join(out)

    def verbatim(self) -> str:
        """`\\url{…}`: the argument as written (`~` and `_` are part of the address)."""
        self.skip_space()
        if self.peek() != "{":
            return ""
        self.pos += 1
        out, depth = [], 1
        while self.pos < len(self.tokens):
            token = self.tokens[self.pos]
            self.pos += 1
            depth += token == "{"
            depth -= token == "}"
            if depth == 0:
                break
            out.append(token)
        return markup.literal("".join(out))

    def _after_word(self) -> None:
        """TeX skips the spaces after a control word, and `{}` is often written to stop it."""
        token = self.peek()
        if token == "{" and self.pos + 1 < len(self.tokens) and self.tokens[self.pos + 1] == "}":
            self.pos += 2
        else:
            self.skip_space()

    def char_code(self) -> str:
        """`\\char"4E2D`, `\\char'117`, `\\char65` → the character."""
        self.skip_space()
        token = self.peek() or ""
        match = re.match(r'\s*(?:"([0-9A-Fa-f]+)|\'([0-7]+)|(\d+))', token)
        if not match:
            return markup.literal("\\char")
        hex_, octal, dec = match.groups()
        code = int(hex_, 16) if hex_ else int(octal, 8) if octal else int(dec)
        rest = token[match.end():]
        if rest:
            self.tokens[self.pos] = rest
        else:
            self.pos += 1
        self._after_word()
        try:
            return markup.literal(chr(code))
        except (ValueError, OverflowError):
            return markup.literal(match.group())

    def accent(self, mark: str, math: bool) -> str:
        base = markup.plain(self.argument(math))
        if not base:
            return markup.literal(_SPACING.get(mark, ""))
        first = {"ı": "i", "ȷ": "j"}.get(base[0], base[0])
        return markup.literal(unicodedata.normalize("NFC", first + _ACCENT_MARKS[mark] + base[1:]))


def _wrap(tag: str, inner: str) -> str:
    if not tag or not inner:
        return inner
    if tag == "nocase":
        return f'<span class="nocase">{inner}</span>'
    return f"<{tag}>{inner}</{tag}>"


def _clean(value: str) -> str:
    """Controls removed; Unicode in NFC, the form every other source delivers (so that `é`
    typed as e + U+0301 and `{\\'e}` read the same)."""
    value = markup.strip_controls(value)
    if not value.isascii() and not unicodedata.is_normalized("NFC", value):
        value = unicodedata.normalize("NFC", value)
    return value


# Values without these characters hold no LaTeX, only text (most names, numbers and journals):
# they skip the parser.
_COMMANDS = re.compile(r"[\\{}$~^_]")


def _is_plain(value: str) -> bool:
    """Nothing to do at all: printable ASCII, single spaces, no ligature."""
    return (value.isascii() and value.isprintable() and "  " not in value
            and "--" not in value and "`" not in value and "''" not in value
            and value[:1] != " " and value[-1:] != " ")


# Text whose only LaTeX is brace groups without nesting (`{NHS} reform in {England}`, or
# `{{City}}` as Better BibTeX writes it), the most common kind after plain text, is read by a
# split instead of the parser; the result is the same (tests/test_bibtex_latex.py).
_FLAT_GROUP = re.compile(r"\{\{([^{}]*)\}\}|\{([^{}]*)\}")
_NOT_FLAT = re.compile(r"[\\$~^_]")


def _flat_groups(value: str) -> list[tuple[str, bool]] | None:
    """[(text, is_group), …] when `value` is plain text and flat groups only."""
    if _NOT_FLAT.search(value):
        return None
    parts = _FLAT_GROUP.split(value)
    out = []
    for n in range(0, len(parts), 3):
        text = parts[n]
        if "{" in text or "}" in text:
            return None
        out.append((text, False))
        if n + 2 < len(parts):
            out.append((parts[n + 1] if parts[n + 1] is not None else parts[n + 2], True))
    return out


# Journals, publishers, places and names repeat across a library: decoded once each.
@lru_cache(maxsize=1 << 13)
def latex_to_rich(value: str) -> str:
    """Decode a BibTeX field value to CSL rich text (see module docstring). LatexError when an
    environment is closed by the wrong `\\end`."""
    if not _COMMANDS.search(value):
        if _is_plain(value):
            return markup.literal(value)
        return markup.literal(markup.squash_space(_ligatures(_clean(value))))
    value = _clean(value)
    pieces = _flat_groups(value)
    if pieces is not None:
        out = []
        for piece, group in pieces:
            text = markup.literal(_ligatures(piece))
            out.append(f'<span class="nocase">{text}</span>' if group and piece else text)
        return markup.squash_space("".join(out))
    return markup.squash_space(_Parser(value).sequence(depth=0, math=False, closer=None))


@lru_cache(maxsize=1 << 13)
def latex_to_text(value: str) -> str:
    """Decode a BibTeX field value to plain text (names, journals, abstracts)."""
    if not _COMMANDS.search(value):
        return value if _is_plain(value) else markup.squash_space(_ligatures(_clean(value)))
    value = _clean(value)
    pieces = _flat_groups(value)
    if pieces is not None:
        return markup.squash_space("".join(_ligatures(piece) for piece, _ in pieces))
    # literal() guards tag-like text in rich text; plain text needs no guard.
    return markup.plain(latex_to_rich(value)).replace("<\u200d", "<")
