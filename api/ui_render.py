"""What the review UI shows of a report, as plain data for the templates (which escape every
piece of post text): the text cut at the findings' spans, and fixes as before / after diffs.
Spans and fixes are offsets into the original text (DESIGN §5)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SEVERITY_ORDER = ("error", "warning", "info")
CONTEXT_CHARS = 32


@dataclass(frozen=True)
class Piece:
    """A run of text covered by the same findings (`marks`, 1-based numbers), or a caret
    (`text` empty) where a zero-width finding points, such as a missing disclosure."""

    text: str
    marks: tuple[int, ...] = ()
    severity: str | None = None


@dataclass(frozen=True)
class DiffPart:
    kind: str  # same | del | ins
    text: str


@dataclass
class FixView:
    finding: int
    parts: list[DiffPart] = field(default_factory=list)
    lead: bool = False  # the context was cut before
    tail: bool = False  # and after


def _worst(severities: list[str]) -> str | None:
    for s in SEVERITY_ORDER:
        if s in severities:
            return s
    return severities[0] if severities else None


def highlight(text: str, findings: list[dict[str, Any]], surface: str = "text") -> list[Piece]:
    """`text` in pieces: plain runs, marked runs (by the findings whose span covers them) and
    carets for zero-width spans."""
    n = len(text)
    spans: list[tuple[int, int, int, str]] = []
    carets: dict[int, list[tuple[int, str]]] = {}
    for number, f in enumerate(findings, 1):
        span = f.get("span") or {}
        if span.get("field", "text") != surface:
            continue
        start = max(0, min(n, int(span.get("start") or 0)))
        end = max(start, min(n, int(span.get("end") or 0)))
        severity = str(f.get("severity") or "info")
        if end == start:
            carets.setdefault(start, []).append((number, severity))
        else:
            spans.append((number, start, end, severity))
    cuts = sorted({0, n, *(s for _, s, _, _ in spans), *(e for _, _, e, _ in spans), *carets})
    pieces: list[Piece] = []
    for i, a in enumerate(cuts):
        if a in carets:
            nums = tuple(num for num, _ in carets[a])
            pieces.append(Piece("", nums, _worst([sev for _, sev in carets[a]])))
        if i + 1 == len(cuts):
            break
        b = cuts[i + 1]
        if a == b:
            continue
        cover = [(num, sev) for num, s, e, sev in spans if s <= a and e >= b]
        pieces.append(
            Piece(text[a:b], tuple(num for num, _ in cover), _worst([sev for _, sev in cover]))
        )
    return pieces


def _fixes(findings: list[dict[str, Any]], surface: str) -> list[tuple[int, int, int, str]]:
    out = []
    for number, f in enumerate(findings, 1):
        for fix in f.get("fixes") or ():
            if fix.get("field", "text") == surface:
                out.append((number, int(fix["start"]), int(fix["end"]), str(fix["replacement"])))
    return out


def fix_views(
    text: str, findings: list[dict[str, Any]], surface: str = "text"
) -> dict[int, list[FixView]]:
    """Each finding's fixes as a diff of the text around the edit, by finding number."""
    views: dict[int, list[FixView]] = {}
    n = len(text)
    for number, start, end, replacement in _fixes(findings, surface):
        start, end = max(0, min(n, start)), max(0, min(n, end))
        a, b = max(0, start - CONTEXT_CHARS), min(n, end + CONTEXT_CHARS)
        parts = [DiffPart("same", text[a:start])]
        if end > start:
            parts.append(DiffPart("del", text[start:end]))
        if replacement:
            parts.append(DiffPart("ins", replacement))
        parts.append(DiffPart("same", text[end:b]))
        view = FixView(number, [p for p in parts if p.text], lead=a > 0, tail=b < n)
        views.setdefault(number, []).append(view)
    return views


def applied_diff(
    text: str, findings: list[dict[str, Any]], surface: str = "text"
) -> tuple[list[DiffPart], int]:
    """The whole text with every fix applied, as a diff; fixes that overlap one taken before
    them are left out. Returns the parts and how many fixes were applied."""
    n = len(text)
    taken: list[tuple[int, int, str]] = []
    for _, start, end, replacement in sorted(_fixes(findings, surface), key=lambda x: x[1:3]):
        start, end = max(0, min(n, start)), max(0, min(n, end))
        if taken and (start < taken[-1][1] or (start, end, replacement) == taken[-1]):
            continue
        if taken and start == taken[-1][1] == taken[-1][0] == end:
            continue  # two insertions at one place: keep the first
        taken.append((start, end, replacement))
    parts: list[DiffPart] = []
    at = 0
    for start, end, replacement in taken:
        if start > at:
            parts.append(DiffPart("same", text[at:start]))
        if end > start:
            parts.append(DiffPart("del", text[start:end]))
        if replacement:
            parts.append(DiffPart("ins", replacement))
        at = end
    if at < n:
        parts.append(DiffPart("same", text[at:]))
    return parts, len(taken)
