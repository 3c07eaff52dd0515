"""The build in use: pure Python (an editable install) or compiled (hatch_build.py, mypyc).

CI runs the whole suite twice, the second time with the compiled build's C extensions next
to the sources and COMPLIANCE_EXPECT_BUILD=compiled: every other test then checks the compiled
modules, and this file checks that they really are the ones that ran.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

import compliance.audit.cache as cache
import compliance.version as version
from compliance.cli import app

ENGINE_MODULES = (
    "compliance.engine",
    "compliance.lexicon.literals",
    "compliance.lexicon.matcher",
    "compliance.text.surface",
    "compliance.detectors.claims",
)


def _is_extension(module: str) -> bool:
    path = importlib.import_module(module).__file__ or ""
    return path.endswith(tuple(importlib.machinery.EXTENSION_SUFFIXES))


def test_the_build_under_test_is_the_one_expected() -> None:
    expected = os.environ.get("COMPLIANCE_EXPECT_BUILD", "python")
    compiled = version.compiled_modules()
    loaded = {m: _is_extension(m) for m in ENGINE_MODULES}
    if expected == "compiled":
        assert set(ENGINE_MODULES) <= set(compiled)
        assert all(loaded.values()), loaded
        assert version.build_name() == f"compiled (mypyc, {len(compiled)} modules)"
    else:
        assert expected == "python"
        assert compiled == []
        assert not any(loaded.values()), loaded
        assert version.build_name() == "python"


def test_version_command_names_the_build() -> None:
    result = CliRunner().invoke(app, ["version"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith(f"compliance-checker {version.__version__} (python 3.")
    assert lines[1] == f"build: {version.build_name()}"
    assert [line.strip() for line in lines[2:]] == version.compiled_modules()


def test_compiled_modules_found_by_their_extension_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pkg = tmp_path / "compliance"
    (pkg / "text").mkdir(parents=True)
    suffix = importlib.machinery.EXTENSION_SUFFIXES[0]
    (pkg / f"engine{suffix}").write_bytes(b"")
    (pkg / "text" / f"surface{suffix}").write_bytes(b"")
    (pkg / "text" / "surface.py").write_text("")
    (pkg / "version.py").write_text("")
    monkeypatch.setattr(version, "_PACKAGE", pkg)
    assert version.compiled_modules() == ["compliance.engine", "compliance.text.surface"]
    assert version.build_name() == "compiled (mypyc, 2 modules)"


def test_cache_key_differs_between_builds(monkeypatch: pytest.MonkeyPatch) -> None:
    """A checker pickled by one build is not read by the other (their classes differ)."""
    key = cache.cache_key("us-ftc")
    monkeypatch.setattr(cache, "compiled_modules", lambda: ["compliance.engine"])
    assert cache.cache_key("us-ftc") != key
