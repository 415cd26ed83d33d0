"""Bytes → text: binary sniffing and encoding detection (UTF-8, GB18030/GBK, Big5).

Strict UTF-8 first (it is what almost every input is and it never decodes other encodings
by accident), then strict GB18030 and Big5 with charset-normalizer as the judge when both
decode, then a lenient decode when only a few bytes are damaged (W306 counts the U+FFFD).
"""
from __future__ import annotations

import codecs

from ..errors import PolicyExtractError, Warn

_MAGIC: tuple[bytes, ...] = (
    b"%PDF", b"PK\x03\x04", b"\x89PNG", b"GIF87a", b"GIF89a", b"\xff\xd8\xff", b"\x1f\x8b",
    b"\xd0\xcf\x11\xe0", b"Rar!", b"7z\xbc\xaf", b"\x7fELF", b"II*\x00",
    b"MM\x00*", b"OggS", b"ID3", b"\x00\x00\x01\x00", b"SQLite format 3",
)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
         (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
_SNIFF = 64 * 1024
# control bytes that do not occur in text (tab, LF, FF, CR and ESC do)
_CONTROLS = bytes(c for c in range(32) if c not in (9, 10, 12, 13, 27))
_LOW_CONFIDENCE = 0.5
_MAX_DAMAGE = 0.02  # a lenient decode may replace at most this share of characters


def is_binary(data: bytes) -> bool:
    """NUL bytes or a known binary signature (PDF, ZIP/DOCX, images, archives, executables)."""
    if any(data.startswith(bom) for bom, _ in _BOMS[1:]):
        return False  # UTF-16/32 text legitimately holds NUL bytes
    if data.startswith(_MAGIC):
        return True
    head = data[:_SNIFF]
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _CONTROLS))  # one pass, not one per byte
    return controls > max(8, len(head) // 100)


def decode(data: bytes, path: str) -> tuple[str, str, list[Warn]]:
    """(text, encoding name, warnings); raises E103 for binary and E104 for undecodable bytes."""
    if is_binary(data):
        raise PolicyExtractError("E103", path=path)
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc, []
            except UnicodeDecodeError:
                break
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError:
        pass
    ok: dict[str, str] = {}
    for enc in ("gb18030", "big5"):
        try:
            ok[enc] = data.decode(enc)
        except UnicodeDecodeError:
            continue
    if len(ok) == 1:
        (enc, text), = ok.items()
        return text, enc, []
    if len(ok) == 2:
        enc, conf = _judge(data, ("gb18030", "big5"))
        warns = [] if conf >= _LOW_CONFIDENCE else [Warn.make("W302", encoding=enc)]
        return ok[enc], enc, warns
    return _lenient(data, path)


def _judge(data: bytes, encodings: tuple[str, ...]) -> tuple[str, float]:
    """The encoding charset-normalizer prefers among ``encodings``, with its confidence."""
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:_SNIFF * 4], cp_isolation=list(encodings)).best()
    except Exception:  # detection is a hint; never let it crash a conversion
        best = None
    if best is None:
        return encodings[0], 0.0
    enc = "big5" if "big5" in best.encoding.lower() else "gb18030"
    return enc, 1.0 - float(best.chaos)


def _lenient(data: bytes, path: str) -> tuple[str, str, list[Warn]]:
    """The encoding that decodes with the fewest replacement characters, if few enough."""
    best: tuple[int, str, str] | None = None
    for enc in ("utf-8", "gb18030", "big5"):
        text = data.decode(enc, errors="replace")
        bad = text.count("\ufffd")
        if best is None or bad < best[0]:
            best = (bad, enc, text)
    assert best is not None
    bad, enc, text = best
    if bad > max(1, int(len(text) * _MAX_DAMAGE)):
        raise PolicyExtractError("E104", path=path)
    return text, enc, [Warn.make("W302", encoding=enc), Warn.make("W306", count=bad)]
