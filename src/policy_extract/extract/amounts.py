"""Extract sums of money (GUIDELINES "amounts").

Steps: find cores with every ``amounts`` pattern (number + unit, maybe a range's lower bound;
a pattern's named groups ``num``/``cn``/``cur``/``lo`` say what it read, and one that
overlaps a core already found is skipped);
widen each over qualifier words, 每X and /X (extract/qualifiers.py); merge ``超过A不足B`` into
one range; add bare 万/亿 rewards in sentences about money (``kind: bare`` patterns);
turn ``每1美元`` into the next sum's per-unit; distribute a qualifier over a ``、`` list; read a
per-unit from a 每X earlier in the clause (``每个展位(…)50%且不超过2万元``) or from the sum a
``由…提高至`` raises, or from a count of one in the clause before (``每带徒1人…，给予2000元``).
"""
from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

import regex

from ..document import Doc
from ..patterns.engine import Pack, Pattern, default_pack
from .clauses import (
    cell_start,
    clause_start,
    damaged,
    excluded_checker,
    sentence_end,
    sentence_start,
)
from .numbers import tidy
from .qualifiers import Qualifiers, attach_list_qualifiers, qualifiers_for
from .quantity import parse, scale_only

FIELD = "amounts"
_RANGE_JOIN = ("", "且", "而")  # 超过25亿元[且]不足100亿元 → one range


def extract_amounts(doc: Doc) -> list[dict[str, Any]]:
    """Every sum of money in ``doc.text``, sorted by start (item shape in FORMAT.md)."""
    pack = doc.pack or default_pack()
    quals = qualifiers_for(pack)
    text = doc.text
    items: list[dict[str, Any]] = []
    cues: dict[int, tuple[str, str]] = {}
    found: list[tuple[dict[str, Any], tuple[str, str] | None]] = []
    excluded = excluded_checker(doc.excluded)
    pats = [p for p in pack.patterns(FIELD) if p.compiled is not None]
    for pat in pats:
        if pat.attrs.get("kind") == "bare":
            continue
        covered = excluded_checker([(f[0]["start"], f[0]["end"]) for f in found])
        for m in pack.scan(pat, text):
            if found and covered(m.start(), m.end()):
                continue  # another money pattern already read this sum
            got = _money(doc, pack, quals, m, excluded)
            if got is not None:
                found.append(got)
    for pat in pats:
        if pat.attrs.get("kind") == "bare":
            found.extend(_bare(doc, pack, quals, pat, [f[0] for f in found], excluded))
    found.sort(key=lambda f: (f[0]["start"], f[0]["end"]))
    found = _merge_ranges(text, found)
    for i, (item, cue) in enumerate(found):
        items.append(item)
        if cue is not None:
            cues[i] = cue
    _denominators(text, pack, items, cues)
    attach_list_qualifiers(text, items, cues)
    _changed_bound(text, quals, items, cues)
    _clause_per(text, quals, items, cues)
    for i, item in enumerate(items):
        item["cue"] = cues[i][0] if i in cues else None
    return items


# what may follow a denominator whose sum the end of an excerpt cut off: a few characters, no stop
_CUT_TAIL = regex.compile(r"[^。；;！!？?\n]{0,12}")


def _denominators(text: str, pack: Pack, items: list[dict[str, Any]],
                  cues: dict[int, tuple[str, str]]) -> None:
    """``每1美元奖励0.01元``, ``每增长1美元奖励0.02元``: the ``1美元`` after 每 (and a verb of
    growth or trade) is the next sum's per-unit, not a sum; when the page is cut off before
    that sum (``每1美元奖励0.``) it is no sum either."""
    den = pack.compile(FIELD, "{denominator}")
    lead = pack.compile(FIELD, "{denominator_lead}")
    drop: list[int] = []
    for i, item in enumerate(items):
        s = item["start"]
        if s == 0 or item["qualifier"] != "exact" or "每" not in text[max(0, s - 5):s] or (
                lead.search(text, max(0, s - 5), s) is None):
            continue
        m = den.fullmatch(text, s, item["end"])
        if m is None:
            continue
        nxt = items[i + 1] if i + 1 < len(items) else None
        if nxt is None or clause_start(text, nxt["start"]) > s:
            if _CUT_TAIL.fullmatch(text, item["end"]):
                drop.append(i)  # its sum was cut off with the page: 每1美元奖励0.
            continue  # (增量每增加1亿元，加奖10万元: a sum of its own)
        if nxt["per"] is not None:
            continue
        nxt["per"] = m.group("den")
        drop.append(i)
    if drop:
        keep = [i for i in range(len(items)) if i not in drop]
        moved = {n: cues[o] for n, o in enumerate(keep) if o in cues}
        items[:] = [items[o] for o in keep]
        cues.clear()
        cues.update(moved)


