"""The pattern engine: load pattern packs (YAML data files), validate them, compile their regexes.

Patterns are data. A pack is a folder of ``*.yaml`` files; each file belongs to one ``field``
(``amounts``, ``dates``, ``numbering`` …) and holds:

``vocab``
    named word lists, referenced in regexes as ``{name}``; compiled as an alternation,
    longest word first, each word escaped.
``fragments``
    named regex pieces (VERBOSE syntax), referenced as ``{name}``; they may reference
    vocab and other fragments.
``patterns``
    a list of entries ``{name, regex, examples, …}``; the field's interpreter (code) reads
    the named groups of every match. ``examples`` are ``{text, expect}`` pairs and are run
    as tests (``policy-extract patterns test``). A pattern may name an ``anchor`` (a regex
    every match contains) with ``anchor_before`` / ``anchor_after`` (how many characters a
    match reaches before the anchor's start / past its end): the full regex is then tried
    only around the anchor's hits (``Pack.scan``; exclusions: ``extract/context.py``), a
    speed-up that finds the same matches. An anchor without ``anchor_before``/``after``
    (normalize.yaml's pinyin patterns) is a whole-text prefilter: no anchor hit, no search.
    ``kind`` tells an interpreter how to read a pattern; its values belong to the field
    (e.g. ``exclusion`` in common.yaml, ``bare`` in amounts.yaml, ``space`` in normalize.yaml:
    delete the spaces inside a match, ``heading`` marks in numbering.yaml), and each data
    file's header says which kinds it uses.
``tables``
    named mappings (word → value), for lookups such as qualifier words → qualifier.

The built-in pack is ``policy_extract/data``. User packs are layered on top: a vocab list
extends the built-in one, a pattern with an existing ``name`` replaces it, ``disable`` lists
pattern names to drop, a table extends/overrides keys, and a file for a new ``field`` adds
that field (with a ``handler`` naming a built-in interpreter).
"""
from __future__ import annotations

import importlib.resources
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import regex
import yaml

FILE_KEYS = {"field", "description", "handler", "vocab", "fragments", "patterns", "tables",
             "disable", "settings"}
PATTERN_KEYS = {"name", "regex", "description", "examples", "qualifier", "priority", "role",
                "value", "unit", "flags", "kind", "anchor", "anchor_before", "anchor_after",
                "extension_wins"}  # (a meta valid_until_reject that an extended term overrides)
EXAMPLE_KEYS = {"text", "expect", "note"}
_REF = regex.compile(r"(?<!\\[pPN])\{([A-Za-z_][A-Za-z0-9_]*)\}")  # not \p{Han}
# libyaml's loader builds the same data ~10x faster (pack loading is a per-process fixed cost)
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_EDGE = 4  # Pack.scan: a match this close to a window's end may have been cut (lookahead)
_DENSE = 2.0  # Pack.scan: hits whose windows would add up to this many texts → one plain scan
_RUN_CHARS = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                       ",.．﹒·零〇○一二两三四五六七八九十百千万亿")


class PatternError(ValueError):
    """A pattern file is malformed; the message names the file and the key."""


@dataclass
class Pattern:
    """One named regex with the examples that document and test it."""

    name: str
    field: str
    source: str  # the raw regex as written, before {ref} substitution
    origin: str  # file the pattern came from
    examples: list[dict[str, Any]] = field(default_factory=list)
    attrs: dict[str, Any] = field(default_factory=dict)
    compiled: regex.Pattern[str] | None = None


@dataclass
class FieldSpec:
    """Everything a pack says about one field."""

    name: str
    description: str = ""
    handler: str | None = None
    vocab: dict[str, list[str]] = field(default_factory=dict)
    fragments: dict[str, str] = field(default_factory=dict)
    patterns: dict[str, Pattern] = field(default_factory=dict)
    tables: dict[str, dict[str, Any]] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    origins: list[str] = field(default_factory=list)


