"""Segmentation rules (GUIDELINES "measures"): label styles, nesting, false labels, gaps,
run-in items, restarts, body ends and titles. Expected values are written from the texts."""
from __future__ import annotations

import textwrap

import pytest

from policy_extract.patterns.engine import default_pack, load_pack
from policy_extract.segment import segment, segment_with_warnings


def numbered(text: str, pack=None) -> list:
    return [m for m in segment(text, pack) if m.label is not None]


def ids(text: str) -> list[str]:
    return [m.id for m in numbered(text)]


def span(text: str, mid: str) -> str:
    m = next(m for m in numbered(text) if m.id == mid)
    return text[m.start:m.end]


# -- label styles and canonical labels ------------------------------------------------------
@pytest.mark.parametrize("written, label, style", [
    ("一、", "一", "cn_dun"),
    ("十二、", "十二", "cn_dun"),
    ("（一）", "(一)", "cn_paren"),
    ("(一)", "(一)", "cn_paren"),
    ("1.", "1", "ar_dot"),
    ("1、", "1", "ar_dot"),
    ("1．", "1", "ar_dot"),
    ("（1）", "(1)", "ar_paren"),
    ("(1)", "(1)", "ar_paren"),
    ("第一条 ", "第一条", "article"),
    ("①", "①", "circled"),
])
def test_label_styles_and_canonical_forms(written: str, label: str, style: str) -> None:
    ms = numbered(f"{written}支持企业发展。给予奖励。")
    assert [(m.label, m.id, m.path, m.level, m.style) for m in ms] == \
        [(label, label, [label], 1, style)]
    assert ms[0].start == 0  # the label is inside the span


def test_table_rows_form_a_sequence() -> None:
    text = ("政策类别 序号 扶持政策事项 政策内容\n"
            "财政资金支持(共48项) 1 建立复工复产帮扶机制 畅通24小时热线电话(8890000或12345)。\n"
            "2 给予财政贴息支持 对企业贷款给予贴息。\n"
            "3 加大支持力度 给予20%补贴。")
    ms = numbered(text)
    assert [(m.id, m.title) for m in ms] == [
        ("1", "建立复工复产帮扶机制"), ("2", "给予财政贴息支持"), ("3", "加大支持力度")]
    assert text[ms[0].start:ms[0].end].startswith("1 建立")
    assert text[ms[0].start:ms[0].end].endswith("(8890000或12345)。")


def test_a_lone_number_before_a_word_is_not_a_table_row() -> None:
    assert ids("给予最长 3 个月的运营补贴,最高 30 万元。") == []


# -- nesting --------------------------------------------------------------------------------
def test_four_levels_nest_in_order_of_appearance() -> None:
    text = "一、总体要求\n（一）支持创新。\n1.研发补助。\n（1）按比例补助。\n（2）设上限。\n2.平台补助。\n（二）支持人才。\n二、保障措施"
    assert ids(text) == ["一", "一/(一)", "一/(一)/1", "一/(一)/1/(1)", "一/(一)/1/(2)",
                         "一/(一)/2", "一/(二)", "二"]
    assert [m.level for m in numbered(text)] == [1, 2, 3, 4, 4, 3, 2, 1]


def test_articles_then_parens_then_arabic() -> None:
    text = "第六条 表彰奖励范围和要求\n(一)县域工业经济发展奖\n考评。\n(二)生产经营上台阶奖\n1. 对工业增加值连续两年保持增长的企业给予奖励。"
    assert ids(text) == ["第六条", "第六条/(一)", "第六条/(二)", "第六条/(二)/1"]


def test_document_may_start_mid_list() -> None:
    text = "三、降低运营成本\n10.减免中小企业房租。对承租企业免收房租。\n11.延长合同履行期限。适当延长。\n12.增设运营补贴。给予补贴。"
    assert ids(text) == ["三", "三/10", "三/11", "三/12"]


def test_arabic_numbering_running_on_across_sections() -> None:
    text = "一、稳定生产\n1.鼓励增产。\n2.鼓励连续生产。\n二、扩大投资\n3.支持技改。\n4.支持项目。"
    assert ids(text) == ["一", "一/1", "一/2", "二", "二/3", "二/4"]


