"""A built Checker kept on disk between audit runs.

Building a Checker compiles every lexicon and rule (seconds of regex and lemma-table work);
unpickling the built one takes a fraction of a second. An audit is a fresh process, so without
this every run, and a resumed run too, pays the build again.

The cache key covers everything the built object depends on: the engine's source files, the
rule pack's and lexicons' files, the Python and engine versions, and the build (compiled or
not). Any change gives a new key; an entry that cannot be read is rebuilt; a Checker that
cannot be pickled is simply not cached. The folder is the user's own (`$COMPLIANCE_CACHE_DIR`,
else `$XDG_CACHE_HOME` or `~/.cache`, then `compliance-checker/`), created private (0700): a
pickle is only as trustworthy as the folder it is read from.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import platform
import tempfile
from pathlib import Path

from compliance.engine import Checker
from compliance.rules.pack import default_rules_dir, resolve_pack
from compliance.userdirs import cache_dir
from compliance.version import __version__, compiled_modules

PACKAGE = Path(__file__).resolve().parent.parent  # compliance/
DATA_SUFFIXES = (".yaml", ".yml", ".json", ".txt", ".tsv")
KEEP = 4  # cached builds kept (other packs, other versions)


def _digest_tree(h: hashlib._Hash, root: Path, suffixes: tuple[str, ...]) -> None:
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in suffixes):
        h.update(str(path.relative_to(root)).encode() + b"\0")
        h.update(path.read_bytes() + b"\0")


def cache_key(pack: str, rules_dir: Path | None = None) -> str:
    """Raises E101 for an unknown pack, as building it would."""
    base = (rules_dir or default_rules_dir()).resolve()
    pack_dir = resolve_pack(pack, base)
    h = hashlib.sha256()
    h.update(f"{__version__}|{platform.python_version()}|{pack_dir}|".encode())
    # a checker pickled by the compiled build does not load in the pure-Python one, nor back
    h.update(("|".join(compiled_modules()) + "|").encode())
    _digest_tree(h, PACKAGE, (".py",))
    _digest_tree(h, base, DATA_SUFFIXES)
    if base not in pack_dir.parents:
        _digest_tree(h, pack_dir, DATA_SUFFIXES)
    return h.hexdigest()[:32]


def cached_checker(pack: str = "us-ftc", use_cache: bool = True) -> tuple[Checker, bool]:
    """(checker, came from the cache). Builds and stores it on a miss."""
    if not use_cache:
        return Checker.from_pack(pack).prepare(), False
    path = cache_dir() / f"checker-{cache_key(pack)}.pickle"
    try:
        with path.open("rb") as handle:
            checker = pickle.load(handle)
        if isinstance(checker, Checker):
            return checker, True
    except Exception:  # missing, truncated, or from code that no longer exists: rebuild
        pass
    checker = Checker.from_pack(pack).prepare()  # compiled now: the pickle holds it all
    store(checker, path)
    return checker, False


def store(checker: Checker, path: Path) -> bool:
    try:
        data = pickle.dumps(checker, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # something unpicklable inside: run without a cache
        return False
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".checker-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
        old = sorted(path.parent.glob("checker-*.pickle"), key=lambda p: p.stat().st_mtime)
        for stale in old[:-KEEP]:
            stale.unlink(missing_ok=True)
    except OSError:
        with contextlib.suppress(OSError, UnboundLocalError):
            os.unlink(tmp)
        return False
    return True
