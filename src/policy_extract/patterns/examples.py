"""Run the examples that every pattern carries: they are the tests of the pattern files.

An example is ``{text, expect}``. The field's runner extracts from ``text`` as a one-line
document and the example passes when:

- ``expect`` is a mapping: some extracted item has every listed key equal (numbers to 1e-9);
- ``expect`` is a list of mappings: each one is matched by a distinct extracted item and
  nothing else is extracted;
- ``expect`` is ``null`` or ``[]``: nothing is extracted (a negative example).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..document import Doc, Source
from .engine import Pack

Runner = Callable[[str, Pack], list[dict[str, Any]]]
RUNNERS: dict[str, Runner] = {}


def runner(field: str) -> Callable[[Runner], Runner]:
    """Register the function that extracts ``field`` items from an example's text."""

    def deco(fn: Runner) -> Runner:
        RUNNERS[field] = fn
        return fn

    return deco


def example_doc(text: str, pack: Pack) -> Doc:
    """A Doc for one example: normalized like a real input, segmented, with exclusions."""
    from ..extract.context import exclusion_zones
    from ..normalize import normalize
    from ..segment import segment

    norm = normalize(Source.from_text(text, doc_id="example"))
    doc = Doc(doc_id="example", text=norm.text, pack=pack, measures=segment(norm.text, pack))
    doc.excluded = exclusion_zones(doc)
    doc.meta = {"published": None, "title": None}
    return doc


@runner("common")
def _run_common(text: str, pack: Pack) -> list[dict[str, Any]]:
    out = []
    for pat in pack.patterns("common"):
        if pat.compiled is not None:
            out.extend({"text": m.group(0), "start": m.start(), "end": m.end()}
                       for m in pat.compiled.finditer(text))
    return out


@dataclass
class ExampleResult:
    field: str
    pattern: str
    origin: str
    text: str
    expect: Any
    actual: list[dict[str, Any]]
    ok: bool
    error: str | None = None


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(a)))
    return a == b


def _matches(item: dict[str, Any], want: dict[str, Any]) -> bool:
    return all(k in item and _same(item[k], v) for k, v in want.items())


def check(expect: Any, actual: list[dict[str, Any]]) -> bool:
    """Does the extraction satisfy the example's ``expect``? (rules in the module docstring)"""
    if expect is None or expect == []:
        return not actual
    if isinstance(expect, dict):
        return any(_matches(a, expect) for a in actual)
    remaining = list(actual)
    for want in expect:
        hit = next((a for a in remaining if _matches(a, want)), None)
        if hit is None:
            return False
        remaining.remove(hit)
    return not remaining


def _load_runners() -> None:
    # importing the extractors registers their runners
    from ..extract import registry  # noqa: F401


def _run_pack_field(field: str) -> Runner:
    """The runner of a field a pattern file defines (``handler:``): run its handler."""

    def run(text: str, pack: Pack) -> list[dict[str, Any]]:
        from ..extract.packfields import handler_for

        return handler_for(pack, field)(example_doc(text, pack), field)

    return run


def run_examples(pack: Pack, fields: list[str] | None = None) -> list[ExampleResult]:
    """Run every example of every pattern of the pack (or of the named fields)."""
    _load_runners()
    results = []
    for name, spec in sorted(pack.fields.items()):
        if fields and name not in fields:
            continue
        run = RUNNERS.get(name) or (_run_pack_field(name) if spec.handler else None)
        for pat in spec.patterns.values():
            for ex in pat.examples:
                expect = ex.get("expect")
                if run is None:
                    results.append(ExampleResult(name, pat.name, pat.origin, ex["text"], expect, [],
                                                 False, f"no example runner for field {name!r}"))
                    continue
                try:
                    actual = run(ex["text"], pack)
                    results.append(ExampleResult(name, pat.name, pat.origin, ex["text"], expect,
                                                 actual, check(expect, actual)))
                except Exception as e:  # an example must never crash the report
                    results.append(ExampleResult(name, pat.name, pat.origin, ex["text"], expect, [],
                                                 False, f"{type(e).__name__}: {e}"))
    return results
