"""GET /v1/rules, /v1/rules/{id}, /healthz, /readyz and the OpenAPI documents."""

from __future__ import annotations

from typing import Any

from compliance import Checker
from tests.api.conftest import Keys


def test_rules_list_matches_the_pack(client: Any, keys: Keys, checker: Checker) -> None:
    r = client.get("/v1/rules", headers=keys.auth("reviewer"))
    assert r.status_code == 200
    body = r.json()
    assert body["pack"]["name"] == "us-ftc"
    assert [x["id"] for x in body["rules"]] == [x.id for x in checker.rules()]
    assert client.get("/v1/rules?pack=nope", headers=keys.auth()).json()["error"]["code"] == "A005"


def test_rule_show_and_unknown(client: Any, keys: Keys) -> None:
    r = client.get("/v1/rules/disclosure-missing", headers=keys.auth())
    assert r.status_code == 200
    rule = r.json()
    assert rule["id"] == "disclosure-missing"
    assert rule["citation"] and rule["examples"]["must_flag"]
    r = client.get("/v1/rules/no-such-rule", headers=keys.auth())
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "E108"


def test_health_and_ready_need_no_key(client: Any) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    r = client.get("/readyz")
    assert r.status_code == 200
    assert r.json()["database"] == "ok"
    assert [p["name"] for p in r.json()["packs"]] == ["us-ftc"]


def test_openapi_documents_routes_examples_and_errors(client: Any) -> None:
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for path in ("/v1/check", "/v1/check/batch", "/v1/rules", "/v1/rules/{rule_id}", "/healthz"):
        assert path in paths
    check = paths["/v1/check"]["post"]
    examples = check["requestBody"]["content"]["application/json"]["examples"]
    assert "undisclosed" in examples
    assert {"200", "400", "401", "403", "413", "422"} <= set(check["responses"])
    assert spec["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "swagger" in docs.text.lower()
