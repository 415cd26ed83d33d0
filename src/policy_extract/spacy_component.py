"""A spaCy pipeline component: ``nlp.add_pipe("policy_extract")`` puts every field in ``doc.spans``.

Registered through the ``spacy_factories`` entry point, so it works once the package is
installed::

    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.add_pipe("policy_extract")            # config: {"patterns": ["my_pack/"]}
    doc = nlp(text)
    doc.spans["amounts"][0]._.value           # 400000
    displacy.render(doc, style="span", options={"spans_key": "amounts"})

The component runs the regular pipeline on ``doc.text`` (patterns compiled once per
process) and maps each field's ``src`` offsets, which index the input, to token spans.
One span group per field type (``amounts caps percentages dates units targets measures``
and any field a pack adds); ``Span._.pe`` holds the field's dict, ``Span._.value``,
``._.qualifier``, ``._.unit``, ``._.measure`` … read from it. When created it loads the
jieba user dictionary built from the pattern vocabularies (scripts/build_jieba_dict.py),
so 万元, 以上 and 市工信局's suffixes are not split by the segmenter.
"""
from __future__ import annotations

import importlib.resources
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import regex
from spacy.language import Language
from spacy.tokens import Doc, Span

from .extract.packfields import pack_fields
from .patterns.engine import Pack, default_pack
from .pipeline import extract_source, text_source
from .record import FIELDS

MEASURES = "measures"
# Span._.<name> getters read these keys of the field dict (None when a field lacks the key)
SPAN_ATTRS = ("value", "low", "high", "qualifier", "unit", "per", "currency", "scope", "role",
              "subject", "measure")
USERDICT = "data/generated/jieba_userdict.txt"
_jieba_loaded = False


def _getter(key: str):
    return lambda span: (span._.pe or {}).get(key)


def register_extensions() -> None:
    """Span/Doc custom attributes; ``force=True`` so reloading the module never fails."""
    Span.set_extension("pe", default=None, force=True)
    for key in SPAN_ATTRS:
        Span.set_extension(key, getter=_getter(key), force=True)
    Doc.set_extension("policy_extract", default=None, force=True)


# (field, vocab) lists that name words the segmenter must keep whole; pack fields add their
# ``unit`` and ``cue`` lists. Only words jieba can match (Han, Latin, digits) of 2+ characters.
USERDICT_VOCAB = (
    ("amounts", "currency"), ("amounts", "money_context"), ("amounts", "bare_follow"),
    ("quantity", "prefix_max"), ("quantity", "prefix_min"), ("quantity", "prefix_approx"),
    ("quantity", "suffix_max"), ("quantity", "suffix_min"), ("quantity", "suffix_approx"),
    ("quantity", "per_unit"), ("quantity", "bearer_head"), ("quantity", "gap"),
    ("caps", "cap_cue"), ("units", "org_suffix"), ("units", "lead_headers"),
    ("units", "member_headers"), ("units", "lead_verbs"), ("units", "member_verbs"),
    ("dates", "until_prefix"), ("dates", "by_prefix"),
)
_JIEBA_WORD = regex.compile(r"^[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]{2,}$")  # jieba's re_han_default


def userdict_words(pack: Pack) -> list[str]:
    """The words of the jieba user dictionary: pattern vocabularies and scale+currency words."""
    words: set[str] = set()

    def add(field: str, vocab: str) -> None:
        if field in pack.fields:
            words.update(pack.field(field).vocab.get(vocab, []))

    for field, vocab in USERDICT_VOCAB:
        add(field, vocab)
    for field in pack_fields(pack):
        add(field, "unit")
        add(field, "cue")
    if "amounts" in pack.fields:  # 万元, 亿元, 千万美元: keep scale and currency together
        amounts = pack.field("amounts").vocab
        words.update(s + c for s in amounts.get("scale", []) for c in amounts.get("currency", []))
    return sorted(w for w in words if _JIEBA_WORD.match(w))


def userdict_path() -> Path:
    """The generated jieba user dictionary shipped in the package."""
    return Path(str(importlib.resources.files("policy_extract") / USERDICT))


def load_jieba_userdict() -> bool:
    """Teach jieba the pattern vocabulary, once per process; False when jieba is not installed."""
    global _jieba_loaded
    if _jieba_loaded:
        return True
    try:
        import jieba
    except ImportError:
        return False
    path = userdict_path()
    if path.is_file():
        jieba.load_userdict(str(path))
    _jieba_loaded = True
    return True


class PolicyExtract:
    """Run policy-extract on a Doc and expose its fields as span groups."""

    def __init__(self, nlp: Language, name: str, patterns: Iterable[str] = ()):
        self.name = name
        self.patterns = [str(p) for p in patterns]
        self.pack = default_pack(self.patterns)  # compile now: a bad pack fails at add_pipe
        register_extensions()
        if load_jieba_userdict() and self.patterns:  # words of the user packs, too
            import jieba

            for word in userdict_words(self.pack):
                jieba.add_word(word)

    def __call__(self, doc: Doc) -> Doc:
        record = extract_source(text_source(doc.text, doc_id="spacy"), self.pack)
        doc._.policy_extract = record
        for key in (*FIELDS, *pack_fields(self.pack)):
            doc.spans[key] = self._spans(doc, record.get(key, []), key.rstrip("s").upper())
        measures = [m for m in record["measures"] if m.get("label") is not None]
        doc.spans[MEASURES] = self._spans(doc, measures, "MEASURE")
        return doc

    @staticmethod
    def _spans(doc: Doc, items: list[dict[str, Any]], label: str) -> list[Span]:
        out = []
        for item in items:
            start, end = item.get("src") or (item["start"], item["end"])
            span = doc.char_span(start, end, label=label, alignment_mode="expand")
            if span is None or not len(span):
                continue
            span._.pe = item
            out.append(span)
        return out


@Language.factory("policy_extract", default_config={"patterns": []})
def make_policy_extract(nlp: Language, name: str, patterns: list[str]) -> PolicyExtract:
    """Factory named in the ``spacy_factories`` entry point."""
    return PolicyExtract(nlp, name, patterns)


register_extensions()
