"""Normalizer behaviour on the corpus: noise gone, joins made, real breaks kept, offsets right.

Expected strings come from reading the corpus files and the issue text, not from runs.
"""
from __future__ import annotations

import contextlib
import io

import pytest
import regex

from _normalize_pack import CORPUS, PACK, corpus_file
from policy_extract.ingest import load
from policy_extract.normalize import normalize
from policy_extract.normalize import rules as rules_mod
from policy_extract.normalize.script import t2s

PINYIN = regex.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]+\)")
_CACHE: dict[str, object] = {}


def norm_of(prefix: str):
    if prefix not in _CACHE:
        _CACHE[prefix] = normalize(load(corpus_file(prefix)), pack=PACK)
    return _CACHE[prefix]


def lines_of(prefix: str) -> list[str]:
    return norm_of(prefix).text.split("\n")


def norm_text(text: str):
    return normalize(text, pack=PACK)


# -- shape ------------------------------------------------------------------------------
@pytest.mark.parametrize("path", sorted(CORPUS.iterdir()), ids=lambda p: p.name)
def test_shape_offsets_and_idempotence(path):
    src = load(path)
    n = normalize(src, pack=PACK)
    assert n.text and "\n\n" not in n.text and not n.text.startswith("\n")
    for ln in n.text.split("\n"):
        assert ln == ln.strip(" \u3000\xa0\t"), ln
    assert len(n.offsets) == len(n.text)
    assert all(a <= b for a, b in zip(n.offsets, n.offsets[1:], strict=False))
    full = t2s(src.raw)
    for i, ch in enumerate(n.text):
        o = n.offsets[i]
        assert 0 <= o < len(src.raw)
        if ch in " \n":
            continue
        raw = src.raw[o]
        assert ch in {raw, t2s(raw), full[o] if len(full) == len(src.raw) else raw,
                      raw.translate({0xFF05: "%"}), chr(ord(raw) - 0xFEE0) if "\uff01" <= raw <= "\uff5e" else raw,
                      "." if raw in "．﹒" else raw}, (i, ch, raw)
    again = normalize(n.text, pack=PACK)
    assert again.text == n.text


@pytest.mark.parametrize("prefix,script", [
    ("000_", "simplified"), ("001_", "simplified"), ("002_", "traditional"), ("003_", "traditional"),
    ("004_", "simplified"), ("real_003", "traditional"), ("real_004", "simplified"),
    ("real_017", "mixed"), ("real_022", "traditional"), ("real_030", "traditional"),
    ("real_035", "traditional"), ("real_033", "simplified"), ("real_026", "simplified"),
])
def test_script_of_the_original(prefix, script):
    assert norm_of(prefix).script == script


_TRAD_HEAD = "克拉瑪依市人民政府 | 無障礙瀏覽 | 長者模式\n首頁 > 政務公開 > 政策事項清單\n克拉瑪依市支持中小企業高質量發展政策事項清單\n"
_SIMP_BODY = ("对2025年新增的用于生产经营的银行贷款，按实际支付利息的40%给予贴息。\n"
              "对首次认定的自治区级专精特新中小企业奖励20万元，国家级企业奖励100万元。\n") * 6


@pytest.mark.parametrize("text,script", [
    (_TRAD_HEAD + _SIMP_BODY, "mixed"),           # a mirror's traditional header over a simplified body
    (_SIMP_BODY, "simplified"),
    (_TRAD_HEAD * 3, "traditional"),
    (_SIMP_BODY + "臺灣地區企業參照執行。\n", "simplified"),  # one traditional line is a quote
    # a page that lost its line breaks (unseen19 r05, unseen23 c07): its spaces stand where
    # the breaks were, and a header's menu entries count together
    ((_TRAD_HEAD + _SIMP_BODY).replace("\n", " "), "mixed"),
    (_SIMP_BODY.replace("\n", " "), "simplified"),
    ((_SIMP_BODY + "臺灣地區企業參照執行。\n").replace("\n", " "), "simplified"),
])
def test_a_few_lines_of_each_script_make_a_page_mixed(text, script):
    assert normalize(text, pack=PACK).script == script


def test_related_links_run_on_at_the_end_of_a_one_line_page_go():
    # unseen19 r10: a page that lost its breaks ends in 相关文件: headlines (one held a quarter)
    body = "七、本措施自2025年10月15日起施行。" + "对企业给予奖励，" * 40 + "由经济发展局负责解释。"
    tail = " 漯河经济技术开发区管理委员会 2025年10月11日 附件:申报表"
    text = normalize(body + tail + " 相关文件: 漯河市若干政策 漯河经开区2025年第三季度", pack=PACK).text
    assert text.endswith("附件:申报表") and "第三季度" not in text
    # a short line, or a heading early in the line, is no such tail
    assert "相关文件:" in normalize("附件:申报表 相关文件: 某市若干政策", pack=PACK).text
    # the heading alone between spaces, as a news page writes it (unseen20 s06, lines lost)
    news = body + " （责任编辑：刘洋） 相关新闻 我区首轮500万元餐饮消费券今日开抢 2025-04-15"
    assert normalize(news, pack=PACK).text.endswith("（责任编辑：刘洋）")
    prev = body + " 责任编辑：张丽 上一篇：普洱市召开咖啡产业推进会 下一篇：生豆收购价格同比上涨32%"
    assert normalize(prev, pack=PACK).text.endswith("责任编辑：张丽")
    # a print/close bar run on, and the footer after it (its 承办单位 is no unit) (unseen34 n308)
    bar = body + " 【打印本页】 【关闭窗口】 主办单位：温岭市人民政府办公室 承办单位：温岭市大数据发展中心"
    assert normalize(bar, pack=PACK).text.endswith("由经济发展局负责解释。")


