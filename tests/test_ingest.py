"""Ingest: decoding, format sniffing, front matter, HTML/markdown with offsets, bad input."""
from __future__ import annotations

import pytest

from _normalize_pack import CORPUS, corpus_file
from policy_extract.errors import PolicyExtractError
from policy_extract.ingest import doc_id_for, load, load_bytes


def _assert_map_ok(src, skip: str = "") -> None:
    """Every body char maps to the same char in raw (except entity-decoded/collapsed chars)."""
    assert len(src.body) == len(src.body_map)
    prev = -1
    for ch, o in zip(src.body, src.body_map, strict=True):
        assert 0 <= o < len(src.raw)
        assert o >= prev
        prev = o
        if ch not in skip and not ch.isspace():
            assert src.raw[o] == ch


@pytest.mark.parametrize("path", sorted(CORPUS.iterdir()), ids=lambda p: p.name)
def test_corpus_loads_with_a_consistent_map(path):
    src = load(path)
    assert src.doc_id == doc_id_for(path)
    assert src.encoding == "utf-8"
    _assert_map_ok(src)


def test_front_matter_and_html_of_seed_000():
    src = load(corpus_file("000_"))
    assert src.format == "html"
    assert src.hints["title"] == "促进一季度工业稳定运行"
    assert src.hints["date"] == "2022-01-21 10:33:31 +0800"  # as written, not a datetime
    assert src.hints["categories"] == ["quanzhouwanbao"]
    assert src.hints["tags"] == ["泉州晚报新闻"]
    assert "layout:" not in src.body and "<p>" not in src.body and "</p>" not in src.body
    # each <p> starts its own line
    lines = [ln.strip() for ln in src.body.split("\n") if ln.strip()]
    assert any(ln.startswith("□本报记者") for ln in lines)
    assert any(ln.startswith("（文章来源：泉州晚报）") for ln in lines)


def test_markdown_markers_removed_from_seed_004():
    src = load(corpus_file("004_"))
    assert src.format == "markdown"
    assert "#" not in src.body and "**" not in src.body
    assert "九、帮助企业融资纾困" in src.body
    _assert_map_ok(src)


def test_html_entities_blocks_and_dropped_elements():
    raw = ("<html><head><title>页面标题</title><meta name=\"PubDate\" content=\"2024-01-02\">"
           "<style>p{color:red}</style></head><body><nav>首页 | 政策</nav>"
           "<p>第一段&nbsp;内容&lt;甲&gt;</p><div>第二段<br>第三行</div>"
           "<script>var a = '<p>no</p>';</script><footer>版权所有</footer></body></html>")
    src = load_bytes(raw.encode(), doc_id="t")
    assert src.format == "html"
    assert src.hints["title"] == "页面标题" and src.hints["date"] == "2024-01-02"
    lines = [ln.strip() for ln in src.body.split("\n") if ln.strip()]
    assert lines == ["第一段\xa0内容<甲>", "第二段", "第三行"]
    i = src.body.index("<甲>")
    assert src.raw[src.body_map[i]:].startswith("&lt;")  # entity maps to its "&"
    _assert_map_ok(src, skip="<>\xa0")


def test_an_accordion_buttons_heading_is_text_and_a_widget_button_is_not():
    """A measure's heading inside a <button> (tabs, accordions) is what the reader sees; a
    short button (搜索, 提交) is a page widget (batch 52)."""
    raw = ("<html><body><form><input name='q'><button type='submit'>搜索</button></form>"
           "<h4><button class='acc'>一、开展冰雪消费活动</button></h4>"
           "<div hidden>对参与企业给予补助。</div><button>返回顶部</button></body></html>")
    src = load_bytes(raw.encode(), doc_id="t")
    lines = [ln.strip() for ln in src.body.split("\n") if ln.strip()]
    assert lines == ["一、开展冰雪消费活动", "对参与企业给予补助。"]
    _assert_map_ok(src)


def test_an_item_number_drawn_as_an_image_is_its_alt_text():
    """A WeChat page draws 01, 02 as images: their alt text is the number the reader sees;
    an image with other alt text adds nothing (batch 52)."""
    raw = ("<html><body><section><img src='a.png' alt='logo'></section>"
           "<section><section><img src='n1.png' alt=\"01\"></section>"
           "<section><strong>汽车消费补贴</strong></section></section>"
           "<p>每辆补贴3000元。</p></body></html>")
    src = load_bytes(raw.encode(), doc_id="t")
    lines = [ln.strip() for ln in src.body.split("\n") if ln.strip()]
    assert lines == ["01", "汽车消费补贴", "每辆补贴3000元。"]
    assert src.raw[src.body_map[src.body.index("01")]:].startswith("<img")


def test_the_line_breaks_of_a_pre_block_are_kept():
    """A print version set in <pre> keeps its lines (a title over two lines, a wrapped clause);
    outside <pre> a line break in the markup is a space."""
    raw = ("<html><body><p>发布时间：2026-03-02\n来源：某市农业农村局</p><pre>某市农业农村局关于做好2026年\n"
           "农机购置补贴工作的通知\r\n\n一、补贴范围\n</pre><p>正文</p></body></html>")
    src = load_bytes(raw.encode(), doc_id="t")
    lines = [ln.strip() for ln in src.body.split("\n") if ln.strip()]
    assert lines == ["发布时间：2026-03-02 来源：某市农业农村局", "某市农业农村局关于做好2026年",
                     "农机购置补贴工作的通知", "一、补贴范围", "正文"]
    _assert_map_ok(src)


