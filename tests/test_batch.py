"""Batch conversion: one record per input, resume, crash safety, outputs that agree, queries."""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from policy_extract.batch import BatchOptions, run_batch
from policy_extract.batch import worker as batch_worker
from policy_extract.batch.inputs import iter_inputs
from policy_extract.batch.tables import TABLES, rows
from policy_extract.batch.writers import (
    DuckdbTables,
    ParquetTables,
    build_tables,
    compact_jsonl,
    resolve_format,
    split_spec,
)
from policy_extract.errors import PolicyExtractError

ROOT = Path(__file__).resolve().parents[1]
NOTICE = ("福州市人民政府办公厅关于印发若干措施的通知\n\n"
          "一、鼓励工业企业增产增效\n对产值增长的企业给予最高不超过40万元奖励。\n")


def write_notices(folder: Path, n: int, prefix: str = "n") -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        p = folder / f"{prefix}{i:04d}.txt"
        p.write_text(f"{NOTICE}第{i}号。\n", encoding="utf-8")
        paths.append(p)
    return paths


def jsonl_records(path: Path) -> list[dict]:
    lines = path.read_bytes().split(b"\n")
    assert lines[-1] == b"", "the JSONL file ends with a cut line"
    return [json.loads(line) for line in lines[:-1]]


def by_id(records: list[dict]) -> dict[str, dict]:
    ids = [r["doc_id"] for r in records]
    assert len(ids) == len(set(ids)), "a doc_id occurs twice"
    return {r["doc_id"]: r for r in records}


def convert(paths, *outputs, workers=1, **kw):
    return run_batch([str(p) for p in paths],
                     BatchOptions(outputs=[(f, str(p)) for f, p in outputs], workers=workers,
                                  progress=False, **kw))


# -- inputs ------------------------------------------------------------------------------------

def test_walk_skips_hidden_keeps_readme_and_suffixes_duplicate_ids(tmp_path: Path):
    (tmp_path / "a" / ".git").mkdir(parents=True)
    (tmp_path / "a" / ".git" / "x.txt").write_text("x")
    (tmp_path / "a" / ".hidden.txt").write_text("x")
    (tmp_path / "a" / "README.md").write_text("x")
    (tmp_path / "a" / "notice.txt").write_text("x")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "notice.html").write_text("x")
    got = [(Path(i.path).relative_to(tmp_path).as_posix(), i.doc_id)
           for i in iter_inputs([tmp_path / "a", tmp_path / "b", tmp_path / "a" / "notice.txt"])]
    assert got == [("a/README.md", "README"), ("a/notice.txt", "notice"),
                   ("b/notice.html", "notice~2")]


def test_duplicate_doc_ids_do_not_overwrite(tmp_path: Path):
    write_notices(tmp_path / "x", 1, "same")
    (tmp_path / "y").mkdir()
    (tmp_path / "y" / "same0000.md").write_text(NOTICE + "另一份。\n", encoding="utf-8")
    out = tmp_path / "out"
    s = convert([tmp_path / "x", tmp_path / "y"], ("json", out))
    assert s.converted == 2
    assert sorted(p.name for p in out.glob("*.json")) == ["same0000.json", "same0000~2.json"]
    assert "另一份" in json.loads((out / "same0000~2.json").read_text())["text"]


# -- one record per input, whatever goes wrong ---------------------------------------------------

def test_bad_files_give_one_error_record_each(tmp_path: Path):
    good = write_notices(tmp_path / "in", 3)
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    (tmp_path / "in" / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))
    (tmp_path / "in" / "corrupt.txt").write_bytes(b"\xff\x80\xfe\x81" * 50)
    out = tmp_path / "o.jsonl"
    s = convert([tmp_path / "in"], ("jsonl", out), workers=2)
    recs = by_id(jsonl_records(out))
    assert set(recs) == {p.stem for p in good} | {"empty", "image", "corrupt"}
    codes = {d: r["error"]["code"] for d, r in recs.items() if "error" in r}
    assert codes == {"empty": "E102", "image": "E103", "corrupt": "E104"}
    assert (s.converted, s.errors) == (3, 3)