def test_the_buttons_of_a_repost_page_are_furniture():
    """网易号/头条: 来源: 夹江发布 / 举报, a fold's 展开全文 (unseen72 z722, z725): the buttons go,
    so no line ends with one (来源: 夹江发布举报) and no item runs on through one."""
    raw = ("2026-04-18 15:32:07 来源: 夹江发布\n举报\n夹府发〔2026〕5号\n（一）对企业给予奖励10万元；\n"
           "展开全文\n（二）年产值1亿元至5亿元的，奖励20万元。\n关注\n")
    lines = normalize(raw, pack=PACK).text.split("\n")
    assert lines[0] == "2026-04-18 15:32:07 来源: 夹江发布"
    assert not {"举报", "展开全文", "关注"} & set(lines)


def test_a_page_footer_after_a_repeated_print_bar_goes_whole():
    # a page may repeat its 【打印本页】【关闭窗口】 bar and footer links: every footer line goes
    body = "本措施自2026年4月1日起施行。\n"
    foot = ("【打印本页】【关闭窗口】\n相关文件：某市外贸运行情况通报\n主办单位：某市人民政府办公室\n"
            "【打印本页】【关闭窗口】\n主办单位：某市人民政府办公室\n网站标识码：1234567890\n")
    assert normalize(body + foot, pack=PACK).text == body.strip()
    # a bar under the title, before the body, leaves the body
    top = "关于印发某市若干措施的通知\n【打印本页】【关闭窗口】\n" + body
    assert normalize(top + foot, pack=PACK).text.endswith("2026年4月1日起施行。")
    assert "关于印发某市若干措施的通知" in normalize(top + foot, pack=PACK).text
    # a footer line of label：value runs goes however long it is (unseen28 h202: 95 characters)
    long_foot = ("【打印本页】【关闭窗口】\n主办单位：五常市人民政府办公室 承办单位：五常市政务服务中心 "
                 "地址：五常市五常镇和平街 网站标识码：2301840001 黑ICP备12001234号-1 技术支持：某网络科技有限公司\n")
    assert normalize(body + long_foot, pack=PACK).text == body.strip()
    # …but a long line of prose after the bar stays (the page's text goes on there)
    prose = ("【打印本页】【关闭窗口】\n附件：申报表 企业应于每年3月31日前提交申报材料，逾期不予受理，"
             "具体要求见附件说明和填报指南，请各企业认真阅读后按要求填写并加盖公章，由所在镇街审核后统一报送市工业和信息化局汇总\n")
    assert "逾期不予受理" in normalize(body + prose, pack=PACK).text


# -- noise that must be gone --------------------------------------------------------------
def test_seeds_002_003_simplified_without_pinyin():
    for prefix in ("002_", "003_", "real_022"):
        text = norm_of(prefix).text
        assert not PINYIN.search(text), PINYIN.search(text)
        assert t2s(text) == text
    assert "人民网" in lines_of("002_")
    assert "福建省出台具体措施:合力抓工业 全力稳增长" in lines_of("002_")
    assert "?zé)" not in norm_of("real_022").text and "藏任单位" in norm_of("real_022").text


@pytest.mark.parametrize("prefix,gone", [
    ("001_", ["当前位置", "星期四"]),
    ("002_", ["小字号", "分享让更多人看到", "返回顶部", "责编"]),
    ("003_", ["浏 览", "网友评论", "文明上网", "编辑:杜莉"]),
    ("000_", ["返回首页", "http", "](", "layout", "quanzhouwanbao"]),
    ("004_", ["#", "**"]),
    ("real_006", ["扫码查看政策文件"]),
    ("real_017", ["智能问答", "当前位置"]),
    ("real_033", ["点赞", "收藏", "转发"]),
    ("real_035", ["下载APP", "遗产税", "文章标签", "上一篇", "下一篇"]),
])
def test_furniture_gone(prefix, gone):
    text = norm_of(prefix).text
    for g in gone:
        assert g not in text, g


@pytest.mark.parametrize("prefix,kept", [
    ("003_", "来源:荆门市经信局"),
    ("000_", "（文章来源：泉州晚报）"),
    ("001_", "来源: 三门峡市市场监督管理局"),
    ("001_", "发布日期: 2022-05-27 16:39"),
    ("002_", "原标题:合力抓工业 全力稳增长"),
])
def test_metadata_lines_kept(prefix, kept):
    assert kept in lines_of(prefix)


# -- joins that must happen ----------------------------------------------------------------
@pytest.mark.parametrize("prefix,joined", [
    ("001_", "按其上年度技术合同成交额给予最高10%不超过100万元的后补助"),
    ("001_", "争取到2022年底,培育成立"),
    ("001_", "力争2022年底实现全市"),
    ("001_", "着力促进工业经济平稳增长,结合我市实际"),
    ("001_", "各县(市、区)人民融 经开区管委会"),
    ("001_", "确保工业技改投资"),
    ("004_", "各县（市）区政府、高新区管委会\n本措施有效期至2024年12月31日"),
    ("004_", "《关于印发福州市技术改造项目融资贷款贴息实施方案的通知》"),
    ("004_", "“党企新时空·政企直通车”平台作用"),
    ("real_003", "\n关于印发《怀化市贯彻落实〈关于打好经济增长主动仗实现经济运行整体好转的若干政策措施〉实施方案》的通知\n"),
    ("real_003", "\n怀化市贯彻落实《关于打好经济增长主动仗实现经济运行整体好转的若干政策措施》实施方案\n"),
    ("real_009", "市级重大技术改造标杆项目,充分发挥"),
    ("real_009", "培育产值过100亿元的龙头骨干企业、在行业中具有引领作用的“领航型”企业"),
    ("real_009", "《关于加大技术改造投入加快推进传统产业转型升级的实施方案》"),
    ("real_018", "签订合同的中小企业,确因疫情影响"),
    ("real_018", "对租用其他经营用房的"),
    ("real_018", "参照国有资产类"),
    ("real_018", "(市人力资源社会保障局牵头"),
])
def test_joins(prefix, joined):
    assert joined in norm_of(prefix).text


