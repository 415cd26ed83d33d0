"""Document metadata (GUIDELINES "meta"): expected values written from reading the texts."""
from __future__ import annotations

from typing import Any

import pytest

from policy_extract.extract.meta import extract_meta
from policy_extract.patterns.engine import default_pack
from policy_extract.patterns.examples import example_doc

KEYS = {"title", "doc_number", "issuer", "published", "valid_until", "source_name", "script"}


def meta(text: str, script: str = "simplified", **hints: Any) -> dict[str, Any]:
    doc = example_doc(text, default_pack())
    doc.hints = hints
    return extract_meta(doc, script)


OFFICIAL = """福州市人民政府办公厅文件
榕政办规〔2024〕5号
福州市人民政府办公厅 关于印发福州市促进2024年一季度 工业生产稳定运行若干措施的通知
各县（市）区人民政府：
《若干措施》已经市政府研究同意，现印发给你们，请认真组织实施。
福州市人民政府办公厅
2024年1月22日
一、鼓励工业企业增产增效
根据《省工信厅关于促进工业生产的通知》（闽工信规〔2024〕1号）精神，给予奖励。
本措施有效期至2024年12月31日。
"""


def test_official_notice():
    m = meta(OFFICIAL, script="mixed")
    assert set(m) >= KEYS
    assert m["title"] == "福州市人民政府办公厅关于印发福州市促进2024年一季度工业生产稳定运行若干措施的通知"
    assert m["doc_number"] == "榕政办规〔2024〕5号"
    assert m["issuer"] == "福州市人民政府办公厅"
    assert m["published"] == "2024-01-22"
    assert m["valid_until"] == "2024-12-31"
    assert m["source_name"] is None
    assert m["script"] == "mixed"


def test_signing_date_wins_over_page_date_and_title_bracket_gives_doc_number():
    text = ("当前位置: 首页 > 政务公开\n"
            "韶关市人民政府关于印发降低制造业企业成本若干政策措施(修订版)的通知(韶府〔2019〕31号)\n"
            "来源:韶关新闻网发表日期:2019-09-04 15:05\n各县(市、区)人民政府:\n现将措施印发给你们。\n"
            "        韶关市人民政府\n        2019年8月16日\n")
    m = meta(text)
    assert m["title"] == "韶关市人民政府关于印发降低制造业企业成本若干政策措施(修订版)的通知"
    assert m["doc_number"] == "韶府〔2019〕31号"
    assert m["issuer"] == "韶关市人民政府"
    assert m["published"] == "2019-08-16"
    assert m["source_name"] == "韶关新闻网"


def test_joint_signature_is_joined():
    text = "市委办发〔2019〕21号\n各县区:\n现印发给你们。\n中共天水市委办公室 天水市人民政府办公室\n2019年4月16日\n天水市工业强市表彰奖励办法\n第一条 为加快发展，制定本办法。"
    m = meta(text)
    assert m["issuer"] == "中共天水市委办公室、天水市人民政府办公室"
    assert m["title"] == "天水市工业强市表彰奖励办法"
    assert m["doc_number"] == "市委办发〔2019〕21号"
    assert m["published"] == "2019-04-16"


def test_text_without_line_breaks():
    text = ("XFGS—2023—006 各镇人民政府、街道办事处: 现将《兴宁市奖励办法(试行)》印发给你们,请认真遵照执行。"
            " 兴宁市人民政府 2023年9月25日 兴宁市支持外贸外资发展奖励办法(试行) 第一条 为促进发展,特制定本办法。")
    m = meta(text)
    assert m["doc_number"] == "XFGS—2023—006"  # a registration number where the doc number stands
    assert m["issuer"] == "兴宁市人民政府"
    assert m["published"] == "2023-09-25"
    assert m["title"] == "兴宁市支持外贸外资发展奖励办法(试行)"


def test_cited_doc_numbers_are_not_this_documents():
    text = ("政策来源:《四川省人民政府办公厅印发若干政策措施的通知》(川办发〔2023〕32号)\n"
            "1. 实施新能源汽车生产激励。给予5000万元一次性奖励。")
    m = meta(text)
    assert m["doc_number"] is None
    assert m["source_name"] is None
    assert m["title"] is None
    assert m["issuer"] is None


