"""Character-level steps: full-width digits/letters to half-width, odd spaces and line breaks.

Each keeps the text's length where it maps one char to one char (so offsets are untouched)
and deletes invisible characters; Chinese punctuation (，。、：（）《》“”) is left as it is:
the whole text is deliberately not NFKC-normalized.
"""
from __future__ import annotations

import re

import regex

from .offsets import Buf, StepLog

# one char -> one char
_TABLE: dict[int, str] = {c: chr(c - 0xFEE0) for c in range(0xFF10, 0xFF1A)}  # ０-９
_TABLE.update({c: chr(c - 0xFEE0) for c in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ
_TABLE.update({c: chr(c - 0xFEE0) for c in range(0xFF41, 0xFF5B)})  # ａ-ｚ
_TABLE.update({0xFF05: "%", 0xFE6A: "%"})  # ％ ﹪
# dingbat circled numbers (❶ ➀ ➊, a WeChat page's item markers) are the labels ① … ⑩
for _base in (0x2776, 0x2780, 0x278A):
    _TABLE.update({_base + i: chr(0x2460 + i) for i in range(10)})
# spaces of every width -> " "; other line/page separators -> "\n"
for _c in (0x3000, 0x00A0, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009,
           0x200A, 0x202F, 0x205F, 0x1680, 0x0009):
    _TABLE[_c] = " "
for _c in (0x000B, 0x000C, 0x0085, 0x2028, 0x2029):
    _TABLE[_c] = "\n"

# plain character sets scan every char of every document: the standard ``re`` engine does
# that several times faster than ``regex`` (and means exactly the same for them)
# (one class, a "\r" then kept only before a "\n": an alternation would be tried at every
# position, a class is a table lookup per char)
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad\r](?:(?<!\r)|(?=\n))")
# a full-width or small full stop between two digits is a decimal point: 13﹒9% -> 13.9%
# and one after a line-start number is a label's (5． -> 5.), spaces before it or not (the
# line pass strips them later: the label must read the same before and after)
_DOT = regex.compile(r"(?<=\d)[．﹒](?=\d)|(?<=^[^\S\n]*\d{1,2})．", regex.MULTILINE)


# a scan's letter O or l read inside a number: 5O万元 -> 50万元, 1l0 -> 110 (only between a
# digit and a digit or a money/percent unit, where no word can stand)
# (and the ideographic zero 〇 read inside an Arabic number: 2〇% -> 20%, 5〇0万元 -> 500万元;
# 二〇二六年 keeps it: no Arabic digit before it)
_OCR_DIGIT = re.compile(r"(?<=\d)(?:[Oo〇](?=\d|[万亿萬億千元%])|[lI](?=\d))")
_OCR_TABLE = {"O": "0", "o": "0", "〇": "0", "l": "1", "I": "1"}
# a scan's 曰 for 日 right after a day's number (2026年4月2曰): the date's own character
_OCR_DAY = re.compile(r"(?<=月\d)曰|(?<=月\d\d)曰")


# emoji (✅一、…, 🌱 **一、…**, 发放文旅消费券🎫, 点击下方👇): pictures, no text, and a label after
# one would no longer start its line; the emoji-presentation selector goes too, and so does
# the keycap mark but after a digit, where it becomes a space (1️⃣住宿券 → 1 住宿券).
# Text-style symbols used as bullets (▶ ● ■ ◆ ★) are kept: the patterns read them. A plain
# range test finds the rare text that holds any candidate first.
_EMOJI_RANGE = re.compile(r"[\U0001F000-\U0001FAFF\u2300-\u2BFF\ufe0f\u20e3]")
_EMOJI = regex.compile(r"\p{Emoji_Presentation}\p{Emoji_Modifier}?\ufe0f?"
                       # a text-default picture of the emoji planes (🏘 四、 without its U+FE0F)
                       r"|(?=\p{Extended_Pictographic})[\U0001F000-\U0001FAFF]\p{Emoji_Modifier}?\ufe0f?"
                       r"|\p{Extended_Pictographic}\ufe0f|\ufe0f|(?<!\d\ufe0f?)\u20e3")
# …小编带你一文读懂👇 / 为帮助企业…: a pointing-down emoji ending a line ends its sentence as a
# colon does (see below:); deleted, it would leave the line open and the wrap join would run it
# into the next paragraph (batch 104)
_POINT_DOWN_END = re.compile(r"[\U0001F447\u2B07\U0001F53D](?=[\ufe0f\U0001F3FB-\U0001F3FF]*[^\S\n]*(?:\n|$))")
_CHANGED = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_TABLE) if c != 0x09) + "]")


def to_halfwidth(buf: Buf, log: StepLog) -> Buf:
    """Full-width digits/Latin/％ to ASCII, odd spaces to " ", decimal full stops to ".",
    dingbat circled numbers (❶ ➀ ➊) to ① … ⑩."""
    text = buf.text
    has_emoji = _EMOJI_RANGE.search(text) is not None
    if has_emoji and _POINT_DOWN_END.search(text):
        for m in _POINT_DOWN_END.finditer(text):
            log.add(f"{m.group(0)}->'：' (line end)", text=m.group(0))
        buf = buf.same_length(_POINT_DOWN_END.sub("：", text))
        text = buf.text
    # delete invisible chars, emoji and the \r of \r\n first (a deletion: offsets follow)
    spans = [m.span() for m in _INVISIBLE.finditer(text)]
    if has_emoji:
        spans = sorted(spans + [m.span() for m in _EMOJI.finditer(text)])
    for a, _ in spans:
        log.add(repr(text[a]), text=text[a])
    if spans:
        buf = buf.delete(spans)
        text = buf.text
    changed = _CHANGED.findall(text)
    if log.records is None:  # the same as log.add per char, without a call per char
        log.changes += len(changed)
        log.examples += [f"{c}->{_TABLE[ord(c)]!r}" for c in changed[:max(0, log.limit - len(log.examples))]]
    else:
        for c in changed:
            log.add(f"{c}->{_TABLE[ord(c)]!r}", text=c)
    has_dot = "．" in text or "﹒" in text
    if has_dot:
        for m in _DOT.finditer(text):
            log.add(f"{m.group(0)}->.", text=m.group(0))
    # the table maps only the chars _CHANGED finds plus "\t", one char to one char, and
    # no char to a key of the table: one str.replace per distinct char found is the same
    # as str.translate, and far faster on long Chinese texts (translate looks up every char)
    new = text
    for c in dict.fromkeys(changed):
        new = new.replace(c, _TABLE[ord(c)])
    if "\t" in new:
        new = new.replace("\t", " ")
    if "\u20e3" in new:  # a digit's keycap mark (the others went with the emoji) is the
        new = new.replace("\u20e3", " ")  # space after a label: 1️⃣住宿券 → 1 住宿券 (batch 57)
    if "\r" in new:
        new = new.replace("\r", "\n")
    if has_dot:
        new = _DOT.sub(".", new)
    if _OCR_DIGIT.search(new):
        for m in _OCR_DIGIT.finditer(new):
            log.add(f"{m.group(0)}->{_OCR_TABLE[m.group(0)]!r} (scan)", text=m.group(0))
        new = _OCR_DIGIT.sub(lambda m: _OCR_TABLE[m.group(0)], new)
    if "曰" in new and _OCR_DAY.search(new):
        for m in _OCR_DAY.finditer(new):
            log.add("曰->'日' (scan)", text=m.group(0))
        new = _OCR_DAY.sub("日", new)
    return buf.same_length(new) if new != text else buf