def test_seed_001_has_no_break_inside_a_sentence():
    rules = rules_mod.rules_for(PACK)
    lines = lines_of("001_")
    header = {"关于促进工业经济平稳增长的通知", "发布日期: 2022-05-27 16:39",
              "来源: 三门峡市市场监督管理局"}
    for ln in lines[:-1]:
        if ln in header or ln.startswith("责任单位") or rules.label_at(ln) and len(ln) < 20:
            continue
        assert regex.search(r"[。:：)]$", ln), ln
    assert not any(ln == "会" for ln in lines_of("004_"))


def test_a_wrap_after_a_closing_bracket_joins_a_line_opening_with_de():
    """…示范企业（平台） / 的，分别给予… (a PDF wrap, unseen103 e1032): a line ending in a bracket
    ends no sentence when the next opens with 的; a heading ending in a bracket keeps its line."""
    raw = ("第二条 对首次获评国家级工业设计中心的企业给予奖励，对获评\n"
           "省级工业设计中心的企业给予奖励，奖励资金由县财政安排支出\n"
           "第三条 对新认定为国家级、省级服务型制造示范企业（平台）\n"
           "的，分别给予一次性奖励100万元、50万元；对新认定的市级示范\n"
           "企业给予一次性奖励20万元，所需资金由县工业发展资金列支。\n"
           "第四条 支持工业设计（县工业和信息化局牵头）\n"
           "对获得国家级设计大赛奖项的企业给予奖励，奖励资金由县财政\n"
           "安排支出，具体标准另行制定，由县工业和信息化局负责解释。\n")
    text = normalize(raw, pack=PACK).text
    assert "示范企业（平台）的，分别给予" in text
    assert "（县工业和信息化局牵头）\n对获得" in text


# -- breaks that must stay -----------------------------------------------------------------
def test_a_page_clock_opening_a_page_that_lost_its_line_breaks_goes():
    """2026年05月10日 星期日 稍岗镇人民政府 首页 … (a one-line scrape, unseen106 h1065): the site's
    clock goes as its own line does; a meeting date with its weekday inside a sentence stays."""
    body = "稍岗镇人民政府 首页 政务公开 " + "对新认定的省级专精特新企业给予一次性奖励10万元。" * 12
    text = normalize("2026年05月10日 星期日 " + body, pack=PACK).text
    assert text.startswith("稍岗镇人民政府 首页") and "2026年05月10日" not in text
    kept = normalize("会议定于2026年9月3日 星期四 召开。" + body, pack=PACK).text
    assert kept.startswith("会议定于2026年9月3日")


def test_a_pointing_down_emoji_ending_a_line_keeps_the_break_as_a_colon():
    """…小编带你一文读懂👇 / 为帮助企业… (a WeChat lead-in, unseen104 f1048): the emoji says "see
    below:"; deleted like other emoji it left the line open and the wrap join ran the two
    paragraphs together. Inside a line it is deleted as before."""
    raw = ("企业用电、用气、物流、用工、融资……成本怎么降？哪些补贴可以申请？小编带你一文读懂👇\n"
           "为帮助企业用足用好政策，海陵区发展和改革委员会会同有关部门对现行政策进行了梳理。\n"
           "点击下方👇链接查看原文，或扫描二维码⬇️\n"
           "申报时间为2026年7月1日至7月31日，逾期不予受理，请各企业及时申报。\n")
    norm = normalize(raw, pack=PACK)
    assert "一文读懂：\n为帮助企业" in norm.text
    assert "点击下方链接查看原文，或扫描二维码：\n申报时间" in norm.text
    at = norm.text.index("：\n为帮助")
    assert raw[norm.to_source(at, at + 1)[0]] == "👇"


def test_numbered_items_and_field_lines_start_lines():
    lines = lines_of("001_")
    for label in ["一、", "二、", "三、"] + [f"({n})" for n in "一二三四五六七八九十"] + [
            "(十一)", "(十二)", "(十三)"]:
        assert any(ln.startswith(label) for ln in lines), label
    assert sum(ln.startswith("责任单位:") for ln in lines) == 12  # (十三) has none
    assert lines[:4] == ["关于促进工业经济平稳增长的通知", "发布日期: 2022-05-27 16:39",
                         "来源: 三门峡市市场监督管理局", "关于促进工业经济平稳增长的通知"]
    four = lines_of("004_")
    for h in ["一、鼓励工业企业增产增效", "九、帮助企业融资纾困", "十、加快政策落地见效",
              "福州市人民政府办公厅", "2024年1月22日", "榕政办规〔2024〕5号"]:
        assert h in four, h
    assert sum(ln.startswith("责任单位：") for ln in four) == 10


@pytest.mark.parametrize("prefix,line", [
    ("real_004", "(一)县域工业经济发展奖"),
    ("real_004", "第六条 表彰奖励范围和要求"),
    ("real_004", "中共天水市委办公室 天水市人民政府办公室"),
    ("real_033", "扬州经开区关于加快制造业智能化改造数字化转型网络化联接的若干措施"),
    ("real_033", "一、全面深化智改数转网联试点示范"),
    ("real_026", "辽阳市小微企业、个体工商户扶持政策事项清单"),
    ("real_026", "政策类别 序号 扶持政策事项 政策内容 政策依据 实施部门"),
    ("real_009", "【政策落实单位】市工信局、市财政局"),
    ("real_035", "《驻沪专电》上海将建立规上工业企业培育库"),
    ("real_030", "汽车购买消费券补贴标准:"),
    ("real_017", "韶关市人民政府"),
    ("real_037", "1.固定资产投资补助。"),
])
def test_lines_kept_whole(prefix, line):
    assert line in lines_of(prefix)