def test_a_title_note_naming_its_basis_gives_no_doc_number():
    """（根据…号） after a title names the text the page rests on (unseen62 p625, J5); the note
    is cut from the title as a number note is."""
    m = meta("龙岩市新罗区促进工业经济高质量发展扶持政策（根据龙新委发〔2026〕2号）\n一、支持项目建设。")
    assert (m["title"], m["doc_number"]) == ("龙岩市新罗区促进工业经济高质量发展扶持政策", None)
    m = meta("长丰县促进经济高质量发展扶持政策（长发〔2018〕24号）\n一、支持项目建设。")
    assert (m["title"], m["doc_number"]) == ("长丰县促进经济高质量发展扶持政策", "长发〔2018〕24号")


def test_a_field_label_before_a_one_line_title_is_no_organ_of_it():
    """On a page that lost its breaks the info line runs on into the title: 来源：X names the
    page's source, not a joint issuer written before the title (unseen62 p626)."""
    m = meta("发布日期：2026-02-11 来源：市政府办公室 阳泉市人民政府办公室关于印发阳泉市规上工业企业"
             "培育奖励办法（试行）的通知 阳政办发〔2026〕11号 各县（区）人民政府：现印发给你们。")
    assert m["title"] == "阳泉市人民政府办公室关于印发阳泉市规上工业企业培育奖励办法（试行）的通知"
    assert m["source_name"] == "市政府办公室"


def test_a_city_papers_place_colon_headline_is_the_title_above_its_byline():
    """宜兴：…最高奖励50万元 over a byline is a headline (unseen64 r644); an info line of a known
    label (发布机构：…) above the byline is skipped as before."""
    m = meta("宜兴：新升规工业企业最高奖励50万元\n2026-05-08 10:12 来源：宜兴日报 作者：记者 许晴\n日前，宜兴市出台政策。")
    assert m["title"] == "宜兴：新升规工业企业最高奖励50万元"
    m = meta("关于印发支持政策的通知\n发布机构：宜兴市人民政府办公室\n2026-05-08 10:12 来源：宜兴市政府网\n各镇：现印发。")
    assert m["title"] == "关于印发支持政策的通知"
    # the headline's two parts a space apart (unseen73 a735, unseen75 c754, unseen76 d763)
    m = meta("通榆新闻网\n通榆：以旧换新“焕”出消费新活力 前4个月核销补贴资金2160万元\n"
             "2026-05-12 09:30 来源：通榆县融媒体中心\n记者从县商务局获悉。")
    assert m["title"] == "通榆：以旧换新“焕”出消费新活力前4个月核销补贴资金2160万元"
    m = meta("关于印发支持政策的通知\n联系人：王明 电话：0436-1234567\n各镇：现印发。")
    assert m["title"] == "关于印发支持政策的通知"
    # …and on a page that lost its breaks, before an outlet's byline (南方+ 2026-06-12 …)
    m = meta("南方+首页 | 广东 | 肇庆 怀集：政策“组合拳”稳就业 今年已发放各类就业补贴资金2680万元 "
             "南方+ 2026-06-12 17:48 来源：南方+客户端 6月11日，记者从怀集县人社局获悉。")
    assert m["title"] == "怀集：政策“组合拳”稳就业今年已发放各类就业补贴资金2680万元"


def test_the_headline_above_a_dash_subtitle_is_the_title():
    """A —— subtitle between headline and byline is not the title (unseen64 r645); a page whose
    only headline line starts with —— keeps it (real_030)."""
    m = meta("启东出台助企纾困“十二条”\n——中小微企业最高可获200万元贴息支持\n2026-03-19 08:45 来源：启东日报\n本报讯 日前。")
    assert m["title"] == "启东出台助企纾困“十二条”"
    m = meta("人民网\n——中小微企业最高可获200万元贴息支持\n2026-03-19 08:45 来源：启东日报\n本报讯 日前。")
    assert m["title"] == "中小微企业最高可获200万元贴息支持"


def test_an_update_time_dates_the_page_only_when_nothing_else_does():
    """更新时间 above 发布日期 (unseen72 z727): the publication date is the page's date; a page
    whose only date is its update time keeps that one."""
    m = meta("关于印发某县外贸措施的通知\n更新时间：2026-05-06 09:00\n发布日期：2026-04-29\n各乡镇：现印发。")
    assert m["published"] == "2026-04-29"
    m = meta("某县外贸措施\n更新时间：2026-05-06\n各乡镇：现印发。")
    assert m["published"] == "2026-05-06"


