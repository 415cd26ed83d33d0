"""Segmentation bugs caught on unseen notices (docs/unseen-check-2.md causes 1, 2, 3, 9;
decisions 1–4 and 17).

One case per bug; expected values written from the text and the guidelines. The fixes live in
``data/numbering.yaml`` (label styles, the ``section_heading`` pattern, table settings) and
``segment/`` (canonical labels, heading and closing-note rules, the shape of a table's last
row, titles).
"""
from __future__ import annotations

import policy_extract
from policy_extract.segment import segment


def numbered(text: str) -> list:
    return [m for m in segment(text) if m.label is not None]


def ids(text: str) -> list[str]:
    return [m.id for m in numbered(text)]


def span(text: str, mid: str) -> str:
    m = next(m for m in numbered(text) if m.id == mid)
    return text[m.start:m.end]


# -- cause 1: Word-export spaced labels (v01) -------------------------------------------------
WORD = (
    "海南省乡村旅游重点村奖补办法\n"
    "第 一 章 总 则\n"
    "第 一 条 为推动乡村旅游高质量发展，制定本办法。\n"
    "第 二 章 奖补标准\n"
    "第 二 条 对新评定的乡村旅游重点村，按等级给予一次性奖励：\n"
    "（ 一 ）五椰级乡村旅游点奖励30万元；\n"
    "（ 二 ）四椰级乡村旅游点奖励20万元。\n"
    "第 三 条 本办法自2024年7月1日起施行。\n"
)


def test_spaced_article_and_paren_labels_are_canonical():
    # numbering.yaml article / cn_paren accept 第 一 条, （ 一 ）; labels.py drops the spaces
    assert ids(WORD) == ["第一条", "第二条", "第二条/(一)", "第二条/(二)", "第三条"]
    labels = [m.label for m in numbered(WORD)]
    assert labels == ["第一条", "第二条", "(一)", "(二)", "第三条"]


def test_spaced_two_character_numbers():
    text = "第 十 条 给予奖励。\n第 十 一 条 给予补贴。\n第　十　二　条　本办法自印发之日起施行。"
    assert ids(text) == ["第十条", "第十一条", "第十二条"]


def test_spaced_chapter_heading_is_a_break():
    # numbering.yaml chapter: 第 二 章 ends 第一条, it is no part of it
    assert span(WORD, "第一条") == "第 一 条 为推动乡村旅游高质量发展，制定本办法。"


def test_spaced_arabic_paren_label():
    assert ids("( 1 )支持研发。给予补助。\n( 2 )支持人才。给予补贴。") == ["(1)", "(2)"]


def test_fields_attach_to_spaced_articles():
    rec = policy_extract.extract(
        "第 一 条 为规范管理，制定本办法。\n"
        "第 二 条 对重点村新建游客中心的，最高不超过300万元给予补助。\n")
    (a,) = rec["amounts"]
    assert (a["value"], a["measure"]) == (3000000, "第二条")


# -- cause 3: zero-padded Arabic labels (v08) -------------------------------------------------
def test_zero_padded_labels_are_canonical():
    # labels.py canonical_number: 01 → 1 (FORMAT: Arabic labels canonical "1")
    text = ("政策亮点\n01 支持企业参展拓市场\n境外展会展位费补贴比例提高到70%。\n"
            "02 扩大出口信保覆盖\n保费补贴上限为20万元。")
    assert ids(text) == ["1", "2"]
    assert [m.title for m in numbered(text)] == ["支持企业参展拓市场", "扩大出口信保覆盖"]


def test_zero_padded_dot_labels():
    assert ids("01.支持研发。给予补助。\n02.支持人才。给予补贴。") == ["1", "2"]


# -- cause 3: a higher-level unnumbered heading ends the numbered item (v08) -------------------
YITU = (
    "01 支持企业参展拓市场\n"
    "▶ 境外展会展位费补贴比例由50%提高到70%\n"
    "02 扩大出口信保覆盖\n"
    "▶ 小微企业出口信用保险保费支持比例不低于80%\n"
    "▶ 保费补贴上限：每家企业20万元\n"
    "03 支持跨境电商发展\n"
    "▶ 新建海外仓：面积1万平方米以上，奖励100万元\n"
    "▶ 跨境电商B2B出口额增长30%以上，按增量每1美元奖励0.01元\n"
    "政策时效\n"
    "▶ 执行期：2024年1月1日起执行至2024年12月31日\n"
    "▶ 申报时间：2024年6月上旬、11月下旬\n"
)


def test_section_heading_ends_the_last_item():
    # rows of irregular shape (2 and 3 lines): the heading rule alone ends item 3
    assert span(YITU, "3") == ("03 支持跨境电商发展\n▶ 新建海外仓：面积1万平方米以上，奖励100万元\n"
                               "▶ 跨境电商B2B出口额增长30%以上，按增量每1美元奖励0.01元")


