"""Benchmark ``policy-extract convert`` against the peer a user would otherwise glue together.

Builds a corpus of varied copies of ``corpus/`` (paragraphs shuffled, numbers changed, some
in traditional script, some GBK-encoded) in a temp folder, then times, in one run:

(a) our pipeline, 1 worker (in-process);
(b) our pipeline, all cores (process pool);
(c) the peer: BeautifulSoup text + OpenCC t2s + JioNLP ``extract_money`` and ``extract_time``
    (sampled on a subset when slow; its rate is extrapolated per MB and said so).

Each run is a separate process; peak RSS is the largest sum of RSS over the process tree
(sampled with psutil every 20 ms). Usage::

    python scripts/bench.py [--docs 2000] [--quick] [--keep DIR]
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
MB = 1_000_000
TARGETS = {"a_mb_s_per_core": 5.0, "a_over_c": 10.0, "b_over_a_2cores": 1.7, "rss_mb": 500.0}


# -- corpus ------------------------------------------------------------------------------------

def _vary(text: str, rng: random.Random) -> str:
    """Shuffle body paragraphs (keep the head) and change numbers, keeping their length."""
    paras = text.split("\n")
    head, body = paras[:4], paras[4:]
    if body and rng.random() < 0.6:
        rng.shuffle(body)
    text = "\n".join(head + body)
    if rng.random() < 0.7:
        text = re.sub(r"\d+", lambda m: str(rng.randint(10 ** (len(m.group()) - 1) if len(m.group()) > 1 else 0,
                                                         10 ** len(m.group()) - 1)), text)
    return text


def build_corpus(dest: Path, n_docs: int, seed: int = 7) -> tuple[int, int]:
    """Write ``n_docs`` varied copies of corpus/ into ``dest``; return (files, bytes)."""
    from opencc import OpenCC

    s2t = OpenCC("s2t")
    rng = random.Random(seed)
    sources = sorted(p for p in (ROOT / "corpus").iterdir() if p.is_file())
    texts = [(p, p.read_text(encoding="utf-8", errors="replace")) for p in sources]
    dest.mkdir(parents=True, exist_ok=True)
    total = 0
    for i in range(n_docs):
        path, text = texts[i % len(texts)]
        text = _vary(text, rng)
        roll = rng.random()
        if roll < 0.2:
            text = s2t.convert(text)
        data = text.encode("utf-8")
        if 0.2 <= roll < 0.35:
            try:
                data = text.encode("gbk")
            except UnicodeEncodeError:
                data = text.encode("gb18030")
        sub = dest / f"part{i % 10}"
        sub.mkdir(exist_ok=True)
        (sub / f"{i:05d}_{path.stem[:24]}{path.suffix}").write_bytes(data)
        total += len(data)
    return n_docs, total


# -- measuring ---------------------------------------------------------------------------------

class PeakRSS:
    """Poll the RSS of a process and all its children; keep the largest sum and single value."""

    def __init__(self, pid: int):
        self.proc = psutil.Process(pid)
        self.peak_total = self.peak_single = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                procs = [self.proc, *self.proc.children(recursive=True)]
                rss = []
                for p in procs:
                    with contextlib.suppress(psutil.Error):
                        rss.append(p.memory_info().rss)
                if rss:
                    self.peak_total = max(self.peak_total, sum(rss))
                    self.peak_single = max(self.peak_single, max(rss))
            except psutil.Error:
                pass
            self._stop.wait(0.02)

    def stop(self) -> tuple[float, float]:
        self._stop.set()
        self._thread.join()
        return self.peak_total / MB, self.peak_single / MB


def run_measured(cmd: list[str]) -> dict[str, object]:
    """Run ``cmd``; wall seconds, peak RSS (MB, tree and single process), stdout and stderr."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=ROOT)
    rss = PeakRSS(proc.pid)
    out, err = proc.communicate()
    wall = time.perf_counter() - t0
    tree, single = rss.stop()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err[-2000:]}")
    return {"wall": wall, "rss_tree": tree, "rss_single": single, "stdout": out, "stderr": err}


_SUMMARY = re.compile(r"(\d+) inputs: (\d+) documents converted, (\d+) errors.*?"
                      r"([\d.]+) MB in ([\d.]+) s")


def ours(corpus: Path, out: Path, workers: int) -> dict[str, object]:
    cmd = [PYTHON, "-m", "policy_extract.cli", "convert", str(corpus), "-o", str(out),
           "--workers", str(workers), "--force", "--quiet"]
    r = run_measured(cmd)
    m = _SUMMARY.search(str(r["stderr"]))
    if not m:
        raise SystemExit(f"no summary line in: {r['stderr']}")
    r.update(docs=int(m.group(1)), errors=int(m.group(3)), mb=float(m.group(4)),
             batch_seconds=float(m.group(5)))
    return r


# -- the peer ----------------------------------------------------------------------------------

