"""The rules of the packs the service loaded."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from api.deps import Reader, ServicesDep
from api.errors import responses
from api.schemas import PackInfo, RulesResponse, RuleSummary
from compliance.rules.pack import Pack

router = APIRouter(prefix="/v1/rules", tags=["rules"])
PackQuery = Annotated[
    str | None,
    Query(min_length=1, max_length=64, description="Pack name (default: the service's pack)."),
]


def pack_info(pack: Pack) -> PackInfo:
    m = pack.manifest
    return PackInfo(name=m.name, version=m.version, title=m.title, jurisdiction=m.jurisdiction)


@router.get(
    "",
    response_model=RulesResponse,
    summary="List the rules of a pack",
    responses=responses(401, 403, 422),
)
async def list_rules(services: ServicesDep, _key: Reader, pack: PackQuery = None) -> RulesResponse:
    checker = services.checker(pack or services.settings.pack)
    return RulesResponse(
        pack=pack_info(checker.pack),
        rules=[
            RuleSummary(
                id=r.id,
                title=r.title,
                category=r.category.value,
                severity=r.severity.value,
                legal_weight=r.legal_weight,
                citation=r.citation,
                status=r.status,
            )
            for r in checker.rules()
        ],
    )


@router.get(
    "/{rule_id}",
    summary="Everything about one rule: citation, message, fix, examples",
    responses=responses(401, 403, 404, 422),
)
async def get_rule(
    services: ServicesDep,
    _key: Reader,
    rule_id: Annotated[str, Path(max_length=100, examples=["disclosure-missing"])],
    pack: PackQuery = None,
) -> dict[str, Any]:
    checker = services.checker(pack or services.settings.pack)
    rule = checker.pack.rule(rule_id)
    return rule.model_dump(mode="json")
