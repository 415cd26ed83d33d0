"""Extending the extractor with a user pattern pack: a new phrasing, a new field, ``patterns test``.

The pack is written to a temporary folder; no package file is touched. Expected values are
read off the example sentences by hand.
"""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import policy_extract
from policy_extract import cli
from policy_extract.patterns.engine import PatternError, load_pack

ROOT = Path(__file__).resolve().parent.parent
SEED_001 = next((ROOT / "corpus").glob("001_sanmenxia_*.txt"))

NOTICE = textwrap.dedent("""\
    关于稳就业促消费的若干措施

    一、支持困难家庭
    对困难家庭一次性补助300块钱。全年新增城镇就业3.5万人以上。
    责任单位——市人社局、市财政局
    """)

PACK = {
    # a new amount phrasing: 300块钱 (vocab and table extend the built-in ones)
    "amounts.yaml": """\
        field: amounts
        vocab:
          currency: [块钱]
        tables:
          currency: {块钱: CNY}
        """,
    # a new unit-list header form: 责任单位——… (a pattern named header_* is a list header)
    "units.yaml": """\
        field: units
        patterns:
          - name: header_dash
            regex: |
              (?:(?P<lead>{lead_headers})|(?P<member>{member_headers}))
              \\s*(?:——|—|－－)\\s*
            examples:
              - text: "责任单位——市人社局、市财政局"
                expect: [{text: 市人社局, role: member}, {text: 市财政局, role: member}]
        """,
    # a new field: jobs, interpreted by the built-in quantity handler
    "jobs.yaml": """\
        field: jobs
        handler: quantity
        description: Jobs the notice sets out to create (新增城镇就业3.5万人).
        vocab:
          job_unit: [万人, 人]
        patterns:
          - name: new_jobs
            regex: |
              新增(?:城镇)?就业\\s?(?P<num>{num_arabic})\\s?(?P<unit>人|万人)
            examples:
              - {text: "全年新增城镇就业3.5万人以上", expect: {text: "3.5万人以上", value: 3.5, unit: 万人, qualifier: min}}
              - {text: "新增就业岗位", expect: []}
        """,
}


