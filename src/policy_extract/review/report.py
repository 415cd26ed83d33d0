"""``policy-extract report``: one static, self-contained HTML file to share converted output.

No server, no network: CSS and JS are inlined, the records are embedded as JSON in a
``<script type="application/json">`` block with ``<``, ``>`` and ``&`` escaped (so a page's
``</script>`` cannot end it), and the page's CSP allows only its own two inline scripts
(by hash). The script builds the DOM with ``textContent`` only.
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..record import FIELDS
from .server import static_bytes
from .store import FIELD_KEYS, Store, grade_summary

_JSON_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026",
                 0x2028: "\\u2028", 0x2029: "\\u2029"}


def script_json(data: Any) -> str:
    """JSON that is safe inside a <script> element."""
    return json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES)


def _doc(store: Store, doc_id: str) -> dict[str, Any]:
    rec = store.record(doc_id)
    gold, _ = store.gold(doc_id)
    meta = rec.get("meta") if isinstance(rec.get("meta"), dict) else {}
    fields = []
    for name in FIELDS:
        for f in rec.get(name) or []:
            if isinstance(f, dict):
                fields.append({"type": name, "text": f.get("text"), "start": f.get("start"),
                               "end": f.get("end"), "measure": f.get("measure"),
                               **{k: f.get(k) for k in FIELD_KEYS[name]}})
    return {
        "doc_id": doc_id, "meta": meta, "text": rec.get("text") or "",
        "measures": [{k: m.get(k) for k in ("id", "label", "level", "title", "start")}
                     for m in rec.get("measures") or [] if isinstance(m, dict)],
        "fields": fields,
        "counts": {n: len(rec.get(n) or []) for n in ("measures", *FIELDS)},
        "error": (rec["error"].get("message") if isinstance(rec.get("error"), dict) else None),
        "gold": gold is not None,
        "grade": grade_summary(gold, rec) if gold and "error" not in rec else None,
    }


def _sha(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"


def render_report(store: Store, title: str | None = None) -> str:
    """The report's HTML text."""
    data = {"source": str(store.path), "generated":
            datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "docs": [_doc(store, d) for d in store.doc_ids()]}
    css = static_bytes("app.css").decode("utf-8")
    scripts = [static_bytes("highlight.js").decode("utf-8"),
               static_bytes("report.js").decode("utf-8")]
    csp = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
           f"script-src {' '.join(_sha(s) for s in scripts)}; base-uri 'none'; "
           "form-action 'none'")
    title = title or f"policy-extract report: {store.path.name}"
    inline = "".join(f"<script>{s}</script>\n" for s in scripts)
    return (
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{html.escape(csp)}\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{html.escape(title)}</title>\n<style>{css}</style>\n</head>\n<body>\n"
        f"<header id=\"topbar\"><a href=\"#\" class=\"brand\">{html.escape(title)}</a></header>\n"
        "<main id=\"app\"></main>\n"
        f"<script type=\"application/json\" id=\"report-data\">{script_json(data)}</script>\n"
        f"{inline}</body>\n</html>\n")


def write_report(store: Store, out: str | Path, title: str | None = None) -> int:
    """Write the report; return the number of documents in it."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    text = render_report(store, title)
    out.write_text(text, encoding="utf-8")
    return len(store)
