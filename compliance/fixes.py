"""Apply the machine-applicable fixes of a report to the post's text."""

from __future__ import annotations

from compliance.models.report import Fix, Report


def collect_fixes(
    report: Report, field: str = "text", severities: tuple[str, ...] = ("error", "warning")
) -> list[Fix]:
    """The fixes of the report's findings for one field: identical edits once, overlapping
    edits dropped (the earlier finding wins), sorted by position."""
    chosen: list[Fix] = []
    seen: set[tuple[int, int, str]] = set()
    for finding in report.findings:
        if finding.severity.value not in severities:
            continue
        group = [f for f in finding.fixes if f.field == field]
        if any(_conflicts(f, chosen) for f in group if (f.start, f.end, f.replacement) not in seen):
            continue
        for f in group:
            key = (f.start, f.end, f.replacement)
            if key not in seen:
                seen.add(key)
                chosen.append(f)
    return sorted(chosen, key=lambda f: (f.start, f.end))


def _conflicts(fix: Fix, chosen: list[Fix]) -> bool:
    for c in chosen:
        if fix.start == fix.end == c.start == c.end:
            return True  # two different insertions at one point: keep the first
        if fix.start < c.end and c.start < fix.end:
            return True
    return False


def apply_fixes(text: str, fixes: list[Fix]) -> str:
    """Apply non-overlapping edits (offsets into the original `text`)."""
    out = text
    for f in sorted(fixes, key=lambda f: (f.start, f.end), reverse=True):
        out = out[: f.start] + f.replacement + out[f.end :]
    return out