def test_numbering_runs_on_after_a_section_heading():
    text = ("一、支持创新\n对企业给予奖励。\n重点领域\n对软件企业给予补贴。\n"
            "二、支持人才\n给予补贴。")
    assert ids(text) == ["一", "二"]
    assert span(text, "一") == "一、支持创新\n对企业给予奖励。"


def test_short_lines_of_a_list_are_no_heading():
    # the line above a heading is not a list entry; the line below is body text
    text = "一、申报材料\n企业应提交以下材料：\n营业执照\n申请表\n承诺书\n二、申报时间\n每年3月。"
    assert span(text, "一") == "一、申报材料\n企业应提交以下材料：\n营业执照\n申请表\n承诺书"


def test_sub_heading_right_under_the_label_is_body():
    # the item has no body yet: the short line is its sub-heading, not a higher level
    text = "一、支持对象\n重点支持领域\n对企业给予奖励。"
    assert span(text, "一") == text


def test_restart_heading_still_restarts():
    # real_006 style: 政策内容: then 1. again (the colon line restarts, it is no break)
    text = ("适用对象:\n1.首次纳入规模以上工业统计的企业;\n2.新增产值5亿元以上的企业。\n"
            "政策内容:\n1.给予入规奖励60万元。\n2.给予一次性奖励。")
    assert ids(text) == ["1", "2", "1~2", "2~2"]


# -- cause 2: table rows with a 序号 column (v05, decision 2) -----------------------------------
ROWS = [
    ("1", "支持高标准农田建设。按每亩3000元标准给予补助。", "市农业农村局、市财政局"),
    ("2", "支持设施农业发展。单个主体最高不超过100万元。", "市农业农村局"),
    ("3", "支持农业保险提标扩面。保费补贴比例合计不低于75%。", "市财政局、市农业农村局"),
]
NOTE = "注：各项政策执行期为2024年1月1日至2024年12月31日。"


def test_table_rows_one_line_each():
    text = "序号 政策内容 责任单位\n" + "".join(" ".join(r) + "\n" for r in ROWS) + NOTE
    assert ids(text) == ["1", "2", "3"]
    assert [m.title for m in numbered(text)] == ["支持高标准农田建设", "支持设施农业发展",
                                                  "支持农业保险提标扩面"]
    # the note under the table is no part of the last row (rows share one shape)
    assert span(text, "3") == " ".join(ROWS[2])


def test_table_rows_one_cell_per_line():
    text = "序号\n政策内容\n责任单位\n" + "".join("\n".join(r) + "\n" for r in ROWS) + NOTE
    assert ids(text) == ["1", "2", "3"]
    assert numbered(text)[0].title == "支持高标准农田建设"
    # the unit cell belongs to its row; the note does not
    assert span(text, "1") == "\n".join(ROWS[0])
    assert span(text, "3") == "\n".join(ROWS[2])


def test_numbers_alone_on_lines_need_a_table_header():
    # page numbers or stray digits without a 序号 column are not rows
    text = "\n".join("\n".join(r[:2]) for r in ROWS)
    assert ids(text) == []


# -- cause 9 / decision 17: a closing note that is all a numbered heading holds ---------------
def test_closing_note_under_a_heading_item_belongs_to_it():
    text = ("三、申请与兑付\n补贴每半年申请一次。\n四、其他\n"
            "本细则自2024年1月1日起施行，有效期至2026年12月31日。\n"
            "本细则由区人才办负责解释。\n西安高新区管委会\n2023年12月20日")
    assert span(text, "四") == ("四、其他\n本细则自2024年1月1日起施行，有效期至2026年12月31日。\n"
                               "本细则由区人才办负责解释。")


def test_closing_note_after_a_body_still_ends_the_item():
    text = ("（一）优化用地保障。不再增收土地价款。\n（二）做好政策宣传。完成政策宣讲。（责任单位：各设区市政府）\n"
            "本措施自发布之日起施行，有效期3年。")
    assert span(text, "(二)") == "（二）做好政策宣传。完成政策宣讲。（责任单位：各设区市政府）"


def test_closing_note_dates_attach_to_the_heading_item():
    rec = policy_extract.extract(
        "一、支持对象\n在高新区就业的全日制本科及以上学历人才。\n四、其他\n"
        "本细则自2024年1月1日起施行，有效期至2026年12月31日。\n")
    assert {d["measure"] for d in rec["dates"]} == {"四"}


# -- decision 4: a lead sentence before sub-items is the title ---------------------------------
def test_lead_sentence_title():
    (m, *_) = numbered(WORD.split("第 三 条")[0])[1:]
    assert (m.id, m.title) == ("第二条", "对新评定的乡村旅游重点村，按等级给予一次性奖励")


def test_long_lead_sentence_gives_no_title():
    text = ("第三条 对新评定并通过省级复核验收的乡村旅游重点村和乡村旅游示范点，按照评定等级分别"
            "给予一次性奖励：\n（一）五椰级奖励30万元；\n（二）四椰级奖励20万元。")
    assert numbered(text)[0].title is None
