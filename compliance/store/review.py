"""The review queue (DESIGN §1 job 2): posts that do not pass wait for a reviewer of the
organisation that sent them. A reviewer claims an item (it is then `in_review`, held by them),
decides (approve / request changes / escalate, with a note), and every step is written to the
append-only audit log in the same transaction as the change it records.

Claims never hand one item to two reviewers. On PostgreSQL the row is taken with
`SELECT ... FOR UPDATE SKIP LOCKED` (a reviewer racing for a row another holds gets a conflict
at once, and "claim next" skips to the next free row); on SQLite claims are serialised by a
process-wide lock. On both, the state change is a conditional UPDATE whose row count is checked,
so a lost race is a conflict, never a double assignment.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import orjson
from sqlalchemy import ColumnElement, Select, func, select, update
from sqlalchemy.orm import Session

from compliance.store.db import Database
from compliance.store.people import Actor
from compliance.store.review_models import Assignment, AuditEntry, Decision, Submission
from compliance.store.roles import Role


class State(StrEnum):
    pending = "pending"
    in_review = "in_review"
    approved = "approved"
    changes_requested = "changes_requested"
    escalated = "escalated"


class DecisionKind(StrEnum):
    approve = "approve"
    request_changes = "request_changes"
    escalate = "escalate"


DECISION_STATE = {
    DecisionKind.approve: State.approved,
    DecisionKind.request_changes: State.changes_requested,
    DecisionKind.escalate: State.escalated,
}
OPEN_STATES = (State.pending, State.in_review, State.escalated)
ENGINE_ACTOR = "engine"
MAX_NOTE_CHARS = 5_000
_sqlite_claims = threading.Lock()


class ReviewError(Exception):
    """A queue operation that cannot be done: `kind` is not_found | conflict | not_holder."""

    def __init__(self, kind: str, message: str, **fields: Any) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.fields = fields


@dataclass(frozen=True)
class QueueFilter:
    state: str = "open"  # a State, "open" (pending, in review, escalated) or "all"
    platform: str | None = None
    category: str | None = None
    campaign: str | None = None
    assignee: str | None = None  # a name, or "none" for unassigned


@dataclass(frozen=True)
class SubmissionRow:
    id: str
    organisation: str
    post_id: str
    platform: str
    campaign: str | None
    categories: list[str]
    verdict: str
    state: str
    assignee: str | None
    submitted_by: str
    pack_name: str
    pack_version: str
    engine_version: str
    created_at: datetime
    updated_at: datetime
    text: str
    post: dict[str, Any] = field(default_factory=dict)
    report: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    actor: str
    action: str
    from_state: str | None
    to_state: str | None
    note: str


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _row(sub: Submission, organisation: str, full: bool) -> SubmissionRow:
    post = orjson.loads(sub.post_json)
    return SubmissionRow(
        id=sub.id,
        organisation=organisation,
        post_id=sub.post_id,
        platform=sub.platform,
        campaign=sub.campaign,
        categories=sub.categories.split(),
        verdict=sub.verdict,
        state=sub.state,
        assignee=sub.assignee,
        submitted_by=sub.submitted_by,
        pack_name=sub.pack_name,
        pack_version=sub.pack_version,
        engine_version=sub.engine_version,
        created_at=_utc(sub.created_at),
        updated_at=_utc(sub.updated_at),
        text=str(post.get("text") or ""),
        post=post if full else {},
        report=orjson.loads(sub.report_json) if full else {},
    )


def _log(
    session: Session,
    sub: Submission,
    actor: str,
    action: str,
    from_state: str | None,
    to_state: str | None,
    note: str = "",
    at: datetime | None = None,
) -> None:
    session.add(
        AuditEntry(
            organisation_id=sub.organisation_id,
            submission_id=sub.id,
            actor=actor,
            action=action,
            from_state=from_state,
            to_state=to_state,
            note=note,
            created_at=at or datetime.now(UTC),
        )
    )


def submit(
    db: Database, actor: Actor, post: dict[str, Any], report: dict[str, Any]
) -> SubmissionRow:
    """Store a checked post. One that does not pass enters the queue (`pending`); one that
    passes is approved by the engine, and the log says so."""
    now = datetime.now(UTC)
    passed = report["verdict"] == "pass"
    state = State.approved if passed else State.pending
    categories = sorted({f["category"] for f in report.get("findings", ())})
    sub = Submission(
        id=uuid.uuid4().hex,
        organisation_id=actor.organisation_id,
        submitted_by=actor.name,
        post_id=str(post.get("id") or "post")[:256],
        platform=str(report.get("platform") or post.get("platform") or "other")[:40],
        campaign=(str(post["campaign"])[:256] if post.get("campaign") else None),
        categories=" " + " ".join(categories) + " ",
        verdict=report["verdict"],
        state=state.value,
        assignee=None,
        pack_name=report["pack"]["name"],
        pack_version=report["pack"]["version"],
        engine_version=report["engine_version"],
        post_json=orjson.dumps(post).decode(),
        report_json=orjson.dumps(report).decode(),
        created_at=now,
        updated_at=now,
    )
    with db.session() as session, session.begin():
        session.add(sub)
        session.flush()
        _log(session, sub, actor.name, "submitted", None, State.pending.value, at=now)
        if passed:
            note = f"verdict pass ({sub.pack_name} {sub.pack_version})"
            _log(session, sub, ENGINE_ACTOR, "auto_approved", "pending", "approved", note, now)
    return _row(sub, actor.organisation, full=True)


def _own(org_id: int, sub_id: str) -> Select[Submission]:
    return select(Submission).where(Submission.id == sub_id, Submission.organisation_id == org_id)


def get(db: Database, actor: Actor, sub_id: str) -> SubmissionRow:
    with db.session() as session:
        sub = session.scalar(_own(actor.organisation_id, sub_id))
    if sub is None:
        raise ReviewError("not_found", f"no submission '{sub_id}'", submission_id=sub_id)
    return _row(sub, actor.organisation, full=True)


def _conditions(actor: Actor, filters: QueueFilter) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [Submission.organisation_id == actor.organisation_id]
    if filters.state == "open":
        where.append(Submission.state.in_([s.value for s in OPEN_STATES]))
    elif filters.state != "all":
        where.append(Submission.state == State(filters.state).value)
    if filters.platform:
        where.append(Submission.platform == filters.platform)
    if filters.category:
        where.append(Submission.categories.contains(f" {filters.category} ", autoescape=True))
    if filters.campaign:
        where.append(Submission.campaign == filters.campaign)
    if filters.assignee == "none":
        where.append(Submission.assignee.is_(None))
    elif filters.assignee:
        where.append(Submission.assignee == filters.assignee)
    return where


def queue(
    db: Database, actor: Actor, filters: QueueFilter, limit: int = 25, offset: int = 0
) -> tuple[list[SubmissionRow], int]:
    """One page of the organisation's queue, oldest first, and how many match in all."""
    where = _conditions(actor, filters)
    with db.session() as session:
        total = session.scalar(select(func.count()).select_from(Submission).where(*where)) or 0
        rows = session.scalars(
            select(Submission)
            .where(*where)
            .order_by(Submission.created_at, Submission.id)
            .limit(limit)
            .offset(offset)
        ).all()
    return [_row(s, actor.organisation, full=False) for s in rows], total


