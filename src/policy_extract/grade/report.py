"""Grade a whole folder: micro-averaged scores over documents, and their printed forms."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .keys import FIELD_SPECS, META_KEYS
from .load import load_gold, load_predictions
from .score import DocScore, FieldCounts, Finding, check_fields, flat_scores, grade_records


@dataclass
class Report:
    """Scores summed over every gold document (micro-average), with the per-document detail."""

    docs: list[DocScore] = field(default_factory=list)
    fields: tuple[str, ...] = ()
    missing: list[str] = field(default_factory=list)       # gold docs with no prediction
    errors: list[str] = field(default_factory=list)        # gold docs whose prediction is an error
    ignored: list[str] = field(default_factory=list)       # predictions with no gold (not graded)
    notes: list[str] = field(default_factory=list)         # skipped lines, duplicates

    def counts(self) -> dict[str, FieldCounts]:
        total = {name: FieldCounts() for name in self.fields if name != "meta"}
        for d in self.docs:
            for name, c in d.fields.items():
                total[name].add(c)
        return total

    def meta_counts(self) -> dict[str, tuple[int, int]]:
        if "meta" not in self.fields:
            return {}
        return {k: (sum(d.meta.get(k, False) for d in self.docs), len(self.docs))
                for k in META_KEYS}

    @property
    def scores(self) -> dict[str, Any]:
        """Flat keys: `amounts_f`, `dates_qualifier_acc`, `measure_attachment_acc`, `meta_acc`…"""
        out = flat_scores(self.counts(), self.meta_counts())
        out["docs"] = len(self.docs)
        out["docs_missing"] = len(self.missing)
        out["docs_error"] = len(self.errors)
        return out

    @property
    def findings(self) -> list[Finding]:
        return [f for d in self.docs for f in d.findings]

    def to_dict(self) -> dict[str, Any]:
        return {"scores": self.scores, "fields": list(self.fields), "missing": self.missing,
                "errors": self.errors, "ignored": self.ignored, "notes": self.notes,
                "findings": [f.to_dict() for f in self.findings]}


def grade_dirs(gold_dir: str | Path, pred: str | Path, *,
               fields: Iterable[str] | None = None) -> Report:
    """Grade predictions (folder or .jsonl) against a gold folder; only gold documents count."""
    wanted = check_fields(fields)
    gold = load_gold(gold_dir)
    preds, notes = load_predictions(pred)
    report = Report(fields=wanted, notes=notes, ignored=sorted(set(preds) - set(gold)))
    for doc_id in sorted(gold):
        p = preds.get(doc_id)
        score = grade_records({**gold[doc_id], "doc_id": doc_id}, p, fields=wanted)
        if score.status == "missing":
            report.missing.append(doc_id)
        elif score.status == "error":
            report.errors.append(doc_id)
        report.docs.append(score)
    return report


# ---------------------------------------------------------------------------------- printing

def _fmt(x: float | None) -> str:
    return "–" if x is None else f"{x:.2f}"


def format_table(report: Report) -> str:
    """The summary table: field, gold n, pred n, P, R, F1, then attribute accuracies."""
    s = report.scores
    lines = [f"{'field':<12} {'gold':>5} {'pred':>5} {'P':>5} {'R':>5} {'F1':>5}  attributes (acc)"]
    for name in report.fields:
        if name == "meta":
            continue
        attrs = "  ".join(f"{a} {_fmt(s[f'{name}_{a}_acc'])}" for a in FIELD_SPECS[name].attrs)
        lines.append(f"{name:<12} {s[f'{name}_gold']:>5} {s[f'{name}_pred']:>5} "
                     f"{s[f'{name}_p']:>5.2f} {s[f'{name}_r']:>5.2f} {s[f'{name}_f']:>5.2f}  {attrs}")
    if "measure_attachment_acc" in s:
        lines.append(f"measure attachment (all field types): {_fmt(s['measure_attachment_acc'])} "
                     f"over {s['measure_attachment_n']} matched pairs")
    if "meta_acc" in s:
        lines.append(f"meta ({s['docs']} docs): " + "  ".join(
            f"{k} {_fmt(s[f'meta_{k}_acc'])}" for k in META_KEYS) + f"  | all {_fmt(s['meta_acc'])}")
    lines.append(f"{s['docs']} gold documents graded")
    if report.missing:
        lines.append(f"no prediction for {len(report.missing)}: {', '.join(report.missing)}")
    if report.errors:
        lines.append(f"error records for {len(report.errors)}: {', '.join(report.errors)}")
    if report.ignored:
        lines.append(f"{len(report.ignored)} predictions without gold not graded: "
                     f"{', '.join(report.ignored)}")
    lines.extend(f"note: {n}" for n in report.notes)
    return "\n".join(lines)


def format_finding(f: Finding) -> str:
    where = f"{f.doc_id}  {f.field:<11}"
    at = f" @{f.measure}" if f.measure else ""
    text = f"  «{f.text}»" if f.text else ""
    if f.kind in ("miss", "spurious"):
        return f"{where} {f.kind:<8} {f.value}{at}{text}"
    if f.kind == "meta":
        return f"{where} {f.attr}: gold {f.gold!r} ≠ pred {f.pred!r}"
    if f.kind == "attr":
        return f"{where} {f.attr}: gold {f.gold!r} ≠ pred {f.pred!r}  [{f.value}]{at}{text}"
    return f"{where} {f.kind}{text}"


def format_errors(report: Report) -> str:
    """Every miss, spurious field and wrong attribute, one per line, grouped by document."""
    return "\n".join(format_finding(f) for f in report.findings)