def test_chapters_are_containers_not_measures() -> None:
    text = "第一章 总则\n第一条 为规范管理，制定本办法。\n第二条 本办法适用于本市企业。\n第二章 奖励\n第三条 给予奖励。"
    ms = numbered(text)
    assert [m.id for m in ms] == ["第一条", "第二条", "第三条"]
    assert text[ms[1].start:ms[1].end] == "第二条 本办法适用于本市企业。"


# -- numbers that are not labels ------------------------------------------------------------
@pytest.mark.parametrize("sentence", [
    "按季度开展全市“三个一批”活动。",
    "新培育1-2个行业性工业互联网平台。",
    "2022年新建5G基站700个以上。",
    "融资1.5亿元。",
    "补助资金由市县按5:5比例承担。",
    "畅通24小时热线电话(8890000或12345)。",
    "发布日期 2024.1.22。",
    "参加第十四届中国河南国际投资贸易洽谈会。",
    "一、二、三产业融合发展。",
    "根据本办法第三条规定给予奖励。",
])
def test_numbers_inside_sentences_are_not_labels(sentence: str) -> None:
    assert ids(sentence) == []


def test_cross_reference_is_not_a_label() -> None:
    text = "（一）支持企业。符合本条（二）所列条件的，给予奖励。\n（二）鼓励创新。给予补贴。"
    assert ids(text) == ["(一)", "(二)"]
    assert span(text, "(一)") == "（一）支持企业。符合本条（二）所列条件的，给予奖励。"


def test_numbering_discontinuity_rejects_a_false_label() -> None:
    # after (一) a run-in "(五)" is not the next item
    text = "（一）支持企业。详见附表。(五)类企业除外。\n（二）鼓励创新。"
    assert ids(text) == ["(一)", "(二)"]


def test_gap_is_allowed_and_warned() -> None:
    ms, warnings = segment_with_warnings("1.支持上规。\n2.支持创新。\n4.支持上市。")
    assert [m.id for m in ms] == ["1", "2", "4"]
    assert [w.code for w in warnings] == ["W305"]
    assert "2" in warnings[0].message and "4" in warnings[0].message


def test_big_jump_is_not_a_continuation() -> None:
    assert ids("1.支持上规。\n2.支持创新。\n30.以上为全部内容。") == ["1", "2"]


# -- run-in items ---------------------------------------------------------------------------
def test_run_in_items_end_with_their_paragraph() -> None:
    text = "（一）申报条件：1.注册在本市；2.纳税信用良好；3.无违法记录。\n申报材料按要求提交。\n（二）支持创新。"
    assert ids(text) == ["(一)", "(一)/1", "(一)/2", "(一)/3", "(二)"]
    assert span(text, "(一)/1") == "1.注册在本市；"
    assert span(text, "(一)/3") == "3.无违法记录。"
    # the next paragraph belongs to (一) again
    assert span(text, "(一)").endswith("申报材料按要求提交。")


def test_a_heading_glued_after_a_sentence_heads_the_lines_below() -> None:
    """…印发实施。二、主要内容 (a lost break before a heading; unseen64 r646): 二 goes on past
    its line as a line-start label's item does; its (一)… nest under it, 三 follows it."""
    text = ("一、政策背景\n由市政府办公室于2026年1月20日印发实施。二、主要内容\n"
            "共四个方面。（一）支持入规。奖励10万元。\n（二）支持技改。最高300万元。\n三、申报时间\n3月31日前申请。")
    assert ids(text) == ["一", "二", "二/(一)", "二/(二)", "三"]
    assert span(text, "二").endswith("最高300万元。")
    # a run-in label followed by a sentence, or ending the text, still ends with its paragraph
    text = "一、背景\n已印发实施。二、支持技改，给予奖励。\n（一）奖励10万元。"
    assert ids(text)[:2] == ["一", "二"] and span(text, "二") == "二、支持技改，给予奖励。"


def test_second_run_in_list_in_the_same_item() -> None:
    text = "（一）条件：1.注册在本市；2.信用良好。\n材料：1.申请表；2.营业执照。"
    assert ids(text) == ["(一)", "(一)/1", "(一)/2", "(一)/1~2", "(一)/2~2"]