@lru_cache(maxsize=32)
def _sorted_keys(keys: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(keys, key=len, reverse=True))


def _longest_first(table: dict[str, Any]) -> tuple[str, ...]:
    """A table's keys, longest first (cached: the table is the pack's, read per match)."""
    return _sorted_keys(tuple(table))


def _item(text: str, start: int, end: int, value: float | None, low: float | None,
          high: float | None, currency: str, per: str | None, qualifier: str) -> dict[str, Any]:
    return {"text": text[start:end], "start": start, "end": end,
            "value": None if value is None else tidy(value),
            "low": None if low is None else tidy(low), "high": None if high is None else tidy(high),
            "currency": currency, "per": per, "qualifier": qualifier}


def _money(doc: Doc, pack: Pack, quals: Qualifiers, m: regex.Match[str],
           excluded: Callable[[int, int], bool]) -> tuple[dict[str, Any], tuple[str, str] | None] | None:
    text = doc.text
    if excluded(m.start(), m.end()) or damaged(text, m.start(), m.end()):
        return None
    implied = False
    gd = m.groupdict()
    if gd.get("num"):
        num = parse(gd["num"])
    elif gd.get("cn"):
        cn = gd["cn"]
        implied = scale_only(cn)
        num = parse(cn + (gd.get("cn_more") or ""))
    else:
        return None
    if num is None:
        return None
    currency = pack.table(FIELD, "currency").get(gd.get("cur"), "CNY")
    if gd.get("cur") == "元" and m.start() > 0 and not (gd.get("lo") or gd.get("lo_cn")):
        pre = pack.compile(FIELD, r"(?P<cur>{currency_prefix})\s?\Z").search(
            text, max(0, m.start() - 8), m.start())
        if pre is not None:  # 奖励HKD 300万元: the code written before the number decides
            currency = pack.table(FIELD, "currency").get(pre.group("cur"), currency)
    w = quals.widen(text, m.start(), m.end())
    if implied:
        # 亿元以上 counts (a size class); a bare 万元 (a table's unit) does not
        after = pack.table(FIELD, "implied_after")
        tail = next((k for k in _longest_first(after) if text.startswith(k, m.end())), None)
        if w.qualifier is None and tail is None:
            before = pack.table(FIELD, "implied_before")
            lead = next((k for k in _longest_first(before)
                         if m.start() >= len(k) and text.startswith(k, m.start() - len(k))), None)
            if lead is None:
                return None
            w.qualifier = before[lead]  # 满千元: a threshold written with its scale word only
        if w.qualifier is None and tail is not None:
            w.qualifier, w.cue, w.side = after[tail], tail, "suffix"
            w.end = m.end() + len(tail)
    cue = (w.cue, w.side or "prefix") if w.cue else None
    if gd.get("lo") or gd.get("lo_cn"):
        lo = parse(gd.get("lo") or gd["lo_cn"])
        if lo is not None:
            low = lo.value
            if lo.scale == 1 and not gd.get("lo_cur"):
                low *= num.scale  # 15-25万元, 500至2000万元: the upper bound's scale applies
                if gd.get("lo_cn") and gd.get("cn") and low < 10:
                    low *= _SCALE_WORDS.get(gd["cn"][-1], 1)  # 一至五万元, 三至五千元
            if low < num.value:
                return _item(text, w.start, w.end, None, low, num.value, currency, w.per, "range"), None
        # not a range after all (a date or a code before the dash): keep the upper number
        start = m.start("num") if gd.get("num") else m.start("cn")
        w2 = quals.widen(text, start, m.end())
        cue = (w2.cue, w2.side or "prefix") if w2.cue else None
        return _item(text, w2.start, w2.end, num.value, None, None, currency, w2.per,
                     w2.qualifier or "exact"), cue
    qualifier = w.qualifier or "exact"
    if num.more:
        qualifier, cue = "min", ("余", "infix")
    return _item(text, w.start, w.end, num.value, None, None, currency, w.per, qualifier), cue


_SCALE_WORDS = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}


