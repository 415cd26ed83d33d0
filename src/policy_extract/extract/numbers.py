"""The grammar of numbers in Chinese policy text: Arabic, Chinese and mixed (``1.5亿``, ``三十万``).

Every extractor reads numbers through here so that ``两千``, ``1,000``, ``13﹒9`` and
``一百二十`` mean the same thing everywhere.
"""
from __future__ import annotations

import math

import regex

DIGITS = {"零": 0, "〇": 0, "○": 0, "Ｏ": 0, "一": 1, "壹": 1, "二": 2, "两": 2, "贰": 2, "三": 3,
          "叁": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7,
          "八": 8, "捌": 8, "九": 9, "玖": 9}
SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG_UNITS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}

# Scale words written after a number (``40万元``, ``1.5亿``, ``5千万``), longest first.
SCALES: dict[str, float] = {
    "万亿": 1e12, "千亿": 1e11, "百亿": 1e10, "十亿": 1e9, "亿": 1e8, "千万": 1e7,
    "百万": 1e6, "十万": 1e5, "万": 1e4, "千": 1e3, "百": 1e2,
}

CN_DIGIT_CHARS = "零〇○一二两三四五六七八九壹贰叁肆伍陆柒捌玖"
CN_NUM_CHARS = CN_DIGIT_CHARS + "十拾百佰千仟万亿"

# An Arabic number: thousands separators, a decimal point written as . ． ﹒ or ·.
ARABIC = r"\d{1,3}(?:,\d{3})+(?:[.．﹒]\d+)?|\d+(?:[.．﹒·]\d+)?"
_DECIMAL_POINTS = str.maketrans({"．": ".", "﹒": ".", "·": "."})
_ARABIC_RE = regex.compile(rf"^(?:{ARABIC})$")
_ARABIC_SCALED = regex.compile(rf"^({ARABIC})(.+)$")  # 1.5亿: an Arabic number and a scale word


def parse_arabic(s: str) -> float:
    """``1,000`` → 1000.0; ``13﹒9`` → 13.9."""
    s = s.replace(",", "").replace("，", "").translate(_DECIMAL_POINTS)
    return float(s)


def parse_chinese(s: str) -> float:
    """``三十万`` → 300000; ``两千`` → 2000; ``一百二十`` → 120; ``二〇二三`` → 2023 (digit string)."""
    if not s:
        raise ValueError("empty numeral")
    if all(c in DIGITS for c in s) and len(s) > 1:
        # a digit string such as 二〇二三 (years) or 一二 (rare)
        return float("".join(str(DIGITS[c]) for c in s))
    total = 0.0  # completed big-unit groups
    section = 0.0  # current group below 万
    digit: float | None = None
    for c in s:
        if c in DIGITS:
            digit = DIGITS[c]
        elif c in SMALL_UNITS:
            section += (1 if digit is None else digit) * SMALL_UNITS[c]
            digit = None
        elif c in BIG_UNITS:
            unit = BIG_UNITS[c]
            group = section + (digit or 0)
            if group == 0:
                group = 1
            if total and total < unit:
                total = (total + group) * unit
            else:
                total += group * unit
            section, digit = 0.0, None
        else:
            raise ValueError(f"not a Chinese numeral: {s!r}")
    return total + section + (digit or 0)


def parse_number(s: str) -> float:
    """Any number as written: Arabic, Chinese, or Arabic with a scale word (``1.5亿`` → 1.5e8)."""
    s = s.strip()
    if _ARABIC_RE.match(s):
        return parse_arabic(s)
    m = _ARABIC_SCALED.match(s)
    if m:
        return parse_arabic(m.group(1)) * scale(m.group(2))
    return parse_chinese(s)


def scale(word: str) -> float:
    """``万`` → 1e4, ``千万`` → 1e7; empty → 1."""
    if not word:
        return 1.0
    if word in SCALES:
        return SCALES[word]
    try:
        return parse_chinese(word) if any(c in DIGITS for c in word) else _scale_product(word)
    except ValueError:
        raise ValueError(f"not a scale word: {word!r}") from None


def _scale_product(word: str) -> float:
    out = 1.0
    for c in word:
        out *= {**SMALL_UNITS, **BIG_UNITS}[c]
    return out


def tidy(x: float) -> int | float:
    """Whole numbers as int (``400000`` not ``400000.0``); others rounded off float noise."""
    if not math.isfinite(x):
        return x
    r = round(x, 6)
    return int(r) if r == int(r) else r