def test_table_rows_start_lines_and_keep_cell_spaces():
    lines = lines_of("real_026")
    assert any(ln.startswith("2 对疫情防控重点保障企业贷款") for ln in lines)
    text = norm_of("real_026").text
    assert "(共48项) 1 建立复工复产帮扶机制 畅通24小时" in text


def test_pages_without_breaks_keep_their_spaces():
    assert "沈政发〔2025〕3号 各区、县(市)人民政府" in norm_of("real_025").text
    assert "第二条 本办法适用于" in norm_of("real_013").text


# -- characters and spaces ---------------------------------------------------------------------
@pytest.mark.parametrize("raw,expect", [
    ("对春节期间（2024 年 2 月 1 日至 2 月 29 日）用电量达 50 万千瓦时", "对春节期间（2024年2月1日至2月29日）用电量达50万千瓦时"),
    ("一季度总产值达 5000 万元及以上，市财政再给予 50% 的配套奖励", "一季度总产值达5000万元及以上，市财政再给予50%的配套奖励"),
    ("２０２４年ＡＢ类企业增长１３．９％", "2024年AB类企业增长13.9%"),
    ("发布时间:2023-03-15 09:28", "发布时间:2023-03-15 09:28"),
    ("合力抓工业\u3000\u3000全力稳增长", "合力抓工业 全力稳增长"),
    ("\u3000\u3000为认真贯彻落实，\xa0", "为认真贯彻落实，"),
    ("（一）“万人助万企”《通知》：", "（一）“万人助万企”《通知》："),
    ("國家統一組織", "国家统一组织"),
    ("人民網(wǎng)記者", "人民网记者"),
    ("發(fā)展長(zhǎng)期", "发展长期"),
    ("一(yī)、總體要求", "一、总体要求"),
    ("成熟度评估(CMMM)的企业", "成熟度评估(CMMM)的企业"),
    ("按5年期LPR(贷款市场报价利率)给予", "按5年期LPR(贷款市场报价利率)给予"),
    ("投资规划科(0471-4609232)", "投资规划科(0471-4609232)"),
    ("经济通新闻 2022-09-28 13:28", "经济通新闻 2022-09-28 13:28"),
    # a space before a year ends a cell or a signature (unseen3 w06, real_013): it stays
    ("6 申报时间 2024年3月1日至4月15日集中受理", "6 申报时间 2024年3月1日至4月15日集中受理"),
    ("兴宁市人民政府 2023年9月25日", "兴宁市人民政府 2023年9月25日"),
    ("本细则自 2025 年 7 月 1 日起施行", "本细则自2025年7月1日起施行"),  # Word spacing
    ("产值达 2024 万元", "产值达2024万元"),
    # a row number between two cells of a table run in on one line stays apart (a count
    # keeps its unit: 达 3 家 → 达3家)
    ("责任单位 备注 1 外贸稳增长奖励 对企业", "责任单位 备注 1 外贸稳增长奖励 对企业"),
    ("市商务局 8 “小升规”奖励", "市商务局 8 “小升规”奖励"),
    ("新增企业达 3 家", "新增企业达3家"),
    # a label whose item opens with a year (unseen20 s01 read as one line)
    ("三、降低企业要素成本 5.2025年5月1日起", "三、降低企业要素成本 5.2025年5月1日起"),
    ("增速达 5.2%", "增速达5.2%"),
    # a scan's O or l inside a number (unseen11 q07); letters next to letters stay
    ("单个基地最高不超过5O万元。", "单个基地最高不超过50万元。"),
    ("补助1l0万元", "补助110万元"),
    ("單個基地最高不超過5O萬元。", "单个基地最高不超过50万元。"),  # a mirror's traditional glyphs
    ("按设备投资额的30 %给予补助", "按设备投资额的30%给予补助"),  # Word spacing (unseen14)
    # a stray space inside a sum: no number starts with 0 (unseen18 h02, h09)
    ("奖励5 000万元，另给1 00万元、5 0万元", "奖励5000万元，另给100万元、50万元"),
    ("3 0.5", "3 0.5"),  # two cells stay two cells
    # a year range in a table's last cell stays its own cell (unseen16 h01)
    ("市人社局 2026—2028年", "市人社局 2026—2028年"),
    ("市人社局 2026至2028年", "市人社局 2026至2028年"),
    ("通过ISO9001认证，COVID19疫情", "通过ISO9001认证，COVID19疫情"),
    # a written date or clock ends a byline field: the lost line break after it stays a space
    # (unseen14 k01 read as one line: the title after it is no unit of the date)
    ("发布日期：2026-03-20 百色市人民政府办公室关于印发…的通知", "发布日期：2026-03-20 百色市人民政府办公室关于印发…的通知"),
    ("2024-08-26 08:47 万众瞩目", "2024-08-26 08:47 万众瞩目"),
    ("2026-05-22 点击数：437", "2026-05-22 点击数：437"),
    # a phone cell after a unit cell (unseen28 h207: a 3-digit area code), a mobile number
    ("免申即享 区国资委 010-69443521 2 融资担保费补贴", "免申即享 区国资委 010-69443521 2 融资担保费补贴"),
    ("联系人 13912345678", "联系人 13912345678"),
    # a pinyin annotation between a digit and a full-width full stop: a decimal point once
    # the annotation goes (hypothesis found '5(wǎng)．' normalized twice to two texts)
    ("补贴1(yī)．5万元", "补贴1.5万元"),
    # emoji are pictures: a label after one starts its line again; text bullets stay
    ("✅一、支持民宿集群建设。\n✅二、支持品牌。", "一、支持民宿集群建设。\n二、支持品牌。"),
    ("### 01 发放文旅消费券🎫", "### 01 发放文旅消费券"),
    ("❤️爱心助农 👍🏻", "爱心助农"),
    # a picture whose default is text style (🏘, 🗓) is one too, selector or not (unseen43 w402)
    ("🏘 四、社区居家养老服务\n🗓 申报时间：每年3月", "四、社区居家养老服务\n申报时间：每年3月"),
    ("▶ 重点项目 ● 每亩补贴100元 ★", "▶ 重点项目 ● 每亩补贴100元 ★"),
    # a digit's keycap is a label: its mark is the space after it, glued or not (unseen57 k571)
    ("1\ufe0f\u20e3住宿券：满400元减100元\n2\ufe0f\u20e3 餐饮券", "1 住宿券：满400元减100元\n2 餐饮券"),
    ("#\ufe0f\u20e3话题", "#话题"),
])
def test_characters_and_spaces(raw, expect):
    assert norm_text(raw).text == expect


