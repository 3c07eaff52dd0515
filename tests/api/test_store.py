"""The store: packaged migrations, schema in step with the models, keys kept as digests."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from compliance.store.db import Database, database_url
from compliance.store.keys import (
    Role,
    StoreError,
    create_key,
    digest,
    list_keys,
    revoke_key,
    verify_key,
)
from compliance.store.migrate import upgrade
from compliance.store.models import Base


@pytest.fixture
def db(tmp_path: Path) -> Database:
    database = Database(f"sqlite:///{tmp_path / 'sub' / 'c.db'}")
    database.migrate()
    return database


def test_database_url_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COMPLIANCE_DATABASE_URL", raising=False)
    monkeypatch.setenv("COMPLIANCE_DATA_DIR", str(tmp_path))
    assert database_url() == f"sqlite:///{tmp_path / 'compliance.db'}"
    assert database_url("sqlite://") == "sqlite://"
    monkeypatch.setenv("COMPLIANCE_DATABASE_URL", "postgresql://h/db")
    assert database_url() == "postgresql://h/db"


def test_migrations_create_the_models_schema(db: Database) -> None:
    tables = set(inspect(db.engine).get_table_names())
    assert {"organisations", "api_keys", "alembic_version"} <= tables
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    db.migrate()  # idempotent
    assert db.ping()


def test_downgrade_and_upgrade_again(db: Database) -> None:
    from alembic import command

    from compliance.store.migrate import alembic_config

    config = alembic_config()
    with db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "base")
    assert not db.ping()
    upgrade(db.engine)
    assert db.ping()


def test_keys_are_stored_as_digests(db: Database) -> None:
    key, info = create_key(db, "acme", Role.reviewer, name="ci")
    assert key.startswith(f"cck_{info.key_id}_")
    with db.engine.connect() as conn:
        rows = conn.execute(text("SELECT key_id, digest FROM api_keys")).all()
    assert rows == [(info.key_id, digest(key))]
    assert key not in repr(rows)
    found = verify_key(db, key)
    assert found is not None
    assert (found.organisation, found.role, found.name) == ("acme", Role.reviewer, "ci")
    assert verify_key(db, key + "x") is None
    assert verify_key(db, "cck_" + info.key_id) is None


def test_list_and_revoke(db: Database) -> None:
    _, a = create_key(db, "acme", "admin")
    key_b, b = create_key(db, "globex", "submitter")
    assert [k.key_id for k in list_keys(db)] == [a.key_id, b.key_id]
    assert [k.key_id for k in list_keys(db, "globex")] == [b.key_id]
    revoked = revoke_key(db, b.key_id)
    assert revoked.revoked_at is not None
    assert revoke_key(db, key_b).revoked_at == revoked.revoked_at  # twice: first time kept
    assert verify_key(db, key_b) is None
    assert [k.key_id for k in list_keys(db, include_revoked=False)] == [a.key_id]
    with pytest.raises(StoreError):
        revoke_key(db, "000000000000")
    with pytest.raises(StoreError):
        create_key(db, "  ", "admin")
    with pytest.raises(ValueError):
        create_key(db, "acme", "owner")


def test_unreachable_database_is_not_ready(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'never-migrated.db'}")
    assert not db.ping()