def test_items_run_together_on_one_line() -> None:
    text = "（一）加大支持。组织活动。(二)加快建设。推进项目。(三)强化保障。"
    ms = numbered(text)
    assert [(m.id, m.title) for m in ms] == [
        ("(一)", "加大支持"), ("(二)", "加快建设"), ("(三)", "强化保障")]
    assert text[ms[0].start:ms[0].end] == "（一）加大支持。组织活动。"


def test_page_that_lost_its_line_breaks() -> None:
    text = ("兴宁市人民政府 2023年9月25日 奖励办法(试行) 第一条 为促进发展，特制定本办法。 "
            "第二条 本办法适用于本市企业。 第三条 外贸发展奖 (一)进出口规模奖。 2023年起，给予奖励。"
            " (二)开拓市场奖。 1.2023年起，对参展企业给予支持。 2.2023年起，对线上展会给予支持。"
            " 第四条 利用外资奖 2023年起，给予奖励。")
    ms = numbered(text)
    assert [m.id for m in ms] == ["第一条", "第二条", "第三条", "第三条/(一)", "第三条/(二)",
                                  "第三条/(二)/1", "第三条/(二)/2", "第四条"]
    titles = {m.id: m.title for m in ms}
    assert titles["第三条"] == "外贸发展奖"
    assert titles["第三条/(一)"] == "进出口规模奖"
    assert titles["第四条"] == "利用外资奖"
    assert titles["第二条"] == "本办法适用于本市企业"
    assert span(text, "第三条/(二)/1") == "1.2023年起，对参展企业给予支持。"


# -- restarts -------------------------------------------------------------------------------
def test_restart_under_an_unnumbered_heading_gets_suffixes() -> None:
    text = ("适用对象:\n1.首次纳入规模以上工业统计的企业;\n2.新增产值5亿元及以上的企业。\n"
            "政策内容:\n1.给予入规奖励60万元。\n2.给予一次性奖励。")
    ms = numbered(text)
    assert [(m.id, m.label, m.path) for m in ms] == [
        ("1", "1", ["1"]), ("2", "2", ["2"]), ("1~2", "1", ["1"]), ("2~2", "2", ["2"])]
    assert span(text, "2") == "2.新增产值5亿元及以上的企业。"  # the heading is not in item 2


def test_restart_without_a_heading_is_not_accepted() -> None:
    text = "1.支持上规。给予奖励。\n2.支持创新。给予奖励。\n1.5亿元资金统筹使用。\n1、其他事项。"
    assert ids(text) == ["1", "2"]


# -- where the body ends --------------------------------------------------------------------
@pytest.mark.parametrize("tail", [
    "本措施有效期至2024年12月31日。",
    "本办法自2024年1月1日起施行。",
    "本通知自印发之日起实施。",
    "（此件主动公开）",
    "附件：1.申报表\n2.承诺书",
    "福州市人民政府办公厅\n2024年1月22日",
    "咨询部门:市工信局(0471-4609232)\n政策依据:《通知》",
    "扫码查看政策文件",
])
def test_body_end_markers(tail: str) -> None:
    text = f"一、支持创新。给予奖励。\n二、支持人才。给予补贴。\n责任单位：市人社局\n{tail}"
    assert ids(text) == ["一", "二"]
    assert span(text, "二") == "二、支持人才。给予补贴。\n责任单位：市人社局"


def test_signature_in_the_preamble_does_not_end_the_body() -> None:
    text = ("各单位：\n现将措施印发给你们。\n福州市人民政府办公厅\n2024年1月22日\n"
            "福州市若干措施\n一、鼓励增产增效\n给予奖励。\n二、保障用工\n给予补贴。")
    assert ids(text) == ["一", "二"]
    assert span(text, "二") == "二、保障用工\n给予补贴。"


def test_contact_line_inside_the_list_does_not_end_it() -> None:
    text = "1.给予奖励。\n咨询电话:12345\n2.给予补贴。"
    assert span(text, "1") == "1.给予奖励。\n咨询电话:12345"


