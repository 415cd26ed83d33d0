"""Document metadata (FORMAT.md ``meta``): title, 发文字号, issuer, dates, source, script.

Candidates come from the patterns of ``data/meta.yaml`` (each with a ``kind``); this module
decides between them:

- ``title``: the headline above the page's first byline (发布时间/来源/…讯 line), else the
  first line of the header that reads as an official title, else the page markup's title;
  spaces removed, a trailing doc-number bracket moved to ``doc_number``;
- ``doc_number``: a 发文字号 standing alone in the header or in the title's bracket (a
  number after a cited 《…》 is not this document's); else a standalone registration number;
- ``published``: the signing date (date line under the signature) before the page's date;
- ``issuer``: the signature's organs (joined with 、), else 发文部门 or a red header
  (``…办公室文件``), else the title's
  ``…关于`` prefix, else — for a news report — the place or organ its lead sentence names
  (on a 解读/图解 page that reported organ comes before the info box's 发布机构).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import regex

from ..document import Doc
from ..patterns.engine import Pack, default_pack
from ..patterns.examples import example_doc, runner
from .numbers import parse_chinese
from .timex import is_valid, month_end, point

FIELD = "meta"
META_KEYS = ("title", "doc_number", "issuer", "published", "valid_until", "source_name", "script")
_SPACE = regex.compile(r"\s+")
_LABEL_PREFIX = regex.compile(r"^[^:：]{0,6}[:：]")  # 题：… (标 题： split on its space)
_TITLE_LABEL_TAILS = ("题", "名称")  # 标题：, 文件名称： (other labels name other fields)
_JOINT = regex.compile(r"[\s、]+")  # between the organs of a joint issuer
_ISSUE_TAIL = regex.compile(r"[（(][^（）()]{0,12}期[）)]$")  # a periodical's issue: （2026年第5期）
_MARKUP = regex.compile(r"^[#>*\s]+|[*\s]+$")
# the characters ``\s`` matches (Unicode White_Space), for _unmark's test without the regex
_WHITE = frozenset(regex.findall(r"\s", "".join(map(chr, range(0x3001)))))
_MARK_LEAD = _WHITE | frozenset("#>*")
_MARK_TAIL = _WHITE | frozenset("*")
_SUBTITLE = regex.compile(r"[—－]{1,2}(?=\p{Han}|[“《])")  # ——中小微企业最高可获…: a subtitle line
_FIELD_LINE = regex.compile(r"^[#>*\s]*\p{Han}{2,6}[*\s]*[:：]")  # a "label: value" header line
_HINT_DATE = regex.compile(r"\s*((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})")
_HINT_TITLE_SPLIT = regex.compile(r"[_|｜]| - ")
_NOTE = regex.compile(r"[（(][^（）()]*[）)]")
_QUOTED = regex.compile(r"《[^《》]*》")
_WRAP_MIN = 8  # a run holding 关于 shorter than this is a menu entry (关于我们), no half title
_WRAP_STOP = regex.compile(r"[。，,；;：:！!？?]")  # a line holding one is no half of a title
_MENU_ENTRY = regex.compile(r"\p{Han}+")  # words only: no digit, space or punctuation
_MAX_ORGAN_LINES = 4  # a signature block's organs, one per line, read upwards at most this many
_NUMBER_YEAR = regex.compile(r"[\[［﹝(（【](\d{4})[\]］﹞)）】]")


def _unmark(line: str) -> str:
    """``_MARKUP.sub("", line)``: markdown marks and spaces off both ends. Most lines have
    none, and testing two characters is far cheaper than the substitution (run per line)."""
    if line and (line[0] in _MARK_LEAD or line[-1] in _MARK_TAIL):
        return _MARKUP.sub("", line)
    return line


@dataclass
class _Line:
    start: int
    end: int
    text: str


class _Grammar:
    """The compiled meta patterns of one pack, looked up by name."""

    def __init__(self, pack: Pack):
        self.pack = pack
        self.pats = {p.name: p for p in pack.patterns(FIELD) if p.compiled is not None}
        self.rx = {name: p.compiled for name, p in self.pats.items()}
        self._names: dict[str, list[str]] = {}  # names(kind), read per document
        self.issuer_name = pack.compile(FIELD, r"^[^\s。，,；;:：《》]{2,40}?(?:{issuer_suffix})$")
        self.head_chars = int(pack.setting(FIELD, "head_chars", 1200))
        self.max_title = int(pack.setting(FIELD, "max_title_chars", 150))
        self.commentary = tuple(pack.vocab(FIELD, "commentary_marks"))
        # a line under a title that is part of it: a status in brackets (…若干措施 / （征求意见稿）),
        # or the rest of a title wrapped before its bracket (…实施方案 / （2026—2027年）的通知)
        self.title_tail_line = pack.compile(
            FIELD, r"[（(](?:{title_status})[）)]|[（(][^（）()\n]{1,20}[）)]\s?的?(?:{official_marks})")
        self.collection = tuple(pack.vocab(FIELD, "collection_marks"))  # …政策汇编: no validity
        self.basis_leads = tuple(pack.vocab(FIELD, "basis_note_leads"))
        # a headline written "place：news" (宜兴：…最高奖励50万元), as against an info line; its
        # two parts may stand a space apart (通榆：以旧换新惠民生 前4个月…, batches 73, 75, 76)
        self.place_headline = pack.compile(
            FIELD, r"^[#>*\s]*(?!(?:{info_labels}|{page_date_labels}|{bare_date_labels}|{signed_labels}"
                   r"|{issuer_labels}|{source_labels})[*\s]*[:：])\p{Han}{2,6}[:：][\x20\u3000]?"
                   r"(?:[^\s:：]|[\x20\u3000](?=[^\s:：])){8,}$")
        self.menu_run = int(pack.setting(FIELD, "menu_run_lines", 3))
        self.menu_chars = int(pack.setting(FIELD, "menu_entry_chars", 10))
        # a run of share/print widgets (返回顶部, 打印本页) is page furniture, never a headline
        self.widgets = pack.compile("normalize", r"(?:[【\[]?(?:{widget_words})[】\]]?)+")
        # 图解：… opens a headline, not a "label: value" line of the info block
        self.headline_label = pack.compile(FIELD, r"^[#>*\s]*(?:{headline_labels})\s*[:：]")
        # 某局局长农志明在发布会上介绍: the organ before a person's title is a speaker
        self.speaker = pack.compile(FIELD, r"(?:{speaker_titles})")
        self.account_name = pack.compile(FIELD, r"[#>*\s]*\p{Han}{2,8}?(?:{account_tails})\s*")
        self.author = pack.compile(FIELD, r"(?:{partners})?对")  # X(会同…)对…进行梳理: a 解读's author
        self.issues = pack.compile(FIELD, r"(?:联合)?(?:{issue_verbs})")
        self.latin_line = pack.compile(FIELD, "{latin_line}")  # a bilingual page's English line
        self.extended = pack.compile(FIELD, "{extension_words}")  # 有效期延长至…: an extension
        self.update_label = pack.compile(FIELD, r"[^\S\n]*[【\[]?(?:{update_date_labels})")
        self.source_cut = dict(pack.setting(FIELD, "source_cut_tails", {}) or {})

    def mend_source(self, name: str) -> str:
        """A source name cut short by mojibake, completed (``福建日`` → ``福建日报``)."""
        if len(name) > 2:
            for tail, whole in self.source_cut.items():
                if name.endswith(tail):
                    return name[: -len(tail)] + whole
        return name

    def __getitem__(self, name: str) -> regex.Pattern[str]:
        return self.rx[name]

    def names(self, kind: str) -> list[str]:
        """Patterns of one ``kind`` in file order: a user pack adds a form by adding a pattern."""
        got = self._names.get(kind)
        if got is None:
            got = self._names[kind] = [n for n, p in self.pats.items() if p.attrs.get("kind") == kind]
        return got

    def scan(self, name: str, text: str, pos: int = 0) -> list[regex.Match[str]]:
        """Every match of pattern ``name`` (``finditer``), tried only around its anchor."""
        return self.pack.scan(self.pats[name], text, pos)

    def first(self, name: str, text: str, pos: int = 0) -> regex.Match[str] | None:
        """The first match (``search``), tried only around the pattern's anchor."""
        return self.pack.search(self.pats[name], text, pos)