def test_mojibake_is_kept_and_reported():
    n = norm_of("003_")
    assert "可??刹煌F髽I不停产" in n.text
    w = [w for w in n.warnings if w.code == "W301"]
    assert w and "??" in n.text[w[0].start:w[0].end]
    n = norm_text("企业\ufffd\ufffd发展资金。")
    assert n.text == "企业\ufffd\ufffd发展资金。" and [w.code for w in n.warnings] == ["W301"]
    assert not norm_text("最新遗产税怎么算?传承必知重点有哪些?").warnings


def test_explain_steps_count_changes():
    steps = {s["step"]: s for s in norm_of("002_").steps}
    assert steps["t2s"]["changes"] > 300
    assert steps["pinyin"]["changes"] >= 240 and steps["pinyin"]["examples"]
    assert steps["lines"]["changes"] >= 4
    assert len(steps["t2s"]["examples"]) <= 5


def test_cli_prints_text_and_explains(monkeypatch):
    from policy_extract.cli import main

    monkeypatch.setattr(rules_mod, "default_pack", lambda *a: PACK)
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        rc = main(["normalize", str(corpus_file("002_")), "--explain"])
    out = buf.getvalue()
    assert rc == 0
    assert out.startswith("人民网\n人民网\n福建省出台具体措施")
    assert "# pinyin" in out and "# t2s" in out and "script=traditional" in out
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        assert main(["normalize", "/nonexistent/x.txt"]) == 1
    assert "E101" in err.getvalue() and "x.txt" in err.getvalue()


def test_pattern_examples_of_normalize_yaml():
    from policy_extract.normalize import run_normalize
    from policy_extract.patterns.examples import check

    spec = PACK.field("normalize")
    n = 0
    for pat in spec.patterns.values():
        for ex in pat.examples:
            got = run_normalize(ex["text"], PACK)
            assert check(ex.get("expect"), got), (pat.name, ex, got)
            n += 1
    assert n >= 30


def test_space_joining_latin_words_maps_to_the_line_break():
    """Found by hypothesis: the space that joins two Latin words must map to the removed \\n."""
    from policy_extract.normalize import normalize as _normalize

    raw = "，\n\nCMMM\nCMMM"
    n = _normalize(raw)
    assert n.text == "，CMMM CMMM"
    space = n.text.index(" ")
    assert raw[n.offsets[space]] == "\n"
    assert list(n.offsets) == sorted(n.offsets)


@pytest.mark.parametrize("head", [
    "辽阳市小微企业、个体工商户扶持政策事项清单_某市人民政府门户网站\n辽阳\n",
    "辽阳市小微企业、个体工商户扶持政策事项清单 - 辽阳市人民政府\n辽阳市市场监督管理局\n",
])
def test_a_pages_title_line_keeps_its_break(head):
    """A scrape may keep the page's <title> (headline + site name) above the headline: the
    site's name ends it; it is not joined to the next line, and the title has no site name."""
    from policy_extract import extract

    text = head + "辽阳市小微企业、个体工商户扶持政策事项清单\n来源:辽阳市市场监管局 发布时间:2023-07-31\n"
    rec = extract(text)
    assert rec["text"].split("\n")[:2] == head.split("\n")[:2]
    assert rec["meta"]["title"] == "辽阳市小微企业、个体工商户扶持政策事项清单"


# -- two-column pages (normalize/columns.py) -------------------------------------------------
_TWO_COLUMNS = (
    "**（三）支持邮轮靠港。**                    **（四）支持游艇码头建设。**\n"
    "对以大连港为母港的国际邮轮，每航次      对新建游艇泊位，按每个泊位3—5万元给予\n"
    "奖励20万元；挂靠的，每航次奖励10万      一次性补助；对码头运营企业，年度泊位出\n"
    "元，单家邮轮公司年度奖励最高500万元。   租率不低于60%的，给予运营补贴30万元。\n"
    "\n"
    "三、申报方式\n"
)


def test_a_two_column_page_is_read_one_column_after_the_other():
    n = normalize(_TWO_COLUMNS, pack=PACK)
    lines = n.text.split("\n")
    assert len(lines) == 3 and lines[-1] == "三、申报方式"
    assert lines[0].startswith("**（三）支持邮轮靠港。**")
    assert lines[0].endswith("对以大连港为母港的国际邮轮，每航次奖励20万元；挂靠的，每航次奖励10万元，"
                             "单家邮轮公司年度奖励最高500万元。")
    assert lines[1].startswith("**（四）支持游艇码头建设。**")
    assert lines[1].endswith("对新建游艇泊位，按每个泊位3—5万元给予一次性补助；对码头运营企业，"
                             "年度泊位出租率不低于60%的，给予运营补贴30万元。")
    for i, ch in enumerate(n.text):  # every character still maps to itself in the original
        if ch != "\n":
            assert _TWO_COLUMNS[n.offsets[i]] == ch
    # a span over both columns maps to the range of the original it covers
    i = n.text.index("500万元。")
    a, b = n.to_source(i, n.text.index("对新建游艇泊位") + 3)
    assert a <= _TWO_COLUMNS.index("500万元。") and b >= _TWO_COLUMNS.index("对新建游艇泊位") + 3


