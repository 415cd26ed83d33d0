"""Label Studio interop: predictions out as an import file, annotations back in as gold.

Export: one task per document, ``data.text`` the normalized text (so span offsets are the
record's ``start``/``end``), ``data.meta``/``data.measures`` carried along for the way back,
and one prediction whose results are span labels (``labels: [field type]``) with the field's
values in the region's ``meta``. A labeling config matching ``from_name``/``to_name`` is
written beside the file.

Import: the latest annotation of each task (cancelled ones ignored) becomes
``gold/<doc_id>.json``. A region's values come from its ``meta`` when it still has them (a
prediction accepted or adjusted in Label Studio); a region drawn by hand gets the values the
extractors read in its span. Its measure is recomputed from the span.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..record import FIELDS
from .store import DOC_ID_RE, FIELD_KEYS, Store, build_gold, inside, write_atomic

FROM_NAME, TO_NAME = "label", "text"
COLOURS = {"amounts": "#f5c542", "caps": "#e8590c", "percentages": "#4dabf7",
           "dates": "#69db7c", "units": "#da77f2"}
SINGULAR = {"amount": "amounts", "cap": "caps", "percentage": "percentages", "date": "dates",
            "unit": "units"}


def config_xml() -> str:
    """The Label Studio labeling config the exported tasks are written for."""
    labels = "\n".join(f'    <Label value="{n}" background="{c}"/>' for n, c in COLOURS.items())
    return (f'<View>\n  <Labels name="{FROM_NAME}" toName="{TO_NAME}">\n{labels}\n  </Labels>\n'
            f'  <Text name="{TO_NAME}" value="$text" granularity="symbol"/>\n</View>\n')


def config_path(out: str | Path) -> Path:
    p = Path(out)
    return p.with_name(p.stem + ".config.xml")


def record_to_task(rec: dict[str, Any]) -> dict[str, Any]:
    """One Label Studio task with the record's fields as a prediction."""
    text = rec.get("text") or ""
    results = []
    for name in FIELDS:
        for i, f in enumerate(rec.get(name) or []):
            s, e = f.get("start"), f.get("end")
            if not (isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text)):
                continue  # a field without a span cannot be a region
            values = {k: f.get(k) for k in ("measure", *FIELD_KEYS[name])}
            results.append({
                "id": f"{name}-{i}", "from_name": FROM_NAME, "to_name": TO_NAME,
                "type": "labels", "origin": "prediction",
                "value": {"start": s, "end": e, "text": text[s:e], "labels": [name]},
                "meta": values,
            })
    meta = rec.get("meta") if isinstance(rec.get("meta"), dict) else {}
    measures = [{k: m.get(k) for k in ("id", "label", "path", "level", "title", "start", "end")}
                for m in rec.get("measures") or [] if isinstance(m, dict)]
    return {"data": {"text": text, "doc_id": rec.get("doc_id"), "title": meta.get("title"),
                     "meta": meta, "measures": measures},
            "predictions": [{"model_version": f"policy-extract {__version__}",
                             "result": results}]}


def export_labelstudio(store: Store, out: str | Path) -> int:
    """Write every document's predictions as a Label Studio import file; return the count."""
    tasks = []
    for doc_id in store.doc_ids():
        rec = store.record(doc_id)
        if "error" in rec:
            continue
        tasks.append(record_to_task(rec))
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(out, json.dumps(tasks, ensure_ascii=False, indent=1).encode("utf-8"))
    write_atomic(config_path(out), config_xml().encode("utf-8"))
    return len(tasks)


@dataclass
class ImportResult:
    written: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _latest_annotation(task: dict[str, Any]) -> dict[str, Any] | None:
    anns = [a for a in task.get("annotations") or task.get("completions") or []
            if isinstance(a, dict) and not a.get("was_cancelled")]
    if not anns:
        return None
    return max(enumerate(anns), key=lambda ia: (str(ia[1].get("updated_at")
                                                    or ia[1].get("created_at") or ""), ia[0]))[1]


