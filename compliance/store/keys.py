"""API keys: created, listed and revoked from the CLI, verified by the service.

A key is `cck_<key_id>_<secret>`: `key_id` (12 hex characters) is public and finds the row, the
secret is 256 random bits. Only the SHA-256 digest of the whole key is stored; since keys are
random tokens, not passwords, a fast digest compared in constant time is the right tool.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select

from compliance.store.db import Database
from compliance.store.models import ApiKey, Organisation, utcnow
from compliance.store.roles import Role

KEY_PREFIX = "cck_"
MAX_KEY_CHARS = 128
__all__ = [
    "ApiKeyInfo",
    "Role",
    "StoreError",
    "create_key",
    "list_keys",
    "revoke_key",
    "verify_key",
]


class StoreError(ValueError):
    """A request to the store that cannot be carried out (unknown key, bad name)."""


@dataclass(frozen=True)
class ApiKeyInfo:
    key_id: str
    organisation: str
    organisation_id: int
    role: Role
    name: str | None
    created_at: datetime
    revoked_at: datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def split_key(key: str) -> str | None:
    """The key id of a well-formed key, else None (nothing is looked up for a malformed key)."""
    if len(key) > MAX_KEY_CHARS or not key.startswith(KEY_PREFIX):
        return None
    key_id, sep, secret = key[len(KEY_PREFIX) :].partition("_")
    if not sep or len(key_id) != 12 or not secret:
        return None
    if any(c not in "0123456789abcdef" for c in key_id):
        return None
    return key_id


def _utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _info(row: ApiKey, org: Organisation) -> ApiKeyInfo:
    return ApiKeyInfo(
        key_id=row.key_id,
        organisation=org.name,
        organisation_id=org.id,
        role=Role(row.role),
        name=row.name,
        created_at=_utc(row.created_at) or row.created_at,
        revoked_at=_utc(row.revoked_at),
    )


def create_key(
    db: Database, org: str, role: Role | str, name: str | None = None
) -> tuple[str, ApiKeyInfo]:
    """A new key for `org` (created when new); returns the key itself, shown once, and its info."""
    org = org.strip()
    if not org or len(org) > 200:
        raise StoreError("organisation name must be 1 to 200 characters")
    role = Role(role)
    key_id = secrets.token_hex(6)
    key = f"{KEY_PREFIX}{key_id}_{secrets.token_urlsafe(32)}"
    with db.session() as session, session.begin():
        organisation = session.scalar(select(Organisation).where(Organisation.name == org))
        if organisation is None:
            organisation = Organisation(name=org, created_at=utcnow())
            session.add(organisation)
            session.flush()
        row = ApiKey(
            key_id=key_id,
            digest=digest(key),
            organisation_id=organisation.id,
            role=role.value,
            name=name,
            created_at=utcnow(),
        )
        session.add(row)
        session.flush()
        info = _info(row, organisation)
    return key, info


def list_keys(
    db: Database, org: str | None = None, include_revoked: bool = True
) -> list[ApiKeyInfo]:
    stmt = select(ApiKey, Organisation).join(Organisation).order_by(Organisation.name, ApiKey.id)
    if org is not None:
        stmt = stmt.where(Organisation.name == org)
    if not include_revoked:
        stmt = stmt.where(ApiKey.revoked_at.is_(None))
    with db.session() as session:
        return [_info(k, o) for k, o in session.execute(stmt).all()]


def revoke_key(db: Database, key_id: str, org: str | None = None) -> ApiKeyInfo:
    """Revoke by key id (a whole key is accepted too); revoking twice keeps the first time."""
    key_id = split_key(key_id) or key_id
    with db.session() as session, session.begin():
        stmt = select(ApiKey, Organisation).join(Organisation).where(ApiKey.key_id == key_id)
        if org is not None:
            stmt = stmt.where(Organisation.name == org)
        found = session.execute(stmt).first()
        if found is None:
            raise StoreError(f"no API key with id '{key_id}'")
        row, organisation = found
        if row.revoked_at is None:
            row.revoked_at = utcnow()
        return _info(row, organisation)


def verify_key(db: Database, key: str) -> ApiKeyInfo | None:
    """The info of an active key, else None (unknown, malformed, wrong secret or revoked)."""
    key_id = split_key(key)
    if key_id is None:
        return None
    stmt = (
        select(
            ApiKey.digest,
            ApiKey.role,
            ApiKey.name,
            ApiKey.created_at,
            ApiKey.revoked_at,
            Organisation.id,
            Organisation.name,
        )
        .join(Organisation)
        .where(ApiKey.key_id == key_id)
    )
    with db.engine.connect() as conn:  # Core, not the ORM: this runs on every request
        found = conn.execute(stmt).first()
    if found is None:
        return None
    stored, role, name, created_at, revoked_at, org_id, org_name = found
    if not hmac.compare_digest(stored, digest(key)) or revoked_at is not None:
        return None
    return ApiKeyInfo(
        key_id=key_id,
        organisation=org_name,
        organisation_id=org_id,
        role=Role(role),
        name=name,
        created_at=_utc(created_at) or created_at,
        revoked_at=None,
    )