def _merge_ranges(text: str, found: list[tuple[dict[str, Any], tuple[str, str] | None]]
                  ) -> list[tuple[dict[str, Any], tuple[str, str] | None]]:
    """``超过25亿元不足100亿元``: a min bound right before a max bound is one range."""
    out: list[tuple[dict[str, Any], tuple[str, str] | None]] = []
    for item, cue in found:
        if out:
            prev = out[-1][0]
            if (prev["qualifier"] == "min" and item["qualifier"] == "max"
                    and text[prev["end"]:item["start"]] in _RANGE_JOIN
                    and prev["value"] is not None and item["value"] is not None
                    and prev["value"] < item["value"] and prev["currency"] == item["currency"]):
                start = prev["start"]
                out[-1] = (_item(text, start, item["end"], None, prev["value"], item["value"],
                                 item["currency"], prev["per"] or item["per"], "range"), None)
                continue
        out.append((item, cue))
    return out


def _bare(doc: Doc, pack: Pack, quals: Qualifiers, pat: Pattern, taken: list[dict[str, Any]],
          excluded: Callable[[int, int], bool]) -> list[tuple[dict[str, Any], tuple[str, str] | None]]:
    """Rewards written with 万/亿 but no 元 (a ``kind: bare`` pattern), in sentences about money."""
    text = doc.text
    context = pack.compile(FIELD, "{money_context}")
    taken_at = excluded_checker([(t["start"], t["end"]) for t in taken])
    out: list[tuple[dict[str, Any], tuple[str, str] | None]] = []
    for m in pack.scan(pat, text):
        if m.groupdict().get("num") is None:
            continue
        s, e = m.span("num")
        if taken_at(s, e):
            continue
        if excluded(s, e) or damaged(text, s, e):
            continue
        if context.search(text, sentence_start(text, s), sentence_end(text, e)) is None:
            continue
        num = parse(m.group("num"))
        if num is None:
            continue
        w = quals.widen(text, s, e, per_allowed=True)
        cue = (w.cue, w.side or "prefix") if w.cue else None
        out.append((_item(text, w.start, w.end, num.value, None, None, "CNY", w.per,
                          w.qualifier or "exact"), cue))
    return out


def _changed_bound(text: str, quals: Qualifiers, items: list[dict[str, Any]],
                   cues: dict[int, tuple[str, str]]) -> None:
    """``补助上限由300万元调整为500万元``: the new sum is bounded like the old one."""
    change = quals.change
    for i in range(1, len(items)):
        prev, item = items[i - 1], items[i]
        if (item["qualifier"] == "exact" and prev["qualifier"] in ("max", "min")
                and (i - 1) in cues and cues[i - 1][1] == "prefix"
                and change.fullmatch(text, prev["end"], item["start"])):
            item["qualifier"] = prev["qualifier"]
            cues[i] = cues[i - 1]


def _clause_per(text: str, quals: Qualifiers, items: list[dict[str, Any]],
                cues: dict[int, tuple[str, str]]) -> None:
    """A 每X earlier in the clause is the per-unit of a payment (not of a threshold);
    ``每月…由1500元提高至2000元``: the new sum keeps the old one's per-unit, and so does the
    next sum of a 、 list (``分别按每人每月3000元、1500元``)."""
    change = quals.change
    prev: dict[str, Any] | None = None
    for i, item in enumerate(items):
        # a minimum is a threshold or a size class (每年…投资1亿元以上的项目, 每年引进10亿元以上
        # 项目), not a rate; a floor of a payment or budget keeps its 每年 (每年安排资金不少于5亿元)
        threshold = item["qualifier"] == "min" and cues.get(i, ("",))[0] not in quals.floor_cues
        if item["per"] is None and not threshold:
            if prev is not None and prev["per"] is not None and (
                    change.fullmatch(text, prev["end"], item["start"])
                    or text[prev["end"]:item["start"]] == "、"):  # 每人每月3000元、1500元
                item["per"] = prev["per"]
            else:
                # (within the sum's table cell: 每年兑现一次 镇市场监督管理所 7 … 1000万元 on a
                # page that lost its breaks is another row's; batch 100)
                lo = cell_start(text, max(clause_start(text, item["start"]), prev["end"] if prev else 0),
                                item["start"])
                rates = [e for e in quals.eaches(text, lo, item["start"]) if not e.bearer]
                if (not rates and lo > 0 and text[lo - 1] in "，," and quals.gap_lead.match(text, lo)
                        and not quals.total_lead.match(text, lo)):
                    # 对每培养1名…的学员，给予院校2000元: a count of one in the clause before
                    # is the rate's unit when this clause only says what is given
                    rates = [e for e in quals.eaches(text, clause_start(text, lo - 1), lo - 1)
                             if e.counted]
                if rates:
                    item["per"] = rates[-1].per
        prev = item
