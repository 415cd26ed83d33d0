"""Normalize: Source → Normalized (simplified text, one paragraph per line, offsets kept).

The steps, in order (each one's changes are listed by ``policy-extract normalize --explain``):

1. ``halfwidth`` — full-width digits/Latin/％ to ASCII, odd spaces to " ", invisible chars out;
2. ``t2s`` — OpenCC traditional → simplified, length-preserving (the original's script is
   measured here);
3. ``columns`` — a two-column page merged line by line is read left column first, then the
   right one (once, before spaces are collapsed; ``columns.py``);
   ``pinyin`` — ``網(wǎng)`` annotations and their damaged remnants removed;
4. ``lines`` — lines stripped, blank lines and page-furniture lines dropped;
5. ``spaces`` — space runs collapsed, a space between a number and its unit dropped;
6. ``join`` — hard-wrapped lines rejoined into paragraphs (across a structural break that
   ingest marked in ``Source.hard_breaks`` only inside a bracket, or when the blocks are a
   PDF's lines, one per block);
   steps 3–6 repeat until nothing changes, so normalizing twice changes nothing;
7. ``mojibake`` — damaged runs reported as W301 (text unchanged).

Every step keeps ``offsets[i]`` = index in ``Source.raw`` of the character ``text[i]`` came from
(monotonic, except inside a two-column block, whose right column follows its left one).
"""
from __future__ import annotations

from array import array
from collections.abc import Callable
from typing import Any

from ..document import Normalized, Source
from ..patterns.engine import Pack
from ..patterns.examples import runner
from .chars import to_halfwidth
from .columns import split_columns
from .furniture import clean_lines
from .join import join_lines
from .mojibake import find_mojibake
from .offsets import Buf, StepLog
from .rules import Rules, rules_for
from .script import script_of, to_simplified
from .steps import fix_spaces as _fix_spaces
from .steps import remove_pinyin

__all__ = ["normalize"]

_MAX_ROUNDS = 6


def normalize(source: Source | str, *, pack: Pack | None = None,
              collect: bool = False) -> Normalized:
    """Normalize a Source (or a text). ``collect`` keeps every change record (for tests)."""
    if isinstance(source, str):
        source = Source.from_text(source)
    rules = rules_for(pack)
    logs: dict[str, StepLog] = {}

    def log(name: str) -> StepLog:
        if name not in logs:
            logs[name] = StepLog(name, records=[] if collect else None)
        return logs[name]

    offs = source.body_map if isinstance(source.body_map, array) else array("l", source.body_map)
    buf = Buf(source.body, offs)
    buf = to_halfwidth(buf, log("halfwidth"))
    original = buf.text
    buf, t2s_changes = to_simplified(buf, log("t2s"))
    script = script_of(original, t2s_changes, rules, buf.text)
    del original
    # Each step below is a function of the text alone. ``clean`` holds, per step, the text
    # version on which it last changed nothing (or, for the idempotent line pass, which it
    # produced): running it again on that same version would change nothing, so it is skipped.
    version = 0
    clean: dict[str, int] = {}

    def run(name: str, step: Callable[[Buf, Rules, StepLog], Buf]) -> bool:
        nonlocal buf, version
        step_log = log(name)
        if clean.get(name) == version:
            return False
        out = step(buf, rules, step_log)
        changed = out is not buf and out.text != buf.text
        if changed:
            version += 1
        buf = out
        if not changed or name == "lines":  # clean_lines(clean_lines(t)) == clean_lines(t)
            clean[name] = version
        return changed

    hard = source.hard_breaks

    def join(b: Buf, r: Rules, lg: StepLog) -> Buf:
        return join_lines(b, r, lg, hard)

    gap = _cell_gap(source)

    def fix_spaces(b: Buf, r: Rules, lg: StepLog) -> Buf:
        return _fix_spaces(b, r, lg, gap)

    def dots(b: Buf, r: Rules, lg: StepLog) -> Buf:
        # a deletion can bring a full-width full stop next to a digit (5(wǎng)． → 5．): a
        # decimal point now; only the rare text still holding one is read again
        return to_halfwidth(b, log("halfwidth")) if "．" in b.text or "﹒" in b.text else b

    clean["dots"] = version  # to_halfwidth ran above
    run("columns", split_columns)
    run("pinyin", remove_pinyin)
    run("dots", dots)
    run("lines", clean_lines)
    run("spaces", fix_spaces)
    for _ in range(_MAX_ROUNDS):
        changed = run("join", join)
        # a join can bring an annotation next to its character, or a furniture line together
        changed = run("pinyin", remove_pinyin) | changed
        changed = run("dots", dots) | changed
        changed = run("lines", clean_lines) | changed
        changed = run("spaces", fix_spaces) | changed
        if not changed:
            break
    warnings = find_mojibake(buf.text, rules)
    log("mojibake").changes = len(warnings)
    log("mojibake").examples = [w.message for w in warnings[:5]]
    order = ["halfwidth", "t2s", "columns", "pinyin", "lines", "spaces", "join", "mojibake"]
    steps = [logs[n].to_dict() for n in order if n in logs]
    norm = Normalized(text=buf.text, offsets=buf.offs, script=script, warnings=warnings,
                      steps=steps, source=source)
    if collect:
        norm.records = [r for n in order if n in logs for r in (logs[n].records or [])]
    return norm


def _cell_gap(source: Source) -> Callable[[int], bool] | None:
    """Whether the character at a raw offset is a cell boundary a table reader turned into a
    space: a ``|``, a tag (``<td>``), two ideographic spaces, or, outside HTML (where a line
    break in the markup is mere white space), the line break between two cells scraped one
    per line."""
    raw = source.raw
    if not raw:
        return None
    marks = frozenset("|<") if source.format == "html" else frozenset("|<\n\r")
    n = len(raw)
    # (two ideographic spaces inside a line part two cells of a text table: 第一轮　　5月1日…)
    return lambda i: 0 <= i < n and (raw[i] in marks or raw[i] == "\u3000" and raw[i + 1:i + 2] == "\u3000")


@runner("normalize")
def run_normalize(text: str, pack: Pack) -> list[dict[str, Any]]:
    """Example runner: what normalizing ``text`` removed, plus the labels that start its lines."""
    norm = normalize(Source.from_text(text, doc_id="example"), pack=pack, collect=True)
    out = [{k: v for k, v in r.items() if k in ("step", "pattern", "text")}
           for r in norm.records
           if r["step"] in ("pinyin", "lines") or (r["step"] == "spaces" and "pattern" in r)]
    for r in out:
        if r["step"] == "lines":
            r["step"] = "furniture"
    rules = rules_for(pack)
    for line in norm.text.split("\n"):
        lab = rules.label_at(line)
        if lab:
            out.append({"step": "label", "pattern": lab[0], "text": lab[1]})
    return out
