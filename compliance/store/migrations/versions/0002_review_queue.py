"""Review queue: people, web sessions, submissions, assignments, decisions, audit log.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def _org() -> sa.Column[int]:
    return sa.Column(
        "organisation_id",
        sa.Integer(),
        sa.ForeignKey("organisations.id", ondelete="CASCADE"),
        nullable=False,
    )


def _submission(cascade: bool = True) -> sa.Column[str]:
    return sa.Column(
        "submission_id",
        sa.String(32),
        sa.ForeignKey("submissions.id", ondelete="CASCADE" if cascade else None),
        nullable=not cascade,
    )


def upgrade() -> None:
    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), primary_key=True),
        _org(),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("disabled_at", TZ, nullable=True),
        sa.UniqueConstraint("email", name="uq_people_email"),
    )
    op.create_index("ix_people_organisation_id", "people", ["organisation_id"])
    op.create_table(
        "web_sessions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("digest", sa.String(64), nullable=False, unique=True),
        sa.Column(
            "person_id",
            sa.Integer(),
            sa.ForeignKey("people.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("expires_at", TZ, nullable=False),
    )
    op.create_index("ix_web_sessions_person_id", "web_sessions", ["person_id"])
    op.create_table(
        "submissions",
        sa.Column("id", sa.String(32), primary_key=True),
        _org(),
        sa.Column("submitted_by", sa.String(340), nullable=False),
        sa.Column("post_id", sa.String(256), nullable=False),
        sa.Column("platform", sa.String(40), nullable=False),
        sa.Column("campaign", sa.String(256), nullable=True),
        sa.Column("categories", sa.String(1000), nullable=False),
        sa.Column("verdict", sa.String(20), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("assignee", sa.String(340), nullable=True),
        sa.Column("pack_name", sa.String(64), nullable=False),
        sa.Column("pack_version", sa.String(64), nullable=False),
        sa.Column("engine_version", sa.String(64), nullable=False),
        sa.Column("post_json", sa.Text(), nullable=False),
        sa.Column("report_json", sa.Text(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
    )
    op.create_index(
        "ix_submissions_org_state_created",
        "submissions",
        ["organisation_id", "state", "created_at"],
    )
    op.create_table(
        "assignments",
        sa.Column("id", sa.Integer(), primary_key=True),
        _submission(),
        sa.Column("assignee", sa.String(340), nullable=False),
        sa.Column("assigned_at", TZ, nullable=False),
        sa.Column("released_at", TZ, nullable=True),
    )
    op.create_index("ix_assignments_submission_id", "assignments", ["submission_id"])
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer(), primary_key=True),
        _submission(),
        sa.Column("actor", sa.String(340), nullable=False),
        sa.Column("decision", sa.String(20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("from_state", sa.String(20), nullable=False),
        sa.Column("to_state", sa.String(20), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_index("ix_decisions_submission_id", "decisions", ["submission_id"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "organisation_id", sa.Integer(), sa.ForeignKey("organisations.id"), nullable=False
        ),
        _submission(cascade=False),
        sa.Column("actor", sa.String(340), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("from_state", sa.String(20), nullable=True),
        sa.Column("to_state", sa.String(20), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_index("ix_audit_log_organisation_id", "audit_log", ["organisation_id"])
    op.create_index("ix_audit_log_submission_id", "audit_log", ["submission_id"])
    # the audit log is append-only: the database itself refuses to change or remove an entry
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
        )
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_log_no_{event.lower()} BEFORE {event} ON audit_log "
                "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
    for name in ("audit_log", "decisions", "assignments", "submissions", "web_sessions", "people"):
        op.drop_table(name)
