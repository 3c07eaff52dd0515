"""The app factory: settings -> services (engine, packs, database) -> routers."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api import errors
from api.deps import Services
from api.limits import BodyLimit
from api.routes import check, health, keys, rules
from api.settings import Settings
from compliance.engine import Checker
from compliance.store.db import Database
from compliance.version import __version__

log = logging.getLogger("compliance.api")
WARM_UP_POST = {"id": "warm-up", "platform": "instagram", "text": "Thanks @brand! #ad"}

DESCRIPTION = """Pre-publication checks of sponsored posts against endorsement-disclosure rules
(FTC 16 CFR 255 first). Send `Authorization: Bearer KEY` (keys: `compliance keys create`).
Every error body is `{"error": {"code", "message", "field"?, "limit"?}}` with a stable code."""


def load_services(settings: Settings) -> Services:
    """Everything a request needs, built once: the database (migrated) and one checker per pack."""
    db = Database(settings.database_url)
    if settings.migrate:
        db.migrate()
    checkers: dict[str, Checker] = {}
    for name in (settings.pack, *settings.extra_packs):
        checker = Checker.from_pack(name)
        checker.check_dict(WARM_UP_POST)  # build lazy tables now, not on the first request
        checkers.setdefault(checker.pack.name, checker)
        checkers.setdefault(name, checker)
    return Services(settings=settings, db=db, checkers=checkers)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        services = load_services(settings)
        app.state.services = services
        log.info("compliance service ready: packs %s", ", ".join(services.checkers))
        try:
            yield
        finally:
            services.db.dispose()

    app = FastAPI(
        title="compliance-checker",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.settings = settings
    errors.install(app)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    for router in (health.router, check.router, rules.router, keys.router):
        app.include_router(router)
    return app