@pytest.mark.parametrize("raw", [
    "<p>关于促进工业经济<script>var x = 1;",          # script never closed
    "<p>第一段</p><div class='x\n第二段内容",           # tag never closed
    "<p>文本<!-- 注释没有结束",                        # comment never closed
])
def test_broken_html_warns_and_does_not_crash(raw):
    src = load_bytes(("<html><body>" + raw).encode(), doc_id="broken")
    assert any(w.code == "W303" for w in src.warnings)
    assert "关于促进工业经济" in src.body or "第一段" in src.body or "文本" in src.body


def test_errors_carry_code_and_file_name(tmp_path):
    with pytest.raises(PolicyExtractError) as e:
        load(tmp_path / "missing.txt")
    assert e.value.code == "E101" and "missing.txt" in str(e.value)
    for name, data, code in [
        ("empty.txt", b"", "E102"),
        ("blank.txt", b" \n\t\r\n" + "\u3000".encode(), "E102"),
        ("nul.txt", b"abc\x00\x00def" * 10, "E103"),
        ("doc.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "E103"),
        ("zip.txt", b"PK\x03\x04" + bytes(range(256)), "E103"),
        ("bad.txt", bytes([0x81, 0xFF, 0xFE, 0x80, 0xC0]) * 200, "E104"),
    ]:
        p = tmp_path / name
        p.write_bytes(data)
        with pytest.raises(PolicyExtractError) as e:
            load(p)
        assert e.value.code == code, name
        assert name in str(e.value)
    big = tmp_path / "big.txt"
    big.write_bytes("政策".encode() * 1000)
    with pytest.raises(PolicyExtractError) as e:
        load(big, max_bytes=100)
    assert e.value.code == "E105" and "big.txt" in str(e.value)
    with pytest.raises(PolicyExtractError) as e:
        load(tmp_path)
    assert e.value.code == "E106"


def test_few_damaged_bytes_decode_with_warning():
    data = ("关于促进工业经济平稳增长的通知。" * 50).encode() + b"\xff" + "结束。".encode()
    src = load_bytes(data, doc_id="d")
    assert src.encoding == "utf-8"
    assert {w.code for w in src.warnings} >= {"W306"}
    assert "\ufffd" in src.raw


@pytest.mark.parametrize("prefix,encoding", [("001_", "gbk"), ("000_", "gbk"),
                                             ("real_003", "big5"), ("real_035", "big5")])
def test_gbk_and_big5_copies_decode_to_the_same_text(prefix, encoding):
    path = corpus_file(prefix)
    text = path.read_text(encoding="utf-8")
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:  # 001 has a char outside GBK: drop such chars for the copy
        text = "".join(c for c in text if c.encode(encoding, "ignore"))
        data = text.encode(encoding)
    src = load_bytes(data, doc_id="x", path=path.name)
    assert src.raw == text
    assert src.encoding in ({"gb18030"} if encoding == "gbk" else {"big5"})


def test_bom_is_not_part_of_the_text():
    src = load_bytes("\ufeff关于印发通知".encode(), doc_id="bom")
    assert src.raw == "关于印发通知" and src.encoding == "utf-8-sig"


@pytest.mark.slow
def test_fifty_megabyte_file(tmp_path):
    from _normalize_pack import PACK
    from policy_extract.normalize import normalize

    chunk = corpus_file("001_").read_text(encoding="utf-8")
    p = tmp_path / "big.txt"
    reps = 50 * 1024 * 1024 // len(chunk.encode()) + 1
    p.write_text(chunk * reps, encoding="utf-8")
    src = load(p)
    norm = normalize(src, pack=PACK)
    assert len(norm.offsets) == len(norm.text) > 10_000_000
    assert norm.offsets.typecode == "l"


# -- markdown pipe tables ----------------------------------------------------------------------
_PIPE_TABLE = (
    "# 惠企政策清单\n\n"
    "| 序号 | 政策事项 | 支持内容 | 责任单位 |\n"
    "| --- | :--- | ---: | --- |\n"
    "| 1 | 升级奖励 | 给予一次性奖励100万元。 | 市发展改革委 |\n"
    "| 2 | 运营补贴 | 按每标准箱3000元给予补贴。 |  |\n"
    "\n注：就高不重复。\n"
)


def test_pipe_table_rows_become_lines_of_cells_with_unit_labels():
    src = load_bytes(_PIPE_TABLE.encode("utf-8"), doc_id="t", path="t.md")
    lines = src.body.split("\n")
    assert "序号 政策事项 支持内容 责任单位" in lines  # the header row, unlabelled
    assert "1 升级奖励 给予一次性奖励100万元。 责任单位：市发展改革委" in lines
    assert "2 运营补贴 按每标准箱3000元给予补贴。" in lines  # an empty cell adds nothing
    assert not any("---" in ln or "|" in ln for ln in lines)
    _assert_map_ok(src, skip="责任单位：")


def test_pipe_table_rows_stay_apart_and_are_numbered_measures():
    from policy_extract import extract

    rec = extract(_PIPE_TABLE)
    assert [m["label"] for m in rec["measures"] if m["label"]] == ["1", "2"]
    assert [m["title"] for m in rec["measures"] if m["label"]] == ["升级奖励", "运营补贴"]
    units = [(u["text"], u["measure"]) for u in rec["units"]]
    assert units == [("市发展改革委", "1")]


def test_a_category_column_of_a_pipe_table_is_written_as_tags():
    from policy_extract import extract

    md = ("# 清单\n\n| 序号 | 政策类别 | 政策名称 | 支持内容 |\n| --- | --- | --- | --- |\n"
          "| 1 | 产业基地 | 水果基地建设 | 每亩补助1500元。 |\n| 2 | 品牌营销 | 品牌认证 | 奖励5万元。 |\n")
    src = load_bytes(md.encode("utf-8"), doc_id="t", path="t.md")
    assert "1 【产业基地】 水果基地建设 每亩补助1500元。" in src.body.split("\n")
    i = src.body.index("【产业基地】")
    assert md[src.body_map[i]] == "产" and md[src.body_map[i + 5]] == "地"  # the tags map to the cell
    rec = extract(md)
    assert [m["title"] for m in rec["measures"] if m["label"]] == ["水果基地建设", "品牌认证"]


def test_a_pandoc_grid_table_is_read_row_by_row_with_wrapped_cells_joined():
    """pandoc writes a DOCX table as a grid; a long cell wraps over two lines of one row
    (``1000万美元至5000万美`` / ``元``): the row is one line, the sum whole (batch 52)."""
    raw = ("# 措施\n\n按以下标准给予奖励：\n\n"
           "+----------+------------------------+--------------+\n"
           "| 档次     | 年度进出口额           | 奖励金额     |\n"
           "+==========+========================+==============+\n"
           "| 第一档   | 1亿美元以上            | 30万元       |\n"
           "+----------+------------------------+--------------+\n"
           "| 第三档   | 1000万美元至5000万美   | 5万元        |\n"
           "|          | 元                     |              |\n"
           "+----------+------------------------+--------------+\n\n正文。\n")
    src = load_bytes(raw.encode(), doc_id="t", path="t.md")
    lines = [ln.strip() for ln in src.body.split("\n") if ln.strip()]
    assert lines == ["措施", "按以下标准给予奖励：", "档次 年度进出口额 奖励金额", "第一档 1亿美元以上 30万元",
                     "第三档 1000万美元至5000万美元 5万元", "正文。"]
    # every character maps to itself; inside a row a wrapped cell's second piece stands
    # after the first line's later cells (offsets run back there, as in a two-column block)
    for ch, o in zip(src.body, src.body_map, strict=True):
        assert ch.isspace() or ch in "|-" or src.raw[o] == ch
    row_starts = [src.body_map[src.body.index(t)] for t in ("档次", "第一档", "第三档", "正文")]
    assert row_starts == sorted(row_starts)


def test_a_word_exported_pipe_table_with_br_cells_and_crlf_is_a_table():
    # unseen13 m08: <br> in cells made the .md file look like HTML, and \r\n hid the rows
    from policy_extract import extract

    md = ("# 方案\r\n\r\n| 序号 | 重点任务 | 责任单位 |\r\n| --- | --- | --- |\r\n"
          "| 1 | 打造集聚区。<br>给予奖励50万元。 | 市商务局<br>市文化和旅游局 |\r\n"
          "| 2 | 提升街区。 | 市城市管理局 |\r\n")
    src = load_bytes(md.encode("gb18030"), doc_id="t", path="t.md")
    assert src.format == "markdown"
    assert "1 打造集聚区。 给予奖励50万元。 责任单位：市商务局 市文化和旅游局" in src.body.split("\n")
    rec = extract(md)
    assert [m["title"] for m in rec["measures"] if m["label"]] == ["打造集聚区", "提升街区"]
    assert [(u["text"], u["measure"]) for u in rec["units"]] == [
        ("市商务局", "1"), ("市文化和旅游局", "1"), ("市城市管理局", "2")]


def _txt(text: str):
    """``text`` ingested as a UTF-8 .txt file (the form of the real scrapes)."""
    return load_bytes(text.encode("utf-8"), doc_id="t", path="t.txt")


# -- tables scraped one cell per line -------------------------------------------------------
_CELL_TABLE = (
    "惠企政策清单\n"
    "现将政策公布如下，企业可向责任单位咨询。\n"
    "序号\n政策名称\n政策内容\n兑现方式\n责任单位\n"
    "1\n稳产奖励\n对产值增长15%以上的企业，给予1%的奖励，单户最高20万元。\n"
    "企业申报，县区审核，市级兑现\n市工信局、市财政局\n"
    "2\n培育奖励\n对首次入规的企业，一次性奖励10万元。\n免申即享\n市工信局、市统计局\n"
    "3\n绿色制造奖励\n对新获评绿色工厂的，奖励30万元；对节能量达到1000吨标准煤以上的项目，单个项目不超过"
)


def test_a_table_scraped_one_cell_per_line_is_read_as_rows():
    src = _txt(_CELL_TABLE)
    lines = src.body.split("\n")
    assert "序号 政策名称 政策内容 兑现方式 责任单位" in lines
    assert ("1 稳产奖励 对产值增长15%以上的企业，给予1%的奖励，单户最高20万元。 "
            "企业申报，县区审核，市级兑现 责任单位：市工信局、市财政局") in lines
    # the page cut the last row off: what it has is kept, and its text is no unit cell
    assert lines[-1].startswith("3 绿色制造奖励 对新获评绿色工厂的") and "责任单位：" not in lines[-1]
    _assert_map_ok(src, skip="责任单位：")


def test_rows_of_a_cell_per_line_table_are_measures_with_their_units():
    from policy_extract import extract

    rec = extract(_CELL_TABLE)
    assert [(m["label"], m["title"]) for m in rec["measures"] if m["label"]] == [
        ("1", "稳产奖励"), ("2", "培育奖励"), ("3", "绿色制造奖励")]
    assert [(u["text"], u["measure"]) for u in rec["units"]] == [
        ("市工信局", "1"), ("市财政局", "1"), ("市工信局", "2"), ("市统计局", "2")]


@pytest.mark.parametrize("text", [
    "序号\n名称\n1\n稳产奖励\n",                       # one header cell after 序号: no table
    "序号\n政策名称\n政策内容\n对企业给予奖励。\n1\n稳产奖励\n",  # a sentence is no header cell
    "第一条 序号为1的企业\n2\n3\n",
])
def test_lines_that_are_not_a_cell_table_are_left_alone(text):
    src = _txt(text)
    assert src.body == text


_BROKEN_CELLS = ("序号\n政策名称\n政策内容\n兑现方式\n责任单位\n"
                 "1\n设备补助\n按设备投资额的8%给予补助,\n单个项目最高不超过300万元。\n企业申报\n市工业和信息化局\n"
                 "2\n贷款贴息\n按利率的50%给予贴息。\n企业申报\n市财政局\n市地方金融管理局\n"
                 "3\n绿色奖励\n按每吨标准煤200元给予奖励。\n免申即享\n市发展改革委\n")


@pytest.mark.parametrize("text", [
    _BROKEN_CELLS,  # unseen19 r04: a <br> in the unit cell and in a content cell
    _BROKEN_CELLS.replace("\n", "\n\n"),  # a scraper writing a blank line after every block
], ids=["broken-cells", "blank-lines"])
def test_a_unit_cell_broken_over_lines_keeps_all_its_organs(text):
    from policy_extract import extract

    rec = extract(text)
    assert [(m["label"], m["title"]) for m in rec["measures"] if m["label"]] == [
        ("1", "设备补助"), ("2", "贷款贴息"), ("3", "绿色奖励")]
    assert [(u["text"], u["measure"]) for u in rec["units"]] == [
        ("市工业和信息化局", "1"), ("市财政局", "2"), ("市地方金融管理局", "2"), ("市发展改革委", "3")]


_PHONE_AFTER_UNITS = ("序号\n政策名称\n政策内容\n兑现方式\n主管部门\n联系电话\n"
                      "1\n稳产奖励\n对产值增长的企业给予奖励。\n免申即享\n市工业和信息化局\n0856-5223101\n"
                      "2\n入规奖励\n对新纳入统计的企业奖励10万元。\n免申即享\n市工业和信息化局\n市统计局\n"
                      "0856-5223146\n"
                      "3\n个转企奖励\n对个体工商户转为企业的奖励1万元。\n企业申报\n市市场监管局\n0856-5223188\n")


@pytest.mark.parametrize("text", [
    _PHONE_AFTER_UNITS,  # unseen23 c04 (责任单位 then 联系电话), unseen21 a05 (主管部门)
    _PHONE_AFTER_UNITS.replace("\n", " "),  # the same page with its line breaks lost (3 个 → 3个)
], ids=["cells", "one-line"])
def test_a_unit_cell_broken_over_lines_before_a_phone_column_keeps_its_organs(text):
    from policy_extract import extract

    rec = extract(text)
    assert [(m["label"], m["title"]) for m in rec["measures"] if m["label"]] == [
        ("1", "稳产奖励"), ("2", "入规奖励"), ("3", "个转企奖励")]
    assert [(u["text"], u["measure"]) for u in rec["units"]] == [
        ("市工业和信息化局", "1"), ("市工业和信息化局", "2"), ("市统计局", "2"), ("市市场监管局", "3")]


_LEAD_AND_MEMBER_CELLS = (
    "序号\n工作任务\n牵头单位\n责任单位\n完成时限\n"
    "1\n开展消费季活动。发放消费券不少于1500万元。\n市商务局\n市财政局\n"
    "各乡镇人民政府、街道办事处\n2026年12月底前\n"
    "2\n促进汽车消费。每辆车最高5000元。\n市商务局\n市公安局交通警察大队\n"
    "国家税务总局开原市税务局\n2026年6月30日前\n"
    "3\n支持家电以旧换新。\n市商务局\n市市场监督管理局、市财政局\n2026年9月底前\n"
    "4\n推动县域商业体系建设。\n市商务局\n各乡镇人民政府\n市供销合作社\n2026年11月底前\n"
    "注：牵头单位负责统筹推进，责任单位按职责分工抓好落实。\n")


def test_a_member_cell_broken_over_lines_keeps_the_lead_cell_before_it():
    # unseen38 r304: a 分工 table with two unit columns; a row with more lines than columns
    # broke its last unit cell (责任单位), the 牵头单位 cell before it is one line
    from policy_extract import extract

    rec = extract(_LEAD_AND_MEMBER_CELLS)
    got = [(u["text"], u["measure"], u["role"]) for u in rec["units"]]
    assert got == [
        ("市商务局", "1", "lead"), ("市财政局", "1", "member"), ("各乡镇人民政府", "1", "member"),
        ("街道办事处", "1", "member"),
        ("市商务局", "2", "lead"), ("市公安局交通警察大队", "2", "member"),
        ("国家税务总局开原市税务局", "2", "member"),
        ("市商务局", "3", "lead"), ("市市场监督管理局", "3", "member"), ("市财政局", "3", "member"),
        ("市商务局", "4", "lead"), ("各乡镇人民政府", "4", "member"), ("市供销合作社", "4", "member"),
    ]  # (the closing note names roles, no organs)
    # the last row runs to the note under the table: its date cell is its own
    assert [(d["text"], d["measure"]) for d in rec["dates"]][-1] == ("2026年11月底前", "4")


def test_a_run_in_row_whose_cells_ran_together_keeps_its_unit_cell():
    # unseen21 a04 with its line breaks lost: 奖励 50万元 → 奖励50万元 once stray spaces go,
    # so the row has a cell fewer than its header; a content cell's 企业 are no units
    from policy_extract import extract

    text = ("序号 政策事项 支持内容 支持标准 责任单位 "
            "1 设备补助 按设备投资额的10%给予补助 最高300万元 市工业和信息化局 "
            "2 绿色工厂奖励 对新获评国家级、省级绿色工厂的企业,分别奖励 40万元、20万元 市生态环境局 "
            "3 小巨人奖励 对新认定的国家级专精特新“小巨人”企业、省级专精特新中小企业,分别给予一次性奖励 "
            "50万元、10万元 市工业和信息化局 市财政局 4 培训补贴 按每人1500元给予补贴")
    rec = extract(text)
    assert [m["label"] for m in rec["measures"] if m["label"]] == ["1", "2", "3", "4"]
    assert [(u["text"], u["measure"]) for u in rec["units"]] == [
        ("市工业和信息化局", "1"), ("市生态环境局", "2"), ("市工业和信息化局", "3"), ("市财政局", "3")]


def test_a_traditional_script_cell_table_is_read_with_its_unit_column():
    # unseen19 r07: a mirror site's 序號 / 責任單位 header (tables are read before t2s)
    from policy_extract import extract

    text = ("序號\n支持事項\n支持標準\n責任單位\n1\n境外展會補助\n每家企業不超過5萬元\n市商務局\n"
            "2\n外貿增量獎勵\n單家企業最高60萬元\n市商務局、市財政局\n")
    rec = extract(text)
    assert [(m["label"], m["title"]) for m in rec["measures"] if m["label"]] == [
        ("1", "境外展会补助"), ("2", "外贸增量奖励")]
    assert [(u["text"], u["measure"]) for u in rec["units"]] == [
        ("市商务局", "1"), ("市商务局", "2"), ("市财政局", "2")]


def test_a_cell_table_header_with_pinyin_annotations_is_still_a_header():
    # real_022's mirror annotates characters anywhere (業(yè), 責(zé)): header cells too
    from policy_extract import extract

    text = ("序(xù)號\n政(zhèng)策名稱\n政策內容\n責(zé)任單位\n1\n技改補貼\n對設備投資給予補助。\n"
            "市工信局\n2\n外貿獎勵\n對出口企業給予獎勵。\n市商務局\n")
    rec = extract(text)
    assert [(m["label"], m["title"]) for m in rec["measures"] if m["label"]] == [
        ("1", "技改补贴"), ("2", "外贸奖励")]
    assert [(u["text"], u["measure"]) for u in rec["units"]] == [("市工信局", "1"), ("市商务局", "2")]
    assert "序号 政策名称 政策内容 责任单位\n" in rec["text"]


def test_a_cell_table_without_a_number_column_is_read_from_its_column_words():
    # unseen18 h04: the header has no 序号; the numbers are an extra first cell
    text = ("清单公布如下。\n政策名称\n支持内容\n兑现方式\n责任单位\n"
            "1\n增产奖励\n对企业给予最高30万元奖励。\n免申即享\n市工业和信息化局\n"
            "2\n入规奖励\n给予一次性奖励20万元。\n企业申报\n市工业和信息化局、市统计局\n")
    lines = _txt(text).body.split("\n")
    assert "政策名称 支持内容 兑现方式 责任单位" in lines
    assert "2 入规奖励 给予一次性奖励20万元。 企业申报 责任单位：市工业和信息化局、市统计局" in lines


def test_a_category_column_of_a_cell_table_tags_the_first_row_of_each_group():
    # unseen18 h05: 政策类别 / 序号 / …; a group's category cell stands before its first row
    from policy_extract import extract

    text = ("政策类别\n序号\n政策事项\n政策内容\n实施部门\n"
            "减轻经营负担\n1\n减免租金\n租金减半收取。\n市国资委\n"
            "2\n缓缴水电费\n免收滞纳金。\n市发展改革委\n"
            "稳定就业岗位\n3\n吸纳就业补贴\n按每人1500元给予补贴。\n市人力资源社会保障局\n")
    src = _txt(text)
    lines = src.body.split("\n")
    assert "1 【减轻经营负担】 减免租金 租金减半收取。 实施部门：市国资委" in lines
    assert "2 缓缴水电费 免收滞纳金。 实施部门：市发展改革委" in lines
    assert "3 【稳定就业岗位】 吸纳就业补贴 按每人1500元给予补贴。 实施部门：市人力资源社会保障局" in lines
    i = src.body.index("【稳定就业岗位】")  # the tag maps back to its cell, before the number
    assert [text[src.body_map[j]] for j in range(i + 1, i + 7)] == list("稳定就业岗位")
    assert src.body_map[i + 1] < src.body_map[i - 2]  # (offsets go back there, as a rowspan's)
    rec = extract(text)
    assert [(m["label"], m["title"]) for m in rec["measures"] if m["label"]] == [
        ("1", "减免租金"), ("2", "缓缴水电费"), ("3", "吸纳就业补贴")]
    assert [(u["text"], u["measure"]) for u in rec["units"]] == [
        ("市国资委", "1"), ("市发展改革委", "2"), ("市人力资源社会保障局", "3")]


def test_a_category_column_after_the_number_of_a_cell_table_is_written_as_tags():
    """序号 / 政策类别 / 政策名称 / 扶持内容 / 兑现部门 (unseen70 x704): the category cells are
    tags, so each row is titled by its name cell, as in a pipe table; a row with a unit cell
    broken over lines keeps its tag; 兑现部门 is a unit column."""
    from policy_extract import extract

    text = ("序号\n政策类别\n政策名称\n扶持内容\n兑现部门\n"
            "1\n落户奖励\n新引进项目落户奖励\n按注册资本的1%给予奖励。\n开发区经济发展局\n"
            "2\n落户奖励\n总部企业落户奖励\n给予100万元奖励。\n开发区经济发展局\n"
            "3\n载体支持\n标准厂房租金补贴\n每平方米每月补贴8元。\n开发区经济发展局\n开发区财政局\n"
            "4\n产业扶持\n技术改造补助\n按8%给予补助。\n开发区经济发展局\n")
    lines = _txt(text).body.split("\n")
    assert lines[1].startswith("1 【落户奖励】 新引进项目落户奖励 ")
    assert lines[3].startswith("3 【载体支持】 标准厂房租金补贴 ")
    rec = extract(text)
    assert [m["title"] for m in rec["measures"] if m["label"]] == [
        "新引进项目落户奖励", "总部企业落户奖励", "标准厂房租金补贴", "技术改造补助"]
    assert ("开发区财政局", "3") in [(u["text"], u["measure"]) for u in rec["units"]]


_GROUP_ROWS = ("序号\n政策名称\n政策内容\n兑现方式\n责任单位\n联系电话\n"
               "一、稳工业\n"
               "1\n稳产奖励\n对产值增长12%以上的企业，单户最高40万元。\n免申即享\n市经信局\n0716-8451234\n"
               "2\n入规奖励\n奖励10万元。\n依申请\n市经信局\n市统计局\n0716-8451238\n"
               "二、促消费\n"
               "3\n汽车消费补贴\n按车价给予3000元补贴。\n依申请\n市商务局\n0716-8467701\n"
               "三、稳外贸\n"
               "4\n稳订单奖励\n单家企业最高30万元。\n依申请\n市商务局\n荆州海关\n0716-8467705\n")


_PAREN_GROUPS = str.maketrans({"一": "（一）", "二": "（二）", "三": "（三）"})


def _paren_groups(text: str) -> str:  # 一、稳工业 → （一）稳工业
    return "\n".join(ln[0].translate(_PAREN_GROUPS) + ln[2:] if ln[1:2] == "、" else ln
                     for ln in text.split("\n"))


@pytest.mark.parametrize("text", [
    _GROUP_ROWS,  # unseen26 f04: a one-cell row groups the rows after it
    _GROUP_ROWS.replace("\n", "\n\n"),  # a scraper writing a blank line after every block
    _paren_groups(_GROUP_ROWS),  # （一）稳工业
], ids=["group-rows", "blank-lines", "paren-labels"])
def test_group_rows_of_a_cell_table_are_headings_over_its_rows(text):
    from policy_extract import extract

    src = _txt(text)
    lines = [ln for ln in src.body.split("\n") if ln]
    g1, g2 = ("（一）稳工业", "（二）促消费") if "（一）" in text else ("一、稳工业", "二、促消费")
    assert lines[1] == g1  # before row 1, after the header
    assert "1 稳产奖励 对产值增长12%以上的企业，单户最高40万元。 免申即享 责任单位：市经信局 0716-8451234" in lines
    assert lines[lines.index(g2) + 1].startswith("3 汽车消费补贴")  # not a cell of row 2
    _assert_map_ok(src, skip="责任单位：")
    if "（一）" in text:
        return
    rec = extract(text)
    assert [m["id"] for m in rec["measures"] if m["label"]] == [
        "一", "一/1", "一/2", "二", "二/3", "三", "三/4"]
    assert [(u["text"], u["measure"]) for u in rec["units"]] == [
        ("市经信局", "一/1"), ("市经信局", "一/2"), ("市统计局", "一/2"), ("市商务局", "二/3"),
        ("市商务局", "三/4"), ("荆州海关", "三/4")]


@pytest.mark.parametrize("line", [
    "一、对一季度产值增长的企业，给予奖励",  # a sentence: a cell, not a group row
    "稳工业",  # no number: could be a cell broken over lines
])
def test_a_line_that_is_no_group_row_stays_a_cell(line):
    text = _GROUP_ROWS.replace("二、促消费", line)
    lines = _txt(text).body.split("\n")
    assert line not in lines


def test_a_cell_broken_over_two_lines_stays_in_its_row():
    text = ("序号\n事项\n内容\n责任单位\n1\n稳产奖励\n对企业给予奖励，\n最高20万元。\n市工信局\n"
            "2\n培育奖励\n奖励10万元。\n市统计局\n")
    lines = _txt(text).body.split("\n")
    # four lines, four header cells: the unit column closes the row
    assert "1 稳产奖励 对企业给予奖励， 最高20万元。 责任单位：市工信局" in lines
    assert "2 培育奖励 奖励10万元。 责任单位：市统计局" in lines


def test_an_html_page_is_still_html_with_a_markdown_like_table():
    page = "<html><body><p>通知</p><p>| 1 | 2 |</p></body></html>"
    assert load_bytes(page.encode("utf-8"), doc_id="t", path="t.md").format == "html"


def test_a_pipe_table_in_a_txt_file_is_read_as_markdown():
    text = "清单\n| 序号 | 事项 |\n|---|---|\n| 1 | 升级奖励 |\n"
    src = _txt(text)
    assert src.format == "markdown"
    assert "1 升级奖励" in src.body.split("\n")


@pytest.mark.parametrize("text", [
    "来源：甲市 | 发布时间：2024-01-02\n正文。\n",          # a byline with "|", no table
    "| 只有一行 | 没有分隔行 |\n| 第二行 | 也没有 |\n",
])
def test_pipes_without_a_delimiter_row_are_left_alone(text):
    src = load_bytes(text.encode("utf-8"), doc_id="t", path="t.md")
    assert "|" in src.body


def test_an_escaped_pipe_stays_inside_its_cell():
    text = "| 序号 | 事项 |\n| --- | --- |\n| 1 | A\\|B 奖励 |\n"
    src = load_bytes(text.encode("utf-8"), doc_id="t", path="t.md")
    assert "1 A\\|B 奖励" in src.body.split("\n")


def test_group_rows_of_a_table_run_in_on_one_line_hold_no_cell():
    # unseen26 f04 with its line breaks lost: 二、促消费 between rows 2 and 3 is no cell of
    # row 2 (it would shift the cells counted off the row's end), nor a bar before row 1
    from policy_extract import extract

    rec = extract(_GROUP_ROWS.replace("\n", " "))
    assert [(u["text"], u["measure"]) for u in rec["units"]] == [
        ("市经信局", "一/1"), ("市经信局", "一/2"), ("市统计局", "一/2"), ("市商务局", "二/3"),
        ("市商务局", "三/4"), ("荆州海关", "三/4")]


# unseen27 g04: 政策依据 merged over rows 1–3 (written in row 1 only), an empty phone cell
# written as `—` (row 3) or left out (row 4)
_SHORT_ROWS = ("序号\n政策名称\n政策内容\n政策依据\n责任单位\n联系电话\n"
               "1\n稳产奖励\n奖励10万元。\n《若干措施》（天政〔2026〕8号）\n市经信局\n0550-7021356\n"
               "2\n入规奖励\n奖励20万元。\n市经信局、市统计局\n0550-7021357\n"
               "3\n技改补助\n按投资额的8%补助。\n市经信局\n—\n"
               "4\n外贸奖励\n奖励5万元。\n《外贸措施》\n市国资委\n"
               "5\n稳岗返还\n返还60%。\n《稳岗通知》\n市人社局\n0550-7021399\n")


def test_a_short_row_whose_last_organ_stands_right_of_its_column_gives_no_unit():
    # 政策依据 / 责任单位 / 联系电话 / 备注: a short row ending in an organ in the 备注 column's
    # place (no unit cell before it) is not guessed
    text = ("序号\n政策名称\n责任单位\n联系电话\n备注\n"
            "1\n稳产奖励\n市经信局\n0550-7021356\n无\n"
            "2\n入规奖励\n0550-7021357\n市统计局\n"
            "3\n技改补助\n市财政局\n0550-7021358\n无\n")
    src = _txt(text)
    assert "2 入规奖励 0550-7021357 市统计局" in src.body.split("\n")


# unseen28 h207 row 4: an organ cell with a bracketed note, among cells broken over lines;
# unseen28 h204: a unit cell whose organs a comma separates too (read on one line)
_NOTED_ORGANS = ("序号\n政策名称\n政策内容\n兑现方式\n责任单位\n联系电话\n"
                 "1\n租金减免\n减免3个月租金。\n免申即享\n区国资委\n010-69443521\n"
                 "2\n个转企奖励\n奖励1万元。\n依申请\n区市场监管局\n各镇人民政府（街道办事处）\n010-69442195\n"
                 "3\n稳岗补贴\n按每人1500元补贴。\n依申请\n区人力社保局、区财政局，区税务局\n010-69441234\n"
                 "4\n融资补贴\n贴息50%。\n依申请\n区金融办\n010-69440316\n")


_UNIT_CELL_TABLES = {
    "short-rows": (_SHORT_ROWS, [("市经信局", "1"), ("市经信局", "2"), ("市统计局", "2"),
                                 ("市经信局", "3"), ("市国资委", "4"), ("市人社局", "5")]),
    "noted-organs": (_NOTED_ORGANS, [("区国资委", "1"), ("区市场监管局", "2"),
                                     ("各镇人民政府（街道办事处）", "2"), ("区人力社保局", "3"),
                                     ("区财政局", "3"), ("区税务局", "3"), ("区金融办", "4")]),
}


@pytest.mark.parametrize("one_line", [False, True], ids=["cells", "one-line"])
@pytest.mark.parametrize("name", sorted(_UNIT_CELL_TABLES))
def test_a_row_keeps_its_unit_cell_whatever_its_other_cells(name, one_line):
    """A row short of a merged or empty cell (short-rows), an organ cell with a bracketed note
    or a comma in its list (noted-organs): each row's units, cell per line or on one line."""
    from policy_extract import extract

    text, expected = _UNIT_CELL_TABLES[name]
    rec = extract(text.replace("\n", " ") if one_line else text)
    assert [(u["text"], u["measure"]) for u in rec["units"]] == expected


# unseen29 i206/i204: a cell that is a bare sum, and rows a PDF converter wrapped inside a cell
_SUM_CELLS_MD = ("# 措施\n\n（六）研发平台奖励：\n\n| 序号 | 研发平台类别 | 奖励标准 |\n| --- | --- | --- |\n"
                 "| 1 | 国家级企业技术中心 | 100万元 |\n| 2 | 市级企业技术中心 | 30万元 |\n"
                 "| 3 | 市级工程技术研究中心 | \n20万元 |\n"
                 "| 4 | 市级重点实验室 | 首次突破５０亿\n元 |\n\n（七）其他。\n")


def test_a_bare_sum_cell_stays_its_own_cell_and_a_wrapped_row_stays_one_row():
    from policy_extract import extract

    src = load_bytes(_SUM_CELLS_MD.encode("utf-8"), doc_id="t", path="t.md")
    lines = src.body.split("\n")
    assert "3 市级工程技术研究中心 20万元" in lines  # the wrap inside its last cell joined
    assert "4 市级重点实验室 首次突破５０亿元" in lines  # …and inside a word, without a space
    rec = extract(_SUM_CELLS_MD)
    rows = {m["id"]: m["title"] for m in rec["measures"]}
    assert rows["(六)/1"] == "国家级企业技术中心"  # not 国家级企业技术中心100万元
    assert rows["(六)/2"] == "市级企业技术中心"
    amounts = {a["text"]: a["measure"] for a in rec["amounts"]}
    assert amounts["20万元"] == "(六)/3"
    assert amounts["突破50亿元"] == "(六)/4"


@pytest.mark.parametrize("page", [
    "<table><tr><td>序号</td><td>平台名称</td><td>奖励标准</td></tr>"
    "<tr><td>1</td><td>国家级企业技术中心</td><td>100万元</td></tr>"
    "<tr><td>2</td><td>市级企业技术中心</td><td>30万元</td></tr></table>",
    "序号\n平台名称\n奖励标准\n1\n国家级企业技术中心\n100万元\n2\n市级企业技术中心\n30万元\n",
], ids=["html", "cells"])
def test_a_bare_sum_cell_is_no_part_of_the_name_cell_before_it(page):
    from policy_extract import extract

    rec = extract(page)
    assert [m["title"] for m in rec["measures"] if m["label"]] == ["国家级企业技术中心", "市级企业技术中心"]
    assert [a["value"] for a in rec["amounts"]] == [1000000, 300000]


def test_a_stray_space_before_a_sum_in_prose_still_goes():
    from policy_extract import extract

    assert extract("对企业给予奖励 50万元。")["text"] == "对企业给予奖励50万元。"


def test_character_references_saved_as_text_are_decoded():
    """A scraper that saved a page's text without decoding it (unseen44 x404): complete
    references decode, each char mapping to its reference's "&"; R&D and &unknown; stay."""
    raw = "关于&ldquo;稳外资&rdquo;的措施&nbsp;&nbsp;R&D中心&#8220;一事一议&#x201D; &foo;"
    src = load_bytes(raw.encode("utf-8"), doc_id="t", path="t.txt")
    assert src.body == "关于“稳外资”的措施\xa0\xa0R&D中心“一事一议” &foo;"
    _assert_map_ok(src, skip="“”\xa0")
    assert src.raw[src.body_map[src.body.index("“")]] == "&"
    assert src.raw[src.body_map[src.body.index("稳")]] == "稳"


def test_a_category_header_over_a_column_naming_each_row_is_no_category():
    # batch 44 x402: | 序号 | 支持方向 | 支持标准 | — every row names its own 支持方向 and a
    # standard (a sentence) follows: the column is the rows' name, their title
    from policy_extract import extract

    md = ("# 细则\n\n| 序号 | 支持方向 | 支持标准 | 责任单位 |\n| --- | --- | --- | --- |\n"
          "| 1 | 首批次新材料奖励 | 按首年度销售总额的20%给予奖励，最高200万元 | 市工信局 |\n"
          "| 2 | 保险补偿 | 按年度实际保费的80%给予补贴，每年最高300万元 | 市财政局 |\n")
    src = load_bytes(md.encode("utf-8"), doc_id="t", path="t.md")
    assert "【" not in src.body
    rec = extract(md)
    assert [m["title"] for m in rec["measures"] if m["label"]] == ["首批次新材料奖励", "保险补偿"]
    # …while a column that groups its rows (left empty under a group's first row) is one
    grouped = ("# 清单\n\n| 序号 | 支持方向 | 支持标准 |\n| --- | --- | --- |\n"
               "| 1 | 产业基地 | 水果基地建设，每亩补助1500元。 |\n| 2 |  | 蚕桑基地提质，每亩补助800元。 |\n")
    assert "1 【产业基地】 水果基地建设，每亩补助1500元。" in load_bytes(
        grouped.encode("utf-8"), doc_id="g", path="g.md").body.split("\n")


def test_a_pipe_table_header_repeated_after_a_page_break_is_dropped():
    # batch 48 b488: the header row again after a page break continues the table; its
    # 责任单位 is no unit of the row before
    from policy_extract import extract

    md = ("# 措施\n\n| 序号 | 支持事项 | 支持标准 | 责任单位 |\n|---|---|---|---|\n"
          "| 1 | 博物馆建设 | 奖励20万元 | 市文物局 |\n| 2 | 非国有博物馆 | 奖励10万元， | |\n\n- 2 -\n\n"
          "| 序号 | 支持事项 | 支持标准 | 责任单位 |\n|---|---|---|---|\n"
          "| | | 1000平方米以上的奖励40万元 | 市文化和旅游局、市文物局 |\n| 3 | 志愿服务 | 奖励1万元 | 团市委 |\n")
    src = load_bytes(md.encode("utf-8"), doc_id="t", path="t.md")
    assert src.body.count("序号 支持事项") == 1
    units = [u["text"] for u in extract(md)["units"]]
    assert "责任单位" not in units and "市文化和旅游局" in units