def write_pack(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, body in files.items():
        (folder / name).write_text(textwrap.dedent(body), encoding="utf-8")
    return folder


@pytest.fixture
def pack_dir(tmp_path: Path) -> Path:
    return write_pack(tmp_path / "mypack", PACK)


@pytest.fixture
def notice(tmp_path: Path) -> Path:
    p = tmp_path / "notice_01.txt"
    p.write_text(NOTICE, encoding="utf-8")
    return p


def _check_record(rec: dict) -> None:
    money = [(a["text"], a["value"], a["currency"], a["qualifier"]) for a in rec["amounts"]]
    assert money == [("300块钱", 300, "CNY", "exact")]
    assert [(u["text"], u["role"]) for u in rec["units"]] == [("市人社局", "member"),
                                                              ("市财政局", "member")]
    jobs = rec["jobs"]
    assert [(j["text"], j["value"], j["unit"], j["qualifier"]) for j in jobs] == [
        ("3.5万人以上", 3.5, "万人", "min")]
    job = jobs[0]
    assert rec["text"][job["start"]:job["end"]] == job["text"]
    assert job["measure"] == "一"
    assert NOTICE[job["src"][0]:job["src"][1]] == "3.5万人以上"


def test_builtin_pack_misses_the_new_phrasing(notice: Path):
    rec = policy_extract.extract(notice)
    assert not [a for a in rec["amounts"] if a["value"] == 300]
    assert rec["units"] == []
    assert "jobs" not in rec


def test_user_pack_through_the_python_api(notice: Path, pack_dir: Path):
    _check_record(policy_extract.extract(notice, patterns=[pack_dir]))
    _check_record(policy_extract.extract(str(notice), patterns=[str(pack_dir)]))


def test_user_pack_through_convert_cli(notice: Path, pack_dir: Path, tmp_path: Path):
    out = tmp_path / "out"
    rc = cli.main(["convert", str(notice), "--out", str(out), "--patterns", str(pack_dir),
                   "--workers", "1", "--quiet"])
    assert rc == 0
    rec = json.loads((out / "notice_01.json").read_text(encoding="utf-8"))
    _check_record(rec)


def test_patterns_list_shows_the_origin(pack_dir: Path, capsys):
    assert cli.main(["patterns", "list", str(pack_dir)]) == 0
    out = capsys.readouterr().out
    assert "handler quantity" in out
    assert str(pack_dir / "jobs.yaml") in out
    assert "builtin:targets.yaml" in out


def test_patterns_test_passes_on_the_user_pack(pack_dir: Path, capsys):
    assert cli.main(["patterns", "test", str(pack_dir), "--field", "jobs", "--field", "units"]) == 0
    assert " 0 failed" in capsys.readouterr().out


def test_patterns_test_reports_a_wrong_example(tmp_path: Path):
    bad = dict(PACK)
    bad["jobs.yaml"] = PACK["jobs.yaml"].replace("value: 3.5, unit: 万人", "value: 35, unit: 万人")
    folder = write_pack(tmp_path / "badpack", bad)
    proc = subprocess.run([sys.executable, "-m", "policy_extract.cli", "patterns", "test",
                           str(folder), "--field", "jobs"],
                          capture_output=True, text=True, encoding="utf-8", cwd=tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    out = proc.stdout
    assert "FAIL jobs/new_jobs" in out
    assert "text:     全年新增城镇就业3.5万人以上" in out
    assert '"value": 35' in out  # expected
    assert '"value": 3.5' in out  # actual
    assert "1 passed, 1 failed" in out


def test_builtin_examples_all_pass(capsys):
    rc = cli.main(["patterns", "test"])
    out = capsys.readouterr().out
    assert rc == 0, "\n".join(line for line in out.splitlines() if "FAIL" in line)


def test_unknown_handler_fails_loudly(tmp_path: Path, notice: Path):
    folder = write_pack(tmp_path / "typo", {"x.yaml": """\
        field: things
        handler: quantiti
        patterns:
          - {name: a, regex: '(?P<num>\\d+)个'}
        """})
    with pytest.raises(PatternError, match="unknown handler 'quantiti'.*quantity"):
        policy_extract.extract(notice, patterns=[folder])


def test_a_pack_field_cannot_shadow_a_record_key(tmp_path: Path, notice: Path):
    folder = write_pack(tmp_path / "shadow", {"x.yaml": """\
        field: meta
        handler: match
        patterns:
          - {name: a, regex: '措施'}
        """})
    with pytest.raises(PatternError, match="reserved"):
        policy_extract.extract(notice, patterns=[folder])


def test_match_handler_reports_groups(tmp_path: Path):
    folder = write_pack(tmp_path / "refs", {"refs.yaml": """\
        field: references
        handler: match
        patterns:
          - name: policy_title
            kind: policy
            regex: '《(?P<title>[^《》\\n]{2,60})》'
        """})
    rec = policy_extract.extract("认真落实《优化营商环境条例》有关规定。", patterns=[folder])
    assert [(r["text"], r["title"], r["kind"]) for r in rec["references"]] == [
        ("《优化营商环境条例》", "优化营商环境条例", "policy")]
    assert load_pack([folder]).field("references").handler == "match"


# -- the built-in targets pack on seed 001 (values read off the notice) ----------------
SEED_TARGETS = [
    # (text, value, low, high, unit, qualifier, subject)
    ("50家", 50, None, None, "家", "exact", "规模以上工业企业"),
    ("30家以上", 30, None, None, "家", "min", "高新技术企业"),
    ("700个以上", 700, None, None, "个", "min", "5G基站"),
    ("4个以上", 4, None, None, "个", "min", "智能车间和工厂"),
    ("5家以上", 5, None, None, "家", "min", "市级绿色工厂"),
    ("3-5家", None, 3, 5, "家", "range", "市级产业研究院"),
    ("1一2家", None, 1, 2, "家", "range", "省级产业研究院"),
    ("不少于200次", 200, None, None, "次", "min", "“四项对接”活动"),
    ("10场", 10, None, None, "场", "exact", "驻峡金融机构与项目融资需求对接活动"),
]


@pytest.fixture(scope="module")
def seed_001() -> dict:
    return policy_extract.extract(SEED_001)


@pytest.mark.parametrize("want", SEED_TARGETS, ids=lambda w: w[0])
def test_targets_in_seed_001(seed_001: dict, want: tuple):
    got = [(t["text"], t["value"], t["low"], t["high"], t["unit"], t["qualifier"], t["subject"])
           for t in seed_001["targets"]]
    assert want in got


def test_targets_in_seed_001_keep_money_and_percentages_out(seed_001: dict):
    texts = {t["text"] for t in seed_001["targets"]}
    for t in seed_001["targets"]:
        assert seed_001["text"][t["start"]:t["end"]] == t["text"]
        assert not any(c in t["text"] for c in "元%")
    assert "50家" in texts and "700个以上" in texts
    measures = {t["text"]: t["measure"] for t in seed_001["targets"]}
    assert measures["50家"] == "一/(二)"
    assert measures["700个以上"] == "二/(七)"
