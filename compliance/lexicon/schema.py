"""Strict schemas of the lexicon files (docs/data-formats.md). Unknown keys are errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from compliance.errors import ComplianceError

# libyaml's parser when PyYAML was built with it (6x faster on our lexicons)
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Clarity = Literal["clear", "uncertain", "ambiguous", "contradiction"]
DisclosureKind = Literal[
    "ad",
    "sponsored",
    "paid_partnership",
    "affiliate",
    "gift",
    "event",
    "loan",
    "employee",
    "owner",
    "family",
    "contest",
    "partnership",
    "thanks",
    "contradiction",
]
ConnectionKind = Literal[
    "paid",
    "free_product",
    "affiliate",
    "employee",
    "owner",
    "family",
    "contest",
    "event",
    "other",
]
Strength = Literal["strong", "moderate", "weak"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DisclosureEntry(_Strict):
    term: str = Field(min_length=1)
    match: Literal["hashtag", "hashtag_suffix", "label", "phrase", "regex"]
    kind: DisclosureKind
    clarity: Clarity
    source: str = Field(min_length=3)
    replacement: str | None = None
    note: str | None = None


class DisclosureLexicon(_Strict):
    language: str = Field(min_length=2, max_length=3)
    labels: dict[str, str]
    entries: list[DisclosureEntry]


class SignalEntry(_Strict):
    term: str = Field(min_length=1)
    match: Literal["phrase", "regex", "hashtag"]
    kind: ConnectionKind
    strength: Strength
    source: str = Field(min_length=3)
    note: str | None = None


class SignalLexicon(_Strict):
    language: str = Field(min_length=2, max_length=3)
    signals: list[SignalEntry]


ClaimCategory = Literal[
    "health_claim",
    "weight_loss_claim",
    "earnings_claim",
    "unsubstantiated_efficacy",
    "typicality",
    "review_integrity",
    "fake_influence",
    "environmental_claim",
]


class ClaimEntry(_Strict):
    term: str = Field(min_length=1)
    match: Literal["phrase", "regex", "lemma"]
    category: ClaimCategory
    subtype: str = Field(min_length=1, max_length=64)
    severity: Literal["error", "warning", "info"]
    requires: list[str] = Field(default_factory=list)
    escalate: dict[str, Literal["error", "warning", "info"]] = Field(default_factory=dict)
    window: int = Field(default=12, ge=1, le=60)
    source: str = Field(min_length=3)
    note: str | None = None


class Qualifiers(_Strict):
    negation: list[str] = Field(default_factory=list)
    hedge: list[str] = Field(default_factory=list)
    typical: list[str] = Field(default_factory=list)
    typical_results: list[str] = Field(default_factory=list)


class ClaimLexicon(_Strict):
    language: str = Field(min_length=2, max_length=3)
    contexts: dict[str, list[str]] = Field(default_factory=dict)
    claims: list[ClaimEntry]
    qualifiers: Qualifiers = Field(default_factory=Qualifiers)

    @model_validator(mode="after")
    def _contexts_defined(self) -> ClaimLexicon:
        for entry in self.claims:
            for name in [*entry.requires, *entry.escalate]:
                if name not in self.contexts:
                    raise ValueError(f"claim {entry.term!r} names unknown context {name!r}")
        return self


class AffiliateHost(_Strict):
    host: str = Field(min_length=3)
    network: str
    path: str | None = None
    param: str | None = None
    source: str = Field(min_length=3)
    note: str | None = None


class AffiliateParam(_Strict):
    name: str = Field(min_length=1)
    network: str | None = None
    strength: Literal["strong", "moderate"] = "moderate"
    source: str = Field(min_length=3)
    note: str | None = None


class AffiliateLexicon(_Strict):
    hosts: list[AffiliateHost]
    params: list[AffiliateParam] = Field(default_factory=list)


def load_yaml_model(path: Path, model: type[BaseModel], code: str = "E103") -> Any:
    """Read a YAML file into a strict model, turning any problem into a coded error."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except (OSError, yaml.YAMLError) as exc:
        raise ComplianceError(code, path=str(path), detail=str(exc).splitlines()[0]) from exc
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ComplianceError(code, path=str(path), detail=f"{where}: {first['msg']}") from exc
