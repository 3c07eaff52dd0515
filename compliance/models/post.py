"""The input contract: one post, as a creator tool, an export or a batch row gives it."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

MAX_TEXT_CHARS = 100_000
MAX_SEGMENTS = 5_000


class Platform(StrEnum):
    instagram = "instagram"
    instagram_story = "instagram_story"
    instagram_reel = "instagram_reel"
    tiktok = "tiktok"
    youtube = "youtube"
    youtube_short = "youtube_short"
    x = "x"
    facebook = "facebook"
    linkedin = "linkedin"
    pinterest = "pinterest"
    threads = "threads"
    twitch = "twitch"
    snapchat = "snapchat"
    blog = "blog"
    podcast = "podcast"
    other = "other"


class Connection(StrEnum):
    paid = "paid"
    free_product = "free_product"
    affiliate = "affiliate"
    employee = "employee"
    owner = "owner"
    family = "family"
    contest = "contest"
    other = "other"
    none = "none"
    unknown = "unknown"


VIDEO_PLATFORMS = frozenset(
    {
        Platform.youtube,
        Platform.youtube_short,
        Platform.tiktok,
        Platform.instagram_reel,
        Platform.twitch,
        Platform.snapchat,
    }
)


class TimedText(BaseModel):
    """Spoken words (transcript) or overlay text (on-screen), with start and end in seconds."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    text: str = Field(max_length=20_000)
    start: float = Field(ge=0)
    end: float = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> TimedText:
        if self.end < self.start:
            raise ValueError("end must not be before start")
        return self


class Post(BaseModel):
    """One post to check. Unknown fields are rejected; readers carry extra columns as metadata."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)

    id: str = Field(default="post", min_length=1, max_length=256)
    platform: Platform = Platform.other
    text: str = Field(default="", max_length=MAX_TEXT_CHARS)
    title: str | None = Field(default=None, max_length=5_000)
    transcript: list[TimedText] | None = Field(default=None, max_length=MAX_SEGMENTS)
    on_screen_text: list[TimedText] | None = Field(default=None, max_length=MAX_SEGMENTS)
    duration_s: float | None = Field(default=None, ge=0)
    is_livestream: bool = False
    language: str | None = Field(default=None, min_length=2, max_length=8)
    material_connection: list[Connection] = Field(default_factory=lambda: [Connection.unknown])
    brands: list[str] = Field(default_factory=list, max_length=100)
    platform_disclosure_tool: bool | None = None
    jurisdiction: str = Field(default="us-ftc", min_length=2, max_length=64)
    published_at: datetime | None = None
    author: str | None = Field(default=None, max_length=256)
    url: str | None = Field(default=None, max_length=4_096)
    campaign: str | None = Field(default=None, max_length=256)
    metadata: dict[str, Any] = Field(default_factory=dict)

    @field_validator("platform", mode="before")
    @classmethod
    def _platform_case(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("material_connection", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        if value is None:
            return [Connection.unknown]
        if isinstance(value, str):
            value = [value]
        if isinstance(value, list):
            return [v.strip().lower() if isinstance(v, str) else v for v in value]
        return value

    @field_validator("language")
    @classmethod
    def _lang(cls, value: str | None) -> str | None:
        return value.lower().split("-")[0] if value else value

    @field_validator("brands")
    @classmethod
    def _brands(cls, value: list[str]) -> list[str]:
        return [b.strip() for b in value if b and b.strip()][:100]

    @property
    def declared_connections(self) -> list[Connection]:
        """Connections the caller stated (unknown dropped); empty when nothing is known."""
        return [c for c in self.material_connection if c is not Connection.unknown]

    @property
    def is_video(self) -> bool:
        return self.platform in VIDEO_PLATFORMS or bool(self.transcript) or self.is_livestream
