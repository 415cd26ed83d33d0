"""Caps: ceilings on what a beneficiary receives, their unit and scope (values by hand)."""
from __future__ import annotations

import pytest

from policy_extract.document import Doc
from policy_extract.extract.amounts import extract_amounts
from policy_extract.extract.caps import extract_caps
from policy_extract.extract.context import exclusion_zones
from policy_extract.extract.percentages import extract_percentages
from policy_extract.patterns.engine import default_pack


def caps(text: str) -> list[dict]:
    doc = Doc(doc_id="t", text=text, pack=default_pack())
    doc.excluded = exclusion_zones(doc)
    a, p = extract_amounts(doc), extract_percentages(doc)
    got = extract_caps(doc, a, p)
    for c in got:  # every cap is also an amount or a percentage
        pool = a if c["unit"] == "元" else p
        assert any(i["value"] == c["value"] and c["start"] <= i["start"] and i["end"] <= c["end"]
                   for i in pool), c
        assert text[c["start"]:c["end"]] == c["text"]
    return got


def values(text: str) -> list[tuple]:
    return [(c["value"], c["unit"], c["scope"]) for c in caps(text)]


@pytest.mark.parametrize("text, expect", [
    ("单家企业配套奖励最高不超过40万元,配套奖励金额在1万元以下的企业不予奖励。",
     [(400000, "元", "单家企业")]),
    ("单家企业奖励最高不超过30万元。", [(300000, "元", "单家企业")]),
    ("按照活动规模及成效给予每场最高30万元奖励;", [(300000, "元", "每场")]),
    ("按其上年度技术合同成交额给予最高10%不超过100万元的后补助。",
     [(10, "%", None), (1000000, "元", None)]),
    ("补助比例最高不超过20%。", [(20, "%", None)]),
    ("对各地工信部门牵头举办的工业产品促销活动,最高给予100万元资金补助;",
     [(1000000, "元", None)]),
    ("按照条件给予最高150万元奖励。", [(1500000, "元", None)]),
    ("省级财政按其承销费用的50%给予补助,单户企业补助金额最高不超过100万元。",
     [(1000000, "元", "单户企业")]),
    ("按5年期LPR给予一次性贴息补助,单个项目最高贴息补助200万元。", [(2000000, "元", "单个项目")]),
    ("市财政对企业固定资产给予20%补贴,每家企业上限为100万元;", [(1000000, "元", "每家企业")]),
    ("对符合条件的重点产业领域重大技术改造项目支持上限提高至1亿元。",
     [(100000000, "元", "重大技术改造项目")]),
    ("单个项目补助额不超过1000万元。", [(10000000, "元", "单个项目")]),
    ("补贴标准为减免租金总额的50%,最高30万元,所需资金从扶持资金中列支。", [(300000, "元", None)]),
    # a fee in the table cell before is not what the ceiling's cell bounds (unseen57 k573)
    ("4 出口信用保险 按实缴保费的50%给予补贴 单家企业最高20万元", [(200000, "元", "单家企业")]),
    ("担保费率 不超过1%。", []),  # the fee's own cell: no benefit, no cap
    # a place of 消费 is a bearer (unseen57 k575); an insurance payout is a benefit (unseen60 n604)
    ("夜间消费街区最高奖励100万元", [(1000000, "元", "夜间消费街区")]),
    ("水稻每亩最高赔付800元。", [(800, "元", "每亩")]),
    # 追加 (a further grant) is no part of the bearer (unseen57 k574)
    ("按每人次50元追加补助，单场追加最高不超过15万元。", [(150000, "元", "单场")]),
    # a row whose standard cell says 同上 bounds the benefit of the row above (unseen73 a737);
    # a row above that names no benefit lends none
    ("1 冰箱 按销售价格的15%给予补贴 每件最高2000元\n2 电脑 同上 每件最高2000元",
     [(2000, "元", "每件"), (2000, "元", "每件")]),
    ("1 冰箱 单件销售价格 每件最高2000元\n2 电脑 同上 每件最高2000元", []),
    # 可补 grants (unseen73 a732); a premium the county pays for the insured (unseen76 d767)
    ("购买一级能效家电的，最高可补2000元。", [(2000, "元", None)]),
    ("由县财政按每家企业每年不超过1万元的标准统一出资投保。", [(10000, "元", "每家企业")]),
    ("应急转贷单笔最高不超过1000万元。", [(10000000, "元", "单笔")]),  # a bridge loan (unseen77 e774)
    ("02 模型券：最高100万元", [(1000000, "元", None)]),  # a voucher (unseen78 f788)
    # a price right before the ceiling is what qualifies (unseen73 a732, unseen78 f781); a price
    # elsewhere in the sentence is the base of the grant
    ("手机按最终销售价格的15%给予补贴，单件销售价格不超过6000元，每件最高500元。", [(500, "元", "每件")]),
    ("算力服务价格不高于2.5元/卡时的方可纳入补助范围。", []),
])
def test_caps(text, expect):
    assert values(text) == expect


def test_scope_is_the_each_chain_in_the_clause():
    text = ("展位费按每个展位(按标准展位9m²计算)50%且不超过2万元的标准予以支持,"
            "每家企业年度内最高不超过5万元。")
    assert values(text) == [(20000, "元", "每个展位"), (50000, "元", "每家企业")]
    text = "每家企业每个线上展会按50%且不超过5000元的标准予以支持,每家企业年度内最高不超过2万元。"
    assert values(text) == [(5000, "元", "每家企业每个线上展会"), (20000, "元", "每家企业")]


def test_scope_from_an_earlier_number_free_clause_and_a_bearer_phrase():
    text = ("按照每个创业企业借款人最多不超过(含)3名合伙人,每人最高不超过15万元,"
            "可申请不超过45万元的创业担保贷款,小微企业可申请最高不超过300万元的创业担保贷款。")
    assert values(text) == [(150000, "元", "每人"), (450000, "元", "每个创业企业"),
                            (3000000, "元", "小微企业")]


def test_list_distributed_ceiling():
    assert values("分别予以不超过150万元、100万元、50万元的奖励。") == [
        (1500000, "元", None), (1000000, "元", None), (500000, "元", None)]


@pytest.mark.parametrize("text", [
    "配套奖励金额在1万元以下的企业不予奖励。",            # threshold
    "15万元及以下车辆,按照购车合同额的3%进行补贴。",        # condition
    "对营业收入不超过2000万元的小微企业给予奖励。",         # condition on who qualifies
    "担保费率不超过1%的担保机构给予奖励。",                 # a fee the beneficiary pays
    "新发生业务担保费率降至1%以下的机构,支持免除再担保费。",
    "减员率不高于5%的企业给予奖补。",
    "25万元以上车辆,每辆补贴6000元。",                     # an exact subsidy
    "贴息期限不超过1年。",
    "总投资最高不超过5亿元的项目入库。",                    # no benefit in the sentence
])
def test_not_caps(text):
    assert caps(text) == []


def test_undecodable_characters_after_a_stop_still_end_the_line_above():
    """A line ending 。�� (a scrape in a mixed encoding) is a finished sentence, not a short
    fragment line whose 每辆 would be the bearer of the ceiling below it (unseen61 o613)."""
    rows = "10万元及以下车辆,每辆补贴2000元。{}\n10-20万元车辆,按照购车合同额的2%进行补贴,最高补贴3500元。"
    assert values(rows.format("")) == values(rows.format("\ufffd\ufffd")) == [(3500, "元", None)]
