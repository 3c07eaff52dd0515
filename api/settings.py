"""One typed settings object, read from `COMPLIANCE_*` environment variables or given in code."""

from __future__ import annotations

import os
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from compliance.models.post import MAX_TEXT_CHARS
from compliance.store.db import database_url

ENV_PREFIX = "COMPLIANCE_"
DEFAULT_MAX_BODY_BYTES = 1_000_000
DEFAULT_MAX_BATCH_POSTS = 100


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    database_url: str = Field(default_factory=lambda: database_url())
    pack: str = "us-ftc"
    # further packs loaded at start-up; requests may ask for them by name (`packs=`)
    extra_packs: tuple[str, ...] = ()
    max_body_bytes: int = Field(default=DEFAULT_MAX_BODY_BYTES, ge=1_000)
    max_text_chars: int = Field(default=MAX_TEXT_CHARS, ge=1, le=MAX_TEXT_CHARS)
    max_batch_posts: int = Field(default=DEFAULT_MAX_BATCH_POSTS, ge=1, le=10_000)
    # a verified key is trusted this long before it is looked up again (0: every request)
    key_cache_seconds: float = Field(default=5.0, ge=0)
    migrate: bool = True
    # the review UI's session cookie is sent over HTTPS only (set it behind a TLS proxy)
    cookie_secure: bool = False

    @classmethod
    def from_env(cls, **overrides: Any) -> Settings:
        """Settings from the environment (`COMPLIANCE_MAX_BODY_BYTES=...`), then `overrides`."""
        values: dict[str, Any] = {}
        for name, field in cls.model_fields.items():
            raw = os.environ.get(ENV_PREFIX + name.upper())
            if raw is None:
                continue
            if field.annotation == tuple[str, ...]:
                values[name] = tuple(p for p in raw.split(",") if p.strip())
            elif field.annotation is bool:
                values[name] = raw.strip().lower() in {"1", "true", "yes", "on"}
            else:
                values[name] = raw
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls.model_validate(values)

    def to_env(self) -> dict[str, str]:
        """The environment that makes `from_env()` in a worker process give these settings."""
        out = {}
        for name, value in self.model_dump().items():
            if isinstance(value, tuple | list):
                value = ",".join(value)
            elif isinstance(value, bool):
                value = "1" if value else "0"
            out[ENV_PREFIX + name.upper()] = str(value)
        return out