def test_page_labels():
    text = ("辽阳市小微企业、个体工商户扶持政策事项清单\n来源:辽阳市市场监管局      发布时间:2023-07-31\n"
            "政策类别 序号 扶持政策事项")
    m = meta(text)
    assert m["title"] == "辽阳市小微企业、个体工商户扶持政策事项清单"
    assert m["source_name"] == "辽阳市市场监管局"
    assert m["published"] == "2023-07-31"
    assert m["issuer"] is None  # a page's 来源 is not the issuer


def test_issuer_label_and_bare_signing_date():
    text = ("关于印发《扬州经开区若干措施》的通知\n发布时间:2024-07-22\n发文部门:扬州市人民政府\n"
            "各部门:\n《若干措施》已经党工委研究同意，现予以印发。\n2024年7月22日\n")
    m = meta(text)
    assert m["title"] == "关于印发《扬州经开区若干措施》的通知"
    assert m["issuer"] == "扬州市人民政府"
    assert m["published"] == "2024-07-22"


def test_empty_source_is_skipped_for_a_later_one():
    text = "来源: 浏览: 0\n一季度，钟祥市抓超常措施稳工业增长。\n钟祥市提出一季度工业产值完成268亿元以上。\n来源:荆门市经信局\n编辑:杜莉"
    m = meta(text)
    assert m["source_name"] == "荆门市经信局"
    assert m["title"] is None
    assert m["issuer"] == "钟祥市"


def test_news_report_headline_outlet_and_date():
    text = ("《驻沪专电》上海将建立规上工业企业培育库\n经济通新闻 2022-09-28 13:28\n"
            "《经济通通讯社驻沪记者28日上海专电》上海市经信委总工程师今日在新闻发布会上表示,将做好三方面工作。")
    m = meta(text)
    assert m["title"] == "上海将建立规上工业企业培育库"
    assert m["source_name"] == "经济通新闻"
    assert m["published"] == "2022-09-28"
    assert m["issuer"] == "上海市经信委"


def test_news_issuer_is_read_after_the_headline():
    text = ("福建省出台具体措施:合力抓工业  全力稳增长\n2023年08月11日09:13 | 来源:福建日报\n"
            "日前,福建省政府办公厅印发关于合力抓工业全力稳增长的通知。(记者 林侃)")
    m = meta(text)
    assert m["title"] == "福建省出台具体措施:合力抓工业全力稳增长"
    assert m["issuer"] == "福建省政府办公厅"
    assert m["published"] == "2023-08-11"
    assert m["source_name"] == "福建日报"


def test_our_city_is_the_local_papers_city_and_hints_fill_in():
    text = "记者从市工信局获悉，日前，我市出台《关于促进工业生产的通知》。\n（文章来源：泉州晚报）"
    m = meta(text, title="促进一季度工业稳定运行", date="2022-01-21 10:33:31 +0800")
    assert m["title"] == "促进一季度工业稳定运行"
    assert m["published"] == "2022-01-21"
    assert m["source_name"] == "泉州晚报"
    assert m["issuer"] == "泉州市"


@pytest.mark.parametrize("text, value", [
    ("本措施有效期至2024年12月31日。", "2024-12-31"),
    ("本办法自2023年1月1日起施行，有效期3年，至2025年12月31日止。", "2025-12-31"),
    ("本政策执行至2025年6月底。", "2025-06-30"),
    ("消费券有效日期至6月30日。", None),
])
def test_valid_until(text, value):
    assert meta(text)["valid_until"] == value


def test_chinese_numeral_signing_date():
    assert meta("某某市人民政府\n二〇二四年一月二十二日\n")["published"] == "2024-01-22"


@pytest.mark.parametrize("text", ["", "\n\n", "???\ufffd\ufffd", "来源:", "2024年13月45日\n", "发布时间:2024-02-30"])
def test_damaged_input_gives_nulls_not_errors(text):
    m = meta(text)
    assert set(m) >= KEYS
    assert m["published"] is None


# -- speed shortcuts give what the regexes give -------------------------------------------------
def test_white_space_set_is_what_backslash_s_matches():
    import regex

    from policy_extract.extract.meta import _WHITE

    every = {c for c in map(chr, range(0x110000)) if regex.match(r"\s", c)}
    assert every == _WHITE


