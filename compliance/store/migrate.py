"""Alembic without an ini file: the scripts live in this package, so an installed wheel
migrates the same way a source checkout does."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from compliance.store.db import MIGRATIONS_DIR


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def is_current(conn: Connection) -> bool:
    return MigrationContext.configure(conn).get_current_revision() == head()


def upgrade(engine: Engine, revision: str = "head") -> None:
    config = alembic_config()
    with engine.begin() as conn:
        if revision == "head" and is_current(conn):
            return
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
