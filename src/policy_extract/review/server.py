"""The review app's HTTP server: a small JSON API plus three static files.

Stdlib only (``ThreadingHTTPServer``). Every POST must carry the per-session token that is
embedded in the page (``X-Review-Token``), so another site open in the same browser cannot
write gold; responses forbid framing and inline scripts (CSP), and the UI builds its DOM with
``textContent`` only.

    GET  /                          the app (token in a <meta>)
    GET  /static/{app.js,app.css,highlight.js}
    GET  /api/info                  corpus path, gold folder, counts
    GET  /api/docs?q=&status=&offset=&limit=   one page of the document list
    GET  /api/doc/<id>              prediction, gold, working copy, gold version, grade
    GET  /api/doc/<id>/source       the decoded original (for the ``src`` view)
    GET  /api/suggest?type=&text=   values the extractors read in a selected snippet
    POST /api/doc/<id>/gold         {version, meta, measures, fields} → 200 | 400 | 403 | 409
"""
from __future__ import annotations

import hmac
import json
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from .. import __version__
from ..record import FIELDS
from .store import BadDocId, StaleVersion, Store, UnknownDoc, grade_summary, working_copy

STATIC = {"app.js": "text/javascript", "app.css": "text/css",
          "highlight.js": "text/javascript"}
MAX_BODY = 16 * 1024 * 1024
PAGE_MAX = 200
STATUSES = ("all", "unreviewed", "gold", "reviewed", "errors")
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
       "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


def static_bytes(name: str) -> bytes:
    return resources.files("policy_extract.review").joinpath("static", name).read_bytes()