def peer_worker(files: list[str], budget: float) -> dict[str, object]:
    """Run the peer pipeline over ``files`` until done or ``budget`` seconds; report its rate."""
    import warnings

    warnings.filterwarnings("ignore")
    t_import = time.perf_counter()
    from bs4 import BeautifulSoup
    from jionlp.algorithm.ner import extract_money, extract_time
    from opencc import OpenCC

    t2s = OpenCC("t2s")
    import_s = time.perf_counter() - t_import
    done = nbytes = n_money = n_time = 0
    t0 = time.perf_counter()
    for f in files:
        data = Path(f).read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("gb18030", errors="replace")
        text = BeautifulSoup(text, "lxml").get_text("\n")
        text = t2s.convert(text)
        n_money += len(extract_money(text, with_parsing=True))
        n_time += len(extract_time(text, time_base=time.time(), with_parsing=True))
        done += 1
        nbytes += len(data)
        if time.perf_counter() - t0 > budget:
            break
    return {"docs": done, "bytes": nbytes, "seconds": time.perf_counter() - t0,
            "import_seconds": import_s, "money": n_money, "time": n_time}


def peer(corpus: Path, n_sample: int, budget: float) -> dict[str, object] | None:
    """The peer in its own process, on a random sample; None when JioNLP cannot be imported."""
    files = sorted(str(p) for p in corpus.rglob("*") if p.is_file())
    random.Random(1).shuffle(files)
    sample = files[:n_sample]
    listing = corpus.parent / "peer_files.json"
    listing.write_text(json.dumps(sample))
    cmd = [PYTHON, str(Path(__file__).resolve()), "--peer-worker", str(listing),
           "--peer-budget", str(budget)]
    try:
        r = run_measured(cmd)
    except SystemExit as e:
        print(f"(c) peer: could not run BeautifulSoup + OpenCC + JioNLP here: {str(e)[-400:]}")
        return None
    res = json.loads(str(r["stdout"]).strip().splitlines()[-1])
    res.update(rss_tree=r["rss_tree"], rss_single=r["rss_single"], sampled_of=len(files))
    return res


# -- report ------------------------------------------------------------------------------------

def line(name: str, docs: float, mb: float, secs: float, rss: float, note: str = "") -> str:
    return (f"{name:<34} {docs / secs:9.1f} docs/s {mb / secs:8.2f} MB/s "
            f"peak RSS {rss:6.0f} MB  {note}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=2000, help="documents in the corpus (default 2000)")
    ap.add_argument("--quick", action="store_true", help="300 documents, short peer sample")
    ap.add_argument("--keep", metavar="DIR", help="build the corpus in DIR and keep it")
    ap.add_argument("--peer-worker", help=argparse.SUPPRESS)
    ap.add_argument("--peer-budget", type=float, default=60.0, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.peer_worker:
        files = json.loads(Path(args.peer_worker).read_text())
        print(json.dumps(peer_worker(files, args.peer_budget)))
        return 0
    n_docs = 300 if args.quick and args.docs == 2000 else args.docs
    peer_n, peer_budget = (60, 10.0) if args.quick else (300, 40.0)
    cores = os.cpu_count() or 1

    with tempfile.TemporaryDirectory(prefix="pe-bench-") as tmp:
        base = Path(args.keep) if args.keep else Path(tmp)
        corpus = base / "corpus"
        n, nbytes = build_corpus(corpus, n_docs)
        print(f"corpus: {n} documents, {nbytes / MB:.1f} MB in {corpus} "
              f"(shuffled paragraphs, changed numbers, ~20% traditional, ~15% GBK); {cores} cores")
        a = ours(corpus, base / "a.jsonl", 1)
        b = ours(corpus, base / "b.jsonl", cores)
        c = peer(corpus, peer_n, peer_budget)

    def rate(r: dict[str, object]) -> float:
        return float(r["mb"]) / float(r["batch_seconds"])

    print()
    print(line("(a) policy-extract, 1 worker", a["docs"], a["mb"], a["batch_seconds"],
               a["rss_tree"], f"(wall incl. start-up {a['wall']:.1f} s; {a['errors']} error records)"))
    print(line(f"(b) policy-extract, {cores} workers", b["docs"], b["mb"], b["batch_seconds"],
               b["rss_tree"], f"(wall incl. start-up {b['wall']:.1f} s; largest process "
               f"{b['rss_single']:.0f} MB)"))
    a_rate, b_rate = rate(a), rate(b)
    c_rate = None
    if c:
        c_rate = c["bytes"] / MB / c["seconds"]
        note = (f"(sampled {c['docs']} of {c['sampled_of']} docs, rate extrapolated; "
                f"import {c['import_seconds']:.1f} s not counted)")
        print(line("(c) BeautifulSoup+OpenCC+JioNLP", c["docs"], c["bytes"] / MB, c["seconds"],
                   c["rss_tree"], note))
    else:
        print("(c) peer: not run (JioNLP unavailable); ratio a/c not computed")
    print()
    checks = [("(a) MB/s per core", a_rate, TARGETS["a_mb_s_per_core"])]
    if c_rate:
        checks.append(("(a)/(c) speed ratio", a_rate / c_rate, TARGETS["a_over_c"]))
    checks.append((f"(b)/(a) speed-up on {cores} cores", b_rate / a_rate,
                   TARGETS["b_over_a_2cores"] if cores >= 2 else 1.0))
    for name, value, target in checks:
        print(f"{name:<34} {value:8.2f}   target >= {target:<5} {'ok' if value >= target else 'BELOW'}")
    peak = max(float(a["rss_tree"]), float(b["rss_tree"]))
    print(f"{'peak RSS (process tree)':<34} {peak:8.0f}   target <  {TARGETS['rss_mb']:<5.0f} "
          f"{'ok' if peak < TARGETS['rss_mb'] else 'ABOVE'} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
