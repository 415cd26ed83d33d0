"""The review app driven in headless Chromium (Debian's /usr/bin/chromium, no downloads).

Run: .venv/bin/python -m pytest tests/test_review_browser.py
Screenshots for docs/review.md: REVIEW_SCREENSHOTS=docs/screenshots .venv/bin/python -m pytest \
    tests/test_review_browser.py -k screenshots
"""
from __future__ import annotations

import json
import os
import shutil
import threading
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM),
                       reason=f"{CHROMIUM} is absent (apt-get install chromium)"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is absent")

from policy_extract import extract  # noqa: E402
from policy_extract.review import Store, serve  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DOCS = ("004_fuzhou_20897eaf1db86d60.md", "real_013.txt")
XSS = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


def _evil_record() -> dict:
    text = f"关于{XSS}的通知\n一、给予{IMG}最高不超过10万元奖励。\n"
    s = text.index("最高不超过10万元")
    return {"schema": "policy-extract/1", "doc_id": "evil",
            "meta": {"title": f"关于{XSS}的通知", "doc_number": None, "issuer": IMG,
                     "published": None, "valid_until": None, "source_name": None,
                     "script": "simplified"},
            "text": text, "measures": [],
            "amounts": [{"text": "最高不超过10万元", "start": s, "end": s + 9, "measure": None,
                         "value": 100000, "low": None, "high": None, "currency": "CNY",
                         "per": None, "qualifier": "max"}],
            "caps": [], "percentages": [], "dates": [], "units": []}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A review server over converted corpus records (and one hostile page) in a temp folder."""
    base = tmp_path_factory.mktemp("review")
    out, gold = base / "out", base / "gold"
    out.mkdir()
    gold.mkdir()
    for name in DOCS:
        rec = extract(CORPUS / name)
        (out / f"{rec['doc_id']}.json").write_text(json.dumps(rec, ensure_ascii=False),
                                                   encoding="utf-8")
    (out / "evil.json").write_text(json.dumps(_evil_record(), ensure_ascii=False),
                                   encoding="utf-8")
    server = serve(Store(out, gold), "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.url, out, gold
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    # launch() gives every run a fresh temporary user-data dir
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    ctx = browser.new_context(viewport={"width": 1440, "height": 900})
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    ctx.close()
    assert not errors, errors


def open_doc(page, url: str, doc_id: str) -> None:
    page.goto(f"{url}#/doc/{doc_id}")
    page.wait_for_selector("#field-table tr.item")


def first_amount_row(page):
    return page.locator("#field-table tr.item", has=page.locator(".tag.t-amounts")).first


def test_correct_a_value_save_and_reload(page, site):
    url, _, gold = site
    doc_id = "004_fuzhou_20897eaf1db86d60"
    open_doc(page, url, doc_id)
    row = first_amount_row(page)
    row.click()
    value = page.locator("#editor [data-attr=value]")
    old = value.input_value()
    assert old  # the prediction's value is shown for correction
    value.fill("123456")
    value.press("Tab")
    assert "unsaved" in page.locator("#save-btn").inner_text()
    page.keyboard.press("Control+s")
    page.wait_for_selector("#banner.ok")
    assert "Saved to" in page.locator("#banner").inner_text()
    saved = json.loads((gold / f"{doc_id}.json").read_text(encoding="utf-8"))
    assert 123456 in [a["value"] for a in saved["amounts"]]
    assert saved["schema"] == "policy-extract/1" and saved["doc_id"] == doc_id
    page.reload()
    page.wait_for_selector("#field-table tr.item")
    assert page.locator("text=editing the gold").count() == 1
    first_amount_row(page).click()
    assert page.locator("#editor [data-attr=value]").input_value() == "123456"


def test_add_a_missed_field_from_a_selection(page, site):
    url, out, _ = site
    open_doc(page, url, "evil")
    rows = page.locator("#field-table tr.item").count()
    # select the characters 关于 (the first two of the text) as a reviewer would with the mouse
    page.evaluate("""() => {
        const seg = document.querySelector('#doc-text .seg');
        const r = document.createRange();
        r.setStart(seg.firstChild, 0); r.setEnd(seg.firstChild, 2);
        const s = window.getSelection(); s.removeAllRanges(); s.addRange(r);
        document.getElementById('doc-text').dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
    }""")
    page.wait_for_selector("#editor [data-add=units]")
    page.keyboard.press("5")  # 5 = unit
    page.wait_for_selector("#field-table .st-added")
    assert page.locator("#field-table tr.item").count() == rows + 1
    assert page.locator("#editor [data-attr=text]").input_value() == "关于"


def test_hostile_text_is_shown_as_text(page, site):
    url, _, _ = site
    dialogs: list[str] = []  # an exception raised in a handler would be lost: collect instead
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(url)
    page.wait_for_selector("tr[data-doc=evil]")
    assert XSS in page.locator("tr[data-doc=evil]").inner_text()
    open_doc(page, url, "evil")
    text = page.locator("#doc-text").inner_text()
    assert XSS in text and IMG in text
    assert page.locator("#doc-text script, #doc-text img, #app img").count() == 0
    page.locator("#doc-text .seg.hl").first.click()
    assert page.locator("#editor [data-attr=value]").input_value() == "100000"
    page.wait_for_timeout(300)  # time for any injected handler to have fired
    assert dialogs == []


def test_path_traversal_id_is_refused(page, site):
    url, _, _ = site
    page.goto(f"{url}#/doc/..%2F..%2Fetc%2Fpasswd")
    page.wait_for_selector("#banner.error")
    assert "not a valid document id" in page.locator("#app").inner_text()
    for path in ("api/doc/..%2Fx", "api/doc/%2Fetc%2Fpasswd"):
        assert page.request.get(url + path).status == 400


def test_stale_save_is_refused_with_a_visible_message(browser, site):
    url, _, gold = site
    doc_id = "real_013"
    a = browser.new_context().new_page()
    b = browser.new_context().new_page()
    try:
        for pg in (a, b):
            open_doc(pg, url, doc_id)
        for pg, v in ((a, "111"), (b, "222")):
            first_amount_row(pg).click()
            field = pg.locator("#editor [data-attr=value]")
            field.fill(v)
            field.press("Tab")
        a.locator("#save-btn").click()
        a.wait_for_selector("#banner.ok")
        b.locator("#save-btn").click()
        b.wait_for_selector("#banner.error")
        msg = b.locator("#banner").inner_text()
        assert "someone else" in msg and "NOT saved" in msg
        assert b.locator("#banner").is_visible()
        saved = json.loads((gold / f"{doc_id}.json").read_text(encoding="utf-8"))
        assert 111 in [x["value"] for x in saved["amounts"]]
        assert 222 not in [x["value"] for x in saved["amounts"]]
    finally:
        a.context.close()
        b.context.close()


@pytest.mark.skipif(not os.environ.get("REVIEW_SCREENSHOTS"),
                    reason="set REVIEW_SCREENSHOTS=DIR to write the docs screenshots")
def test_screenshots(browser, tmp_path):
    """review-list.png and review-document.png over the whole bundled corpus and its gold."""
    dest = Path(os.environ["REVIEW_SCREENSHOTS"])
    dest.mkdir(parents=True, exist_ok=True)
    gold = tmp_path / "gold"
    shutil.copytree(ROOT / "gold", gold)
    server = serve(Store(CORPUS, gold), "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        pg = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
        pg.goto(server.url)
        pg.wait_for_selector("tr[data-doc=real_037]", timeout=60000)
        pg.screenshot(path=str(dest / "review-list.png"))
        open_doc(pg, server.url, "004_fuzhou_20897eaf1db86d60")
        rows = pg.locator("#field-table tr.item", has=pg.locator(".tag.t-caps"))
        rows.first.click()
        pg.locator("#doc-text").evaluate("n => n.closest('.textpane').scrollTop = 200")
        pg.screenshot(path=str(dest / "review-document.png"))
        pg.context.close()
    finally:
        server.shutdown()
        server.server_close()
