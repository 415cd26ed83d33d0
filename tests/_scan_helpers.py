"""Shared by the speed-invariant tests: which fields are read through Pack.scan."""
from __future__ import annotations

from policy_extract.patterns.engine import Pack, Pattern

# fields read through Pack.scan (normalize's patterns are read by its own code)
SCANNED = ("amounts", "percentages", "dates", "meta", "numbering", "targets", "caps", "units")


def anchored_patterns(pack: Pack) -> list[Pattern]:
    """Every pattern of a scanned field that names an anchor (windowed search applies)."""
    return [pat for name in SCANNED if name in pack.fields
            for pat in pack.patterns(name) if pat.attrs.get("anchor")]
