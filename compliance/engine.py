"""The engine: Post -> ParsedPost -> evidence -> findings -> Report. Build once, check many."""

from __future__ import annotations

import gc
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import orjson
from pydantic import ValidationError

from compliance.checks.base import CheckContext, Connection, Draft
from compliance.checks.registry import CHECK_KINDS, CHECKS, rule_needs
from compliance.detectors.claims import find_claims
from compliance.detectors.connection import find_signals, infer
from compliance.detectors.disclosures import FoundDisclosure, find_disclosures
from compliance.detectors.quantities import find_quantities
from compliance.errors import ComplianceError
from compliance.lexicon.store import Lexicons, load_lexicons
from compliance.models.post import Post
from compliance.models.report import (
    Report,
    Verdict,
)
from compliance.rules.pack import Pack, default_rules_dir, load_pack, read_platforms, resolve_pack
from compliance.rules.schema import Rule
from compliance.text.parse import ParsedPost
from compliance.version import __version__

_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
SOURCE_FACTOR = {"primary": 1.0, "secondary": 0.9, "unverified": 0.75}
SURFACE_ORDER = {"title": 0, "text": 1, "transcript": 2, "on_screen_text": 3}
MAX_VALUE_CHARS = 120


def dumps(report: dict[str, Any]) -> str:
    """Compact JSON of a report dict, as pydantic's `model_dump_json` writes it (a test pins
    the bytes); orjson is ~7x faster than the standard library here."""
    return orjson.dumps(report, default=_json_default).decode()


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


