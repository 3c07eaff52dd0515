"""Check kinds for agencies' and brands' own packs: a term that must or must not appear.

Patterns come from pack files, so they are compiled once, cached, and matched with a timeout;
a timeout becomes a "could not evaluate" finding, never a silent pass.
"""

from __future__ import annotations

from functools import lru_cache

import regex

from compliance.checks.base import CheckContext, Draft
from compliance.errors import ComplianceError
from compliance.lexicon.watchdog import REGEX_TIMEOUT_S
from compliance.models.report import Severity
from compliance.rules.schema import Rule


@lru_cache(maxsize=1024)
def _compile(pattern: str, ignore_case: bool) -> regex.Pattern[str]:
    try:
        return regex.compile(pattern, regex.IGNORECASE if ignore_case else 0)
    except regex.error as exc:
        raise ComplianceError("E106", where="pack pattern", detail=f"{pattern!r}: {exc}") from exc


def _surfaces(ctx: CheckContext, rule: Rule) -> list[str]:
    wanted = rule.params.get("surfaces", ["text"])
    return [s for s in wanted if s in ctx.parsed.surfaces]


def _timeout(ctx: CheckContext, rule: Rule) -> Draft:
    ctx.timeouts.append(f"{rule.id}: pattern")
    return Draft(
        values={"term": rule.params.get("pattern", "")},
        confidence=0.0,
        severity=Severity.warning,
        reasons=[f"pattern did not finish within {REGEX_TIMEOUT_S}s: could not evaluate"],
    )


def required_term(ctx: CheckContext, rule: Rule) -> list[Draft]:
    pat = _compile(rule.params["pattern"], rule.params.get("ignore_case", True))
    for name in _surfaces(ctx, rule):
        try:
            if pat.search(ctx.parsed.surfaces[name].text, timeout=REGEX_TIMEOUT_S):
                return []
        except TimeoutError:
            return [_timeout(ctx, rule)]
    edits = []
    if rule.params.get("insert"):
        from compliance.checks.base import Edit

        edits = [Edit("text", 0, 0, str(rule.params["insert"]) + " ")]
    return [
        Draft(
            values={"term": rule.params.get("name", rule.params["pattern"])},
            severity=rule.severity,
            confidence=1.0,
            edits=edits,
            reasons=["pattern not found in " + ", ".join(_surfaces(ctx, rule))],
        )
    ]


def forbidden_term(ctx: CheckContext, rule: Rule) -> list[Draft]:
    pat = _compile(rule.params["pattern"], rule.params.get("ignore_case", True))
    out = []
    for name in _surfaces(ctx, rule):
        try:
            matches = list(pat.finditer(ctx.parsed.surfaces[name].text, timeout=REGEX_TIMEOUT_S))
        except TimeoutError:
            return [_timeout(ctx, rule)]
        for m in matches[:5]:
            out.append(
                Draft(
                    surface=name,
                    start=m.start(),
                    end=m.end(),
                    values={"term": m.group(0)},
                    severity=rule.severity,
                    confidence=1.0,
                    reasons=["pattern matched"],
                    evidence=[("pattern", rule.params["pattern"], name, m.start(), m.end(), None)],
                )
            )
    return out