@pytest.mark.parametrize("line", [
    "", " ", "**标题**", "# 关于印发的通知", "> 引用", "标题 ", "\u3000标题\u3000", "标题\n",
    "标题*", "*", "#", "a#", "标题", "2024年1月1日", "\u00a0来源", "x\u2029",
])
def test_unmark_equals_the_markup_substitution(line):
    from policy_extract.extract.meta import _MARKUP, _unmark

    assert _unmark(line) == _MARKUP.sub("", line)


def test_unmark_equals_the_markup_substitution_on_any_line():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from policy_extract.extract.meta import _MARKUP, _unmark

    chars = st.sampled_from(list("#>* \t\n\u3000\u00a0\u2028标题2a"))

    @settings(max_examples=400)
    @given(st.text(chars, max_size=8))
    def check(line):
        assert _unmark(line) == _MARKUP.sub("", line)

    check()


_ONE_LINE_NEWS = ("南方网 南方网 首页 > 佛山频道 {head} 2024年08月26日 08:47 | 来源：南方日报 小字号 "
                  "记者从佛山市商务局获悉，佛山市商务局、佛山市财政局联合印发实施方案。")


@pytest.mark.parametrize("head,title", [
    # unseen u05 with its line breaks lost: the headline's subtitle is part of the title, as it
    # is when the headline stands on its own line
    ("广东佛山出台新一轮家电以旧换新补贴政策 每户补贴2000元",
     "广东佛山出台新一轮家电以旧换新补贴政策每户补贴2000元"),
    # a garbled label (发布时间：) or the title repeated after it is no subtitle
    ("佛山市家电以旧换新补贴政策 鍙戝竷镞堕棿：2024-08-26", "佛山市家电以旧换新补贴政策"),
    ("佛山市家电以旧换新补贴政策 佛山市家电以旧换新补贴政策", "佛山市家电以旧换新补贴政策"),
    # unseen19 r08 with its line breaks lost: a report on two policies, whose first half names
    # a figure and ends in no title word; the title word ends the second half
    ("清远市发放3000万元消费券 清城区出台小微企业租金减免措施",
     "清远市发放3000万元消费券清城区出台小微企业租金减免措施"),
    # a red header before the title is no first half
    ("市政府办公室文件 佛山市人民政府办公室关于印发佛山市家电以旧换新补贴政策的通知",
     "佛山市人民政府办公室关于印发佛山市家电以旧换新补贴政策的通知"),
])
def test_a_one_line_news_headline_keeps_its_subtitle(head, title):
    assert meta(_ONE_LINE_NEWS.format(head=head))["title"] == title


_ONE_LINE_TUJIE = ("某县人民政府 无障碍浏览 长者模式 首页 > 政务公开 > 政策解读 > 图解政策 字号：大 中 小 "
                   "【打印】【关闭】 {head} 发布时间：2025-11-20 09:05 来源：某县文化和旅游局 "
                   "01 发放文旅消费券 县级财政统筹安排资金2000万元。 【相关链接】 "
                   "某县人民政府办公室关于印发某县促进文旅消费提质扩容若干措施的通知")


@pytest.mark.parametrize("head", ["图解：某县促进文旅消费提质扩容若干措施",
                                  "一图读懂《某县促进文旅消费提质扩容若干措施》"])
def test_a_one_line_explainer_keeps_its_labelled_headline(head):
    # unseen l304/d01 with their line breaks lost: the labelled headline before the byline is
    # the title, not a related link's title after it, and the print bar is no part of it
    assert meta(_ONE_LINE_TUJIE.format(head=head))["title"] == head


def test_an_entry_of_a_one_line_menu_is_no_title():
    # unseen28 h202: 信息公开指南 ends in a title word, but it stands between menu bars
    text = ("五常市人民政府 政府信息公开\n首页 | 信息公开指南 | 信息公开目录 | 依申请公开\n"
            "五常市人民政府办公室关于印发五常市规模以上工业企业表彰奖励办法的通知\n"
            "各乡镇人民政府，市政府各有关部门：\n《办法》已经市政府同意，现印发给你们。")
    assert meta(text)["title"] == "五常市人民政府办公室关于印发五常市规模以上工业企业表彰奖励办法的通知"
