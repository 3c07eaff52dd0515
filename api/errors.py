"""The one place errors become HTTP responses (STYLE convention 9).

Every error body is `{"error": {"code", "message", "field"?, "limit"?, "details"?}}` with a
stable code: engine codes (`E###`, compliance/errors.py) pass through, and the service's own
are `A###` below. Never reuse a code. Client mistakes are 4xx naming the field; a 500 means a
bug of ours, and its body says only that.
"""

from __future__ import annotations

import logging
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from compliance.errors import ComplianceError

log = logging.getLogger("compliance.api")

# code -> (HTTP status, message template)
API_ERRORS: dict[str, tuple[int, str]] = {
    "A001": (400, "The request body is not valid JSON: {detail}"),
    "A002": (413, "The request body is larger than the limit of {limit} bytes"),
    "A003": (422, "The request is not valid: {detail}"),
    "A004": (413, "A batch holds at most {limit} posts ({count} given)"),
    "A005": (422, "Rule pack '{pack}' is not served here (available: {available})"),
    "A006": (404, "No such endpoint: {path}"),
    "A007": (405, "Method {method} is not allowed on {path}"),
    "A008": (415, "The request body must be JSON (Content-Type: application/json)"),
    "A101": (401, "A valid API key is required: send 'Authorization: Bearer KEY'"),
    "A102": (403, "Role '{role}' may not {action}; it needs one of: {allowed}"),
    "A201": (404, "No audit job '{job_id}'"),
    "A202": (409, "Audit job '{job_id}' is {state}: the report exists once it is done"),
    "A204": (404, "No file '{name}' to import for an audit"),
    "A301": (404, "No submission '{submission_id}'"),
    "A302": (409, "Conflict: {detail}"),
    "A303": (403, "Not yours to decide: {detail}"),
    "A500": (500, "Internal error; the request was not completed"),
    "A503": (503, "The service is not ready: {detail}"),
}
# engine codes the service can return, with their HTTP status
ENGINE_STATUS: dict[str, int] = {"E001": 422, "E003": 422, "E101": 422, "E108": 404}


class ApiError(Exception):
    """An error with a stable code; `fields` fill the message and the safe ones go in the body."""

    def __init__(self, code: str, *, field: str | None = None, **fields: Any) -> None:
        status, template = API_ERRORS[code]
        self.code = code
        self.status = status
        self.field = field
        self.fields = fields
        self.message = template.format(**fields)
        super().__init__(f"{code}: {self.message}")

    def body(self) -> dict[str, Any]:
        return error_body(self.code, self.message, field=self.field, limit=self.fields.get("limit"))


class ErrorDetail(BaseModel):
    field: str
    message: str
    type: str


class ErrorInfo(BaseModel):
    code: str
    message: str
    field: str | None = None
    limit: int | None = None
    details: list[ErrorDetail] | None = None


class ErrorBody(BaseModel):
    """What every error response carries."""

    error: ErrorInfo


def error_body(
    code: str,
    message: str,
    *,
    field: str | None = None,
    limit: int | None = None,
    details: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    info: dict[str, Any] = {"code": code, "message": message}
    if field is not None:
        info["field"] = field
    if limit is not None:
        info["limit"] = limit
    if details:
        info["details"] = details
    return {"error": info}


def json_response(
    status: int, body: dict[str, Any], headers: dict[str, str] | None = None
) -> Response:
    return Response(
        orjson.dumps(body), status_code=status, media_type="application/json", headers=headers
    )


def engine_error_body(exc: ComplianceError) -> dict[str, Any]:
    data = exc.to_dict()
    limit = data.get("limit")
    return error_body(
        exc.code,
        exc.message,
        field=data.get("field") if isinstance(data.get("field"), str) else None,
        limit=limit if isinstance(limit, int) else None,
    )


def engine_status(exc: ComplianceError) -> int:
    return ENGINE_STATUS.get(exc.code, 422)


def _loc(loc: tuple[Any, ...] | list[Any]) -> str:
    return ".".join(str(p) for p in loc) or "body"


def validation_error(exc: RequestValidationError, path: str) -> tuple[int, dict[str, Any]]:
    """FastAPI's validation errors: broken JSON is A001 (400); a bad post body E001, anything
    else A003 (422); the first error names the field, `details` lists them all (no input echo)."""
    errors = list(exc.errors())
    for err in errors:
        if err.get("type") == "json_invalid":
            detail = str(err.get("ctx", {}).get("error", "invalid JSON"))
            return 400, error_body("A001", API_ERRORS["A001"][1].format(detail=detail))
    details = []
    for err in errors:
        loc = list(err.get("loc", ()))
        if loc and loc[0] == "body":
            loc = loc[1:]
        details.append(
            {"field": _loc(loc), "message": str(err.get("msg", "")), "type": str(err.get("type"))}
        )
    first = details[0] if details else {"field": "body", "message": "not valid", "type": "?"}
    in_body = bool(errors) and list(errors[0].get("loc", ()))[:1] == ["body"]
    if in_body and first["type"] == "string_too_long":  # a text over the model's limit: E003
        limit = int(errors[0].get("ctx", {}).get("max_length", 0))
        given = errors[0].get("input")
        exc_ = ComplianceError(
            "E003",
            limit=limit,
            length=len(given) if isinstance(given, str) else limit + 1,
            field=first["field"],
        )
        return 422, error_body("E003", exc_.message, field=first["field"], limit=limit)
    post_body = path.rstrip("/").endswith(("/v1/check", "/v1/submissions"))  # a bad post
    code = "E001" if in_body and post_body else "A003"
    if code == "E001":
        message = ComplianceError(
            "E001", detail=f"{first['field']}: {first['message']}", field=first["field"]
        ).message
    else:
        message = API_ERRORS["A003"][1].format(detail=f"{first['field']}: {first['message']}")
    return 422, error_body(code, message, field=first["field"], details=details)


def install(app: FastAPI) -> None:
    """Register the handlers: HTTP errors, validation, engine and service errors, the rest."""

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> Response:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return json_response(exc.status, exc.body(), headers)

    @app.exception_handler(ComplianceError)
    async def _engine_error(_request: Request, exc: ComplianceError) -> Response:
        return json_response(engine_status(exc), engine_error_body(exc))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        status, body = validation_error(exc, request.url.path)
        return json_response(status, body)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        path = request.url.path[:200]
        if exc.status_code == 404:
            err = ApiError("A006", path=path)
        elif exc.status_code == 405:
            err = ApiError("A007", method=request.method[:20], path=path)
        elif exc.status_code == 400:  # the body could not be read or parsed (e.g. too deep)
            err = ApiError("A001", detail=str(exc.detail)[:200])
        elif exc.status_code == 413:
            err = ApiError("A002", limit=app.state.settings.max_body_bytes)
        else:
            body = error_body(f"H{exc.status_code}", str(exc.detail)[:200])
            return json_response(exc.status_code, body, dict(exc.headers or {}))
        return json_response(err.status, err.body(), dict(exc.headers or {}))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path[:200])
        return json_response(500, error_body("A500", API_ERRORS["A500"][1]))


# OpenAPI: the error responses each route documents
def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    described = {
        400: "The body is not valid JSON (A001).",
        401: "No valid API key (A101).",
        403: "The key's role may not do this (A102).",
        404: "Not found (A006, E108).",
        413: "Body or batch over its limit (A002, A004); `limit` names it.",
        422: "A field is not valid (E001, A003, A005) or a text over its limit (E003, with "
        "`limit`); `field` names it.",
        503: "Not ready (A503).",
    }
    return {s: {"model": ErrorBody, "description": described[s]} for s in statuses}
