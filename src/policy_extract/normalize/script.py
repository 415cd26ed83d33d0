"""OpenCC t2s with offsets kept, and the script of the original (simplified/traditional/mixed).

t2s maps character by character for almost all text but may convert a phrase to one of a
different length. The text is converted in blocks of lines; a block whose length changes is
redone line by line, and such a line character by character, so every output character
still sits where its source character was.
"""
from __future__ import annotations

from array import array
from functools import lru_cache

import regex

from .offsets import Buf, StepLog
from .opencc_facts import converter, s2t_change_bound, unchanged_by_t2s
from .rules import Rules

_BLOCK = 1 << 16
_HAN_RUN = regex.compile(r"\p{Han}+")
_U32 = next(t for t in "IL" if array(t).itemsize == 4)  # an unsigned 32-bit array type


_cc = converter  # one converter per config, shared with opencc_facts


def t2s(text: str) -> str:
    """Traditional to simplified, same length as the input (per-char fallback), idempotent."""
    conv = _cc("t2s").convert
    out = conv(text)
    if len(out) != len(text):
        out = "".join(_char(c) for c in text)
    return out


@lru_cache(maxsize=4096)
def _char(c: str) -> str:
    # a chain like 薴 -> 苧 -> 苎 is followed to its end so that t2s(t2s(x)) == t2s(x)
    conv = _cc("t2s").convert
    out = conv(c)
    if len(out) != 1:
        return c
    nxt = conv(out)
    return nxt if len(nxt) == 1 else out


def count_diff(a: str, b: str) -> int:
    """How many positions of two equal-length strings differ.

    One XOR of the two UTF-32 encodings read as big integers, then a count of the zero code
    units: all at C speed, where a per-character Python comparison is several times slower.
    """
    n = len(a)
    if not n:
        return 0
    x = (int.from_bytes(a.encode("utf-32-le", "surrogatepass"), "little")
         ^ int.from_bytes(b.encode("utf-32-le", "surrogatepass"), "little"))
    units = array(_U32)
    units.frombytes(x.to_bytes(4 * n, "little"))
    return n - units.count(0)


def _blocks(text: str) -> list[tuple[int, int]]:
    spans, pos, n = [], 0, len(text)
    while pos < n:
        end = text.find("\n", min(pos + _BLOCK, n))
        end = n if end < 0 else end + 1
        spans.append((pos, end))
        pos = end
    return spans


def _convert_line(line: str) -> str:
    out = t2s(line)
    # second pass makes chains (薴 -> 苧 -> 苎) converge
    again = t2s(out)
    return again if again != out else out


def to_simplified(buf: Buf, log: StepLog) -> tuple[Buf, int]:
    """Convert ``buf`` to simplified; return it and the number of characters t2s changed."""
    text = buf.text
    if unchanged_by_t2s(text):  # most notices: nothing t2s could change (opencc_facts.py)
        return buf, 0
    parts: list[str] = []
    changed = 0
    for a, b in _blocks(text):
        block = text[a:b]
        out = _cc("t2s").convert(block)
        if out == block:
            parts.append(block)
            continue
        if len(out) != len(block):
            out = "".join(_convert_line(ln) for ln in block.splitlines(keepends=True))
        elif not unchanged_by_t2s(out):  # (when it is, a second pass changes nothing)
            again = _cc("t2s").convert(out)
            if again != out and len(again) == len(out):
                out = again
        n = count_diff(block, out)  # examples only for the first few
        changed += n
        log.changes += n
        if log.records is not None or len(log.examples) < log.limit:
            for x, y in zip(block, out, strict=True):
                if x == y:
                    continue
                if len(log.examples) < log.limit:
                    log.examples.append(f"{x}->{y}")
                if log.records is not None:
                    log.records.append({"step": log.step, "text": x})
                elif len(log.examples) >= log.limit:
                    break
        parts.append(out)
    new = "".join(parts)
    return (buf.same_length(new) if changed else buf), changed