def campaigns(db: Database, actor: Actor) -> list[str]:
    with db.session() as session:
        found = session.scalars(
            select(Submission.campaign)
            .where(Submission.organisation_id == actor.organisation_id)
            .where(Submission.campaign.is_not(None))
            .distinct()
            .order_by(Submission.campaign)
            .limit(200)
        ).all()
    return [c for c in found if c]


def claimable_states(role: Role) -> tuple[str, ...]:
    """Reviewers claim pending items; admins also take escalated ones back into review."""
    if role is Role.admin:
        return (State.pending.value, State.escalated.value)
    return (State.pending.value,)


def _take(session: Session, sub: Submission, actor: Actor) -> None:
    """Move a claimable row to `in_review` for `actor`, or raise a conflict."""
    if sub.state not in claimable_states(actor.role):
        held = f" by {sub.assignee}" if sub.state == State.in_review and sub.assignee else ""
        raise ReviewError(
            "conflict",
            f"submission '{sub.id}' is {sub.state}{held}: it cannot be claimed",
            submission_id=sub.id,
            state=sub.state,
        )
    now = datetime.now(UTC)
    done = session.execute(
        update(Submission)
        .where(Submission.id == sub.id, Submission.state == sub.state)
        .values(state=State.in_review.value, assignee=actor.name, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise ReviewError(
            "conflict",
            f"submission '{sub.id}' was claimed by another reviewer",
            submission_id=sub.id,
        )
    session.add(Assignment(submission_id=sub.id, assignee=actor.name, assigned_at=now))
    _log(session, sub, actor.name, "claimed", sub.state, State.in_review.value, at=now)
    sub.state, sub.assignee, sub.updated_at = State.in_review.value, actor.name, now


def _serialised(db: Database) -> threading.Lock | _NoLock:
    return _sqlite_claims if db.is_sqlite else _NoLock()


class _NoLock:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *_exc: object) -> None:
        return None


def claim(db: Database, actor: Actor, sub_id: str) -> SubmissionRow:
    """Take one item into review; a conflict when another reviewer holds or is taking it."""
    with _serialised(db), db.session() as session, session.begin():
        sub = session.scalar(_own(actor.organisation_id, sub_id).with_for_update(skip_locked=True))
        if sub is None:
            state = session.scalar(
                select(Submission.state).where(
                    Submission.id == sub_id, Submission.organisation_id == actor.organisation_id
                )
            )
            if state is None:
                raise ReviewError("not_found", f"no submission '{sub_id}'", submission_id=sub_id)
            raise ReviewError(
                "conflict",
                f"submission '{sub_id}' is being claimed by another reviewer",
                submission_id=sub_id,
            )
        _take(session, sub, actor)
    return _row(sub, actor.organisation, full=True)


def claim_next(
    db: Database, actor: Actor, filters: QueueFilter | None = None
) -> SubmissionRow | None:
    """The oldest pending item (matching `filters`) that no one else is taking, now in review
    for `actor`; None when there is none."""
    filters = QueueFilter(**{**(filters or QueueFilter()).__dict__, "state": "pending"})
    where = _conditions(actor, filters)
    with _serialised(db), db.session() as session, session.begin():
        sub = session.scalar(
            select(Submission)
            .where(*where)
            .order_by(Submission.created_at, Submission.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        if sub is None:
            return None
        _take(session, sub, actor)
    return _row(sub, actor.organisation, full=True)


def decide(
    db: Database, actor: Actor, sub_id: str, decision: DecisionKind | str, note: str = ""
) -> SubmissionRow:
    """Record a decision on an item in review. Its holder decides; an admin may decide on an
    item someone else holds (the log names who did)."""
    decision = DecisionKind(decision)
    note = note.strip()[:MAX_NOTE_CHARS]
    to_state = DECISION_STATE[decision].value
    with db.session() as session, session.begin():
        sub = session.scalar(_own(actor.organisation_id, sub_id).with_for_update())
        if sub is None:
            raise ReviewError("not_found", f"no submission '{sub_id}'", submission_id=sub_id)
        if sub.state != State.in_review:
            raise ReviewError(
                "conflict",
                f"submission '{sub_id}' is {sub.state}: claim it before deciding",
                submission_id=sub_id,
                state=sub.state,
            )
        if sub.assignee != actor.name and actor.role is not Role.admin:
            raise ReviewError(
                "not_holder",
                f"submission '{sub_id}' is in review by {sub.assignee}; only they decide",
                submission_id=sub_id,
            )
        now = datetime.now(UTC)
        done = session.execute(
            update(Submission)
            .where(Submission.id == sub.id, Submission.state == State.in_review.value)
            .values(state=to_state, assignee=None, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        if done.rowcount != 1:  # type: ignore[attr-defined]
            raise ReviewError("conflict", f"submission '{sub_id}' changed meanwhile")
        session.execute(
            update(Assignment)
            .where(Assignment.submission_id == sub.id, Assignment.released_at.is_(None))
            .values(released_at=now)
        )
        session.add(
            Decision(
                submission_id=sub.id,
                actor=actor.name,
                decision=decision.value,
                note=note,
                from_state=State.in_review.value,
                to_state=to_state,
                created_at=now,
            )
        )
        _log(session, sub, actor.name, decision.value, State.in_review.value, to_state, note, now)
        sub.state, sub.assignee, sub.updated_at = to_state, None, now
    return _row(sub, actor.organisation, full=True)


def history(db: Database, actor: Actor, sub_id: str) -> list[HistoryEntry]:
    """The item's audit log, oldest first."""
    with db.session() as session:
        if (
            session.scalar(
                select(Submission.id).where(
                    Submission.id == sub_id, Submission.organisation_id == actor.organisation_id
                )
            )
            is None
        ):
            raise ReviewError("not_found", f"no submission '{sub_id}'", submission_id=sub_id)
        entries = session.scalars(
            select(AuditEntry)
            .where(
                AuditEntry.submission_id == sub_id,
                AuditEntry.organisation_id == actor.organisation_id,
            )
            .order_by(AuditEntry.id)
        ).all()
    return [
        HistoryEntry(_utc(e.created_at), e.actor, e.action, e.from_state, e.to_state, e.note)
        for e in entries
    ]