def test_responsibility_line_belongs_to_the_item() -> None:
    text = "## 一、鼓励工业企业增产增效\n为推动发展，给予奖励。\n责任单位：市工信局、市财政局\n## 二、实施用电奖励\n给予奖励。"
    assert span(text, "一") == "一、鼓励工业企业增产增效\n为推动发展，给予奖励。\n责任单位：市工信局、市财政局"


# -- titles ---------------------------------------------------------------------------------
@pytest.mark.parametrize("text, title", [
    ("## 二、实施春节期间连续生产用电奖励\n鼓励企业春节期间不停工。", "实施春节期间连续生产用电奖励"),
    ("### **九、帮助企业融资纾困**\n积极组织企业申报。", "帮助企业融资纾困"),
    ("（一）深化“万人助万企活动”。认真落实方案。", "深化“万人助万企活动”"),
    ("一、强化科技创新(区科技局牵头)\n支持企业研发。", "强化科技创新"),
    ("1.【优惠内容】工业互联网应用标杆项目奖励。支持企业建设。", "工业互联网应用标杆项目奖励"),
    ("1.首次纳入规模以上工业统计的企业;", "首次纳入规模以上工业统计的企业"),
    ("1.对首次纳入规模以上工业统计的企业,给予入规奖励60万元,分三年按10万、20万、30万兑现。",
     None),  # first sentence longer than 40 characters
    ("1.首次纳入统计的企业;对其给予奖励。", "首次纳入统计的企业;对其给予奖励"),  # to 。
    ("1.首次纳入统计的企业;对其按照上年度主营业务收入增长幅度分档给予一次性奖励,最高不超过五十万元。",
     None),  # the item does not end at ";" and its sentence is too long
    ("1. 对工业增加值连续两年保持", None),  # cut off by the end of the excerpt
])
def test_titles(text: str, title: str | None) -> None:
    assert numbered(text)[0].title == title


def test_heading_line_before_children_is_the_title() -> None:
    text = "一、加快产业转型升级 (一)支持工业企业加快释放产能。支持企业扩大生产。"
    assert [(m.id, m.title) for m in numbered(text)] == [
        ("一", "加快产业转型升级"), ("一/(一)", "支持工业企业加快释放产能")]


# -- documents without numbering ------------------------------------------------------------
def test_news_report_becomes_unnumbered_paragraphs() -> None:
    text = "德州市将安排500万元左右的惠民消费券。\n\n这是记者了解到的消息。\n"
    ms = segment(text)
    assert [(m.label, m.id, m.path, m.level, m.title) for m in ms] == [(None, None, [], 0, None)] * 2
    assert [text[m.start:m.end] for m in ms] == ["德州市将安排500万元左右的惠民消费券。", "这是记者了解到的消息。"]


@pytest.mark.parametrize("text", ["", "\n\n", "可??刹煌F髽I\ufffd\ufffd", "（）、、1.\n(", "①②③"])
def test_damaged_or_odd_input_never_crashes(text: str) -> None:
    for m in segment(text):
        assert 0 <= m.start <= m.end <= len(text)


# -- data-driven and fast -------------------------------------------------------------------
def test_a_user_pack_adds_a_label_style(tmp_path) -> None:
    (tmp_path / "numbering.yaml").write_text(textwrap.dedent("""
        field: numbering
        patterns:
          - name: roman
            role: label
            kind: arabic
            value: "R{n}"
            regex: '{line_left}R(?P<n>\\d{1,2})[.]'
            examples:
              - text: "R1.第一项。"
                expect: {id: R1}
        """), encoding="utf-8")
    pack = load_pack([tmp_path])
    assert [m.id for m in numbered("R1.第一项。\nR2.第二项。", pack)] == ["R1", "R2"]
    assert numbered("R1.第一项。", default_pack()) == []


def test_long_documents_segment_completely() -> None:
    """A long list nested under many headings comes out whole (timing lives in scripts/bench.py)."""
    body = "".join(f"{n}.支持第{n}项。对企业给予奖励。\n" for n in range(1, 200))
    cn = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五", "十六", "十七", "十八", "十九", "二十"]
    big_text = "".join(f"{c}、总体要求\n" + body for c in cn)
    assert len(segment(body)) == 199
    assert len([m for m in segment(big_text) if m.label]) > 20 * 199
