"""Read posts from text, JSON and JSONL; bad lines are reported, the rest still read."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import orjson

from compliance.errors import ComplianceError
from compliance.models.post import Post

POST_FIELDS = frozenset(Post.model_fields)
MAX_LINE_BYTES = 2_000_000


@dataclass(frozen=True, slots=True)
class Row:
    """One input record: its line number, and either a record (dict) or the error it raised."""

    line: int
    record: dict[str, Any] | None
    error: ComplianceError | None = None


def split_record(record: dict[str, Any]) -> dict[str, Any]:
    """Post fields stay; every other field travels along as metadata."""
    post = {k: v for k, v in record.items() if k in POST_FIELDS and k != "metadata"}
    extra = {k: v for k, v in record.items() if k not in POST_FIELDS}
    meta = dict(record.get("metadata") or {}) if isinstance(record.get("metadata"), dict) else {}
    meta.update(extra)
    if meta:
        post["metadata"] = meta
    if "id" in post and not isinstance(post["id"], str):
        post["id"] = str(post["id"])
    return post


def parse_line(n: int, line: str | bytes) -> Row | None:
    """One JSONL line as a Row (None for a blank line); the batch path parses in workers."""
    if not line.strip():
        return None
    if len(line) > MAX_LINE_BYTES:
        return Row(
            n,
            None,
            ComplianceError("E003", limit=MAX_LINE_BYTES, length=len(line), field=f"line {n}"),
        )
    try:
        record = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        return Row(n, None, ComplianceError("E002", detail=f"{exc.msg} (column {exc.colno})"))
    if not isinstance(record, dict):
        return Row(n, None, ComplianceError("E001", detail="expected a JSON object", field="post"))
    return Row(n, split_record(record))


def iter_jsonl(stream: IO[str]) -> Iterator[Row]:
    for n, line in enumerate(stream, start=1):
        row = parse_line(n, line)
        if row is not None:
            yield row


def document_rows(data: Any) -> Iterator[Row]:
    """The posts of a JSON document: one post, or a list of them (a non-object is E001)."""
    items = data if isinstance(data, list) else [data]
    for i, item in enumerate(items, start=1):
        if isinstance(item, dict):
            yield Row(i, split_record(item))
        else:
            err = ComplianceError("E001", detail=f"item {i}: expected an object", field="post")
            yield Row(i, None, err)


def iter_path(path: Path) -> Iterator[Row]:
    """JSONL (one post per line) or JSON (one post, or a list of posts)."""
    try:
        handle = path.open(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise ComplianceError("E004", detail=f"{path}: {exc.strerror}") from exc
    with handle:
        if path.suffix.lower() == ".json":
            try:
                data = json.load(handle)
            except json.JSONDecodeError as exc:
                yield Row(exc.lineno, None, ComplianceError("E002", detail=f"{path}: {exc.msg}"))
                return
            yield from document_rows(data)
        else:
            yield from iter_jsonl(handle)
