"""The normalizer's data (``data/normalize.yaml``) compiled once per pattern pack.

Everything here depends on the pack only, never on a document, so it is built once per pack
(kept beside the pack object) and shared by every document normalized with it.
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from typing import Any

import regex

from ..patterns.engine import Pack, default_pack

FIELD = "normalize"
MEMO_CHARS = 2_000_000  # a line memo is emptied once its lines add up to more characters


class LineMemo(dict):  # type: ignore[type-arg]
    """Answers about lines, kept across passes and documents; its memory is bounded by the
    characters of its keys (long one-line documents must not pile up), not by their count."""

    def __init__(self) -> None:
        super().__init__()
        self.chars = 0

    def put(self, line: str, value: Any) -> None:
        if self.chars + len(line) > MEMO_CHARS:
            self.clear()
        self[line] = value
        self.chars += len(line)

    def clear(self) -> None:
        super().clear()
        self.chars = 0


@dataclass
class Rules:
    """Compiled furniture, pinyin and label patterns plus the vocab-built regexes and settings."""

    furniture: list[tuple[str, regex.Pattern[str]]]
    pinyin: list[tuple[str, regex.Pattern[str]]]
    labels: list[tuple[str, regex.Pattern[str]]]
    units: regex.Pattern[str]          # a stray space next to a digit to drop
    title_end: regex.Pattern[str]      # a line ending like a title
    question: regex.Pattern[str]       # a question word before "?"
    settings: dict[str, Any]
    # ``kind: space`` patterns (第 一 条 → 第一条): (name, pattern matched at a line start,
    # anchor, how far into the line the anchor's hit may be)
    spacing: list[tuple[str, regex.Pattern[str], regex.Pattern[str], int]] = field(
        default_factory=list)
    # ``kind: word_space`` patterns (不超 过300万元 → 不超过300万元): (name, pattern found
    # anywhere); the spaces inside each match go
    word_spacing: list[tuple[str, regex.Pattern[str]]] = field(default_factory=list)
    # all furniture patterns as one alternation: a line it does not fullmatch is no furniture,
    # so the patterns are tried one by one only on the rare lines it does (None: not built)
    furniture_any: regex.Pattern[str] | None = None
    # all label patterns as one alternation: a line it does not match starts with no label
    # (one regex call for most lines instead of one per pattern; None: not built)
    label_any: regex.Pattern[str] | None = None
    # per pinyin pattern, its ``anchor`` (a regex every match contains) or None: a text
    # without a hit of the anchor cannot hold a match, and the pattern is not run over it
    pinyin_anchors: list[regex.Pattern[str] | None] = field(default_factory=list)
    # a title_end match is one vocab word at the end (or before a final "\n"): searching this
    # many last chars of a line finds the same as searching all of it
    title_tail: int = 1 << 30
    # headings of a page's trailing list of related links (相关新闻：): the short lines after
    # the last one, to the end of the text, are links, not body
    related_heads: tuple[str, ...] = ()
    # a related-links heading run on into a long last line (a page that lost its breaks)
    run_on_links: regex.Pattern[str] | None = None
    # the site's clock opening a page that lost its line breaks (2026年05月10日 星期日 …)
    run_on_clock: regex.Pattern[str] | None = None
    # the end of a page's <title> line (…的通知_某市人民政府门户网站): the line ends there
    site_suffix: regex.Pattern[str] | None = None
    # print/close widget words (【打印本页】【关闭窗口】): the short lines after the last
    # furniture line holding one, to the end of the text, are the page's footer
    closing_widgets: tuple[str, ...] = ()
    # the one-character units after a number (``units``: 年, 日, 万, 元 …): a page break after a
    # digit runs on into one (…有效期至2026年12月31 / — 2 — / 日。)
    number_units: frozenset[str] = frozenset()
    # the end of a line holding just the rest of an organ's name (集聚区管委会): a 责任单位 line
    # wrapped inside a name runs on into it
    organ_end: regex.Pattern[str] | None = None
    _label_memo: LineMemo = field(default_factory=LineMemo, repr=False)
    # per-line facts the joiner derives from these rules (see join.py), remembered per pack
    line_memo: LineMemo = field(default_factory=LineMemo, repr=False)
    furniture_memo: LineMemo = field(default_factory=LineMemo, repr=False)

    def setting(self, name: str, default: Any) -> Any:
        return self.settings.get(name, default)

    def label_at(self, line: str) -> tuple[str, str] | None:
        """The (pattern name, label text) starting ``line``, if any.

        Memoised: the joiner asks about the same lines several times per document.
        """
        memo = self._label_memo
        try:
            return memo[line]
        except KeyError:
            pass
        got = self.find_label(line)
        memo.put(line, got)
        return got

    def find_label(self, line: str) -> tuple[str, str] | None:
        """``label_at`` without its memo (for callers that keep the answer themselves)."""
        if self.label_any is not None and self.label_any.match(line) is None:
            return None  # no pattern matches where their union does not
        for name, pat in self.labels:
            m = pat.match(line)
            if m and m.end() > 0:
                return name, m.group(0)
        return None


# keyed by the pack object itself (not its id, which a later pack may reuse)
_CACHE: weakref.WeakKeyDictionary[Pack, Rules] = weakref.WeakKeyDictionary()


def rules_for(pack: Pack | None = None) -> Rules:
    """The rules of ``pack`` (the default pack when None), compiled once."""
    pack = pack or default_pack()
    got = _CACHE.get(pack)
    if got is None:
        got = _CACHE[pack] = _compile(pack)
    return got


def _union(pats: list[regex.Pattern[str]]) -> regex.Pattern[str] | None:
    """One regex matching where any of ``pats`` matches (None when they cannot be combined)."""
    if not pats or len({p.flags for p in pats}) != 1:
        return None
    if any(regex.search(r"\\[1-9]|\(\?P=|\\g<", p.pattern) for p in pats):
        return None  # group references would change meaning once groups are renumbered
    if any(regex.search(r"\(\?[a-zA-Z0-9]+\)", p.pattern) for p in pats):
        return None  # an inline flag "(?i)" would apply to the other patterns too
    # each source on its own lines: a VERBOSE "# comment" must not swallow the ")"
    source = "|".join(f"(?:\n{p.pattern}\n)" for p in pats)
    try:
        return regex.compile(source, pats[0].flags)
    except regex.error:
        return None


def _compile(pack: Pack) -> Rules:
    spec = pack.field(FIELD)
    by_kind: dict[str, list[tuple[str, regex.Pattern[str]]]] = {}
    anchors: list[regex.Pattern[str] | None] = []
    spacing = []
    for pat in spec.patterns.values():
        assert pat.compiled is not None
        kind = str(pat.attrs.get("kind", ""))
        by_kind.setdefault(kind, []).append((pat.name, pat.compiled))
        if kind == "space":
            spacing.append((pat.name, pat.compiled,
                            pack.compile(FIELD, str(pat.attrs.get("anchor") or "[ ]")),
                            int(pat.attrs.get("anchor_before", 16))))
        if kind == "pinyin":
            anchor = pat.attrs.get("anchor")
            anchors.append(pack.compile(FIELD, str(anchor)) if anchor else None)
    units = pack.alternation(FIELD, "units")
    unit_words = pack.alternation(FIELD, "unit_words") if spec.vocab.get("unit_words") else "(?!)"
    furniture = by_kind.get("furniture", [])
    return Rules(
        furniture=furniture,
        pinyin=by_kind.get("pinyin", []),
        labels=by_kind.get("label", []),
        spacing=spacing,
        word_spacing=by_kind.get("word_space", []),
        units=regex.compile(
            rf"(?<=[\d%‰])(?<!^\d{{1,3}})[ ]+(?!{unit_words})(?={units})"  # 2024 年 / 50% 的 (not a row:
            # 3 项目; nor a word that opens with a unit's character: 8 个人消费贷款贴息, 9 家电回收)
            r"(?<!\d[-/.]\d{1,2}[-/.]\d{1,2}[ ]*)(?<!\d:\d\d[ ]*)"  # nor after a written date or
            # clock (发布日期：2026-03-20 百色市…关于…的通知: a line break lost there)
            r"|(?<=\d)[ ]+(?=[%‰])"  # 30 % (a Word export's spacing: a number keeps its sign)
            r"|(?<=\d)[ ](?=0+(?:[ ]0+)*(?:万|亿|千|百|元|%))"  # 5 000万元, 1 00万元: no number starts with 0
            r"|(?<=\p{Han})[ ]+(?=\d)(?!\d{4}(?:[-/.年—–~～]|至\d))"  # 达 5000 (not a date: 新闻 2022-09-28,
            r"(?!0\d{2,3}[-－—]\d|1[3-9]\d{9}(?!\d))"  # nor a phone cell: 区国资委 010-69443521, 13912345678
            # 2026—2028年 in a table's last cell,
            # 申报时间 2024年…: a cell or a signature ends before a year; but a Word export
            # spaces both sides, 自 2025 年 7 月: that space goes)
            r"(?!\d{1,3}[.．、](?:(?![\d%])|(?=(?:19|20)\d{2}年)))"  # nor a label: 重点任务 1.实施,
            r"(?!\d{1,2}[)）])"  # 要素成本 5.2025年5月1日起… (a year after the label's dot)
            rf"(?!\d{{1,3}}[ ]+(?:(?!(?!{unit_words}){units})\p{{Han}}|[“【]|[A-Z]{{1,6}}\p{{Han}}))",  # nor a row number between two cells
            # of a table run in on one line: 备注 1 外贸稳增长奖励, 市统计局 7 A级物流企业奖励, 9 GMP车间改造补助 (a
            # count has its unit: 达 3 家)
            regex.M,
        ),
        title_end=regex.compile(pack.alternation(FIELD, "title_endings") + r"$"),
        question=regex.compile(pack.alternation(FIELD, "question_words")),
        settings=dict(spec.settings),
        furniture_any=_union([p for _, p in furniture]),
        label_any=_union([p for _, p in by_kind.get("label", [])]),
        pinyin_anchors=anchors,
        title_tail=1 + max((len(w) for w in pack.vocab(FIELD, "title_endings")), default=0),
        related_heads=tuple(spec.vocab.get("related_heads", ())),
        run_on_links=regex.compile(r"[ \u3000](?:" + pack.alternation(FIELD, "run_on_link_heads")
                                   + r")(?:[:：]|[ \u3000])") if spec.vocab.get("run_on_link_heads") else None,
        run_on_clock=pack.compile(FIELD, r"{page_clock_date}[\x20\u3000]+")
        if "page_clock_date" in spec.fragments else None,
        closing_widgets=tuple(spec.vocab.get("closing_widgets", ())),
        number_units=frozenset(u for u in spec.vocab.get("units", ()) if len(u) == 1),
        site_suffix=pack.compile(FIELD, "{site_suffix}"),
        organ_end=regex.compile("(?:" + pack.alternation(FIELD, "table_organ_suffixes") + ")$")
        if spec.vocab.get("table_organ_suffixes") else None,
    )
