"""Jekyll/Hugo front matter (``---`` / ``key: value`` / ``---``) at the top of a file.

Parsed line by line rather than with YAML so values stay as written: a ``date`` of
``2022-01-21 10:33:31 +0800`` must reach the metadata extractor as that string.
"""
from __future__ import annotations

import regex

_BLOCK = regex.compile(r"\A(?:\ufeff)?---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", regex.S)
_KEY = regex.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$")
_ITEM = regex.compile(r"^\s+-\s+(.*?)\s*$")
# front-matter keys → Source.hints keys
_HINTS = {"title": "title", "date": "date", "categories": "categories", "category": "categories",
          "tags": "tags", "source": "source_name", "author": "author", "description": "description"}


def _scalar(v: str) -> str:
    if len(v) >= 2 and v[0] == v[-1] and v[0] in "\"'":
        v = v[1:-1]
    return v


def _value(v: str) -> str | list[str]:
    if v.startswith("[") and v.endswith("]"):
        return [_scalar(x.strip()) for x in v[1:-1].split(",") if x.strip()]
    return _scalar(v)


def split_front_matter(text: str) -> tuple[dict[str, object], int]:
    """(hints, index where the body starts); ({}, 0) when there is no front matter."""
    m = _BLOCK.match(text)
    if not m:
        return {}, 0
    hints: dict[str, object] = {}
    key: str | None = None
    for line in m.group(1).splitlines():
        km = _KEY.match(line)
        if km:
            key = km.group(1).lower()
            if key in _HINTS and km.group(2):
                hints[_HINTS[key]] = _value(km.group(2))
            continue
        im = _ITEM.match(line)
        if im and key in _HINTS:
            cur = hints.get(_HINTS[key])
            items = cur if isinstance(cur, list) else []
            items.append(_scalar(im.group(1)))
            hints[_HINTS[key]] = items
    for k in ("categories", "tags"):  # "a b" → ["a", "b"] as Jekyll reads it
        if isinstance(hints.get(k), str):
            hints[k] = str(hints[k]).split()
    return hints, m.end()
