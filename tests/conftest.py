"""Test-wide settings: CI runs hypothesis derandomized, so a landing never hangs on a new
random draw; local runs keep exploring with fresh examples."""
from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
