"""Bugs of ingest/normalize found on the second unseen batch (docs/unseen-check-2.md, causes
1–3), one case each; expected values written from the input texts."""
from __future__ import annotations

import pytest

from _normalize_pack import PACK
from policy_extract.ingest import load_bytes
from policy_extract.normalize import normalize
from policy_extract.pipeline import extract


def _norm_file(text: str, name: str) -> tuple[str, object]:
    src = load_bytes(text.encode("utf-8"), doc_id="bug", path=name)
    norm = normalize(src, pack=PACK)
    return norm.text, norm


# -- cause 1: Word-export spacing inside a line-start label -----------------------------------
def test_spaced_article_and_item_labels_are_collapsed():
    raw = ("第 一 章　总　　则\n第 一 条　为推动乡村旅游高质量发展，制定本办法。\n"
           "第 三 条　对新评定的乡村旅游重点村，按等级给予一次性奖励：\n"
           "（ 一 ）五椰级乡村旅游点奖励30万元；\n( 2 ) 四椰级奖励20万元；\n一 、总体要求\n"
           "第 十 一 条　本办法自发布之日起施行。")
    lines = normalize(raw, pack=PACK).text.split("\n")
    assert lines == ["第一章 总则", "第一条 为推动乡村旅游高质量发展，制定本办法。",
                     "第三条 对新评定的乡村旅游重点村，按等级给予一次性奖励：",
                     "（一）五椰级乡村旅游点奖励30万元；", "(2) 四椰级奖励20万元；", "一、总体要求",
                     "第十一条 本办法自发布之日起施行。"]


def test_collapsed_label_keeps_offsets_into_the_original():
    raw = "前言。\n第 三 条　对重点村给予奖励。"
    norm = normalize(raw, pack=PACK)
    i = norm.text.index("第三条")
    assert norm.to_source(i, i + 3) == (raw.index("第"), raw.index("条") + 1)
    assert raw[norm.offsets[i + 2]] == "条"


def test_spaces_inside_a_sentence_or_after_a_label_stay():
    # not at a line start: a reference in a sentence is left as written
    assert normalize("对（ 一 ）类企业给予支持", pack=PACK).text == "对（ 一 ）类企业给予支持"
    # a three-character chapter title is not a spaced-out two-character one
    assert normalize("第二章 奖补 标准", pack=PACK).text == "第二章 奖补 标准"


# -- cause 2: HTML tables and block breaks ----------------------------------------------------
_TABLE = (
    "<html><body><div>惠农政策</div><div>眉山市2024年支持农业产业高质量发展政策汇编</div>"
    "<table><tr><td>序号</td><td>政策内容</td><td>责任单位</td></tr>\n"
    "<tr><td>1</td><td>支持高标准农田建设。按每亩3000元标准给予补助。</td>"
    "<td>市农业农村局、市财政局</td></tr>\n"
    "<tr><td>2</td><td>支持设施农业发展。单个主体最高不超过100万元。</td><td>&nbsp;</td></tr>\n"
    "<tr><td>3</td><td>支持农产品品牌建设。</td><td><p>市商务局，</p><p>各区县人民政府</p></td></tr>"
    "</table></body></html>")


def test_table_row_is_one_line_with_unit_column_labelled():
    text, _ = _norm_file(_TABLE, "t.html")
    assert text.split("\n") == [
        "惠农政策",
        "眉山市2024年支持农业产业高质量发展政策汇编",
        "序号 政策内容 责任单位",
        "1 支持高标准农田建设。按每亩3000元标准给予补助。 责任单位：市农业农村局、市财政局",
        # an empty cell is dropped (and gets no label)
        "2 支持设施农业发展。单个主体最高不超过100万元。",
        "3 支持农产品品牌建设。 责任单位：市商务局， 各区县人民政府",
    ]


def test_inserted_unit_label_maps_to_the_cell_tag():
    text, norm = _norm_file(_TABLE, "t.html")
    i = text.index("责任单位：市农业农村局")
    a, _ = norm.to_source(i, i + 5)
    assert _TABLE[a:a + 4] == "<td>" and _TABLE[a + 4:a + 10] == "市农业农村局"
    offs = list(norm.offsets)
    assert offs == sorted(offs)


