"""Bugs caught on unseen notices (docs/unseen-check-2.md sections 5, 6, 9, 11): dates, meta
and responsible units. One case per bug; expected values written from the text and the
project decisions (docs/GUIDELINES.md), not from running the code.
"""
from __future__ import annotations

from typing import Any

import pytest

from policy_extract.document import Doc
from policy_extract.extract.context import exclusion_zones
from policy_extract.extract.dates import extract_dates
from policy_extract.extract.meta import extract_meta
from policy_extract.extract.units import extract_units
from policy_extract.patterns.engine import default_pack
from policy_extract.patterns.examples import example_doc


def _dates(text: str, published: str | None = None) -> list[tuple[str, str, str]]:
    doc = Doc(doc_id="t", text=text, pack=default_pack())
    doc.excluded = exclusion_zones(doc)
    doc.meta = {"title": None, "published": published}
    return [(d["text"], d["value"], d["qualifier"]) for d in extract_dates(doc)]


def _meta(text: str) -> dict[str, Any]:
    return extract_meta(example_doc(text, default_pack()), "simplified")


def _units(text: str) -> list[tuple[str, str]]:
    out = extract_units(Doc(doc_id="t", text=text, pack=default_pack()))
    for u in out:
        assert text[u["start"]:u["end"]] == u["text"]
    return [(u["text"], u["role"]) for u in out]


# -- dates -----------------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    # decision 5 (dates.yaml recurring): 每年 → year XXXX, not the context year 2024
    ("2024年起，各市县于每年3月底前报送，省旅文厅于每年6月30日前完成审核。",
     [("2024年起", "2024", "from"), ("3月底前", "XXXX-03-31", "by"),
      ("6月30日前", "XXXX-06-30", "by")]),
    # decision 5/8: a list after 每年 recurs too; two dates, not a range
    ("2023年12月20日印发。补贴每年1月、7月分两次发放。",
     [("2023年12月20日", "2023-12-20", "on"), ("1月", "XXXX-01", "on"), ("7月", "XXXX-07", "on")]),
    # decision 5: the end of a recurring range recurs with its start
    ("2024年度申报。申报时间为每年4月1日至4月30日。",
     [("2024年度", "2024", "on"), ("4月1日至4月30日", "XXXX-04-01/XXXX-04-30", "on")]),
    # decision 5: without 每年 the literal year context still holds
    ("2024年度申报。材料于5月20日前报送。",
     [("2024年度", "2024", "on"), ("5月20日前", "2024-05-20", "by")]),
    # decision 7 (dates.yaml time): 24时 is a time; 前 after it still makes a deadline
    ("2024年5月31日24时前已受理的贷款申请，按原政策执行。",
     [("2024年5月31日24时前", "2024-05-31T24:00", "by")]),
    ("申报截止时间为2024年4月30日24时。",
     [("截止时间为2024年4月30日24时", "2024-04-30T24:00", "by")]),
    # decision 9 (dates.yaml range_conn): 起执行至 joins one range
    ("执行期：2024年1月1日起执行至2024年12月31日",
     [("2024年1月1日起执行至2024年12月31日", "2024-01-01/2024-12-31", "on")]),
    # decision 9 (dates.yaml in_force_until): 自…起施行，至…止 → from + until
    ("《措施》自2024年3月15日起施行，至2024年12月31日止。",
     [("自2024年3月15日起", "2024-03-15", "from"), ("至2024年12月31日止", "2024-12-31", "until")]),
    # decision 8: non-consecutive months are separate dates; 4、5月 shares one 月
    ("今年1至2月客流增长。活动在4月、5月、10月举办。",
     [("今年1至2月", "2024-01/2024-02", "on"), ("4月", "2024-04", "on"),
      ("5月", "2024-05", "on"), ("10月", "2024-10", "on")]),
    ("服务时间为2024年4、5月和10月",
     [("2024年4、5月", "2024-04/2024-05", "on"), ("10月", "2024-10", "on")]),
    # decision 6: 次年 + month / quarter = context year + 1
    ("2024年度资金于次年1月底前拨付，次年一季度完成绩效评价。",
     [("2024年度", "2024", "on"), ("次年1月底前", "2025-01-31", "by"),
      ("次年一季度", "2025-Q1", "on")]),
])
def test_dates(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert _dates(text, published="2024-03-22") == expected


# -- meta ------------------------------------------------------------------------------------
def test_coupon_validity_is_not_the_notice_validity() -> None:
    # decision 10 (meta.yaml other_validity); the explained policy's 施行…至…止 is the page's
    # validity (decisions after batches 9 and 10)
    got = _meta("答：首轮消费券将于4月上旬发放，有效期至2024年4月30日。\n"
                "答：《措施》自2024年3月15日起施行，至2024年12月31日止。")
    assert got["valid_until"] == "2024-12-31"
    got = _meta("答：首轮消费券将于4月上旬发放，有效期至2024年4月30日。")
    assert got["valid_until"] is None


def test_notice_validity_after_a_coupon_validity_still_counts() -> None:
    got = _meta("消费券有效期至2024年4月30日。\n本办法自2024年7月1日起施行，有效期至2026年6月30日。")
    assert got["valid_until"] == "2026-06-30"


def test_signature_organs_win_over_header_issuer_and_signed_label() -> None:
    # decision 18 (meta.py _signature): 成文日期 dates the notice; the signature names both organs
    text = ("发布机构：杭州市科学技术局\n成文日期：2024-03-18\n文号：杭科资〔2024〕12号\n"
            "杭州市科学技术局 杭州市财政局关于组织申报2024年度杭州市科技创新券的通知\n"
            "各区、县（市）科技局：\n现将有关事项通知如下。\n"
            "杭州市科学技术局 杭州市财政局\n2024年3月18日\n")
    got = _meta(text)
    assert got["issuer"] == "杭州市科学技术局、杭州市财政局"
    assert got["published"] == "2024-03-18"


def test_issuer_label_keeps_joint_organs() -> None:
    # meta.yaml issuer_label: the organs after the label are not cut at the first space
    got = _meta("发文机关：海南省旅游和文化广电体育厅 海南省财政厅\n主题分类：旅游\n现将办法印发给你们。")
    assert got["issuer"] == "海南省旅游和文化广电体育厅、海南省财政厅"


@pytest.mark.parametrize("text, title", [
    # meta.py _organ_prefix: the joint issuers before the title on the same line
    ("标 题：海南省旅游和文化广电体育厅 海南省财政厅关于印发《海南省乡村旅游重点村奖补办法》的通知\n"
     "各市、县旅游和文化主管部门：\n现将办法印发给你们。",
     "海南省旅游和文化广电体育厅海南省财政厅关于印发《海南省乡村旅游重点村奖补办法》的通知"),
    # meta.py _title: the issuers on the line above a 关于… title
    ("温州市人才工作领导小组办公室 温州市人力资源和社会保障局\n"
     "关于开展2024年度青年人才生活补贴申报工作的通知\n温人才办〔2024〕9号\n各县（市、区）人才办：",
     "温州市人才工作领导小组办公室温州市人力资源和社会保障局关于开展2024年度青年人才生活补贴申报工作的通知"),
    # meta.yaml title_end: 规程
    ("无锡市企业研发费用补助操作规程\n第一条 为规范补助工作，制定本规程。",
     "无锡市企业研发费用补助操作规程"),
    # meta.yaml crumb_tail: the breadcrumb's last crumb 惠农政策 is no title
    ("您当前的位置：首页 > 惠农政策\n眉山市2024年支持农业产业高质量发展政策汇编\n"
     "发布时间：2024-02-26 来源：眉山市农业农村局",
     "眉山市2024年支持农业产业高质量发展政策汇编"),
])
def test_titles(text: str, title: str) -> None:
    assert _meta(text)["title"] == title


def test_news_issuer_after_a_dateline() -> None:
    # meta.yaml news_issuer: 2024年5月31日，<place><name><organ>印发…
    text = ("厦门住房公积金贷款新政问答\n来源：厦门市住房公积金中心 发布时间：2024-06-03 16:45\n"
            "2024年5月31日，厦门市住房公积金管理委员会印发《关于调整住房公积金个人住房贷款政策的通知》，"
            "自2024年6月1日起施行。")
    assert _meta(text)["issuer"] == "厦门市住房公积金管理委员会"


# -- units -----------------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    # decision 16 (units.yaml sentence_role)
    ("第二条 本办法所需资金从专项资金中安排，奖补资金由省旅文厅会同省财政厅负责管理。",
     [("省旅文厅", "lead"), ("省财政厅", "member")]),
    ("（牵头单位：市人力社保局）。各县（市、区）人民政府，市直有关部门按职责分工负责政策宣传和初审工作。",
     [("市人力社保局", "lead"), ("各县（市、区）人民政府", "member"), ("市直有关部门", "member")]),
    ("第九条 本办法由省旅文厅会同省财政厅负责解释。", []),
    ("补助资金由市财政局会同市科技局审核后拨付。", []),
])
def test_sentence_units(text: str, expected: list[tuple[str, str]]) -> None:
    assert _units(text) == expected


