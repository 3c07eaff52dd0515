"""The reviewers' web UI (DESIGN §8): sign-in, the queue with filters, a submission with its
findings highlighted and fixes as diffs, claim and decision buttons, the history, and finished
audit reports. Server-rendered Jinja2 (autoescaped: post text is hostile), htmx vendored in
api/static, no CDN. Forms carry a CSRF token; the session cookie is HttpOnly, SameSite=Lax,
and Secure when `cookie_secure` is set."""

from __future__ import annotations

import hmac
import secrets
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, FastAPI, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader
from starlette.concurrency import run_in_threadpool

from api.deps import Services, ServicesDep
from api.ui_render import applied_diff, fix_views, highlight
from compliance.models.post import Platform
from compliance.models.report import Category
from compliance.store import people, review
from compliance.store.people import SignedIn
from compliance.store.review import QueueFilter, ReviewError, claimable_states
from compliance.store.roles import Role

HERE = Path(__file__).resolve().parent.parent
SESSION_COOKIE = "compliance_session"
LOGIN_CSRF_COOKIE = "compliance_login_csrf"
PAGE_SIZE = 25
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; frame-src 'self'; frame-ancestors 'self'; form-action 'self'; "
    "base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
STATES = [s.value for s in review.State]
FLASH = {
    "claimed": "Claimed: it is in review by you.",
    "approve": "Approved.",
    "request_changes": "Changes requested.",
    "escalate": "Escalated to an admin.",
}

env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True, trim_blocks=True)
env.filters["ago"] = lambda t: _ago(t)
router = APIRouter(prefix="/ui", include_in_schema=False)


def _ago(t: datetime) -> str:
    seconds = int((datetime.now(UTC) - t).total_seconds())
    for unit, size in (("d", 86_400), ("h", 3_600), ("min", 60)):
        if seconds >= size:
            return f"{seconds // size} {unit} ago"
    return "just now"


def page(template: str, status: int = 200, **context: Any) -> HTMLResponse:
    html = env.get_template(template).render(**context)
    return HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)


def install(app: FastAPI) -> None:
    """The UI's routes and its static files (htmx, the style sheet)."""
    from api.routes import ui_audits

    app.include_router(router)
    app.include_router(ui_audits.router)
    app.mount("/ui/static", StaticFiles(directory=HERE / "static"), name="ui-static")


async def signed_in(request: Request, services: Services) -> SignedIn | None:
    token = request.cookies.get(SESSION_COOKIE, "")
    if not token:
        return None
    return await run_in_threadpool(people.session_person, services.db, token)


