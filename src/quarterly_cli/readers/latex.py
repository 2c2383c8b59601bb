"""LaTeX field values (from BibTeX) → CSL rich text.

Hand-written on purpose: pylatexenc's LatexNodes2Text (what bibtexparser's LatexDecodingMiddleware
uses) drops brace groups, and with them the case protection (`{NHS}`, `{England}`) that sentence
case must keep. Here a brace group at the top level of a value becomes `<span class="nocase">`,
`\\textit{}`/`\\emph{}` become `<i>`, accent commands become Unicode, escaped specials become
the literal character. tests/test_readers.py holds it against pylatexenc's decoding of the same text.
"""

from __future__ import annotations

import re
import unicodedata

from .. import markup

_ACCENT_MARKS = {"`": "\u0300", "'": "\u0301", "^": "\u0302", '"': "\u0308", "~": "\u0303",
                 "=": "\u0304", ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b",
                 "c": "\u0327", "k": "\u0328", "r": "\u030a"}
_LETTERS = {"o": "ø", "O": "Ø", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "ss": "ß", "l": "ł",
            "L": "Ł", "aa": "å", "AA": "Å", "i": "ı", "j": "ȷ", "textendash": "–",
            "textemdash": "—", "textquoteright": "’", "textquoteleft": "‘", "ldots": "…",
            "textbackslash": "\\", "textbraceleft": "{", "textbraceright": "}",
            "textasciitilde": "~", "textasciicircum": "^", "S": "§",
            "P": "¶", "copyright": "©", "textregistered": "®", "texttrademark": "™"}
_STYLES = {"textit": "i", "emph": "i", "textsl": "i", "it": "i", "textbf": "b", "bf": "b",
           "textsuperscript": "sup", "textsubscript": "sub"}
_ESCAPES = set("&%$#_{}~^\\ ")
_LIGATURES = (("---", "—"), ("--", "–"), ("``", "“"), ("''", "”"))


class _Parser:
    def __init__(self, text: str, keep_braces: bool = False) -> None:
        self.text = text
        self.pos = 0
        self.keep_braces = keep_braces

    def group(self, depth: int) -> str:
        """Parse until the closing brace of this depth (or the end); return rich text."""
        out: list[str] = []
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            if ch == "}":
                self.pos += 1
                if depth > 0:
                    return "".join(out)
                continue  # stray closing brace at top level: drop it
            if ch == "{":
                self.pos += 1
                inner = self.group(depth + 1)
                if inner.startswith("\x00"):  # a command group such as {\"u} already decoded
                    out.append(inner[1:])
                elif depth == 0 and self.keep_braces:
                    out.append("{" + inner + "}")
                elif depth == 0 and inner:
                    out.append(f'<span class="nocase">{inner}</span>')
                else:
                    out.append(inner)
                continue
            if ch == "\\":
                out.append(self.command(depth))
                continue
            if ch == "$":
                self.pos += 1
                continue  # math shift: keep the content, drop the delimiters
            if ch == "~":
                out.append("\u00a0")
                self.pos += 1
                continue
            out.append(markup.literal(ch))
            self.pos += 1
        return "".join(out)

    def argument(self, depth: int) -> str:
        while self.pos < len(self.text) and self.text[self.pos] == " ":
            self.pos += 1
        if self.pos < len(self.text) and self.text[self.pos] == "{":
            self.pos += 1
            return self.group(depth + 1)
        if self.pos < len(self.text):
            if self.text[self.pos] == "\\":
                return self.command(depth)
            ch = self.text[self.pos]
            self.pos += 1
            return ch
        return ""

    def command(self, depth: int) -> str:
        self.pos += 1  # the backslash
        if self.pos >= len(self.text):
            return "\\"
        ch = self.text[self.pos]
        at_group_start = self.pos >= 2 and self.text[self.pos - 2] == "{"
        if ch in _ACCENT_MARKS and not ch.isalpha():
            self.pos += 1
            base = self.argument(depth)
            decoded = unicodedata.normalize("NFC", (base or " ") + _ACCENT_MARKS[ch])
            return ("\x00" if at_group_start and self._closes_group() else "") + decoded
        if ch in _ESCAPES:
            self.pos += 1
            return markup.literal(ch) if ch != " " else " "
        match = re.match(r"[A-Za-z]+", self.text[self.pos:])
        name = match.group() if match else ch
        self.pos += len(name)
        if name in _ACCENT_MARKS:  # \c{c}, \v{s}, \u{a} …
            base = self.argument(depth)
            decoded = unicodedata.normalize("NFC", (base or " ") + _ACCENT_MARKS[name])
            return ("\x00" if at_group_start and self._closes_group() else "") + decoded
        if name in _LETTERS:
            if self.text[self.pos:self.pos + 2] == "{}":
                self.pos += 2
            elif self.text[self.pos:self.pos + 1] == " ":
                self.pos += 1
            return ("\x00" if at_group_start and self._closes_group() else "") + _LETTERS[name]
        if name in _STYLES:
            inner = self.argument(depth)
            tag = _STYLES[name]
            return f"<{tag}>{inner}</{tag}>" if inner else ""
        # Unknown command: keep its argument's text if it has one.
        if self.text[self.pos:self.pos + 1] == "{":
            return self.argument(depth)
        return ""

    def _closes_group(self) -> bool:
        return self.text[self.pos:self.pos + 1] == "}"


def latex_to_rich(value: str) -> str:
    """Decode a BibTeX field value to CSL rich text (see module docstring)."""
    text = value
    for src, dst in _LIGATURES:
        text = text.replace(src, dst)
    rich = _Parser(markup.strip_controls(text)).group(0)
    return markup.squash_space(rich.replace("\x00", ""))


def decode_keeping_groups(value: str) -> str:
    """Decode accents and escapes but keep top-level brace groups, for BibTeX name lists:
    bibtexparser's name splitter must still see `{World Health Organization}` as one token, and
    must not see `\\~` (an accent) as a tie."""
    return _Parser(value, keep_braces=True).group(0).replace("\x00", "")


def latex_to_text(value: str) -> str:
    """Decode a BibTeX field value to plain text (names, journals, abstracts)."""
    return markup.plain(latex_to_rich(value))
