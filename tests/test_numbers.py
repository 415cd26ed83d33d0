"""The numeral grammar (extract/numbers.py) and the number parser of extract/quantity.py."""
from __future__ import annotations

import pytest

from policy_extract.extract.numbers import parse_arabic, parse_chinese, parse_number, scale, tidy
from policy_extract.extract.quantity import parse, scale_only


@pytest.mark.parametrize("text, value", [
    ("1,000", 1000), ("0.02", 0.02), ("13﹒9", 13.9), ("13．6", 13.6), ("3989", 3989),
])
def test_parse_arabic(text, value):
    assert parse_arabic(text) == pytest.approx(value)


@pytest.mark.parametrize("text, value", [
    ("三十万", 300_000), ("两千", 2000), ("一百二十", 120), ("十", 10), ("十万", 100_000),
    ("亿", 1e8), ("千万", 1e7), ("百万", 1e6), ("一千二百万", 12_000_000), ("五千万", 5e7),
    ("二〇二三", 2023),
])
def test_parse_chinese(text, value):
    assert parse_chinese(text) == value


@pytest.mark.parametrize("text, value", [
    ("1.5亿", 1.5e8), ("5千万", 5e7), ("40万", 4e5), ("1.5万亿", 1.5e12), ("三十万", 3e5),
])
def test_parse_number_mixed(text, value):
    assert parse_number(text) == pytest.approx(value)


def test_scale_words():
    assert scale("万") == 1e4 and scale("千万") == 1e7 and scale("") == 1


def test_tidy_makes_whole_numbers_ints():
    assert tidy(400000.0) == 400000 and isinstance(tidy(400000.0), int)
    assert tidy(0.1 + 0.2) == 0.3 and tidy(0.02) == 0.02


@pytest.mark.parametrize("text, value, scale_, more", [
    ("40万", 400_000, 1e4, False),
    ("40 万", 400_000, 1e4, False),       # a stray space from a PDF
    ("50余万", 500_000, 1e4, True),        # 余: "more than"
    ("100多万", 1_000_000, 1e4, True),
    ("15", 15, 1, False),
    ("三十万", 300_000, 1, False),
])
def test_quantity_parse(text, value, scale_, more):
    n = parse(text)
    assert n is not None
    assert (n.value, n.scale, n.more) == (pytest.approx(value), scale_, more)


def test_quantity_parse_rejects_garbage():
    assert parse("万x") is None


def test_scale_only():
    assert scale_only("亿") and scale_only("千万") and not scale_only("三十万")
