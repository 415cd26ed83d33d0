"""Property tests: normalizing is idempotent and every output char is tied to its source char."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from _normalize_pack import PACK
from policy_extract.document import Source
from policy_extract.normalize import normalize
from policy_extract.normalize.script import t2s

PIECES = ["國", "發", "展", "网", "(wǎng)", "(yī)", "一、", "（一）", "(二)", "1.", "第一条", "责任单位:",
          "【政策依据】", "2024", "２０", "年", "月", "万元", "%", "％", "。", "，", "、", "《", "》",
          "“", "”", "(", ")", "CMMM", "LPR", " ", "  ", "\u3000", "\xa0", "\n", "\n\n", "\r\n", "?",
          "??", "\ufffd", "会", "返回顶部", "小字号", "当前位置:首页>", "- 点我下载APP", "#", "**",
          "企业", "支持", "通知", "措施", "的", "a", "b", "．", "5", "0", "-", ":", "\t", "\u200b"]

texts = st.lists(st.sampled_from(PIECES), max_size=60).map("".join) | st.text(max_size=80)


def _forms(c: str) -> set[str]:
    out = {c, t2s(c), "%" if c in "％﹪" else c, "." if c in "．﹒" else c}
    if "\uff01" <= c <= "\uff5e":
        out.add(chr(ord(c) - 0xFEE0))
    # a letter read by OCR for a digit inside a number (50O万元 → 500万元): O/o → 0, l/I → 1
    out |= {"0"} if c in "Oo" else {"1"} if c in "lI" else set()
    return out


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_idempotent_and_offsets_tied_to_source(raw):
    src = Source.from_text(raw, doc_id="prop")
    n = normalize(src, pack=PACK)
    assert normalize(n.text, pack=PACK).text == n.text
    assert len(n.offsets) == len(n.text)
    prev = 0
    full = t2s(raw)
    for ch, o in zip(n.text, n.offsets, strict=True):
        assert 0 <= o < len(raw)
        assert o >= prev
        prev = o
        if ch in " \n":
            continue
        assert ch in _forms(raw[o]) or (len(full) == len(raw) and ch == full[o]), (ch, raw[o])