_ROWSPAN_TABLE = (
    "<table><tr><th>序号</th><th>类别</th><th>政策内容</th><th>责任单位</th><th>依据</th></tr>"
    "<tr><td>1</td><td rowspan=\"2\">产业基地</td><td>支持水果基地建设，每亩补助1500元。</td>"
    "<td rowspan=\"2\">区农业农村委</td><td>府办发〔2025〕96号</td></tr>"
    "<tr><td>2</td><td>支持蚕桑基地建设，每亩补助800元。</td><td>府办发〔2025〕97号</td></tr>"
    "<tr><td>3</td><td>品牌</td><td>支持品牌认证，奖励5万元。</td><td>区商务委</td>"
    "<td>府发〔2025〕12号</td></tr></table>")


def test_rowspan_cells_keep_the_columns_of_the_rows_below_them():
    text, norm = _norm_file(_ROWSPAN_TABLE, "t.html")
    assert text.split("\n")[1:] == [
        # a cell of the category column (类别) is a tag: the row's title comes after it
        "1 【产业基地】 支持水果基地建设，每亩补助1500元。 责任单位：区农业农村委 府办发〔2025〕96号",
        # the merged unit cell counts for the row below it too; the document number stays in
        # its own column, not under 责任单位
        "2 支持蚕桑基地建设，每亩补助800元。 责任单位：区农业农村委 府办发〔2025〕97号",
        "3 【品牌】 支持品牌认证，奖励5万元。 责任单位：区商务委 府发〔2025〕12号",
    ]
    i = text.index("【产业基地】")
    assert _ROWSPAN_TABLE[norm.to_source(i, i + 6)[0]:].startswith("<td rowspan")
    # the repeated unit maps to the cell it repeats
    i = text.index("区农业农村委", text.index("\n2 "))
    a, b = norm.to_source(i, i + 6)
    assert _ROWSPAN_TABLE[a:b] == "区农业农村委" and a < _ROWSPAN_TABLE.index("<tr><td>2")


def test_layout_table_keeps_its_paragraph_breaks():
    page = ("<html><body><table><tr><td>导航</td><td><p>第一段，内容</p><p>第二段，内容</p>"
            "<p>第三段</p><p>第四段</p><p>第五段</p><p>第六段</p></td></tr></table></body></html>")
    text, _ = _norm_file(page, "p.html")
    assert "第一段，内容\n第二段，内容" in text


def test_html_block_breaks_are_not_joined_on_a_clause_mark():
    # the unit cell ends with 、-clauses and no end punctuation: plain text would be joined
    page = "<html><body><p>市农业农村局、市财政局</p><p>支持设施农业发展</p></body></html>"
    text, _ = _norm_file(page, "p.html")
    assert text == "市农业农村局、市财政局\n支持设施农业发展"
    assert normalize("市农业农村局、市财政局\n支持设施农业发展", pack=PACK).text == \
        "市农业农村局、市财政局支持设施农业发展"


def test_an_open_bracket_or_a_closing_mark_joins_html_blocks():
    # a page that puts each line of a hard-wrapped text in a block of its own (real_018 as
    # <p> lines): a bracket still open at a block's end, or a block opening with closing
    # punctuation, cannot end or begin a paragraph; a quote may stay open over paragraphs
    page = ("<html><body><p>并按规定给予贴息支持。（市人力资源社会</p><p>保障局牵头，市财政局配合）</p>"
            "<p>对符合条件的企业给予奖励</p><p>，最高不超过50万元。</p>"
            "<p>他说：“第一段话。</p><p>“第二段话。”</p></body></html>")
    text, _ = _norm_file(page, "p.html")
    assert text.split("\n") == [
        "并按规定给予贴息支持。（市人力资源社会保障局牵头，市财政局配合）",
        "对符合条件的企业给予奖励，最高不超过50万元。",
        "他说：“第一段话。", "“第二段话。”"]
    units = [(u["text"], u["role"]) for u in extract(page)["units"]]
    assert units == [("市人力资源社会保障局", "lead"), ("市财政局", "member")]


_PDF_LINES = """一、支持竹产业发展
（一）对新认定的省级以上竹产业龙头企业，给予一次性奖励
50万元；对首次进入规模以上工业企业的，奖励1
0万元，所需资金由县财政统筹安排，单家企业
年度奖励总额不超过100万元。
（二）对企业参加省外竹产品专业展会的，每个展位补助3
千元至1万元，每场展会最高补助5万元，同一企业
每年累计不超过20万元，由县商务局负责审核兑现。
（三）对年网络零售额首次突破1000万元的竹制品
企业，给予一次性奖励10万元；对在县级以上竹产品
创意设计大赛中获奖的，分别奖励2万元、1万元。"""


