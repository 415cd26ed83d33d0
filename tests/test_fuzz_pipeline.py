"""Fuzz the whole pipeline: any text, however damaged, gives a record that keeps the contract.

Inputs are drawn from the alphabet notices are made of (numerals, units, qualifier words,
labels, brackets, punctuation, traditional characters, pinyin, mojibake), so the
generator reaches the extractors' rules rather than only their early exits.
"""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policy_extract

PIECES = [
    "一、", "（一）", "(二)", "1.", "2、", "（1）", "第一条", "第二章", "①", "## ", "**", "\n", "\n\n", " ",
    "最高", "不超过", "以上", "及以上", "约", "左右", "至", "-", "—", "、", "，", "。", "；", "：",
    "万元", "亿元", "元", "万", "%", "％", "百分之", "个百分点", "/人", "每家企业", "单个项目",
    "2024年", "1月", "22日", "一季度", "上半年", "年底前", "有效期至", "自", "起", "〔2024〕5号",
    "《", "》", "责任单位:", "牵头", "市工信局", "市财政局", "各县（市、区）人民政府", "等",
    "給予", "獎勵", "網(wǎng)", "?", "\ufffd", "鍙", "40", "1.5", "三十", "两千", "0.02", "１２",
    "<p>", "</p>", "&nbsp;", "---\ntitle: x\n---\n", "来源:", "发布日期: 2022-05-27 16:39",
]

texts = st.lists(st.sampled_from(PIECES), min_size=0, max_size=60).map("".join)
FIELDS = ("amounts", "caps", "percentages", "dates", "units")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_any_text_gives_a_record_that_keeps_the_contract(text):
    rec = policy_extract.extract(text)
    body = rec["text"]
    ids = {m["id"] for m in rec["measures"] if m["label"] is not None}
    assert len(ids) == sum(1 for m in rec["measures"] if m["label"] is not None)
    for m in rec["measures"]:
        assert 0 <= m["start"] < m["end"] <= len(body)
    for field in FIELDS:
        for f in rec[field]:
            assert 0 <= f["start"] < f["end"] <= len(body)
            assert body[f["start"]:f["end"]] == f["text"]
            assert f["measure"] is None or f["measure"] in ids
            s, e = f["src"]
            assert 0 <= s <= e <= len(text)
    for q in (a["qualifier"] for a in rec["amounts"] + rec["percentages"]):
        assert q in {"exact", "max", "min", "approx", "range"}
