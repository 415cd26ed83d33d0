"""Responsible units (GUIDELINES "units"): expected values written from reading the texts."""
from __future__ import annotations

import pytest

from policy_extract import extract
from policy_extract.document import Doc
from policy_extract.extract.units import extract_units
from policy_extract.patterns.engine import default_pack


def units(text: str) -> list[tuple[str, str]]:
    doc = Doc(doc_id="t", text=text, pack=default_pack())
    out = extract_units(doc)
    for u in out:
        assert text[u["start"]:u["end"]] == u["text"]
    return [(u["text"], u["role"]) for u in out]


def test_line_list_splits_on_commas_and_keeps_brackets_whole():
    text = "责任单位：市工信局、市财政局，各县（市、区）人民政府；高新区管委会\n二、下一项"
    assert units(text) == [("市工信局", "member"), ("市财政局", "member"),
                           ("各县（市、区）人民政府", "member"), ("高新区管委会", "member")]


def test_list_ends_with_its_line():
    text = "责任单位：市商务局\n对企业给予奖励，由市财政局负责兑付。"
    assert units(text) == [("市商务局", "member")]


def test_bracketed_list_at_item_end_ends_with_its_bracket():
    text = "给予最高100万元奖励。〔责任单位：财政厅、经济和信息化厅，各市(州)人民政府〕其后文字、不是单位"
    assert units(text) == [("财政厅", "member"), ("经济和信息化厅", "member"),
                           ("各市(州)人民政府", "member")]


def test_lead_and_member_headers():
    text = "牵头单位：市发展改革委\n配合单位：市财政局、市自然资源和规划局"
    assert units(text) == [("市发展改革委", "lead"), ("市财政局", "member"),
                           ("市自然资源和规划局", "member")]


@pytest.mark.parametrize("text, expected", [
    ("（市国资委牵头，市财政局配合）", [("市国资委", "lead"), ("市财政局", "member")]),
    ("(市人力资源社会保障局牵头, 市财政局、市科技局配合)",
     [("市人力资源社会保障局", "lead"), ("市财政局", "member"), ("市科技局", "member")]),
    ("（省发展改革委牵头负责）", [("省发展改革委", "lead")]),
    ("（市商务局负责）", [("市商务局", "member")]),
])
def test_role_parentheticals(text, expected):
    assert units(text) == expected


@pytest.mark.parametrize("text", [
    "具体期限由双方协商确定(由租赁双方负责)。",
    "鼓励业主(房东)为租户减免租金。",
    "各责任单位要明确责任单位，抓好落实。",
    "（以下简称“措施”）",
])
def test_ordinary_sentences_are_not_unit_lists(text):
    assert units(text) == []


def test_level_word_joins_the_next_piece():
    text = "（责任单位：市工业和信息化局，各区、县(市)政府等；以下均需各区、县(市)政府落实，不再列出）"
    assert units(text) == [("市工业和信息化局", "member"), ("各区、县(市)政府", "member")]


def test_bracket_group_is_not_merged_with_the_next_unit():
    text = "责任单位：各县（市、区）、市直有关部门"
    assert units(text) == [("各县（市、区）", "member"), ("市直有关部门", "member")]


def test_descriptions_and_etc_are_dropped():
    text = "责任单位：市财政局、市税务局等有关部门按职责分工负责"
    assert units(text) == [("市财政局", "member"), ("市税务局", "member")]


def test_conjunction_splits_only_between_organizations():
    assert units("责任单位：市委宣传部和市文明办") == [("市委宣传部", "member"), ("市文明办", "member")]
    assert units("责任单位：市住房和城乡建设局") == [("市住房和城乡建设局", "member")]


def test_first_listed_is_lead_with_forward_scope():
    text = ("1.降低税负。（责任单位：市税务局、市财政局，排在首位的为牵头单位，下同）\n"
            "2.降低电价。（责任单位：市发展改革委、供电局）")
    assert units(text) == [("市税务局", "lead"), ("市财政局", "member"),
                           ("市发展改革委", "lead"), ("供电局", "member")]


def test_first_listed_is_lead_without_forward_scope_stays_in_its_list():
    text = ("1.降低税负。（责任单位：市税务局、市财政局，排在首位的为牵头单位）\n"
            "2.降低电价。（责任单位：市发展改革委、供电局）")
    assert units(text) == [("市税务局", "lead"), ("市财政局", "member"),
                           ("市发展改革委", "member"), ("供电局", "member")]


def test_preamble_notice_applies_to_later_lists():
    text = "各项措施责任单位中排在首位的为牵头单位。\n一、稳定生产\n责任单位：市工信局、市财政局"
    assert units(text) == [("市工信局", "lead"), ("市财政局", "member")]


def test_damaged_and_truncated_names_stand_as_written():
    text = "责任单位:市发展改革委,各县(市、区)人民融 经开区管委\n(二)下一项"
    assert units(text) == [("市发展改革委", "member"), ("各县(市、区)人民融", "member"),
                           ("经开区管委", "member")]


def test_damaged_header_keeps_its_list():
    text = "所需资金由省级财政负担?!藏?zé)任单位:经济和信息化厅、财政厅〕\n2. 下一项"
    assert units(text) == [("经济和信息化厅", "member"), ("财政厅", "member")]


def test_space_ends_a_list_before_non_names():
    text = "责任单位:市财政局、人民银行辽阳市中心支行 2 对疫情防控重点保障企业给予贴息"
    assert units(text) == [("市财政局", "member"), ("人民银行辽阳市中心支行", "member")]


def test_units_attach_to_the_item_that_holds_their_list():
    rec = extract("一、稳定生产\n对企业给予奖励。\n责任单位：市工信局\n二、扩大投资\n支持项目建设。\n责任单位：市发改委\n")
    got = [(u["text"], u["measure"]) for u in rec["units"]]
    assert got == [("市工信局", "一"), ("市发改委", "二")]


@pytest.mark.parametrize("text", ["", "责任单位：", "责任单位：、，；", "（牵头）", "责任单位：???\ufffd\ufffd",
                                  "（" * 50 + "负责" + "）" * 50])
def test_damaged_input_never_crashes(text):
    assert isinstance(units(text), list)


def test_a_table_run_in_on_one_line_ends_its_last_row_at_a_contact_line():
    """序号 补助事项 补助标准 责任单位 1 … 11 项目申报 … 县住房和城乡建设局 咨询电话：0797-…
    (unseen82 j827 without its line breaks): the contact line is no cell of the last row."""
    text = ("序号 补助事项 补助标准 责任单位 1 基础类改造 按每平方米300元给予补助。 县住房和城乡建设局 "
            "2 物业服务补贴 按每平方米每月0.3元给予补贴。 县财政局 3 项目申报 各乡镇集中申报。 县发展和改革委员会 "
            "咨询电话：0797-2832615")
    rec = extract(text)
    assert ("县发展和改革委员会", "3") in [(u["text"], u["measure"]) for u in rec["units"]]
