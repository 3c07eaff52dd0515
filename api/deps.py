"""Dependencies (STYLE: `Annotated` dependencies in one module): the services built at
start-up, and the API-key check with the roles a route allows."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi._compat import field_annotation_is_sequence
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from api.errors import ApiError
from api.settings import Settings
from compliance.engine import Checker
from compliance.store.db import Database
from compliance.store.keys import ApiKeyInfo, Role, verify_key

KEY_CACHE_MAX = 10_000


@dataclass
class Services:
    """Built once at start-up (app lifespan) and shared by every request."""

    settings: Settings
    db: Database
    checkers: dict[str, Checker]
    _keys: dict[str, tuple[float, ApiKeyInfo]] = field(default_factory=dict)

    def checker(self, pack: str) -> Checker:
        try:
            return self.checkers[pack]
        except KeyError:
            raise ApiError(
                "A005", field="jurisdiction", pack=pack[:64], available=", ".join(self.checkers)
            ) from None

    async def authenticate(self, key: str) -> ApiKeyInfo | None:
        """The active key's info; a verified key is remembered `key_cache_seconds`."""
        ttl = self.settings.key_cache_seconds
        now = time.monotonic()
        cached = self._keys.get(key)
        if cached is not None and now - cached[0] < ttl:
            return cached[1]
        info = await run_in_threadpool(verify_key, self.db, key)
        if info is None:
            self._keys.pop(key, None)
        elif ttl > 0:
            if len(self._keys) >= KEY_CACHE_MAX:
                self._keys.clear()
            self._keys[key] = (now, info)
        return info


def _query_names(dependant: Any, lists: bool | None = None) -> set[str]:
    """The query parameters a route declares (only those taking a list, or only the others,
    when `lists` says so)."""
    names = {
        getattr(p, "alias", None) or p.name
        for p in dependant.query_params
        if lists is None or field_annotation_is_sequence(p.field_info.annotation) == lists
    }
    for sub in dependant.dependencies:
        names |= _query_names(sub, lists)
    return names


_QUERY_NAMES: dict[int, frozenset[str]] = {}
_SINGLE_NAMES: dict[int, frozenset[str]] = {}


def check_query_names(query: Any, allowed: frozenset[str], single: frozenset[str]) -> None:
    """A003 for a query parameter not in `allowed`, or one of `single` given twice."""
    for name in query:
        if name not in allowed:
            raise ApiError(
                "A003", field=f"query.{name[:64]}", detail=f"unknown query parameter '{name[:64]}'"
            )
        if name in single and len(query.getlist(name)) > 1:
            raise ApiError(
                "A003", field=f"query.{name[:64]}", detail=f"'{name[:64]}' given more than once"
            )


async def known_query_only(request: Request) -> None:
    """A query parameter the route does not declare is a client mistake (A003), not ignored:
    `?explian=false` should not silently give the default."""
    if not request.query_params:
        return
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    allowed = _QUERY_NAMES.get(id(route))
    if allowed is None:
        allowed = _QUERY_NAMES[id(route)] = frozenset(_query_names(route.dependant))
    single = _SINGLE_NAMES.get(id(route))
    if single is None:
        single = _SINGLE_NAMES[id(route)] = frozenset(_query_names(route.dependant, False))
    check_query_names(request.query_params, allowed, single)


async def get_services(request: Request) -> Services:
    """Async on purpose: a plain function dependency would cost a thread hand-off per request."""
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]
bearer = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer KEY`.")


async def authorize(
    services: Services, scheme: str | None, key: str | None, action: str, allowed: frozenset[Role]
) -> ApiKeyInfo:
    """The info of a valid key of one of `allowed` roles: A101 (401) without one, A102 (403)
    for a key whose role may not do `action`."""
    if not key or scheme is None or scheme.lower() != "bearer":
        raise ApiError("A101")
    info = await services.authenticate(key)
    if info is None:
        raise ApiError("A101")
    if info.role not in allowed:
        raise ApiError(
            "A102",
            role=info.role.value,
            action=action,
            allowed=", ".join(sorted(r.value for r in allowed)),
        )
    return info


def bearer_key(authorization: str | None) -> tuple[str | None, str | None]:
    """(scheme, credentials) of an Authorization header, as `HTTPBearer` reads it."""
    if not authorization:
        return None, None
    scheme, _, credentials = authorization.partition(" ")
    return scheme, credentials.strip() or None


def require(action: str, *roles: Role) -> Callable[..., Awaitable[ApiKeyInfo]]:
    """A dependency that admits a valid key of one of `roles` (401 without one, 403 otherwise)."""
    allowed = frozenset(roles)

    async def check_key(
        services: ServicesDep,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> ApiKeyInfo:
        if credentials is None:
            raise ApiError("A101")
        return await authorize(
            services, credentials.scheme, credentials.credentials, action, allowed
        )

    return check_key


ANY_ROLE = (Role.submitter, Role.reviewer, Role.admin)
CHECK_ACTION = "check posts"
Submitter = Annotated[ApiKeyInfo, Depends(require(CHECK_ACTION, *ANY_ROLE))]
Reader = Annotated[ApiKeyInfo, Depends(require("read rules", *ANY_ROLE))]
Admin = Annotated[ApiKeyInfo, Depends(require("manage keys", Role.admin))]
