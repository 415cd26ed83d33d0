"""The review app at the API level: list, open, save (atomic, versioned), security, interop."""
from __future__ import annotations

import http.client
import json
import os
import threading
from pathlib import Path
from typing import Any

import pytest

from policy_extract.review import Store, serve
from policy_extract.review.labelstudio import export_labelstudio, import_labelstudio
from policy_extract.review.report import render_report
from policy_extract.review.store import BadDocId, StaleVersion, working_copy

TEXT = ("福州市关于促进工业生产的若干措施\n"
        "一、鼓励企业增产增效\n对产值增长的企业，给予最高不超过40万元奖励，奖励比例为50%。"
        "责任单位：市工信局、市财政局\n"
        "二、支持连续生产\n2024年2月1日至2月29日连续生产的企业，按0.02元/千瓦时给予奖励。\n")
XSS = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


def span(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    i = -1
    for _ in range(nth + 1):
        i = text.index(needle, i + 1)
    return i, i + len(needle)


def make_record(doc_id: str, text: str = TEXT) -> dict[str, Any]:
    """A policy-extract/1 record written by hand (values read off TEXT, not from the pipeline)."""
    def f(needle: str, measure: str | None, **values: Any) -> dict[str, Any]:
        s, e = span(text, needle)
        return {"text": needle, "start": s, "end": e, "measure": measure, **values,
                "src": [s, e]}

    measures: list[dict[str, Any]] = []
    if "二、支持" in text:
        m1, m2 = span(text, "一、鼓励"), span(text, "二、支持")
        measures = [
            {"id": "一", "label": "一", "path": ["一"], "level": 1, "title": "鼓励企业增产增效",
             "start": m1[0], "end": m2[0] - 1},
            {"id": "二", "label": "二", "path": ["二"], "level": 1, "title": "支持连续生产",
             "start": m2[0], "end": len(text) - 1},
        ]
    rec = {"schema": "policy-extract/1", "doc_id": doc_id,
           "meta": {"title": "福州市关于促进工业生产的若干措施", "doc_number": None,
                    "issuer": "福州市", "published": "2024-01-22", "valid_until": None,
                    "source_name": None, "script": "simplified"},
           "text": text, "measures": measures, "amounts": [], "caps": [], "percentages": [],
           "dates": [], "units": []}
    if "40万元" in text:
        rec["amounts"] = [f("最高不超过40万元", "一", value=400000, low=None, high=None,
                            currency="CNY", per=None, qualifier="max"),
                          f("0.02元/千瓦时", "二", value=0.02, low=None, high=None,
                            currency="CNY", per="千瓦时", qualifier="exact")]
        rec["caps"] = [f("最高不超过40万元", "一", value=400000, unit="元", scope=None)]
        rec["percentages"] = [f("50%", "一", value=50, low=None, high=None,
                                qualifier="exact")]
        rec["dates"] = [f("2024年2月1日至2月29日", "二", value="2024-02-01/2024-02-29",
                          qualifier="on")]
        rec["units"] = [f("市工信局", "一", role="member"), f("市财政局", "一", role="member")]
    elif "2024年" in text:
        rec["dates"] = [f("2024年", None, value="2024", qualifier="on")]
    return rec


@pytest.fixture()
def corpus(tmp_path: Path) -> tuple[Path, Path]:
    out, gold = tmp_path / "out", tmp_path / "gold"
    out.mkdir()
    gold.mkdir()
    for doc_id in ("doc_a", "doc_b"):
        (out / f"{doc_id}.json").write_text(json.dumps(make_record(doc_id), ensure_ascii=False),
                                            encoding="utf-8")
    evil = make_record("evil", f"标题{XSS}\n正文{IMG}于2024年给予奖励。\n")
    (out / "evil.json").write_text(json.dumps(evil, ensure_ascii=False), encoding="utf-8")
    return out, gold


class Client:
    def __init__(self, server):
        self.host, self.port = server.server_address[:2]
        self.token = server.token

    def request(self, method: str, path: str, body: Any = None, token: str | None = "ok",
                headers: dict[str, str] | None = None) -> tuple[int, Any]:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=20)
        h = dict(headers or {})
        data = None
        if body is not None:
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
            h["Content-Type"] = "application/json"
        if token == "ok":
            h["X-Review-Token"] = self.token
        elif token is not None:
            h["X-Review-Token"] = token
        conn.request(method, path, body=data, headers=h)
        res = conn.getresponse()
        raw = res.read()
        conn.close()
        try:
            return res.status, json.loads(raw)
        except ValueError:
            return res.status, raw.decode("utf-8", "replace")