class _Values(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _short(value: Any) -> Any:
    if isinstance(value, str) and len(value) > MAX_VALUE_CHARS:
        return value[: MAX_VALUE_CHARS - 1] + "…"
    return value


def coerce_post(data: Post | dict[str, Any]) -> Post:
    """A Post from a dict, with a coded error naming the first bad field."""
    if isinstance(data, Post):
        return data
    try:
        return Post.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "post"
        raise ComplianceError("E001", detail=f"{where}: {first['msg']}", field=where) from exc


class _RuleFields(NamedTuple):
    """The parts of a rule's findings that do not depend on the post."""

    rule: Rule
    category: str
    severity: str
    factor: float
    source_reason: str | None
    wants_example: bool


class Checker:
    """Holds one rule pack, the compiled lexicons and platform facts; `check` is pure."""

    def __init__(self, pack: Pack, lexicons: Lexicons, platforms: dict[str, Any]) -> None:
        self.pack = pack
        self.lexicons = lexicons
        self.platforms = platforms
        self._rules_for: dict[tuple[str, frozenset[str], frozenset[str]], list[Rule]] = {}
        self._fields: dict[str, _RuleFields] = {}

    def __reduce__(self) -> tuple[type[Checker], tuple[Pack, Lexicons, dict[str, Any]]]:
        """Pickled as its parts (the audit cache, a Spark broadcast); the per-rule caches are
        filled again as it checks."""
        return (Checker, (self.pack, self.lexicons, self.platforms))

    def _applicable(self, platform: str, media: set[str], have: frozenset[str]) -> list[Rule]:
        """The rules that apply to the platform and media and whose evidence is there (a
        check that needs claims is not run on a post without any, a claim rule of one
        category not on a post without a claim of it): cached per combination."""
        key = (platform, frozenset(media), have)
        rules = self._rules_for.get(key)
        if rules is None:
            rules = [
                r
                for r in self.pack.rules
                if r.status != "deprecated" and r.applies(platform, media) and rule_needs(r) <= have
            ]
            self._rules_for[key] = rules
        return rules

    @classmethod
    def from_pack(cls, pack: str = "us-ftc", rules_dir: Path | None = None) -> Checker:
        base = (rules_dir or default_rules_dir()).resolve()
        pack_path = resolve_pack(pack, base)
        return cls(
            load_pack(pack_path, CHECK_KINDS),
            load_lexicons(base),
            read_platforms(base),
        )

    def prepare(self) -> Checker:
        """Compile every lexicon pattern now (they are compiled on first use otherwise):
        validates the lexicons, and a server or audit worker calls it before taking work so
        that no check pays for a compile."""
        for lexicon in (self.lexicons.disclosures, self.lexicons.signals, self.lexicons.claims):
            lexicon.compile_all()
        # The lexicons are millions of long-lived objects: moved to the collector's permanent
        # generation, full collections no longer walk them (before: 1.7% of a check's
        # instructions went to the collector)
        gc.collect()
        gc.freeze()
        return self

    # ------------------------------------------------------------------------------------------
    def _connection(self, parsed: ParsedPost, timeouts: list[str]) -> Connection:
        post = parsed.post
        declared = [str(c) for c in post.declared_connections]  # a StrEnum's str() is its value
        signals = find_signals(parsed, self.lexicons, timeouts, links_only=bool(declared))
        if declared and declared != ["none"]:
            kinds = [k for k in declared if k != "none"]
            return Connection("declared", kinds, 1.0, signals)
        if declared == ["none"]:
            return Connection("none", [], 1.0, signals)
        confidence, kinds, used = infer(signals)
        threshold = self.pack.manifest.settings.inference_min_confidence
        status = "inferred" if confidence >= threshold else "unknown"
        return Connection(status, kinds, confidence, used)

    def check(self, post: Post | dict[str, Any]) -> Report:
        """Check one post; the report is validated against the contract (DESIGN §5)."""
        return Report.model_validate(self.check_dict(post))

    def check_json(self, post: Post | dict[str, Any]) -> str:
        """The report as compact JSON, byte for byte what `check(post).model_dump_json()`
        gives (a test pins this), without building the pydantic objects: the batch path."""
        return dumps(self.check_dict(post))

    def check_dict(self, post: Post | dict[str, Any]) -> dict[str, Any]:
        """The report as plain data in the field order of `Report`."""
        post = coerce_post(post)
        parsed = ParsedPost(post, self.platforms)
        timeouts: list[str] = []
        manifest = self.pack.manifest  # its fields, not Pack's properties: no Python call
        settings = manifest.settings
        disclosures = find_disclosures(parsed, self.lexicons, settings, timeouts)
        connection = self._connection(parsed, timeouts)
        claims = find_claims(parsed, self.lexicons, timeouts)
        quantities = find_quantities(parsed, timeouts)
        ctx = CheckContext(
            parsed, settings, self.lexicons, disclosures, connection, timeouts, claims, quantities
        )

        findings: list[dict[str, Any]] = []
        have = {"connection"} if ctx.connected else set()
        if disclosures:
            have.add("disclosures")
        if claims:
            have.update(("claims", "claims_or_quantities"))
            have.update(["claims:" + c.category for c in claims])
        if quantities:
            have.update(("quantities", "claims_or_quantities"))
        if any(s.detector == "affiliate-link" for s in connection.signals):
            have.add("affiliate_links")
        for rule in self._applicable(parsed.platform, parsed.media, frozenset(have)):
            drafts = CHECKS[rule.check](ctx, rule)
            if not drafts:
                continue
            fixed = self._fixed_fields(rule)
            for draft in drafts:
                draft.values.setdefault("brand", ctx.brand)
                if fixed.wants_example:
                    draft.values.setdefault("example", ctx.example(draft.values.get("kind_key")))
                findings.append(self._finding(parsed, rule, fixed, draft))
        if timeouts:
            findings.append(self._timeout_finding(timeouts))
        findings.sort(key=finding_order)
        return {
            "id": post.id,
            "verdict": verdict_of(findings),
            "platform": parsed.platform,
            "language": {
                "code": parsed.language[0],
                "confidence": parsed.language[1],
                "source": parsed.language[2],
            },
            "connection": {
                "status": connection.status,
                "kinds": connection.kinds,
                "confidence": connection.confidence,
                "evidence": [
                    self._evidence(
                        parsed, s.detector, s.pattern, s.surface, s.start, s.end, s.source
                    )
                    for s in _distinct(connection.signals)[:10]
                ],
            },
            "disclosures": [self._disclosure(parsed, d) for d in disclosures],
            "findings": findings,
            "pack": {"name": manifest.name, "version": manifest.version},
            "engine_version": __version__,
            "metadata": post.metadata,
        }

    # ------------------------------------------------------------------------------------------
    @staticmethod
    def _span(
        parsed: ParsedPost,
        surface: str,
        start: int,
        end: int,
        start_s: float | None = None,
        end_s: float | None = None,
    ) -> dict[str, Any]:
        surf = parsed.surfaces.get(surface)
        if surf is not None:
            start, end = surf.norm.to_original(start, end)
        return {"field": surface, "start": start, "end": end, "start_s": start_s, "end_s": end_s}

    def _evidence(
        self,
        parsed: ParsedPost,
        detector: str,
        pattern: str,
        surface: str,
        start: int,
        end: int,
        source: str | None,
    ) -> dict[str, Any]:
        span = self._span(parsed, surface, start, end)
        original = parsed.surfaces[surface].norm.original if surface in parsed.surfaces else ""
        return {
            "detector": detector,
            "pattern": pattern,
            "text": original[span["start"] : span["end"]],
            "span": span,
            "source": source,
        }

    def _disclosure(self, parsed: ParsedPost, d: FoundDisclosure) -> dict[str, Any]:
        span = self._span(parsed, d.surface, d.start, d.end, d.start_s, d.end_s)
        original = parsed.surfaces[d.surface].norm.original
        return {
            "text": original[span["start"] : span["end"]],
            "span": span,
            "kind": d.kind,
            "clarity": d.clarity,
            "language": d.language,
            "pattern": d.pattern,
            "above_fold": d.above_fold,
            "in_hashtag_block": d.in_hashtag_block,
            "at_end": d.at_end,
            "obfuscated": d.obfuscated,
        }

    def _fixed_fields(self, rule: Rule) -> _RuleFields:
        """What every finding of `rule` says the same way, worked out once per rule."""
        fixed = self._fields.get(rule.id)
        if fixed is None or fixed.rule is not rule:
            factor = SOURCE_FACTOR[rule.confidence]
            fixed = self._fields[rule.id] = _RuleFields(
                rule=rule,
                category=rule.category.value,
                severity=rule.severity.value,
                factor=factor,
                source_reason=f"rule rests on a {rule.confidence} source" if factor < 1.0 else None,
                wants_example="{example}" in rule.fix or "{example}" in rule.message,
            )
        return fixed

    def _finding(
        self, parsed: ParsedPost, rule: Rule, fixed: _RuleFields, draft: Draft
    ) -> dict[str, Any]:
        values = _Values({k: _short(v) for k, v in draft.values.items()})
        reasons = [*draft.reasons]
        if fixed.source_reason is not None:
            reasons.append(fixed.source_reason)
        fixes = []
        for e in draft.edits:
            span = self._span(parsed, e.surface, e.start, e.end)
            fixes.append(
                {
                    "field": e.surface,
                    "start": span["start"],
                    "end": span["end"],
                    "replacement": e.replacement,
                }
            )
        if len(fixes) > 1:
            fixes.sort(key=lambda f: (f["field"], f["start"], f["end"]))
        return {
            "rule_id": rule.id,
            "category": fixed.category,
            "severity": fixed.severity if draft.severity is None else str(draft.severity),
            "title": rule.title,
            "message": rule.message.format_map(values),
            "rationale": rule.rationale,
            "remedy": rule.fix.format_map(values),
            "citation": rule.citation,
            "legal_weight": rule.legal_weight,
            "source_confidence": rule.confidence,
            "span": self._span(
                parsed, draft.surface, draft.start, draft.end, draft.start_s, draft.end_s
            ),
            "evidence": [self._evidence(parsed, *ev) for ev in draft.evidence],
            "confidence": round(max(0.0, min(1.0, draft.confidence * fixed.factor)), 3),
            "confidence_reasons": reasons,
            "fixes": fixes,
        }

    def _timeout_finding(self, timeouts: list[str]) -> dict[str, Any]:
        return {
            "rule_id": "engine-pattern-timeout",
            "category": "other",
            "severity": "warning",
            "title": "Some patterns could not be evaluated",
            "message": f"{len(timeouts)} pattern(s) ran out of time: {', '.join(timeouts[:3])}",
            "rationale": "A pattern that did not finish cannot show the post is compliant.",
            "remedy": "Review this post by hand.",
            "citation": "n/a",
            "legal_weight": "heuristic",
            "source_confidence": "primary",
            "span": {"field": "text", "start": 0, "end": 0, "start_s": None, "end_s": None},
            "evidence": [],
            "confidence": 0.0,
            "confidence_reasons": ["pattern timeout"],
            "fixes": [],
        }

    def rules(self) -> tuple[Rule, ...]:
        return self.pack.rules


def _distinct(signals: list[Any]) -> list[Any]:
    seen: set[tuple[str, int, int]] = set()
    out = []
    for s in signals:
        key = (s.surface, s.start, s.end)
        if key not in seen:
            seen.add(key)
            out.append(s)
    return out


def finding_order(f: dict[str, Any]) -> tuple[Any, ...]:
    """Where findings sit in a report: by surface, offset, time, severity, rule."""
    span = f["span"]
    return (
        SURFACE_ORDER.get(span["field"], 9),
        span["start"],
        span["start_s"] or 0.0,
        _SEVERITY_ORDER[f["severity"]],
        f["rule_id"],
    )


# The verdicts as plain strings, read once: `Enum.value` is a Python-level property, a cost on
# every check
_FAIL, _NEEDS_REVIEW, _PASS = Verdict.fail.value, Verdict.needs_review.value, Verdict.pass_.value


def verdict_of(findings: list[dict[str, Any]]) -> str:
    """A report's verdict from its findings: fail on an error, needs review on a warning."""
    severities = {f["severity"] for f in findings}
    if "error" in severities:
        return _FAIL
    if "warning" in severities:
        return _NEEDS_REVIEW
    return _PASS


@lru_cache(maxsize=8)
def default_checker(pack: str = "us-ftc") -> Checker:
    return Checker.from_pack(pack)


def check(post: Post | dict[str, Any], pack: str = "us-ftc") -> Report:
    """Check one post with a cached checker for `pack`."""
    return default_checker(pack).check(post)