@pytest.mark.parametrize("workers", [1, 2])
def test_every_failure_becomes_a_record_and_the_batch_goes_on(tmp_path: Path, monkeypatch,
                                                              workers: int):
    """Errors raised by ingest, crashes in the pipeline, missing and too large files."""
    write_notices(tmp_path / "in", 4)
    (tmp_path / "in" / "raises.txt").write_text("x")
    (tmp_path / "in" / "crashes.txt").write_text("x")
    (tmp_path / "in" / "big.txt").write_text("长" * 2000, encoding="utf-8")
    real_load = batch_worker.load_bytes

    def fake_load(data, *, doc_id, path=None, **kw):
        if path.endswith("raises.txt"):
            raise PolicyExtractError("E104", path=path)
        if path.endswith("crashes.txt"):
            raise ZeroDivisionError("boom")
        return real_load(data, doc_id=doc_id, path=path, **kw)

    monkeypatch.setattr(batch_worker, "load_bytes", fake_load)  # the fork-started pool inherits it
    out = tmp_path / "o.jsonl"
    s = convert([tmp_path / "in", tmp_path / "missing.txt"], ("jsonl", out), workers=workers,
                max_bytes=5000)
    recs = by_id(jsonl_records(out))
    assert len(recs) == 8
    codes = {d: r["error"]["code"] for d, r in recs.items() if "error" in r}
    assert codes == {"raises": "E104", "crashes": "E201", "big": "E105", "missing": "E101"}
    assert "ZeroDivisionError: boom" in recs["crashes"]["error"]["message"]
    assert (s.inputs, s.converted, s.errors) == (8, 4, 4)


def test_timeout_gives_E202(tmp_path: Path, monkeypatch):
    write_notices(tmp_path / "in", 2)

    def slow_load(data, *, doc_id, path=None, **kw):
        time.sleep(5)

    monkeypatch.setattr(batch_worker, "load_bytes", slow_load)
    out = tmp_path / "o.jsonl"
    t0 = time.monotonic()
    convert([tmp_path / "in"], ("jsonl", out), timeout=0.2)
    assert time.monotonic() - t0 < 3
    assert [r["error"]["code"] for r in jsonl_records(out)] == ["E202", "E202"]


# -- resume --------------------------------------------------------------------------------------

def test_rerun_skips_unchanged_redoes_failed_changed_and_forced(tmp_path: Path, monkeypatch):
    paths = write_notices(tmp_path / "in", 5)
    (tmp_path / "in" / "bad.txt").write_text("x")
    fail = {"on": True}
    real_load = batch_worker.load_bytes

    def flaky_load(data, *, doc_id, path=None, **kw):
        if path.endswith("bad.txt") and fail["on"]:
            raise PolicyExtractError("E106", path=path, reason="locked")
        return real_load(data, doc_id=doc_id, path=path, **kw)

    monkeypatch.setattr(batch_worker, "load_bytes", flaky_load)
    outs = (("json", tmp_path / "json"), ("jsonl", tmp_path / "o.jsonl"))
    s1 = convert([tmp_path / "in"], *outs)
    assert (s1.converted, s1.errors, s1.skipped) == (5, 1, 0)
    s2 = convert([tmp_path / "in"], *outs)  # the failed one is tried again
    assert (s2.converted, s2.errors, s2.skipped) == (0, 1, 5)
    fail["on"] = False
    paths[2].write_text(NOTICE + "改过。\n", encoding="utf-8")
    s3 = convert([tmp_path / "in"], *outs)
    assert (s3.converted, s3.errors, s3.skipped) == (2, 0, 4)
    recs = by_id(jsonl_records(tmp_path / "o.jsonl"))  # redone docs replaced, not duplicated
    assert len(recs) == 6 and "error" not in recs["bad"] and "改过" in recs["n0002"]["text"]
    s4 = convert([tmp_path / "in"], *outs, force=True)
    assert (s4.converted, s4.skipped) == (6, 0)
    assert len(by_id(jsonl_records(tmp_path / "o.jsonl"))) == 6


