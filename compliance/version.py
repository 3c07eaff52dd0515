"""The engine's version, and which build of it runs."""

from __future__ import annotations

import importlib.machinery
from pathlib import Path

__version__ = "0.1.0"

_PACKAGE = Path(__file__).resolve().parent


def compiled_modules() -> list[str]:
    """The engine modules installed as C extensions (the compiled build, hatch_build.py), by
    name; [] for the pure-Python build. Python imports an extension before a `.py` of the same
    name, so these are the modules that run compiled."""
    suffixes = tuple(importlib.machinery.EXTENSION_SUFFIXES)
    names = []
    for path in _PACKAGE.rglob("*"):
        if path.name.endswith(suffixes):
            stem = path.name.split(".", 1)[0]
            parts = path.relative_to(_PACKAGE).parent.parts
            names.append(".".join(("compliance", *parts, stem)))
    return sorted(names)


def build_name() -> str:
    """ "compiled (mypyc, N modules)" or "python": the build a benchmark or a report names."""
    n = len(compiled_modules())
    return f"compiled (mypyc, {n} modules)" if n else "python"
