"""Checking one chunk of input rows: what every audit worker process runs.

A worker owns one `Checker` for its whole life (built once: inherited from the parent when
the platform forks, else built in the initializer) and returns a chunk's output as bytes in
input order: report lines, error lines, and one compact index line per checked post that the
summaries are built from without parsing the full reports again.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
from dataclasses import dataclass
from typing import Any

import orjson

from compliance.engine import Checker, coerce_post, dumps
from compliance.errors import ComplianceError
from compliance.io.readers import Row, parse_line
from compliance.lexicon.watchdog import watchdog

SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}
SEVERITY_WEIGHT = {"error": 100.0, "warning": 10.0, "info": 1.0}  # one error outranks warnings
AUTHOR_KEYS = ("creator", "username", "handle", "influencer", "channel", "account")

# (source index, Row | (line, raw JSONL bytes))
Item = tuple[int, Row | tuple[int, bytes]]

_CHECKER: Checker | None = None


def use_checker(checker: Checker) -> None:
    """Set the checker of this process (workers forked after this inherit it)."""
    global _CHECKER
    _CHECKER = checker


def init_worker(pack: str) -> None:
    """Pool initializer: Ctrl-C is the parent's to handle; die with the parent; own a Checker."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):  # PR_SET_PDEATHSIG: a worker
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # dies with its parent
    if _CHECKER is None:
        use_checker(Checker.from_pack(pack))


@dataclass(slots=True)
class ChunkResult:
    """A chunk's output as three byte blobs (cheap to send between processes): report lines,
    error lines, and index lines (one per report, in the same order)."""

    results: bytes
    errors: bytes
    index: bytes
    checked: int
    bad: int
    worst: int  # severity rank of the worst finding (3: none)
    pid: int


def _author(post: Any) -> str | None:
    if post.author:
        return str(post.author)
    meta = post.metadata
    for key in AUTHOR_KEYS:
        value = meta.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def index_record(report: dict[str, Any], post: Any, src: int, line: int) -> dict[str, Any]:
    sev = [0, 0, 0]
    score = 0.0
    cats: dict[str, None] = {}  # of errors and warnings: the problems
    rules: dict[str, None] = {}
    notes: dict[str, None] = {}  # info-level rules: worth knowing, not a problem
    for f in report["findings"]:
        sev[SEVERITY_RANK[f["severity"]]] += 1
        score += SEVERITY_WEIGHT[f["severity"]] * (0.5 + f["confidence"] / 2)
        if f["severity"] == "info":
            notes[f["rule_id"]] = None
        else:
            cats[f["category"]] = None
            rules[f["rule_id"]] = None
    when = post.published_at
    return {
        "src": src,
        "line": line,
        "id": post.id,
        "verdict": report["verdict"],
        "platform": report["platform"],
        "author": _author(post),
        "campaign": post.campaign,
        "date": when.date().isoformat() if when is not None else None,
        "sev": sev,
        "cats": list(cats),
        "rules": list(rules),
        "notes": list(notes),
        "score": round(score, 3),
    }


def check_chunk(
    items: list[Item], names: list[str], defaults: dict[str, Any], checker: Checker | None = None
) -> ChunkResult:
    """Check every row of a chunk; a bad row becomes an error line, never an exception."""
    checker = checker or _CHECKER
    assert checker is not None, "init_worker or use_checker first"
    results: list[bytes] = []
    errors: list[bytes] = []
    index: list[bytes] = []
    worst = 3
    with watchdog():  # bounds every regex call without a clock read per call
        for src, item in items:
            row = parse_line(*item) if isinstance(item, tuple) else item
            if row is None:
                continue
            record = row.record
            try:
                if row.error is not None:
                    raise row.error
                assert record is not None
                if "id" not in record:
                    record["id"] = f"{names[src]}:{row.line}"
                for key, value in defaults.items():
                    record.setdefault(key, value)
                post = coerce_post(record)
                try:
                    report = checker.check_dict(post)
                except ComplianceError:
                    raise
                except Exception as exc:  # an engine bug must not end a million-post audit
                    raise ComplianceError("E011", detail=f"{type(exc).__name__}: {exc}") from exc
            except ComplianceError as exc:
                rid = record.get("id") if isinstance(record, dict) else None
                err = {
                    "input": names[src],
                    "line": row.line,
                    "id": rid if isinstance(rid, str | int) else None,
                    "code": exc.code,
                    "reason": exc.message,
                }
                errors.append(orjson.dumps(err) + b"\n")
                continue
            for f in report["findings"]:
                worst = min(worst, SEVERITY_RANK[f["severity"]])
            results.append(dumps(report).encode() + b"\n")
            index.append(orjson.dumps(index_record(report, post, src, row.line)) + b"\n")
    return ChunkResult(
        b"".join(results),
        b"".join(errors),
        b"".join(index),
        len(results),
        len(errors),
        worst,
        os.getpid(),
    )
