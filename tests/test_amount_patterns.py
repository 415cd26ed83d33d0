"""Every ``amounts`` pattern runs, whatever its name: a user pack adds a phrasing as a new
named pattern (``kind: bare`` selects the bare-万 rules instead of a name).

The pack is written to a temporary folder; no package file is touched. Expected values are
read off the example sentences by hand.
"""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from policy_extract import extract

PACK = """\
    field: amounts
    patterns:
      # 300块: a colloquial currency word after the number (no 元)
      - name: kuai
        regex: '(?<![\\d.])(?P<num>{ar_number})\\s?(?P<cur>块)(?!\\p{Han})'
        examples:
          - {text: "一次性补助300块。", expect: {text: "300块", value: 300, currency: CNY}}
      # 奖励5千: a bare 千 reward, read by the bare rules (only in a sentence about money)
      - name: bare_qian
        kind: bare
        regex: '(?<![\\d.])(?P<num>{num_arabic}\\s?千)(?=[，。；])'
        examples:
          - {text: "对新进规企业奖励5千。", expect: {text: "5千", value: 5000}}
    """


@pytest.fixture()
def pack_dir(tmp_path: Path) -> Path:
    (tmp_path / "amounts.yaml").write_text(textwrap.dedent(PACK), encoding="utf-8")
    return tmp_path


def _amounts(text: str, patterns: tuple[Path, ...] = ()) -> list[dict]:
    return extract(text, patterns=patterns)["amounts"]


def test_new_named_pattern_is_run(pack_dir: Path) -> None:
    text = "对困难家庭一次性补助300块。"
    assert _amounts(text) == []  # the built-in pack has no 块
    got = _amounts(text, (pack_dir,))
    assert [(a["text"], a["value"], a["currency"], a["qualifier"]) for a in got] == [
        ("300块", 300, "CNY", "exact")]


def test_new_pattern_gets_the_qualifier_words(pack_dir: Path) -> None:
    got = _amounts("每人最高补助500块。", (pack_dir,))
    assert [(a["text"], a["value"], a["qualifier"], a["per"]) for a in got] == [
        ("每人最高补助500块", 500, "max", "人")]


def test_new_bare_pattern_follows_the_bare_rules(pack_dir: Path) -> None:
    assert [a["value"] for a in _amounts("对新进规企业奖励5千。", (pack_dir,))] == [5000]
    # not a sentence about money: a bare number is not a sum
    assert _amounts("全市新增就业5千。", (pack_dir,)) == []


def test_built_in_phrasings_still_found_next_to_the_new_ones(pack_dir: Path) -> None:
    text = "给予奖励10万元，另补助300块。分三年按10万、20万兑现。"
    got = _amounts(text, (pack_dir,))
    assert [(a["text"], a["value"]) for a in got] == [
        ("10万元", 100000), ("300块", 300), ("10万", 100000), ("20万", 200000)]


def test_a_pattern_overlapping_a_found_sum_adds_nothing(tmp_path: Path) -> None:
    # a second pattern that also matches "100万元" must not give the sum twice
    (tmp_path / "amounts.yaml").write_text(textwrap.dedent("""\
        field: amounts
        patterns:
          - name: wan_yuan_again
            regex: '(?P<num>\\d+万)(?P<cur>元)'
        """), encoding="utf-8")
    got = _amounts("给予100万元奖励。", (tmp_path,))
    assert [(a["text"], a["value"]) for a in got] == [("100万元", 1000000)]
