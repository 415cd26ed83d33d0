"""Extract percentages (GUIDELINES "percentages"): 50%, 百分之五, 5个百分点, ranges, qualifiers."""
from __future__ import annotations

import math
from typing import Any

from ..document import Doc
from ..patterns.engine import default_pack
from .clauses import damaged, excluded_checker
from .numbers import parse_number, tidy
from .qualifiers import attach_list_qualifiers, qualifiers_for

FIELD = "percentages"
_MAX_LEN = 40  # longer than this is a code or garbage


def _cn_percent(s: str) -> float:
    """``五十`` → 50; ``十二点五`` → 12.5."""
    whole, _, frac = s.partition("点")
    value = parse_number(whole) if whole else 0.0
    if frac:
        value += float("0." + "".join(str(int(parse_number(c))) for c in frac))
    return value


def _listed(text: str, item: dict[str, Any]) -> bool:
    """Is the item followed right away by another number (a list member, not a lone number)?"""
    return text[item["end"]:item["end"] + 1] in ("、", "-", "—", "至")


def _listed_after(text: str, item: dict[str, Any]) -> bool:
    """Does the item follow another list member (…、50%)? Only a list's first member may
    take a qualifier from a comparative word farther before it."""
    return item["start"] > 0 and text[item["start"] - 1] in ("、", "-", "—", "至")


def extract_percentages(doc: Doc) -> list[dict[str, Any]]:
    """Every percentage in ``doc.text``, sorted by start."""
    pack = doc.pack or default_pack()
    quals = qualifiers_for(pack)
    text = doc.text
    found: list[tuple[dict[str, Any], tuple[str, str] | None]] = []
    covered = bytearray(len(text))  # chars already inside a percentage (patterns may overlap)
    excluded = excluded_checker(doc.excluded)
    for pat in pack.patterns(FIELD):
        if pat.compiled is None:
            continue
        kind = pat.attrs.get("kind")
        for m in pack.scan(pat, text):
            s, e = m.span()
            if any(covered[s:e]):
                continue
            if excluded(s, e) or damaged(text, s, e):
                continue
            groups = m.groupdict()
            try:
                value = _cn_percent(groups["cn"]) if groups.get("cn") else parse_number(groups["num"])
                low = parse_number(groups["lo"]) if groups.get("lo") else None
            except (ValueError, KeyError):
                continue
            if not math.isfinite(value) or len(m.group(0)) > _MAX_LEN:
                continue
            w = quals.widen(text, s, e, per_allowed=False)
            cue = (w.cue, w.side or "prefix") if w.cue else None
            item: dict[str, Any] = {"text": text[w.start:w.end], "start": w.start, "end": w.end,
                                    "value": tidy(value), "low": None, "high": None,
                                    "qualifier": w.qualifier or "exact"}
            if low is not None:
                if low < value:
                    item.update(value=None, low=tidy(low), high=tidy(value), qualifier="range")
                    cue = None
                else:  # not a range (a date or code before the dash): the number alone
                    ns = m.start("num")
                    w = quals.widen(text, ns, e, per_allowed=False)
                    cue = (w.cue, w.side or "prefix") if w.cue else None
                    item.update(text=text[w.start:w.end], start=w.start, end=w.end,
                                qualifier=w.qualifier or "exact")
            if item["qualifier"] == "exact" and (not _listed(text, item) or not _listed_after(
                    text, item)):
                # (a list's first member too: 按不超过实际支出的50%、40% → both max)
                far = quals.far_prefix(text, item["start"], item["start"] - quals.far_reach)
                if far is not None:  # 不低于2021年12月份70%: min, the span stays the number
                    item["qualifier"], cue = far[0], (far[1], "far")
            if kind:
                item["kind"] = kind
            covered[s:e] = b"\x01" * (e - s)
            found.append((item, cue))
    found.sort(key=lambda f: (f[0]["start"], f[0]["end"]))
    items = [f[0] for f in found]
    cues = {i: f[1] for i, f in enumerate(found) if f[1] is not None}
    attach_list_qualifiers(text, items, cues)
    for i, item in enumerate(items):
        item["cue"] = cues[i][0] if i in cues else None
    return items
