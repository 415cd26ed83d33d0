"""The normalizer's data (``data/normalize.yaml``) compiled once per pattern pack."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import regex

from ..patterns.engine import Pack, default_pack

FIELD = "normalize"


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

    def setting(self, name: str, default: Any) -> Any:
        return self.settings.get(name, default)

    def label_at(self, line: str) -> tuple[str, str] | None:
        """The (pattern name, label text) starting ``line``, if any."""
        for name, pat in self.labels:
            m = pat.match(line)
            if m and m.end() > 0:
                return name, m.group(0)
        return None


_CACHE: dict[int, Rules] = {}


def rules_for(pack: Pack | None = None) -> Rules:
    """The rules of ``pack`` (the default pack when None), compiled once."""
    pack = pack or default_pack()
    key = id(pack)
    if key not in _CACHE:
        _CACHE[key] = _compile(pack)
    return _CACHE[key]


def _compile(pack: Pack) -> Rules:
    spec = pack.field(FIELD)
    by_kind: dict[str, list[tuple[str, regex.Pattern[str]]]] = {}
    for pat in spec.patterns.values():
        assert pat.compiled is not None
        by_kind.setdefault(str(pat.attrs.get("kind", "")), []).append((pat.name, pat.compiled))
    units = pack.alternation(FIELD, "units")
    return Rules(
        furniture=by_kind.get("furniture", []),
        pinyin=by_kind.get("pinyin", []),
        labels=by_kind.get("label", []),
        units=regex.compile(
            rf"(?<=[\d%‰])[ ]+(?={units})"      # 2024 年 / 50% 的: digit, space, unit
            r"|(?<=\p{Han})[ ]+(?=\d)(?!\d{4}[-/.])"  # 达 5000 (not a date: 新闻 2022-09-28)
            r"(?!\d{1,3}[.．、](?![\d%]))(?!\d{1,2}[)）])"  # nor a label: 重点任务 1.实施
        ),
        title_end=regex.compile(pack.alternation(FIELD, "title_endings") + r"$"),
        question=regex.compile(pack.alternation(FIELD, "question_words")),
        settings=dict(spec.settings),
    )
