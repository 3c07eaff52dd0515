"""What an audit found, in numbers: verdicts, categories, platforms, creators, time, rules,
and the worst posts; plus `summary.csv`, one row per checked post.

Built from the compact index the workers wrote (one small line per post), not by parsing every
full report again; only the worst posts' reports are read back, by their byte offset.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import orjson

from compliance.audit.state import INDEX, RESULTS, STATE_DIR

VERDICTS = ("fail", "needs_review", "pass")
SUMMARY_COLUMNS = (
    "id",
    "input",
    "line",
    "platform",
    "author",
    "campaign",
    "published",
    "verdict",
    "errors",
    "warnings",
    "infos",
    "categories",
    "rules",
    "notes",
)


@dataclass
class AuditSummary:
    checked: int = 0
    bad: int = 0
    verdicts: Counter[str] = field(default_factory=Counter)
    severities: list[int] = field(default_factory=lambda: [0, 0, 0])
    categories: Counter[str] = field(default_factory=Counter)  # posts with an error / warning
    rules: Counter[str] = field(default_factory=Counter)
    platforms: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    creators: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    days: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    undated: int = 0
    worst: list[dict[str, Any]] = field(default_factory=list)  # index records, worst first

    @property
    def worst_severity(self) -> int:
        """0 error, 1 warning, 2 info, 3 no finding at all."""
        for rank, n in enumerate(self.severities):
            if n:
                return rank
        return 3


def iter_index(out: Path) -> Any:
    path = out / STATE_DIR / INDEX
    if not path.exists():
        return
    with path.open("rb") as handle:
        for line in handle:
            yield orjson.loads(line)


def summarise(out: Path, bad: int = 0, worst_n: int = 20) -> AuditSummary:
    s = AuditSummary(bad=bad)
    candidates: list[tuple[float, int, dict[str, Any]]] = []
    for n, rec in enumerate(iter_index(out)):
        s.checked += 1
        verdict = rec["verdict"]
        s.verdicts[verdict] += 1
        for i, count in enumerate(rec["sev"]):
            s.severities[i] += count
        s.categories.update(rec["cats"])
        s.rules.update(rec["rules"])
        s.platforms[rec["platform"]][verdict] += 1
        s.creators[rec["author"] or "(unknown)"][verdict] += 1
        if rec["date"]:
            s.days[rec["date"]][verdict] += 1
        else:
            s.undated += 1
        if rec["score"] > 0:
            rec["n"] = n  # its line in results.jsonl: index and results are in step
            candidates.append((rec["score"], -n, rec))
            if len(candidates) > worst_n * 8:
                candidates.sort(key=lambda c: (c[0], c[1]), reverse=True)
                del candidates[worst_n:]
    candidates.sort(key=lambda c: (c[0], c[1]), reverse=True)
    s.worst = [c[2] for c in candidates[:worst_n]]
    return s


def read_reports(out: Path, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The full reports of these index records (`n`: their line), in the records' order."""
    wanted = {rec["n"]: i for i, rec in enumerate(records)}
    reports: list[dict[str, Any]] = [{} for _ in records]
    if not wanted:
        return reports
    last = max(wanted)
    with (out / RESULTS).open("rb") as handle:
        for n, line in enumerate(handle):
            if n in wanted:
                reports[wanted[n]] = orjson.loads(line)
            if n >= last:
                break
    return reports


def time_buckets(days: dict[str, Counter[str]]) -> tuple[str, list[tuple[str, Counter[str]]]]:
    """Verdict counts per day, week or month, whichever gives a readable number of bars;
    empty periods in between are kept (a gap in publishing is information too)."""
    if not days:
        return "day", []
    parsed = sorted((date.fromisoformat(d), c) for d, c in days.items())
    first, last = parsed[0][0], parsed[-1][0]
    span = (last - first).days
    unit = "day" if span <= 45 else "week" if span <= 7 * 40 else "month"

    def key(d: date) -> date:
        if unit == "week":
            return d - timedelta(days=d.weekday())
        if unit == "month":
            return d.replace(day=1)
        return d

    buckets: dict[date, Counter[str]] = defaultdict(Counter)
    for d, c in parsed:
        buckets[key(d)].update(c)
    out: list[tuple[str, Counter[str]]] = []
    cur = key(first)
    end = key(last)
    while cur <= end:
        label = cur.strftime("%Y-%m") if unit == "month" else cur.isoformat()
        out.append((label, buckets.get(cur, Counter())))
        if unit == "day":
            cur += timedelta(days=1)
        elif unit == "week":
            cur += timedelta(days=7)
        else:
            cur = (cur.replace(day=28) + timedelta(days=4)).replace(day=1)
    return unit, out


def _cell(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "\t", "\r"):
        return "'" + value
    if isinstance(value, str) and value.startswith("@") and "(" in value:
        return "'" + value
    return value


def write_summary_csv(out: Path, names: list[str], path: Path) -> int:
    """One row per checked post, in input order; returns the number of rows."""
    n = 0
    tmp = path.with_suffix(".csv.tmp")
    with tmp.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(SUMMARY_COLUMNS)
        for rec in iter_index(out):
            e, w, i = rec["sev"]
            writer.writerow(
                (
                    _cell(rec["id"]),
                    names[rec["src"]] if rec["src"] < len(names) else rec["src"],
                    rec["line"],
                    rec["platform"],
                    _cell(rec["author"] or ""),
                    _cell(rec["campaign"] or ""),
                    rec["date"] or "",
                    rec["verdict"],
                    e,
                    w,
                    i,
                    " ".join(rec["cats"]),
                    " ".join(rec["rules"]),
                    " ".join(rec["notes"]),
                )
            )
            n += 1
    tmp.replace(path)
    return n
