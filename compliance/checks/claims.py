"""Check kinds about claims: a claim phrase, a quantified result, missing typical results."""

from __future__ import annotations

from compliance.checks.base import CheckContext, Draft
from compliance.detectors.claims import FoundClaim, has_phrase
from compliance.models.report import Severity
from compliance.rules.schema import Rule

CATEGORY_WORDS = {
    "health_claim": "health",
    "weight_loss_claim": "weight-loss",
    "earnings_claim": "earnings",
    "unsubstantiated_efficacy": "efficacy",
    "typicality": "results",
    "review_integrity": "review",
    "fake_influence": "fake-influence",
    "environmental_claim": "environmental",
}
MAX_PER_RULE = 3
_SEVERITIES = {s.value: s for s in Severity}  # a plain dict look-up, not Enum's call


def _selected(claim: FoundClaim, rule: Rule) -> bool:
    p = rule.params
    if claim.category not in p.get("categories", [claim.category]):
        return False
    subtypes = p.get("subtypes")
    if subtypes and not any(
        claim.subtype == s or (s.endswith("*") and claim.subtype.startswith(s[:-1]))
        for s in subtypes
    ):
        return False
    return not any(
        claim.subtype == s or (s.endswith("*") and claim.subtype.startswith(s[:-1]))
        for s in p.get("exclude_subtypes", [])
    )


def claim_phrase(ctx: CheckContext, rule: Rule) -> list[Draft]:
    """Claims of the rule's categories / subtypes, one finding each (a few per rule)."""
    out = []
    for c in ctx.claims:
        if not _selected(c, rule):
            continue
        reasons = [f"'{c.text}' matched {c.pattern.split(':', 2)[-1]!r}"]
        if c.contexts:
            reasons.append("with " + ", ".join(c.contexts) + " nearby")
        if c.hedged:
            reasons.append("hedged wording lowers the severity one step")
        out.append(
            Draft(
                surface=c.surface,
                start=c.start,
                end=c.end,
                start_s=c.start_s,
                end_s=c.end_s,
                values={
                    "term": c.text,
                    "kind": CATEGORY_WORDS.get(c.category, c.category),
                    "subtype": c.subtype.replace("-", " "),
                    "context": ", ".join(c.contexts) or "none",
                },
                evidence=[(c.detector, c.pattern, c.surface, c.start, c.end, c.source)],
                confidence=0.6 if c.hedged else 0.85,
                reasons=reasons,
                severity=_SEVERITIES[c.severity],
            )
        )
        if len(out) >= MAX_PER_RULE:
            break
    return out


def claim_quantity(ctx: CheckContext, rule: Rule) -> list[Draft]:
    """A quantified result: weight lost (and the rate) or money made."""
    kind = rule.params.get("kind", "weight")
    out = []
    for q in ctx.quantities:
        if q.kind != kind:
            continue
        severity = rule.severity
        values: dict[str, object] = {"term": q.text}
        reasons = []
        if kind == "weight":
            min_lb = float(rule.params.get("min_lb", 5))
            if q.amount < min_lb:
                continue
            values["amount"] = f"{q.amount:g} lb"
            values["rate"] = (
                f"{q.rate_per_week:g} lb a week" if q.rate_per_week else "no time given"
            )
            fast = float(rule.params.get("error_rate_lb_per_week", 3))
            if q.rate_per_week and q.rate_per_week > fast:
                severity = Severity.error
                reasons.append(f"more than {fast:g} lb a week (FTC Gut Check)")
        else:
            min_amount = float(rule.params.get("min_amount", 100))
            if q.amount < min_amount:
                continue
            values["amount"] = f"{q.amount:,.0f}"
            values["rate"] = f"over {q.weeks:g} weeks" if q.weeks else "no period given"
        out.append(
            Draft(
                surface=q.surface,
                start=q.start,
                end=q.end,
                values=values,
                evidence=[("quantities", f"{kind} amount", q.surface, q.start, q.end, None)],
                confidence=0.8,
                reasons=reasons or ["quantified result"],
                severity=severity,
            )
        )
        if len(out) >= MAX_PER_RULE:
            break
    return out


def claim_typicality(ctx: CheckContext, rule: Rule) -> list[Draft]:
    """A dramatic result without a statement of what people generally achieve."""
    min_lb = float(rule.params.get("min_lb", 15))
    min_rate = float(rule.params.get("min_rate_lb_per_week", 2))
    min_money = float(rule.params.get("min_amount", 1000))
    dramatic = [
        q
        for q in ctx.quantities
        if (q.kind == "weight" and (q.amount > min_lb or (q.rate_per_week or 0) >= min_rate))
        or (q.kind == "money" and q.amount >= min_money)
    ]
    testimonials = [c for c in ctx.claims if c.category == "typicality"]
    if not dramatic and not testimonials:
        return []
    if has_phrase(ctx.parsed, ctx.lexicons, "typical_results", ctx.timeouts):
        return []
    generic = has_phrase(ctx.parsed, ctx.lexicons, "typical", ctx.timeouts)
    target = dramatic[0] if dramatic else testimonials[0]
    disclaimer = (
        f"'{generic}' is there, but a generic disclaimer is not enough"
        if generic
        else "nothing says what people generally achieve"
    )
    return [
        Draft(
            surface=target.surface,
            start=target.start,
            end=target.end,
            values={"term": target.text, "disclaimer": disclaimer},
            evidence=[
                (
                    "quantities" if dramatic else "claim-lexicon",
                    "dramatic result",
                    target.surface,
                    target.start,
                    target.end,
                    None,
                )
            ],
            confidence=0.75,
            reasons=["dramatic individual result", disclaimer],
            severity=rule.severity,
        )
    ]
