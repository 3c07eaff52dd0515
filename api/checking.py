"""Checking posts for the service: limits, pack choice, extra packs, explain. Routes stay thin;
the engine does the work (`Checker.check_dict`)."""

from __future__ import annotations

from typing import Any

from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from api.deps import Services
from api.schemas import CheckOptions
from compliance.engine import dumps, finding_order, verdict_of
from compliance.errors import ComplianceError
from compliance.models.post import Post

# posts up to this many characters are checked on the event loop (~1 ms); longer ones in a thread
INLINE_CHARS = 5_000


def parse_post(body: bytes) -> Post:
    """A Post from the request body, validated strictly against its JSON schema (a `0` is no
    date-time, a `"yes"` no boolean); errors go to the one error mapper as the body's."""
    try:
        return Post.model_validate_json(body, strict=True)
    except ValidationError as exc:
        errors = [{**e, "loc": ("body", *e["loc"])} for e in exc.errors()]
        raise RequestValidationError(errors) from None


def text_size(post: Post) -> dict[str, int]:
    """Characters per text field (timed fields summed over their segments)."""
    return {
        "text": len(post.text),
        "title": len(post.title or ""),
        "transcript": sum(len(s.text) for s in post.transcript or ()),
        "on_screen_text": sum(len(s.text) for s in post.on_screen_text or ()),
    }


def enforce_limits(post: Post, max_chars: int) -> int:
    """E003 (413) naming the first field over the configured limit; the total size otherwise."""
    sizes = text_size(post)
    for name, size in sizes.items():
        if size > max_chars:
            raise ComplianceError("E003", limit=max_chars, length=size, field=name)
    return sum(sizes.values())


def _pack_for(services: Services, post: Post, options: CheckOptions) -> str:
    """The query's pack, else the post's own `jurisdiction`, else the service's; a post that
    names a pack this service does not serve is refused even when the query overrides it."""
    declared = post.jurisdiction if "jurisdiction" in post.model_fields_set else None
    if declared is not None:
        services.checker(declared)
    return options.jurisdiction or declared or services.settings.pack


def check_post(services: Services, post: Post, options: CheckOptions) -> dict[str, Any]:
    """The engine's report for `post`, with findings of `options.packs` added."""
    enforce_limits(post, services.settings.max_text_chars)
    primary = _pack_for(services, post, options)
    report = services.checker(primary).check_dict(post)
    extra = [p for p in dict.fromkeys(options.packs) if p != primary]
    if extra:
        findings = report["findings"]
        seen = {(f["rule_id"], f["span"]["field"], f["span"]["start"]) for f in findings}
        for name in extra:
            for f in services.checker(name).check_dict(post)["findings"]:
                key = (f["rule_id"], f["span"]["field"], f["span"]["start"])
                if key not in seen:
                    seen.add(key)
                    findings.append(f)
        findings.sort(key=finding_order)
        report["verdict"] = verdict_of(findings)
    if not options.explain:
        report["connection"]["evidence"] = []
        for f in report["findings"]:
            f["evidence"] = []
            f["confidence_reasons"] = []
    return report


def report_json(report: dict[str, Any]) -> bytes:
    """The report as JSON bytes; metadata that JSON cannot carry faithfully is the client's
    mistake (E001 naming `metadata`), not a server error."""
    try:
        return dumps(report).encode()
    except (TypeError, ValueError) as exc:
        raise ComplianceError(
            "E001", detail=f"metadata: cannot be written as JSON ({exc})"[:300], field="metadata"
        ) from exc
