"""The output contract (DESIGN §5): findings, disclosures, connection, verdict."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Category(StrEnum):
    missing_disclosure = "missing_disclosure"
    ambiguous_disclosure = "ambiguous_disclosure"
    buried_disclosure = "buried_disclosure"
    below_fold = "below_fold"
    wrong_language = "wrong_language"
    disclosure_channel = "disclosure_channel"
    health_claim = "health_claim"
    weight_loss_claim = "weight_loss_claim"
    earnings_claim = "earnings_claim"
    unsubstantiated_efficacy = "unsubstantiated_efficacy"
    typicality = "typicality"
    review_integrity = "review_integrity"
    fake_influence = "fake_influence"
    environmental_claim = "environmental_claim"
    other = "other"


DISCLOSURE_CATEGORIES = frozenset(
    {
        Category.missing_disclosure,
        Category.ambiguous_disclosure,
        Category.buried_disclosure,
        Category.below_fold,
        Category.wrong_language,
        Category.disclosure_channel,
    }
)
CLAIM_CATEGORIES = frozenset(
    {
        Category.health_claim,
        Category.weight_loss_claim,
        Category.earnings_claim,
        Category.unsubstantiated_efficacy,
        Category.typicality,
        Category.review_integrity,
        Category.fake_influence,
        Category.environmental_claim,
    }
)


class Severity(StrEnum):
    error = "error"
    warning = "warning"
    info = "info"


SEVERITY_RANK = {Severity.error: 0, Severity.warning: 1, Severity.info: 2}


class Verdict(StrEnum):
    pass_ = "pass"
    needs_review = "needs_review"
    fail = "fail"


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Span(_Frozen):
    """Offsets into the original text of `field` (end exclusive), or a time range for media."""

    field: str = "text"
    start: int = 0
    end: int = 0
    start_s: float | None = None
    end_s: float | None = None


class Fix(_Frozen):
    """One edit that can be applied as it is: replace original[start:end] of `field`."""

    field: str = "text"
    start: int
    end: int
    replacement: str


class Evidence(_Frozen):
    detector: str
    pattern: str
    text: str
    span: Span
    source: str | None = None


class Finding(_Frozen):
    rule_id: str
    category: Category
    severity: Severity
    title: str
    message: str
    rationale: str
    remedy: str
    citation: str
    legal_weight: str
    source_confidence: str
    span: Span
    evidence: list[Evidence] = Field(default_factory=list)
    confidence: float = Field(ge=0, le=1)
    confidence_reasons: list[str] = Field(default_factory=list)
    fixes: list[Fix] = Field(default_factory=list)


class Disclosure(_Frozen):
    text: str
    span: Span
    kind: str
    clarity: str
    language: str
    pattern: str
    above_fold: bool
    in_hashtag_block: bool
    at_end: bool
    obfuscated: str | None = None


class ConnectionReport(_Frozen):
    status: str  # declared | inferred | none | unknown
    kinds: list[str]
    confidence: float
    evidence: list[Evidence] = Field(default_factory=list)


class LanguageReport(_Frozen):
    code: str
    confidence: float
    source: str  # declared | detected | default


class PackRef(_Frozen):
    name: str
    version: str


class Report(_Frozen):
    id: str
    verdict: Verdict
    platform: str
    language: LanguageReport
    connection: ConnectionReport
    disclosures: list[Disclosure]
    findings: list[Finding]
    pack: PackRef
    engine_version: str
    metadata: dict[str, Any] = Field(default_factory=dict)

    def to_json(self) -> str:
        return self.model_dump_json()
