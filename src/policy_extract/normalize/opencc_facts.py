"""Facts about OpenCC's t2s and s2t, proved once per process, that spare converting a text.

Most notices are simplified already, and OpenCC is the dearest part of the normalizer (s2t
above all: it runs only to measure the script, over a 50,000-phrase dictionary). OpenCC
converts by dictionary: it cuts the text into the longest keys of its dictionaries and puts
each key's value in its place (a character that is no key stays). Converted alone, a key is
one segment (no longer key fits in it): ``convert(key)`` is what OpenCC puts in its place
wherever it cuts it out of a text. So the output differs from the input only inside keys
that ``convert`` changes, and only at the places where it changes them. Hence:

* t2s leaves a text unchanged (:func:`unchanged_by_t2s`) when it holds no character that
  t2s changes on its own (``changed_chars``, measured at first use by converting every CJK
  character through OpenCC itself) and none of ``T2S_PHRASES``: the keys t2s changes that
  are made only of unchanged characters (回覆 → 回复, 深沈 → 深沉);
* s2t changes at most as many characters as the text holds of its own changed characters
  and ``S2T_EXTRA`` (:func:`s2t_change_bound`): the characters that s2t changes inside
  some key although not on their own (了 in 了解 → 瞭解). No s2t key changes length, so the
  output's characters stay where their source characters were.

Texts with a character outside the BMP are always converted. ``T2S_PHRASES`` and
``S2T_EXTRA`` were read from OpenCC's dictionary files by :func:`derive` (keys listed with
OpenCC's ``opencc_dict`` tool, each checked through ``convert``). They hold for those files
only: the SHA-256 of every file each config uses, and of each measured set, are recorded
here and checked at first use; on any difference (another OpenCC release or build) these
shortcuts are off and every text is converted, as before. ``tests/test_normalize_speed4.py``
re-derives both when the tool is installed and checks the shortcuts against the converter.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

import opencc

__all__ = ["changed_chars", "config_files", "converter", "derive", "s2t_change_bound",
           "unchanged_by_t2s"]

# the CJK blocks of the BMP (unified + extension A, compatibility ideographs): a character
# changed on its own elsewhere would be listed by ``derive`` (none is, in these files)
_RANGES = ((0x3400, 0xA000), (0xF900, 0xFB00))
# a character outside the BMP: such a text is always converted
_ASTRAL_RANGE = "\U00010000-\U0010ffff"
_ASTRAL = re.compile("[" + _ASTRAL_RANGE + "]")

# recorded for OpenCC 1.4.2: file name -> SHA-256 of the file
_T2S_FILES = {
    "t2s.json":
        "96fe5cc374a80ccc49e3370006cce3aefe4af955868ae0b14fb3079ec695be4f",
    "CJK_Compatibility_Ideographs.ocd2":
        "4b1faa6649012f524068ec18c0fb520ead343c11cbe0a8e4c8853ca61369d666",
    "TSPhrases.ocd2":
        "2b722237cc00a4ac985790deb6a68c99f34de10e980a0029ac82c72b0f7ae22b",
    "TSCharactersExt.ocd2":
        "e2b0286801dcd1d26119d19ba8b8a35cde021ec173468255d117c4c0951b2906",
    "TSCharacters.ocd2":
        "7a994de7900707925fac9c68728a6bb9cf3059870426f661cf31b601efbf5f2f",
}
_T2S_CHANGED_SHA256 = "22e015cd2f6f44c76a81efcd2308c284e0a2e7820a15fdd114d0e2c31572d020"
_S2T_FILES = {
    "s2t.json":
        "a188392af5ca23e1d602c5a93651f1d852fccdaa24c2b29abed7a0c8ac359048",
    "CJK_Compatibility_Ideographs.ocd2":
        "4b1faa6649012f524068ec18c0fb520ead343c11cbe0a8e4c8853ca61369d666",
    "STPhrases.ocd2":
        "c472f936ab624e8887ed48c2572d0af68b904f0be72d98e237a6b8c1f5de024d",
    "STPhrases_GeneratedFromRegionalPhrases.ocd2":
        "815bbb98c644095fb0bfd76dbf259b9da4350a19d4927b2342e7928fb26b20e2",
    "STCharacters.ocd2":
        "94639fe1d2bbeb3dcb4f29a297cda70ecfd26425b8a935f4b6bac0746c3987f2",
}
_S2T_CHANGED_SHA256 = "51e568e68a6d79da5b7739b9068bef2e431b8d4f9f9f623961c86fdb960e14e9"

# keys that t2s changes although none of their characters changes on its own
T2S_PHRASES: tuple[str, ...] = (
    "一目瞭然", "以免藉口", "反反覆覆", "反覆思量", "意志消沈", "折戟沈沙", "折戟沈河", "沈思往事",
    "沈湎酒色", "沈睡不醒", "沈迷不醒", "沈默寡言", "深沈不露", "狐藉虎威", "瞭如指掌", "瞭若指掌",
    "破釜沈舟", "藉端生事", "不瞭解", "反覆性", "墨沈沈", "找藉口", "暗沈沈", "沈甸甸", "沈砂池",
    "瞭解到", "藉寇兵", "黑沈沈", "一坏", "凌藉", "函覆", "反覆", "回覆", "土坏", "坏土",
    "坏子", "坏布", "打坏", "批覆", "拉坏", "拜覆", "捏坏", "明瞭", "明覆", "昏沈",
    "毛坏", "沈下", "沈冤", "沈厚", "沈吟", "沈寂", "沈思", "沈浮", "沈浸", "沈湎",
    "沈溺", "沈痛", "沈痼", "沈睡", "沈筒", "沈船", "沈落", "沈迷", "沈醉", "沈重",
    "沈降", "沈陷", "沈香", "沈默", "浮沈", "海哩", "深沈", "滑藉", "甦生", "甦醒",
    "申覆", "瞭如", "瞭然", "瞭解", "示覆", "答覆", "素藉", "耳沈", "英哩", "茵藉",
    "藉代", "藉以", "藉助", "藉卉", "藉口", "藉喻", "藉手", "藉故", "藉方", "藉槁",
    "藉此", "藉甚", "藉由", "藉着", "藉端", "衹得", "覆信", "覆呈", "覆命", "覆墓",
    "覆按", "覆文", "覆校", "重覆", "陶坏",
)
# one character of every phrase (checked at first use; if one has none, all their chars
# serve): a text without any of them holds no phrase, and the phrases are not searched
T2S_GUARD = "沈覆藉瞭坏哩甦衹"
# characters that s2t changes inside some key although not on their own
S2T_EXTRA = (
    "了仇仿佛俊修借僵克具冢冬凌出刮制千升卜卷只合吊同向吣呆周咽哄喂噪回困坐堤夫奸姜娘"
    "家局巨布席幸庵弦彩御志念恤愈戚扇才扎托扣折抵拐拿挨挽捆搜斤斫昆暗曲札朱杆杯松板果"
    "栗核梁棱檗欲沈沾泛注浚溪漓澄焰狸玩琅症矩私秋穗筱糊系耇胄背胡致舍芸苔蒙蔑藤表谷豆"
    "象酸雕面"
)


@lru_cache(maxsize=2)
def converter(config: str) -> opencc.OpenCC:
    """The process's one OpenCC converter per config (loading s2t takes ~50 ms)."""
    return opencc.OpenCC(config)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def config_files(config_path: str | Path) -> list[Path]:
    """The config file and every dictionary file it names, resolved beside it."""
    path = Path(config_path)
    names: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("file"), str):
                names.append(node["file"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(json.loads(path.read_text(encoding="utf-8")))
    return [path] + [path.parent / n for n in names]


def changed_chars(convert: Callable[[str], str]) -> str | None:
    """The characters of the CJK blocks that ``convert`` changes on its own, sorted
    (None if the converter did not answer one line per character)."""
    chars = [chr(i) for a, b in _RANGES for i in range(a, b)]
    out = convert("\n".join(chars)).split("\n")  # no key holds a "\n": one char per line
    if len(out) != len(chars):
        return None
    return "".join(c for c, o in zip(chars, out, strict=True) if o != c)


def derive(entries: Iterable[tuple[str, str]], convert: Callable[[str], str],
           changed: str) -> tuple[list[str], str, list[str]]:
    """(phrases, extra, resized) from every (key, values) of the dictionaries of a config.

    ``phrases``: the keys ``convert`` may change that hold no character of ``changed``;
    ``extra``: the characters not in ``changed`` at a place where ``convert`` changes a
    key; ``resized``: the keys whose conversion has another length. A key counts as
    changed when its first value (the one OpenCC writes) or ``convert(key)`` differs from
    it. Keys with a character outside the BMP are left out (such texts are converted).
    """
    ch = set(changed)
    phrases: set[str] = set()
    extra: set[str] = set()
    resized: list[str] = []
    for k, v in entries:
        if _ASTRAL.search(k):
            continue
        out = convert(k)
        first = v.split(" ")[0]
        if out == k and first == k:
            continue
        if not ch.intersection(k):
            phrases.add(k)
        if len(out) != len(k) or len(first) != len(k):
            resized.append(k)
            continue
        extra.update(a for a, b, c in zip(k, out, first, strict=True)
                     if (a != b or a != c) and a not in ch)
    return (sorted(phrases, key=lambda k: (-len(k), k)), "".join(sorted(extra)),
            sorted(resized))


def _measured(config: str, files: dict[str, str], changed_sha: str) -> str | None:
    """The chars ``config`` changes on its own, if its files and they are as recorded."""
    try:
        cc = converter(config)
        got = {f.name: _sha256(f.read_bytes()) for f in config_files(cc.config)}
    except Exception:  # noqa: BLE001 - no readable config: no shortcut
        return None
    if got != files:
        return None
    changed = changed_chars(cc.convert)
    if changed is None or _sha256(changed.encode("utf-8")) != changed_sha:
        return None
    return changed


@lru_cache(maxsize=1)
def _t2s() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]] | None:
    """(changed + guard + non-BMP, changed + non-BMP, phrases), or None when not provable."""
    changed = _measured("t2s", _T2S_FILES, _T2S_CHANGED_SHA256)
    if changed is None:
        return None
    guard = T2S_GUARD if all(set(T2S_GUARD).intersection(p) for p in T2S_PHRASES) else "".join(
        sorted(set("".join(T2S_PHRASES))))
    # ``re``: a class of BMP characters plus one range is a bitmap test per char, 100+ MB/s
    trigger = re.compile("[" + re.escape(changed + guard) + _ASTRAL_RANGE + "]")
    chars = re.compile("[" + re.escape(changed) + _ASTRAL_RANGE + "]")
    phrases = re.compile("|".join(map(re.escape, T2S_PHRASES)) or "(?!)")
    return trigger, chars, phrases


def unchanged_by_t2s(text: str) -> bool:
    """True only when OpenCC t2s provably returns ``text`` unchanged (False: convert it)."""
    g = _t2s()
    if g is None:
        return False
    trigger, chars, phrases = g
    hit = trigger.search(text)
    if hit is None:
        return True  # most simplified notices: one scan
    if chars.search(text, hit.start()) is not None:
        return False
    return phrases.search(text) is None  # a guard char (覆盖, 沈阳): is it in a phrase?


@lru_cache(maxsize=1)
def _s2t() -> re.Pattern[str] | None:
    """The characters s2t may change, as a class, or None when not provable."""
    changed = _measured("s2t", _S2T_FILES, _S2T_CHANGED_SHA256)
    if changed is None:
        return None
    return re.compile("[" + re.escape(changed + S2T_EXTRA) + "]")


def s2t_change_bound(text: str) -> int | None:
    """At least as many as the characters s2t changes in ``text`` (the positions where
    ``s2t(text)`` differs from it, both of one length); None when not provable."""
    chars = _s2t()
    if chars is None or _ASTRAL.search(text) is not None:
        return None
    return len(chars.findall(text))
