"""Line pass: strip every line, drop blank lines and whole lines of page furniture.

Furniture is removed a line at a time (breadcrumbs, share widgets, comment boxes, editor
lines, link lines; patterns in ``data/normalize.yaml``), never inside a body sentence. A
trailing list of short bullets after the article's last sentence (app ads, "read more"
links) goes too, and so do the headlines listed under a last 相关新闻 heading and the
footer lines after a 【打印本页】【关闭窗口】 line (related files, 主办单位), even when the
page repeats that bar. A line after a page number that repeats an earlier line is the next
page's running header.
"""
from __future__ import annotations

from collections import Counter

import regex

from .join import CLOSING_CHARS, runs_on
from .offsets import Buf, StepLog
from .rules import Rules

_MAX_FURNITURE_LINE = 300  # longer lines are body text, not furniture
_MAX_HEADER_LINE = 80  # a running header is a short line (the title, the issuer)
_UNSEEN = object()
_BULLET = regex.compile(r"[-•·*]\s*\S")
# (。��: undecodable characters after it; a closing quote ends a sentence only after its mark,
# 。” — a headline may end in a quoted word: 一图读懂｜2025年经济运行“成绩单”, batch 90)
_SENTENCE_END = regex.compile(r"(?:[。！？!?」』]|(?<=[。！？!?…])”)\ufffd*$")
# a listed headline may end in ！ or ？ (…直播节5月28日开幕，速来打卡！; batch 93): under a
# related-links heading only a full stop ends a sentence
_STATEMENT_END = regex.compile(r"(?:[。」』]|(?<=[。…])”)\ufffd*$")
_BULLET_END = regex.compile(r"[。；;]$")
_HAN = regex.compile(r"\p{Han}")
_DATE_END = regex.compile(r"[\d〇○零一二三四五六七八九十]日$")
_DIGITS = frozenset("0123456789０１２３４５６７８９")
_MIN_CUT_LINE = 20  # a line a page break cuts in mid-sentence is a full line of body text
_RUN_ON_LINE = 300  # a last line this long is a page that lost its line breaks


