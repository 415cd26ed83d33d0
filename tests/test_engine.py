"""The pattern engine: loading, validation of keys, {ref} expansion, user packs layered on top."""
from __future__ import annotations

import textwrap

import pytest

from policy_extract.patterns.engine import PatternError, load_pack


def write(tmp_path, name, body):
    p = tmp_path / name
    p.write_text(textwrap.dedent(body), encoding="utf-8")
    return p


def test_unknown_key_is_rejected(tmp_path):
    write(tmp_path, "x.yaml", """
        field: amounts
        patterns:
          - name: a
            regex: 'x'
            exampels: []
        """)
    with pytest.raises(PatternError, match="unknown key.*exampels"):
        load_pack([tmp_path])


def test_unknown_reference_is_rejected(tmp_path):
    write(tmp_path, "x.yaml", """
        field: things
        patterns:
          - name: a
            regex: '{nope}'
        """)
    with pytest.raises(PatternError, match="unknown reference"):
        load_pack([tmp_path])


def test_vocab_expands_longest_first_and_escaped(tmp_path):
    write(tmp_path, "x.yaml", """
        field: things
        vocab:
          words: ["最高", "最高不超过", "a.b"]
        patterns:
          - name: w
            regex: '{words}'
        """)
    pack = load_pack([tmp_path], builtin=False)
    rx = pack.pattern("things", "w")
    assert rx.match("最高不超过40万元").group(0) == "最高不超过"
    assert rx.match("axb") is None  # the dot is escaped


def test_user_pack_extends_vocab_and_replaces_pattern(tmp_path):
    base = tmp_path / "a"
    user = tmp_path / "b"
    base.mkdir()
    user.mkdir()
    write(base, "t.yaml", """
        field: things
        vocab: {w: ["甲"]}
        patterns:
          - {name: p, regex: '{w}'}
          - {name: q, regex: 'q'}
        """)
    write(user, "t.yaml", """
        field: things
        vocab: {w: ["乙"]}
        disable: [q]
        patterns:
          - {name: p, regex: '{w}+'}
        """)
    pack = load_pack([base, user], builtin=False)
    assert pack.vocab("things", "w") == ["甲", "乙"]
    assert pack.pattern("things", "p").fullmatch("甲乙甲")
    assert "q" not in pack.field("things").patterns


def test_unicode_property_is_not_a_reference(tmp_path):
    write(tmp_path, "x.yaml", """
        field: things
        patterns:
          - {name: han, regex: '\\p{Han}+'}
        """)
    pack = load_pack([tmp_path], builtin=False)
    assert pack.pattern("things", "han").fullmatch("汉字")


def test_missing_pack_folder(tmp_path):
    with pytest.raises(PatternError, match="not a folder"):
        load_pack([tmp_path / "missing"])
