"""Example runners for the built-in fields (``patterns test``): one registration per field.

Each runner extracts one field from an example's text, the way ``convert`` would.
"""
from __future__ import annotations

from typing import Any

from .. import normalize  # noqa: F401  (registers the normalize runner)
from ..patterns.engine import Pack
from ..patterns.examples import example_doc, runner
from ..segment import segment  # noqa: F401  (registers the numbering runner)
from . import meta  # noqa: F401  (registers the meta runner)


@runner("amounts")
def run_amounts(text: str, pack: Pack) -> list[dict[str, Any]]:
    from .amounts import extract_amounts

    return extract_amounts(example_doc(text, pack))


@runner("percentages")
def run_percentages(text: str, pack: Pack) -> list[dict[str, Any]]:
    from .percentages import extract_percentages

    return extract_percentages(example_doc(text, pack))


@runner("caps")
def run_caps(text: str, pack: Pack) -> list[dict[str, Any]]:
    from .amounts import extract_amounts
    from .caps import extract_caps
    from .percentages import extract_percentages

    doc = example_doc(text, pack)
    return extract_caps(doc, extract_amounts(doc), extract_percentages(doc))


@runner("dates")
def run_dates(text: str, pack: Pack) -> list[dict[str, Any]]:
    from .dates import extract_dates

    return extract_dates(example_doc(text, pack))


@runner("units")
def run_units(text: str, pack: Pack) -> list[dict[str, Any]]:
    from .units import extract_units

    return extract_units(example_doc(text, pack))
