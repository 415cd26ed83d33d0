"""Where the review app's documents come from and where its gold goes.

Predictions are read from converted output (a folder of ``<doc_id>.json`` or one ``.jsonl``)
or converted on demand from raw notices (cached). Gold is written atomically (temp file +
``os.replace``) after a version check, so two reviewers never silently overwrite each other.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..batch.inputs import walk
from ..errors import PolicyExtractError
from ..grade import grade_records
from ..ingest import doc_id_for, load
from ..record import FIELDS, SCHEMA

try:  # advisory lock across server processes sharing one gold folder (POSIX only)
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

# A doc_id names a file inside a folder: no separators, no leading dot (so no `..`).
DOC_ID_RE = re.compile(r"^[\w~\-][\w.~\-]{0,199}$")
ABSENT = "absent"  # the version of a gold file that does not exist yet
META_KEYS = ("title", "doc_number", "issuer", "published", "valid_until", "source_name", "script")
MEASURE_KEYS = ("id", "label", "path", "level", "title")
# graded keys per field type (FORMAT.md), besides text and measure
FIELD_KEYS: dict[str, tuple[str, ...]] = {
    "amounts": ("value", "low", "high", "currency", "per", "qualifier"),
    "caps": ("value", "unit", "scope"),
    "percentages": ("value", "low", "high", "qualifier"),
    "dates": ("value", "qualifier"),
    "units": ("role",),
}
NUMERIC = frozenset({"value", "low", "high"})
RAW_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".xhtml", ".text")


class BadDocId(ValueError):
    """A doc_id that is not a plain file name (→ HTTP 400)."""


class UnknownDoc(KeyError):
    """A well-formed doc_id that names no document (→ HTTP 404)."""


class StaleVersion(RuntimeError):
    """The gold file changed since the reviewer opened the document (→ HTTP 409)."""

    def __init__(self, current: str):
        super().__init__(current)
        self.current = current


def check_doc_id(doc_id: str) -> str:
    if not isinstance(doc_id, str) or not DOC_ID_RE.match(doc_id):
        raise BadDocId(f"invalid document id {doc_id!r}: use letters, digits, '_', '-', '.', '~'")
    return doc_id


def inside(folder: Path, name: str) -> Path:
    """``folder/name`` resolved, refused when it would leave ``folder`` (defence in depth)."""
    root = folder.resolve()
    path = (root / name).resolve()
    if path.parent != root:
        raise BadDocId(f"invalid document id {name!r}")
    return path


def version_of(data: bytes | None) -> str:
    return ABSENT if data is None else hashlib.sha256(data).hexdigest()[:20]


class Store:
    """Predictions (read-only, cached) and gold (read/write) for the review app."""

    def __init__(self, path: str | Path, gold_dir: str | Path = "gold", *,
                 sources: str | Path | None = None, cache_size: int = 128):
        self.path = Path(path)
        self.gold_dir = Path(gold_dir)
        self.sources = Path(sources) if sources else None
        self.kind, self._where = self._scan(self.path)
        self._cache: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self._cache_size = cache_size
        self._summaries: dict[str, dict[str, Any]] = {}
        self._lock = threading.RLock()
        self._save_lock = threading.Lock()

    # ------------------------------------------------------------------ scanning

    @staticmethod
    def _scan(path: Path) -> tuple[str, dict[str, Any]]:
        """``(kind, {doc_id: where})``; kind is ``json``, ``jsonl`` or ``raw``."""
        if path.is_file() and path.suffix.lower() == ".jsonl":
            where: dict[str, Any] = {}
            with path.open("rb") as f:
                pos = 0
                for line in f:
                    if line.strip():
                        with contextlib.suppress(ValueError, UnicodeDecodeError):
                            doc_id = json.loads(line).get("doc_id")
                            if isinstance(doc_id, str) and DOC_ID_RE.match(doc_id):
                                where.setdefault(doc_id, pos)
                    pos += len(line)
            return "jsonl", where
        if path.is_file():
            return "raw", {doc_id_for(path): path}
        if not path.is_dir():
            raise FileNotFoundError(f"not found: {path} (give a folder of <doc_id>.json files, "
                                    "a .jsonl file, or a folder of notices)")
        records = sorted(path.glob("*.json"))
        if records:
            return "json", {f.stem: f for f in records if DOC_ID_RE.match(f.stem)}
        where = {}
        for p, _size, _key in walk([path]):
            if p.lower().endswith(RAW_SUFFIXES):
                doc_id = doc_id_for(p)
                n = 2
                while doc_id in where:  # same name in two sub-folders: ~2 as in batch output
                    doc_id = f"{doc_id_for(p)}~{n}"
                    n += 1
                if DOC_ID_RE.match(doc_id):
                    where[doc_id] = Path(p)
        return "raw", where

    def doc_ids(self) -> list[str]:
        return list(self._where)

    def __len__(self) -> int:
        return len(self._where)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._where

    # ------------------------------------------------------------------ predictions

    def record(self, doc_id: str) -> dict[str, Any]:
        """The predicted record (an error record when the input cannot be read/converted)."""
        check_doc_id(doc_id)
        if doc_id not in self._where:
            raise UnknownDoc(doc_id)
        with self._lock:
            if doc_id in self._cache:
                self._cache.move_to_end(doc_id)
                return self._cache[doc_id]
        rec = self._read(doc_id)
        with self._lock:
            self._cache[doc_id] = rec
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return rec

    def _read(self, doc_id: str) -> dict[str, Any]:
        where = self._where[doc_id]
        try:
            if self.kind == "json":
                rec = json.loads(Path(where).read_text(encoding="utf-8"))
            elif self.kind == "jsonl":
                with self.path.open("rb") as f:
                    f.seek(where)
                    rec = json.loads(f.readline())
            else:
                from ..pipeline import extract_source
                rec = extract_source(load(where, doc_id=doc_id))
        except PolicyExtractError as e:
            rec = {"doc_id": doc_id, "error": {"code": e.code, "message": str(e)}}
        except Exception as e:  # a broken input must not take the app down
            rec = {"doc_id": doc_id, "error": {"code": "unreadable", "message": str(e)}}
        if not isinstance(rec, dict):
            rec = {"doc_id": doc_id, "error": {"code": "unreadable", "message": "not an object"}}
        rec.setdefault("doc_id", doc_id)
        if not isinstance(rec.get("text"), str):
            rec["text"] = ""
        return rec

    def source_text(self, doc_id: str) -> str | None:
        """The decoded original that the fields' ``src`` offsets index, when it can be found."""
        rec = self.record(doc_id)
        candidates: list[Path] = []
        if self.kind == "raw":
            candidates.append(Path(self._where[doc_id]))
        src = rec.get("source") if isinstance(rec.get("source"), dict) else {}
        name = src.get("path") if isinstance(src.get("path"), str) else None
        if name:
            p = Path(name)
            candidates.append(p)
            base = self.path if self.path.is_dir() else self.path.parent
            if not p.is_absolute():
                candidates += [base / p, base.parent / p]
            if self.sources:
                candidates.append(self.sources / p.name)
        for c in candidates:
            if c.is_file():
                try:
                    return load(c, doc_id=doc_id).raw
                except PolicyExtractError:
                    continue
        return None

    # ------------------------------------------------------------------ gold

    def gold_path(self, doc_id: str) -> Path:
        return inside(self.gold_dir, f"{check_doc_id(doc_id)}.json")

    def gold(self, doc_id: str) -> tuple[dict[str, Any] | None, str]:
        """The gold record and its version (``absent`` when there is none)."""
        path = self.gold_path(doc_id)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None, ABSENT
        try:
            rec = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            rec = None
        return (rec if isinstance(rec, dict) else None), version_of(data)

    def save_gold(self, doc_id: str, payload: dict[str, Any], version: str | None, *,
                  reviewer: str | None = None) -> tuple[dict[str, Any], str]:
        """Write ``gold/<doc_id>.json`` if its version is still ``version`` (None: no check)."""
        check_doc_id(doc_id)
        rec = self.record(doc_id) if doc_id in self._where else {"text": ""}
        gold = build_gold(doc_id, rec.get("text") or "", payload, reviewer=reviewer)
        data = (json.dumps(gold, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
        path = self.gold_path(doc_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._save_lock, self._file_lock():
            _, current = self.gold(doc_id)
            if version is not None and version != current:
                raise StaleVersion(current)
            write_atomic(path, data)
        with self._lock:
            self._summaries.pop(doc_id, None)
        return gold, version_of(data)

    @contextlib.contextmanager
    def _file_lock(self) -> Iterator[None]:
        if fcntl is None:
            yield
            return
        with open(self.gold_dir / ".review.lock", "a") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(f, fcntl.LOCK_UN)

    # ------------------------------------------------------------------ list

    def summary(self, doc_id: str) -> dict[str, Any]:
        """One row of the document list (cached until the document's gold is saved)."""
        with self._lock:
            if doc_id in self._summaries:
                return self._summaries[doc_id]
        rec = self.record(doc_id)
        gold, version = self.gold(doc_id)
        meta = rec.get("meta") if isinstance(rec.get("meta"), dict) else {}
        row: dict[str, Any] = {
            "doc_id": doc_id,
            "title": meta.get("title"), "issuer": meta.get("issuer"),
            "published": meta.get("published"),
            "counts": {n: len(rec.get(n) or []) for n in ("measures", *FIELDS)},
            "gold": version != ABSENT, "gold_version": version,
            "reviewed": bool(gold and isinstance(gold.get("review"), dict)),
            "error": (rec["error"].get("message") if isinstance(rec.get("error"), dict)
                      else None),
            "grade": grade_summary(gold, rec) if gold else None,
        }
        if gold and not row["title"]:
            gmeta = gold.get("meta") if isinstance(gold.get("meta"), dict) else {}
            row["title"] = gmeta.get("title")
            row["issuer"] = row["issuer"] or gmeta.get("issuer")
        with self._lock:
            self._summaries[doc_id] = row
        return row

    def cached_summary(self, doc_id: str) -> dict[str, Any] | None:
        with self._lock:
            return self._summaries.get(doc_id)

    def warm(self, stop: threading.Event | None = None) -> None:
        """Compute every summary (run in a background thread so search covers all documents)."""
        for doc_id in list(self._where):
            if stop is not None and stop.is_set():
                return
            with contextlib.suppress(Exception):
                self.summary(doc_id)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``path`` so readers see the old file or the new one, never a half-written one."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def grade_summary(gold: dict[str, Any], pred: dict[str, Any]) -> dict[str, Any]:
    """F1 per field type and micro-F1 over the five field types, predictions vs gold."""
    scores = grade_records(gold, pred).scores
    tp = sum(scores.get(f"{n}_tp", 0) for n in FIELDS)
    n_gold = sum(scores.get(f"{n}_gold", 0) for n in FIELDS)
    n_pred = sum(scores.get(f"{n}_pred", 0) for n in FIELDS)
    p = tp / n_pred if n_pred else 1.0 if not n_gold else 0.0
    r = tp / n_gold if n_gold else 1.0 if not n_pred else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"f": round(f, 3), "tp": tp, "gold": n_gold, "pred": n_pred,
            "fields": {n: round(scores.get(f"{n}_f", 0.0), 3) for n in ("measures", *FIELDS)},
            "meta_acc": scores.get("meta_acc")}


# ---------------------------------------------------------------------- gold shape

def _number(value: Any) -> int | float | None:
    """A reviewer's number: '400000' → 400000, '0.02' → 0.02, '' → None; junk → ValueError."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value
    s = str(value).strip().replace(",", "").replace("，", "")
    if not s:
        return None
    num = float(s)
    if num != num or num in (float("inf"), float("-inf")):
        raise ValueError(f"not a number: {value!r}")
    return int(num) if num.is_integer() and "." not in s and "e" not in s.lower() else num


def _str_or_none(value: Any) -> str | None:
    if value is None:
        return None
    s = str(value).strip()
    return s or None


def clean_field(name: str, item: dict[str, Any], text: str) -> dict[str, Any]:
    """One field in FORMAT.md shape; offsets kept (as extra keys) when they index ``text``."""
    out: dict[str, Any] = {"text": _str_or_none(item.get("text")) or ""}
    start, end = item.get("start"), item.get("end")
    has_span = (isinstance(start, int) and isinstance(end, int) and not isinstance(start, bool)
                and 0 <= start < end <= len(text))
    if has_span:
        out["text"] = text[start:end]
        out["start"], out["end"] = start, end
    out["measure"] = _str_or_none(item.get("measure"))
    for key in FIELD_KEYS[name]:
        v = item.get(key)
        if key in NUMERIC and name != "dates":
            try:
                out[key] = _number(v)
            except ValueError as e:
                raise ValueError(f"{name}: {out['text'] or '(field)'}: {key} {e}") from None
        else:
            out[key] = _str_or_none(v)
    if name == "units" and not out["text"]:
        raise ValueError("units: a unit needs its name (text)")
    src = item.get("src")
    if has_span and isinstance(src, list) and len(src) == 2 and all(
            isinstance(x, int) and not isinstance(x, bool) for x in src):
        out["src"] = list(src)
    return out


def build_gold(doc_id: str, text: str, payload: dict[str, Any], *,
               reviewer: str | None = None) -> dict[str, Any]:
    """The gold record: graded keys in FORMAT.md order plus a ``review`` stamp."""
    if not isinstance(payload, dict):
        raise ValueError("the gold record must be a JSON object")
    meta_in = payload.get("meta") if isinstance(payload.get("meta"), dict) else {}
    meta = {k: _str_or_none(meta_in.get(k)) for k in META_KEYS}
    measures = []
    for m in payload.get("measures") or []:
        if not isinstance(m, dict):
            continue
        d = {k: m.get(k) for k in MEASURE_KEYS}
        d["path"] = [str(x) for x in d["path"]] if isinstance(d["path"], list) else []
        for k in ("start", "end"):
            if isinstance(m.get(k), int):
                d[k] = m[k]
        measures.append(d)
    gold: dict[str, Any] = {"schema": SCHEMA, "doc_id": doc_id, "meta": meta,
                            "measures": measures}
    fields_in = payload.get("fields") if isinstance(payload.get("fields"), dict) else payload
    for name in FIELDS:
        items = fields_in.get(name) or []
        if not isinstance(items, list):
            raise ValueError(f"{name} must be a list")
        cleaned = [clean_field(name, it, text) for it in items if isinstance(it, dict)]
        cleaned.sort(key=lambda f: (f.get("start", 1 << 60), f.get("end", 0)))
        gold[name] = cleaned
    stamp = {"saved_at": datetime.now(UTC).isoformat(timespec="seconds"),
             "tool": "policy-extract review"}
    if reviewer:
        stamp["reviewer"] = reviewer
    gold["review"] = stamp
    return gold


def working_copy(rec: dict[str, Any], gold: dict[str, Any] | None) -> dict[str, Any]:
    """What the reviewer edits: the gold when it exists (offsets re-found), else the predictions."""
    text = rec.get("text") or ""
    base = gold if gold else rec
    meta = base.get("meta") if isinstance(base.get("meta"), dict) else {}
    out: dict[str, Any] = {"origin": "gold" if gold else "prediction",
                           "meta": {k: meta.get(k) for k in META_KEYS}}
    pred_measures = {m.get("id"): m for m in rec.get("measures") or [] if isinstance(m, dict)}
    measures = []
    # gold keeps its own measures (even none: a news report); spans come from the prediction
    for m in (gold.get("measures") or []) if gold else (rec.get("measures") or []):
        if not isinstance(m, dict):
            continue
        d = {k: m.get(k) for k in MEASURE_KEYS}
        p = pred_measures.get(m.get("id"), m)
        d["start"], d["end"] = m.get("start", p.get("start")), m.get("end", p.get("end"))
        measures.append(d)
    out["measures"] = measures
    fields: dict[str, list[dict[str, Any]]] = {}
    for name in FIELDS:
        items = [dict(x) for x in base.get(name) or [] if isinstance(x, dict)]
        if gold:
            locate(items, [x for x in rec.get(name) or [] if isinstance(x, dict)], text,
                   measures)
        fields[name] = items
    out["fields"] = fields
    return out


def locate(items: list[dict[str, Any]], preds: list[dict[str, Any]], text: str,
           measures: list[dict[str, Any]]) -> None:
    """Give gold fields without offsets a span: a predicted field's span with the same text,
    else the next unused occurrence of the text (inside its measure when it has one)."""
    used: set[tuple[int, int]] = set()
    for it in items:
        if _valid_span(it, text):
            used.add((it["start"], it["end"]))
    by_text: dict[str, list[dict[str, Any]]] = {}
    for p in preds:
        if _valid_span(p, text):
            by_text.setdefault(p.get("text") or "", []).append(p)
    spans = {m.get("id"): (m.get("start"), m.get("end")) for m in measures}
    for it in items:
        if _valid_span(it, text):
            continue
        t = it.get("text") or ""
        if not t:
            continue
        hit = next((p for p in by_text.get(t, []) if (p["start"], p["end"]) not in used), None)
        if hit:
            it["start"], it["end"] = hit["start"], hit["end"]
            if "src" in hit:
                it["src"] = hit["src"]
        else:
            lo, hi = spans.get(it.get("measure"), (0, len(text)))
            lo = lo if isinstance(lo, int) else 0
            hi = hi if isinstance(hi, int) else len(text)
            for a, b in ((lo, hi), (0, len(text))):
                i = text.find(t, a, b)
                while i >= 0 and (i, i + len(t)) in used:
                    i = text.find(t, i + 1, b)
                if i >= 0:
                    it["start"], it["end"] = i, i + len(t)
                    break
        if _valid_span(it, text):
            used.add((it["start"], it["end"]))


def _valid_span(item: dict[str, Any], text: str) -> bool:
    s, e = item.get("start"), item.get("end")
    return (isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text)
            and text[s:e] == item.get("text"))
