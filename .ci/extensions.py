"""Put the compiled build's C extensions beside the sources, or take them away again.

python3 .ci/extensions.py extract WHEEL   the wheel's extension modules, into this checkout
python3 .ci/extensions.py remove          every extension module of this checkout's package
"""

from __future__ import annotations

import importlib.machinery
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUFFIXES = tuple(importlib.machinery.EXTENSION_SUFFIXES)


def extract(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as whl:
        names = [n for n in whl.namelist() if n.endswith(SUFFIXES)]
        if not names:
            sys.exit(f"{wheel}: no extension modules (built without HATCH_BUILD_HOOKS_ENABLE=1?)")
        for name in names:
            whl.extract(name, ROOT)
    print(f"{len(names)} extension modules from {wheel.name}")


def remove() -> None:
    # the package's modules, and mypyc's shared library at the top
    found = [p for p in (ROOT / "compliance").rglob("*") if p.name.endswith(SUFFIXES)]
    found += [p for p in ROOT.glob("*__mypyc.*") if p.name.endswith(SUFFIXES)]
    for path in found:
        path.unlink()
    print(f"{len(found)} extension modules removed")


if __name__ == "__main__":
    if sys.argv[1:2] == ["extract"] and len(sys.argv) == 3:
        extract(Path(sys.argv[2]))
    elif sys.argv[1:] == ["remove"]:
        remove()
    else:
        sys.exit(__doc__)