@pytest.mark.parametrize("text", [
    # a table of short cells: its rows stay rows
    "新认定国家级企业            100万元\n新认定省级企业              50万元\n新认定市级企业              20万元\n",
    # two lines only, and a signature line spaced out
    "对新建游艇泊位，按每个泊位给予补助      对码头运营企业给予运营补贴三十万元\n一次性补助资金由市财政局拨付到位      租率不低于六十的企业给予奖励\n",
    "铜陵市人民政府办公室　　　　　　2026年3月6日印发\n",
    # a print version's table of names and sums (two full rows of three: batch 52)
    "　　　　谷物联合收割机　　　　　单台最高不超过3万元\n　　　　植保无人驾驶航空器　　　单台最高不超过1.2万元\n"
    "　　　　微耕机　　　　　　　　　单台最高不超过800元\n",
])
def test_lines_that_are_no_two_column_page_keep_their_order(text):
    n = normalize(text, pack=PACK)
    offs = list(n.offsets)
    assert offs == sorted(offs)


def test_a_section_heading_line_is_not_glued_to_the_paragraph_above():
    """…奖励0.01元 / 政策时效 / 执行期：…: the heading keeps its line (a 图解 page copied as text,
    batch 52; normalize.yaml section_words)."""
    lines = normalize("03 支持跨境电商发展\n跨境电商B2B出口额增长30%以上，按增量每1美元奖励0.01元\n政策时效\n"
                      "执行期：2024年1月1日起执行至2024年12月31日\n", pack=PACK).text.split("\n")
    assert "政策时效" in lines


def test_a_zero_padded_number_alone_joins_its_heading_with_a_space():
    """01 / 汽车消费补贴 (two boxes of a WeChat page) is one label line; a bare 2024 or 1 is not."""
    text = normalize("01\n汽车消费补贴\n每辆补贴3000元。\n2024\n年度工作\n", pack=PACK).text
    assert text.split("\n")[:2] == ["01 汽车消费补贴", "每辆补贴3000元。"]
    assert "2024 年度工作" not in text
    # a question as the heading (一图读懂 育儿补贴: 01 / 谁能领？, unseen81 i816)
    text = normalize("01\n谁能领？\n3周岁以下婴幼儿。\n02\n领多少？\n每孩每年3600元。\n", pack=PACK).text
    assert text.split("\n")[:4] == ["01 谁能领？", "3周岁以下婴幼儿。", "02 领多少？", "每孩每年3600元。"]
    # …and no line before it runs on into the number (…失信主体名单 / 02: unseen100 b1008)
    text = normalize("01\n谁可以申报\n在本镇注册纳税、纳入规上工业统计的制造业企业\n化纤加织、新材料、装备制造企业优先支持\n"
                     "上年度未发生重大安全、环保事故，未列入严重失信主体名单\n02\n智能化改造奖励\n计算公式\n"
                     "奖励金额=设备及软件投资额×10%\n", pack=PACK).text
    assert "\n02 智能化改造奖励" in text


def test_a_short_graphic_line_is_no_fragment_of_the_heading_above():
    """05 / 申报时间 / 每年 / 4月1日至… (a 图解 as text, unseen68 v682): 申报时间 is worded like a
    field name yet is the box's heading, and 每年 starts the next phrase; a one-character
    fragment after a line long enough to have wrapped still joins it (…高新区管委 / 会)."""
    lines = normalize("05\n申报时间\n每年\n4月1日至4月30日\n", pack=PACK).text.split("\n")
    assert lines[:2] == ["05 申报时间", "每年"]
    text = normalize("责任单位：市直有关部门，各县（市）区政府、高新区管委\n会\n", pack=PACK).text
    assert "高新区管委会" in text


def test_a_unit_list_wrapped_inside_an_organ_name_runs_on():
    """责任单位：…、市产业 / 集聚区管委会 (unseen66 t661): the rest of the name ends like an organ
    and the cut part does not; a line after a whole name, or after a single field value, stays."""
    text = normalize("（一）奖励。\n责任单位：市工业和信息化局、市财政局，各县（区）人民政府、市产业\n\n"
                     "集聚区管委会\n（二）其他。\n责任单位：市财政局、市商务局\n市税务局\n"
                     "发文机关\n某某市人民政府办\n", pack=PACK).text
    assert "、市产业集聚区管委会\n（二）" in text
    assert "市商务局\n市税务局" in text and "发文机关\n某某市人民政府办" in text


def test_the_labelled_parts_of_a_policy_list_item_keep_their_lines():
    """申报条件：… / 支持标准：… / 兑现方式：… / 受理部门：… (a 惠企政策清单 page, unseen69 w691):
    each part is a field line, not the wrapped rest of the line above."""
    raw = ("1.规模以上工业企业稳增长奖励\n申报条件：一季度产值同比增长10%以上，且增量超过2000万元\n"
           "支持标准：按产值增量的1%给予奖励，每家企业每年最高不超过50万元\n"
           "兑现方式：免申即享，2026年5月底前直接拨付\n受理部门：区经济和信息化局\n"
           "联系方式：产业发展科 王老师 010-69641238\n")
    assert normalize(raw, pack=PACK).text.split("\n") == raw.rstrip("\n").split("\n")


