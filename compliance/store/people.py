"""Organisations and the people who sign in to the review UI, and their browser sessions.

Passwords are hashed with Argon2id (argon2-cffi, its default parameters). A web session is a
random token in an HttpOnly cookie; only its SHA-256 digest is stored, beside the session's
CSRF token, so a stolen database copy signs no one in.
"""

from __future__ import annotations

import contextlib
import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select

from compliance.store.db import Database
from compliance.store.keys import StoreError
from compliance.store.models import Organisation, utcnow
from compliance.store.review_models import Person, WebSession
from compliance.store.roles import Role

SESSION_LIFETIME = timedelta(hours=12)
MIN_PASSWORD_CHARS = 10
_hasher = PasswordHasher()
# verified against when no such person exists, so a wrong email costs as long as a wrong password
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


@dataclass(frozen=True)
class Actor:
    """Whoever acts on the queue: a signed-in person (`name` is the email) or an API key
    (`name` is `key:<key_id>`)."""

    organisation_id: int
    organisation: str
    name: str
    role: Role


@dataclass(frozen=True)
class PersonInfo:
    id: int
    email: str
    organisation: str
    organisation_id: int
    role: Role
    created_at: datetime


@dataclass(frozen=True)
class SignedIn:
    actor: Actor
    csrf_token: str


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def normalise_email(email: str) -> str:
    email = email.strip().lower()
    if len(email) > 320 or email.count("@") != 1 or email.startswith("@") or email.endswith("@"):
        raise StoreError(f"not an email address: '{email[:80]}'")
    return email


def create_organisation(db: Database, name: str) -> tuple[int, bool]:
    """The organisation's id, and whether it was created now (an existing one is kept)."""
    name = name.strip()
    if not name or len(name) > 200:
        raise StoreError("organisation name must be 1 to 200 characters")
    with db.session() as session, session.begin():
        found = session.scalar(select(Organisation).where(Organisation.name == name))
        if found is not None:
            return found.id, False
        org = Organisation(name=name, created_at=utcnow())
        session.add(org)
        session.flush()
        return org.id, True


def list_organisations(db: Database) -> list[tuple[int, str, datetime]]:
    with db.session() as session:
        rows = session.execute(
            select(Organisation.id, Organisation.name, Organisation.created_at).order_by(
                Organisation.name
            )
        ).all()
    return [(i, n, _utc(c)) for i, n, c in rows]


def create_person(
    db: Database, org: str, email: str, role: Role | str, password: str
) -> PersonInfo:
    """A person of an existing organisation, who signs in with `email` and `password`."""
    email = normalise_email(email)
    role = Role(role)
    if len(password) < MIN_PASSWORD_CHARS:
        raise StoreError(f"the password must have at least {MIN_PASSWORD_CHARS} characters")
    with db.session() as session, session.begin():
        organisation = session.scalar(select(Organisation).where(Organisation.name == org))
        if organisation is None:
            raise StoreError(f"no organisation '{org}' (create it with `compliance orgs create`)")
        if session.scalar(select(Person.id).where(Person.email == email)) is not None:
            raise StoreError(f"a person with email '{email}' exists already")
        person = Person(
            organisation_id=organisation.id,
            email=email,
            password_hash=_hasher.hash(password),
            role=role.value,
            created_at=utcnow(),
        )
        session.add(person)
        session.flush()
        return PersonInfo(person.id, email, organisation.name, organisation.id, role, utcnow())


def list_people(db: Database, org: str | None = None) -> list[PersonInfo]:
    stmt = select(Person, Organisation).join(Organisation).order_by(Organisation.name, Person.email)
    if org is not None:
        stmt = stmt.where(Organisation.name == org)
    with db.session() as session:
        return [
            PersonInfo(p.id, p.email, o.name, o.id, Role(p.role), _utc(p.created_at))
            for p, o in session.execute(stmt).all()
        ]


def sign_in(db: Database, email: str, password: str) -> tuple[str, SignedIn] | None:
    """A new session token and who it signs in, or None for a wrong email or password."""
    try:
        email = normalise_email(email)
    except StoreError:
        email = ""
    with db.session() as session, session.begin():
        found = session.execute(
            select(Person, Organisation).join(Organisation).where(Person.email == email)
        ).first()
        if found is None or found[0].disabled_at is not None:
            with contextlib.suppress(VerificationError):
                _hasher.verify(_DUMMY_HASH, password)
            return None
        person, org = found
        try:
            _hasher.verify(person.password_hash, password)
        except (VerificationError, InvalidHashError):
            return None
        if _hasher.check_needs_rehash(person.password_hash):
            person.password_hash = _hasher.hash(password)
        token = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(32)
        now = utcnow()
        session.execute(delete(WebSession).where(WebSession.expires_at < now))
        session.add(
            WebSession(
                digest=_digest(token),
                person_id=person.id,
                csrf_token=csrf,
                created_at=now,
                expires_at=now + SESSION_LIFETIME,
            )
        )
        actor = Actor(org.id, org.name, person.email, Role(person.role))
    return token, SignedIn(actor, csrf)


def session_person(db: Database, token: str) -> SignedIn | None:
    """Who the session token signs in, while it has not expired."""
    if not token or len(token) > 200:
        return None
    stmt = (
        select(WebSession, Person, Organisation)
        .join(Person, WebSession.person_id == Person.id)
        .join(Organisation, Person.organisation_id == Organisation.id)
        .where(WebSession.digest == _digest(token))
    )
    with db.session() as session:
        found = session.execute(stmt).first()
    if found is None:
        return None
    web, person, org = found
    if _utc(web.expires_at) <= utcnow() or person.disabled_at is not None:
        return None
    return SignedIn(Actor(org.id, org.name, person.email, Role(person.role)), web.csrf_token)


def sign_out(db: Database, token: str) -> None:
    with db.session() as session, session.begin():
        session.execute(delete(WebSession).where(WebSession.digest == _digest(token)))