@lru_cache(maxsize=8)
def _grammar(pack: Pack) -> _Grammar:
    return _Grammar(pack)


def extract_meta(doc: Doc, script: str) -> dict[str, Any]:
    """The seven meta keys of FORMAT.md (plus ``published_text``, the date as written)."""
    text = doc.text or ""
    g = _grammar(doc.pack or default_pack())
    hints = doc.hints or {}
    lines = _lines(text)
    head_end = _head_end(doc, g)

    title, title_number, title_line, body = _title(text, lines, head_end, g, hints)
    doc_number = title_number or _doc_number(text, lines, head_end, g)
    signed, signers, signed_at = _signature(text, lines, g)
    page = _page_date(text, g)
    published = signed or page or _hint_date(hints)
    source = _source(text, g)
    byline: list[str] = []
    if signers and _first_line_after(lines, body, signed_at):
        # 解读标题 / 大连市交通运输局 2025年3月10日: an author's line under the title dates the
        # page; the issuer is the one the text reports (由X…印发), else that author
        byline, signers = signers, []

    issuer = "、".join(signers) if signers else None
    commentary = _commentary(title, g)
    if commentary and not signers and page:
        # a 汇编 quotes its notices with their own labels (发文日期：…): the page's date is its own
        published = page
    # (a 解读 page's info table may date it, 成文日期：…: a date with no signing organ leaves the
    # issuer to what the text reports)
    reported = doc_number is None and (signed is None or byline or (commentary and not signers)
                                       ) and not _official(title, g)
    if issuer is None and reported and commentary:
        # a 解读's info box names its publisher (发布机构); the text names the policy's
        # issuer (…由X于2026年4月28日印发实施)
        issuer = _news_issuer(text, body, source, g)
        reported = False  # tried
    if issuer is None:
        issuer = _stated_issuer(text, g)
    if issuer is None and title_line is not None:
        m = g["title_issuer"].search(title_line)
        if m:
            issuer = "、".join(_SPACE.split(m.group("issuer").strip()))
    if issuer is None and reported:
        issuer = _news_issuer(text, body, source, g)
    if issuer is None and byline:
        issuer = "、".join(byline)

    valid = None if title and any(w in title for w in g.collection) else _valid_until(text, g)
    return {
        "title": title,
        "doc_number": doc_number,
        "issuer": issuer,
        "published": published[0] if published else None,
        "valid_until": valid,
        "source_name": source,
        "script": script,
        "published_text": published[1] if published else None,
    }


