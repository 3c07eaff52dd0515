"""Posts from platform exports: Instagram, YouTube, X and TikTok, as the platforms write them.

Each reader turns one exported item into a post record (the `Post` fields it can fill, the rest
as metadata) and knows the containers the item comes in (a list, an API response page, an
account-export document). `docs/data-formats.md` describes each shape.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import PurePosixPath
from typing import Any

from compliance.errors import ComplianceError
from compliance.io.readers import Row

Record = dict[str, Any]
_ISO_DURATION = re.compile(
    r"P(?:(?P<d>\d+)D)?(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)
_DIGITS = re.compile(r"(\d{6,})")


def _meta_text(value: Any) -> Any:
    """Meta's exports write UTF-8 bytes as one \\u00XX escape each ("ðŸ˜" for an emoji):
    undo that where the string is exactly such a sequence, leave real text alone."""
    if not isinstance(value, str) or value.isascii():
        return value
    try:
        return value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value


def _epoch(value: Any) -> str | None:
    if isinstance(value, int | float) and value > 0:
        return datetime.fromtimestamp(value, tz=UTC).isoformat()
    return None


def _clean(record: Record, meta: Record) -> Record:
    out = {k: v for k, v in record.items() if v not in (None, "", [])}
    meta = {k: v for k, v in meta.items() if v not in (None, "", [], {})}
    if meta:
        out["metadata"] = meta
    return out


# ---------------------------------------------------------------------------------- Instagram
def _instagram_item(item: Record, platform: str) -> Record:
    media = [m for m in item.get("media") or [] if isinstance(m, dict)]
    if not media and "uri" in item:  # stories.json: each item is one media object
        media = [item]
    first = media[0] if media else {}
    caption = item.get("title") or first.get("title") or ""
    uri = str(first.get("uri") or "")
    stem = PurePosixPath(uri).stem if uri else ""
    found = _DIGITS.findall(stem)
    when = item.get("creation_timestamp") or first.get("creation_timestamp")
    record = {
        "id": found[-1] if found else stem or None,
        "platform": platform,
        "text": _meta_text(caption),
        "published_at": _epoch(when),
    }
    source = first.get("cross_post_source")
    meta = {
        "media_uris": [m.get("uri") for m in media if m.get("uri")],
        "cross_post_source": source.get("source_app") if isinstance(source, dict) else None,
    }
    return _clean(record, meta)


def instagram(data: Any) -> Iterator[tuple[Any, str]]:
    if isinstance(data, list):
        for item in data:
            yield item, "instagram"
    elif isinstance(data, dict):
        for key, platform in (
            ("ig_reels_media", "instagram_reel"),
            ("ig_stories", "instagram_story"),
            ("ig_posts", "instagram"),
        ):
            for item in data.get(key) or []:
                yield item, platform
        if "media" in data:
            yield data, "instagram"


# ------------------------------------------------------------------------------------ YouTube
def _duration(value: Any) -> float | None:
    m = _ISO_DURATION.match(value) if isinstance(value, str) else None
    if not m or not any(m.groups()):
        return None
    d, h, mi, s = (float(x) if x else 0.0 for x in m.group("d", "h", "m", "s"))
    return d * 86400 + h * 3600 + mi * 60 + s


def _youtube_item(item: Record, platform: str) -> Record:
    snippet = item.get("snippet") or {}
    raw_id = item.get("id")
    vid = raw_id.get("videoId") if isinstance(raw_id, dict) else raw_id
    details = item.get("contentDetails") or {}
    placement = item.get("paidProductPlacementDetails") or {}
    lang = snippet.get("defaultAudioLanguage") or snippet.get("defaultLanguage")
    record = {
        "id": vid,
        "platform": platform,
        "title": snippet.get("title"),
        "text": snippet.get("description") or "",
        "published_at": snippet.get("publishedAt"),
        "author": snippet.get("channelTitle"),
        "url": f"https://www.youtube.com/watch?v={vid}" if vid else None,
        "language": lang if isinstance(lang, str) and lang[:2].isalpha() else None,
        "duration_s": _duration(details.get("duration")),
        "is_livestream": True if item.get("liveStreamingDetails") else None,
        "platform_disclosure_tool": placement.get("hasPaidProductPlacement"),
    }
    meta = {
        "channel_id": snippet.get("channelId"),
        "tags": snippet.get("tags"),
        "category_id": snippet.get("categoryId"),
        "statistics": item.get("statistics"),
    }
    return _clean(record, meta)


def youtube(data: Any) -> Iterator[tuple[Any, str]]:
    items = data if isinstance(data, list) else [data]
    for page in items:
        if isinstance(page, dict) and isinstance(page.get("items"), list):
            for item in page["items"]:
                yield item, "youtube"
        else:
            yield page, "youtube"


# ------------------------------------------------------------------------------------------ X
_X_ARCHIVE_TIME = "%a %b %d %H:%M:%S %z %Y"


def _x_time(value: Any) -> Any:
    if isinstance(value, str) and value[:3].isalpha():  # the account archive's format
        try:
            return datetime.strptime(value, _X_ARCHIVE_TIME).isoformat()
        except ValueError:
            return value
    return value


def _x_item(item: Record, platform: str, users: dict[str, str] | None = None) -> Record:
    if isinstance(item.get("tweet"), dict):  # account archive: {"tweet": {...}}
        item = item["tweet"]
    note = item.get("note_tweet") or {}
    text = note.get("text") or item.get("full_text") or item.get("text") or ""
    entities = note.get("entities") if note.get("text") else item.get("entities")
    for url in (entities or {}).get("urls") or []:
        short, full = url.get("url"), url.get("expanded_url")
        if short and full:  # t.co hides where a link goes; an affiliate link must be seen
            text = text.replace(short, full)
    author_id = str(item.get("author_id") or "")
    lang = item.get("lang")
    record = {
        "id": str(item.get("id_str") or item.get("id") or "") or None,
        "platform": platform,
        "text": text,
        "published_at": _x_time(item.get("created_at")),
        "author": (users or {}).get(author_id),
        "language": lang if isinstance(lang, str) and len(lang) == 2 else None,
    }
    meta = {
        "author_id": author_id or None,
        "conversation_id": item.get("conversation_id"),
        "public_metrics": item.get("public_metrics"),
    }
    return _clean(record, meta)


def x(data: Any) -> Iterator[tuple[Any, str]]:
    pages = data if isinstance(data, list) else [data]
    for page in pages:
        if isinstance(page, dict) and "data" in page:
            users = {
                str(u.get("id")): u.get("username")
                for u in (page.get("includes") or {}).get("users") or []
                if isinstance(u, dict)
            }
            tweets = page["data"] if isinstance(page["data"], list) else [page["data"]]
            for tweet in tweets:
                yield (tweet, users), "x"
        else:
            yield page, "x"


# ------------------------------------------------------------------------------------- TikTok
def _tiktok_item(item: Record, platform: str, author: str | None = None) -> Record:
    if "video_description" in item or "create_time" in item:  # Research API video object
        vid = str(item.get("id") or "") or None
        spoken = item.get("voice_to_text")
        duration = item.get("video_duration")
        user = item.get("username")
        record = {
            "id": vid,
            "platform": platform,
            "text": item.get("video_description") or "",
            "published_at": _epoch(item.get("create_time")),
            "author": user,
            "duration_s": duration,
            "url": f"https://www.tiktok.com/@{user}/video/{vid}" if user and vid else None,
            "transcript": [{"text": spoken, "start": 0.0, "end": float(duration or 0)}]
            if isinstance(spoken, str) and spoken.strip()
            else None,
        }
        meta = {
            k: item.get(k)
            for k in ("region_code", "hashtag_names", "like_count", "view_count", "music_id")
        }
        return _clean(record, meta)
    link = str(item.get("Link") or item.get("VideoLink") or "")
    found = _DIGITS.findall(link)
    date = item.get("Date")
    record = {
        "id": found[-1] if found else None,
        "platform": platform,
        "text": item.get("Title") or item.get("Caption") or "",
        "published_at": f"{date}+00:00" if isinstance(date, str) and len(date) == 19 else date,
        "author": author,
        "url": link or None,
    }
    known = {"Title", "Caption", "Date", "Link", "VideoLink"}
    meta = {k: v for k, v in item.items() if k not in known}
    return _clean(record, meta)


def _dig(data: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def tiktok(data: Any) -> Iterator[tuple[Any, str]]:
    if isinstance(data, list):
        for item in data:
            yield item, "tiktok"
        return
    if not isinstance(data, dict):
        return
    videos = _dig(data, "data", "videos")
    if isinstance(videos, list):  # Research API query response
        for item in videos:
            yield item, "tiktok"
        return
    author = _dig(data, "Profile And Settings", "Profile Info", "ProfileMap", "userName") or _dig(
        data, "Profile", "Profile Information", "ProfileMap", "userName"
    )
    for path in (("Post", "Posts", "VideoList"), ("Video", "Videos", "VideoList")):
        for item in _dig(data, *path) or []:
            yield (item, author), "tiktok"
    if "VideoList" in data:
        for item in data["VideoList"] or []:
            yield (item, author), "tiktok"
    if "video_description" in data or "Link" in data:
        yield data, "tiktok"


# ----------------------------------------------------------------------------------- dispatch
Convert = Callable[..., Record]
Unpack = Callable[[Any], Iterator[tuple[Any, str]]]
EXPORTS: dict[str, tuple[Unpack, Convert]] = {
    "instagram": (instagram, _instagram_item),
    "youtube": (youtube, _youtube_item),
    "x": (x, _x_item),
    "tiktok": (tiktok, _tiktok_item),
}


def sniff(data: Any) -> str | None:
    """Which export a parsed JSON document (or one JSONL line) looks like, if any."""
    first = data[0] if isinstance(data, list) and data else data
    if not isinstance(first, dict):
        return None
    kind = str(first.get("kind") or "")
    if kind.startswith("youtube#") or isinstance(first.get("snippet"), dict):
        return "youtube"
    if any(k in first for k in ("ig_reels_media", "ig_stories", "ig_posts")):
        return "instagram"
    if isinstance(first.get("media"), list) and ("creation_timestamp" in first or "title" in first):
        return "instagram"
    if any(k in first for k in ("Post", "Video", "Profile And Settings", "VideoList")):
        return "tiktok"
    if "video_description" in first or isinstance(_dig(first, "data", "videos"), list):
        return "tiktok"
    tweet = first.get("data") if "data" in first else first.get("tweet", first)
    if isinstance(tweet, list) and tweet:
        tweet = tweet[0]
    if isinstance(tweet, dict) and (
        "edit_history_tweet_ids" in tweet
        or "full_text" in tweet
        or ("text" in tweet and ("author_id" in tweet or "note_tweet" in tweet))
    ):
        return "x"
    return None


def export_rows(data: Any, fmt: str, path: str, line: int | None = None) -> Iterator[Row]:
    """Rows from one parsed document (`line` given: one JSONL line, every row gets it)."""
    unpack, convert = EXPORTS[fmt]
    n = 0
    for n, (item, platform) in enumerate(unpack(data), start=1):
        where = line if line is not None else n
        extra: tuple[Any, ...] = ()
        if isinstance(item, tuple):
            item, *rest = item
            extra = tuple(rest)
        if not isinstance(item, dict):
            err = ComplianceError("E007", path=path, fmt=fmt, detail=f"item {n} is not an object")
            yield Row(where, None, err)
            continue
        yield Row(where, convert(item, platform, *extra))
    if n == 0:
        yield Row(
            line or 1,
            None,
            ComplianceError("E007", path=path, fmt=fmt, detail="no posts found in it"),
        )
