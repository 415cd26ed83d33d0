"""HTML character references left in a plain-text or markdown file (a scraper that saved a
page's text without decoding it: ``&nbsp;``, ``&ldquo;若干措施&rdquo;``, ``&#8220;``).

Only complete references (with their ``;``) are decoded, so ``R&D`` or ``A&B公司`` stay as
written; each decoded character maps to its reference's ``&`` in the original, as the HTML
reader maps them.
"""
from __future__ import annotations

import html
from array import array

import regex

# what stands between "&" and ";" in a character reference (the HTML reader's tokenizer
# uses it too, with the ";" optional as browsers read it)
REF_BODY = r"\#[0-9]{1,7}|\#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31}"
_REF = regex.compile(rf"&(?:{REF_BODY});")


def unescape_refs(body: str, body_map: array) -> tuple[str, array]:
    """(body, body_map) with every known character reference decoded."""
    if "&" not in body:
        return body, body_map
    parts: list[str] = []
    offs = array("l")
    pos = 0
    for m in _REF.finditer(body):
        dec = html.unescape(m.group())
        if dec == m.group():
            continue  # not a reference HTML knows: text as written
        parts.append(body[pos:m.start()])
        offs.extend(body_map[pos:m.start()])
        parts.append(dec)
        offs.extend([body_map[m.start()]] * len(dec))
        pos = m.end()
    if pos == 0:
        return body, body_map
    parts.append(body[pos:])
    offs.extend(body_map[pos:])
    return "".join(parts), offs
