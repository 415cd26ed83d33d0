"""The JSONL line format: compact, UTF-8 text, and nothing orjson refuses is lost."""
from __future__ import annotations

import json

from policy_extract.batch.jsonline import dumps_line


def test_a_record_is_one_compact_line_of_readable_text():
    rec = {"doc_id": "a", "title": "关于支持企业发展的通知\n（试行）", "value": 400000.5,
           "low": None, "tags": ["元", 1]}
    line = dumps_line(rec)
    assert "\n" not in line
    assert "关于支持企业发展的通知" in line  # not \\u escapes
    assert ", " not in line and ": " not in line
    assert json.loads(line) == rec


def test_what_orjson_refuses_is_still_written():
    big = {"n": 2 ** 70}  # wider than 64 bits
    assert json.loads(dumps_line(big)) == big
    lone = {"text": "a\ud800b"}  # a lone surrogate (from a bad decoder upstream)
    line = dumps_line(lone)
    line.encode("utf-8")  # the writer can encode it
    assert json.loads(line) == lone
