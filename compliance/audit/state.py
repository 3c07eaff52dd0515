"""The state of an audit run in its output folder: what was read, how far it got, where the
output files ended after the last whole chunk.

Resuming is exact because output is written a whole chunk at a time, in input order, and the
state is replaced atomically only after the chunk's bytes are on disk (flush + fsync). On resume
every output file is cut back to the length the state recorded: a chunk that was half written
when the process died (even half a line) is gone, and is checked again.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

STATE_DIR = ".audit"
STATE_FILE = "state.json"
RESULTS = "results.jsonl"
ERRORS = "errors.jsonl"
INDEX = "index.jsonl"  # one compact line per checked post, for the summaries (in STATE_DIR)
STATE_VERSION = 1


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class AuditState:
    identity: dict[str, Any]
    rows_done: int = 0
    total: int = 0  # rows the inputs hold (progress)
    checked: int = 0
    bad: int = 0
    offsets: dict[str, int] = field(default_factory=lambda: {RESULTS: 0, ERRORS: 0, INDEX: 0})
    complete: bool = False
    started_at: str = field(default_factory=now)
    updated_at: str = field(default_factory=now)
    runs: int = 0
    version: int = STATE_VERSION

    def as_json(self) -> bytes:
        return orjson.dumps(asdict(self), option=orjson.OPT_INDENT_2)


def output_paths(out: Path) -> dict[str, Path]:
    return {RESULTS: out / RESULTS, ERRORS: out / ERRORS, INDEX: out / STATE_DIR / INDEX}


def load_state(out: Path) -> AuditState | None:
    path = out / STATE_DIR / STATE_FILE
    try:
        data = orjson.loads(path.read_bytes())
    except FileNotFoundError:
        return None
    except orjson.JSONDecodeError:
        return None  # only a crash inside os.replace could leave this; start again
    if data.get("version") != STATE_VERSION:
        return None
    return AuditState(**data)


def save_state(out: Path, state: AuditState) -> None:
    """Write to a temporary file, fsync, rename over the old state: never half a state."""
    state.updated_at = now()
    folder = out / STATE_DIR
    tmp = folder / (STATE_FILE + ".tmp")
    with tmp.open("wb") as handle:
        handle.write(state.as_json())
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, folder / STATE_FILE)
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def input_identity(path: Path) -> dict[str, Any]:
    """What makes an input the same input: where it is, its size, when it last changed."""
    stat = path.stat()
    return {"path": str(path.resolve()), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def identity_difference(old: dict[str, Any], new: dict[str, Any]) -> str | None:
    """None if the same, else a short description of the first difference."""
    if old == new:
        return None
    old_inputs, new_inputs = old.get("inputs", []), new.get("inputs", [])
    if [i["path"] for i in old_inputs] != [i["path"] for i in new_inputs]:
        return "the input files differ"
    for a, b in zip(old_inputs, new_inputs, strict=True):
        if a != b:
            return f"{Path(b['path']).name} changed since the run began"
    for key in sorted(set(old) | set(new)):
        if old.get(key) != new.get(key):
            return f"{key} differs: {old.get(key)!r} then, {new.get(key)!r} now"
    return "the options differ"


def prepare_outputs(out: Path, state: AuditState) -> str | None:
    """Create the output files and cut each back to the length of the last whole chunk;
    a file shorter than the state says (deleted or edited since) is reported instead."""
    (out / STATE_DIR).mkdir(parents=True, exist_ok=True)
    for name, path in output_paths(out).items():
        size = state.offsets.get(name, 0)
        with path.open("ab") as handle:
            if handle.tell() < size:
                return f"{name} is shorter than the state recorded"
            if handle.tell() != size:
                handle.truncate(size)
                handle.flush()
                os.fsync(handle.fileno())
    return None