@runner("meta")
def run_meta(text: str, pack: Pack) -> list[dict[str, Any]]:
    return [extract_meta(example_doc(text, pack), "simplified")]


# -- lines and the header -------------------------------------------------------------------
def _lines(text: str) -> list[_Line]:
    out, pos = [], 0
    for part in text.split("\n"):
        out.append(_Line(pos, pos + len(part), part))
        pos += len(part) + 1
    return out


def _head_end(doc: Doc, g: _Grammar) -> int:
    """The header ends where the first numbered measure starts (or after ``head_chars``)."""
    starts = [m.start for m in doc.measures if m.label is not None]
    limit = min(len(doc.text), g.head_chars)
    return min([*starts, limit]) if starts and min(starts) > 0 else limit


def _first_line_after(lines: list[_Line], body: int, pos: int) -> bool:
    """Is ``pos`` on the first non-blank line at or after ``body`` (the title's end)?"""
    if body <= 0 or pos < body:
        return False
    for ln in lines:
        if ln.start >= body and ln.text.strip():
            return ln.start <= pos <= ln.end
    return False


def _next_line(lines: list[_Line], pos: int) -> _Line | None:
    """The nearest non-blank line starting after ``pos``."""
    for ln in lines:
        if ln.start > pos and ln.text.strip():
            return ln
    return None


def _organ_lines_above(lines: list[_Line], pos: int, g: _Grammar) -> str:
    """The organs written on the lines right above a 关于… title (a PDF head): one organ per
    line for a joint head (仁寿县经济和信息化局 / 仁寿县财政局 / 关于…的公告), nearest last."""
    names: list[str] = []
    above = _prev_line(lines, pos)
    for _ in range(_HEAD_ORGAN_LINES):
        got = _organs(above.text, g) if above is not None else []
        if not got:
            break
        names[:0] = got
        above = _prev_line(lines, above.start)
    return "".join(names)


_HEAD_ORGAN_LINES = 4  # joint organs of a head, one per line


def _prev_line(lines: list[_Line], pos: int) -> _Line | None:
    """The nearest non-blank line ending before ``pos``."""
    for ln in reversed(lines):
        if ln.end < pos and ln.text.strip():
            return ln
    return None


# -- dates -----------------------------------------------------------------------------------
def _num(s: str) -> int:
    return int(s) if s.isdigit() else int(parse_chinese(s))


