"""Find damaged text (mojibake) and report it as W301; the text itself is left as it is.

Signals: U+FFFD; two or more "?" in a row; a single "?" inside Han text that ends no
question (no question word before it); gibberish right next to those (rare characters outside
GB2312 and stray Latin capitals between Han characters) is included in the reported span.
"""
from __future__ import annotations

import regex

from ..errors import Warn
from .rules import Rules

_SUSPECT = regex.compile(r"\ufffd+|\?{2,}|(?<=\p{Han})\?(?=[!！\p{Han}A-Za-z])")
_QUESTION_WINDOW = 16
_MAX_WARNINGS = 50


def _rare(c: str) -> bool:
    """A Han char outside GB2312 level 1–2 or an ASCII letter: typical of mis-decoded bytes."""
    if "A" <= c <= "Z" or "a" <= c <= "z":
        return True
    if not ("\u4e00" <= c <= "\u9fff"):
        return False
    try:
        c.encode("gb2312")
    except UnicodeEncodeError:
        return True
    return False


def find_mojibake(text: str, rules: Rules) -> list[Warn]:
    """W301 warnings (offsets into ``text``) for every damaged run."""
    warns: list[Warn] = []
    if "?" not in text and "\ufffd" not in text:
        return warns  # every suspect run starts at a "?" or a U+FFFD
    last_end = -1
    for m in _SUSPECT.finditer(text):
        a, b = m.span()
        if a < last_end:
            continue
        if m.group(0) == "?":
            before = text[max(0, a - _QUESTION_WINDOW):a]
            after = text[b:b + 2]
            if rules.question.search(before) and "!" not in after and "！" not in after:
                continue  # a genuine question mark
        # widen over adjacent gibberish (rare chars, Latin letters, more "?")
        while a > 0 and (_rare(text[a - 1]) or text[a - 1] in "?\ufffd") and m.start() - a < 6:
            a -= 1
        while b < len(text) and (_rare(text[b]) or text[b] in "?\ufffd!") and b - m.end() < 6:
            b += 1
        # a rare char two places on (可??刹煌F髽I) keeps the run going
        j = b
        while j < len(text) and j - m.end() < 8 and "\u4e00" <= text[j] <= "\u9fff":
            if j + 1 < len(text) and _rare(text[j + 1]):
                b = j + 2
                while b < len(text) and _rare(text[b]):
                    b += 1
                j = b
            else:
                j += 1
        last_end = b
        if len(warns) < _MAX_WARNINGS:
            warns.append(Warn.make("W301", a, b, snippet=text[max(0, a - 2):b + 2]))
    return warns
