"""Qualifier words, per-units and 每X prefixes around a number (vocab in data/quantity.yaml).

Shared by every quantity field: given the span of a core ("number + unit"), widen it over
the adjacent qualifier words (``最高不超过15万元``, ``150亿元以上``), a ``每X`` prefix
(``每场最高30万元``) or slash per-unit (``1000元/人``), and say what they mean.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import regex

from ..patterns.engine import Pack

FIELD = "quantity"
QUALIFIERS = ("max", "min", "approx")


@dataclass
class Each:
    """One ``每X``/``单X`` phrase: its span, and either a per-unit or a bearer (scope) noun."""

    start: int
    end: int
    per: str | None  # 人 for 每人; None for 每家企业 (a bearer, not a denominator)
    bearer: bool
    counted: bool = False  # 每带徒1人: a count of one done (its rate may follow in the next clause)

    def text(self, s: str) -> str:
        return s[self.start:self.end]


@dataclass
class Widened:
    """A core widened over its qualifier words."""

    start: int
    end: int
    qualifier: str | None
    cue: str | None  # the qualifier word as written (最高, 以上 …)
    side: str | None  # "prefix" | "suffix": where the cue stands (for list distribution)
    per: str | None
    each: Each | None


class Qualifiers:
    """Compiled qualifier machinery of one pack."""

    def __init__(self, pack: Pack):
        self.pack = pack
        self.prefix_word = self._words("prefix")
        self.suffix_word = self._words("suffix")
        self.blockers = sorted(pack.vocab(FIELD, "qualifier_blockers"), key=len, reverse=True)
        self._blockers_by_len: dict[int, frozenset[str]] = {
            n: frozenset(b for b in self.blockers if len(b) == n)
            for n in sorted({len(b) for b in self.blockers}, reverse=True)}
        self.window = int(pack.setting("amounts", "prefix_window", 24) or 24)
        self.far_blockers = tuple(pack.vocab(FIELD, "far_blockers"))
        self.far_before = pack.compile(FIELD, r"""
            (?P<q>{prefix_max}|{prefix_min})[^,，;；。：:!！?？\n%％元、]{0,24}\Z""")
        self.classifiers = frozenset(pack.vocab(FIELD, "classifier"))
        self.each_leads = tuple(pack.vocab(FIELD, "each_leads"))
        # minimum words that set a floor on a payment (amounts keep its clause's 每年)
        self.floor_cues = frozenset(pack.vocab(FIELD, "floor_cue"))
        # 产值突破奖励3180万元: a threshold word before a reward noun names the reward
        self.threshold_min = frozenset(pack.vocab(FIELD, "threshold_min"))
        self.reward_nouns = tuple(pack.vocab(FIELD, "reward_noun"))
        # what follows 单笔 when the classifier alone bears the ceiling (单笔最高…, 单笔给予…);
        # read in the whole text, not only up to the end of the span searched (责任单位：…)
        # (a time word may stand between: 单矿年度补贴上限为…)
        self.ceiling_next = pack.compile(FIELD, r"\s?(?:{noun_end})?(?:{gap}|{prefix_any})")
        self.each_re = pack.compile(FIELD, "{each}")
        # a clause opening with a benefit verb (，给予院校2000元): it has no subject of its own
        self.gap_lead = pack.compile(FIELD, r"\s?(?:{gap})")
        # …but a clause opening with a total (奖励总额最高…) names no rate
        self.total_lead = pack.compile(FIELD, r"\s?(?:(?:{gap})\s?){0,2}(?:{total_words})")
        # a change of a sum, 由300万元调整为500万元 (the gap between the two sums)
        self.change = pack.compile(FIELD, r"\s?(?:{change_to})\s?")
        # (the 每X grammar is defined once and called where it stands: compiled three times
        # over, its alternation made this one pattern the slowest of the pack to compile)
        self.left_re = pack.compile(FIELD, r"""
            (?(DEFINE)(?P<E>{each}))
            (?:(?P<q0>{prefix_any})\s?(?={each_leads})  # 不低于[每亩]500万元: before the 每X,
               (?:(?&E)\s?(?={each_leads}))?)?         # or two (不高于每平方米[每月]12元: per 月)
            (?P<each>(?&E))?\s?                     # 每场 / 每人 / 每家企业
            (?:(?:{gap})\s?){0,3}?                    # 每辆[补贴]6000元
            (?P<q>{prefix_any})?\s?                   # 最高 / 不超过 / 约
            (?:(?<={prefix_colon})[为是]?[:：]\s?      # 上限：每家企业20万元
               (?P<each2>(?&E))?\s?)?
            (?:(?:{gap})\s?){0,3}                     # 最高[给予]100万元
            \Z""")
        # speed: left_re changes nothing unless its 每X or qualifier group matches, so a
        # window holding neither word is skipped without the (slow) anchored search (a 每X
        # opens with its lead word: the lead alone is the hint)
        self.left_hint = pack.compile(FIELD, r"{each_leads}|{prefix_any}")
        # speed: a non-empty left_re match begins with one of these; left_re is tried only
        # where one begins (leftmost first), which finds what its search finds
        # (a 每X begins with its lead word: the lead alone marks where one may begin)
        self.left_start = pack.compile(FIELD, r"\s|{each_leads}|{gap}|{prefix_any}")
        # 亩均税收超过30万元: an average per 亩 read just before the number (its span stays)
        self.avg_re = pack.compile(FIELD, r"""
            (?P<avg>{avg_unit})均(?:{avg_reward})?
            (?:(?!{avg_reward})[^\P{Han}均]){0,6}?(?:{prefix_any})?\s?\Z""")
        self.right_re = pack.compile(FIELD, r"""
            (?:\s?[/／]\s?(?P<per>{per_unit}))*      # 1000元/人; 500元/人/月: per 月, as 每人每月
            (?:\s?(?![（(]不?含[）)])[（(][^（）()\n\d。，,；;]{1,10}[）)](?=\s?(?:{suffix_any})))?  # 1000万美元(或等值外币)以上
                                                      # ((含)以上 is a suffix of its own)
            [^\S\n]?(?P<q>{suffix_any})?              # 以上 / 及以下 / 左右 (not across a line
                                                      # break: 奖励5万元 / 以上奖励按…, batch 100)
            """)
        # 用电量不低于2021年12月份70%: a comparative word, a short reference, then the number
        self.far_re = pack.compile(FIELD, r"""
            (?P<q>{prefix_max}|{prefix_min}|{far_approx})
            (?P<ref>[^,，;；。：:!！?？\n%％元、\s]{1,22}?)\s?\Z""")  # (no space: a cell ends there)
        # how far back a far comparative word may stand (不高于2025年全国城镇调查失业率控制目标5.5%:
        # 19 characters of reference; batch 47)
        self.far_reach = 28
        self.far_word = {**self.prefix_word, **dict.fromkeys(pack.vocab(FIELD, "far_approx"), "approx")}

    def _words(self, side: str) -> dict[str, str]:
        out: dict[str, str] = {}
        for q in QUALIFIERS:
            for w in self.pack.vocab(FIELD, f"{side}_{q}"):
                out[w] = q
        return out

    def blocked(self, text: str, start: int, end: int) -> bool:
        """Is the qualifier word text[start:end] the tail of a longer non-qualifier word (签约)?"""
        for n, words in self._blockers_by_len.items():
            if end - n < start and text[max(0, end - n):end] in words:
                return True
        return False

    def each_at(self, m: regex.Match[str], group: str = "each") -> Each | None:
        """Read the 每X phrase captured by ``left_re`` / ``each_re``."""
        if m.start(group) < 0:
            return None
        sub = self.each_re.fullmatch(m.string, m.start(group), m.end(group))
        return self._each(sub) if sub else None

    def _each(self, m: regex.Match[str]) -> Each | None:
        lead = m.string[m.start()]
        if m.group("bearer") or m.group("same"):  # 同一煤矿: the same X bears, never a per
            return Each(m.start(), m.end(), None, True)
        if lead in "单同":
            # 单个重点村, 单笔合同, 同一笔: a single named thing bears a ceiling, and so does a
            # thing alone before the ceiling (单笔最高, 单船补贴不超过) or a classifier that is
            # also a unit (单台套奖励至多); not a time (单次, 单月: units, not classifiers)
            alone = (m.group("open") is not None or m.group("open2") is not None
                     or m.group("unit") in self.classifiers)
            if m.group("noun") or (alone and self.ceiling_next.match(m.string, m.end())):
                return Each(m.start(), m.end(), None, True)
            return None
        if m.group("counted"):
            return Each(m.start(), m.end(), m.group("counted_noun") or m.group("counted"), False, True)
        per = (m.group("noun") or m.group("unit") or m.group("open") or m.group("time")
               or m.group("open2"))
        return Each(m.start(), m.end(), per, False)

    def eaches(self, text: str, start: int, end: int) -> list[Each]:
        """Every 每X / 单X phrase in text[start:end], left to right."""
        if not any(text.find(w, start, end) >= 0 for w in self.each_leads):
            return []  # every phrase opens with a lead word: none, no phrase (most clauses)
        out = []
        for m in self.each_re.finditer(text, start, end):
            e = self._each(m)
            if e is not None:
                out.append(e)
        return out

    def far_prefix(self, text: str, start: int, floor: int = 0) -> tuple[str, str] | None:
        """(qualifier, cue) of a comparative word a short reference before a number."""
        m = self.far_re.search(text, max(0, floor, start - self.far_reach), start)  # never a negative pos
        if m is None or self.blocked(text, m.start("q"), m.end("q")):
            return None
        if len(m.group("q")) == 1:
            return None  # 过/超/逾/近 bound the number right after them (过亿元); far from it one
                         # heads a word (过夜游客占比提升至27%; batch 85)
        if text.startswith(self.far_blockers, m.start("q")):
            # 按超出部分的10%: the excess is a base, not a bound; but a comparative word before
            # the named base still bounds the number (不低于…最低价标准的70% → min)
            at = m.start("q")
            m = self.far_before.search(text, max(0, at - 24), at)  # within one clause
            if m is None or self.blocked(text, m.start("q"), m.end("q")):
                return None
        return self.far_word[m.group("q")], m.group("q")

    def _left(self, text: str, lo: int, start: int) -> regex.Match[str] | None:
        """``left_re.search(text, lo, start)`` (None for its empty match at ``start``)."""
        for c in self.left_start.finditer(text, lo, start, overlapped=True):
            m = self.left_re.match(text, c.start(), start)
            if m is not None:
                return m
        return None

    def widen(self, text: str, start: int, end: int, *, per_allowed: bool = True,
              floor: int = 0) -> Widened:
        """Widen the core text[start:end] over adjacent qualifier words, 每X and /X."""
        w = Widened(start, end, None, None, None, None, None)
        lo = max(floor, start - self.window)
        m = self._left(text, lo, start) if self.left_hint.search(text, lo, start) else None
        if m is not None and m.start() < start:
            each = None
            if per_allowed:
                each = self.each_at(m) or self.each_at(m, "each2")
            q = "q" if m.group("q") is not None else "q0"
            q_ok = m.group(q) is not None and not self.blocked(text, m.start(q), m.end(q)) and not (
                m.group(q) in self.threshold_min and text.startswith(self.reward_nouns, m.end(q)))
            if q_ok:
                w.qualifier = self.prefix_word[m.group(q)]
                w.cue, w.side = m.group(q), "prefix"
                w.start = m.start(q)
            if each is not None and not each.bearer:
                w.each, w.per, w.start = each, each.per, min(w.start, each.start)
            elif each is not None:
                w.each = each
        if per_allowed and w.each is None and text.find("均", max(lo, start - 12), start) >= 0:
            a = self.avg_re.search(text, max(lo, start - 12), start)
            if a is not None:
                w.per = a.group("avg")
        r = self.right_re.match(text, end)
        if r is not None:
            if per_allowed and r.group("per"):
                w.per = r.group("per")
                w.end = r.end("per")
            if r.group("q"):
                w.qualifier = w.qualifier or self.suffix_word[r.group("q")]
                if w.cue is None:
                    w.cue, w.side = r.group("q"), "suffix"
                w.end = r.end("q")
        return w


@lru_cache(maxsize=8)
def qualifiers_for(pack: Pack) -> Qualifiers:
    """One compiled Qualifiers per pack (packs are cached per process)."""
    return Qualifiers(pack)


def attach_list_qualifiers(text: str, items: list[dict[str, Any]], cues: dict[int, tuple[str, str]],
                           seps: frozenset[str] = frozenset("、和及或")) -> None:
    """Distribute a qualifier over a list of same-unit numbers joined by 、.

    A prefix cue applies forward (``不超过150万元、100万元、50万元`` → all max); a suffix cue
    applies backward (``200%、150%、100%以上`` → all min). ``cues`` maps an item index to its
    (cue, side); items gaining a qualifier get the same cue.
    """
    runs: list[list[int]] = []
    for i in range(len(items)):
        if runs and _joined(text, items[runs[-1][-1]], items[i], seps):
            runs[-1].append(i)
        else:
            runs.append([i])
    for run in runs:
        if len(run) < 2:
            continue
        first, last = run[0], run[-1]
        if first in cues and cues[first][1] in ("prefix", "far"):  # 不超过实际支出的50%、40%
            for i in run[1:]:
                if items[i]["qualifier"] != "exact" or i in cues:
                    break
                items[i]["qualifier"] = items[first]["qualifier"]
                cues[i] = (cues[first][0], "list")
        if last in cues and cues[last][1] == "suffix":
            for i in reversed(run[:-1]):
                if items[i]["qualifier"] != "exact" or i in cues:
                    break
                items[i]["qualifier"] = items[last]["qualifier"]
                cues[i] = (cues[last][0], "list")


def _joined(text: str, a: dict[str, Any], b: dict[str, Any], seps: frozenset[str]) -> bool:
    between = text[a["end"]:b["start"]].strip()
    return len(between) == 1 and between in seps