def _date_value(m: regex.Match[str]) -> str | None:
    """``YYYY-MM-DD`` from a match of the ``date_cn``/``date_iso`` fragments, if it is real."""
    gd = m.groupdict()
    y, mo, d = (gd.get("y"), gd.get("m"), gd.get("d"))
    if y is None:
        y, mo, d = (gd.get("y2"), gd.get("m2"), gd.get("d2"))
    if y is None and gd.get("y3"):
        year, month = int(gd["y3"]), int(gd["m3"])
        if not is_valid(year, month):
            return None
        return month_end(year, month) if gd.get("end3") else point(year, month)
    if y is None and gd.get("y4"):
        return month_end(int(gd["y4"]), 12)  # 2027年底
    if not (y and mo and d):
        return None
    try:
        year, month, day = _num(y), _num(mo), _num(d)
    except ValueError:
        return None
    return point(year, month, day) if is_valid(year, month, day) else None


def _valid_until(text: str, g: _Grammar) -> str | None:
    """The notice's own validity end: the first 有效期至/执行至 whose sentence does not give
    it to something else (a coupon's 有效期至 is that coupon's, a recalled original's is the
    original's: the ``valid_until_reject`` patterns), nor quotes it (an amendment's
    wording: 将“有效期至2024年12月31日”修改为…). A validity extended (有效期延长至…) is the
    one an extension notice sets: it wins over the old one the notice recalls."""
    first = None
    for m in g["valid_until"].finditer(text):
        lo = max(0, m.start() - 40)
        stop = max(text.rfind(c, lo, m.start()) for c in "。\n；;")
        extended = g.extended.search(m.group()) is not None
        if any(g[name].search(text, max(lo, stop + 1), m.start())
               for name in g.names("valid_until_reject")
               if not (extended and g.pats[name].attrs.get("extension_wins"))):
            continue  # (将原《措施》有效期延长至…: the extension recalls the original it extends)
        if text.rfind("“", stop + 1, m.start()) > text.rfind("”", stop + 1, m.start()):
            continue  # inside a quotation
        if extended:
            return _date_value(m)
        if first is None:
            first = m
    return _date_value(first) if first is not None else None


def _stated_issuer(text: str, g: _Grammar) -> str | None:
    """The issuer a page states outside a signature: 发文部门：…, a red header (…文件); the
    ``issuer`` patterns in file order."""
    for name in g.names("issuer"):
        m = g.first(name, text)
        if m is not None:
            return "、".join(_JOINT.split(m.group("issuer")))
    return None


def _hint_date(hints: dict[str, Any]) -> tuple[str, str] | None:
    raw = hints.get("date")
    if raw is None:
        return None
    m = _HINT_DATE.match(str(raw))
    if m and is_valid(int(m[1]), int(m[2]), int(m[3])):
        return point(int(m[1]), int(m[2]), int(m[3])), str(raw)
    return None


def _page_date(text: str, g: _Grammar) -> tuple[str, str] | None:
    """The earliest page date: 发布时间: …, a byline date, an outlet's dated line; an update
    time (更新时间: …) only when the page gives no other."""
    best: tuple[bool, int, str, str] | None = None
    for name in (*g.names("page_date"), *g.names("source_byline")):
        for m in g.scan(name, text):
            value = _date_value(m)
            if value:
                got = (g.update_label.match(m.group(0)) is not None, m.start(), value, m.group(0).strip())
                if best is None or got[:2] < best[:2]:
                    best = got
                if not got[0]:
                    break
    return (best[2], best[3]) if best else None


def _signature(text: str, lines: list[_Line], g: _Grammar
               ) -> tuple[tuple[str, str] | None, list[str], int]:
    """The signing date (the earliest signature's), the organs of the first signature that
    names any, and where that signature stands: a header's 成文日期 dates the notice but
    names nobody, so the joint organs of the signature block below still count."""
    found: list[tuple[int, str, str, list[str]]] = []
    for m in g.scan("signature_date", text):
        value = _date_value(m)
        if value is None:
            continue
        above = _prev_line(lines, m.start())
        if above is not None and g.latin_line.fullmatch(above.text):
            above = _prev_line(lines, above.start)  # a bilingual page's English name line
        signers = _organs(above.text, g) if above is not None else []
        for _ in range(_MAX_ORGAN_LINES - 1):  # joint organs signed one per line
            up = _prev_line(lines, above.start) if signers and above is not None else None
            more = _organs(up.text, g) if up is not None else []
            if not more:
                break
            signers, above = more + signers, up
        found.append((m.start(), value, m.group(0).strip(), signers))
        if signers:
            break  # the first date line with organs above it is the signature
    for m in g.scan("signature_inline", text):
        value = _date_value(m)
        if value and g.issuer_name.match(m.group("issuer")):  # (the last organ, by the date)
            names = [n for n in m.captures("issuer") if g.issuer_name.match(n)]
            found.append((m.start(), value, m.group(0).strip(), names))
            break
    m = g["signed_label"].search(text)
    if m and (value := _date_value(m)):
        found.append((m.start(), value, m.group(0), []))
    if not found:
        return None, [], -1
    found.sort(key=lambda f: f[0])
    _, value, written, _ = found[0]
    at, signers = next(((f[0], f[3]) for f in found if f[3]), (-1, []))
    return (value, written), signers, at


