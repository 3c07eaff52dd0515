"""Storage beside the engine (DESIGN §4, §8): organisations and API keys now, the review queue
later. SQLAlchemy 2.x; SQLite in a data directory by default, any URL by configuration;
Alembic migrations shipped in the package. The engine core never imports this package.

Modules: `db` (URL, engine, migrate, ping), `models` (tables), `migrate` (Alembic without an
ini file), `keys` (API keys), `roles` (what a key may do; no database import).
"""
