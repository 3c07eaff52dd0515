"""Batch audit jobs: upload a file (or name one on the server), follow its progress, stream the
reports, read the HTML report. Jobs are folders on disk (compliance/audit/jobs.py): they
survive a restart of the service, and an unfinished one resumes."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, Response, StreamingResponse
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from api.deps import Reader, Services, ServicesDep, Submitter
from api.errors import ApiError, ErrorBody, responses
from compliance.audit.jobs import Job, JobStore, default_root
from compliance.audit.summary import summarise
from compliance.errors import ComplianceError

router = APIRouter(prefix="/v1/audits", tags=["audits"])
IMPORT_DIR_ENV = "COMPLIANCE_AUDIT_IMPORT_DIR"  # server files that `reference` may name
JobId = Annotated[str, PathParam(pattern="^[0-9a-f]{32}$", description="The job's id.")]


class AuditProgress(BaseModel):
    rows_done: int
    total: int | None
    checked: int
    bad: int
    fraction: float


class AuditJob(BaseModel):
    id: str
    state: str  # queued | running | done | failed
    input: str
    format: str
    jurisdiction: str
    created_at: str
    finished_at: str | None
    progress: AuditProgress
    verdicts: dict[str, int] | None = None
    error: dict[str, Any] | None = None
    links: dict[str, str]


def job_store(services: Services) -> JobStore:
    """One store per service, started on first use: unfinished jobs resume then."""
    store: JobStore | None = getattr(services, "_audit_jobs", None)
    if store is None:
        store = JobStore(default_root())
        services._audit_jobs = store  # type: ignore[attr-defined]
        store.start()
    return store


def _view(store: JobStore, job: Job) -> AuditJob:
    base = f"/v1/audits/{job.id}"
    verdicts = None
    if job.state == "done":
        verdicts = dict(summarise(store.out(job), worst_n=0).verdicts)
    return AuditJob(
        id=job.id,
        state=job.state,
        input=job.input_name,
        format=job.fmt,
        jurisdiction=job.pack,
        created_at=job.created_at,
        finished_at=job.finished_at,
        progress=AuditProgress(**store.progress(job)),
        verdicts=verdicts,
        error=job.error,
        links={"self": base, "results": f"{base}/results", "report": f"{base}/report"},
    )


def _found(store: JobStore, job_id: str, organisation: str) -> Job:
    job = store.get(job_id, organisation)
    if job is None:
        raise ApiError("A201", field="job_id", job_id=job_id)
    return job


def _reference(name: str) -> Path:
    root = os.environ.get(IMPORT_DIR_ENV)  # no folder: nothing can be imported
    base = Path(root).resolve() if root else None
    path = (base / name).resolve() if base else None
    if base is None or path is None or base not in path.parents or not path.is_file():
        raise ApiError("A204", field="query.reference", name=name[:200])
    return path


UPLOAD_BODY = {
    "required": True,
    "description": "The file to audit, as it is (JSONL, JSON, CSV or a platform export); "
    "ignored when `reference` names a file on the server.",
    "content": {
        media: {"schema": {"type": "string", "format": "binary"}}
        for media in ("application/octet-stream", "application/x-ndjson", "text/csv")
    },
}


@router.post(
    "",
    status_code=202,
    response_model=AuditJob,
    summary="Start an audit of an uploaded file (the body) or of a file on the server",
    responses={
        404: {"description": "No such file to import (A204)."},
        **responses(401, 403, 413, 422),
    },
    openapi_extra={"requestBody": UPLOAD_BODY},
)
async def create_audit(
    request: Request,
    services: ServicesDep,
    key: Submitter,
    filename: Annotated[
        str,
        Query(
            pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$",
            description="Name of the uploaded file: its extension says how to read it.",
        ),
    ] = "posts.jsonl",
    reference: Annotated[
        str | None,
        Query(max_length=500, description=f"A file under ${IMPORT_DIR_ENV}, instead of a body."),
    ] = None,
    format: Annotated[
        Literal["auto", "posts", "csv", "instagram", "youtube", "x", "tiktok"],
        Query(description="What the file holds (auto: from its name and shape)."),
    ] = "auto",
    platform: Annotated[str | None, Query(max_length=32)] = None,
    connection: Annotated[str | None, Query(max_length=200)] = None,
    jurisdiction: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
) -> AuditJob:
    pack = jurisdiction or services.settings.pack
    services.checker(pack)  # A005 for a pack this service does not serve
    store = job_store(services)
    source = _reference(reference) if reference else None
    body = b"" if source is not None else await request.body()
    try:
        job = await run_in_threadpool(
            store.create,
            key.organisation,
            source.name if source is not None else filename,
            None if source is not None else body,
            source,
            format,
            platform,
            connection,
            pack,
        )
    except ComplianceError as exc:  # an unknown format: the schema's enum keeps it out
        raise ApiError("A003", field="query.format", detail=exc.message) from exc
    return _view(store, job)


@router.get(
    "/{job_id}",
    response_model=AuditJob,
    summary="An audit job: its state, progress and, when done, the verdicts",
    responses=responses(401, 403, 404),
)
async def get_audit(job_id: JobId, services: ServicesDep, key: Reader) -> AuditJob:
    store = job_store(services)
    return _view(store, _found(store, job_id, key.organisation))


@router.get(
    "/{job_id}/results",
    summary="The reports checked so far, one JSON object a line, in input order",
    responses={
        200: {"content": {"application/x-ndjson": {}}, "description": "Reports, a line each."},
        **responses(401, 403, 404),
    },
)
async def audit_results(job_id: JobId, services: ServicesDep, key: Reader) -> Response:
    store = job_store(services)
    job = _found(store, job_id, key.organisation)
    path, size = store.durable_results(job)

    def chunks() -> Iterator[bytes]:
        left = size
        with path.open("rb") as handle:
            while left > 0:
                block = handle.read(min(left, 1 << 16))
                if not block:
                    return
                left -= len(block)
                yield block

    headers = {"X-Audit-State": job.state}
    return StreamingResponse(chunks(), media_type="application/x-ndjson", headers=headers)


@router.get(
    "/{job_id}/report",
    summary="The HTML report of a finished audit",
    responses={
        200: {"content": {"text/html": {}}, "description": "The self-contained report page."},
        409: {"model": ErrorBody, "description": "Not finished yet (A202)."},
        **responses(401, 403, 404),
    },
)
async def audit_report(job_id: JobId, services: ServicesDep, key: Reader) -> Response:
    store = job_store(services)
    job = _found(store, job_id, key.organisation)
    report = store.out(job) / "report.html"
    if job.state != "done" or not report.exists():
        raise ApiError("A202", job_id=job_id, state=job.state)
    html = await run_in_threadpool(report.read_bytes)
    return HTMLResponse(
        html, headers={"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'"}
    )
