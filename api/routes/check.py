"""Pre-publication checks: one post, or a batch in order with an error in place of a bad item."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Body, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.concurrency import run_in_threadpool

from api.checking import INLINE_CHARS, check_post, parse_post, report_json, text_size
from api.deps import (
    ANY_ROLE,
    CHECK_ACTION,
    Services,
    ServicesDep,
    Submitter,
    authorize,
    bearer_key,
    check_query_names,
)
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


class CheckQuery(BaseModel):
    """The query options of /v1/check: the route declares them with this model (OpenAPI) and
    `_check_direct` validates them with it."""

    model_config = ConfigDict(extra="forbid")

    jurisdiction: str | None = Field(
        default=None, min_length=1, max_length=64, description="Rule pack (default: the service's)."
    )
    packs: list[str] | None = Field(
        default=None, max_length=8, description="Further packs to add findings from."
    )
    explain: bool = Field(default=True, description="Evidence and confidence reasons in findings.")


_QUERY_NAMES = frozenset(CheckQuery.model_fields)
_SINGLE_QUERY = frozenset({"jurisdiction", "explain"})
_ROLES = frozenset(ANY_ROLE)


async def _check_direct(request: Request) -> Response:
    """/v1/check without FastAPI's per-request dependency solving (half the time of a typical
    check went there). Same order and errors as the declared route: unknown or repeated query
    parameters (A003), the key (A101 / A102), the query's values (422), the body (400 / 422)."""
    services: Services = request.app.state.services
    query = request.query_params
    if query:
        check_query_names(query, _QUERY_NAMES, _SINGLE_QUERY)
    scheme, key = bearer_key(request.headers.get("authorization"))
    await authorize(services, scheme, key, CHECK_ACTION, _ROLES)
    options = CheckOptions()
    if query:
        given: dict[str, Any] = {name: query[name] for name in _SINGLE_QUERY if name in query}
        if "packs" in query:
            given["packs"] = query.getlist("packs")
        try:
            parsed = CheckQuery.model_validate(given)
        except ValidationError as exc:
            errors = [{**e, "loc": ("query", *e["loc"])} for e in exc.errors()]
            raise RequestValidationError(errors) from None
        options = CheckOptions(
            jurisdiction=parsed.jurisdiction, packs=parsed.packs or [], explain=parsed.explain
        )
    post = parse_post(await request.body())
    if sum(text_size(post).values()) <= INLINE_CHARS:
        return _json(report_json(check_post(services, post, options)))
    report = await run_in_threadpool(check_post, services, post, options)
    return _json(report_json(report))


class DirectCheckRoute(APIRoute):
    """The /v1/check route: documented from the endpoint's declared signature (OpenAPI), served
    by `_check_direct`, which reads the key and the options itself."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        return _check_direct


router = APIRouter(prefix="/v1", tags=["check"])
check_router = APIRouter(prefix="/v1", tags=["check"], route_class=DirectCheckRoute)

POST_EXAMPLES = {
    "undisclosed": {
        "summary": "A gifted product, no disclosure",
        "value": EXAMPLE_POST,
    },
    "disclosed": {"summary": "Paid, '#ad' first", "value": EXAMPLE_OK_POST},
}


def _json(body: bytes) -> Response:
    return Response(body, media_type="application/json")


@check_router.post(
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
    _options: Annotated[CheckQuery, Query()],
) -> Response:
    """Documents the route; requests are served by `_check_direct` (DirectCheckRoute)."""
    return await _check_direct(request)


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
