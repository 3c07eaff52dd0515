"""The audit pages of the review UI: the organisation's audit jobs, and a finished job's
report (the audit's own self-contained, autoescaped report.html) framed in the UI."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from api.deps import ServicesDep
from api.routes.audits import job_store
from api.routes.ui import page, problem, signed_in, to_login

router = APIRouter(prefix="/ui/audits", include_in_schema=False)


@router.get("")
async def audits_page(request: Request, services: ServicesDep) -> Response:
    who = await signed_in(request, services)
    if who is None:
        return to_login(request)
    store = job_store(services)
    org = who.actor.organisation

    def mine() -> list[dict[str, Any]]:
        jobs = [j for j in store.jobs() if j.organisation == org]
        return [{"job": j, "progress": store.progress(j)} for j in reversed(jobs)]

    return page("ui/audits.html", who=who, jobs=await run_in_threadpool(mine))


@router.get("/{job_id}")
async def audit_page(request: Request, services: ServicesDep, job_id: str) -> Response:
    who = await signed_in(request, services)
    if who is None:
        return to_login(request)
    store = job_store(services)
    job = store.get(job_id, who.actor.organisation)  # None for a malformed id, too
    if job is None:
        return problem(who, 404, "No such audit in your organisation.")
    return page("ui/audit.html", who=who, job=job, progress=store.progress(job))


@router.get("/{job_id}/report")
async def audit_report(request: Request, services: ServicesDep, job_id: str) -> Response:
    who = await signed_in(request, services)
    if who is None:
        return to_login(request)
    store = job_store(services)
    job = store.get(job_id, who.actor.organisation)
    report = store.out(job) / "report.html" if job is not None else None
    if job is None or report is None or job.state != "done" or not report.exists():
        return problem(who, 404, "This audit has no report yet.")
    html = await run_in_threadpool(report.read_bytes)
    return HTMLResponse(
        html,
        headers={
            "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
            "frame-ancestors 'self'",
            "X-Content-Type-Options": "nosniff",
        },
    )