def _organs(line: str, g: _Grammar) -> list[str]:
    """A signature line's organs (``中共天水市委办公室 天水市人民政府办公室`` → two), or []."""
    names = _SPACE.split(_unmark(line))
    names = [n for n in names if n]
    return names if names and all(g.issuer_name.match(n) for n in names) else []


# -- title and doc number ------------------------------------------------------------------
def _title(text: str, lines: list[_Line], head_end: int, g: _Grammar, hints: dict[str, Any]
           ) -> tuple[str | None, str | None, str | None, int]:
    """(title, doc number from its bracket, the title line as written, where the body starts)."""
    for name in g.names("title_label"):  # 知识标题：… (a knowledge-base entry's header field)
        m = g.first(name, text)
        if m is not None and m.start() < head_end:
            return _SPACE.sub("", m.group("title")), None, m.group(0), m.end()
    for m in g["byline"].finditer(text, 0, head_end):
        above = _prev_line(lines, m.start())
        while above is not None and ((_FIELD_LINE.match(above.text)
                                      and not g.headline_label.match(above.text)
                                      and not g.place_headline.match(above.text))
                                     or _number_line(above.text, g)):
            above = _prev_line(lines, above.start)  # 发布机构：… / 长政办发〔2025〕21号 above the byline
        if above is not None and g.account_name.fullmatch(above.text):
            above = _prev_line(lines, above.start)  # the account's name (营山发布) over its byline
        if above is not None and _SUBTITLE.match(_unmark(above.text)):
            # 启东出台助企纾困“十二条” / ——中小微企业最高可获200万元贴息支持 / byline: the
            # headline is the line above its —— subtitle (a lone —— line is the headline; batch 64)
            head = _prev_line(lines, above.start)
            if head is not None and not _widget_line(head.text, g) and not _FIELD_LINE.match(head.text):
                got = _clean_title(head.text, g, headline=True)
                if got is not None and not _SUBTITLE.match(_unmark(head.text)):
                    return got[0], got[1], _unmark(head.text), above.end
        if above is not None and not _widget_line(above.text, g):
            got = _clean_title(above.text, g, headline=True)
            if got is not None:
                return got[0], got[1], _unmark(above.text), above.end
        break  # only the page's first byline marks its headline
    menu = _menu_lines(lines, head_end, g)
    for k, ln in enumerate(lines):
        if ln.start >= head_end:
            break
        raw = _unmark(ln.text)
        if not raw or k in menu:
            continue
        segments = _SPACE.split(raw)
        if len(segments) >= g.menu_run and all(_menu_entry(seg, g) for seg in segments):
            continue  # a menu on one line: 池州市商务局 政府信息公开 办事指南 (batch 49)
        for i, cand in enumerate((raw, *segments)):
            if i > 1 and g["crumb_tail"].search(segments[i - 2]):
                continue  # the last crumb of a breadcrumb (首页 > 惠农政策) is no title
            if i and _MENU_BAR.fullmatch(segments[i - 2] if i > 1 else "") or (
                    i and i < len(segments) and _MENU_BAR.fullmatch(segments[i])):
                continue  # an entry of a one-line menu (首页 | 信息公开指南 | …) is no title
            got = _clean_title(cand, g, headline=False)
            if got is None and i and i < len(segments):
                # a title wrapped in a PDF and then read as one line: 关于印发南平市竹产业 /
                # 高质量发展…的通知, …若干措施的通 / 知 (the one-line form of _wrapped_title)
                joined = _wrapped_segments(cand, segments[i], g)
                if joined is not None:
                    got, cand = joined
                    segments = [*segments[:i - 1], cand, *segments[i + 1:]]
            if got is not None:
                first, whole = ln, cand is raw
                if i == 0 and "关于" not in got[0]:
                    wrapped = _wrapped_title(lines, ln, g)
                    if wrapped is not None:  # …关于印发南平市竹产业 / 高质量发展…的通知
                        first, got, cand = wrapped
                title = got[0]
                # 佛山出台家电以旧换新补贴政策 每户补贴2000元 2024-08-26 来源:…: a headline and
                # its subtitle before their byline (a page that lost its line breaks)
                # (or a title run that is the second half of a two-part headline: 清远市发放
                # 3000万元消费券 清城区出台小微企业租金减免措施, one report on two policies)
                # (or a title run found after the byline: a related link's title, 【相关链接】
                # …的通知, on a page whose headline has a label: 图解：…措施 发布时间：…)
                if i and _SPACE.search(raw) and (inline := _inline_headline(
                        text, head_end, g)) and (_subtitled(title, inline[0], g)
                                                 or _headed(title, inline[0])
                                                 or text.find(cand, ln.start) > inline[3]):
                    return inline
                issuers = _organ_prefix(segments[:i - 1], g) if i else ""
                if not issuers and title.startswith("关于"):
                    issuers = _organ_lines_above(lines, first.start, g)
                end = ln.end if whole else ln.start
                if whole and (note := _next_line(lines, ln.end)) is not None and (
                        g.title_tail_line.fullmatch(_unmark(note.text))):
                    # …若干措施 / （征求意见稿）; …实施方案 / （2026—2027年）的通知 (a PDF wrap)
                    title, end = title + _SPACE.sub("", _unmark(note.text)), note.end
                return issuers + title, got[1], cand, end
            if not _SPACE.search(raw):
                break
    inline = _inline_headline(text, head_end, g)
    if inline is not None:
        return inline
    hint = hints.get("title")
    if isinstance(hint, str) and hint.strip():
        got = _clean_title(_HINT_TITLE_SPLIT.split(hint)[0], g, headline=True)
        if got is not None:
            return got[0], got[1], None, 0
    return None, None, None, 0


