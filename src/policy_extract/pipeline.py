"""The conversion pipeline, in order:

1. **ingest** — read bytes, detect the encoding, sniff the format (HTML, front matter,
   markdown, text) and extract plain text with a map back to the decoded original;
2. **normalize** — OpenCC t2s, pinyin annotations and page furniture removed, hard-wrapped
   lines joined, stray spaces and full-width digits fixed; the offset map is kept;
3. **segment** — split the body into its numbered measures (nested);
4. **extract** — metadata, amounts, percentages, caps, dates and responsible units,
   each with offsets into the normalized text;
5. **record** — attach every field to its innermost measure and build ``policy-extract/1``.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .document import Doc, Source
from .extract.amounts import extract_amounts
from .extract.caps import extract_caps
from .extract.context import exclusion_zones
from .extract.dates import extract_dates
from .extract.meta import extract_meta
from .extract.percentages import extract_percentages
from .extract.units import extract_units
from .ingest import load, load_bytes
from .normalize import normalize
from .patterns.engine import Pack, default_pack
from .record import build_record
from .segment import segment_with_warnings


def extract_source(source: Source, pack: Pack | None = None) -> dict[str, Any]:
    """Run steps 2–5 on an ingested Source and return the record."""
    pack = pack or default_pack()
    norm = normalize(source, pack=pack)
    measures, seg_warnings = segment_with_warnings(norm.text, pack)
    doc = Doc(doc_id=source.doc_id, text=norm.text, measures=measures, hints=source.hints,
              pack=pack, warnings=[*source.warnings, *norm.warnings, *seg_warnings])
    doc.excluded = exclusion_zones(doc)
    doc.meta = extract_meta(doc, norm.script)
    amounts = extract_amounts(doc)
    percentages = extract_percentages(doc)
    fields = {
        "amounts": amounts,
        "percentages": percentages,
        "caps": extract_caps(doc, amounts, percentages),
        "dates": extract_dates(doc),
        "units": extract_units(doc),
    }
    fields.update(_extra_fields(doc))
    warnings = [w.to_dict() for w in doc.warnings]
    extra = {"source": {"path": source.path, "encoding": source.encoding, "format": source.format}}
    return build_record(source.doc_id, norm, doc.meta, measures, fields, warnings, extra)


def _extra_fields(doc: Doc) -> dict[str, list[dict[str, Any]]]:
    """Fields added by pattern packs: every field whose file names a ``handler`` (targets …)."""
    from .extract.packfields import extract_pack_fields

    return extract_pack_fields(doc)


# A short notice touching every step (traditional script, HTML, money, percentages, dates,
# units, targets): converting it once fills the per-pack caches (compiled grammars, OpenCC).
_WARM_UP = (
    "<html><head><title>關於支持企業發展的通知</title></head><body>"
    "<p>關於支持企業發展的通知</p><p>一、對新認定企業給予獎勵50萬元，補助比例不超過30%。</p>"
    "<p>（一）2024年3月1日至2024年12月31日，力爭新增規模以上工業企業10家以上。</p>"
    "<p>責任單位：市工信局、市財政局</p><p>某某市人民政府</p><p>2024年1月22日</p></body></html>"
)


def warm_up(pack: Pack | None = None) -> None:
    """Convert a built-in sample once, so lazily built per-pack state exists.

    A process pool forks after this: its workers inherit the compiled state instead of
    each building it again on its first file.
    """
    extract_source(load_bytes(_WARM_UP.encode("utf-8"), doc_id="warm-up"), pack)


def text_source(text: str, doc_id: str = "text") -> Source:
    """A notice given as text, sniffed like a file (markdown from a PDF, HTML, front matter)."""
    if text.strip():
        return load_bytes(text.encode("utf-8"), doc_id=doc_id)
    return Source.from_text(text, doc_id=doc_id)


def _names_a_file(text: str) -> bool:
    """Does ``text`` name an existing file? A one-line notice is no path: asking the file
    system about it may fail (a name longer than the system allows), which means "no"."""
    if "\n" in text or len(text) >= 4096:
        return False
    try:
        return Path(text).is_file()
    except (OSError, ValueError):  # name too long, NUL byte …
        return False


def extract(text_or_path: str | Path, *, doc_id: str | None = None,
            patterns: Iterable[str | Path] = ()) -> dict[str, Any]:
    """Convert one notice: a path to a file, or the notice's text itself.

    A ``str`` that names an existing file is read as a file; any other ``str`` is the text.
    """
    pack = default_pack(patterns)
    if isinstance(text_or_path, Path) or _names_a_file(text_or_path):
        source = load(text_or_path, doc_id=doc_id)
    else:
        source = text_source(str(text_or_path), doc_id=doc_id or "text")
    return extract_source(source, pack)
