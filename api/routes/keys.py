"""An organisation's API keys, for its admins (keys are created and revoked with the CLI)."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from api.deps import Admin, ServicesDep
from api.errors import responses
from api.schemas import KeyInfo, KeysResponse
from compliance.store.keys import list_keys

router = APIRouter(prefix="/v1/keys", tags=["keys"])


@router.get(
    "",
    response_model=KeysResponse,
    summary="The keys of the caller's organisation (admin role)",
    responses=responses(401, 403),
)
async def keys(services: ServicesDep, key: Admin) -> KeysResponse:
    found = await run_in_threadpool(list_keys, services.db, key.organisation)
    return KeysResponse(
        keys=[
            KeyInfo(
                key_id=k.key_id,
                organisation=k.organisation,
                role=k.role.value,
                name=k.name,
                created_at=k.created_at,
                revoked_at=k.revoked_at,
            )
            for k in found
        ]
    )