@pytest.fixture()
def app(corpus):
    out, gold = corpus
    server = serve(Store(out, gold), "127.0.0.1", 0)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    yield Client(server), out, gold
    server.shutdown()
    server.server_close()


def payload_from(doc: dict[str, Any],
                 changes: dict[tuple[str, int, str], Any] | None = None) -> dict[str, Any]:
    w = doc["working"]
    fields = json.loads(json.dumps(w["fields"]))
    for (name, i, key), value in (changes or {}).items():
        fields[name][i][key] = value
    return {"version": doc["gold_version"], "meta": w["meta"], "measures": w["measures"],
            "fields": fields}


def test_lists_documents_with_counts_and_search(app):
    client, _, _ = app
    status, data = client.request("GET", "/api/docs")
    assert status == 200
    assert data["total"] == 3
    row = {r["doc_id"]: r for r in data["items"]}["doc_a"]
    assert row["counts"]["amounts"] == 2 and row["counts"]["units"] == 2
    assert row["gold"] is False and row["title"] == "福州市关于促进工业生产的若干措施"
    status, data = client.request("GET", "/api/docs?q=doc_b")
    assert [r["doc_id"] for r in data["items"]] == ["doc_b"]
    status, data = client.request("GET", "/api/docs?limit=1&offset=1")
    assert len(data["items"]) == 1 and data["total"] == 3


def test_serves_a_document_and_the_app_page(app):
    client, _, _ = app
    status, doc = client.request("GET", "/api/doc/doc_a")
    assert status == 200
    assert doc["record"]["text"] == TEXT
    assert doc["gold_version"] == "absent" and doc["working"]["origin"] == "prediction"
    assert doc["working"]["fields"]["amounts"][0]["value"] == 400000
    status, page = client.request("GET", "/")
    assert status == 200 and client.token in page
    assert client.request("GET", "/api/doc/nope")[0] == 404


def test_save_writes_gold_in_format_shape_and_grades_it(app):
    client, _, gold = app
    _, doc = client.request("GET", "/api/doc/doc_a")
    body = payload_from(doc, {("amounts", 0, "value"): 300000})
    body["fields"]["units"].pop()  # the reviewer rejected 市财政局
    status, res = client.request("POST", "/api/doc/doc_a/gold", body)
    assert status == 200, res
    saved = json.loads((gold / "doc_a.json").read_text(encoding="utf-8"))
    assert saved["schema"] == "policy-extract/1" and saved["doc_id"] == "doc_a"
    assert [a["value"] for a in saved["amounts"]] == [300000, 0.02]
    assert saved["amounts"][0]["text"] == "最高不超过40万元"
    assert saved["amounts"][0]["qualifier"] == "max" and saved["amounts"][0]["measure"] == "一"
    assert [u["text"] for u in saved["units"]] == ["市工信局"]
    assert saved["dates"][0]["value"] == "2024-02-01/2024-02-29"
    assert saved["meta"]["published"] == "2024-01-22"
    assert [m["id"] for m in saved["measures"]] == ["一", "二"]
    # the grade compares the predictions with the new gold: one amount value and one unit differ
    assert res["grade"]["fields"]["amounts"] == pytest.approx(0.5)
    assert res["grade"]["fields"]["units"] == pytest.approx(2 / 3, abs=1e-3)
    assert not [p for p in gold.iterdir() if p.name.endswith(".tmp")]
    # reopening shows the gold, with offsets
    _, again = client.request("GET", "/api/doc/doc_a")
    assert again["working"]["origin"] == "gold"
    assert again["gold_version"] == res["version"] != "absent"
    assert again["working"]["fields"]["amounts"][0]["start"] == TEXT.index("最高不超过40万元")


def test_save_is_atomic(corpus, monkeypatch):
    out, gold = corpus
    store = Store(out, gold)
    _, version = store.gold("doc_a")
    first, v1 = store.save_gold("doc_a", working_copy(store.record("doc_a"), None), version)
    before = (gold / "doc_a.json").read_bytes()

    def boom(src, dst):
        raise OSError("disk full")
    monkeypatch.setattr(os, "replace", boom)
    w = working_copy(store.record("doc_a"), first)
    w["fields"]["amounts"][0]["value"] = 1
    with pytest.raises(OSError):
        store.save_gold("doc_a", w, v1)
    assert (gold / "doc_a.json").read_bytes() == before
    assert sorted(p.name for p in gold.iterdir() if not p.name.startswith(".review")) == [
        "doc_a.json"]


