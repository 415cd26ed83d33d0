"""Extract caps (GUIDELINES "caps"): ceilings on what a beneficiary can receive.

A cap is an amount (unit 元) or percentage (unit %) already extracted with qualifier ``max``
whose qualifier word is a ceiling word (``cap_cue``: 最高, 不超过, 上限 …), in a sentence about
a benefit, and that is neither a condition on the applicant (``不超过2000万元的小微企业``) nor a
fee the beneficiary pays (``担保费率不超过1%``). Its scope is the stated bearer (see
data/caps.yaml).
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from functools import lru_cache
from typing import Any

import regex

from ..document import Doc
from ..patterns.engine import Pack, default_pack
from .clauses import clause_end, clause_start, sentence_end, sentence_start
from .qualifiers import Each, Qualifiers, qualifiers_for

FIELD = "caps"
_AFTER_DE = 8  # "…万元的" + up to this many chars may name the benefit (的创业担保贷款)
_BACK_CLAUSES = 3  # how many earlier clauses of the sentence may hold the bearer


class _Rules:
    def __init__(self, pack: Pack):
        self.cue = set(pack.vocab(FIELD, "cap_cue"))
        self.benefit = pack.compile(FIELD, "{benefit}")
        self.benefit_after = pack.compile(FIELD, "{benefit_after}")
        self.fee = pack.compile(FIELD, "{fee}")
        self.bearer = pack.compile("quantity", "{bearer_phrase}")
        self.head = pack.compile("quantity", "{bearer_head}")


@lru_cache(maxsize=8)
def _rules(pack: Pack) -> _Rules:
    return _Rules(pack)


def extract_caps(doc: Doc, amounts: list[dict[str, Any]],
                 percentages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Caps among ``amounts`` and ``percentages``, sorted by start."""
    pack = doc.pack or default_pack()
    rules, quals = _rules(pack), qualifiers_for(pack)
    text = doc.text
    numbered = sorted([(a["start"], a["end"]) for a in amounts]
                      + [(p["start"], p["end"]) for p in percentages])
    out: list[dict[str, Any]] = []
    for items, unit in ((amounts, "元"), (percentages, "%")):
        same = sorted((i["start"], i["end"]) for i in items)
        for item in items:
            if not _is_cap(text, rules, item, unit):
                continue
            scope, scope_start = _scope(text, rules, quals, item, same, numbered)
            start = scope_start if scope_start is not None else item["start"]
            end = item["end"]
            b = rules.benefit.match(text, end)
            if b is not None:
                end = b.end()  # 最高150万元奖励
            out.append({"text": text[start:end], "start": start, "end": end,
                        "value": item["value"], "unit": unit, "scope": scope})
    out.sort(key=lambda c: (c["start"], c["end"]))
    return out


def _is_cap(text: str, rules: _Rules, item: dict[str, Any], unit: str) -> bool:
    if item.get("qualifier") != "max" or item.get("value") is None:
        return False
    if item.get("cue") not in rules.cue:
        return False
    cs, ce = clause_start(text, item["start"]), clause_end(text, item["end"])
    after = text[item["end"]:ce]
    if rules.fee.search(text, cs, item["start"]) and not (
            after.startswith("的") and rules.benefit.match(after, 1)):
        # 担保费率不超过1%: a fee the beneficiary pays; but 不超过贷款市场报价利率50%的贴息
        # measures a subsidy against a rate, and is a cap
        return False
    if after.startswith("的"):
        # 不超过2000万元的小微企业: a condition on who qualifies, unless a benefit comes
        # first (的奖励, 的标准, 的创业担保贷款)
        b = rules.benefit_after.search(after, 1, 1 + _AFTER_DE)
        h = rules.head.search(after, 1, 1 + _AFTER_DE)
        if b is None or (h is not None and h.start() < b.start()):
            return False
    if unit == "%":
        return rules.benefit.search(text, cs, ce) is not None
    ss, se = sentence_start(text, item["start"]), sentence_end(text, item["end"])
    return rules.benefit.search(text, ss, se) is not None


def _chain(text: str, eaches: list[Each]) -> tuple[str, int] | None:
    """The last run of adjacent 每X/单X phrases (每家企业每个线上展会) and its start."""
    if not eaches:
        return None
    end = len(eaches) - 1
    start = end
    while start > 0 and eaches[start - 1].end == eaches[start].start:
        start -= 1
    return text[eaches[start].start:eaches[end].end], eaches[start].start


def _scope(text: str, rules: _Rules, quals: Qualifiers, item: dict[str, Any],
           same: list[tuple[int, int]], numbered: list[tuple[int, int]]
           ) -> tuple[str | None, int | None]:
    """The bearer of the ceiling: own clause first, then earlier number-free clauses.

    In its own clause the bearer is read after the previous number of the same unit (a
    percentage between 每个展位 and its 不超过2万元 does not hide it); the item's own
    ``每场`` prefix counts.
    """
    s = item["start"]
    cs = clause_start(text, s)
    i = bisect_right(same, (s, s)) - 1  # items are sorted and do not overlap
    prev_end = same[i][1] if i >= 0 and cs < same[i][1] <= s else cs
    got = _chain(text, [e for e in quals.eaches(text, prev_end, item["end"]) if e.end <= item["end"]])
    if got is not None:
        return got
    m = rules.bearer.search(text, prev_end, s)
    if m is not None:
        return m.group("scope"), m.start("scope")
    ss = sentence_start(text, s)
    end = cs - 1
    for _ in range(_BACK_CLAUSES):
        if end <= ss:
            break
        start = clause_start(text, end)
        j = bisect_left(numbered, (start, -1))
        if not (j < len(numbered) and numbered[j][0] < end):  # no number of its own
            got = _chain(text, quals.eaches(text, start, end))
            if got is not None:
                return got[0], None
        end = start - 1
    return None, None


def scope_regex(pack: Pack) -> regex.Pattern[str]:
    """The bearer-phrase regex (exposed for tests and the review app)."""
    return _rules(pack).bearer