def line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, without its "\\n"."""
    spans, pos = [], 0
    for line in text.split("\n"):  # one C-level split instead of a find per line
        end = pos + len(line)
        spans.append((pos, end))
        pos = end + 1
    return spans


def furniture_name(line: str, rules: Rules) -> str | None:
    """The name of the furniture pattern the whole (stripped) line matches, if any."""
    if len(line) > _MAX_FURNITURE_LINE:
        return None
    memo = rules.furniture_memo  # a line is looked at again on every pass
    try:
        return memo[line]
    except KeyError:
        pass
    got = None
    # no pattern matches where their union does not: one regex call instead of one per pattern
    if rules.furniture_any is None or rules.furniture_any.fullmatch(line) is not None:
        for name, pat in rules.furniture:
            if pat.fullmatch(line):
                got = name
                break
    memo.put(line, got)
    return got


def clean_lines(buf: Buf, rules: Rules, log: StepLog) -> Buf:
    """Strip lines, drop blank and furniture lines, join the rest with single "\\n"."""
    text = buf.text
    n = len(text)
    kept: list[tuple[int, int, int]] = []  # (start, end, index of the "\n" after it or -1)
    memo = rules.furniture_memo
    related = rules.related_heads
    related_at = -1
    closers = rules.closing_widgets
    closer_at: list[int] = []  # kept-line indexes of the closing-widget lines
    after_page = False  # the last non-blank line was a page number
    headers: list[int] = []  # kept lines right after a page number (maybe a running header)
    follows: set[int] = set()  # starts of the kept lines a page break separates from the last
    a = 0
    for raw in text.split("\n"):
        b = a + len(raw)
        line = raw.strip(" ")
        if line:
            # furniture_name(line), its memo looked up here: one call less for most lines
            if len(line) > _MAX_FURNITURE_LINE:
                name = None
            else:
                name = memo.get(line, _UNSEEN)
                if name is _UNSEEN:
                    name = furniture_name(line, rules)
            if not name and after_page:
                s = a + len(raw) - len(raw.lstrip(" "))
                follows.add(s)
                if len(line) <= _MAX_HEADER_LINE:
                    headers.append(len(kept))
            after_page = name == "page_number"
            if name:
                log.add(line, pattern=name, text=line)
                if line.lstrip("【[").startswith(related):  # 相关新闻：, 【相关链接】
                    related_at = len(kept)  # the links after it, if they end the text
                elif any(w in line for w in closers):
                    closer_at.append(len(kept))  # the page footer after it, if it ends the text
            else:
                s = a if len(line) == len(raw) else a + len(raw) - len(raw.lstrip(" "))
                kept.append((s, s + len(line), b if b < n else -1))
        a = b + 1
    if headers:
        kept = _drop_running_headers(text, kept, headers, follows, log)
    limit = int(rules.setting("tail_footer_max_len", 80))
    for at in closer_at:  # the first widget line whose tail is all footer (a page may repeat
        if at < len(kept):  # its print/close bar and its footer links: both go)
            cut = _drop_tail_links(text, kept, at, rules, log, limit, "page_footer")
            if cut is not kept:
                kept = cut
                break
    # (after the footer: a download list above the print bar, 相关附件：1.…docx, then ends the text)
    if 0 <= related_at < len(kept):  # (a related file's full title with its date is no bullet)
        cut = _drop_tail_links(text, kept, related_at, rules, log, limit)
        kept = cut if cut is not kept else _drop_inline_links(text, kept, related_at, rules, log)
    kept = _drop_tail_bullets(text, kept, rules, log)
    kept = _cut_run_on_links(text, kept, rules, log)
    kept = _cut_run_on_clock(text, kept, rules, log)
    if not kept:
        return buf if not text else buf.keep([])
    # the output is a subsequence of the text: as long as the text means unchanged
    if sum(e - s for s, e, _ in kept) + len(kept) - 1 == len(text):
        return buf
    spans: list[tuple[int, int]] = []
    for i, (s, e, _nl) in enumerate(kept):
        if i and not (s in follows and _runs_on(text, kept[i - 1], s, e, rules)):
            prev_nl = kept[i - 1][2]
            spans.append((prev_nl, prev_nl + 1))  # only the last line has no "\n" after it
        spans.append((s, e))
    return buf.keep(spans)


def _cut_run_on_links(text: str, kept: list[tuple[int, int, int]], rules: Rules,
                      log: StepLog) -> list[tuple[int, int, int]]:
    """A page that lost its line breaks ends with its related links on the same line (…
    2025年10月11日 附件:申报表 相关文件: 漯河市…若干政策 漯河经开区2025年第三季度…): from a
    related-links heading after a space, in the second half of a long last line, to the end."""
    if not kept or rules.run_on_links is None:
        return kept
    s, e, nl = kept[-1]
    if e - s < _RUN_ON_LINE:
        return kept
    m = rules.run_on_links.search(text, s + (e - s) // 2, e)
    if m is None:
        return kept
    log.add(text[m.start() + 1:min(e, m.start() + 41)], pattern="related_links_run_on",
            text=text[m.start() + 1:e])
    return [*kept[:-1], (s, m.start(), nl)]


def _cut_run_on_clock(text: str, kept: list[tuple[int, int, int]], rules: Rules,
                      log: StepLog) -> list[tuple[int, int, int]]:
    """A page that lost its line breaks opens with the site's clock on its one line (2026年05月10日
    星期日 稍岗镇人民政府 首页 …): it goes, as the page_clock line of a page with its breaks does."""
    if not kept or rules.run_on_clock is None:
        return kept
    s, e, nl = kept[0]
    if e - s < _RUN_ON_LINE:
        return kept
    m = rules.run_on_clock.match(text, s, e)
    if m is None:
        return kept
    log.add(m.group().strip(), pattern="page_clock", text=m.group())
    return [(m.end(), e, nl), *kept[1:]]


def _runs_on(text: str, prev: tuple[int, int, int], s: int, e: int, rules: Rules) -> bool:
    """Does a sentence cut by a page break (…单个企 / — 2 — / 业最高…) go on in this line?

    A next page that opens with closing punctuation (…不得重复申报 / — 3 — / ；同一…) always
    goes on; a number or date cut at a digit (…有效期至2026年12月31 / — 2 — / 日。) goes on
    into a digit or a unit (``units``); otherwise both sides of the break are Han
    (not markup).
    """
    if text[s] in CLOSING_CHARS:  # no line opens with one unless it goes on the one before
        return runs_on(text[prev[0]:prev[1]], text[s:e], rules)
    if prev[1] - prev[0] < _MIN_CUT_LINE or _DATE_END.search(text, prev[0], prev[1]):
        return False  # a short line (a signature, a heading) or a date ends the page on its own
    last = text[prev[1] - 1]
    if last in _DIGITS:  # a number goes on in its digits or its unit (not a signature after
        # a phone number: 联系电话：0455-5712345 / — 3 — / 海伦市农业农村局)
        ok = text[s] in _DIGITS or text[s] in rules.number_units
    else:
        ok = _HAN.match(last) is not None and _HAN.match(text, s) is not None
    return ok and runs_on(text[prev[0]:prev[1]], text[s:e], rules)


def _drop_running_headers(text: str, kept: list[tuple[int, int, int]], after_page: list[int],
                          follows: set[int], log: StepLog) -> list[tuple[int, int, int]]:
    """Drop a line right after a page number that the text holds more than once: the
    running header (宜宾市人民政府行政规范性文件, the title) repeated on every page."""
    counts = Counter(ln.strip(" ") for ln in text.split("\n"))
    drop = set()
    for i in after_page:
        s, e, _ = kept[i]
        if counts[text[s:e]] >= 2:
            drop.add(i)
            log.add(text[s:e], pattern="running_header", text=text[s:e])
            if i + 1 < len(kept):
                follows.add(kept[i + 1][0])  # the page's text goes on after its header
    return [k for i, k in enumerate(kept) if i not in drop] if drop else kept


def _drop_tail_links(text: str, kept: list[tuple[int, int, int]], at: int, rules: Rules,
                     log: StepLog, limit: int = 0, name: str = "related_links",
                     ) -> list[tuple[int, int, int]]:
    """Drop the headlines listed under a last 相关新闻 heading (or the footer after a closing
    widget line) when they end the text: short lines, none a sentence (a body paragraph after
    the heading keeps them all)."""
    limit = limit or int(rules.setting("tail_bullet_max_len", 40))
    tail = kept[at:]
    end = _STATEMENT_END if name == "related_links" else _SENTENCE_END
    if not tail or any(((e - s > limit and not (name == "page_footer" and _field_runs(text, s, e)))
                        or end.search(text[s:e]) or "。" in text[s:e])
                       and not _COPYRIGHT.search(text, s, e)  # (a copyright line is footer,
                       and not _MENU.fullmatch(text, s, e)     # as a menu of links is)
                       for s, e, _ in tail):
        return kept
    for s, e, _ in tail:
        log.add(text[s:e], pattern=name, text=text[s:e])
    return kept[:at]


_MIN_LINK_HAN = 6  # a headline listed as a link holds at least this many Han characters
_HAN_CHARS = regex.compile(r"\p{Han}")


def _drop_inline_links(text: str, kept: list[tuple[int, int, int]], at: int, rules: Rules,
                       log: StepLog) -> list[tuple[int, int, int]]:
    """Drop the headlines listed under a 相关阅读 heading inside the page (the article goes on
    after them: a table's 序号 cell, a label, a paragraph): the run of headline-like lines
    right after the heading, each short, no sentence, no label (batch 64)."""
    limit = int(rules.setting("tail_bullet_max_len", 40))
    i = at
    while i < len(kept):
        s, e, _ = kept[i]
        line = text[s:e]
        if (e - s > limit or "。" in line or _SENTENCE_END.search(line) or rules.find_label(line)
                or len(_HAN_CHARS.findall(line)) < _MIN_LINK_HAN):
            break
        i += 1
    if i == at or i == len(kept):
        return kept
    for s, e, _ in kept[at:i]:
        log.add(text[s:e], pattern="related_links", text=text[s:e])
    return kept[:at] + kept[i:]

# a copyright line, however long or punctuated (Copyright © 1997-2026 by www.people.com.cn. all
# rights reserved; 人民网版权所有，未经书面授权禁止使用): page footer, no sentence of the body
_COPYRIGHT = regex.compile(r"(?i)copyright|©|all rights reserved|版权所有|版權所有|ICP备")
# a menu line of short links (人民日报社概况 | 关于人民网 | 报社招聘 | …)
_MENU = regex.compile(r"[ \u3000]*(?:[^|｜\n]{1,12}[|｜][ \u3000]*){3,}[^|｜\n]{0,12}")
_FIELD_LABEL = regex.compile(r"[ \u3000]*\p{Han}{2,6}[：:]")
_NEXT_FIELD = regex.compile(r"[ \u3000]\p{Han}{2,6}[：:]")


def _field_runs(text: str, s: int, e: int) -> bool:
    """A footer line of label：value runs, however long (主办单位：… 承办单位：… 地址：…)."""
    return _FIELD_LABEL.match(text, s, e) is not None and _NEXT_FIELD.search(text, s, e) is not None


def _drop_tail_bullets(text: str, kept: list[tuple[int, int, int]], rules: Rules,
                       log: StepLog) -> list[tuple[int, int, int]]:
    """Drop short bullets that follow the article's last sentence (ads, link lists)."""
    limit = int(rules.setting("tail_bullet_max_len", 40))
    i = len(kept)
    while i > 0:
        s, e, _ = kept[i - 1]
        line = text[s:e]
        if not (_BULLET.match(line) and len(line) <= limit and not _BULLET_END.search(line)):
            break
        i -= 1
    if i == len(kept) or i == 0:
        return kept
    s, e, _ = kept[i - 1]
    if not _SENTENCE_END.search(text[s:e]):
        return kept
    for s, e, _ in kept[i:]:
        log.add(text[s:e], pattern="tail_bullets", text=text[s:e])
    return kept[:i]
