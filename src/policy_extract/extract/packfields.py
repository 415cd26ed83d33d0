"""Generic interpreters for fields that a pattern file defines (``handler:`` in the file).

A pack file for a new field names one of the ``HANDLERS`` below; the handler reads the
named groups of the field's patterns, so a developer adds a field by writing YAML only.

``quantity``
    a number (or range) with a unit, widened over the qualifier words of quantity.yaml.
    Groups: ``num`` (required; the item starts there, regex text before it is context),
    ``num2`` (upper bound of a range), ``unit`` (else the pattern's ``unit`` attribute).
    Optional vocab: ``cue`` (goal words; when present a core counts only if one stands
    before it in the same clause, within ``settings.cue_window`` characters),
    ``threshold_cue``, ``subject_lead`` / ``subject_tail`` / ``list_joiners`` and fragment
    ``subject_time`` (how the thing counted is read; ``settings.subject`` turns it on, by
    default when ``cue`` exists). Items: ``text start end value low high unit qualifier
    cue subject``.
``match``
    every match is an item: ``text start end`` plus each named group that matched and the
    pattern's ``value`` / ``kind`` attributes (``settings.exclude_zones: true`` skips 《》
    titles and document numbers).
"""
from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

import regex

from ..document import Doc
from ..patterns.engine import Pack, PatternError
from .clauses import CLAUSE_BREAKS, clause_end, clause_start, damaged
from .numbers import tidy
from .qualifiers import qualifiers_for
from .quantity import parse

Handler = Callable[[Doc, str], list[dict[str, Any]]]
# record keys a pack field may not take (the built-in fields have their own extractors)
RESERVED = frozenset({"schema", "doc_id", "meta", "text", "measures", "warnings", "source",
                      "amounts", "caps", "percentages", "dates", "units"})
# characters that end a subject read after the unit (十场驻峡…对接活动，帮助… → stop at ，)
_SUBJECT_STOP = CLAUSE_BREAKS | frozenset("、（()）【】《》\n")
_PUNCT_EDGES = " \t、，,；;：:（）()"
_HAN = regex.compile(r"\p{Han}")


def handler_for(pack: Pack, field: str) -> Handler:
    """The interpreter a field's file names; a typo fails loudly with the choices."""
    spec = pack.field(field)
    try:
        return HANDLERS[str(spec.handler)]
    except KeyError:
        raise PatternError(f"{', '.join(spec.origins)}: unknown handler {spec.handler!r} for field "
                           f"{field!r}; known handlers: {sorted(HANDLERS)}") from None


def pack_fields(pack: Pack) -> list[str]:
    """Names of the fields pattern files add (those with a ``handler``), in name order."""
    out = []
    for name, spec in sorted(pack.fields.items()):
        if not spec.handler:
            continue
        if name in RESERVED:
            raise PatternError(f"{', '.join(spec.origins)}: field {name!r} is built in or reserved; "
                               "a file with a handler must define a new field name")
        out.append(name)
    return out


def extract_pack_fields(doc: Doc) -> dict[str, list[dict[str, Any]]]:
    """Run every pack-defined field of ``doc.pack``: ``{field: items}``."""
    if doc.pack is None:
        return {}
    return {name: handler_for(doc.pack, name)(doc, name) for name in pack_fields(doc.pack)}


# -- handler: match ----------------------------------------------------------------------
def extract_matches(doc: Doc, field: str) -> list[dict[str, Any]]:
    """One item per regex match (longest first where matches overlap)."""
    found: list[dict[str, Any]] = []
    # 《》 titles and document numbers are excluded zones for numbers; a match field opts in
    exclude = bool(doc.pack.setting(field, "exclude_zones", False))
    for pat in doc.pack.patterns(field):
        if pat.compiled is None:
            continue
        for m in doc.pack.scan(pat, doc.text):
            s, e = m.span()
            if s == e or damaged(doc.text, s, e) or (exclude and doc.is_excluded(s, e)):
                continue
            item: dict[str, Any] = {"text": m.group(0), "start": s, "end": e}
            item.update({k: v for k, v in m.groupdict().items() if v is not None})
            for key in ("value", "kind"):
                if key in pat.attrs:
                    item[key] = pat.attrs[key]
            found.append(item)
    return _drop_overlaps(found)


