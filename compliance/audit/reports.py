"""The files a person reads after an audit: report.html, summary.csv, results.sarif."""

from __future__ import annotations

from pathlib import Path

from compliance.audit.html import render_report
from compliance.audit.runner import AuditRun, fetch_posts
from compliance.audit.sarif import write_sarif
from compliance.audit.summary import AuditSummary, read_reports, summarise, write_summary_csv


def write_reports(
    run: AuditRun, columns: dict[str, str], sarif: bool = False, worst_n: int = 20
) -> AuditSummary:
    """Summarise the index, then write summary.csv, report.html and (asked for) SARIF."""
    out = run.out
    summary = summarise(out, bad=run.state.bad, worst_n=worst_n)
    write_summary_csv(out, run.names, out / "summary.csv")
    worst_reports = read_reports(out, summary.worst)
    posts = fetch_posts(run, columns, {(r["src"], r["line"]) for r in summary.worst})
    meta = {
        "title": ", ".join(run.names) if len(run.names) <= 3 else f"{len(run.names)} inputs",
        "inputs": run.names,
        "pack": run.state.identity.get("pack", ""),
    }
    html = render_report(summary, worst_reports, posts, run.names, meta)
    tmp = out / "report.html.tmp"
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(out / "report.html")
    if sarif:
        write_sarif(out, [Path(s.path).as_posix() for s in run.sources], out / "results.sarif")
    return summary