def _innermost(measures: list[dict[str, Any]], start: int, end: int) -> str | None:
    best = None
    for m in measures:
        s, e = m.get("start"), m.get("end")
        if m.get("label") is None or not isinstance(s, int) or not isinstance(e, int):
            continue
        if s <= start and end <= e and (best is None or (m.get("level") or 0) > best["level"]):
            best = {"id": m.get("id"), "level": m.get("level") or 0}
    return best["id"] if best else None


def task_to_payload(task: dict[str, Any], ann: dict[str, Any]) -> dict[str, Any]:
    """The gold payload (meta, measures, fields) one annotated task stands for."""
    from .server import suggest

    data = task.get("data") if isinstance(task.get("data"), dict) else {}
    text = data.get("text") if isinstance(data.get("text"), str) else ""
    measures = [m for m in data.get("measures") or [] if isinstance(m, dict)]
    spans_known = any(isinstance(m.get("start"), int) for m in measures)
    fields: dict[str, list[dict[str, Any]]] = {n: [] for n in FIELDS}
    for r in ann.get("result") or []:
        if not isinstance(r, dict) or r.get("type") != "labels":
            continue
        v = r.get("value") if isinstance(r.get("value"), dict) else {}
        labels = v.get("labels") or []
        name = labels[0] if labels else None
        name = SINGULAR.get(name, name)
        s, e = v.get("start"), v.get("end")
        if name not in FIELDS or not isinstance(s, int) or not isinstance(e, int):
            continue
        snippet = text[s:e] if 0 <= s < e <= len(text) else str(v.get("text") or "")
        meta = r.get("meta") if isinstance(r.get("meta"), dict) else {}
        values = {k: meta[k] for k in FIELD_KEYS[name] if k in meta}
        if not values and name != "units":
            values = suggest(name, snippet).get("field") or {}
        item = {"text": snippet, "start": s, "end": e, **values}
        if name == "units" and "role" not in item:
            item["role"] = "member"
        item["measure"] = _innermost(measures, s, e) if spans_known else meta.get("measure")
        fields[name].append(item)
    return {"meta": data.get("meta") if isinstance(data.get("meta"), dict) else {},
            "measures": measures, "fields": fields}


def import_labelstudio(export: str | Path, gold_dir: str | Path, *,
                       overwrite: bool = False) -> ImportResult:
    """Write the latest annotation of every task in a Label Studio JSON export as gold."""
    try:
        tasks = json.loads(Path(export).read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise ValueError(f"{export} is not a Label Studio JSON export: {e}") from e
    if isinstance(tasks, dict):
        tasks = tasks.get("tasks") or [tasks]
    if not isinstance(tasks, list):
        raise ValueError(f"{export}: expected a list of tasks (Label Studio 'JSON' export)")
    gold_dir = Path(gold_dir)
    gold_dir.mkdir(parents=True, exist_ok=True)
    result = ImportResult()
    for n, task in enumerate(tasks, 1):
        if not isinstance(task, dict):
            result.notes.append(f"task {n}: not an object; skipped")
            continue
        data = task.get("data") if isinstance(task.get("data"), dict) else {}
        doc_id = data.get("doc_id")
        if not isinstance(doc_id, str) or not DOC_ID_RE.match(doc_id):
            result.skipped.append(str(doc_id))
            result.notes.append(f"task {n}: no valid data.doc_id; skipped")
            continue
        ann = _latest_annotation(task)
        if ann is None:
            result.skipped.append(doc_id)
            result.notes.append(f"{doc_id}: no (uncancelled) annotation; skipped")
            continue
        path = inside(gold_dir, f"{doc_id}.json")
        if path.exists() and not overwrite:
            result.skipped.append(doc_id)
            result.notes.append(f"{doc_id}: {path} exists; skipped (use --overwrite)")
            continue
        try:
            payload = task_to_payload(task, ann)
            gold = build_gold(doc_id, data.get("text") or "", payload)
        except ValueError as e:
            result.skipped.append(doc_id)
            result.notes.append(f"{doc_id}: {e}; skipped")
            continue
        gold["review"]["tool"] = "label-studio import"
        write_atomic(path, (json.dumps(gold, ensure_ascii=False, indent=1) + "\n").encode())
        result.written.append(doc_id)
    return result