# -- handler: quantity -------------------------------------------------------------------
class _QuantityRules:
    """The compiled optional parts of a quantity field (cue words, subject trimming)."""

    def __init__(self, pack: Pack, field: str):
        spec = pack.field(field)
        self.cue = pack.compile(field, "{cue}") if spec.vocab.get("cue") else None
        self.require_cue = bool(pack.setting(field, "require_cue", self.cue is not None))
        self.cue_window = int(pack.setting(field, "cue_window", 40))
        self.subject_max = int(pack.setting(field, "subject_max", 20))
        self.want_subject = bool(pack.setting(field, "subject", self.cue is not None))
        lead = [r"[\s、，,；;：:]"]
        tail = [r"[\s、，,；;：:]"]
        if "subject_time" in spec.fragments:
            lead.append("{subject_time}")
        if self.cue is not None:
            lead.append("{cue}")
        if spec.vocab.get("subject_lead"):
            lead.append("{subject_lead}")
        if spec.vocab.get("subject_tail"):
            tail.append("{subject_tail}")
        self.lead = pack.compile(field, r"\A(?:" + "|".join(lead) + ")+")
        self.tail = pack.compile(field, r"(?:" + "|".join(tail) + r")+\Z")
        ends = [v for v in ("subject_lead", "list_joiners") if spec.vocab.get(v)]
        self.dangling = (pack.compile(field, "(?:" + "|".join(f"{{{v}}}" for v in ends) + r")\s?\Z")
                         if ends else None)
        self.tail_word = (pack.compile(field, r"(?:{subject_tail})\s?\Z")
                          if spec.vocab.get("subject_tail") else None)
        self.threshold = set(spec.vocab.get("threshold_cue", []))

    def find_cues(self, text: str, start: int) -> tuple[regex.Match[str], regex.Match[str]] | None:
        """The first and the last goal word of the clause before ``start``, within the window."""
        if self.cue is None:
            return None
        lo = max(clause_start(text, start, self.cue_window), start - self.cue_window)
        first = last = None
        for m in self.cue.finditer(text, lo, start):
            first = first or m
            last = m
        return (first, last) if first is not None and last is not None else None

    def is_threshold(self, text: str, last_cue: str, end: int) -> bool:
        """达到4万辆的市(州): a condition of eligibility, not a goal."""
        return last_cue in self.threshold and text[end:end + 1] == "的"

    def trim(self, s: str) -> str:
        """Strip times, goal words and verbs from the front, goal/qualifier words from the end."""
        for _ in range(4):  # alternate until stable: 全年组织开展 → '' (bounded)
            before = s
            s = self.lead.sub("", s)
            s = self.tail.sub("", s)
            if s == before:
                break
        return s.strip(_PUNCT_EDGES)

    def subject(self, text: str, left: int, start: int, end: int) -> str | None:
        """The thing counted: the noun phrase before the number, else the one after the unit."""
        raw = text[left:start]
        # 各地市举办[不少于10场]的促销活动: the verb's object follows the unit; but 企业新增[30家]
        dangling = (self.dangling is not None and self.dangling.search(raw) is not None
                    and not (self.tail_word is not None and self.tail_word.search(raw)))
        before = "" if dangling else self.trim(raw)
        if 2 <= len(before) <= self.subject_max and _HAN.search(before):
            return before
        stop = clause_end(text, end, self.subject_max + 8)
        after = text[end:stop]
        for i, c in enumerate(after):
            if c in _SUBJECT_STOP:
                after = after[:i]
                break
        after = self.trim(after.removeprefix("的"))
        if 2 <= len(after) <= self.subject_max and _HAN.search(after):
            return after
        return None


@lru_cache(maxsize=32)
def _rules(pack: Pack, field: str) -> _QuantityRules:
    return _QuantityRules(pack, field)


def extract_quantities(doc: Doc, field: str) -> list[dict[str, Any]]:
    """Numbers with units (and ranges), with qualifier, goal word and the thing counted."""
    pack, text = doc.pack, doc.text
    rules = _rules(pack, field)
    quals = qualifiers_for(pack)
    found: list[dict[str, Any]] = []
    for pat in pack.patterns(field):
        if pat.compiled is None:
            continue
        for m in pack.scan(pat, text):
            groups = m.groupdict()
            if not groups.get("num"):
                continue
            s, e = m.start("num"), m.end()  # text before the number in the regex is context
            if doc.is_excluded(s, e) or damaged(text, s, e):
                continue
            cues = rules.find_cues(text, s)
            if rules.require_cue and cues is None:
                continue
            item = _quantity_item(text, m, pat.attrs, quals)
            if item is None:
                continue
            cue = cues[0] if cues else None
            if cues and rules.is_threshold(text, cues[1].group(0), item["end"]):
                continue
            item["cue"] = cue.group(0) if cue else None
            # where the thing counted may begin: after the goal word, else the clause start
            item["_left"] = cue.end() if cue else clause_start(text, s, rules.cue_window)
            found.append(item)
    items = _drop_overlaps(found)
    prev_end = 0
    for it in items:
        left = max(it.pop("_left"), _last_break(text, it["start"], prev_end))
        it["subject"] = (rules.subject(text, min(left, it["start"]), it["start"], it["end"])
                         if rules.want_subject else None)
        prev_end = it["end"]
    return items


def _last_break(text: str, start: int, floor: int) -> int:
    """Just after the last list separator (、) in the 60 characters before ``start``, or ``floor``."""
    i = text.rfind("、", max(floor, start - 60), start)
    return i + 1 if i >= 0 else floor


def _quantity_item(text: str, m: regex.Match[str], attrs: dict[str, Any],
                   quals: Any) -> dict[str, Any] | None:
    groups = m.groupdict()
    lo = parse(groups["num"])
    if lo is None:
        return None
    hi = parse(groups["num2"]) if groups.get("num2") else None
    if groups.get("num2") and hi is None:
        return None
    w = quals.widen(text, m.start("num"), m.end(), per_allowed=False)
    unit = groups.get("unit") or attrs.get("unit")
    item: dict[str, Any] = {"text": text[w.start:w.end], "start": w.start, "end": w.end,
                            "value": tidy(lo.value), "low": None, "high": None, "unit": unit,
                            "qualifier": w.qualifier or ("min" if lo.more else "exact")}
    if hi is not None:
        if hi.scale > 1 and lo.scale == 1 and lo.value < hi.scale:  # 1-2万亩: 1 means 1万
            lo.value *= hi.scale
        item.update(value=None, low=tidy(lo.value), high=tidy(hi.value), qualifier="range")
    if attrs.get("qualifier"):
        item["qualifier"] = attrs["qualifier"]
    return item


def _drop_overlaps(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Keep the earliest, then longest, of overlapping items; sorted by start."""
    out: list[dict[str, Any]] = []
    for it in sorted(items, key=lambda d: (d["start"], -d["end"])):
        if out and it["start"] < out[-1]["end"]:
            continue
        out.append(it)
    return out


HANDLERS: dict[str, Handler] = {
    "quantity": extract_quantities,
    "match": extract_matches,
}
