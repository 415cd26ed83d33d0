"""Identity offset maps (``array("l", range(a, b))``) without a Python loop over the ints.

Building an offset array from a ``range`` converts every int one by one; slicing a cached
identity array is a memory copy. Every ingested character starts with such a map.
"""
from __future__ import annotations

from array import array

_CACHE_MAX = 1 << 22  # longer maps are built directly rather than kept for the process
_ident = array("l")


def span_map(a: int, b: int) -> array:
    """``array("l", range(a, b))``."""
    global _ident
    if b > len(_ident):
        if b > _CACHE_MAX:
            return array("l", range(a, b))
        _ident = array("l", range(min(_CACHE_MAX, max(b, 2 * len(_ident), 1 << 16))))
    return _ident[a:b]
