"""The compiled build: the engine's hot modules compiled to C extensions with mypyc.

Off by default. `HATCH_BUILD_HOOKS_ENABLE=1 python3 -m pip install .` (or `pip wheel`) builds a
wheel whose modules listed under `compile` in pyproject.toml are C extensions, next to their
`.py` sources; an editable install (`pip install -e .`) is never compiled, so what a developer
edits is what runs. The checks are the same code either way: the test suite runs against both
builds in CI (see .ci/run), and `compliance version` names the build in use.

Unlike a compile in place, the extensions are built in a temporary folder and copied into the
wheel only: the source tree gets no `.so` file that would shadow later edits of its `.py`.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

SETUP = """\
from setuptools import setup
from mypyc.build import mypycify

setup(
    name="compliance-compiled",
    packages=[],
    py_modules=[],
    ext_modules=mypycify({modules!r}, opt_level="3", target_dir={c_dir!r}),
)
"""


class CompiledBuild(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        modules = self.config.get("compile", [])
        if not modules:
            raise ValueError("compiled build: `compile` lists no modules (pyproject.toml)")
        missing = [m for m in modules if not (Path(self.root) / m).is_file()]
        if missing:
            raise ValueError(f"compiled build: no such modules in `compile`: {missing}")
        self._work = Path(tempfile.mkdtemp(prefix="compliance-mypyc-"))
        lib = self._work / "lib"
        setup = self._work / "setup.py"
        setup.write_text(SETUP.format(modules=modules, c_dir=str(self._work / "c")))
        run = subprocess.run(
            [
                sys.executable,
                str(setup),
                "build_ext",
                "--build-lib",
                str(lib),
                "--build-temp",
                str(self._work / "tmp"),
            ],
            cwd=self.root,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        if run.returncode:
            raise RuntimeError(f"compiled build: mypyc failed\n{run.stdout[-20000:]}")
        built = sorted(lib.rglob("*.so")) + sorted(lib.rglob("*.pyd"))
        if len(built) < len(modules):
            raise RuntimeError(
                f"compiled build: {len(built)} extensions for {len(modules)} modules"
            )
        for path in built:
            build_data["force_include"][str(path)] = str(path.relative_to(lib))
        build_data["pure_python"] = False
        build_data["infer_tag"] = True

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        work = getattr(self, "_work", None)
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