def test_a_new_pattern_pack_redoes_everything(tmp_path: Path):
    write_notices(tmp_path / "in", 3)
    out = ("jsonl", tmp_path / "o.jsonl")
    assert convert([tmp_path / "in"], out).converted == 3
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "extra.yaml").write_text("field: amounts\nvocab:\n  extra_words: [奖补资金]\n",
                                     encoding="utf-8")
    try:
        s = convert([tmp_path / "in"], out, patterns=(str(pack),))
    except Exception as e:  # the pack format belongs to the engine; only resume is tested here
        pytest.skip(f"pack not accepted by the engine: {e}")
    assert (s.converted, s.skipped) == (3, 0)


def test_compact_jsonl_drops_cut_line_and_keeps_last_copy(tmp_path: Path):
    f = tmp_path / "o.jsonl"
    f.write_bytes(b'{"schema": "policy-extract/1", "doc_id": "a", "v": 1}\n'
                  b'{"schema": "policy-extract/1", "doc_id": "b", "v": 1}\n'
                  b'{"schema": "policy-extract/1", "doc_id": "a", "v": 2}\n'
                  b'{"schema": "policy-extract/1", "doc_id": "c", "v"')
    ids, rewritten = compact_jsonl(f)
    assert rewritten and ids == {"a", "b"}
    assert [(r["doc_id"], r["v"]) for r in jsonl_records(f)] == [("b", 1), ("a", 2)]


@pytest.mark.slow
def test_killed_run_resumes_without_loss_or_duplicates(tmp_path: Path):
    n = 400
    write_notices(tmp_path / "in", n)
    for i in range(n):  # bigger files: the run must still be going when it is killed
        p = tmp_path / "in" / f"n{i:04d}.txt"
        p.write_text(p.read_text(encoding="utf-8") * 40, encoding="utf-8")
    jdir, jl = tmp_path / "json", tmp_path / "o.jsonl"
    manifest = tmp_path / "o.jsonl.manifest.jsonl"
    cmd = [sys.executable, "-m", "policy_extract.cli", "convert", str(tmp_path / "in"),
           "--out", str(jdir), "-o", str(jl), "--workers", "2"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if manifest.exists() and manifest.read_bytes().count(b"\n") >= 20:
            break
        time.sleep(0.005)
    killed = proc.poll() is None
    if killed:
        os.killpg(proc.pid, signal.SIGKILL)  # our own process group: the CLI and its workers
    proc.wait()
    # right after the kill: every JSON file and every complete JSONL line parses
    for f in jdir.glob("*.json"):
        json.loads(f.read_text(encoding="utf-8"))
    done_before = [json.loads(x) for x in jl.read_bytes().split(b"\n")[:-1]]
    assert not killed or len(done_before) < n, "the run finished before it could be killed"

    rerun = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    recs = by_id(jsonl_records(jl))
    assert set(recs) == {f"n{i:04d}" for i in range(n)}
    assert all("error" not in r for r in recs.values())
    files = sorted(jdir.glob("*.json"))
    assert len(files) == n
    for f in files:
        assert json.loads(f.read_text(encoding="utf-8"))["doc_id"] == f.stem
    m = re.search(r"(\d+) inputs: (\d+) documents converted, \d+ errors.*?(\d+) skipped",
                  rerun.stderr)
    assert m, rerun.stderr
    assert int(m.group(1)) == n and int(m.group(2)) + int(m.group(3)) == n
    if killed:
        assert int(m.group(3)) >= 1  # what the killed run finished is not converted again


# -- outputs -------------------------------------------------------------------------------------

def test_output_formats_from_flags():
    assert resolve_format("out/a.jsonl") == "jsonl"
    assert resolve_format("out/t.parquet") == "parquet"
    assert resolve_format("out/parquet/") == "parquet"
    assert resolve_format("out/t.duckdb") == "duckdb"
    assert resolve_format("out/a.txt", "jsonl") == "jsonl"
    assert split_spec("parquet:out/tables") == ("parquet", "out/tables")
    assert split_spec("C:/out/a.jsonl") == (None, "C:/out/a.jsonl")
    with pytest.raises(ValueError):
        resolve_format("out/tables")


def test_cli_rejects_an_output_of_unknown_format(tmp_path: Path, capsys):
    from policy_extract.cli import main

    assert main(["convert", str(tmp_path), "-o", str(tmp_path / "x.csv")]) == 2
    assert "--format" in capsys.readouterr().err


@pytest.mark.skipif(not (ROOT / "corpus").is_dir(), reason="no corpus")
def test_json_jsonl_parquet_duckdb_agree(tmp_path: Path):
    src = tmp_path / "in"
    src.mkdir()
    for p in sorted((ROOT / "corpus").iterdir())[:8]:
        (src / p.name).write_bytes(p.read_bytes())
    (src / "empty.txt").write_bytes(b"")
    o = tmp_path / "out"
    s = convert([src], ("json", o / "json"), ("jsonl", o / "n.jsonl"), ("duckdb", o / "t.duckdb"),
                ("parquet", o / "parquet"), workers=2)
    assert s.inputs == 9
    recs = by_id(jsonl_records(o / "n.jsonl"))
    assert set(recs) == {p.stem for p in (o / "json").glob("*.json")}
    con = duckdb.connect(str(o / "t.duckdb"), read_only=True)
    for table in TABLES:
        want = sum(len(rows(r)[table]) for r in recs.values())
        if table not in ("documents", "measures"):
            want_fields = sum(len(r.get(table) or []) for r in recs.values())
            assert want == want_fields
        assert con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] == want
        assert pq.read_table(o / "parquet" / f"{table}.parquet").num_rows == want
    assert con.execute("SELECT count(*) FROM documents WHERE error_code IS NOT NULL"
                       ).fetchone()[0] == sum("error" in r for r in recs.values())


