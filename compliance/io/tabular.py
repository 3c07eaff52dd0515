"""Read posts from CSV: columns are mapped to `Post` fields by name, the rest is metadata.

A spreadsheet of posts rarely names its columns the way the `Post` model does, so each field
has a list of usual names (`caption`, `description`, `body` ... for the text). The first one a
file has wins; `--column text=Post copy` names one explicitly. Names are compared ignoring
case, spaces, `-` and `_`. Columns that map to no field travel through as metadata, and empty
cells are left out (a blank `published_at` is no date, not an invalid one).
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from compliance.errors import ComplianceError
from compliance.io.readers import MAX_LINE_BYTES, POST_FIELDS, Row

# Post field -> the column names that usually hold it, most specific first.
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "post_id", "media_id", "video_id", "tweet_id", "content_id", "item_id"),
    "text": (
        "text",
        "caption",
        "description",
        "body",
        "post_text",
        "full_text",
        "content",
        "message",
        "copy",
        "tweet",
    ),
    "platform": ("platform", "network", "social_network", "channel_type"),
    "title": ("title", "video_title", "headline"),
    "author": ("author", "creator", "influencer", "username", "handle", "account", "user"),
    "published_at": (
        "published_at",
        "publish_date",
        "published",
        "posted",
        "posted_at",
        "post_date",
        "created_at",
        "date",
        "timestamp",
    ),
    "url": ("url", "permalink", "post_url", "link"),
    "campaign": ("campaign", "campaign_name"),
    "material_connection": ("material_connection", "connection", "relationship"),
    "brands": ("brands", "brand", "brand_handles"),
    "language": ("language", "lang"),
    "jurisdiction": ("jurisdiction",),
    "platform_disclosure_tool": (
        "platform_disclosure_tool",
        "paid_partnership",
        "branded_content",
        "paid_partnership_label",
    ),
    "duration_s": ("duration_s", "duration_seconds", "duration"),
    "is_livestream": ("is_livestream", "livestream", "live"),
}
LIST_FIELDS = frozenset({"brands", "material_connection"})
BOOL_FIELDS = frozenset({"platform_disclosure_tool", "is_livestream"})
TRUE = frozenset({"1", "true", "yes", "y", "on", "x"})
FALSE = frozenset({"0", "false", "no", "n", "off"})
PLATFORM_ALIASES = {
    "twitter": "x",
    "x.com": "x",
    "ig": "instagram",
    "insta": "instagram",
    "yt": "youtube",
    "fb": "facebook",
    "tik tok": "tiktok",
    "youtube shorts": "youtube_short",
    "instagram reels": "instagram_reel",
    "instagram reel": "instagram_reel",
    "instagram story": "instagram_story",
}


def _key(name: str) -> str:
    return "".join(ch for ch in name.strip().lower() if ch not in " -_")


def parse_mapping(specs: list[str] | None) -> dict[str, str]:
    """`["text=Post copy", "id=ID"]` -> {"text": "Post copy", "id": "ID"} (field names checked)."""
    mapping: dict[str, str] = {}
    for spec in specs or []:
        field, sep, column = spec.partition("=")
        field = field.strip()
        if not sep or not column.strip():
            raise ComplianceError("E009", detail=f"'{spec}' is not FIELD=COLUMN")
        if field not in POST_FIELDS or field == "metadata":
            known = ", ".join(sorted(COLUMN_ALIASES))
            raise ComplianceError("E009", detail=f"'{field}' is not a post field ({known})")
        mapping[field] = column.strip()
    return mapping


def resolve_columns(header: list[str], explicit: Mapping[str, str]) -> dict[str, str]:
    """Post field -> header column, from the explicit mapping first, then the usual names."""
    by_key: dict[str, str] = {}
    for col in header:
        by_key.setdefault(_key(col), col)
    chosen: dict[str, str] = {}
    for field, column in explicit.items():
        named = by_key.get(_key(column))
        if named is None:
            raise ComplianceError(
                "E009", detail=f"column '{column}' for '{field}' is not in the header"
            )
        chosen[field] = named
    taken = set(chosen.values())
    for field, aliases in COLUMN_ALIASES.items():
        if field in chosen:
            continue
        for alias in aliases:
            found = by_key.get(_key(alias))
            if found is not None and found not in taken:
                chosen[field] = found
                taken.add(found)
                break
    return chosen


def _value(field: str, raw: str) -> Any:
    value = raw.strip()
    if field in LIST_FIELDS:
        parts = [p.strip() for p in value.replace(";", ",").replace("|", ",").split(",")]
        return [p for p in parts if p]
    if field in BOOL_FIELDS:
        low = value.lower()
        if low in TRUE:
            return True
        if low in FALSE:
            return False
        return value  # let the Post model name the bad value
    if field == "platform":
        low = " ".join(value.lower().split())
        return PLATFORM_ALIASES.get(low, low.replace(" ", "_"))
    if field == "text":
        return raw  # offsets refer to the text as given: keep its whitespace
    return value


def iter_csv(path: Path, columns: Mapping[str, str] | None = None) -> Iterator[Row]:
    """One Row per CSV record; `line` is the line the record starts on (header = line 1)."""
    csv.field_size_limit(min(sys.maxsize, MAX_LINE_BYTES))
    try:
        handle = path.open(encoding="utf-8-sig", errors="replace", newline="")
    except OSError as exc:
        raise ComplianceError("E004", detail=f"{path}: {exc.strerror}") from exc
    with handle:
        sample = handle.read(64 * 1024)
        handle.seek(0)
        try:
            dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t|")
        except csv.Error:
            dialect = csv.excel
        reader = csv.reader(handle, dialect)
        try:
            header = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ComplianceError("E010", path=str(path), line=1, detail=str(exc)) from exc
        chosen = resolve_columns(header, columns or {})
        if "text" not in chosen:
            raise ComplianceError("E006", path=str(path), looked=", ".join(COLUMN_ALIASES["text"]))
        field_of = {col: field for field, col in chosen.items()}
        start = reader.line_num + 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield Row(
                    start,
                    None,
                    ComplianceError("E010", path=str(path), line=start, detail=str(exc)),
                )
                start = reader.line_num + 1
                continue
            line, start = start, reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > len(header):
                yield Row(
                    line,
                    None,
                    ComplianceError(
                        "E010",
                        path=str(path),
                        line=line,
                        detail=f"{len(cells)} cells for {len(header)} columns",
                    ),
                )
                continue
            record: dict[str, Any] = {}
            meta: dict[str, Any] = {}
            for col, raw in zip(header, cells, strict=False):
                if not raw.strip():
                    continue
                field = field_of.get(col)
                if field is None:
                    meta[col] = raw
                else:
                    record[field] = _value(field, raw)
            if meta:
                record["metadata"] = meta
            yield Row(line, record)
