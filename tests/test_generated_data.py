"""Generated data is regenerated from its source data and compared (dateparser-style integrity)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

from policy_extract.spacy_component import userdict_path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "build_jieba_dict.py"


def _script():
    spec = importlib.util.spec_from_file_location("build_jieba_dict", SCRIPT)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_jieba_userdict_is_up_to_date():
    committed = userdict_path().read_text(encoding="utf-8")
    assert _script().render() == committed, (
        "data/generated/jieba_userdict.txt is stale: run python scripts/build_jieba_dict.py")


def test_jieba_userdict_holds_pattern_vocabulary():
    words = set(userdict_path().read_text(encoding="utf-8").split("\n"))
    # scale + currency, qualifier words, unit-list headers, org suffixes, target goal words
    assert {"万元", "亿元", "最高不超过", "以上", "责任单位", "委员会", "力争", "千瓦时"} <= words
    # jieba cannot match words with brackets or spaces; single characters are useless
    assert not [w for w in words if w and (len(w) < 2 or "(" in w or "（" in w or " " in w)]


def test_check_mode_flags_a_stale_file(tmp_path):
    mod = _script()
    out = tmp_path / "dict.txt"
    out.write_text("万元\n", encoding="utf-8")
    assert mod.main(["--out", str(out), "--check"]) == 1
    assert mod.main(["--out", str(out)]) == 0
    assert mod.main(["--out", str(out), "--check"]) == 0
