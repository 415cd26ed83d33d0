"""Bugs caught on the second batch of unseen notices (docs/unseen-check-2.md, causes 4, 7, 8,
10 and decisions 11–15): amounts, caps and percentages.

One case per bug, each written as a general phrasing (not the notice's exact sentence where
a plainer one shows the rule). Expected values are read off the text by hand.
"""
from __future__ import annotations

from typing import Any

import pytest

from policy_extract import extract


def _run(text: str) -> dict[str, Any]:
    return extract(text)


def amounts(text: str) -> list[tuple[Any, ...]]:
    return [(a["value"], a["qualifier"], a["per"], a["currency"]) for a in _run(text)["amounts"]]


def caps(text: str) -> list[tuple[Any, ...]]:
    return [(c["value"], c["unit"], c["scope"]) for c in _run(text)["caps"]]


# -- cause 4: the benefit vocabulary of caps was closed ---------------------------------------
def test_voucher_deduction_ceilings_are_caps() -> None:
    text = "创新券按企业购买科技服务实际支付金额的50%予以抵扣，单笔合同抵扣额不超过10万元。"
    assert caps(text) == [(100000, "元", "单笔合同")]


def test_loan_ceiling_raised_with_currency_prefix_is_max_and_a_cap() -> None:
    text = "答：单缴存职工最高可贷额度提高至人民币80万元。"
    assert amounts(text) == [(800000, "max", None, "CNY")]
    assert caps(text) == [(800000, "元", "单缴存职工")]


def test_ceiling_after_colon_and_bearer() -> None:
    text = "保费补贴上限：每家企业20万元。"
    assert amounts(text) == [(200000, "max", None, "CNY")]
    assert caps(text) == [(200000, "元", "每家企业")]


def test_rate_after_the_cue_is_the_base_of_a_subsidy() -> None:
    text = "对经营主体贷款给予贴息，贴息比例不超过贷款市场报价利率的50%。"
    assert caps(text) == [(50, "%", None)]


def test_limit_clause_reads_the_benefit_of_the_sentence_before() -> None:
    text = "个人最高可贷额度为60万元。多子女家庭可上浮百分之二十，但最高不超过70万元。"
    assert (700000, "元", None) in caps(text)


# -- cause 7: bearers outside the closed lists ------------------------------------------------
def test_any_noun_after_dange_is_the_bearer_and_the_year_is_the_per() -> None:
    text = "对乡村旅游给予补助，单个示范村每年最高不超过50万元。"
    assert amounts(text) == [(500000, "max", "年", "CNY")]
    assert caps(text) == [(500000, "元", "单个示范村")]


def test_trailing_year_is_split_off_the_scope() -> None:
    text = "给予补助，每家企业每年最高30万元。"
    assert amounts(text) == [(300000, "max", "年", "CNY")]
    assert caps(text) == [(300000, "元", "每家企业")]


@pytest.mark.parametrize("text, scope", [
    ("按房款的10%给予补贴，博士最高不超过40万元。", "博士"),
    ("按以下标准给予补贴：③C类人才最高50万元。", "C类人才"),
    ("个人创业担保贷款最高额度提高至30万元。", "个人"),
    ("给予奖励，创业团队每年最高5万元。", "创业团队"),
])
def test_category_noun_opening_the_clause_is_the_bearer(text: str, scope: str) -> None:
    assert [c[2] for c in caps(text)] == [scope]


@pytest.mark.parametrize("text", [
    "按投资额的20%给予补助，补助资金最高不超过50万元。",  # the benefit, not who receives it
    "给予奖励，原则上最高不超过50万元。",  # an adverb
])
def test_no_bearer_when_the_subject_is_not_a_receiver(text: str) -> None:
    assert [c[2] for c in caps(text)] == [None]


# -- cause 8: per-units ------------------------------------------------------------------------
def test_nearest_denominator_of_a_double_rate() -> None:
    assert amounts("博士研究生每人每月补贴2000元。") == [(2000, "exact", "月", "CNY")]
    assert amounts("租金按每平方米每月10元收取。") == [(10, "exact", "月", "CNY")]


def test_open_per_unit_after_mei() -> None:
    assert amounts("对组织旅游专列的旅行社，每列奖励2万元。") == [(20000, "exact", "列", "CNY")]


def test_qualifier_word_is_not_swallowed_as_the_per_unit() -> None:
    assert amounts("每户最高补助500元。") == [(500, "max", "户", "CNY")]


def test_per_carries_across_a_raise() -> None:
    assert amounts("每月提取额度由1500元提高至2000元。") == [
        (1500, "exact", "月", "CNY"), (2000, "exact", "月", "CNY")]


def test_one_currency_unit_after_mei_is_a_denominator() -> None:
    assert amounts("按增量每1美元奖励0.01元。") == [(0.01, "exact", "美元", "CNY")]


# -- cause 10: financial capitals and currency prefixes ----------------------------------------
def test_financial_capitals() -> None:
    assert amounts("单家企业最高不超过贰拾万元整。") == [(200000, "max", None, "CNY")]
    assert amounts("补助叁万伍仟元。") == [(35000, "exact", None, "CNY")]


def test_currency_prefix_counts_wan_without_yuan() -> None:
    assert amounts("对年出口额首次突破USD 100万的企业给予奖励。")[0] == (1000000, "min", None, "USD")


# -- decision 13: ceilings that are not caps ----------------------------------------------------
@pytest.mark.parametrize("text", [
    "市级财政年度安排资金总额不超过5000万元，用于奖励。",  # a budget total
    "对贷款金额不超过1000万元的部分给予贴息。",  # the base a subsidy is computed from
    "可按实际房租提取，年提取总额不超过贰万肆仟元。",  # one's own savings withdrawn
    "入住人才公寓的，租金不超过同地段市场租金的50%，并给予补贴。",  # rent the beneficiary pays
])
def test_not_caps(text: str) -> None:
    assert caps(text) == []