ROWS = ("序号 政策内容 责任单位\n"
        "1 支持高标准农田建设。按每亩3000元标准给予补助。 市农业农村局、市财政局\n"
        "2 支持冷链物流设施建设。按每立方米100元给予补助。 市商务局，各区县人民政府\n"
        "注：各项政策执行期为2024年1月1日至2024年12月31日。")
CELLS = ("序号\n政策内容\n责任单位\n"
         "1\n支持高标准农田建设。按每亩3000元标准给予补助。\n市农业农村局、市财政局\n"
         "2\n支持农业保险提标扩面。保费补贴比例合计不低于75%。\n"
         "市财政局、市农业农村局，各区县人民政府按职责分工负责\n"
         "注：各项政策执行期为2024年1月1日至2024年12月31日。")


LABELLED = ("序号 政策内容 责任单位\n"
            "1 支持高标准农田建设。按每亩3000元标准给予补助。 责任单位：市农业农村局、市财政局\n"
            "2 支持设施农业发展。按建设投资的30%给予补助。 责任单位：市农业农村局")


@pytest.mark.parametrize("text, expected", [
    # ingest may label the cells itself: each unit once
    (LABELLED, [("市农业农村局", "member"), ("市财政局", "member"), ("市农业农村局", "member")]),
    # decision 2 (units.yaml column_header): one row per line
    (ROWS, [("市农业农村局", "member"), ("市财政局", "member"), ("市商务局", "member"),
            ("各区县人民政府", "member")]),
    # decision 2: one cell per line
    (CELLS, [("市农业农村局", "member"), ("市财政局", "member"), ("市财政局", "member"),
             ("市农业农村局", "member"), ("各区县人民政府", "member")]),
])
def test_table_unit_column(text: str, expected: list[tuple[str, str]]) -> None:
    assert _units(text) == expected
