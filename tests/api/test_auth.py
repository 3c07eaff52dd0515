"""API keys: 401 without a valid key, 403 for a role that may not, revocation, tenancy."""

from __future__ import annotations

from typing import Any

from compliance.store.keys import revoke_key
from tests.api.conftest import Keys

POST = {"text": "#ad hello"}


def test_no_or_bad_key_is_401(client: Any, keys: Keys) -> None:
    wrong_secret = keys.submitter[:-4] + ("AAAA" if not keys.submitter.endswith("AAAA") else "BBBB")
    for headers in (
        {},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer not-a-key"},
        {"Authorization": f"Basic {keys.submitter}"},
        {"Authorization": f"Bearer {wrong_secret}"},
        {"Authorization": "Bearer cck_000000000000_" + "x" * 500},
    ):
        r = client.post("/v1/check", json=POST, headers=headers)
        assert r.status_code == 401, headers
        assert r.json()["error"]["code"] == "A101"
        assert r.headers["www-authenticate"] == "Bearer"
    assert client.get("/v1/rules").status_code == 401


def test_role_that_may_not_is_403(client: Any, keys: Keys) -> None:
    for role in ("submitter", "reviewer"):
        r = client.get("/v1/keys", headers=keys.auth(role))
        assert r.status_code == 403
        body = r.json()["error"]
        assert body["code"] == "A102"
        assert role in body["message"]


def test_admin_sees_only_its_organisation(client: Any, keys: Keys) -> None:
    r = client.get("/v1/keys", headers=keys.auth("admin"))
    assert r.status_code == 200
    listed = r.json()["keys"]
    assert {k["organisation"] for k in listed} == {"acme"}
    assert {k["role"] for k in listed} >= {"submitter", "reviewer", "admin"}
    for key in (keys.submitter, keys.admin):
        assert key not in r.text  # never the key itself
    other = client.get("/v1/keys", headers=keys.auth("other_admin")).json()["keys"]
    assert {k["organisation"] for k in other} == {"globex"}


def test_revoked_key_is_refused(client: Any) -> None:
    from compliance.store.keys import create_key

    db = client.app.state.services.db
    key, info = create_key(db, "acme", "submitter")
    headers = {"Authorization": f"Bearer {key}"}
    assert client.post("/v1/check", json=POST, headers=headers).status_code == 200
    revoke_key(db, info.key_id)
    r = client.post("/v1/check", json=POST, headers=headers)
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "A101"