class Pack:
    """A compiled set of pattern files: the built-in pack plus any user packs layered on it."""

    def __init__(self, fields: Mapping[str, FieldSpec], sources: list[str]):
        self.fields = dict(fields)
        self.sources = sources
        self._adhoc: dict[tuple[str, str, int], regex.Pattern[str]] = {}
        self._sorted: dict[str, list[Pattern]] = {}
        self._plans: dict[int, tuple[Any, ...]] = {}  # Pack.scan's reading of each pattern
        for spec in self.fields.values():
            for pat in spec.patterns.values():
                pat.compiled = self._compile(spec, pat)

    # -- lookups -----------------------------------------------------------------------
    def field(self, name: str) -> FieldSpec:
        try:
            return self.fields[name]
        except KeyError:
            raise PatternError(f"no pattern file for field {name!r}; loaded: {sorted(self.fields)}") from None

    def patterns(self, field_name: str) -> list[Pattern]:
        """Patterns of a field in file order (higher ``priority`` first when given)."""
        got = self._sorted.get(field_name)
        if got is None:
            pats = list(self.field(field_name).patterns.values())
            got = self._sorted[field_name] = sorted(pats, key=lambda p: -int(p.attrs.get("priority", 0)))
        return list(got)

    def pattern(self, field_name: str, name: str) -> regex.Pattern[str]:
        pat = self.field(field_name).patterns[name].compiled
        assert pat is not None
        return pat

    def vocab(self, field_name: str, name: str) -> list[str]:
        return self.field(field_name).vocab[name]

    def table(self, field_name: str, name: str) -> dict[str, Any]:
        return self.field(field_name).tables[name]

    def setting(self, field_name: str, name: str, default: Any = None) -> Any:
        return self.field(field_name).settings.get(name, default)

    def compile(self, field_name: str, source: str, flags: int = 0) -> regex.Pattern[str]:
        """Compile an ad-hoc regex with the field's {refs} expanded (for code-built patterns).

        Memoised per pack: extractors may ask for the same pattern on every document, and
        expanding the vocab alternations costs far more than matching a short notice.
        """
        key = (field_name, source, flags)
        got = self._adhoc.get(key)
        if got is None:
            got = regex.compile(expand(source, self.field(field_name), self.fields),
                                regex.VERBOSE | flags)
            self._adhoc[key] = got
        return got

    def scan(self, pat: Pattern, text: str, pos: int = 0) -> list[regex.Match[str]]:
        """``pat.compiled.finditer(text, pos)`` as a list, tried only around its ``anchor``.

        A pattern with ``anchor`` promises that every match holds an anchor hit and reaches
        at most ``anchor_before`` characters before the hit's start and ``anchor_after``
        past its end (runs of digits, numerals, Latin letters and spaces excepted: a window
        never starts inside one). The regex then runs only in those windows (merged when
        they touch), so a notice is not scanned character by character for a pattern it
        rarely holds. A match that touches a window's edge (it might be cut short there)
        falls back to the plain scan of the whole text, so within that promise the result
        is what ``finditer`` finds (tests/test_extract_speed_invariants.py). When the hits
        are so dense that their windows would cover the text twice over, one plain scan is
        cheaper than the per-hit work (measured: below that, windows win even when they
        cover most of the text). An anchor with neither bound is a prefilter: no hit, no
        match; a hit, the plain scan.
        """
        plan = self._plans.get(id(pat))
        if plan is None or plan[0] is not pat:
            plan = self._plan(pat)
        compiled, anchor, before, after = plan[1:]
        if anchor is None:
            return list(compiled.finditer(text, pos))
        if before < 0:  # a prefilter
            return list(compiled.finditer(text, pos)) if anchor.search(text, pos) else []
        hits = [a.span() for a in anchor.finditer(text, pos)]
        if not hits:
            return []
        n = len(text)
        if len(hits) * (before + after) >= (n - pos) * _DENSE:
            return list(compiled.finditer(text, pos))
        out: list[regex.Match[str]] = []
        for lo, hi in _merge_windows(text, hits, pos, before, after):
            for m in compiled.finditer(text, lo, hi):
                if (lo > pos and m.start() <= lo) or (hi < n and m.end() + _EDGE >= hi):
                    return list(compiled.finditer(text, pos))
                out.append(m)
        return out

    def search(self, pat: Pattern, text: str, pos: int = 0) -> regex.Match[str] | None:
        """The first match of ``scan`` (``pat.compiled.search(text, pos)``), found without
        reading the windows after it."""
        plan = self._plans.get(id(pat))
        if plan is None or plan[0] is not pat:
            plan = self._plan(pat)
        compiled, anchor, before, after = plan[1:]
        if anchor is None:
            return compiled.search(text, pos)
        if before < 0:  # a prefilter
            return compiled.search(text, pos) if anchor.search(text, pos) else None
        hits = [a.span() for a in anchor.finditer(text, pos)]
        if not hits:
            return None
        n = len(text)
        if len(hits) * (before + after) >= (n - pos) * _DENSE:
            return compiled.search(text, pos)
        for lo, hi in _merge_windows(text, hits, pos, before, after):
            m = compiled.search(text, lo, hi)
            if m is not None:
                if (lo > pos and m.start() <= lo) or (hi < n and m.end() + _EDGE >= hi):
                    return compiled.search(text, pos)
                return m
        return None

    def _plan(self, pat: Pattern) -> tuple[Any, ...]:
        """What ``scan`` needs of a pattern, read from its attrs once per pack."""
        assert pat.compiled is not None
        src = pat.attrs.get("anchor")
        if not src:
            plan: tuple[Any, ...] = (pat, pat.compiled, None, 0, 0)
        elif "anchor_before" not in pat.attrs and "anchor_after" not in pat.attrs:
            plan = (pat, pat.compiled, self.compile(pat.field, str(src)), -1, -1)
        else:
            plan = (pat, pat.compiled, self.compile(pat.field, str(src)),
                    int(pat.attrs.get("anchor_before", 0)),
                    int(pat.attrs.get("anchor_after", 0)) + _EDGE + 1)
        self._plans[id(pat)] = plan
        return plan

    def _windows(self, pat: Pattern, text: str, pos: int = 0) -> list[tuple[int, int]] | None:
        """Merged search windows around the anchor hits, or None (no anchor: scan it all)."""
        plan = self._plan(pat)
        anchor, before, after = plan[2:]
        if anchor is None:
            return None
        if before < 0:
            return [(pos, len(text))] if anchor.search(text, pos) else []
        hits = [a.span() for a in anchor.finditer(text, pos)]
        return _merge_windows(text, hits, pos, before, after)

    def alternation(self, field_name: str, vocab_name: str) -> str:
        return _alternation(self.vocab(field_name, vocab_name))

    # -- compile -----------------------------------------------------------------------
    def _compile(self, spec: FieldSpec, pat: Pattern) -> regex.Pattern[str]:
        flags = regex.VERBOSE
        for f in pat.attrs.get("flags", []) or []:
            flags |= getattr(regex, str(f).upper())
        expanded = expand(pat.source, spec, self.fields)
        try:
            return regex.compile(expanded, flags)
        except regex.error as e:
            raise PatternError(f"{pat.origin}: pattern {pat.name!r} does not compile: {e}") from e


