"""The grader on small hand-made records; every expected figure is worked out by hand."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from policy_extract.cli import main as cli_main
from policy_extract.grade import GradeInputError, date_key, grade_dirs, grade_records
from policy_extract.grade.floors import check_floors, raise_floors, round_down
from policy_extract.grade.score import prf

ROOT = Path(__file__).resolve().parents[1]


def rec(doc_id: str = "d", **fields) -> dict:
    """A policy-extract/1 record with empty fields unless given."""
    out = {"schema": "policy-extract/1", "doc_id": doc_id,
           "meta": {"title": None, "doc_number": None, "issuer": None, "published": None,
                    "valid_until": None, "source_name": None, "script": "simplified"},
           "measures": [], "amounts": [], "caps": [], "percentages": [], "dates": [],
           "units": []}
    out.update(fields)
    return out


def amount(value=None, *, low=None, high=None, qualifier="exact", measure=None, per=None,
           text="x") -> dict:
    return {"text": text, "measure": measure, "value": value, "low": low, "high": high,
            "currency": "CNY", "per": per, "qualifier": qualifier}


def date(value, *, qualifier="on", measure=None, text="x") -> dict:
    return {"text": text, "measure": measure, "value": value, "qualifier": qualifier}


def unit(name, *, role="member", measure=None) -> dict:
    return {"text": name, "measure": measure, "role": role}


def scores(gold: dict, pred: dict | None) -> dict:
    return grade_records(gold, pred).scores


# ---------------------------------------------------------------------------------- P/R/F

def test_miss_two_of_three_found():
    gold = rec(amounts=[amount(400000, qualifier="max", measure="一"),
                        amount(300000, qualifier="max", measure="二"),
                        amount(1000, per="人", measure="三")])
    pred = rec(amounts=[amount(400000, qualifier="max", measure="一"),
                        amount(1000, per="人", measure="三")])
    s = scores(gold, pred)
    assert (s["amounts_tp"], s["amounts_gold"], s["amounts_pred"]) == (2, 3, 2)
    assert s["amounts_p"] == 1.0
    assert s["amounts_r"] == pytest.approx(0.667, abs=1e-3)
    assert s["amounts_f"] == pytest.approx(0.8)          # 2·1·(2/3) / (1 + 2/3)
    [miss] = [f for f in grade_records(gold, pred).findings if f.kind == "miss"]
    assert (miss.field, miss.value, miss.measure) == ("amounts", "300000", "二")


def test_spurious_field():
    gold = rec(percentages=[{"text": "50%", "measure": None, "value": 50, "low": None,
                             "high": None, "qualifier": "exact"}])
    pred = rec(percentages=[*gold["percentages"],
                            {"text": "1%", "measure": None, "value": 1, "low": None,
                             "high": None, "qualifier": "max"}])
    s = scores(gold, pred)
    assert (s["percentages_p"], s["percentages_r"]) == (0.5, 1.0)
    assert s["percentages_f"] == pytest.approx(0.667, abs=1e-3)
    kinds = [(f.kind, f.value) for f in grade_records(gold, pred).findings]
    assert kinds == [("spurious", "1")]


def test_wrong_qualifier_is_matched_but_attribute_wrong():
    gold = rec(amounts=[amount(400000, qualifier="max", measure="一")])
    pred = rec(amounts=[amount(400000, qualifier="exact", measure="一")])
    doc = grade_records(gold, pred)
    s = doc.scores
    assert s["amounts_f"] == 1.0
    assert s["amounts_qualifier_acc"] == 0.0
    assert s["amounts_measure_acc"] == 1.0
    [f] = doc.findings
    assert (f.kind, f.attr, f.gold, f.pred) == ("attr", "qualifier", "max", "exact")


def test_range_never_equals_a_single_value():
    gold = rec(amounts=[amount(low=30000, high=50000, qualifier="range")])
    single = rec(amounts=[amount(30000)])
    s = scores(gold, single)
    assert (s["amounts_tp"], s["amounts_pred"], s["amounts_gold"]) == (0, 1, 1)
    assert s["amounts_f"] == 0.0
    same_range = rec(amounts=[amount(low=30000.0, high=50000.0, qualifier="range")])
    assert scores(gold, same_range)["amounts_f"] == 1.0
    other_range = rec(amounts=[amount(low=30000, high=60000, qualifier="range")])
    assert scores(gold, other_range)["amounts_f"] == 0.0


def test_numbers_compared_with_tolerance_not_type():
    gold = rec(amounts=[amount(400000.0), amount(0.02, per="千瓦时")])
    pred = rec(amounts=[amount(400000), amount(0.1 + 0.2 - 0.28, per="千瓦时")])  # 0.02000…0002
    assert scores(gold, pred)["amounts_f"] == 1.0
    assert scores(rec(amounts=[amount(0.02)]), rec(amounts=[amount(0.03)]))["amounts_f"] == 0.0


def test_micro_average_over_documents(tmp_path):
    """Doc a: 1 of 1 found; doc b: 0 of 3 → recall 1/4 (a macro average would say 0.5)."""
    gold_dir, pred_dir = tmp_path / "gold", tmp_path / "pred"
    gold_dir.mkdir()
    pred_dir.mkdir()
    write(gold_dir / "a.json", rec("a", amounts=[amount(1)]))
    write(gold_dir / "b.json", rec("b", amounts=[amount(2), amount(3), amount(4)]))
    write(pred_dir / "a.json", rec("a", amounts=[amount(1)]))
    write(pred_dir / "b.json", rec("b"))
    s = grade_dirs(gold_dir, pred_dir, fields=["amounts"]).scores
    assert s["amounts_r"] == 0.25
    assert s["amounts_p"] == 1.0


def test_nothing_to_find_and_nothing_found_is_perfect_but_empty_guess_is_not():
    assert prf(0, 0, 0) == (1.0, 1.0, 1.0)
    assert prf(0, 0, 2) == (0.0, 0.0, 0.0)
    assert prf(0, 3, 0) == (0.0, 0.0, 0.0)


# ---------------------------------------------------------------------------------- dates

@pytest.mark.parametrize(("a", "b"), [
    ("2024-02", "2024-02-01/2024-02-29"),           # leap year February
    ("2023-02", "2023-02-01/2023-02-28"),
    ("2024-Q1", "2024-01-01/2024-03-31"),
    ("2024-Q1", "2024-01/2024-03"),
    ("2024-H2", "2024-07-01/2024-12-31"),
    ("2024", "2024-01-01/2024-12-31"),
    ("2024-01-22T09:13", "2024-01-22"),              # the time is not part of the key
    ("2023-09-01/2024-03-31", "2023-09/2024-03"),
    ("XXXX-06-30", "XXXX-06-30"),
])
def test_equivalent_date_values_match(a, b):
    assert date_key(a) == date_key(b)
    gold = rec(dates=[date(a)])
    pred = rec(dates=[date(b)])
    assert scores(gold, pred)["dates_f"] == 1.0


@pytest.mark.parametrize(("a", "b"), [
    ("2024-02", "2024-02-01"),                       # a month is not its first day
    ("2024-Q1", "2024-Q2"),
    ("2024-H1", "2024"),
    ("XXXX-06-30", "2024-06-30"),                    # an unknown year only equals itself
    ("XXXX-06-30", "XXXX-06"),
    ("2024-02-30", "2024-03-01"),                    # impossible date stays as written
])
def test_different_date_values_do_not_match(a, b):
    assert date_key(a) != date_key(b)


def test_same_day_values_with_and_without_time_pair_by_measure():
    gold = rec(dates=[date("2024-01-22", measure="一"), date("2024-01-22T09:13", measure=None)])
    pred = rec(dates=[date("2024-01-22T09:13", measure=None), date("2024-01-22", measure="一")])
    s = scores(gold, pred)
    assert s["dates_f"] == 1.0 and s["dates_measure_acc"] == 1.0


# ---------------------------------------------------------------------------------- pairing

def test_duplicate_keys_are_paired_by_measure():
    gold = rec(units=[unit("市工信局", role="lead", measure="一"),
                      unit("市工信局", measure="二"),
                      unit("市工信局", measure="三")])
    pred = rec(units=[unit("市工信局", measure="三"),
                      unit("市工信局", role="lead", measure="一")])
    doc = grade_records(gold, pred)
    s = doc.scores
    assert (s["units_tp"], s["units_gold"], s["units_pred"]) == (2, 3, 2)
    assert s["units_measure_acc"] == 1.0       # in-order pairing would give 0.0
    assert s["units_role_acc"] == 1.0
    [miss] = [f for f in doc.findings if f.kind == "miss"]
    assert miss.measure == "二"


def test_measure_attachment_counts_all_field_types():
    gold = rec(amounts=[amount(1, measure="一")], dates=[date("2024", measure="一")],
               units=[unit("市商务局", measure="二"), unit("市财政局", measure="二")])
    pred = rec(amounts=[amount(1, measure="一")], dates=[date("2024", measure="二")],
               units=[unit("市商务局", measure="二"), unit("市财政局", measure=None)])
    s = scores(gold, pred)
    assert s["measure_attachment_acc"] == 0.5      # 2 of 4 matched pairs
    assert s["measure_attachment_n"] == 4


# ---------------------------------------------------------------------------------- units, caps, measures

def test_units_with_full_width_and_half_width_brackets_and_spaces_match():
    gold = rec(units=[unit("各县（市、区）人民政府"), unit("市工信局")])
    pred = rec(units=[unit("各县(市、区)人民政府"), unit("市 工信局")])
    assert scores(gold, pred)["units_f"] == 1.0
    assert scores(gold, rec(units=[unit("各县人民政府")]))["units_tp"] == 0


def test_caps_key_is_value_and_unit():
    cap = {"text": "x", "measure": None, "value": 10, "unit": "%", "scope": None}
    gold = rec(caps=[cap, {**cap, "value": 1000000, "unit": "元", "scope": "单家企业"}])
    pred = rec(caps=[{**cap, "unit": "元"}, {**cap, "value": 1000000.0, "unit": "元",
                                            "scope": "单家企业"}])
    s = scores(gold, pred)
    assert (s["caps_tp"], s["caps_p"], s["caps_r"]) == (1, 0.5, 0.5)
    assert s["caps_scope_acc"] == 1.0


def test_measures_by_id_with_title_attribute_and_unnumbered_paragraphs_ignored():
    def m(mid, title, label="x"):
        return {"id": mid, "label": label, "path": mid.split("/"), "level": 1, "title": title}
    gold = rec(measures=[m("一", "鼓励工业企业增产增效"), m("一/(一)", None), m("1~2", "甲")])
    pred = rec(measures=[m("一", "鼓励工业企业增产增效。"), m("一/（一）", None),
                         m("1", "甲"), m("p1", "段落", label=None)])
    s = scores(gold, pred)
    assert (s["measures_tp"], s["measures_gold"], s["measures_pred"]) == (2, 3, 3)
    assert s["measures_title_acc"] == 0.5


# ---------------------------------------------------------------------------------- meta

def test_meta_light_normalisation_and_none_vs_none():
    gold = rec()
    gold["meta"].update(title="关于印发（试行）的通知", doc_number="榕政办规〔2024〕5号",
                        published="2024-01-22", issuer="福州市人民政府办公厅")
    pred = rec()
    pred["meta"].update(title="关于印发(试行)的 通知", doc_number="榕政办规〔2024〕5号",
                        published="2024-01-22T09:13", issuer="福州市人民政府",
                        script="traditional")
    doc = grade_records(gold, pred)
    assert doc.meta == {"title": True, "doc_number": True, "issuer": False, "published": True,
                        "valid_until": True, "source_name": True, "script": False}
    assert doc.scores["meta_acc"] == pytest.approx(5 / 7)


# ---------------------------------------------------------------------------------- folders

def write(path: Path, record: dict) -> None:
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")


@pytest.fixture
def folders(tmp_path):
    """Gold a (2 amounts), b (1 amount), c (1 date); predictions: a right, b error, c absent."""
    gold_dir, pred_dir = tmp_path / "gold", tmp_path / "pred"
    gold_dir.mkdir()
    pred_dir.mkdir()
    write(gold_dir / "a.json", rec("a", amounts=[amount(1, measure="一"), amount(2)]))
    write(gold_dir / "b.json", rec("b", amounts=[amount(3)]))
    write(gold_dir / "c.json", rec("c", dates=[date("2024")]))
    write(pred_dir / "a.json", rec("a", amounts=[amount(1, measure="一"), amount(2)]))
    write(pred_dir / "b.json", {"schema": "policy-extract/1", "doc_id": "b",
                                "error": {"code": "E104", "message": "could not decode"}})
    write(pred_dir / "z.json", rec("z", amounts=[amount(9)]))   # no gold: not graded
    return gold_dir, pred_dir


def test_error_record_and_missing_prediction_count_as_empty(folders):
    report = grade_dirs(*folders)
    s = report.scores
    assert report.missing == ["c"]
    assert report.errors == ["b"]
    assert report.ignored == ["z"]
    assert (s["amounts_tp"], s["amounts_gold"], s["amounts_pred"]) == (2, 3, 2)
    assert s["amounts_r"] == pytest.approx(0.667, abs=1e-3)
    assert (s["dates_gold"], s["dates_tp"], s["dates_r"]) == (1, 0, 0.0)
    kinds = {(f.doc_id, f.kind) for f in report.findings}
    assert {("b", "pred-error"), ("c", "no-prediction"), ("b", "miss"), ("c", "miss")} <= kinds


def test_error_record_alone():
    doc = grade_records(rec(amounts=[amount(5)]), {"doc_id": "d", "error": {"code": "E101",
                                                                           "message": "gone"}})
    assert doc.status == "error" and doc.pred_error == "E101: gone"
    assert doc.scores["amounts_r"] == 0.0


def test_jsonl_predictions_same_as_folder(folders, tmp_path):
    gold_dir, pred_dir = folders
    lines = [(pred_dir / n).read_text(encoding="utf-8") for n in ("a.json", "b.json")]
    jsonl = tmp_path / "out.jsonl"
    jsonl.write_text("\n".join([*lines, "{broken", ""]), encoding="utf-8")
    report = grade_dirs(gold_dir, jsonl)
    assert report.scores["amounts_r"] == grade_dirs(gold_dir, pred_dir).scores["amounts_r"]
    assert report.missing == ["c"] and report.errors == ["b"]
    assert any("out.jsonl:3" in n for n in report.notes)


def test_fields_option_restricts_and_rejects_unknown(folders):
    s = grade_dirs(*folders, fields=["dates"]).scores
    assert "dates_f" in s and "amounts_f" not in s and "meta_acc" not in s
    with pytest.raises(ValueError, match="choose from"):
        grade_dirs(*folders, fields=["amount"])


def test_missing_gold_folder_is_a_clear_error(tmp_path):
    with pytest.raises(GradeInputError, match="gold folder not found"):
        grade_dirs(tmp_path / "nope", tmp_path)


def test_bundled_gold_graded_against_itself_is_perfect():
    s = grade_dirs(ROOT / "gold", ROOT / "gold").scores
    for key, value in s.items():
        if key.endswith(("_f", "_acc")):
            assert value == 1.0, key


# ---------------------------------------------------------------------------------- CLI

def test_cli_table_json_and_exit_codes(folders, capsys):
    gold_dir, pred_dir = folders
    assert cli_main(["grade", str(gold_dir), str(pred_dir), "--errors"]) == 0
    out = capsys.readouterr().out
    assert "amounts" in out and "no prediction for 1: c" in out and "miss" in out
    assert cli_main(["grade", str(gold_dir), str(pred_dir), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["scores"]["amounts_tp"] == 2 and data["missing"] == ["c"]
    assert cli_main(["grade", str(gold_dir / "nope"), str(pred_dir)]) == 2
    assert "gold folder not found" in capsys.readouterr().err
    assert cli_main(["grade", str(gold_dir), str(pred_dir / "nope")]) == 2
    assert "predictions not found" in capsys.readouterr().err
    assert cli_main(["grade", str(gold_dir), str(pred_dir), "--fields", "amounts,bogus"]) == 2


# ---------------------------------------------------------------------------------- floors

def test_floors_round_down_raise_only_and_name_the_field():
    assert round_down(0.29) == 0.29
    assert round_down(0.8999) == 0.89
    scores_now = {"amounts_f": 0.456, "dates_f": 0.10, "dates_qualifier_acc": None}
    floors = {"amounts_f": 0.40, "dates_f": 0.20, "dates_qualifier_acc": 0.0}
    new, changes = raise_floors(scores_now, floors)
    assert new == {"amounts_f": 0.45, "dates_f": 0.20, "dates_qualifier_acc": 0.0}
    assert changes == ["amounts_f: 0.40 -> 0.45"]
    assert check_floors(scores_now, floors) == ["dates_f: 0.1000 < floor 0.20"]
    assert check_floors({}, {"units_f": 0.1}) == ["units_f: no longer reported (floor 0.10)"]
