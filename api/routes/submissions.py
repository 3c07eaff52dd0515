"""The review queue over REST: submit a post (checked at once; one that does not pass waits
for a reviewer), list the organisation's queue, claim an item, decide on it, read its history.
Another organisation's submission is a 404 (A301) on every route."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Body, Depends, Query
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError, WithJsonSchema
from starlette.concurrency import run_in_threadpool

from api.checking import check_post
from api.deps import ANY_ROLE, Services, ServicesDep, require
from api.errors import ApiError, ErrorBody, responses
from api.schemas import CheckOptions
from compliance.models.post import Post
from compliance.store import review
from compliance.store.keys import ApiKeyInfo
from compliance.store.people import Actor
from compliance.store.review import QueueFilter, ReviewError, SubmissionRow
from compliance.store.roles import Role

router = APIRouter(prefix="/v1", tags=["review"])

SubmissionId = Annotated[
    str, PathParam(pattern="^[0-9a-f]{32}$", description="The submission's id.")
]
Anyone = Annotated[ApiKeyInfo, Depends(require("use the review queue", *ANY_ROLE))]
Reviewer = Annotated[ApiKeyInfo, Depends(require("review submissions", Role.reviewer, Role.admin))]
StateFilter = Literal[
    "open", "all", "pending", "in_review", "approved", "changes_requested", "escalated"
]


def actor_of(key: ApiKeyInfo) -> Actor:
    return Actor(key.organisation_id, key.organisation, f"key:{key.key_id}", key.role)


def api_error(exc: ReviewError) -> ApiError:
    """The one mapping of queue errors to coded API errors."""
    if exc.kind == "not_found":
        return ApiError("A301", field="id", submission_id=str(exc.fields.get("submission_id")))
    if exc.kind == "not_holder":
        return ApiError("A303", detail=exc.message)
    return ApiError("A302", detail=exc.message)


def _responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    out = responses(*(s for s in statuses if s not in {404, 409}))
    if 404 in statuses:
        out[404] = {"model": ErrorBody, "description": "No such submission here (A301)."}
    if 409 in statuses:
        out[409] = {"model": ErrorBody, "description": "The item's state forbids it (A302)."}
    if 403 in statuses:
        out[403] = {
            "model": ErrorBody,
            "description": "The key's role may not (A102), or another holds the item (A303).",
        }
    return out


class SubmissionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # validated strictly by `parse_submitted_post`, documented as the Post `/v1/check` takes
    post: Annotated[
        dict[str, Any],
        WithJsonSchema(
            {
                "allOf": [{"$ref": "#/components/schemas/Post"}],
                "description": "The post, as `/v1/check` takes it.",
            }
        ),
    ]


class DecisionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["approve", "request_changes", "escalate"]
    note: str = Field(default="", max_length=review.MAX_NOTE_CHARS)


class PackInfo(BaseModel):
    name: str
    version: str


class SubmissionSummary(BaseModel):
    id: str
    post_id: str
    platform: str
    campaign: str | None
    categories: list[str]
    verdict: str
    state: str
    assignee: str | None
    submitted_by: str
    created_at: datetime
    updated_at: datetime
    text: str = Field(description="The post's text (first 280 characters in the queue).")
    links: dict[str, str]


class SubmissionOut(SubmissionSummary):
    organisation: str
    pack: PackInfo
    engine_version: str
    post: dict[str, Any]
    report: dict[str, Any]


class QueuePage(BaseModel):
    items: list[SubmissionSummary]
    total: int
    limit: int
    offset: int
    next_offset: int | None


class HistoryItem(BaseModel):
    at: datetime
    actor: str
    action: str
    from_state: str | None
    to_state: str | None
    note: str


class History(BaseModel):
    submission_id: str
    entries: list[HistoryItem]


def _links(sub_id: str) -> dict[str, str]:
    base = f"/v1/submissions/{sub_id}"
    return {
        "self": base,
        "claim": f"{base}/claim",
        "decision": f"{base}/decision",
        "history": f"{base}/history",
    }


def _summary(row: SubmissionRow) -> SubmissionSummary:
    return SubmissionSummary(
        id=row.id,
        post_id=row.post_id,
        platform=row.platform,
        campaign=row.campaign,
        categories=row.categories,
        verdict=row.verdict,
        state=row.state,
        assignee=row.assignee,
        submitted_by=row.submitted_by,
        created_at=row.created_at,
        updated_at=row.updated_at,
        text=row.text[:280],
        links=_links(row.id),
    )


def submission_out(row: SubmissionRow) -> SubmissionOut:
    return SubmissionOut(
        **{**_summary(row).model_dump(), "text": row.text},
        organisation=row.organisation,
        pack=PackInfo(name=row.pack_name, version=row.pack_version),
        engine_version=row.engine_version,
        post=row.post,
        report=row.report,
    )


def parse_submitted_post(raw: dict[str, Any]) -> Post:
    """The post, validated as strictly as `/v1/check` does; errors name `post.<field>`."""
    try:
        return Post.model_validate_json(orjson.dumps(raw), strict=True)
    except ValidationError as exc:
        errors = [{**e, "loc": ("body", "post", *e["loc"])} for e in exc.errors()]
        raise RequestValidationError(errors) from None


def submit_post(services: Services, actor: Actor, raw: dict[str, Any]) -> SubmissionRow:
    """Check the post and store it with its report (shared by the API and the web UI)."""
    post = parse_submitted_post(raw)
    report = check_post(services, post, CheckOptions())
    stored = post.model_dump(mode="json", exclude_defaults=True)
    return review.submit(services.db, actor, stored, report)


async def _run(fn: Any, *args: Any) -> Any:
    try:
        return await run_in_threadpool(fn, *args)
    except ReviewError as exc:
        raise api_error(exc) from None


@router.post(
    "/submissions",
    status_code=201,
    summary="Submit a post for review",
    description="Checks the post; one that does not pass enters the organisation's queue "
    "(`pending`), one that passes is stored as approved by the engine. Returns the submission "
    "with its `id` and report.",
    response_model=SubmissionOut,
    responses=_responses(400, 401, 403, 413, 422),
)
async def create_submission(
    services: ServicesDep, key: Anyone, body: Annotated[SubmissionRequest, Body()]
) -> SubmissionOut:
    row = await _run(submit_post, services, actor_of(key), body.post)
    return submission_out(row)


@router.get(
    "/queue",
    summary="The organisation's review queue",
    description="Oldest first. `state` is a review state, `open` (pending, in review, "
    "escalated; the default) or `all`; `assignee` is a name (`key:<key_id>` or an email), "
    "`me` or `none`.",
    response_model=QueuePage,
    responses=_responses(401, 403, 422),
)
async def get_queue(
    services: ServicesDep,
    key: Anyone,
    state: StateFilter = "open",
    platform: Annotated[str | None, Query(max_length=40)] = None,
    category: Annotated[str | None, Query(max_length=64)] = None,
    campaign: Annotated[str | None, Query(max_length=256)] = None,
    assignee: Annotated[str | None, Query(max_length=340)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> QueuePage:
    actor = actor_of(key)
    filters = QueueFilter(
        state=state,
        platform=platform,
        category=category,
        campaign=campaign,
        assignee=actor.name if assignee == "me" else assignee,
    )
    rows, total = await _run(review.queue, services.db, actor, filters, limit, offset)
    nxt = offset + limit if offset + limit < total else None
    return QueuePage(
        items=[_summary(r) for r in rows], total=total, limit=limit, offset=offset, next_offset=nxt
    )


@router.post(
    "/queue/claim",
    summary="Claim the next pending item",
    description="The oldest pending item no other reviewer is taking, now in review for the "
    "caller; 204 when the queue is empty. Concurrent callers never get the same item.",
    response_model=SubmissionOut,
    responses={**_responses(401, 403), 204: {"description": "Nothing pending."}},
)
async def claim_next(services: ServicesDep, key: Reviewer) -> Any:
    row = await _run(review.claim_next, services.db, actor_of(key))
    if row is None:
        return Response(status_code=204)
    return submission_out(row)


@router.get(
    "/submissions/{submission_id}",
    summary="One submission with its post and report",
    response_model=SubmissionOut,
    responses=_responses(401, 403, 404, 422),
)
async def get_submission(
    submission_id: SubmissionId, services: ServicesDep, key: Anyone
) -> SubmissionOut:
    return submission_out(await _run(review.get, services.db, actor_of(key), submission_id))


@router.post(
    "/submissions/{submission_id}/claim",
    summary="Claim a submission for review",
    description="Reviewers claim pending items, admins also escalated ones. A conflict (409, "
    "A302) when it is held or being claimed by another reviewer.",
    response_model=SubmissionOut,
    responses=_responses(401, 403, 404, 409, 422),
)
async def claim(submission_id: SubmissionId, services: ServicesDep, key: Reviewer) -> SubmissionOut:
    return submission_out(await _run(review.claim, services.db, actor_of(key), submission_id))


@router.post(
    "/submissions/{submission_id}/decision",
    summary="Decide on a submission in review",
    description="`approve`, `request_changes` or `escalate`, with a note; by the reviewer "
    "who holds it (or an admin). Recorded in the append-only history.",
    response_model=SubmissionOut,
    responses=_responses(400, 401, 403, 404, 409, 422),
)
async def decide(
    submission_id: SubmissionId,
    services: ServicesDep,
    key: Reviewer,
    body: Annotated[DecisionRequest, Body()],
) -> SubmissionOut:
    row = await _run(
        review.decide, services.db, actor_of(key), submission_id, body.decision, body.note
    )
    return submission_out(row)


@router.get(
    "/submissions/{submission_id}/history",
    summary="Who did what to a submission, when, from which state",
    response_model=History,
    responses=_responses(401, 403, 404, 422),
)
async def get_history(submission_id: SubmissionId, services: ServicesDep, key: Anyone) -> History:
    entries = await _run(review.history, services.db, actor_of(key), submission_id)
    return History(
        submission_id=submission_id,
        entries=[HistoryItem(**e.__dict__) for e in entries],
    )