def test_stale_save_is_refused_with_409(app):
    client, _, gold = app
    _, doc1 = client.request("GET", "/api/doc/doc_b")
    _, doc2 = client.request("GET", "/api/doc/doc_b")  # a second reviewer opens it too
    status, _ = client.request("POST", "/api/doc/doc_b/gold",
                               payload_from(doc1, {("amounts", 0, "value"): 111}))
    assert status == 200
    status, res = client.request("POST", "/api/doc/doc_b/gold",
                                 payload_from(doc2, {("amounts", 0, "value"): 222}))
    assert status == 409
    assert "someone else" in res["error"] and "NOT saved" in res["error"]
    saved = json.loads((gold / "doc_b.json").read_text(encoding="utf-8"))
    assert saved["amounts"][0]["value"] == 111
    # a save without a version is refused too (never an unchecked overwrite)
    body = payload_from(doc2)
    del body["version"]
    assert client.request("POST", "/api/doc/doc_b/gold", body)[0] == 400


def test_stale_save_in_the_store_raises(corpus):
    out, gold = corpus
    store = Store(out, gold)
    w = working_copy(store.record("doc_a"), None)
    store.save_gold("doc_a", w, "absent")
    with pytest.raises(StaleVersion):
        store.save_gold("doc_a", w, "absent")


@pytest.mark.parametrize("path", [
    "/api/doc/..%2Fx", "/api/doc/../x", "/api/doc/%2Fetc%2Fpasswd", "/api/doc/..",
    "/api/doc/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd", "/api/doc/..%5Cx", "/api/doc/.hidden",
    "/api/doc/..%2Fx/source",
])
def test_path_traversal_ids_are_refused(app, path):
    client, _, _ = app
    status, _ = client.request("GET", path)
    assert status in (400, 404)


def test_path_traversal_post_writes_nothing(app, tmp_path):
    client, out, gold = app
    for path in ("/api/doc/..%2Fevil/gold", "/api/doc/%2Ftmp%2Fevil/gold",
                 "/api/doc/..%2F..%2Fevil/gold"):
        status, _ = client.request("POST", path, {"version": "absent", "fields": {}})
        assert status in (400, 404)
    assert not (tmp_path / "evil.json").exists() and not (gold.parent / "evil.json").exists()
    store = Store(out, gold)
    for bad in ("../x", "/etc/passwd", "..", "a/b", "a\\b", ""):
        with pytest.raises(BadDocId):
            store.gold_path(bad)


@pytest.mark.parametrize("token", [None, "", "wrong-token"])
def test_post_needs_the_session_token(app, token):
    client, _, gold = app
    _, doc = client.request("GET", "/api/doc/doc_a")
    status, res = client.request("POST", "/api/doc/doc_a/gold", payload_from(doc), token=token)
    assert status == 403
    assert "token" in res["error"]
    assert not (gold / "doc_a.json").exists()


def test_foreign_host_header_is_refused(app):
    client, _, _ = app
    status, _ = client.request("GET", "/api/docs", headers={"Host": "attacker.example:80"})
    assert status == 400


def test_bad_values_are_refused_with_a_message(app):
    client, _, gold = app
    _, doc = client.request("GET", "/api/doc/doc_a")
    status, res = client.request("POST", "/api/doc/doc_a/gold",
                                 payload_from(doc, {("amounts", 0, "value"): "forty"}))
    assert status == 400 and "value" in res["error"]
    assert not (gold / "doc_a.json").exists()


def test_gold_without_offsets_is_located_in_the_text(corpus):
    out, gold = corpus
    hand = make_record("doc_a")
    for name in ("amounts", "caps", "percentages", "dates", "units"):
        for f in hand[name]:
            for k in ("start", "end", "src"):
                f.pop(k)
    hand["amounts"].append({"text": "40万元", "measure": "一", "value": 400000, "low": None,
                            "high": None, "currency": "CNY", "per": None, "qualifier": "exact"})
    w = working_copy(make_record("doc_a"), hand)
    amounts = w["fields"]["amounts"]
    assert amounts[0]["start"] == TEXT.index("最高不超过40万元")
    assert amounts[2]["start"] == TEXT.index("40万元")  # found by its own text