_HEADLINE_RUNS = 2  # a headline on a page that lost its breaks: its title and a subtitle
# a short name right before the byline's date is the outlet's (南方+, 澎湃新闻)
_OUTLET = regex.compile(r"[\p{Han}A-Za-z+＋]{2,4}")
# a menu or a breadcrumb, a label (分享到：, 字号：大); a headline may hold a colon (措施:合力…)
_NOT_HEADLINE = regex.compile(r"[|｜>›»]|[:：]$|^\p{Han}{1,5}[:：]")


def _inline_headline(text: str, head_end: int, g: _Grammar
                     ) -> tuple[str, str | None, str, int] | None:
    """A headline on the line of its byline (a page that lost its line breaks): the
    space-separated runs right before the page's first such byline, back to a run that is
    page furniture (岳阳要闻, 分享到：, 大 中 小) or a breadcrumb."""
    m = g["byline_inline"].search(text, 0, head_end)
    if m is None:
        return None
    ls = text.rfind("\n", 0, m.start()) + 1
    runs = list(_RUN.finditer(text, ls, m.start()))
    if len(runs) > 1 and _OUTLET.fullmatch(runs[-1].group()):
        runs.pop()  # the outlet that opens the byline (南方+ 2026-06-12 17:48 来源：…)
    keep: list[regex.Match[str]] = []
    for r in reversed(runs):
        if len(keep) == _HEADLINE_RUNS or (_NOT_HEADLINE.search(r.group())
                                           and not g.headline_label.match(r.group())
                                           and not g.place_headline.match(r.group())) or len(
                _HAN.findall(r.group())) < 2 or g.widgets.fullmatch(r.group()) or _clean_title(
                r.group(), g, headline=True) is None:
            break
        keep.insert(0, r)
        if g.headline_label.match(r.group()):
            break  # 图解：… opens its headline
    if not keep:
        return None
    raw = text[keep[0].start():keep[-1].end()]
    got = _clean_title(raw, g, headline=True)
    if got is None:
        return None
    return got[0], got[1], _unmark(raw), keep[-1].end()


def _widget_line(line: str, g: _Grammar) -> bool:
    """Is ``line`` a site header of page widgets (某市人民政府 无障碍浏览 长者模式): a line of
    space-separated runs, one of them a widget? Such a line is no headline."""
    runs = _SPACE.split(_unmark(line))
    return len(runs) > 1 and any(g.widgets.fullmatch(r) for r in runs)


def _subtitled(title: str, headline: str, g: _Grammar) -> bool:
    """Is ``headline`` the title followed by a subtitle (每户补贴2000元), not by a label
    (发布时间：…, garbled or not), a doc number or the title repeated?"""
    rest = headline[len(title):] if headline.startswith(title) else ""
    return bool(rest) and ":" not in rest and "：" not in rest and title not in rest and (
        g["doc_number"].search(rest) is None)


