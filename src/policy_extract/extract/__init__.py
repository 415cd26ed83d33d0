"""Field extractors: each reads a Doc and returns field dicts with text/start/end (no measure)."""