class ReviewServer(ThreadingHTTPServer):
    """One review session: the store, the session token, a background indexer."""

    daemon_threads = True

    def __init__(self, store: Store, host: str = "127.0.0.1", port: int = 8765,
                 token: str | None = None):
        self.store = store
        self.token = token or secrets.token_urlsafe(24)
        self._stop_warm = threading.Event()
        super().__init__((host, port), Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        host = f"[{host}]" if ":" in str(host) else host
        return f"http://{host}:{port}/"

    def start_indexing(self) -> threading.Thread:
        """Summaries for every document in the background, so search covers them all."""
        t = threading.Thread(target=self.store.warm, args=(self._stop_warm,), daemon=True,
                             name="review-index")
        t.start()
        return t

    def server_close(self) -> None:
        self._stop_warm.set()
        super().server_close()


class Handler(BaseHTTPRequestHandler):
    server: ReviewServer
    server_version = f"policy-extract-review/{__version__}"
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib name
        pass  # quiet: the terminal shows the URL and errors only

    # ------------------------------------------------------------------ plumbing

    def _send(self, status: int, body: bytes, ctype: str, extra: dict[str, str] | None = None
              ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("X-Frame-Options", "DENY")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Content-Security-Policy", CSP)
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, data: Any) -> None:
        self._send(status, json.dumps(data, ensure_ascii=False).encode("utf-8"),
                   "application/json; charset=utf-8")

    def _error(self, status: int, message: str, **extra: Any) -> None:
        self._json(status, {"error": message, "status": status, **extra})

    def _host_ok(self) -> bool:
        """On a loopback bind, refuse other Host names (DNS rebinding)."""
        bound = str(self.server.server_address[0])
        if bound not in ("127.0.0.1", "::1"):
            return True
        host = (self.headers.get("Host") or "").strip()
        try:
            name = urlsplit("//" + host).hostname or ""
        except ValueError:
            return False
        return name in LOOPBACK

    def _route(self) -> tuple[list[str], dict[str, list[str]]]:
        parts = urlsplit(self.path)
        # split before unquoting: `..%2Fx` stays one segment and fails the id check
        segs = [unquote(s) for s in parts.path.split("/") if s != ""]
        return segs, parse_qs(parts.query)

    # ------------------------------------------------------------------ GET

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        if not self._host_ok():
            return self._error(400, "unexpected Host header")
        segs, query = self._route()
        try:
            if not segs:
                return self._index()
            if segs[0] == "static" and len(segs) == 2 and segs[1] in STATIC:
                return self._send(200, static_bytes(segs[1]),
                                  f"{STATIC[segs[1]]}; charset=utf-8")
            if segs == ["favicon.ico"]:
                return self._send(204, b"", "image/x-icon")
            if segs[:1] == ["api"]:
                return self._api_get(segs[1:], query)
            return self._error(404, "not found")
        except BadDocId as e:
            return self._error(400, str(e))
        except UnknownDoc as e:
            return self._error(404, f"no document {e.args[0]!r}")

    def _index(self) -> None:
        html = static_bytes("index.html").decode("utf-8")
        html = html.replace("{{TOKEN}}", self.server.token).replace("{{VERSION}}", __version__)
        self._send(200, html.encode("utf-8"), "text/html; charset=utf-8")

    def _api_get(self, segs: list[str], query: dict[str, list[str]]) -> None:
        store = self.server.store
        if segs == ["info"]:
            return self._json(200, {"path": str(store.path), "kind": store.kind,
                                    "gold": str(store.gold_dir), "total": len(store),
                                    "fields": list(FIELDS), "version": __version__})
        if segs == ["docs"]:
            return self._json(200, self._list(query))
        if segs == ["suggest"]:
            return self._json(200, suggest(_q(query, "type"), _q(query, "text")))
        if len(segs) in (2, 3) and segs[0] == "doc":
            doc_id = segs[1]
            store.gold_path(doc_id)  # validates the id (400) before anything else
            if doc_id not in store:
                raise UnknownDoc(doc_id)
            if len(segs) == 2:
                return self._json(200, doc_payload(store, doc_id))
            if segs[2] == "source":
                raw = store.source_text(doc_id)
                return self._json(200, {"doc_id": doc_id, "raw": raw,
                                        "available": raw is not None})
        return self._error(404, "not found")

    def _list(self, query: dict[str, list[str]]) -> dict[str, Any]:
        store = self.server.store
        q = _q(query, "q").strip().lower()
        status = _q(query, "status") or "all"
        if status not in STATUSES:
            status = "all"
        try:
            offset = max(0, int(_q(query, "offset") or 0))
            limit = min(PAGE_MAX, max(1, int(_q(query, "limit") or 50)))
        except ValueError:
            offset, limit = 0, 50
        ids = store.doc_ids()
        filtering = bool(q) or status != "all"
        pending = 0
        if filtering:
            hits = []
            for doc_id in ids:
                row = store.cached_summary(doc_id)
                if row is None:
                    gold_exists = store.gold_path(doc_id).is_file()
                    if status == "errors" or (status == "reviewed" and not gold_exists):
                        pending += 1
                        continue
                    pending += 1
                    row = {"doc_id": doc_id, "gold": gold_exists, "title": None,
                           "issuer": None, "reviewed": False, "error": None}
                if _matches(row, q, status):
                    hits.append(doc_id)
            ids = hits
        page = [store.summary(d) for d in ids[offset:offset + limit]]
        return {"total": len(ids), "offset": offset, "limit": limit, "items": page,
                "all": len(store), "not_indexed": pending}

    # ------------------------------------------------------------------ POST

    def do_POST(self) -> None:
        if not self._host_ok():
            return self._error(400, "unexpected Host header")
        token = self.headers.get("X-Review-Token") or ""
        if not hmac.compare_digest(token.encode(), self.server.token.encode()):
            self._drain()
            return self._error(403, "missing or wrong session token: reload the page "
                                    "(the server may have been restarted)")
        segs, _ = self._route()
        try:
            if len(segs) == 4 and segs[:2] == ["api", "doc"] and segs[3] == "gold":
                return self._save(segs[2])
            self._drain()
            return self._error(404, "not found")
        except BadDocId as e:
            return self._error(400, str(e))
        except UnknownDoc as e:
            return self._error(404, f"no document {e.args[0]!r}")

    def _drain(self) -> None:
        n = int(self.headers.get("Content-Length") or 0)
        if 0 < n <= MAX_BODY:
            self.rfile.read(n)
        elif n:
            self.close_connection = True

    def _body(self) -> Any:
        try:
            n = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            n = -1
        if n < 0 or n > MAX_BODY:
            self.close_connection = True
            raise ValueError("request body missing or too large")
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip()
        data = self.rfile.read(n)
        if ctype != "application/json":
            raise ValueError("send the gold record as application/json")
        return json.loads(data.decode("utf-8"))

    def _save(self, doc_id: str) -> None:
        store = self.server.store
        store.gold_path(doc_id)
        if doc_id not in store:
            self._drain()
            raise UnknownDoc(doc_id)
        try:
            body = self._body()
            if not isinstance(body, dict):
                raise ValueError("the request must be a JSON object")
            version = body.get("version")
            if not isinstance(version, str):
                raise ValueError("the request needs the 'version' of the gold file you opened")
            gold, new_version = store.save_gold(doc_id, body, version,
                                                reviewer=_str(body.get("reviewer")))
        except StaleVersion as e:
            return self._error(409, "This document was saved by someone else after you opened "
                                    "it. Your edits were NOT saved. Copy what you need, then "
                                    "reload the document to see their version.",
                               current_version=e.current)
        except (ValueError, UnicodeDecodeError) as e:
            return self._error(400, f"not saved: {e}")
        rec = store.record(doc_id)
        return self._json(200, {"saved": True, "version": new_version,
                                "path": str(store.gold_path(doc_id)),
                                "grade": grade_summary(gold, rec) if "error" not in rec
                                else None})


def _q(query: dict[str, list[str]], key: str) -> str:
    v = query.get(key)
    return v[0] if v else ""


def _str(v: Any) -> str | None:
    return v.strip()[:100] or None if isinstance(v, str) else None


def _matches(row: dict[str, Any], q: str, status: str) -> bool:
    if status == "unreviewed" and row.get("gold"):
        return False
    if status == "gold" and not row.get("gold"):
        return False
    if status == "reviewed" and not row.get("reviewed"):
        return False
    if status == "errors" and not row.get("error"):
        return False
    if q:
        hay = " ".join(str(row.get(k) or "") for k in ("doc_id", "title", "issuer",
                                                       "published")).lower()
        return all(w in hay for w in q.split())
    return True


def doc_payload(store: Store, doc_id: str) -> dict[str, Any]:
    """Everything the document view needs in one response."""
    rec = store.record(doc_id)
    gold, version = store.gold(doc_id)
    return {"doc_id": doc_id, "record": rec, "gold_version": version,
            "has_gold": gold is not None,
            "working": working_copy(rec, gold),
            "grade": grade_summary(gold, rec) if gold and "error" not in rec else None}


def suggest(name: str, snippet: str) -> dict[str, Any]:
    """Run the extractors over a selected snippet and return the best field of type ``name``."""
    if name not in FIELDS or not snippet or len(snippet) > 2000:
        return {"field": None}
    from ..document import Source
    from ..pipeline import extract_source
    try:
        rec = extract_source(Source.from_text(snippet, doc_id="selection"))
    except Exception:  # a suggestion is a convenience; never an error for the reviewer
        return {"field": None}
    items = [x for x in rec.get(name) or [] if isinstance(x, dict)]
    if not items:
        return {"field": None}
    best = max(items, key=lambda x: (x.get("end", 0) - x.get("start", 0)))
    return {"field": {k: v for k, v in best.items()
                      if k not in ("start", "end", "src", "measure", "text")}}


def serve(store: Store, host: str = "127.0.0.1", port: int = 8765) -> ReviewServer:
    """A bound server (not yet serving) with its indexer started; port 0 picks a free port."""
    server = ReviewServer(store, host, port)
    server.start_indexing()
    return server