def script_of(text: str, t2s_changes: int, rules: Rules, simplified: str | None = None) -> str:
    """simplified | traditional | mixed, from how many chars t2s and s2t would change.

    A traditional page changes under t2s and hardly under s2t; a simplified one the reverse;
    a page with both kinds of paragraphs changes under both. ``simplified``: ``text`` after
    t2s, when the caller has it (same length: the lines are compared, not converted again).
    """
    if not t2s_changes:
        return "simplified"
    limit = rules.setting("script_simplified_t2s_per_mille", 5)
    # there are no more Han chars than chars: above the limit per char, above it per Han char
    if 1000 * t2s_changes / max(len(text), 1) <= limit:
        han = sum(map(len, _HAN_RUN.findall(text)))
        if 1000 * t2s_changes / max(han, 1) <= limit:
            return "simplified"
    trad_below = rules.setting("script_traditional_below", 0.12)
    # the share only grows with s2t's changes: below the limit with at least as many as it
    # makes, below it with them (most traditional pages: no s2t run, opencc_facts.py)
    bound = s2t_change_bound(text)
    if bound is not None and bound / (bound + t2s_changes) < trad_below:
        return "traditional"
    s2t_out = _cc("s2t").convert(text)
    s_changes = count_diff(text, s2t_out) if len(s2t_out) == len(text) else sum(
        map(str.__ne__, text, s2t_out))
    share = s_changes / (s_changes + t2s_changes)
    need = int(rules.setting("script_mixed_lines", 2))
    if share < trad_below:
        # (a few lines of each kind need at least 2 changes per line of each conversion)
        mixed = s_changes >= 2 * need and _both_kinds_of_lines(text, simplified, s2t_out, rules)
        return "mixed" if mixed else "traditional"
    if share > rules.setting("script_simplified_above", 0.8):
        mixed = t2s_changes >= 2 * need and _both_kinds_of_lines(text, simplified, s2t_out, rules)
        return "mixed" if mixed else "simplified"
    return "mixed"


def _both_kinds_of_lines(text: str, t2s_out: str | None, s2t_out: str, rules: Rules) -> bool:
    """Does the page hold both traditional and simplified paragraphs, a few of each (a
    mirror site's traditional header over a simplified table: mixed, whatever the shares)?
    A line counts for a script when its changes under one conversion outnumber the other's
    three to one (a simplified line quoting 臺灣 stays simplified). The whole-text
    conversions are compared line by line when they kept the length, else each line is
    converted."""
    need = int(rules.setting("script_mixed_lines", 2))
    least = int(rules.setting("script_line_min_han", 8))
    if t2s_out is None or len(t2s_out) != len(text):
        t2s_out = None
    if len(s2t_out) != len(text):
        s2t_out = None
    trad = simp = 0
    for a, line in _paragraphs(text, int(rules.setting("script_run_on_line", 300)), least):
        if len(line) < least or sum(map(len, _HAN_RUN.findall(line))) < least:
            continue
        t = _line_changes(line, t2s_out, a, "t2s")
        s = _line_changes(line, s2t_out, a, "s2t")
        if t >= 2 and t > 3 * s:
            trad += 1
        elif s >= 2 and s > 3 * t:
            simp += 1
        if trad >= need and simp >= need:
            return True
    return False


def _paragraphs(text: str, run_on: int, least: int) -> list[tuple[int, str]]:
    """(offset, text) of each line. A line this long is a page that lost its line breaks,
    whose spaces stand where the breaks were: its space-separated runs count as lines, short
    ones (menu entries: 首頁 政務公開) joined until they hold ``least`` Han chars."""
    out: list[tuple[int, str]] = []
    pos = 0
    for line in text.split("\n"):
        if len(line) < run_on:
            out.append((pos, line))
        else:
            start = han = 0
            for m in _RUN.finditer(line):
                if not han:
                    start = m.start()
                han += sum(map(len, _HAN_RUN.findall(m.group())))
                if han >= least:
                    out.append((pos + start, line[start:m.end()]))
                    han = 0
        pos += len(line) + 1
    return out


_RUN = regex.compile(r"\S+")


def _line_changes(line: str, converted: str | None, at: int, config: str) -> int:
    """How many chars of ``line`` (at ``at`` in the text) the conversion changes."""
    if converted is not None:
        return count_diff(line, converted[at:at + len(line)])
    out = _cc(config).convert(line)
    return count_diff(line, out) if len(out) == len(line) else sum(map(str.__ne__, line, out))
