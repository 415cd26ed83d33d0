"""Read gold and predicted records: a folder of `<doc_id>.json` files or one `.jsonl` file."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any


class GradeInputError(ValueError):
    """A gold or prediction path that cannot be graded (missing folder, unreadable gold)."""


def _doc_id(rec: Any, fallback: str) -> str:
    if isinstance(rec, dict) and isinstance(rec.get("doc_id"), str) and rec["doc_id"]:
        return rec["doc_id"]
    return fallback


def load_gold(gold_dir: str | Path) -> dict[str, dict[str, Any]]:
    """Gold records by doc_id. Gold must be valid: a broken file is an error, not a zero."""
    path = Path(gold_dir)
    if not path.is_dir():
        raise GradeInputError(f"gold folder not found: {path}")
    gold: dict[str, dict[str, Any]] = {}
    for f in sorted(path.glob("*.json")):
        try:
            rec = json.loads(f.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
            raise GradeInputError(f"gold file {f} is not valid JSON: {e}") from e
        if not isinstance(rec, dict):
            raise GradeInputError(f"gold file {f} does not hold a JSON object")
        gold[_doc_id(rec, f.stem)] = rec
    return gold


def load_predictions(pred: str | Path) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """Predicted records by doc_id, plus notes on anything skipped.

    An unreadable prediction file becomes an error record (graded as an empty prediction,
    and listed), so one broken file never stops the grading of the rest.
    """
    path = Path(pred)
    notes: list[str] = []
    records: dict[str, dict[str, Any]] = {}

    def put(doc_id: str, rec: dict[str, Any], where: str) -> None:
        if doc_id in records:
            notes.append(f"{where}: duplicate doc_id {doc_id!r}; the first record is graded")
        else:
            records[doc_id] = rec

    if path.is_dir():
        for f in sorted(path.glob("*.json")):
            try:
                rec = json.loads(f.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
                rec = {"doc_id": f.stem, "error": {"code": "unreadable", "message": str(e)}}
            if not isinstance(rec, dict):
                rec = {"doc_id": f.stem, "error": {"code": "unreadable",
                                                    "message": "not a JSON object"}}
            put(_doc_id(rec, f.stem), rec, f.name)
    elif path.is_file():
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as e:
            raise GradeInputError(f"cannot read predictions {path}: {e}") from e
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as e:
                notes.append(f"{path.name}:{n}: not valid JSON ({e.msg}); line skipped")
                continue
            if not isinstance(rec, dict) or not isinstance(rec.get("doc_id"), str):
                notes.append(f"{path.name}:{n}: no doc_id; line skipped")
                continue
            put(rec["doc_id"], rec, f"{path.name}:{n}")
    else:
        raise GradeInputError(f"predictions not found: {path} (give a folder of <doc_id>.json "
                              "files or a .jsonl file)")
    return records, notes
