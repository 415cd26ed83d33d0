"""Score one document: counts per field type, attribute agreement, meta, and every finding.

Pure functions over `policy-extract/1` dicts, so the CLI, the gate and the review app share
them. Results are flat-keyed like spaCy's `Scorer` (`amounts_f`, `dates_qualifier_acc`).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from .keys import FIELD_SPECS, META_KEYS, attr_value, graded_measures, meta_value
from .match import match

FIELDS = tuple(FIELD_SPECS)                 # measures, amounts, caps, percentages, dates, units
GRADABLE = (*FIELDS, "meta")
ATTACHED = tuple(n for n, s in FIELD_SPECS.items() if "measure" in s.attrs)


def check_fields(fields: Iterable[str] | None) -> tuple[str, ...]:
    """The field types to grade, in canonical order; unknown names fail with the allowed list."""
    if fields is None:
        return GRADABLE
    wanted = [f.strip() for f in fields if f.strip()]
    unknown = [f for f in wanted if f not in GRADABLE]
    if unknown or not wanted:
        raise ValueError(f"unknown field(s) {', '.join(unknown) or '(none given)'}; "
                         f"choose from {', '.join(GRADABLE)}")
    return tuple(f for f in GRADABLE if f in wanted)


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall, F1; nothing to find and nothing found scores 1.0 (a correct empty)."""
    if tp + fp + fn == 0:
        return 1.0, 1.0, 1.0
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclass
class FieldCounts:
    """Counts for one field type; added up over documents (micro-average)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    attr_ok: dict[str, int] = field(default_factory=dict)
    attr_n: dict[str, int] = field(default_factory=dict)

    def add(self, other: FieldCounts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        for a, n in other.attr_n.items():
            self.attr_n[a] = self.attr_n.get(a, 0) + n
            self.attr_ok[a] = self.attr_ok.get(a, 0) + other.attr_ok.get(a, 0)

    def attr_acc(self, attr: str) -> float | None:
        """Share of matched pairs agreeing on `attr`; None when nothing was matched."""
        n = self.attr_n.get(attr, 0)
        return self.attr_ok.get(attr, 0) / n if n else None


@dataclass
class Finding:
    """One disagreement, for `--errors` and the review app.

    kind: `miss` (gold not found), `spurious` (predicted, not in gold), `attr` (matched, one
    attribute differs), `meta` (a meta key differs), `no-prediction` / `pred-error`.
    """

    doc_id: str
    field: str
    kind: str
    value: str = ""
    text: str | None = None
    attr: str | None = None
    gold: Any = None
    pred: Any = None
    measure: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class DocScore:
    """Everything graded for one document."""

    doc_id: str
    fields: dict[str, FieldCounts] = field(default_factory=dict)
    meta: dict[str, bool] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    status: str = "ok"                      # ok | missing | error
    pred_error: str | None = None

    @property
    def scores(self) -> dict[str, Any]:
        return flat_scores(self.fields, {k: (int(v), 1) for k, v in self.meta.items()})


def flat_scores(fields: dict[str, FieldCounts],
                meta: dict[str, tuple[int, int]]) -> dict[str, Any]:
    """spaCy-style flat keys: `{field}_p/_r/_f`, `{field}_{attr}_acc`, `meta_{key}_acc`, …"""
    out: dict[str, Any] = {}
    att_ok = att_n = 0
    for name, c in fields.items():
        p, r, f = prf(c.tp, c.fp, c.fn)
        out.update({f"{name}_gold": c.tp + c.fn, f"{name}_pred": c.tp + c.fp, f"{name}_tp": c.tp,
                    f"{name}_p": p, f"{name}_r": r, f"{name}_f": f})
        for attr in FIELD_SPECS[name].attrs:
            out[f"{name}_{attr}_acc"] = c.attr_acc(attr)
        if name in ATTACHED:
            att_ok += c.attr_ok.get("measure", 0)
            att_n += c.attr_n.get("measure", 0)
    if any(n in ATTACHED for n in fields):
        out["measure_attachment_acc"] = att_ok / att_n if att_n else None
        out["measure_attachment_n"] = att_n
    if meta:
        for key, (ok, n) in meta.items():
            out[f"meta_{key}_acc"] = ok / n if n else None
        ok_all, n_all = sum(v[0] for v in meta.values()), sum(v[1] for v in meta.values())
        out["meta_acc"] = ok_all / n_all if n_all else None
    return out


def _items(rec: dict[str, Any], name: str) -> list[dict[str, Any]]:
    items = rec.get(name)
    if not isinstance(items, list):
        return []
    items = [x for x in items if isinstance(x, dict)]
    return graded_measures(items) if name == "measures" else items


def _text(item: dict[str, Any], name: str) -> str | None:
    if name == "measures":
        return item.get("title")
    return item.get("text")


def grade_field(doc_id: str, name: str, gold: list[dict[str, Any]],
                pred: list[dict[str, Any]]) -> tuple[FieldCounts, list[Finding]]:
    """Match one field type of one document and count agreement."""
    spec = FIELD_SPECS[name]
    m = match(spec, gold, pred)
    counts = FieldCounts(tp=len(m.pairs), fp=len(m.spurious), fn=len(m.missed),
                         attr_ok=dict.fromkeys(spec.attrs, 0),
                         attr_n=dict.fromkeys(spec.attrs, len(m.pairs)))
    findings: list[Finding] = []
    for gi in m.missed:
        g = gold[gi]
        findings.append(Finding(doc_id, name, "miss", spec.show(m.keys[("g", gi)]),
                                _text(g, name), measure=g.get("measure")))
    for pi in m.spurious:
        p = pred[pi]
        findings.append(Finding(doc_id, name, "spurious", spec.show(m.keys[("p", pi)]),
                                _text(p, name), measure=p.get("measure")))
    for gi, pi in m.pairs:
        g, p = gold[gi], pred[pi]
        for attr in spec.attrs:
            if attr_value(g, attr) == attr_value(p, attr):
                counts.attr_ok[attr] += 1
            else:
                findings.append(Finding(doc_id, name, "attr", spec.show(m.keys[("g", gi)]),
                                        _text(g, name), attr, g.get(attr), p.get(attr),
                                        measure=g.get("measure")))
    return counts, findings


def grade_meta(doc_id: str, gold: dict[str, Any], pred: dict[str, Any]
               ) -> tuple[dict[str, bool], list[Finding]]:
    """Per meta key: equal after light normalisation (dates as day intervals); None == None."""
    g_meta = gold.get("meta") if isinstance(gold.get("meta"), dict) else {}
    p_meta = pred.get("meta") if isinstance(pred.get("meta"), dict) else {}
    result: dict[str, bool] = {}
    findings: list[Finding] = []
    for key in META_KEYS:
        ok = meta_value(g_meta, key) == meta_value(p_meta, key)
        result[key] = ok
        if not ok:
            findings.append(Finding(doc_id, "meta", "meta", key, attr=key,
                                    gold=g_meta.get(key), pred=p_meta.get(key)))
    return result, findings


def grade_records(gold: dict[str, Any], pred: dict[str, Any] | None, *,
                  fields: Iterable[str] | None = None) -> DocScore:
    """Grade one predicted record against its gold record.

    `pred` None (no prediction) or a record with an `"error"` key counts as an empty
    prediction: every gold field is a miss.
    """
    wanted = check_fields(fields)
    doc_id = str(gold.get("doc_id") or (pred or {}).get("doc_id") or "")
    score = DocScore(doc_id)
    if pred is None:
        score.status = "missing"
        score.findings.append(Finding(doc_id, "*", "no-prediction"))
        pred = {}
    elif "error" in pred:
        err = pred.get("error")
        score.status = "error"
        score.pred_error = (f"{err.get('code')}: {err.get('message')}" if isinstance(err, dict)
                            else str(err))
        score.findings.append(Finding(doc_id, "*", "pred-error", text=score.pred_error))
        pred = {}
    for name in wanted:
        if name == "meta":
            score.meta, found = grade_meta(doc_id, gold, pred)
        else:
            score.fields[name], found = grade_field(doc_id, name, _items(gold, name),
                                                    _items(pred, name))
        score.findings.extend(found)
    return score
