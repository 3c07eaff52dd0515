"""Run the must-flag / must-not-flag / known-gap examples that every rule carries."""

from __future__ import annotations

from dataclasses import dataclass

from compliance.engine import Checker


@dataclass(frozen=True)
class ExampleResult:
    rule_id: str
    kind: str  # must_flag | must_not_flag | known_gaps
    index: int
    text: str
    ok: bool
    found: list[str]


def run_examples(checker: Checker) -> list[ExampleResult]:
    results = []
    for rule in checker.rules():
        for kind in ("must_flag", "must_not_flag", "known_gaps"):
            for i, ex in enumerate(getattr(rule.examples, kind)):
                post = {"id": f"{rule.id}-{kind}-{i}", **ex.post}
                report = checker.check(post)
                mine = [f for f in report.findings if f.rule_id == rule.id]
                flagged = bool(mine)
                if kind == "must_not_flag":
                    ok = not flagged
                else:  # a known gap is an example we should flag but do not yet
                    ok = flagged
                    if ok and ex.span_text is not None:
                        text = post.get("text", "")
                        ok = any(ex.span_text in text[f.span.start : f.span.end] for f in mine)
                results.append(
                    ExampleResult(
                        rule.id,
                        kind,
                        i,
                        str(post.get("text", "")),
                        ok,
                        sorted({f.rule_id for f in report.findings}),
                    )
                )
    return results
