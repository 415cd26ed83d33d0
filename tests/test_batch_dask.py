"""The Dask engine runs the same worker function and gives the same records as the local one."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("dask.distributed")

from policy_extract.batch import BatchOptions, run_batch  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def _records(path: Path) -> dict[str, dict]:
    recs = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
    out = {r["doc_id"]: r for r in recs}
    assert len(out) == len(recs)
    return out


@pytest.mark.slow
def test_dask_local_cluster_gives_the_same_records_as_the_local_engine(tmp_path: Path):
    src = tmp_path / "in"
    src.mkdir()
    for p in sorted((ROOT / "corpus").iterdir())[:6]:
        (src / p.name).write_bytes(p.read_bytes())
    (src / "empty.txt").write_bytes(b"")
    local, dask = tmp_path / "local.jsonl", tmp_path / "dask.jsonl"
    run_batch([str(src)], BatchOptions(outputs=[("jsonl", str(local))], workers=1,
                                       progress=False))
    s = run_batch([str(src)], BatchOptions(
        outputs=[("jsonl", str(dask)), ("duckdb", str(tmp_path / "t.duckdb"))], engine="dask",
        workers=2, progress=False,
        cluster_kwargs={"processes": False, "n_workers": 1, "threads_per_worker": 2}))
    assert s.inputs == 7 and s.converted + s.errors == 7
    assert _records(dask) == _records(local)
    # resume works the same way on the dask engine
    s2 = run_batch([str(src)], BatchOptions(outputs=[("jsonl", str(dask))], engine="dask",
                                            workers=1, progress=False,
                                            cluster_kwargs={"processes": False}))
    assert s2.skipped == s.converted