def test_labelstudio_round_trip_gives_back_the_same_fields(corpus, tmp_path):
    out, _ = corpus
    store = Store(out, tmp_path / "unused")
    ls = tmp_path / "ls.json"
    assert export_labelstudio(store, ls) == 3
    tasks = json.loads(ls.read_text(encoding="utf-8"))
    task = next(t for t in tasks if t["data"]["doc_id"] == "doc_a")
    assert task["data"]["text"] == TEXT
    region = task["predictions"][0]["result"][0]
    assert region["from_name"] == "label" and region["to_name"] == "text"
    assert region["type"] == "labels"
    assert region["value"]["labels"] == ["amounts"]
    assert region["value"]["text"] == TEXT[region["value"]["start"]:region["value"]["end"]]
    assert region["meta"]["value"] == 400000
    assert (tmp_path / "ls.config.xml").read_text().count("<Label ") == 5
    # Label Studio export: the reviewer accepted every prediction as an annotation
    for t in tasks:
        t["id"] = 1
        t["annotations"] = [{"id": 7, "was_cancelled": False,
                             "result": t["predictions"][0]["result"]}]
    export = tmp_path / "export.json"
    export.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    gold = tmp_path / "gold"
    result = import_labelstudio(export, gold)
    assert sorted(result.written) == ["doc_a", "doc_b", "evil"]
    back = json.loads((gold / "doc_a.json").read_text(encoding="utf-8"))
    original = make_record("doc_a")
    keys = {"amounts": ("text", "measure", "value", "low", "high", "currency", "per",
                        "qualifier"),
            "caps": ("text", "measure", "value", "unit", "scope"),
            "percentages": ("text", "measure", "value", "low", "high", "qualifier"),
            "dates": ("text", "measure", "value", "qualifier"),
            "units": ("text", "measure", "role")}
    for name, ks in keys.items():
        assert [{k: f[k] for k in ks} for f in back[name]] == \
               [{k: f[k] for k in ks} for f in original[name]], name
    assert back["meta"] == original["meta"]
    assert [m["id"] for m in back["measures"]] == ["一", "二"]
    # importing again does not overwrite silently
    again = import_labelstudio(export, gold)
    assert again.written == [] and len(again.skipped) == 3


def test_labelstudio_region_drawn_by_hand_gets_its_measure_from_the_span(corpus, tmp_path):
    out, _ = corpus
    store = Store(out, tmp_path / "g")
    ls = tmp_path / "ls.json"
    export_labelstudio(store, ls)
    task = next(t for t in json.loads(ls.read_text(encoding="utf-8"))
                if t["data"]["doc_id"] == "doc_a")
    s, e = span(TEXT, "市财政局")
    task["annotations"] = [{"result": [{"from_name": "label", "to_name": "text",
                                        "type": "labels", "value": {
                                            "start": s, "end": e, "text": "市财政局",
                                            "labels": ["units"]}}]}]
    export = tmp_path / "export.json"
    export.write_text(json.dumps([task], ensure_ascii=False), encoding="utf-8")
    import_labelstudio(export, tmp_path / "gold")
    back = json.loads((tmp_path / "gold" / "doc_a.json").read_text(encoding="utf-8"))
    assert back["units"] == [{"text": "市财政局", "start": s, "end": e, "measure": "一",
                              "role": "member"}]


def test_report_is_self_contained_and_escapes_document_text(corpus, tmp_path):
    out, gold = corpus
    page = render_report(Store(out, gold))
    assert XSS not in page and IMG not in page
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in page
    # self-contained: no external script, style sheet or image
    assert "<link" not in page and "src=\"http" not in page and "src=\"/" not in page
    assert page.count("<script>") == 2  # highlight.js + report.js, inline
    assert "Content-Security-Policy" in page and "sha256-" in page
    assert "福州市关于促进工业生产的若干措施" in page


def test_report_command_writes_the_file(corpus, tmp_path):
    from policy_extract.commands import report
    out, gold = corpus
    dest = tmp_path / "r" / "report.html"
    import argparse
    p = argparse.ArgumentParser()
    report.register(p.add_subparsers())
    args = p.parse_args(["report", str(out), "-o", str(dest), "--gold", str(gold)])
    assert args.func(args) == 0
    assert dest.read_text(encoding="utf-8").startswith("<!doctype html>")


def test_raw_notices_are_converted_on_demand(tmp_path):
    src = tmp_path / "notices"
    src.mkdir()
    (src / "n1.txt").write_text(TEXT, encoding="utf-8")
    (src / "broken.txt").write_bytes(b"")
    store = Store(src, tmp_path / "gold")
    assert store.kind == "raw" and sorted(store.doc_ids()) == ["broken", "n1"]
    rec = store.record("n1")
    assert "鼓励企业增产增效" in rec["text"]
    assert store.source_text("n1") == TEXT
    assert "error" in store.record("broken")  # an empty file is an error record, not a crash
