"""The spaCy component: registered by entry point, same fields as ``extract``, rendered by displaCy."""
from __future__ import annotations

import importlib.metadata
import textwrap
from pathlib import Path

import pytest

spacy = pytest.importorskip("spacy")
pytest.importorskip("jieba")
from spacy import displacy  # noqa: E402

import policy_extract  # noqa: E402
from policy_extract.record import FIELDS  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TEXT = next((ROOT / "corpus").glob("004_fuzhou_*.md")).read_text(encoding="utf-8")
TYPES = (*FIELDS, "targets")


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.add_pipe("policy_extract")
    return nlp


@pytest.fixture(scope="module")
def doc(nlp):
    return nlp(TEXT)


@pytest.fixture(scope="module")
def record():
    return policy_extract.extract(TEXT)


def test_factory_is_registered_by_entry_point():
    names = {ep.name: ep.value for ep in importlib.metadata.entry_points(group="spacy_factories")}
    assert names.get("policy_extract") == "policy_extract.spacy_component:make_policy_extract"


@pytest.mark.parametrize("key", TYPES)
def test_same_fields_as_extract(doc, record, key):
    want = [(f["text"], f.get("value")) for f in record[key]]
    got = [(s._.pe["text"], s._.value) for s in doc.spans[key]]
    assert got == want
    for span, field in zip(doc.spans[key], record[key], strict=True):
        s, e = field["src"]
        assert span.start_char <= s and e <= span.end_char  # the span covers the source text
        assert span.label_ == key.rstrip("s").upper()


def test_values_read_by_hand(doc):
    amounts = [(s._.value, s._.qualifier) for s in doc.spans["amounts"]]
    assert (400000, "max") in amounts  # 单家企业配套奖励最高不超过40万元
    assert (0.02, "exact") in amounts  # 0.02元/千瓦时
    per = {s._.value: s._.per for s in doc.spans["amounts"]}
    assert per[0.02] == "千瓦时"
    assert [s._.value for s in doc.spans["percentages"]] == [50]
    targets = {s._.pe["text"]: (s._.value, s._.unit, s._.qualifier) for s in doc.spans["targets"]}
    assert targets["100项以上"] == (100, "项", "min")  # 全年组织实施市级重点工业项目100项以上
    assert targets["20场以上"] == (20, "场", "min")


def test_measures_are_spans(doc, record):
    numbered = [m for m in record["measures"] if m["label"] is not None]
    assert [s._.pe["id"] for s in doc.spans["measures"]] == [m["id"] for m in numbered]
    first = doc.spans["measures"][0]
    assert first.text.startswith("一、鼓励工业企业增产增效")
    # an amount inside the first measure is attached to it
    assert doc.spans["amounts"][1]._.measure == "一"


def test_displacy_renders_span_labels(doc):
    html = displacy.render(doc, style="span", options={"spans_key": "amounts"})
    assert "AMOUNT" in html and "40" in html
    html = displacy.render(doc, style="span", options={"spans_key": "targets"})
    assert "TARGET" in html


def test_jieba_keeps_units_and_qualifiers_whole(nlp):
    words = [t.text for t in nlp.make_doc("单家企业配套奖励最高不超过40万元")]
    assert "万元" in words
    assert "最高不超过" in words


def test_component_takes_a_user_pack(tmp_path):
    (tmp_path / "jobs.yaml").write_text(textwrap.dedent("""\
        field: jobs
        handler: quantity
        patterns:
          - name: new_jobs
            regex: '新增(?:城镇)?就业\\s?(?P<num>{num_arabic})\\s?(?P<unit>万人|人)'
        """), encoding="utf-8")
    nlp = spacy.blank("zh")
    nlp.add_pipe("policy_extract", config={"patterns": [str(tmp_path)]})
    doc = nlp("全年新增城镇就业1200人以上，新增规模以上工业企业50家。")
    assert [(s.text, s._.value, s._.qualifier) for s in doc.spans["jobs"]] == [("1200人以上", 1200, "min")]
    assert [s._.value for s in doc.spans["targets"]] == [1200, 50]  # both are goals (新增)
    assert doc._.policy_extract["schema"] == "policy-extract/1"
