"""Bugs caught on notices the rules were not written against (docs/unseen-check.md).

One case per bug, expected values written from the text; the fix is in the data file or
module named in each case's id.
"""
from __future__ import annotations

import pytest

import policy_extract


def _fields(text: str, field: str) -> list[dict]:
    return policy_extract.extract(text)[field]


def test_normalize_keeps_the_space_before_a_run_in_label():
    # normalize/rules.py: a Han char + space + digit lost the space even before a label
    rec = policy_extract.extract("二、重点任务 1.实施设备更新。2.加大财政资金支持。")
    assert [m["id"] for m in rec["measures"]] == ["二", "二/1", "二/2"]


@pytest.mark.parametrize("text, value, per", [
    ("每户补贴2000元。", 2000, "户"),                 # quantity.yaml `each`: 补贴 is no noun
    ("按每吨标准煤200元给予补贴。", 200, "吨标准煤"),  # quantity.yaml per_unit
    ("每台套奖励5万元。", 50000, "台套"),
])
def test_per_unit(text, value, per):
    (a,) = _fields(text, "amounts")
    assert (a["value"], a["per"]) == (value, per)


def test_keda_is_a_ceiling():
    # quantity.yaml gap: 最高可达 … is still 最高
    (a,) = _fields("奖励资金最高可达200万元。", "amounts")
    assert (a["value"], a["qualifier"]) == (2000000, "max")
    assert [c["value"] for c in _fields("奖励资金最高可达200万元。", "caps")] == [2000000]


def test_subsidy_measured_against_a_rate_is_a_cap():
    # caps.py: 利率 before the number is a reference, not a fee, when 的贴息 follows
    text = "给予不超过贷款市场报价利率50%的贴息。"
    assert [(c["value"], c["unit"]) for c in _fields(text, "caps")] == [(50, "%")]
    assert _fields("担保费率不超过1%。", "caps") == []


@pytest.mark.parametrize("text, value, qualifier", [
    ("力争2024年第二季度末前完成。", "2024-06-30", "by"),   # dates.yaml quarter `qend`
    ("申报截止时间为2024年5月20日。", "2024-05-20", "by"),  # dates.yaml by_prefix
])
def test_deadlines(text, value, qualifier):
    (d,) = _fields(text, "dates")
    assert (d["value"], d["qualifier"]) == (value, qualifier)


def test_joint_issuers_of_a_news_report():
    # meta.yaml news_issuer: A、B联合印发
    rec = policy_extract.extract("——佛山出台外贸新政\n佛山市商务局、佛山市财政局联合印发若干措施。")
    assert rec["meta"]["issuer"] == "佛山市商务局、佛山市财政局"


def test_headline_above_header_fields():
    # meta.py: the headline is above 发布机构/发布日期, not the 发布机构 line itself
    text = "# 关于支持生物医药产业发展的若干措施政策解读\n\n**发布机构：** 苏州工业园区管理委员会\n**发布日期：** 2024年09月02日\n\n## 一、出台背景\n为加快建设……\n"
    rec = policy_extract.extract(text)
    assert rec["meta"]["title"] == "关于支持生物医药产业发展的若干措施政策解读"


# -- third unseen batch (docs/unseen-check-3.md) -------------------------------------------


def test_byline_with_spaces_gives_headline_and_date():
    # meta.yaml byline_date_spaced / byline: date, 来源 and 作者 separated by spaces
    rec = policy_extract.extract("科技金融新政出台\n2024-08-16 08:42  来源：沈阳日报  作者：王晓丽\n正文。")
    assert rec["meta"]["title"] == "科技金融新政出台"
    assert rec["meta"]["published"] == "2024-08-16"


@pytest.mark.parametrize("text, value, qualifier, per", [
    ("裸车价格在10万元（不含）以下的。", 100000, "max", None),  # quantity.yaml suffix_max
    ("科技型企业最高可获500万元贷款贴息。", 5000000, "max", None),  # quantity.yaml gap 可获
    ("每期消费券总额3000万元。", 30000000, "exact", "期"),  # quantity.yaml per_unit 期
])
def test_third_batch_amounts(text, value, qualifier, per):
    (a,) = _fields(text, "amounts")
    assert (a["value"], a["qualifier"], a["per"]) == (value, qualifier, per)


def test_news_issuers_named_by_their_suffix():
    # meta.yaml news_organ: 地方金融管理局 is an organ by its suffix 局; 获悉，A、B、C联合印发
    text = ("沈阳科技金融新政出台\n2024-08-16 08:42  来源：沈阳日报\n"
            "记者近日从市科技局获悉，沈阳市科技局、沈阳市财政局、沈阳市地方金融管理局联合印发若干措施。")
    assert policy_extract.extract(text)["meta"]["issuer"] == (
        "沈阳市科技局、沈阳市财政局、沈阳市地方金融管理局")


@pytest.mark.parametrize("text, per", [
    ("每辆车发放消费券3000元。", "车"),    # classifier + noun: the noun (GUIDELINES, third batch)
    ("每辆补贴6000元。", "辆"),            # a classifier alone stays
    ("每辆车最高补贴5000元。", "车"),
])
def test_per_after_classifier_and_noun(text, per):
    (a,) = _fields(text, "amounts")
    assert a["per"] == per


def test_a_long_one_line_notice_is_read_as_text_not_as_a_path():
    # pipeline.extract: a one-line page longer than a file name may be crashed in Path.is_file
    text = ("包头出台稀土新材料产业新政，" * 20) + "措施明确，单个企业每年最高补助500万元。"
    rec = policy_extract.extract(text)
    assert [(a["value"], a["qualifier"]) for a in rec["amounts"]] == [(5000000, "max")]


def test_a_short_page_that_lost_its_breaks_after_a_breadcrumb_keeps_its_body():
    # data/normalize.yaml breadcrumb: `首页 > .*` took a whole short one-line page as furniture
    text = ("首页 > 新闻中心 > 快讯 包头出台稀土产业新政 2025-07-22 来源：包头日报 本报讯 7月21日，"
            "措施明确，单个企业每年最高补助500万元；全市将安排专项资金3亿元。")
    rec = policy_extract.extract(text)
    assert [(a["value"], a["qualifier"]) for a in rec["amounts"]] == [(5000000, "max"), (300000000, "exact")]