def _merge_windows(text: str, hits: list[tuple[int, int]], pos: int, before: int,
                   after: int) -> list[tuple[int, int]]:
    """The windows ``[hit start - before, hit end + after)``, merged when they touch."""
    n = len(text)
    windows: list[tuple[int, int]] = []
    wlo = whi = -1  # the open window
    for s, e in hits:
        lo = s - before
        if lo < pos:
            lo = pos
        hi = e + after
        if hi > n:
            hi = n
        # never start inside a run of digits, Latin letters, numerals or spaces: the
        # unbounded parts of a pattern (\d+, [一二三…]+, \s*) may reach farther back
        floor = whi if whi > pos else pos
        while lo > floor and (text[lo - 1] in _RUN_CHARS or text[lo - 1].isspace()):
            lo -= 1
        if whi >= 0 and lo <= whi:
            if hi > whi:
                whi = hi
        else:
            if whi >= 0:
                windows.append((wlo, whi))
            wlo, whi = lo, hi
    if whi >= 0:
        windows.append((wlo, whi))
    return windows


def _alternation(words: Iterable[str]) -> str:
    uniq = sorted({w for w in words if w}, key=lambda w: (-len(w), w))
    return "(?:" + "|".join(regex.escape(w) for w in uniq) + ")" if uniq else "(?!)"


def expand(source: str, spec: FieldSpec, fields: Mapping[str, FieldSpec], _depth: int = 0) -> str:
    """Replace ``{name}`` (vocab or fragment; ``{field.name}`` not needed: fields share 'common')."""
    if _depth > 20:
        raise PatternError(f"{spec.name}: fragment references nest too deep (a cycle?)")
    common = fields.get("common")

    def sub(m: regex.Match[str]) -> str:
        name = m.group(1)
        for s in (spec, common):
            if s is None:
                continue
            if name in s.vocab:
                return _alternation(s.vocab[name])
            if name in s.fragments:
                return "(?:" + expand(s.fragments[name], s, fields, _depth + 1) + ")"
        raise PatternError(f"{spec.name}: unknown reference {{{name}}} (not a vocab list or fragment)")

    return _REF.sub(sub, source)


