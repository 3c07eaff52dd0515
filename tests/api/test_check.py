"""POST /v1/check and /v1/check/batch through FastAPI's test client."""

from __future__ import annotations

from typing import Any

import orjson

from compliance import Checker
from tests.api.conftest import Keys

UNDISCLOSED = {
    "id": "p1",
    "platform": "instagram",
    "text": "Loving my new serum from @glowlab! Use code MIA20 for 20% off #skincare",
    "material_connection": "free_product",
}
DISCLOSED = {
    "id": "p2",
    "platform": "instagram",
    "text": "#ad Love it",
    "material_connection": "paid",
}


def test_check_returns_the_engine_report(client: Any, keys: Keys, checker: Checker) -> None:
    r = client.post("/v1/check", json=UNDISCLOSED, headers=keys.auth())
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    assert r.content == orjson.dumps(checker.check_dict(dict(UNDISCLOSED)))
    assert r.json()["verdict"] == "fail"


def test_every_role_may_check(client: Any, keys: Keys) -> None:
    for role in ("submitter", "reviewer", "admin"):
        r = client.post("/v1/check", json=DISCLOSED, headers=keys.auth(role))
        assert r.status_code == 200, role
        assert r.json()["verdict"] == "pass"


def test_explain_false_drops_evidence_and_reasons(client: Any, keys: Keys) -> None:
    full = client.post("/v1/check", json=UNDISCLOSED, headers=keys.auth()).json()
    r = client.post("/v1/check?explain=false", json=UNDISCLOSED, headers=keys.auth())
    short = r.json()
    assert any(f["evidence"] or f["confidence_reasons"] for f in full["findings"])
    assert all(not f["evidence"] and not f["confidence_reasons"] for f in short["findings"])
    assert [f["rule_id"] for f in short["findings"]] == [f["rule_id"] for f in full["findings"]]


def test_jurisdiction_and_packs_name_served_packs(client: Any, keys: Keys) -> None:
    ok = client.post(
        "/v1/check?jurisdiction=us-ftc&packs=us-ftc", json=UNDISCLOSED, headers=keys.auth()
    )
    assert ok.status_code == 200
    same = client.post("/v1/check", json=UNDISCLOSED, headers=keys.auth())
    assert ok.json()["findings"] == same.json()["findings"]
    for query in ("jurisdiction=uk-asa", "packs=uk-asa"):
        r = client.post(f"/v1/check?{query}", json=UNDISCLOSED, headers=keys.auth())
        assert r.status_code == 422
        assert r.json()["error"]["code"] == "A005"
    r = client.post(
        "/v1/check", json={**UNDISCLOSED, "jurisdiction": "de-uwg"}, headers=keys.auth()
    )
    assert r.status_code == 422
    assert r.json()["error"] == {
        "code": "A005",
        "message": "Rule pack 'de-uwg' is not served here (available: us-ftc)",
        "field": "jurisdiction",
    }


def test_metadata_is_carried_through(client: Any, keys: Keys) -> None:
    r = client.post(
        "/v1/check", json={**DISCLOSED, "metadata": {"campaign_ref": 7}}, headers=keys.auth()
    )
    assert r.json()["metadata"] == {"campaign_ref": 7}


def test_batch_in_order_with_an_error_in_place(client: Any, keys: Keys, checker: Checker) -> None:
    posts = [UNDISCLOSED, {"id": "bad", "platform": "myspace"}, DISCLOSED, "not an object"]
    r = client.post("/v1/check/batch", json={"posts": posts[:3]}, headers=keys.auth())
    assert r.status_code == 200
    reports = r.json()["reports"]
    assert [x.get("id") for x in reports] == ["p1", "bad", "p2"]
    assert reports[0] == orjson.loads(orjson.dumps(checker.check_dict(dict(UNDISCLOSED))))
    assert reports[1]["index"] == 1
    assert reports[1]["error"]["code"] == "E001"
    assert reports[1]["error"]["field"] == "platform"
    assert reports[2]["verdict"] == "pass"
    # a non-object item is refused by the envelope's schema, naming the item
    r = client.post("/v1/check/batch", json={"posts": posts}, headers=keys.auth())
    assert r.status_code == 422
    assert r.json()["error"]["field"] == "posts.3"


def test_batch_options_apply_to_every_post(client: Any, keys: Keys) -> None:
    body = {"posts": [UNDISCLOSED, UNDISCLOSED], "explain": False}
    reports = client.post("/v1/check/batch", json=body, headers=keys.auth()).json()["reports"]
    assert all(not f["evidence"] for rep in reports for f in rep["findings"])
    r = client.post(
        "/v1/check/batch", json={"posts": [], "jurisdiction": "xx"}, headers=keys.auth()
    )
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "A005"


def test_empty_batch(client: Any, keys: Keys) -> None:
    r = client.post("/v1/check/batch", json={"posts": []}, headers=keys.auth())
    assert r.status_code == 200
    assert r.json() == {"reports": []}
