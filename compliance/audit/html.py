"""`report.html`: one self-contained page (inline CSS and SVG, no script, nothing fetched)
that a person reads: how bad is it, where, who, since when, and the worst posts with the
offending words highlighted and what to write instead.

Post text is hostile input: Jinja2 autoescaping is on for everything, and highlighting is
done by splitting the text into pieces the template escapes, never by inserting markup.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jinja2

from compliance.audit.charts import VERDICT_LABEL, columns, donut, hbars
from compliance.audit.summary import AuditSummary, time_buckets
from compliance.version import __version__

TEMPLATES = Path(__file__).resolve().parent / "templates"
MAX_SHOWN_CHARS = 1500
SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}
CATEGORY_LABEL = {
    "missing_disclosure": "Missing disclosure",
    "ambiguous_disclosure": "Ambiguous disclosure",
    "buried_disclosure": "Buried disclosure",
    "below_fold": "Below the fold",
    "wrong_language": "Wrong language",
    "disclosure_channel": "Wrong channel",
    "health_claim": "Health claim",
    "weight_loss_claim": "Weight-loss claim",
    "earnings_claim": "Earnings claim",
    "unsubstantiated_efficacy": "Unsubstantiated efficacy",
    "typicality": "Typicality",
    "review_integrity": "Review integrity",
    "fake_influence": "Fake influence",
    "environmental_claim": "Environmental claim",
    "other": "Other",
}
DISCLOSURE_CATEGORIES = frozenset(
    {
        "missing_disclosure",
        "ambiguous_disclosure",
        "buried_disclosure",
        "below_fold",
        "wrong_language",
        "disclosure_channel",
    }
)


@dataclass
class Piece:
    text: str
    cls: str  # "" plain, "sev-error" / "sev-warning" / "sev-info" a finding, "disc" a disclosure
    title: str


def highlight(
    text: str,
    findings: list[dict[str, Any]],
    disclosures: list[dict[str, Any]],
    field: str = "text",
) -> tuple[list[Piece], bool]:
    """Split `text` at every span edge; each piece takes the worst finding covering it."""
    cut = len(text) > MAX_SHOWN_CHARS
    shown = text[:MAX_SHOWN_CHARS] if cut else text
    n = len(shown)
    marks: list[tuple[int, int, int, str, str]] = []  # start, end, rank, cls, title
    for f in findings:
        sp = f["span"]
        if sp["field"] == field and sp["end"] > sp["start"] and sp["start"] < n:
            rank = SEVERITY_RANK[f["severity"]]
            marks.append(
                (
                    sp["start"],
                    min(sp["end"], n),
                    rank,
                    f"sev-{f['severity']}",
                    f"{f['rule_id']}: {f['title']}",
                )
            )
    for d in disclosures:
        sp = d["span"]
        if sp["field"] == field and sp["end"] > sp["start"] and sp["start"] < n:
            marks.append(
                (
                    sp["start"],
                    min(sp["end"], n),
                    5,
                    "disc",
                    f"disclosure ({d['kind']}, {d['clarity']})",
                )
            )
    edges = sorted({0, n, *(m[0] for m in marks), *(m[1] for m in marks)})
    pieces: list[Piece] = []
    for a, b in itertools.pairwise(edges):
        covering = [m for m in marks if m[0] <= a and m[1] >= b]
        if covering:
            best = min(covering, key=lambda m: m[2])
            titles = "; ".join(dict.fromkeys(m[4] for m in sorted(covering, key=lambda m: m[2])))
            pieces.append(Piece(shown[a:b], best[3], titles))
        else:
            pieces.append(Piece(shown[a:b], "", ""))
    return pieces, cut


def _worst_posts(
    records: list[dict[str, Any]],
    reports: list[dict[str, Any]],
    posts: dict[tuple[int, int, str], dict[str, Any]],
    names: list[str],
) -> list[dict[str, Any]]:
    out = []
    for rec, report in zip(records, reports, strict=True):
        post = posts.get((rec["src"], rec["line"], rec["id"]), {})
        text = post.get("text") or ""
        title = post.get("title") or ""
        findings = sorted(
            report["findings"], key=lambda f: (SEVERITY_RANK[f["severity"]], f["span"]["start"])
        )
        pieces, cut = highlight(text, report["findings"], report["disclosures"])
        title_pieces, _ = highlight(title, report["findings"], report["disclosures"], "title")
        out.append(
            {
                "rec": rec,
                "input": names[rec["src"]] if rec["src"] < len(names) else "",
                "verdict": report["verdict"],
                "verdict_label": VERDICT_LABEL[report["verdict"]],
                "pieces": pieces,
                "title_pieces": title_pieces if title else [],
                "cut": cut,
                "findings": findings,
                "url": post.get("url")
                if str(post.get("url") or "").startswith("https://")
                else None,
            }
        )
    return out


def _pct(n: int, d: int) -> str:
    return f"{100 * n / d:.1f}%" if d else "–"


def render_report(
    summary: AuditSummary,
    worst_reports: list[dict[str, Any]],
    posts: dict[tuple[int, int, str], dict[str, Any]],
    names: list[str],
    meta: dict[str, Any],
) -> str:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    checked = summary.checked
    cats = summary.categories.most_common()
    cat_rows = [
        (CATEGORY_LABEL.get(c, c), {"disclosure" if c in DISCLOSURE_CATEGORIES else "claim": n})
        for c, n in cats
    ]
    cat_notes = [_pct(n, checked) for _, n in cats]
    platforms = sorted(summary.platforms.items(), key=lambda kv: -sum(kv[1].values()))
    creators = sorted(
        summary.creators.items(),
        key=lambda kv: (-kv[1].get("fail", 0), -kv[1].get("needs_review", 0), kv[0]),
    )[:15]
    unit, buckets = time_buckets(summary.days)
    context = {
        "s": summary,
        "meta": meta,
        "version": __version__,
        "generated": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "pct": _pct,
        "verdict_label": VERDICT_LABEL,
        "donut": donut(summary.verdicts),
        "categories": hbars(cat_rows, ("disclosure", "claim"), notes=cat_notes),
        "platforms": hbars(
            [(p, c) for p, c in platforms],
            notes=[f"{_pct(c.get('fail', 0), sum(c.values()))} fail" for _, c in platforms],
        ),
        "creators": hbars(
            [(a, c) for a, c in creators],
            notes=[f"{_pct(c.get('fail', 0), sum(c.values()))} fail" for _, c in creators],
        ),
        "creator_count": len(summary.creators),
        "time_unit": unit,
        "timeline": columns(buckets) if buckets else None,
        "rules": summary.rules.most_common(12),
        "worst": _worst_posts(summary.worst, worst_reports, posts, names),
    }
    return env.get_template("report.html.j2").render(**context)
