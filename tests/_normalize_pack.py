"""A pattern pack with only the files the normalizer reads, so its tests do not depend on the
state of other fields' pattern files."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from policy_extract.patterns.engine import Pack, load_pack

DATA = Path(__file__).resolve().parents[1] / "src" / "policy_extract" / "data"
CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def normalize_pack() -> Pack:
    d = Path(tempfile.mkdtemp(prefix="npack-"))
    for name in ("common.yaml", "normalize.yaml"):
        shutil.copy(DATA / name, d / name)
    return load_pack([d], builtin=False)


PACK = normalize_pack()


def corpus_file(prefix: str) -> Path:
    return next(CORPUS.glob(prefix + "*"))
