"""Metamorphic checks: a notice and a re-typed copy of it give the same fields.

Held-out pages come from mirror sites that convert a notice to traditional script (whole
or paragraph by paragraph) and from editors that type half-width punctuation. The fields
of such a copy must be those of the original: these tests need no gold, so they run over
every annotated notice (corpus/ and tests/data/unseen*/), and a rule that reads only one
script or one kind of comma fails here. (The first run found a scan's ``5O萬元`` that was
repaired only in simplified script.) Variants that change the text's layout (lost line
breaks) change what a page means to the tool and are not asserted here; pinyin annotations
are asserted on web text only, as are blank lines between lines and indented paragraphs.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from policy_extract.ingest import load_bytes
from policy_extract.ingest.decode import decode
from policy_extract.normalize.opencc_facts import converter
from policy_extract.pipeline import extract_source

ROOT = Path(__file__).resolve().parents[1]
NOTICES = sorted(p for d in [ROOT / "corpus", *sorted((ROOT / "tests" / "data").glob("unseen*"))]
                 for p in d.iterdir() if p.suffix in (".txt", ".md"))
FIELDS = ("amounts", "caps", "percentages", "dates", "units")
# what a re-typed copy may write differently: the text as written and where it stands
_AS_WRITTEN = {"start", "end", "src", "text", "evidence", "cue"}
_HALF = str.maketrans({"，": ",", "：": ":", "（": "(", "）": ")", "；": ";"})


def _read(path: Path) -> str:
    """The notice as the tool decodes it (GBK, UTF-16 …), re-typed and fed back as UTF-8."""
    return decode(path.read_bytes(), str(path))[0]


def _to_trad(text: str) -> str:
    return converter("s2t").convert(text)


def _mixed(text: str) -> str:
    """Every other line converted, as a mirror that converted part of a page writes it."""
    return "\n".join(_to_trad(ln) if i % 2 else ln for i, ln in enumerate(text.split("\n")))


# a mirror's reading aids after common characters (real_022: 業(yè), 責(zé), 補(bǔ))
_PINYIN = str.maketrans({"业": "业(yè)", "责": "责(zé)", "补": "补(bǔ)", "政": "政(zhèng)",
                         "奖": "奖(jiǎng)", "网": "网(wǎng)", "资": "资(zī)"})

_FULL_DIGITS = str.maketrans("0123456789%", "０１２３４５６７８９％")

VARIANTS = {
    "traditional": _to_trad,
    "mixed": _mixed,
    "halfwidth": lambda t: t.translate(_HALF),
    "pinyin": lambda t: t.translate(_PINYIN),
    # a page typed with full-width digits (１００万元, a cell table's row numbers １ ２ ３)
    "fullwidth_digits": lambda t: t.translate(_FULL_DIGITS),
    # a scraper that writes a blank line after every block (a cell table's cells included)
    "blank_lines": lambda t: t.replace("\n", "\n\n"),
    # a page that indents every paragraph with two ideographic spaces
    "indented": lambda t: "\n".join("\u3000\u3000" + ln if ln.strip() else ln
                                     for ln in t.split("\n")),
}
# annotations, blank lines, indents and typed digits are a web page's (not a front matter's):
# not varied in PDF-derived markdown, whose column layout (two columns found by their aligned
# gap) they would shift and where a blank line ends a paragraph or a table
_WEB_ONLY = {"pinyin", "blank_lines", "indented", "fullwidth_digits"}


def _damaged(text: str) -> str:
    """Two undecodable characters (U+FFFD) after every third 。, as a scrape of a page saved in
    a mixed encoding writes them: the sentences around them read as before."""
    count = 0

    def mark(m: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return "。\ufffd\ufffd" if count % 3 == 0 else "。"
    return re.sub("。", mark, text)


def _fields(raw: str, doc_id: str, drop: frozenset[str] = frozenset()) -> dict[str, object]:
    rec = extract_source(load_bytes(raw.encode("utf-8"), doc_id=doc_id))
    out: dict[str, object] = {"measures": [(m["id"], m["label"]) for m in rec["measures"]]}
    for f in FIELDS:
        rows = []
        for item in rec[f]:
            d = {k: v for k, v in item.items() if k not in _AS_WRITTEN and k not in drop}
            if isinstance(d.get("scope"), str):  # 单台（套） as written by the copy
                d["scope"] = d["scope"].translate(_HALF)
            rows.append(json.dumps(d, ensure_ascii=False, sort_keys=True))
        out[f] = sorted(rows)
    return out


def test_there_are_notices_to_vary():
    assert len(NOTICES) > 100


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_a_retyped_copy_gives_the_same_fields(variant):
    change = VARIANTS[variant]
    differ = []
    for p in NOTICES:
        if variant in _WEB_ONLY and p.suffix != ".txt":
            continue
        raw = _read(p)
        a, b = _fields(raw, p.stem), _fields(change(raw), p.stem)
        if a != b:
            diff = {k: (sorted(set(a[k]) - set(b[k])), sorted(set(b[k]) - set(a[k])))  # type: ignore[arg-type]
                    for k in a if a[k] != b[k]}
            differ.append(f"{p.relative_to(ROOT)}: {diff}")
    assert not differ, f"{len(differ)} notices read differently as {variant}:\n" + "\n".join(differ[:5])


# a 相关阅读 list inside the page, the article going on after it: its headlines are dropped as
# lines, but on one line nothing tells where they end (normalize/furniture.py)
_INLINE_LINKS = re.compile(r"^(?:相关阅读|相关新闻|相关链接|延伸阅读)[：:]?\s*\n(?:.*\n){1,6}序号", re.M)


def _few_whole_rows(raw: str) -> bool:
    """Does the excerpt's cell table hold fewer than three whole rows (序号 / 任务 / 单位 / 时限,
    then 1 / … and 2 / … and a last row the cut left short of cells)? Run on one line, two rows
    are not enough to tell a table from prose (numbering.yaml runin_rows_min) and a cut row's
    last cell cannot be told from a whole one."""
    lines = [ln.strip() for ln in raw.strip().split("\n") if ln.strip()]
    head = max(i for i, ln in enumerate(lines) if ln in ("序号", "编号"))
    rows = [j for j in range(head + 1, len(lines)) if lines[j].isdigit()]
    if not rows:
        return False
    width = rows[0] - head
    whole = sum(1 for a, b in zip(rows, rows[1:] + [len(lines)], strict=True) if b - a >= width)
    return whole < 3


# notices with a table scraped one cell per line (a 序号 header cell alone on its line), of
# three whole rows at least
CELL_TABLES = [p for p in NOTICES
               if any(ln.strip() in ("序号", "编号") for ln in _read(p).split("\n"))
               and not _few_whole_rows(_read(p)) and not _INLINE_LINKS.search(_read(p))]


def test_there_are_cell_tables_to_vary():
    assert len(CELL_TABLES) >= 5


def test_undecodable_characters_between_sentences_change_no_value():
    """A U+FFFD run after a sentence end spares the sentences around it: their numbers, caps'
    bearers and run-in labels. (Not asserted: the year context may read the run as a
    paragraph's edge, and a signature line after it may no longer end the body, so its date
    goes to the last measure.)"""
    differ = []
    drop = frozenset({"year_from", "measure"})
    for p in NOTICES:
        raw = _read(p)
        a, b = _fields(raw, p.stem, drop), _fields(_damaged(raw), p.stem, drop)
        for got in (a, b):  # numbered measures (unnumbered paragraphs are the tool's choice)
            got["measures"] = [m for m in got["measures"] if m[1]]  # type: ignore[union-attr]
        if a != b:
            differ.append(f"{p.relative_to(ROOT)}: " + str(
                {k: (sorted(set(a[k]) - set(b[k])), sorted(set(b[k]) - set(a[k])))  # type: ignore[arg-type]
                 for k in a if a[k] != b[k]}))
    assert not differ, "\n".join(differ[:5])


@pytest.mark.parametrize("path", CELL_TABLES, ids=lambda p: p.stem)
def test_a_table_page_that_lost_its_line_breaks_keeps_its_rows(path):
    """A scraper that turns every line break into a space runs the table on one line
    (``序号 政策名称 … 1 外贸奖励 对… 市商务局 2 …``): the same rows, the same fields in each.
    (Not asserted: where a date's year came from, since the title is no line of its own there.)"""
    raw = _read(path)
    drop = frozenset({"year_from"})
    a, b = _fields(raw, path.stem, drop), _fields(raw.replace("\n", " "), path.stem, drop)
    assert [m for m in a["measures"] if m[1]], "the original has no rows"  # type: ignore[union-attr]
    diff = {k: (sorted(set(a[k]) - set(b[k])), sorted(set(b[k]) - set(a[k])))  # type: ignore[arg-type]
            for k in a if a[k] != b[k]}
    assert not diff


# news reports scraped as text (headline, byline, lead): a scraper that loses the line breaks
# runs the headline into its byline (… 岳阳要闻 岳阳发放3000万元消费券 汽车… 2025-10-09 来源:…)
NEWS = [p for p in NOTICES if p.suffix == ".txt"
        and any(k in p.stem for k in ("xinwen", "baodao", "kuaixun", "real_030", "real_035"))]


def test_there_are_news_reports_to_vary():
    assert len(NEWS) >= 10


@pytest.mark.parametrize("path", NEWS, ids=lambda p: p.stem)
def test_a_news_page_that_lost_its_line_breaks_keeps_its_meta(path):
    raw = _read(path)
    one = " ".join(ln.strip() for ln in raw.split("\n") if ln.strip())
    keys = ("title", "issuer", "published", "source_name")
    a, b = (extract_source(load_bytes(t.encode("utf-8"), doc_id=path.stem))["meta"] for t in (raw, one))
    assert {k: b[k] for k in keys} == {k: a[k] for k in keys}