def _headed(title: str, headline: str) -> bool:
    """Is ``headline`` a first headline run followed by ``title``, the run that ends in a
    title word (清远市发放3000万元消费券 + 清城区出台…措施)? The first run must read as a headline
    of its own, with a figure in it (a red header, 市政府办公室文件, or the title repeated has none)."""
    head = headline[:-len(title)] if headline.endswith(title) else ""
    return bool(head) and _DIGIT.search(head) is not None and "关于" not in title


_DIGIT = regex.compile(r"\d")
_RUN = regex.compile(r"\S+")
_MENU_BAR = regex.compile(r"[|｜]")
_HAN = regex.compile(r"\p{Han}")


def _wrapped_title(lines: list[_Line], ln: _Line, g: _Grammar
                   ) -> tuple[_Line, tuple[str, str | None], str] | None:
    """A title wrapped over two lines (a PDF or Word head): the line above ``ln`` holds its
    关于 and no punctuation. (first line, cleaned title, the two lines as one) or None."""
    above = _prev_line(lines, ln.start)
    if above is None or "关于" not in above.text or _WRAP_STOP.search(above.text):
        return None
    joined = _unmark(above.text) + _unmark(ln.text)
    got = _clean_title(joined, g, headline=False)
    return (above, got, joined) if got is not None else None


def _wrapped_segments(cand: str, nxt: str, g: _Grammar
                      ) -> tuple[tuple[str, str | None], str] | None:
    """Two space-separated runs that are one title wrapped: the first holds its 关于, is no
    title itself, is long enough not to be a menu entry (关于我们) and holds no punctuation."""
    if "关于" not in cand or len(cand) < _WRAP_MIN or _WRAP_STOP.search(cand):
        return None
    joined = cand + nxt
    got = _clean_title(joined, g, headline=False)
    return (got, joined) if got is not None else None


def _menu_lines(lines: list[_Line], head_end: int, g: _Grammar) -> set[int]:
    """Indexes of the lines of a site menu in the header: a run of ``menu_run`` or more short
    lines of words only (信息公开指南 / 信息公开制度 / 依申请公开), none of them an official title.
    A menu entry may end in a title word (指南), but a title does not stand among such lines."""
    out: set[int] = set()
    run: list[int] = []
    for k, ln in enumerate([*lines, _Line(head_end, head_end, "")]):
        raw = _unmark(ln.text) if ln.start < head_end else ""
        if raw and _menu_entry(raw, g):
            run.append(k)
            continue
        if raw or ln.start >= head_end:  # a blank line does not end the run
            if len(run) >= g.menu_run:
                out.update(run)
            run = []
        if ln.start >= head_end:
            break
    return out


def _menu_entry(raw: str, g: _Grammar) -> bool:
    """A short run of words only that is no official title (信息公开指南, 办事指南)."""
    return len(raw) <= g.menu_chars and _MENU_ENTRY.fullmatch(raw) is not None and not _official(raw, g)


def _organ_prefix(segments: list[str], g: _Grammar) -> str:
    """The organs written before a title segment (``A B关于…``: A), joint issuers whose
    names the title keeps; a ``标题：`` label before the first is dropped."""
    names: list[str] = []
    for seg in reversed(segments):
        label = _LABEL_PREFIX.match(seg)
        if label and not label.group()[:-1].endswith(_TITLE_LABEL_TAILS):
            break  # 来源：市政府办公室 (a page's info line run on before the title): a field's value
        name = seg[label.end():] if label else seg
        if not g.issuer_name.match(name) or g.widgets.fullmatch(name):
            break  # 返回顶部 ends like an organ (…部) but is a page widget
        names.append(name)
    return "".join(reversed(names))


def _clean_title(raw: str, g: _Grammar, *, headline: bool) -> tuple[str, str | None] | None:
    """A title candidate → (title without spaces, doc number of its bracket) or None."""
    s = _unmark(raw)
    if not s or "。" in s or len(s) > g.max_title or g["headline_reject"].search(s):
        return None
    s = g["headline_tag"].sub("", s)
    s = g["site_suffix"].sub("", s)  # …的通知_某市人民政府门户网站 (a page's <title> line)
    s = _SPACE.sub("", s)
    if headline and s.endswith(("：", ":")):
        s = s[:-1]  # …申领攻略看这里👇 (the emoji read as the colon it means: normalize/chars.py)
    m = g["title_line"].match(s)
    if m is None:
        return (s, None) if headline and len(s) >= 4 else None
    title, number = m.group("title"), None
    for note in _NOTE.findall(m.group("notes")):
        dn = g["doc_number"].fullmatch(note[1:-1])
        if dn and note[1:].startswith(g.basis_leads):
            continue  # （根据…号）: the number of the text this one rests on
        if dn and number is None:
            number = _tidy_number(dn.group("num"))
        else:
            title += note
    return title, number


