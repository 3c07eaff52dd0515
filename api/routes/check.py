"""Pre-publication checks: one post, or a batch in order with an error in place of a bad item."""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from api.checking import INLINE_CHARS, check_post, parse_post, report_json, text_size
from api.deps import Services, ServicesDep, Submitter
from api.errors import ApiError, engine_error_body, responses
from api.schemas import (
    EXAMPLE_OK_POST,
    EXAMPLE_POST,
    BatchRequest,
    BatchResponse,
    CheckOptions,
)
from compliance.engine import coerce_post
from compliance.errors import ComplianceError
from compliance.models.report import Report

router = APIRouter(prefix="/v1", tags=["check"])

POST_EXAMPLES = {
    "undisclosed": {
        "summary": "A gifted product, no disclosure",
        "value": EXAMPLE_POST,
    },
    "disclosed": {"summary": "Paid, '#ad' first", "value": EXAMPLE_OK_POST},
}


def _json(body: bytes) -> Response:
    return Response(body, media_type="application/json")


@router.post(
    "/check",
    summary="Check one post",
    description="The body is a `Post`. Returns the report: verdict, connection, disclosures, "
    "findings with spans, citations and fixes (DESIGN §5). Texts are limited per field "
    "(`max_text_chars`, E003) and bodies in size (A002).",
    response_model=Report,
    responses=responses(400, 401, 403, 413, 422),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {"$ref": "#/components/schemas/Post"},
                    "examples": POST_EXAMPLES,
                }
            },
        }
    },
)
async def check(
    request: Request,
    services: ServicesDep,
    _key: Submitter,
    jurisdiction: Annotated[
        str | None,
        Query(min_length=1, max_length=64, description="Rule pack (default: the service's)."),
    ] = None,
    packs: Annotated[
        list[str] | None, Query(max_length=8, description="Further packs to add findings from.")
    ] = None,
    explain: Annotated[
        bool, Query(description="Evidence and confidence reasons in findings.")
    ] = True,
) -> Response:
    post = parse_post(await request.body())
    options = CheckOptions(jurisdiction=jurisdiction, packs=packs or [], explain=explain)
    if sum(text_size(post).values()) <= INLINE_CHARS:
        return _json(report_json(check_post(services, post, options)))
    report = await run_in_threadpool(check_post, services, post, options)
    return _json(report_json(report))


def _batch(services: Services, request: BatchRequest) -> bytes:
    options = CheckOptions(
        jurisdiction=request.jurisdiction, packs=request.packs, explain=request.explain
    )
    services.checker(options.jurisdiction or services.settings.pack)
    for name in options.packs:
        services.checker(name)
    items: list[bytes] = []
    for index, raw in enumerate(request.posts):
        try:
            post = coerce_post(raw)
            items.append(report_json(check_post(services, post, options)))
        except ComplianceError as exc:
            item: dict[str, Any] = {
                "index": index,
                "id": raw.get("id") if isinstance(raw.get("id"), str) else None,
                "error": engine_error_body(exc)["error"],
            }
            items.append(orjson.dumps(item))
        except ApiError as exc:
            items.append(orjson.dumps({"index": index, "id": None, "error": exc.body()["error"]}))
    return b'{"reports":[' + b",".join(items) + b"]}"


@router.post(
    "/check/batch",
    summary="Check a batch of posts",
    description="Up to `max_batch_posts` posts (default 100; more is A004, 413). Reports come "
    "back in input order; an invalid post gets `{index, id, error}` in its place and the "
    "others are still checked.",
    response_model=BatchResponse,
    responses=responses(400, 401, 403, 413, 422),
)
async def check_batch(
    services: ServicesDep,
    _key: Submitter,
    request: Annotated[BatchRequest, Body()],
) -> Response:
    limit = services.settings.max_batch_posts
    if len(request.posts) > limit:
        raise ApiError("A004", field="posts", limit=limit, count=len(request.posts))
    return _json(await run_in_threadpool(_batch, services, request))
