"""Batch audits of past posts: resumable, parallel over posts, summarised for people.

from compliance.audit import AuditOptions, audit
run, summary = audit([Path("posts.jsonl")], Path("out"), AuditOptions(workers=2))
"""

from __future__ import annotations

from pathlib import Path

from compliance.audit.reports import write_reports
from compliance.audit.runner import AuditOptions, AuditRun, Progress, check_all, open_run
from compliance.audit.summary import AuditSummary
from compliance.engine import Checker


def audit(
    inputs: list[Path],
    out: Path,
    opts: AuditOptions | None = None,
    checker: Checker | None = None,
    progress: Progress | None = None,
    sarif: bool = False,
) -> tuple[AuditRun, AuditSummary | None]:
    """Check every post not yet checked, then write the reports (None if interrupted)."""
    opts = opts or AuditOptions()
    run = open_run(inputs, out, opts)
    run = check_all(run, opts, lambda: checker or Checker.from_pack(opts.pack), progress)
    if run.interrupted:
        return run, None
    return run, write_reports(run, opts.columns, sarif=sarif)


__all__ = ["AuditOptions", "AuditRun", "AuditSummary", "Progress", "audit"]
