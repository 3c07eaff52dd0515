"""Where the package keeps data between runs (derived data only; safe to delete)."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    """$COMPLIANCE_CACHE_DIR, else the user's cache folder ($XDG_CACHE_HOME or ~/.cache)."""
    explicit = os.environ.get("COMPLIANCE_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "compliance-checker"
