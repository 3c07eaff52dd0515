"""The app factory: settings -> services (engine, packs, database) -> routers."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.openapi.utils import get_openapi

from api import errors
from api.deps import Services, known_query_only
from api.limits import BodyLimit
from api.routes import audits, check, health, keys, rules, submissions, ui
from api.settings import Settings
from compliance.engine import Checker
from compliance.models.post import Post
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
        checker = Checker.from_pack(name).prepare()  # every pattern compiled before traffic
        checker.check_dict(WARM_UP_POST)  # build lazy tables now, not on the first request
        checkers.setdefault(checker.pack.name, checker)
        checkers.setdefault(name, checker)
    return Services(settings=settings, db=db, checkers=checkers)


def _served_packs_schema(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document, with the pack names this service serves as the only values of
    every `jurisdiction` / `pack` / `packs` field (a request for another pack is A005)."""
    if app.openapi_schema:
        return app.openapi_schema
    spec = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    # /v1/check reads its body itself (strict JSON validation); its schema is the Post model's
    post_schema = Post.model_json_schema(ref_template="#/components/schemas/{model}")
    components = spec.setdefault("components", {}).setdefault("schemas", {})
    for name, definition in post_schema.pop("$defs", {}).items():
        components.setdefault(name, definition)
    # the model also takes one connection as a plain string, and null for "unknown"
    mc = post_schema["properties"]["material_connection"]
    mc_ref = mc.get("items", {"type": "string"})
    post_schema["properties"]["material_connection"] = {
        "anyOf": [
            {k: v for k, v in mc.items() if k not in {"title", "description"}},
            mc_ref,
            {"type": "null"},
        ],
        "title": mc.get("title", "Material Connection"),
        "description": "Declared material connection(s): one, a list, or null for unknown.",
    }
    components["Post"] = post_schema
    services: Services | None = getattr(app.state, "services", None)
    if services is not None:
        names = sorted(services.checkers)

        def restrict(schema: dict[str, Any]) -> None:
            for option in schema.get("anyOf", [schema]):
                if option.get("type") == "string":
                    option["enum"] = names
                elif option.get("type") == "array":
                    option.setdefault("items", {})["enum"] = names

        for item in spec.get("paths", {}).values():
            for operation in item.values():
                for param in operation.get("parameters", []):
                    if param["name"] in {"jurisdiction", "pack", "packs"}:
                        restrict(param["schema"])
        for request_model in ("Post", "BatchRequest"):
            for name, prop in components.get(request_model, {}).get("properties", {}).items():
                if name in {"jurisdiction", "packs"}:
                    restrict(prop)
        app.openapi_schema = spec
    return spec


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
        dependencies=[Depends(known_query_only)],
    )
    app.state.settings = settings
    errors.install(app)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    # /v1/check first: routes are matched in order, and it is the one called most
    routers = (check.check_router, health.router, check.router, rules.router, keys.router)
    for router in (*routers, audits.router):
        app.include_router(router)
    app.include_router(submissions.router)  # the review queue
    ui.install(app)  # the reviewers' web UI under /ui
    app.openapi = lambda: _served_packs_schema(app)  # type: ignore[method-assign]
    return app
