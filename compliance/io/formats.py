"""One entry point for every input format: which format a file is, and its rows in order.

A file is read as a CSV table (`.csv`, `.tsv`), as JSON lines (`.jsonl`, `.ndjson`: one object
a line) or as one JSON document (anything else). What the objects are, posts in the `Post`
shape or items of a platform export, is the `--format` given or sniffed from the first object.
Rows come out in file order with the line (JSONL, CSV) or item number (JSON documents) they
came from; a bad line is a Row with its coded error and reading goes on.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from compliance.errors import ComplianceError
from compliance.io.exports import EXPORTS, export_rows, sniff
from compliance.io.readers import Row, document_rows, parse_line
from compliance.io.tabular import iter_csv

PLATFORM_FORMATS = tuple(EXPORTS)
FORMATS = ("auto", "posts", "csv", *PLATFORM_FORMATS)
LINE_SUFFIXES = frozenset({".jsonl", ".ndjson", ".jsonlines"})
CSV_SUFFIXES = frozenset({".csv", ".tsv"})


@dataclass(frozen=True, slots=True)
class Source:
    """How one input file is read: `layout` lines | document | csv, `kind` posts or a platform."""

    path: Path
    layout: str
    kind: str


def _first_object(path: Path) -> Any:
    with path.open("rb") as handle:
        for line in handle:
            if line.strip():
                try:
                    return orjson.loads(line)
                except orjson.JSONDecodeError:
                    return None
    return None


def _load_document(path: Path) -> Any:
    """A JSON document; X's account archive (`tweets.js`) starts with `window.YTD... = `."""
    raw = path.read_bytes()
    head = raw[:200].lstrip()
    if head.startswith(b"window.") and b"=" in head:
        raw = raw[raw.index(b"=") + 1 :]
    return orjson.loads(raw)


def resolve(path: Path, fmt: str = "auto") -> Source:
    """The layout from the file name, the kind from `fmt` or the first object's shape."""
    if fmt not in FORMATS:
        raise ComplianceError("E005", detail=f"{fmt} (use one of {', '.join(FORMATS)})")
    if not path.is_file():
        raise ComplianceError("E004", detail=f"{path}: no such file")
    suffix = path.suffix.lower()
    if fmt == "csv" or (fmt == "auto" and suffix in CSV_SUFFIXES):
        return Source(path, "csv", "posts")
    layout = "lines" if suffix in LINE_SUFFIXES else "document"
    if fmt != "auto":
        return Source(path, layout, fmt)
    if layout == "lines":
        kind = sniff(_first_object(path)) or "posts"
    else:
        try:
            kind = sniff(_load_document(path)) or "posts"
        except (orjson.JSONDecodeError, OSError):
            kind = "posts"  # reading it reports the error with its position
    return Source(path, layout, kind)


def iter_source(
    source: Source, columns: Mapping[str, str] | None = None
) -> Iterator[Row | tuple[int, bytes]]:
    """Rows in file order; for JSONL posts the raw `(line, bytes)` instead, to be parsed by
    `parse_line` where the post is checked (a batch worker), not in the process reading."""
    path = source.path
    if source.layout == "csv":
        yield from iter_csv(path, columns)
        return
    if source.layout == "lines":
        try:
            handle = path.open("rb")
        except OSError as exc:
            raise ComplianceError("E004", detail=f"{path}: {exc.strerror}") from exc
        with handle:
            for n, line in enumerate(handle, start=1):
                if source.kind == "posts":
                    if line.strip():
                        yield n, line
                    continue
                if not line.strip():
                    continue
                try:
                    obj = orjson.loads(line)
                except orjson.JSONDecodeError as exc:
                    yield Row(n, None, ComplianceError("E002", detail=f"{exc.msg}"))
                    continue
                yield from export_rows(obj, source.kind, str(path), line=n)
        return
    try:
        data = _load_document(path)
    except OSError as exc:
        raise ComplianceError("E004", detail=f"{path}: {exc.strerror}") from exc
    except orjson.JSONDecodeError as exc:
        yield Row(exc.lineno, None, ComplianceError("E002", detail=f"{path}: {exc.msg}"))
        return
    if source.kind != "posts":
        yield from export_rows(data, source.kind, str(path))
        return
    yield from document_rows(data)


def iter_rows(
    path: Path, fmt: str = "auto", columns: Mapping[str, str] | None = None
) -> Iterator[Row]:
    """Every row of one file, parsed (what a caller that is not a batch runner wants)."""
    for item in iter_source(resolve(path, fmt), columns):
        if isinstance(item, Row):
            yield item
        else:
            row = parse_line(*item)
            if row is not None:
                yield row


__all__ = ["FORMATS", "Source", "iter_rows", "iter_source", "resolve"]