def test_a_pdf_kept_one_line_per_html_block_is_rejoined():
    # pdf2htmlEX-like pages put every line of a PDF in a block of its own: when most prose
    # blocks look wrapped, their breaks are wraps (奖励1 / 0万元 is one sum, not 0万元)
    import html as _html

    page = "<html><body>" + "".join(f"<p>{_html.escape(ln)}</p>" for ln in _PDF_LINES.split("\n")) + "</body></html>"
    as_html, as_text = extract(page), extract(_PDF_LINES)
    values = [a["value"] for a in as_html["amounts"]]
    assert values[:2] == [500000, 100000] and 0 not in values
    assert [(a["text"], a["value"]) for a in as_html["amounts"]] == \
        [(a["text"], a["value"]) for a in as_text["amounts"]]


@pytest.mark.parametrize(("wrapped", "joined"), [
    # a number a wrap broke after the word before it (headline of unseen/u05 wrapped at 38)
    ("广东佛山出台新一轮家电以旧换新补贴政策 每户补贴2\n000元\n2024年08月26日 08:47",
     "广东佛山出台新一轮家电以旧换新补贴政策 每户补贴2000元\n2024年08月26日08:47"),
    # …and one whose rest reads like a row number (0 日: no row is numbered 0)
    ("受理时间为2025年9月1日至9月3\n0 日，此后每年受理。", "受理时间为2025年9月1日至9月30日，此后每年受理。"),
    # a date the wrap cut after its month: the day's number moved down whole (batch 46 z468)
    ("（三）2026年度项目申报时间延至2026年9月\n30 日。逾期不予受理。", "（三）2026年度项目申报时间延至2026年9月30日。逾期不予受理。"),
    ("2026年\n3月1日起施行。", "2026年3月1日起施行。"),
    # a line ending in a date or a code is no broken number
    ("发布时间：2024-05-09\n2024年是关键一年。", "发布时间：2024-05-09\n2024年是关键一年。"),
])
def test_a_number_broken_by_a_wrap_is_joined(wrapped, joined):
    assert normalize(wrapped, pack=PACK).text == joined


def test_table_rows_become_measures_with_their_units():
    rec = extract(_TABLE)
    ids = [m["id"] for m in rec["measures"]]
    assert ids[:3] == ["1", "2", "3"]
    units = {(u["text"], u["measure"]) for u in rec["units"]}
    assert not any(m == "2" for _t, m in units)
    assert {("市农业农村局", "1"), ("市财政局", "1"), ("市商务局", "3")} <= units


def test_breadcrumb_with_dangqian_de_weizhi_is_furniture():
    text = normalize("您当前的位置：首页 > 惠农政策\n眉山市政策汇编", pack=PACK).text
    assert text == "眉山市政策汇编"


def test_row_number_before_a_unit_character_keeps_its_space():
    # "3 项目" is a table row number, not "3项"; "共 3 项" inside a line still collapses
    text = normalize("3 项目建设补助\n共 3 项", pack=PACK).text
    assert text == "3 项目建设补助\n共3项"


# -- cause 3: markdown structure --------------------------------------------------------------
_MD = ("# 一图读懂\n\n发布日期：2024-05-10　　来源：青岛市商务局\n\n## 政策背景\n\n"
       "全市货物贸易进出口总额1,986亿元，同比增长6.2%\n\n### 01 支持企业参展拓市场\n\n"
       "▶ 境外展会展位费补贴比例由50%提高到70%\n\n▶ 单个企业补贴最高30万元，\n\n## 政策时效\n\n"
       "▶ 执行期：2024年1月1日起执行至2024年12月31日\n")


def test_markdown_headings_and_bullets_are_hard_breaks():
    text, _ = _norm_file(_MD, "m.md")
    assert text.split("\n") == [
        "一图读懂", "发布日期：2024-05-10 来源：青岛市商务局", "政策背景",
        "全市货物贸易进出口总额1,986亿元，同比增长6.2%", "01 支持企业参展拓市场",
        "▶ 境外展会展位费补贴比例由50%提高到70%", "▶ 单个企业补贴最高30万元，", "政策时效",
        "▶ 执行期：2024年1月1日起执行至2024年12月31日"]


