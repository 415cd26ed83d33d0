"""Extract caps (GUIDELINES "caps"): ceilings on what a beneficiary can receive.

A cap is an amount (unit 元) or percentage (unit %) already extracted with qualifier ``max``
whose qualifier word is a ceiling word (``cap_cue``: 最高, 不超过, 上限 …), in a sentence about
a benefit (or, for a ``但最高…`` limit, the sentence before it), and that is neither a
condition on the applicant (``不超过2000万元的小微企业``), nor what the beneficiary pays or
draws, nor a budget, named before the cue (``担保费率不超过1%``, ``年提取总额不超过…``; a rate
*after* the cue is a subsidy's base: ``不超过贷款市场报价利率的50%``), nor the base a benefit
is computed on (``…万元的部分给予贴息``). Its scope is the stated bearer: a 每X/单X chain
(a closing 每年 is the per, not the bearer), a bearer noun phrase, or a receiver noun that
is the whole subject of the clause (``博士最高…``); see data/caps.yaml and quantity.yaml.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from ..document import Doc
from ..patterns.engine import Pack, default_pack
from .clauses import cell_start, clause_end, clause_start, sentence_end, sentence_start
from .qualifiers import Each, Qualifiers, qualifiers_for

FIELD = "caps"
_AFTER_DE = 8  # "…万元的" + up to this many chars may name the benefit (的创业担保贷款)
_FRAGMENT_LINES = 3  # short lines above a ceiling that may hold its benefit (图解 pages)
_FRAGMENT_CHARS = 30  # a fragment line is at most this long
_FRAGMENT_STOPS = frozenset("。！？；;!?：:")  # a line ending with one ends its sentence
_TRAILING_NOISE = " \ufffd"  # after a line's stop: spaces, undecodable characters (。��)
_BACK_CLAUSES = 3  # how many earlier clauses of the sentence may hold the bearer
_LIST_ROWS = 12  # rows of a list under a colon line searched up for that line's benefit
_LIST_ROW_CHARS = 40  # a list row is at most this long


class _Rules:
    def __init__(self, pack: Pack):
        self.cue = set(pack.vocab(FIELD, "cap_cue"))
        self.cue_words = tuple(sorted(self.cue, key=len, reverse=True))
        self.benefit = pack.compile(FIELD, "{benefit}")
        # the sentence of a ceiling names its benefit, or the prize it bounds (技改投入奖)
        self.benefit_named = pack.compile(FIELD, "{benefit}|{prize_name}")
        self.benefit_after = pack.compile(FIELD, "{benefit_after}")
        self.not_benefit = pack.compile(FIELD, "{fee}|{own_funds}|{budget}")
        self.fee = frozenset(pack.vocab(FIELD, "fee"))
        self.public_pays = pack.compile(FIELD, "{public_pays}")
        self.measure_noun = frozenset(pack.vocab(FIELD, "measure_noun"))
        self.table_head = tuple(pack.vocab(FIELD, "table_head"))
        self.base_tail = tuple(pack.vocab(FIELD, "base_tail"))
        self.limit_lead = pack.compile(FIELD, r"\s*(?:{limit_lead})")
        self.back_reference = pack.compile(FIELD, "{back_reference}")
        self.fund_split = pack.compile(FIELD, "{fund_split}")
        self.ratio_subject = pack.compile(FIELD, r"\p{Han}{0,4}?(?:{ratio_word})(?:{ratio_adverb})?")
        self.total_lead = pack.compile(FIELD, r"\s*(?:{total_lead})")
        # a clause ending in a budget word (…由专项资金列支,) speaks of the budget after it
        self.budget_end = pack.compile(FIELD, r"(?:{budget})\s*[，,]\s*\Z")
        self.bearer = pack.compile("quantity", "{bearer_phrase}")
        self.category = pack.compile("quantity", "{category_bearer}")
        self.head = pack.compile("quantity", "{bearer_head}")
        self.time_per = frozenset(pack.vocab("quantity", "time_per"))
        self.price_end = pack.compile(FIELD, r"(?:{price})\s*\Z")
        self.same_as_above = pack.compile(FIELD, r"(?<![\p{Han}])(?:{same_as_above})(?![\p{Han}])")


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
    change = quals.change
    out: list[dict[str, Any]] = []
    for items, unit in ((amounts, "元"), (percentages, "%")):
        same = sorted((i["start"], i["end"]) for i in items)
        prev: dict[str, Any] | None = None  # the last cap, with its item's end
        for item in items:
            if not _is_cap(text, rules, item, unit):
                continue
            scope, scope_start = _scope(text, rules, quals, item, same, numbered)
            if scope is None and prev is not None and change.fullmatch(
                    text, prev["_end"], item["start"]):
                scope = prev["scope"]  # 单个酒庄最高补助由200万元提高到300万元: the same bearer
            start = item["start"] if scope_start is None else min(scope_start, item["start"])
            end = item["end"]
            b = rules.benefit.match(text, end)
            if b is not None:
                end = b.end()  # 最高150万元奖励
            out.append({"text": text[start:end], "start": start, "end": end,
                        "value": item["value"], "unit": unit, "scope": scope})
            prev = {"scope": scope, "_end": item["end"]}
    out.sort(key=lambda c: (c["start"], c["end"]))
    _second_ceilings(text, rules, out)
    return out


def _second_ceilings(text: str, rules: _Rules, caps: list[dict[str, Any]]) -> None:
    """A ceiling clause that opens with its cue continues the ceiling of the clause before it
    (``单个项目补助不超过项目总投资的30%，最高200万元``; ``单辆补贴最高不超过七百元，且不超过新车
    成交价格的百分之二十``): with no bearer of its own, it bears that one's scope, whatever their
    units; so does the next sum of a list (``分别不超过500万元、200万元``). (Only a clause before
    with a cap of its own: a rate's 每X there,
    ``每新增1人补贴1000元，最高50万元``, is no bearer.)"""
    for prev, cap in zip(caps, caps[1:], strict=False):
        if cap["scope"] is not None or prev["scope"] is None:
            continue
        if text[prev["end"]:cap["start"]].strip() == "、":
            cap["scope"] = prev["scope"]  # 单个项目…分别不超过500万元、200万元: one list of sums
            continue
        cs = clause_start(text, cap["start"])
        lead = rules.limit_lead.match(text, cs)
        # (after 且/但 the cue may stand far: 且不超过新车成交价格的百分之二十)
        opens = cs == cap["start"] or (lead is not None and (
            lead.end() == cap["start"] or text.startswith(rules.cue_words, lead.end())))
        if not opens or cs == 0 or text[cs - 1] not in "，,":
            continue  # the clause holds more than the ceiling, or a ；/。 ends the one before
        if clause_start(text, cs - 1) <= prev["start"] and prev["end"] < cs:
            cap["scope"] = prev["scope"]


def _is_cap(text: str, rules: _Rules, item: dict[str, Any], unit: str) -> bool:
    if item.get("qualifier") != "max" or item.get("value") is None:
        return False
    if item.get("cue") not in rules.cue:
        return False
    cs, ce = clause_start(text, item["start"]), clause_end(text, item["end"])
    after = text[item["end"]:ce]
    # a clause opening with 且/但 limits the sentence's subject: 租金按…确定，且不高于25元
    # a clause opening with 总额, or after a clause ending in a budget word, speaks of that
    # budget: 经费由财政保障，总额不超过…; 奖励资金由专项资金列支,每年不超过3,000万元
    pays_from = (sentence_start(text, cs) if rules.limit_lead.match(text, cs) else
                 clause_start(text, cs - 1) if cs and (
                     rules.total_lead.match(text, cs)
                     or rules.budget_end.search(text, clause_start(text, cs - 1), cs)) else cs)
    cue_at = _cue_at(text, item, cs)
    if rules.price_end.search(text, cs, cue_at) is not None:
        return False  # 单件销售价格不超过6000元: what qualifies, not what is granted
    if _pays(text, rules, cell_start(text, pays_from, cue_at), cue_at, cs) and not (
            after.startswith("的") and rules.benefit.match(after, 1)):
        # 担保费率不超过1%, 年提取总额不超过…: what the beneficiary pays or draws; but
        # 不超过贷款市场报价利率的50% (the rate stands after the cue) measures a subsidy
        return False
    if after[after.startswith("的"):].startswith(rules.base_tail):
        return False  # 贷款金额不超过5000万元的部分给予贴息: the base of a benefit
    if after.startswith("的"):
        # 不超过2000万元的小微企业: a condition on who qualifies, unless a benefit comes
        # first (的奖励, 的标准, 的创业担保贷款)
        b = rules.benefit_after.search(after, 1, 1 + _AFTER_DE)
        h = rules.head.search(after, 1, 1 + _AFTER_DE)
        if b is None or (h is not None and h.start() < b.start() and h.end() != b.start()):
            return False  # (的项目资助: a head noun glued to the benefit only names its kind)
    if unit == "%":
        if rules.fund_split.search(text, sentence_start(text, cs), sentence_end(text, ce)) is not None:
            return False  # 专项资金按…的比例分配，调剂比例不超过10%: the fund's own split
        # a rate is a cap of the benefit its own clause names, or, in a clause opening with
        # 但/且 or 合计, of the benefit named before it: 可同时申请设备补助和贷款贴息，但两项合计
        # 不超过设备投资额的30%
        lead = pays_from if pays_from != cs else cs
        if rules.benefit.search(text, lead, ce) is not None:
            return True
        # a clause that is only its ceiling bounds the rate its sentence raises: 报销比例提高
        # 5个百分点，最高不超过95% (not a fee's: 利率上浮20%，最高不超过30%); a sentence that
        # opens on 在此基础上 raises the rate of the sentence before it (same paragraph); so
        # does a clause naming only the ratio: 补贴额依据…价格测算，测算比例一般不超过30%
        # (the ceiling word may open the clause a reference before the rate: 给予贴息，最高不超过
        # 同期LPR的50%; batch 92)
        if cs > 0 and text[cs - 1] in "，," and (
                cs == item["start"] or _cue_at(text, item, cs) == cs
                or rules.ratio_subject.fullmatch(text, cs, _cue_at(text, item, cs))):
            ss = sentence_start(text, cs)
            if _pays(text, rules, ss, cs - 1, ss):
                return False
            if rules.benefit.search(text, ss, cs) is not None:
                return True
            back = rules.back_reference.search(text, ss, cs)
            if back is not None and ss > 0 and text[ss - 1] != "\n":
                ps = sentence_start(text, ss - 1)
                return (rules.benefit.search(text, ps, ss) is not None
                        and not _pays(text, rules, ps, ss, ps))
        return False
    ss, se = sentence_start(text, item["start"]), sentence_end(text, item["end"])
    if rules.benefit_named.search(text, ss, se) is not None or rules.public_pays.search(text, ss, se) is not None:
        return True  # (政府购买服务方式为企业提供诊断，每家企业诊断费用不超过5万元: a service paid for)
    if _fragment_benefit(text, rules, ss) or _list_benefit(text, rules, ss):
        return True
    if ss > 0 and text[ss - 1] == "\n" and rules.same_as_above.search(text, ss, se) is not None:
        ps = text.rfind("\n", 0, ss - 1) + 1  # a row whose cell says 同上: the row above
        if rules.benefit_named.search(text, ps, ss - 1) is not None and not _pays(text, rules, ps, ss - 1, ss):
            return True
    if rules.limit_lead.match(text, cs) and ss > 0 and text[ss - 1] != "\n":
        # …最高可贷额度提高至80万元。多子女家庭可上浮20%，但最高不超过150万元: a limit
        # (但…) on the benefit of the sentence before, in the same paragraph
        return rules.benefit.search(text, sentence_start(text, ss - 1), ss) is not None
    return False


def _fragment_lines(text: str, ss: int) -> Iterator[tuple[int, int]]:
    """A 图解 page writes a sentence as short lines without punctuation (给予补助 / 单个项目 /
    最高补助 / 300万元): the (at most three) short lines above the sentence at ``ss``, nearest
    first, up to one that ends a sentence."""
    k = ss
    for _ in range(_FRAGMENT_LINES):
        if k <= 0 or text[k - 1] != "\n":
            return
        pe = k - 1
        ps = text.rfind("\n", 0, pe) + 1
        line = text[ps:pe].rstrip(_TRAILING_NOISE)
        if pe - ps > _FRAGMENT_CHARS or (line and line[-1] in _FRAGMENT_STOPS):
            return
        yield ps, pe
        k = ps


def _fragment_benefit(text: str, rules: _Rules, ss: int) -> bool:
    """The benefit of a ceiling on one of the short lines above it (图解)."""
    return any(rules.benefit.search(text, ps, pe) is not None
               for ps, pe in _fragment_lines(text, ss))


def _list_benefit(text: str, rules: _Rules, ss: int) -> bool:
    """A row of a list under a line ending in a colon bears the benefit that line names
    (下列机具单台补贴额不得超过以下标准： / 谷物联合收割机 单台最高不超过3万元; batch 52): the rows
    between are short lines without a sentence end."""
    k = ss
    for _ in range(_LIST_ROWS):
        if k <= 0 or text[k - 1] != "\n":
            return False
        pe = k - 1
        ps = text.rfind("\n", 0, pe) + 1
        line = text[ps:pe].rstrip(_TRAILING_NOISE)
        if line.endswith(("：", ":")):
            return rules.benefit.search(text, ps, pe) is not None
        if (len(line) > _LIST_ROW_CHARS or any(c in _FRAGMENT_STOPS for c in line)
                or line.startswith(rules.table_head)):
            return False  # (a table's header row: its columns, not the line above, say what the
        k = ps            # sums are: 贴息贷款额度 is a loan base)
    return False


def _cue_at(text: str, item: dict[str, Any], cs: int) -> int:
    """Where the item's ceiling word stands (a far cue may lie before the item's span)."""
    at = text.rfind(item["cue"], cs, item["end"])
    return at if at >= 0 else item["start"]


def _pays(text: str, rules: _Rules, start: int, end: int, cs: int) -> bool:
    """Does text[start:end] (the clause before the cue) name what the beneficiary pays,
    draws or a budget? A fee word followed by a benefit (保费补贴) names a subsidy; in a
    clause before the cue's own (``cs``), so does a fee whose clause goes on to grant one
    (按贷款实际利率的50%给予贴息，且不超过LPR的80%: the rate is the subsidy's base)."""
    for m in rules.not_benefit.finditer(text, start, end):
        b = rules.benefit.match(text, m.end())
        if b is not None and b.group() not in rules.measure_noun:
            continue
        if m.start() < cs and m.group() in rules.fee and rules.benefit.search(
                text, m.end(), min(cs, clause_end(text, m.end()))) is not None:
            continue
        if m.group() in rules.fee and rules.public_pays.search(
                text, sentence_start(text, m.start()), m.start()) is not None:
            continue  # 财政…免费提供节能诊断，每家企业诊断服务费用不超过2万元: the purse pays the fee
        return True
    return False


def _run(eaches: list[Each]) -> list[Each]:
    """The last run of adjacent 每X/单X phrases (每家企业每个线上展会)."""
    if not eaches:
        return []
    start = len(eaches) - 1
    while start > 0 and eaches[start - 1].end == eaches[start].start:
        start -= 1
    return eaches[start:]


def _scope(text: str, rules: _Rules, quals: Qualifiers, item: dict[str, Any],
           same: list[tuple[int, int]], numbered: list[tuple[int, int]]
           ) -> tuple[str | None, int | None]:
    """The bearer of the ceiling: own clause first, then earlier number-free clauses.

    In its own clause the bearer is read after the previous number of the same unit (a
    percentage between 每个展位 and its 不超过2万元 does not hide it); the item's own
    ``每场`` prefix counts. A time unit closing a chain is the rate's per, not the bearer
    (每家企业每年最高 → 每家企业); a lone 每年 is the scope only when no bearer noun opens
    the clause (创业团队每年最高5万元 → 创业团队).
    """
    s = item["start"]
    cs = clause_start(text, s)
    i = bisect_right(same, (s, s)) - 1  # items are sorted and do not overlap
    prev_end = same[i][1] if i >= 0 and cs < same[i][1] <= s else cs
    run = _run([e for e in quals.eaches(text, prev_end, item["end"]) if e.end <= item["end"]])
    while len(run) > 1 and run[-1].per in rules.time_per:
        run = run[:-1]
    if run:
        if not (len(run) == 1 and run[0].per in rules.time_per):
            return text[run[0].start:run[-1].end], run[0].start
        got = _subject(text, rules, cs, run[0].start)
        return got if got is not None else (text[run[0].start:run[0].end], run[0].start)
    m = rules.bearer.search(text, prev_end, s)
    if m is not None:
        return m.group("scope"), m.start("scope")
    got = _subject(text, rules, cs, s)
    if got is not None:
        return got
    ss = sentence_start(text, s)
    end = cs - 1
    for _ in range(_BACK_CLAUSES):
        if end <= ss or text[end] in "；;":  # what stands before a ；is another item's
            break
        start = clause_start(text, end)
        j = bisect_left(numbered, (start, -1))
        if not (j < len(numbered) and numbered[j][0] < end):  # no number of its own
            run = _run(quals.eaches(text, start, end))
            if any(e.per not in rules.time_per for e in run):  # a lone 每年 there is a
                return text[run[0].start:run[-1].end], None     # time, never a bearer
        end = start - 1
    got = _fragment_scope(text, rules, quals, ss)
    return got if got is not None else (None, None)


def _fragment_scope(text: str, rules: _Rules, quals: Qualifiers, ss: int
                    ) -> tuple[str, int] | None:
    """The bearer of a ceiling on its own short line above it (单个项目 / 最高补助 / 200万元):
    a 每X/单X phrase, as ``_fragment_benefit`` reads the benefit."""
    for ps, pe in _fragment_lines(text, ss):
        run = _run(quals.eaches(text, ps, pe))
        if any(e.per not in rules.time_per for e in run):  # (a lone 每年 is a time)
            return text[run[0].start:run[-1].end], run[0].start
    return None


def _subject(text: str, rules: _Rules, cs: int, end: int) -> tuple[str, int] | None:
    """The category bearer opening the clause that starts at ``cs``. A headline's space
    separates phrases (…新政 科技型企业最高可获…): the phrase after the last space opens it."""
    while cs < end and text[cs] == "\ufffd":  # undecodable bytes opening it (。��个人…)
        cs += 1
    got = _category(text, rules, cs, end)
    if got is None and (sp := text.rfind(" ", cs, end)) >= 0:
        got = _category(text, rules, sp + 1, end)
    return got


def _category(text: str, rules: _Rules, start: int, end: int) -> tuple[str, int] | None:
    """A bearer noun phrase that is the whole subject of the clause text[start:end]
    (博士最高…, ③C类人才最高…, 个人创业担保贷款最高额度…)."""
    m = rules.category.match(text, start, end)
    return (m.group("scope"), m.start("scope")) if m is not None else None