# -- loading ---------------------------------------------------------------------------
def _check_keys(where: str, got: Iterable[str], allowed: set[str]) -> None:
    unknown = sorted(set(got) - allowed)
    if unknown:
        raise PatternError(f"{where}: unknown key(s) {unknown}; allowed: {sorted(allowed)}")


def _read_file(path: Path | Any, origin: str) -> dict[str, Any]:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)
    except yaml.YAMLError as e:
        raise PatternError(f"{origin}: not valid YAML: {e}") from e
    if not isinstance(data, dict):
        raise PatternError(f"{origin}: top level must be a mapping")
    _check_keys(origin, data, FILE_KEYS)
    if "field" not in data:
        raise PatternError(f"{origin}: missing 'field'")
    return data


def _merge(fields: dict[str, FieldSpec], data: dict[str, Any], origin: str) -> None:
    name = str(data["field"])
    spec = fields.setdefault(name, FieldSpec(name=name))
    spec.origins.append(origin)
    if data.get("description"):
        spec.description = data["description"]
    if data.get("handler"):
        spec.handler = data["handler"]
    for k, words in (data.get("vocab") or {}).items():
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise PatternError(f"{origin}: vocab {k!r} must be a list of strings")
        spec.vocab[k] = list(dict.fromkeys(spec.vocab.get(k, []) + words))
    for k, frag in (data.get("fragments") or {}).items():
        if not isinstance(frag, str):
            raise PatternError(f"{origin}: fragment {k!r} must be a string")
        spec.fragments[k] = frag
    for k, tab in (data.get("tables") or {}).items():
        if not isinstance(tab, dict):
            raise PatternError(f"{origin}: table {k!r} must be a mapping")
        spec.tables.setdefault(k, {}).update(tab)
    spec.settings.update(data.get("settings") or {})
    for name_ in data.get("disable") or []:
        spec.patterns.pop(name_, None)
    for i, entry in enumerate(data.get("patterns") or []):
        where = f"{origin}: patterns[{i}]"
        if not isinstance(entry, dict):
            raise PatternError(f"{where} must be a mapping")
        _check_keys(where, entry, PATTERN_KEYS)
        if "name" not in entry or "regex" not in entry:
            raise PatternError(f"{where} needs 'name' and 'regex'")
        examples = entry.get("examples") or []
        for j, ex in enumerate(examples):
            if not isinstance(ex, dict) or "text" not in ex:
                raise PatternError(f"{where}.examples[{j}] needs 'text'")
            _check_keys(f"{where}.examples[{j}]", ex, EXAMPLE_KEYS)
        attrs = {k: v for k, v in entry.items() if k not in ("name", "regex", "examples")}
        spec.patterns[entry["name"]] = Pattern(
            name=entry["name"], field=name, source=str(entry["regex"]), origin=origin,
            examples=examples, attrs=attrs)


def _builtin_files() -> list[tuple[str, Any]]:
    root = importlib.resources.files("policy_extract") / "data"
    return sorted(((f"builtin:{p.name}", p) for p in root.iterdir() if p.name.endswith(".yaml")),
                  key=lambda t: t[0])


def load_pack(user_dirs: Iterable[str | Path] = (), *, builtin: bool = True) -> Pack:
    """Load the built-in pack and layer user pack folders on it, in order."""
    fields: dict[str, FieldSpec] = {}
    sources: list[str] = []
    if builtin:
        for origin, path in _builtin_files():
            _merge(fields, _read_file(path, origin), origin)
        sources.append("builtin")
    for d in user_dirs:
        d = Path(d)
        if not d.is_dir():
            raise PatternError(f"pattern pack {d} is not a folder")
        files = sorted(d.glob("*.yaml"))
        if not files:
            raise PatternError(f"pattern pack {d} holds no *.yaml files")
        for f in files:
            _merge(fields, _read_file(f, str(f)), str(f))
        sources.append(str(d))
    return Pack(fields, sources)


@lru_cache(maxsize=8)
def _cached(user_dirs: tuple[str, ...]) -> Pack:
    return load_pack(user_dirs)


def default_pack(user_dirs: Iterable[str | Path] = ()) -> Pack:
    """The pack for these user folders, loaded and compiled once per process."""
    return _cached(tuple(str(Path(d).resolve()) for d in user_dirs))
