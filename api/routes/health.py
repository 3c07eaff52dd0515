"""Liveness and readiness (no key needed)."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from api.deps import ServicesDep
from api.errors import ApiError, responses
from api.routes.rules import pack_info
from api.schemas import Health, Ready

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health, summary="The process is alive")
async def healthz() -> Health:
    return Health(status="ok")


@router.get(
    "/readyz",
    response_model=Ready,
    summary="Rule packs loaded and the database reachable",
    responses=responses(503),
)
async def readyz(services: ServicesDep) -> Ready:
    if not services.checkers:
        raise ApiError("A503", detail="no rule pack loaded")
    if not await run_in_threadpool(services.db.ping):
        raise ApiError("A503", detail="database not reachable or not migrated")
    return Ready(
        status="ready",
        packs=[pack_info(c.pack) for c in services.checkers.values()],
        database="ok",
    )
