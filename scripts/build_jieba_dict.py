"""Write the jieba user dictionary the spaCy component loads, from the built-in pattern packs.

Source data: the vocabularies of ``src/policy_extract/data/*.yaml`` (units, currency and
scale words, qualifier words, organization suffixes, target units and goal words).
Generated data: ``src/policy_extract/data/generated/jieba_userdict.txt``, one word per line
(jieba's user-dictionary format; jieba picks a frequency that keeps each word whole).
``tests/test_generated_data.py`` regenerates it and fails if the committed file is stale:
after editing a vocabulary, run ``python scripts/build_jieba_dict.py``.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from policy_extract.patterns.engine import load_pack
from policy_extract.spacy_component import userdict_words

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "src/policy_extract/data/generated/jieba_userdict.txt"


def render() -> str:
    """The dictionary's text for the built-in pack (user packs are added at run time)."""
    return "".join(f"{w}\n" for w in userdict_words(load_pack()))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="file to write")
    ap.add_argument("--check", action="store_true", help="only compare; exit 1 when stale")
    args = ap.parse_args(argv)
    text = render()
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.is_file() else ""
        if current != text:
            print(f"{args.out} is stale: run python scripts/build_jieba_dict.py", file=sys.stderr)
            return 1
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {len(text.splitlines())} words to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