def to_login(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse("/ui/login?" + urlencode({"next": target}), status_code=303)


def _safe_next(target: str | None) -> str:
    """Only a path inside the UI: never another site (`//evil`, `https://...`)."""
    if target and target.startswith("/ui/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/ui/queue"


def csrf_ok(who: SignedIn, token: str) -> bool:
    return hmac.compare_digest(who.csrf_token.encode(), token.encode())


def problem(who: SignedIn | None, status: int, message: str) -> HTMLResponse:
    return page("ui/error.html", status=status, who=who, message=message)


async def reviewer_form(
    request: Request, services: Services, csrf_token: str
) -> SignedIn | Response:
    """The signed-in reviewer or admin behind a posted form, or the response that refuses it:
    the sign-in page, an expired form (CSRF token), or a role that may not review."""
    who = await signed_in(request, services)
    if who is None:
        return to_login(request)
    if not csrf_ok(who, csrf_token):
        return problem(who, 403, "The form expired; reload the page and retry.")
    if who.actor.role not in (Role.reviewer, Role.admin):
        return problem(who, 403, "Only reviewers and admins claim and decide.")
    return who


@router.get("")
@router.get("/")
async def home() -> RedirectResponse:
    return RedirectResponse("/ui/queue", status_code=303)


@router.get("/login")
async def login_form(
    request: Request, next: Annotated[str | None, Query(max_length=2000)] = None
) -> HTMLResponse:
    token = secrets.token_urlsafe(32)
    response = page("ui/login.html", csrf_token=token, next=_safe_next(next), error=None)
    secure = request.app.state.settings.cookie_secure
    response.set_cookie(
        LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=secure, path="/ui"
    )
    return response


@router.post("/login")
async def login(
    request: Request,
    services: ServicesDep,
    email: Annotated[str, Form(max_length=320)],
    password: Annotated[str, Form(max_length=1000)],
    csrf_token: Annotated[str, Form(max_length=200)],
    next: Annotated[str, Form(max_length=2000)] = "/ui/queue",
) -> Response:
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not hmac.compare_digest(expected.encode(), csrf_token.encode()):
        return problem(None, 403, "The sign-in form expired; open it again and retry.")
    found = await run_in_threadpool(people.sign_in, services.db, email, password)
    if found is None:
        return page(
            "ui/login.html",
            status=401,
            csrf_token=expected,
            next=_safe_next(next),
            error="Wrong email or password.",
            email=email,
        )
    token, _who = found
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(people.SESSION_LIFETIME.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=services.settings.cookie_secure,
        path="/",
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/ui")
    return response


@router.post("/logout")
async def logout(
    request: Request, services: ServicesDep, csrf_token: Annotated[str, Form(max_length=200)]
) -> Response:
    who = await signed_in(request, services)
    if who is not None and csrf_ok(who, csrf_token):
        await run_in_threadpool(
            people.sign_out, services.db, request.cookies.get(SESSION_COOKIE, "")
        )
    response = RedirectResponse("/ui/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/queue")
async def queue_page(
    request: Request,
    services: ServicesDep,
    state: Annotated[str, Query(max_length=20)] = "open",
    platform: Annotated[str, Query(max_length=40)] = "",
    category: Annotated[str, Query(max_length=64)] = "",
    campaign: Annotated[str, Query(max_length=256)] = "",
    assignee: Annotated[str, Query(max_length=340)] = "",
    page_no: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
) -> Response:
    who = await signed_in(request, services)
    if who is None:
        return to_login(request)
    if state not in {"open", "all", *STATES}:
        state = "open"
    actor = who.actor
    filters = QueueFilter(
        state=state,
        platform=platform or None,
        category=category or None,
        campaign=campaign or None,
        assignee=actor.name if assignee == "me" else (assignee or None),
    )
    offset = (page_no - 1) * PAGE_SIZE
    rows, total = await run_in_threadpool(
        review.queue, services.db, actor, filters, PAGE_SIZE, offset
    )
    known_campaigns = await run_in_threadpool(review.campaigns, services.db, actor)
    chosen = {
        "state": state,
        "platform": platform,
        "category": category,
        "campaign": campaign,
        "assignee": assignee,
    }

    def link(page_number: int) -> str:
        query = {k: v for k, v in chosen.items() if v} | {"page": str(page_number)}
        return "/ui/queue?" + urlencode(query)

    template = "ui/_queue_table.html" if request.headers.get("HX-Request") else "ui/queue.html"
    return page(
        template,
        who=who,
        rows=rows,
        total=total,
        page_no=page_no,
        pages=max(1, -(-total // PAGE_SIZE)),
        prev_link=link(page_no - 1) if page_no > 1 else None,
        next_link=link(page_no + 1) if offset + PAGE_SIZE < total else None,
        chosen=chosen,
        states=["open", "all", *STATES],
        platforms=[p.value for p in Platform],
        categories=[c.value for c in Category],
        campaigns=known_campaigns,
        can_review=actor.role in (Role.reviewer, Role.admin),
    )


@router.post("/queue/claim")
async def claim_next(
    request: Request, services: ServicesDep, csrf_token: Annotated[str, Form(max_length=200)]
) -> Response:
    who = await reviewer_form(request, services, csrf_token)
    if isinstance(who, Response):
        return who
    row = await run_in_threadpool(review.claim_next, services.db, who.actor)
    if row is None:
        return RedirectResponse("/ui/queue?state=pending", status_code=303)
    return RedirectResponse(f"/ui/submissions/{row.id}", status_code=303)


def _valid_id(sub_id: str) -> bool:
    return len(sub_id) == 32 and all(c in "0123456789abcdef" for c in sub_id)


@router.get("/submissions/{sub_id}")
async def submission_page(
    request: Request,
    services: ServicesDep,
    sub_id: str,
    done: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    who = await signed_in(request, services)
    if who is None:
        return to_login(request)
    try:
        if not _valid_id(sub_id):
            raise ReviewError("not_found", "no such submission")
        row = await run_in_threadpool(review.get, services.db, who.actor, sub_id)
        entries = await run_in_threadpool(review.history, services.db, who.actor, sub_id)
    except ReviewError:
        return problem(who, 404, "No such submission in your organisation.")
    findings = row.report.get("findings", [])
    title = str(row.post.get("title") or "")
    diff, applied = applied_diff(row.text, findings)
    actor = who.actor
    reviewer = actor.role in (Role.reviewer, Role.admin)
    return page(
        "ui/submission.html",
        who=who,
        sub=row,
        findings=findings,
        pieces=highlight(row.text, findings),
        title_pieces=highlight(title, findings, "title") if title else [],
        fixes=fix_views(row.text, findings),
        diff=diff,
        applied=applied,
        disclosures=row.report.get("disclosures", []),
        history=entries,
        can_claim=reviewer and row.state in claimable_states(actor.role),
        can_decide=row.state == "in_review"
        and (row.assignee == actor.name or actor.role is Role.admin),
        flash=FLASH.get(done or ""),
    )


@router.post("/submissions/{sub_id}/claim")
async def claim(
    request: Request,
    services: ServicesDep,
    sub_id: str,
    csrf_token: Annotated[str, Form(max_length=200)],
) -> Response:
    return await _act(request, services, sub_id, csrf_token, None, "")


@router.post("/submissions/{sub_id}/decision")
async def decide(
    request: Request,
    services: ServicesDep,
    sub_id: str,
    csrf_token: Annotated[str, Form(max_length=200)],
    decision: Annotated[str, Form(max_length=20)],
    note: Annotated[str, Form(max_length=review.MAX_NOTE_CHARS)] = "",
) -> Response:
    return await _act(request, services, sub_id, csrf_token, decision, note)


async def _act(
    request: Request,
    services: Services,
    sub_id: str,
    csrf_token: str,
    decision: str | None,
    note: str,
) -> Response:
    who = await reviewer_form(request, services, csrf_token)
    if isinstance(who, Response):
        return who
    if decision is not None and decision not in {d.value for d in review.DecisionKind}:
        return problem(who, 400, "Choose approve, request changes or escalate.")
    try:
        if not _valid_id(sub_id):
            raise ReviewError("not_found", "no such submission")
        if decision is None:
            await run_in_threadpool(review.claim, services.db, who.actor, sub_id)
        else:
            await run_in_threadpool(review.decide, services.db, who.actor, sub_id, decision, note)
    except ReviewError as exc:
        if exc.kind == "not_found":
            return problem(who, 404, "No such submission in your organisation.")
        return problem(who, 409 if exc.kind == "conflict" else 403, exc.message)
    done = decision or "claimed"
    return RedirectResponse(f"/ui/submissions/{sub_id}?done={done}", status_code=303)
