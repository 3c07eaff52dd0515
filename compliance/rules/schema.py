"""Strict schema of a rule file and of a pack's manifest (docs/rules.md)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from compliance.models.report import Category, Severity

LegalWeight = Literal[
    "statute", "guide", "staff", "case", "self_regulatory", "platform", "heuristic"
]
SourceConfidence = Literal["primary", "secondary", "unverified"]
MediaKind = Literal["text", "video", "livestream", "story", "*"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AppliesTo(_Strict):
    platforms: list[str] = Field(default_factory=lambda: ["*"])
    media: list[MediaKind] = Field(default_factory=lambda: list[MediaKind](["*"]))


class Example(_Strict):
    post: dict[str, Any]
    note: str | None = None
    # for must_flag: the finding's span must cover this text (optional)
    span_text: str | None = None


class Examples(_Strict):
    must_flag: list[Example] = Field(default_factory=list)
    must_not_flag: list[Example] = Field(default_factory=list)
    known_gaps: list[Example] = Field(default_factory=list)


class Rule(_Strict):
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    title: str
    category: Category
    severity: Severity
    confidence: SourceConfidence
    legal_weight: LegalWeight
    citation: str
    references: list[str] = Field(default_factory=list)
    catalogue_ids: list[str] = Field(default_factory=list)
    check: str
    params: dict[str, Any] = Field(default_factory=dict)
    message: str
    rationale: str
    fix: str
    applies_to: AppliesTo = Field(default_factory=AppliesTo)
    status: Literal["preview", "stable", "deprecated"] = "stable"
    examples: Examples

    @field_validator("message", "rationale", "fix")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value.strip()

    def applies(self, platform: str, media: set[str]) -> bool:
        plats = self.applies_to.platforms
        if "*" not in plats and platform not in plats:
            return False
        kinds = self.applies_to.media
        return "*" in kinds or bool(media.intersection(kinds))


class PackSettings(_Strict):
    end_of_text_min_chars: int = 200
    adjacent_chars: int = 80
    inference_min_confidence: float = 0.5
    video_first_disclosure_s: float = 30.0
    livestream_interval_s: float = 900.0
    preferred_language: str = "en"


class PackManifest(_Strict):
    name: str
    version: str
    title: str
    jurisdiction: str
    description: str = ""
    extends: str | None = None
    settings: PackSettings = Field(default_factory=PackSettings)
    redirects: dict[str, str] = Field(default_factory=dict)
