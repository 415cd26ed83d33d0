"""The fourth round of normalizer/ingest speed-ups changes nothing.

Covered: the OpenCC facts (t2s skipped on texts it cannot change, s2t skipped when a bound
already proves a page traditional), the label-union prefilter, the joiner's last/first-char
set lookups, the rewritten ``re`` patterns (invisible chars, space runs, markdown bullets)
and ingest's markup sniffing prefilters. Each shortcut is checked against the plain way it
replaces, on texts built to sit right at its edge.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from array import array
from pathlib import Path

import opencc
import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from _normalize_pack import CORPUS, PACK
from policy_extract.ingest import html as ingest_html
from policy_extract.ingest import load, markdown
from policy_extract.normalize import chars, join, normalize, opencc_facts, steps
from policy_extract.normalize import rules as rules_mod
from policy_extract.normalize.offsets import Buf, StepLog
from policy_extract.normalize.script import count_diff, script_of, to_simplified

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
T2S = opencc.OpenCC("t2s")
S2T = opencc.OpenCC("s2t")
# a long simplified text: whatever the shortcuts look for must be found at its very end too
LONG = "为推动全市经济高质量发展，现就支持企业发展提出若干措施。" * 400
TOOL = Path(opencc.__file__).parent / "clib" / "bin" / "opencc_dict"


def _texts() -> list[str]:
    out = []
    for p in sorted(CORPUS.iterdir()):
        if p.is_file() and p.suffix in (".md", ".txt", ".html", ".htm"):
            out.append(load(p).body)
    return out


CORPUS_TEXTS = _texts()


def _simplified(text: str) -> tuple[str, int]:
    buf, n = to_simplified(Buf(text, array("l", range(len(text)))), StepLog("t2s"))
    return buf.text, n


# -- the recorded facts are OpenCC's -----------------------------------------------------------


def test_the_facts_hold_for_the_installed_opencc():
    # the recorded hashes are those of OpenCC 1.4.2's dictionaries: with them the shortcuts
    # are on. Another release turns them off (every text converted, as before: the tests
    # below still compare with the converter); re-record with ``opencc_facts.derive``.
    if opencc.__version__ != "1.4.2":
        pytest.skip(f"OpenCC {opencc.__version__}: facts recorded for 1.4.2, shortcuts off")
    assert opencc_facts._t2s() is not None
    assert opencc_facts._s2t() is not None


def _entries(config: str, tmp: Path) -> list[tuple[str, str]]:
    files = opencc_facts.config_files(opencc.OpenCC(config).config)
    out: list[tuple[str, str]] = []
    for f in files[1:]:
        txt = tmp / (f.name + ".txt")
        subprocess.run([str(TOOL), "-i", str(f), "-o", str(txt), "-f", "ocd2", "-t", "text"],
                       check=True, capture_output=True)
        for line in txt.read_text(encoding="utf-8").splitlines():
            k, v = line.split("\t")
            out.append((k, v))
    return out


@pytest.mark.skipif(not TOOL.exists() or shutil.which(str(TOOL)) is None,
                    reason="OpenCC's opencc_dict tool is not installed")
def test_the_recorded_phrases_and_extra_chars_are_derived_from_the_dictionaries(tmp_path):
    t2s_changed = opencc_facts.changed_chars(T2S.convert)
    entries = _entries("t2s", tmp_path)
    assert entries and not any("\n" in k for k, _ in entries)
    phrases, _, _ = opencc_facts.derive(entries, T2S.convert, t2s_changed)
    assert tuple(phrases) == opencc_facts.T2S_PHRASES
    assert "回覆" in phrases and "深沈" in phrases  # the phrase-only conversions
    s2t_changed = opencc_facts.changed_chars(S2T.convert)
    entries = _entries("s2t", tmp_path)
    _, extra, resized = opencc_facts.derive(entries, S2T.convert, s2t_changed)
    assert extra == opencc_facts.S2T_EXTRA
    assert resized == []  # the bound needs s2t to keep every text's length


def test_every_t2s_phrase_has_a_guard_char():
    assert all(set(opencc_facts.T2S_GUARD) & set(p) for p in opencc_facts.T2S_PHRASES)


# -- t2s skipped only when it changes nothing ----------------------------------------------------


def test_a_phrase_only_conversion_at_the_end_of_a_long_text_is_converted():
    for phrase in opencc_facts.T2S_PHRASES:
        text = LONG + phrase
        assert T2S.convert(phrase) != phrase
        assert not opencc_facts.unchanged_by_t2s(text), phrase
        out, n = _simplified(text)
        assert n >= 1 and out.endswith(T2S.convert(phrase)), phrase


def test_written_phrase_only_conversions():
    # 回覆/答覆 are t2s-changed although 回, 覆, 答 are not changed on their own
    for c in "回覆答":
        assert T2S.convert(c) == c
    assert _simplified(LONG + "请予回覆")[0].endswith("请予回复")
    assert _simplified("深沈" + LONG)[0].startswith("深沉")


def test_a_traditional_char_at_the_very_end_is_converted():
    for tail in ("國", "發", "經濟", "\uf900", "𠁞"):  # a compatibility ideograph, a non-BMP one
        text = LONG + tail
        if T2S.convert(text) == text:
            continue
        assert not opencc_facts.unchanged_by_t2s(text), tail
        assert _simplified(text)[0] == T2S.convert(text)


def test_simplified_text_with_guard_chars_but_no_phrase_is_skipped():
    text = LONG + "实现全覆盖，沈阳市"
    assert T2S.convert(text) == text
    assert opencc_facts.unchanged_by_t2s(text)


def test_skip_agrees_with_opencc_on_the_corpus_and_every_changed_char():
    for text in CORPUS_TEXTS:
        if opencc_facts.unchanged_by_t2s(text):
            assert T2S.convert(text) == text
    changed = opencc_facts.changed_chars(T2S.convert)
    for c in changed[::7]:
        assert not opencc_facts.unchanged_by_t2s(LONG[:50] + c)


@given(st.text(alphabet=st.sampled_from(list("为推动回覆深沈答国發经濟了解面系台干，。 \n")
                                        + ["𠁞", "\uf900", "a"]), max_size=40))
@SETTINGS
def test_skip_never_hides_a_change(text):
    if opencc_facts.unchanged_by_t2s(text):
        assert T2S.convert(text) == text


# -- s2t bound -----------------------------------------------------------------------------


def test_the_s2t_bound_is_never_below_the_changes():
    for text in CORPUS_TEXTS + [LONG, LONG + "了解", "了解情况，面对面", "干部系统"]:
        bound = opencc_facts.s2t_change_bound(text)
        out = S2T.convert(text)
        assert len(out) == len(text)
        assert bound is not None and bound >= count_diff(text, out)


@given(st.text(alphabet=st.sampled_from(list("了解面系台干发国為經濟出家同向，。 ") + ["a"]),
               max_size=40))
@SETTINGS
def test_the_s2t_bound_holds_on_any_mix(text):
    bound = opencc_facts.s2t_change_bound(text)
    out = S2T.convert(text)
    assert len(out) == len(text)
    assert bound is not None and bound >= count_diff(text, out)


def test_no_bound_with_a_non_bmp_char():
    assert opencc_facts.s2t_change_bound(LONG + "𠁞") is None


def test_script_is_the_same_with_and_without_the_shortcuts(monkeypatch):
    rules = rules_mod.rules_for(PACK)
    trad = "為推動全市經濟高質量發展，現就支持企業發展提出若干措施。"
    samples = [trad * 20, trad * 20 + "了解情况" * 30, LONG + trad,
               trad * 5 + "为推动全市经济高质量发展。" * 5, trad + "了出家同向面系" * 40]
    samples += CORPUS_TEXTS
    got = []
    for text in samples:
        got.append(script_of(text, _simplified(text)[1], rules))
    monkeypatch.setattr(opencc_facts, "_t2s", lambda: None)
    monkeypatch.setattr(opencc_facts, "_s2t", lambda: None)
    want = [script_of(text, _simplified(text)[1], rules) for text in samples]
    assert got == want
    assert got[0] == "traditional"  # written: a traditional page is measured as one


def test_normalize_is_the_same_with_and_without_the_shortcuts(monkeypatch):
    trad = "第一條 為推動全市經濟高質量發展，請予回覆。\n"
    samples = [trad * 30, LONG + "\n" + trad, "深沈的工作\n" + LONG, *CORPUS_TEXTS]
    got = [(n.text, list(n.offsets), n.script, n.steps)
           for n in (normalize(t, pack=PACK) for t in samples)]
    monkeypatch.setattr(opencc_facts, "_t2s", lambda: None)
    monkeypatch.setattr(opencc_facts, "_s2t", lambda: None)
    want = [(n.text, list(n.offsets), n.script, n.steps)
            for n in (normalize(t, pack=PACK) for t in samples)]
    assert got == want


# -- label union, joiner char sets -----------------------------------------------------------


LINES = ["一、培育壮大市场主体", "（一）加快发展", "1.加大力度", "1.5亿元用于补助", "第一条 为推动",
         "责任单位：市工信局", "【政策依据】文件", "▶ 单个企业", "* 一项", "- 链接", "2 对疫情防控",
         "支持企业发展", "", " ", "十二、", "①", "一是加强", "(十三)加快", "来源:荆门市"]


@given(st.lists(st.sampled_from(LINES), max_size=3).map("".join) | st.text(max_size=20))
@SETTINGS
def test_label_union_prefilter_changes_no_answer(line):
    rules = rules_mod.rules_for(PACK)
    assert rules.label_any is not None
    plain = rules_mod.Rules(**{**rules.__dict__, "label_any": None,
                               "_label_memo": rules_mod.LineMemo()})
    assert rules.find_label(line) == plain.find_label(line)


def test_union_refuses_patterns_with_an_inline_flag():
    assert rules_mod._union([regex.compile("(?i)abc"), regex.compile("x")]) is None
    assert rules_mod._union([regex.compile("(?i:abc)"), regex.compile("x")]) is not None


def test_joiner_char_sets_answer_like_their_regexes():
    for i in range(0x10000):
        if 0xD800 <= i < 0xE000:
            continue
        c = chr(i)
        assert (c in join.CLOSING_CHARS) == bool(join._STARTS_CLOSING.match(c)), hex(i)
        assert (c in join._COMMA_CHARS) == bool(join._COMMA_END.search("支持" + c)), hex(i)
        line = "详见附件" + c
        assert join._ends_terminal(line) == bool(join._TERMINAL_END.search(line)), hex(i)


def test_ends_terminal_on_file_names_and_edges():
    for line in ["附件.PDF", "见附件.shtml", "a.DocX", "下载.jpeg", "下载.JPG", "网址.htm", "xls",
                 "", "。", "文件.pdf\n", "文件\n", "报告.ſhtml"]:
        assert join._ends_terminal(line) == bool(join._TERMINAL_END.search(line)), line


# -- rewritten ``re`` patterns ---------------------------------------------------------------


_OLD_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]|\r(?=\n)")
_ODD = ["\r", "\n", "\r\n", "\r\r\n", "\u200b", "\ufeff", "\u00ad", "a", "国", " ", "  ", "   "]


@given(st.lists(st.sampled_from(_ODD), max_size=30).map("".join))
@SETTINGS
def test_invisible_and_space_runs_match_their_old_forms(text):
    assert [m.span() for m in chars._INVISIBLE.finditer(text)] == [
        m.span() for m in _OLD_INVISIBLE.finditer(text)]
    assert [m.span() for m in steps._SPACE_RUNS.finditer(text)] == [
        m.span() for m in re.finditer(" {2,}", text)]


_OLD_BULLET_LINE = regex.compile(r"(?<=\n)[ \t\u3000]{0,3}(?:[-*+][ \t]|[▶▷►●■◆◇▪•])")
_MD = ["\n", "- ", "* ", "+ ", "-", "  ", "\t", "\u3000", "▶", "•", "文字", "#", "**", "**粗**"]


@given(st.lists(st.sampled_from(_MD), max_size=30).map("".join))
@SETTINGS
def test_markdown_sniffing_and_bullets_match_their_old_forms(text):
    assert [m.start() for m in markdown._BULLET_LINE.finditer(text)] == [
        m.start() - 1 for m in _OLD_BULLET_LINE.finditer(text)]
    assert markdown.looks_like_markdown(text) == bool(markdown._SNIFF.search(text[:65536]))


def test_markdown_bullet_after_a_long_plain_text_is_a_hard_break():
    body = "正文" * 3000 + "\n- 第一项\n- 第二项"
    breaks = markdown.markdown_breaks(body, array("l", range(len(body))))
    assert breaks == [6000, 6006]


def test_html_sniffing_prefilter():
    for text in ["正文" * 100, "<p>正文</p><div>x</div>", "a < b", "正文" * 100 + "<html>"]:
        head = text[:65536]
        found = ingest_html._SNIFF.findall(head)
        want = len(found) >= 2 or any(f[:5].lower() in ("<!doc", "<html", "<body")
                                      for f in found)
        assert ingest_html.looks_like_html(text) == want
    assert ingest_html.looks_like_html("正文" * 100 + "<html>")
