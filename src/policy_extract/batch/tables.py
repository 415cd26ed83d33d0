"""Record → rows of the analysis tables (``documents``, ``measures`` and one table per field).

The schemas are fixed here, so Parquet files and DuckDB tables have the same typed columns
whether a batch holds zero rows or a million: money and percentages as DOUBLE, offsets as
BIGINT, everything else as text. Keys a pattern pack adds to a field go into ``extra`` (JSON).
"""
from __future__ import annotations

import json
from typing import Any

import pyarrow as pa

S, F, N = pa.string(), pa.float64(), pa.int64()

_SPAN = [("doc_id", S), ("measure", S), ("text", S), ("start", N), ("end", N),
         ("src_start", N), ("src_end", N)]

SCHEMAS: dict[str, pa.Schema] = {
    "documents": pa.schema([
        ("doc_id", S), ("title", S), ("doc_number", S), ("issuer", S), ("published", S),
        ("published_year", N), ("valid_until", S), ("source_name", S), ("script", S),
        ("n_measures", N), ("n_amounts", N), ("n_caps", N), ("n_percentages", N),
        ("n_dates", N), ("n_units", N), ("n_warnings", N), ("n_chars", N),
        ("error_code", S), ("error_message", S), ("path", S), ("encoding", S), ("format", S),
        ("sha256", S), ("bytes", N)]),
    "measures": pa.schema([
        ("doc_id", S), ("measure", S), ("label", S), ("parent", S), ("level", N), ("title", S),
        ("start", N), ("end", N), ("src_start", N), ("src_end", N)]),
    "amounts": pa.schema(_SPAN + [
        ("value", F), ("low", F), ("high", F), ("qualifier", S), ("currency", S), ("per", S),
        ("extra", S)]),
    "caps": pa.schema(_SPAN + [("value", F), ("unit", S), ("scope", S), ("extra", S)]),
    "percentages": pa.schema(_SPAN + [
        ("value", F), ("low", F), ("high", F), ("qualifier", S), ("extra", S)]),
    "dates": pa.schema(_SPAN + [
        ("value", S), ("qualifier", S), ("value_start", S), ("value_end", S), ("extra", S)]),
    "units": pa.schema(_SPAN + [("role", S), ("extra", S)]),
}
TABLES = tuple(SCHEMAS)
FIELD_TABLES = ("amounts", "caps", "percentages", "dates", "units")


def _num(v: Any) -> float | None:
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, int | float):
        return float(v)
    try:
        return float(str(v).replace(",", ""))
    except ValueError:
        return None


def _int(v: Any) -> int | None:
    if isinstance(v, bool) or v is None:
        return None
    try:
        return int(v)
    except (TypeError, ValueError):
        return None


def _str(v: Any) -> str | None:
    if v is None:
        return None
    return v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)


def _year(date: Any) -> int | None:
    s = str(date or "")[:4]
    return int(s) if s.isdigit() else None


def _src(f: dict[str, Any]) -> tuple[int | None, int | None]:
    src = f.get("src")
    if isinstance(src, list | tuple) and len(src) == 2:
        return _int(src[0]), _int(src[1])
    return None, None


def _row(table: str, doc_id: str, f: dict[str, Any]) -> dict[str, Any]:
    """One field dict → one row of its table; unknown keys kept as JSON in ``extra``."""
    schema = SCHEMAS[table]
    names = set(schema.names)
    src_start, src_end = _src(f)
    row: dict[str, Any] = {"doc_id": doc_id, "src_start": src_start, "src_end": src_end}
    for col in schema:
        if col.name in row or col.name in ("extra", "value_start", "value_end"):
            continue
        v = f.get(col.name)
        row[col.name] = _num(v) if col.type == F else _int(v) if col.type == N else _str(v)
    if table == "dates":
        value = f.get("value")
        if isinstance(value, str):
            a, _, b = value.partition("/")
            row["value_start"], row["value_end"] = a, (b or a)
        else:
            row["value_start"] = row["value_end"] = None
    extra = {k: v for k, v in f.items() if k not in names and k != "src"}
    row["extra"] = json.dumps(extra, ensure_ascii=False) if extra else None
    return row


def rows(record: dict[str, Any], manifest: dict[str, Any] | None = None
         ) -> dict[str, list[dict[str, Any]]]:
    """All rows one record contributes, per table (an error record: one ``documents`` row)."""
    doc_id = record.get("doc_id")
    man = manifest or {}
    out: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLES}
    error = record.get("error")
    if isinstance(error, dict):
        out["documents"].append({
            "doc_id": doc_id, "error_code": error.get("code"), "error_message": error.get("message"),
            "path": error.get("path") or man.get("path"), "sha256": man.get("sha256"),
            "bytes": man.get("bytes")})
        return out
    meta = record.get("meta") or {}
    source = record.get("source") or {}
    doc = {k: _str(meta.get(k)) for k in ("title", "doc_number", "issuer", "published",
                                          "valid_until", "source_name", "script")}
    doc.update(doc_id=doc_id, published_year=_year(meta.get("published")),
               n_warnings=len(record.get("warnings") or []), n_chars=len(record.get("text") or ""),
               path=source.get("path") or man.get("path"), encoding=source.get("encoding"),
               format=source.get("format"), sha256=man.get("sha256"), bytes=man.get("bytes"))
    for name in ("measures",) + FIELD_TABLES:
        doc[f"n_{name}"] = len(record.get(name) or [])
    out["documents"].append(doc)
    for m in record.get("measures") or []:
        path = m.get("path") or []
        src_start, src_end = _src(m)
        out["measures"].append({
            "doc_id": doc_id, "measure": _str(m.get("id")), "label": _str(m.get("label")),
            "parent": "/".join(map(str, path[:-1])) or None, "level": _int(m.get("level")),
            "title": _str(m.get("title")), "start": _int(m.get("start")),
            "end": _int(m.get("end")), "src_start": src_start, "src_end": src_end})
    for table in FIELD_TABLES:
        for f in record.get(table) or []:
            if isinstance(f, dict):
                out[table].append(_row(table, doc_id, f))
    return out


def to_arrow(table: str, batch: list[dict[str, Any]]) -> pa.Table:
    """A list of rows → an Arrow table with the fixed schema (missing keys become null)."""
    return pa.Table.from_pylist(batch, schema=SCHEMAS[table])