def test_stdout_when_no_output(tmp_path: Path, capsys):
    from policy_extract.cli import main

    write_notices(tmp_path, 2)
    assert main(["convert", str(tmp_path), "--workers", "1"]) == 0
    out, err = capsys.readouterr()
    assert sorted(json.loads(x)["doc_id"] for x in out.splitlines()) == ["n0000", "n0001"]
    assert "2 inputs: 2 documents converted" in err


# -- analysis tables and the documented queries ------------------------------------------------

def _rec(doc_id, issuer, published, amounts=(), caps=(), units=(), measures=()):
    return {"schema": "policy-extract/1", "doc_id": doc_id,
            "meta": {"title": f"{issuer}通知", "issuer": issuer, "published": published,
                     "script": "simplified"},
            "text": "", "measures": [{"id": m, "label": m, "path": [m], "level": 1,
                                      "title": f"措施{m}", "start": 0, "end": 1} for m in measures],
            "amounts": [{"text": t, "start": 0, "end": 1, "measure": m, "value": v, "low": None,
                         "high": None, "currency": "CNY", "per": None, "qualifier": "max"}
                        for t, m, v in amounts],
            "caps": [{"text": t, "start": i, "end": i + 1, "measure": m, "value": v, "unit": u,
                      "scope": None} for i, (t, m, v, u) in enumerate(caps)],
            "percentages": [], "dates": [{"text": "2024年2月1日至2月29日", "start": 0, "end": 1,
                                          "measure": None, "value": "2024-02-01/2024-02-29",
                                          "qualifier": "on", "confidence": 0.9}],
            "units": [{"text": t, "start": 0, "end": 1, "measure": m, "role": "lead"}
                      for t, m in units],
            "warnings": []}


def doc_queries(doc: str) -> list[str]:
    text = (ROOT / doc).read_text(encoding="utf-8")
    return re.findall(r"```sql\n(.*?)```", text, flags=re.S)


