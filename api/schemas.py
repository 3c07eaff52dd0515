"""Request and response models of the service (separate from the engine's models)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from compliance.models.report import Report

EXAMPLE_POST: dict[str, Any] = {
    "id": "draft-42",
    "platform": "instagram",
    "text": "Loving my new serum from @glowlab! Use code MIA20 for 20% off #skincare",
    "material_connection": "free_product",
    "brands": ["@glowlab"],
}
EXAMPLE_OK_POST: dict[str, Any] = {
    "id": "draft-43",
    "platform": "instagram",
    "text": "#ad Golden hour glow with the new @glowlab serum, light and fast.",
    "material_connection": "paid",
}


class CheckOptions(BaseModel):
    """Options of a check, as query parameters (`/v1/check`) or batch body fields."""

    model_config = ConfigDict(extra="forbid", strict=True)

    jurisdiction: str | None = Field(
        default=None,
        max_length=64,
        description="Rule pack to check against (default: the post's `jurisdiction` when "
        "given, else the service's pack).",
    )
    packs: list[str] = Field(
        default_factory=list,
        max_length=8,
        description="Further packs loaded by the service whose findings are added.",
    )
    explain: bool = Field(
        default=True,
        description="Include the evidence and confidence reasons behind each finding "
        "(false gives a smaller report with the same fields, those lists empty).",
    )


class BatchRequest(CheckOptions):
    posts: list[dict[str, Any]] = Field(
        description="Posts (the fields of `Post`); an invalid one gets an error in its place."
    )

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={"examples": [{"posts": [EXAMPLE_POST, EXAMPLE_OK_POST]}]},
    )


class ItemError(BaseModel):
    code: str
    message: str
    field: str | None = None
    limit: int | None = None


class BatchItemError(BaseModel):
    """In place of a report: the post at `index` could not be checked."""

    index: int
    id: str | None = None
    error: ItemError


class BatchResponse(BaseModel):
    reports: list[Report | BatchItemError]


class RuleSummary(BaseModel):
    id: str
    title: str
    category: str
    severity: str
    legal_weight: str
    citation: str
    status: str


class PackInfo(BaseModel):
    name: str
    version: str
    title: str
    jurisdiction: str


class RulesResponse(BaseModel):
    pack: PackInfo
    rules: list[RuleSummary]


class Health(BaseModel):
    status: str


class Ready(BaseModel):
    status: str
    packs: list[PackInfo]
    database: str


class KeyInfo(BaseModel):
    key_id: str
    organisation: str
    role: str
    name: str | None
    created_at: datetime
    revoked_at: datetime | None


class KeysResponse(BaseModel):
    keys: list[KeyInfo]