def test_markdown_source_line_not_glued_to_the_next_heading():
    text, _ = _norm_file(_MD, "m.md")
    lines = text.split("\n")
    assert any(ln.endswith("来源：青岛市商务局") for ln in lines)
    assert "政策背景" in lines and "政策时效" in lines
    assert "▶ 单个企业补贴最高30万元，" in lines


def test_markdown_paragraph_break_is_hard_when_lines_also_wrap_without_one():
    md = "# 标题\n\n第一段按其上年度，\n继续写完。\n\n市农业农村局、市财政局\n\n支持设施农业发展\n"
    text, _ = _norm_file(md, "m.md")
    assert text.split("\n") == ["标题", "第一段按其上年度，继续写完。", "市农业农村局、市财政局",
                                "支持设施农业发展"]


def test_double_spaced_markdown_still_rejoins_its_wraps():
    # a PDF saved with a blank line after every line: blank lines are no paragraph breaks
    md = "**措施**\n\n责任单位：市工信局、高新区管委\n\n会\n\n本措施自2024年1月1日起施行。\n"
    text, _ = _norm_file(md, "m.md")
    assert "责任单位：市工信局、高新区管委会" in text


# -- found by the idempotence property while fixing the above ---------------------------------
def test_label_full_stop_after_an_indent_is_halfwidth_on_the_first_pass():
    # "\t5．" gave "5．" and a second pass "5." (the indent hid the line start)
    once = normalize("\t5．加大支持力度", pack=PACK).text
    assert once == "5.加大支持力度"
    assert normalize(once, pack=PACK).text == once


def test_dingbat_circled_numbers_are_circled_labels():
    # batch 47 a474: a WeChat Q&A numbers its questions ❶ ❷ …; they are the labels ① ②
    from policy_extract import extract

    text = ("稳岗返还政策问答\n❶ 今年稳岗返还政策还继续实施吗？\n答：继续实施，返还比例为60%。\n"
            "❷ 返还多少？\n答：按上年度实际缴纳失业保险费的60%返还，最高不超过30万元。\n➂ 何时申请？\n答：12月31日前。")
    assert normalize(text, pack=PACK).text.count("②") == 1
    rec = extract(text)
    assert [m["label"] for m in rec["measures"] if m["label"]] == ["①", "②", "③"]
    assert [c["measure"] for c in rec["caps"]] == ["②"]


def test_related_links_before_an_english_copyright_footer_are_dropped():
    # batch 47 a475: the links under 相关新闻 end the article; a copyright line after them,
    # however long or punctuated, is footer and keeps them links (no dates from them)
    from policy_extract import extract

    text = ("养老服务补贴政策出台\n对新建养老机构每张床位补助1万元。\n相关新闻\n"
            "· 民政部：推动老年助餐服务提质扩面 2026年05月21日\n· 银发旅游升温 2026年04月30日\n"
            "人民日报社概况 | 关于人民网 | 报社招聘 | 招聘英才 | 广告服务 | 合作加盟 | 供稿服务 | 网站声明\n"
            "人民网版权所有，未经书面授权禁止使用\n"
            "Copyright © 1997-2026 by www.people.com.cn. all rights reserved")
    assert "2026年05月21日" not in normalize(text, pack=PACK).text
    assert extract(text)["dates"] == []


@pytest.mark.parametrize(("scanned", "read"), [
    # batch 48 b481: an OCR'd scan's 〇 inside an Arabic number and 曰 after a day's number
    ("按实际投资额的2〇%给予补助，单个项目最高不超过5〇0万元。", "按实际投资额的20%给予补助，单个项目最高不超过500万元。"),
    ("连江县人民政府办公室\n2O26年4月2曰", "连江县人民政府办公室\n2026年4月2日"),
    ("对2O26年1月1曰至2027年12月31日期间完成的项目", "对2026年1月1日至2027年12月31日期间完成的项目"),
    # …while 〇 among Chinese numerals and a 曰 of the text stay
    ("二〇二六年三月", "二〇二六年三月"),
    ("子曰：学而时习之。", "子曰：学而时习之。"),
])
def test_scan_confusions_inside_numbers_and_dates_are_repaired(scanned, read):
    assert normalize(scanned, pack=PACK).text == read