def test_a_row_number_before_a_latin_class_letter_keeps_its_space():
    """市统计局 7 A级物流企业奖励 (a table run in on one line, unseen79 g793): the row number is
    no count of the cell before it."""
    text = normalize("给予5万元奖励。 市商务局、市统计局 7 A级物流企业奖励 对新评定为5A级的物流企业给予奖励。"
                     " 区工业和信息化局 9 GMP车间改造补助 按投资的15%给予补助。", pack=PACK).text
    assert "市统计局 7 A级" in text and "信息化局 9 GMP车间" in text
    # …nor before a word that opens with a unit's character (unseen81 i817); a count keeps its unit
    text = normalize("单台最高补贴3.6万元。 县农业农村局 8 个人消费贷款贴息 年贴息比例1个百分点。 人行支行 9 家电回收补贴"
                     " 按每台50元补贴，已有 3 家 企业参与。", pack=PACK).text
    assert "农村局 8 个人消费" in text and "支行 9 家电回收" in text and "已有3家" in text
    assert "监督管理局 11 项目申报" in normalize("按每部每年2000元给予补贴。 县市场监督管理局 11 项目申报 各乡镇集中申报。",
                                            pack=PACK).text  # (unseen82 j827)
    assert "责任单位 1 人才安家补贴" in normalize("序号 政策名称 支持内容 责任单位 1 人才安家补贴 给予安家补贴。",
                                             pack=PACK).text  # (unseen83 k837)
    text = normalize("序号 档次 认定条件 奖励标准 责任单位 1 批发业第一档 年批发额2亿元以上 奖励5万元 县商务局"
                     " 2 个转企企业 纳入限上统计 奖励1万元 县市场监督管理局 3 平台企业 奖励20万元。", pack=PACK).text
    assert "责任单位 1 批发业" in text and "奖励5万元 县商务局 2 个转企" in text and "监督管理局 3 平台" in text  # (unseen87 o875)
    assert "受理部门 1 以工代训补贴" in normalize("序号 补贴项目 补贴标准 受理部门 1 以工代训补贴 按每人每月400元给予补贴"
                                          " 县就业服务中心 2 企业新型学徒制补贴 按每人4000元给予补贴。", pack=PACK).text  # (unseen108 j1085)
    assert "占比提高到68.5% 时间：" in normalize("兴化召开民营企业座谈会 全市民营经济增加值占比提高到68.5% 时间：2026-02-26 08:55",
                                               pack=PACK).text  # a page's field label (unseen90 r902 as one line)


def test_a_contact_line_ending_in_a_phone_number_is_not_joined_to_the_signature():
    """六、联系方式 / 县商务局…股，联系人：周先生，电话：0376-3912568 / 潢川县商务局 / 2025年5月12日
    (unseen79 g791): the organ line stays the signature's."""
    lines = normalize("六、联系方式\n县商务局市场体系建设股，联系人：周先生，电话：0376-3912568\n潢川县商务局\n"
                      "2025年5月12日\n", pack=PACK).text.split("\n")
    assert lines[2:] == ["潢川县商务局", "2025年5月12日"]


def test_a_quotation_ending_a_sentence_ends_its_line():
    """…创历史同期新高。” ends its paragraph (unseen76 d763): the next line is not joined to it
    as a wrap; a quotation that does not end a sentence (…称为“口岸经济”) still may be."""
    lines = normalize("该负责人表示：“上半年货运量创历史同期新高。”\n为巩固外贸发展态势，勐腊县近日出台若干措施。\n",
                      pack=PACK).text.split("\n")
    assert lines[1] == "为巩固外贸发展态势，勐腊县近日出台若干措施。"


def test_a_recommendation_list_run_on_a_long_last_line_goes():
    """相关推荐 after a space in the long last line of a page that lost its breaks (unseen70 x702)."""
    body = "对入驻企业给予租金补贴，每平方米每月最高不超过8元，补贴期限三年，具体以政策原文为准。" * 8
    tail = (" 高邮经济开发区管理委员会 2026年2月6日 相关推荐 · 高邮市工业企业技术改造奖补办法 2026-01-15 · "
            "扬州市支持制造业企业上规模十条措施 2025-12-30")
    text = normalize(body + tail, pack=PACK).text
    assert text.endswith("2026年2月6日") and "2026-01-15" not in text


def test_a_heading_glued_after_a_sentence_ends_its_line():
    """…印发实施。二、主要内容 closes its line: the next line is not joined to it as a wrap
    (unseen64 r646), however long the line is."""
    long = "为进一步稳定工业经济运行，推动企业技改扩能、升级入规，市工业和信息化局会同市财政局起草了若干政策，"
    text = normalize(f"{long}经市政府同意印发实施。二、主要内容\n《若干政策》共四个方面。\n", pack=PACK).text
    assert text.split("\n")[1] == "《若干政策》共四个方面。"


def test_a_page_break_inside_a_sentence_is_rejoined_without_its_header():
    raw = ("宜宾市人民政府行政规范性文件\n第四条 支持技术攻关。对承担国家级重大科技专项的企业，按国家\n\n— 1 —\n\n"
           "宜宾市人民政府行政规范性文件\n\n实际到位资金的30%给予配套支持，最高1000万元。\n"
           "宜宾市人民政府办公室\n2025年2月26日\n— 2 —\n宜宾市人民政府行政规范性文件\n抄送：市委办公室。")
    lines = normalize(raw, pack=PACK).text.split("\n")
    assert "第四条 支持技术攻关。对承担国家级重大科技专项的企业，按国家实际到位资金的30%给予配套支持，最高1000万元。" in lines
    # the header stays where it is the title; a date ends its page; no page number is left
    assert lines[0] == "宜宾市人民政府行政规范性文件" and lines.count("宜宾市人民政府行政规范性文件") == 1
    assert "2025年2月26日" in lines and "抄送：市委办公室。" in lines
    assert not any("—" in ln for ln in lines)


_PAGE = "\n\n— {n} —\n\n海伦市人民政府规范性文件\n\n"


def _pdf_lines(before: str, after: str) -> list[str]:
    """Normalized lines of a PDF's markdown whose page break falls after ``before``: blank
    lines around the page number and header, a paragraph's wrapped lines without."""
    from policy_extract.ingest import load_bytes

    md = ("海伦市人民政府规范性文件\n\n第一条　为支持农业经营主体发展，根据有关规定，结合我市实际，\n"
          "制定本细则。\n\n" + before + _PAGE.format(n=2) + after + "\n\n第十一条　本细则自印发之日起施行。\n")
    return normalize(load_bytes(md.encode("utf-8"), doc_id="pb", path="pb.md"), pack=PACK).text.split("\n")


