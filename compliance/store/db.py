"""Where the database is and how to reach it: one `Database` per process, migrated on open."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

URL_ENV = "COMPLIANCE_DATABASE_URL"
DATA_DIR_ENV = "COMPLIANCE_DATA_DIR"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def default_data_dir() -> Path:
    """`$COMPLIANCE_DATA_DIR`, else `$XDG_DATA_HOME/compliance`, else ~/.local/share/compliance."""
    if os.environ.get(DATA_DIR_ENV):
        return Path(os.environ[DATA_DIR_ENV])
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "compliance"


def database_url(url: str | None = None, data_dir: Path | None = None) -> str:
    """The URL given, else `$COMPLIANCE_DATABASE_URL`, else SQLite in the data directory."""
    if url:
        return url
    if os.environ.get(URL_ENV):
        return os.environ[URL_ENV]
    directory = data_dir or default_data_dir()
    return f"sqlite:///{directory / 'compliance.db'}"


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


class Database:
    """An engine and a session factory for one URL. `migrate()` brings the schema to head."""

    def __init__(self, url: str) -> None:
        self.url = url
        parsed = make_url(url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        if self.is_sqlite and parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        self.engine: Engine = create_engine(url, pool_pre_ping=not self.is_sqlite)
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    def session(self) -> Session:
        return self.sessions()

    def migrate(self) -> None:
        """Run the packaged Alembic migrations up to head (a no-op when already there)."""
        from compliance.store.migrate import upgrade

        upgrade(self.engine)

    def ping(self) -> bool:
        """True when a trivial query succeeds and the schema is at head."""
        from compliance.store.migrate import is_current

        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
                return is_current(conn)
        except Exception:  # any driver error means "not ready"; readyz reports it, never raises
            return False

    def dispose(self) -> None:
        self.engine.dispose()