@pytest.mark.parametrize("doc", ["docs/batch.md", "README.md"])
def test_documented_queries_give_the_expected_answers(tmp_path: Path, doc: str):
    records = [
        _rec("fz", "福州市人民政府办公厅", "2024-01-22", measures=["一", "二"],
             amounts=[("40万元", "一", 400000), ("10万元", "一", 100000), ("5万元", "二", 50000)],
             caps=[("最高40万元", "一", 400000, "元"), ("最高10%", "一", 10, "%")],
             units=[("市工信局", "一"), ("市财政局", "一")]),
        _rec("qz", "泉州市人民政府", "2022-02-01", measures=["一"],
             amounts=[("100万元", "一", 1000000)],
             caps=[("最高100万元", "一", 1000000, "元"), ("最高20万元", "一", 200000, "元")]),
        _rec("fz2", "福州市人民政府办公厅", "2024-06-01", caps=[("最高5万元", None, 50000, "元")]),
        {"schema": "policy-extract/1", "doc_id": "bad",
         "error": {"code": "E102", "message": "file is empty: bad.txt", "path": "bad.txt"}},
    ]
    db = tmp_path / "t.duckdb"
    build_tables(iter(records), {}, [DuckdbTables(db), ParquetTables(tmp_path / "pq")])
    con = duckdb.connect(str(db), read_only=True)
    q_caps, q_amounts, q_largest = doc_queries(doc)
    assert con.execute(q_caps).fetchall() == [
        ("泉州市人民政府", 2022, 2, 1200000.0), ("福州市人民政府办公厅", 2024, 2, 450000.0)]
    assert con.execute(q_amounts).fetchall() == [
        ("qz", "一", "措施一", 1, 1000000.0, None),
        ("fz", "一", "措施一", 2, 500000.0, "市工信局、市财政局"),
        ("fz", "二", "措施二", 1, 50000.0, None)]
    assert [(r[0], r[3]) for r in con.execute(q_largest).fetchall()] == [
        ("qz", 1000000.0), ("fz", 400000.0), ("fz2", 50000.0)]
    dates = con.execute("SELECT value_start, value_end, extra FROM dates").fetchall()
    assert dates[0][:2] == ("2024-02-01", "2024-02-29") and json.loads(dates[0][2]) == {
        "confidence": 0.9}
    assert con.execute("SELECT error_code FROM documents WHERE doc_id = 'bad'").fetchone() == (
        "E102",)
    assert pq.read_table(tmp_path / "pq" / "caps.parquet").num_rows == 5


@pytest.mark.parametrize("doc", ["docs/batch.md", "README.md"])
def test_documented_queries_run_on_a_real_conversion(tmp_path: Path, doc: str):
    write_notices(tmp_path / "in", 3)
    db = tmp_path / "t.duckdb"
    convert([tmp_path / "in"], ("duckdb", db))
    assert (tmp_path / "t.duckdb.records.jsonl").exists()
    con = duckdb.connect(str(db), read_only=True)
    for q in doc_queries(doc):
        con.execute(q).fetchall()
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 3


def test_outputs_inside_the_input_folder_are_not_inputs(tmp_path: Path):
    write_notices(tmp_path, 3)
    outs = (("json", tmp_path / "out" / "json"), ("jsonl", tmp_path / "out" / "n.jsonl"),
            ("duckdb", tmp_path / "t.duckdb"))
    assert convert([tmp_path], *outs).inputs == 3
    s = convert([tmp_path], *outs)
    assert (s.inputs, s.skipped) == (3, 3)


def test_data_files_found_in_a_folder_are_not_notices(tmp_path: Path):
    """A gold/ or output folder inside the input folder must not become garbage records."""
    (tmp_path / "in" / "gold").mkdir(parents=True)
    (tmp_path / "in" / "a.txt").write_text("一、支持企业\n给予最高10万元奖励。\n", encoding="utf-8")
    (tmp_path / "in" / "gold" / "a.json").write_text('{"doc_id": "a"}', encoding="utf-8")
    (tmp_path / "in" / "old.jsonl").write_text('{"doc_id": "b"}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    convert([tmp_path / "in"], ("jsonl", out))
    ids = [json.loads(line)["doc_id"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert ids == ["a"]
    # named explicitly, a .json file is still an input (and gets a record)
    out2 = tmp_path / "out2.jsonl"
    convert([tmp_path / "in" / "gold" / "a.json"], ("jsonl", out2))
    assert len(out2.read_text(encoding="utf-8").splitlines()) == 1


def test_first_run_records_the_content_hash_read_by_the_worker(tmp_path: Path):
    import hashlib

    paths = write_notices(tmp_path / "in", 3)
    out = tmp_path / "o.jsonl"
    convert([tmp_path / "in"], ("jsonl", out))
    manifest = [json.loads(x) for x in (tmp_path / "o.jsonl.manifest.jsonl").read_text(
        encoding="utf-8").splitlines()]
    want = {p.stem: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}
    assert {e["doc_id"]: e["sha256"] for e in manifest} == want