@pytest.mark.parametrize("before,after,joined", [
    # the next page opens with closing punctuation: the sentence goes on (held-out batch 33, m301)
    ("第七条　同一项目已获得市级其他财政资金支持的，不得重复申报", "；同一企业年度获得专项资金支持累计不超过200万元。",
     "第七条 同一项目已获得市级其他财政资金支持的，不得重复申报；同一企业年度获得专项资金支持累计不超过200万元。"),
    # a date or a number cut at a digit goes on into its unit or its digits (m308, m304)
    ("第十条　本细则由市农业农村局负责解释，有效期至2026年12月31", "日。",
     "第十条 本细则由市农业农村局负责解释，有效期至2026年12月31日。"),
    ("第五条　所需资金由市财政统筹安排，年度贴息规模控制在10", "00万元以内。",
     "第五条 所需资金由市财政统筹安排，年度贴息规模控制在1000万元以内。"),
])
def test_a_page_break_after_or_before_a_non_han_edge_is_rejoined(before, after, joined):
    assert joined in _pdf_lines(before, after)


def test_a_page_break_after_a_phone_number_keeps_its_break():
    """A line ending in a number runs on only into a digit or a unit: the signature after a
    contact line's phone number starts its own line."""
    lines = _pdf_lines("联系人：王明，联系电话：0455-5712345　13845512345", "海伦市农业农村局")
    assert "联系人：王明，联系电话：0455-5712345 13845512345" in lines and "海伦市农业农村局" in lines


@pytest.mark.parametrize("text,lines", [
    # a labelled line holding "，" that ends like a title word is prose cut by the wrap
    ("第五条　项目承担单位对申报材料的真实性、准确性负责，按规定\n使用专项资金，接受监督检查和绩效评价。\n"
     "第六条　各部门按照本办法制定具体的实施细则和办法\n本办法自印发之日起施行。\n",
     ["第五条 项目承担单位对申报材料的真实性、准确性负责，按规定使用专项资金，接受监督检查和绩效评价。",
      "第六条 各部门按照本办法制定具体的实施细则和办法", "本办法自印发之日起施行。"]),
    # an unlabelled title line holding "，" still ends its paragraph
    ("关于进一步稳增长、促消费，推动经济高质量发展的若干措施\n各县（市、区）人民政府，市直各单位：\n",
     ["关于进一步稳增长、促消费，推动经济高质量发展的若干措施", "各县（市、区）人民政府，市直各单位："]),
])
def test_a_labelled_line_with_a_comma_is_no_title_line(text, lines):
    assert normalize(text, pack=PACK).text.split("\n") == lines


@pytest.mark.parametrize("text,lines", [
    # an inner bracket closes the line, the outer one is still open: the list runs on (unseen42 v404)
    ("（五）对企业给予补助。（牵头单位：市工业和信息化局；配合单位：各县（区）\n人民政府、管委会）\n（六）打造应用标杆。",
     ["（五）对企业给予补助。（牵头单位：市工业和信息化局；配合单位：各县（区）人民政府、管委会）",
      "（六）打造应用标杆。"]),
    # a line whose brackets all close ends there
    ("（牵头单位：市工业和信息化局）\n各县（区）人民政府要抓好落实。",
     ["（牵头单位：市工业和信息化局）", "各县（区）人民政府要抓好落实。"]),
])
def test_a_line_ending_in_an_inner_bracket_runs_on(text, lines):
    assert normalize(text, pack=PACK).text.split("\n") == lines


def test_short_bullets_after_the_last_sentence_go_even_after_undecodable_characters():
    """经济通-style link bullets after the article (- 油价急升逾5%) are furniture; a 。 followed by
    U+FFFD (a scrape in a mixed encoding) still ends the article's last sentence (unseen65 s655)."""
    for end in ("。", "。\ufffd\ufffd"):
        text = normalize(f"按年增长12.5%{end}\n- 中东局势紧张 油价急升逾5%\n- 掌握全球财经资讯点我下载APP\n",
                         pack=PACK).text
        assert "逾5%" not in text and text.startswith("按年增长12.5%")


def test_a_related_links_list_inside_the_page_goes():
    """相关阅读： with headlines in the middle of a page, the article going on after them (a
    table's 序号 cell): the headlines go (unseen64 r643); a body paragraph after the heading stays."""
    raw = ("形成政策清单如下。\n相关阅读：\n慈溪市2025年外贸进出口总额突破1500亿元\n我市举办2026年“品质慈溪”外贸云展会\n"
           "序号\n政策名称\n1\n出口信用保险补助\n对企业投保出口信用保险的保费给予50%补助，单家企业最高30万元。\n")
    text = normalize(raw, pack=PACK).text
    assert "1500亿元" not in text and "云展会" not in text and "序号" in text
    raw = "形成政策清单如下。\n相关阅读：\n为帮助外贸企业稳订单，市商务局梳理了政策。\n序号\n"
    assert "为帮助外贸企业稳订单" in normalize(raw, pack=PACK).text


def test_two_ideographic_spaces_inside_a_line_part_two_cells():
    """第一轮　　5月1日至5月31日 (a text table whose cells two ideographic spaces part): the gap
    before the number stays, so the row's title is its first cell (unseen66 t667); one space
    between a word and its number still goes."""
    text = normalize("活动安排\n第一轮　　5月1日至5月31日　　1000万元\n对企业奖励 100万元\n", pack=PACK).text
    assert text.split("\n")[1:] == ["第一轮 5月1日至5月31日 1000万元", "对企业奖励100万元"]
