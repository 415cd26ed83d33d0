"""Convert the bundled corpus with the pipeline and grade it: what the gate and scripts run."""
from __future__ import annotations

import json
from pathlib import Path

from ..batch.inputs import DATA_SUFFIXES
from ..errors import PolicyExtractError
from ..ingest import doc_id_for
from .report import Report, grade_dirs


def corpus_files(corpus_dir: str | Path) -> list[Path]:
    return sorted(f for f in Path(corpus_dir).iterdir()
                  if f.is_file() and not f.name.startswith(".")
                  and f.suffix.lower() not in DATA_SUFFIXES)  # floors.json beside the notices


def convert_corpus(corpus_dir: str | Path, out_dir: str | Path) -> list[Path]:
    """Write `<doc_id>.json` for every corpus file; a failure becomes an error record."""
    from ..pipeline import extract  # late: keeps `grade` importable without the pipeline

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in corpus_files(corpus_dir):
        doc_id = doc_id_for(path)
        try:
            rec = extract(path)
        except PolicyExtractError as e:
            rec = e.record(doc_id, str(path))
        except Exception as e:  # a crash must lower scores, not hide the table
            rec = PolicyExtractError("E201", path=path, reason=repr(e)).record(doc_id, str(path))
        target = out / f"{rec.get('doc_id') or doc_id}.json"
        target.write_text(json.dumps(rec, ensure_ascii=False), encoding="utf-8")
        written.append(target)
    return written


def grade_corpus(root: str | Path, out_dir: str | Path) -> Report:
    """Convert `root/corpus` into `out_dir` and grade it against `root/gold`."""
    root = Path(root)
    convert_corpus(root / "corpus", out_dir)
    return grade_dirs(root / "gold", out_dir)