def _official(title: str | None, g: _Grammar) -> bool:
    """Is ``title`` an official text's? Words inside 《》 name another text, and a title
    ending in 解读/梳理/答记者问 explains one: neither is an official text itself."""
    if title is None or title.endswith(g.commentary):
        return False
    if "《" in title:
        title = _QUOTED.sub("", title)
    return g["official_title"].search(title) is not None


def _commentary(title: str | None, g: _Grammar) -> bool:
    """Does ``title`` explain another text (…政策解读, 图解：…)?"""
    if title is None:
        return False
    bare = _ISSUE_TAIL.sub("", title)  # …政策汇总（2026年第5期）
    return bare.endswith(g.commentary) or g.headline_label.match(title) is not None


def _doc_number(text: str, lines: list[_Line], head_end: int, g: _Grammar) -> str | None:
    """A labelled or standalone 发文字号 in the header; else a standalone registration number."""
    m = g["doc_number_label"].search(text, 0, head_end)
    if m:
        return _tidy_number(m.group("num"))
    tokens: list[str] = []
    for ln in lines:
        if ln.start >= head_end:
            break
        tokens.extend(t.strip("（）()") for t in _SPACE.split(_unmark(ln.text)) if t)
    for t in tokens:
        m = g["doc_number"].fullmatch(t)
        if m:
            return _tidy_number(m.group("num"))
    for ln in lines:  # 西藏自治区财政厅 …税务局公告2026年第3号
        if ln.start >= head_end:
            break
        num = _line_number(ln.text, g)
        if num is not None:
            return num
    for t in tokens:
        m = g["registration_number"].fullmatch(t)
        if m:
            return _tidy_number(m.group("num"))
    return None


def _line_number(line: str, g: _Grammar) -> str | None:
    """The number a whole line states (国家税务总局公告2026年第6号: a ``doc_number_line``)."""
    bare = _SPACE.sub("", _unmark(line))
    for name in g.names("doc_number_line"):
        m = g[name].fullmatch(bare)
        if m:
            return m.group("num")
    return None


def _number_line(line: str, g: _Grammar) -> bool:
    """Is ``line`` a document number alone (长政办发〔2025〕21号, 国家税务总局公告2026年第6号)?"""
    return g["doc_number"].fullmatch(line.strip()) is not None or _line_number(line, g) is not None


def _tidy_number(num: str) -> str:
    """Brackets as 〔〕, no spaces: ``辽市政发[2020]3号`` → ``辽市政发〔2020〕3号``."""
    num = _SPACE.sub("", num)
    return _NUMBER_YEAR.sub(r"〔\1〕", num)


# -- source and news issuer -----------------------------------------------------------------
def _source(text: str, g: _Grammar) -> str | None:
    """The earliest non-empty 来源 line or dated outlet line."""
    best: tuple[int, str] | None = None
    for name in ("source_label", "source_byline"):
        m = g.first(name, text)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), m.group("name"))
    return g.mend_source(best[1]) if best else None


def _news_issuer(text: str, body: int, source: str | None, g: _Grammar) -> str | None:
    """The place or organ a report's lead sentence names (after the headline, which
    names the subject too loosely); 我市 is the local medium's city."""
    m = g.first("news_issuer", text, body)
    if m is None or g.speaker.match(text, m.end()):
        # …介绍了嘉定区人民政府近日印发的《…》: the organ of a relative clause, named before
        # an organ whose head speaks (…局局长X在发布会上介绍)
        rel = g.first("news_issuer_relative", text, body)
        if rel is not None or m is None:
            return "、".join(rel.captures("organ")) if rel is not None else None
    if g.author.match(text, m.end()):
        # the 解读's author (区财政局对《…》进行梳理); the text may report who issued it later
        # (…由蜀山区人民政府办公室于2026年4月28日印发实施): that organ is the issuer
        later = g.first("news_issuer", text, m.end())
        while later is not None and not g.issues.match(text, later.end()):
            later = g.first("news_issuer", text, later.end())
        if later is not None:
            m = later
    issuer = m.group("issuer")
    if m.groupdict().get("referent"):  # 记者从X获悉，…该局将…: 该局 is X
        return m.group("referent")
    if "organ" in m.re.groupindex:  # joint issuers, as FORMAT.md joins them: A、B
        issuer = "、".join(m.captures("organ"))
    if issuer[0] in "我本":
        home = g["home_city"].match(source or "")
        return home.group("place") + issuer[1:] if home else None
    return issuer
