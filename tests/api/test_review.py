"""The review queue over REST: submit, queue with filters and pages, claim, decide, history;
tenant isolation and role checks on every route; the append-only audit log."""

from __future__ import annotations

import threading
import uuid
from typing import Any

import pytest
import sqlalchemy as sa

from tests.api.conftest import Keys

FAILING = {
    "platform": "instagram",
    "text": "Loving my new serum from @glowlab! Use code MIA20 for 20% off #skincare",
    "material_connection": "free_product",
    "brands": ["@glowlab"],
}
PASSING = {
    "platform": "instagram",
    "text": "#ad Golden hour glow with the new @glowlab serum, light and fast.",
    "material_connection": "paid",
}


def campaign() -> str:
    return f"c-{uuid.uuid4().hex[:8]}"


def submit(client: Any, keys: Keys, post: dict[str, Any], role: str = "submitter") -> Any:
    r = client.post("/v1/submissions", json={"post": post}, headers=keys.auth(role))
    assert r.status_code == 201, r.text
    return r.json()


def test_failing_post_enters_the_queue_passing_one_does_not(client: Any, keys: Keys) -> None:
    camp = campaign()
    queued = submit(client, keys, {**FAILING, "id": "f1", "campaign": camp})
    assert len(queued["id"]) == 32
    assert queued["state"] == "pending"
    assert queued["verdict"] == "fail"
    assert queued["report"]["verdict"] == "fail"
    assert queued["report"]["findings"]
    assert queued["pack"]["name"] == "us-ftc" and queued["pack"]["version"]
    assert "missing_disclosure" in queued["categories"]
    passed = submit(client, keys, {**PASSING, "id": "p1", "campaign": camp})
    assert passed["state"] == "approved" and passed["verdict"] == "pass"
    page = client.get("/v1/queue", params={"campaign": camp}, headers=keys.auth("reviewer")).json()
    assert [i["id"] for i in page["items"]] == [queued["id"]]
    every = client.get(
        "/v1/queue", params={"campaign": camp, "state": "all"}, headers=keys.auth()
    ).json()
    assert {i["id"] for i in every["items"]} == {queued["id"], passed["id"]}
    history = client.get(f"/v1/submissions/{passed['id']}/history", headers=keys.auth()).json()
    assert [(e["action"], e["actor"]) for e in history["entries"]][-1] == (
        "auto_approved",
        "engine",
    )


def test_bad_post_is_422_naming_the_field(client: Any, keys: Keys) -> None:
    r = client.post("/v1/submissions", json={"post": {"platform": "myspace"}}, headers=keys.auth())
    assert r.status_code == 422
    assert r.json()["error"]["field"] == "post.platform"
    assert r.json()["error"]["code"] == "E001"
    r = client.post("/v1/submissions", json={"posts": {}}, headers=keys.auth())
    assert r.status_code == 422


def test_claim_decide_history(client: Any, keys: Keys) -> None:
    sub = submit(client, keys, {**FAILING, "campaign": campaign()})
    url = f"/v1/submissions/{sub['id']}"
    claimed = client.post(url + "/claim", headers=keys.auth("reviewer"))
    assert claimed.status_code == 200
    reviewer_name = claimed.json()["assignee"]
    assert claimed.json()["state"] == "in_review" and reviewer_name.startswith("key:")
    again = client.post(url + "/claim", headers=keys.auth("reviewer"))
    assert again.status_code == 409 and again.json()["error"]["code"] == "A302"
    mine = client.get(
        "/v1/queue", params={"assignee": "me", "state": "in_review"}, headers=keys.auth("reviewer")
    ).json()
    assert sub["id"] in {i["id"] for i in mine["items"]}
    r = client.post(
        url + "/decision",
        json={"decision": "request_changes", "note": "Put #ad first."},
        headers=keys.auth("reviewer"),
    )
    assert r.status_code == 200
    assert r.json()["state"] == "changes_requested" and r.json()["assignee"] is None
    late = client.post(url + "/decision", json={"decision": "approve"}, headers=keys.auth("admin"))
    assert late.status_code == 409
    entries = client.get(url + "/history", headers=keys.auth()).json()["entries"]
    assert [(e["action"], e["from_state"], e["to_state"]) for e in entries] == [
        ("submitted", None, "pending"),
        ("claimed", "pending", "in_review"),
        ("request_changes", "in_review", "changes_requested"),
    ]
    assert entries[2]["note"] == "Put #ad first." and entries[2]["actor"] == reviewer_name


def test_escalated_items_go_to_admins(client: Any, keys: Keys) -> None:
    sub = submit(client, keys, {**FAILING, "campaign": campaign()})
    url = f"/v1/submissions/{sub['id']}"
    assert client.post(url + "/claim", headers=keys.auth("reviewer")).status_code == 200
    r = client.post(
        url + "/decision",
        json={"decision": "escalate", "note": "legal?"},
        headers=keys.auth("reviewer"),
    )
    assert r.json()["state"] == "escalated"
    assert client.post(url + "/claim", headers=keys.auth("reviewer")).status_code == 409
    assert client.post(url + "/claim", headers=keys.auth("admin")).status_code == 200
    r = client.post(url + "/decision", json={"decision": "approve"}, headers=keys.auth("admin"))
    assert r.json()["state"] == "approved"


def test_only_the_holder_or_an_admin_decides(client: Any, keys: Keys, db_url: str) -> None:
    from compliance.store.keys import create_key

    second = create_key(client.app.state.services.db, "acme", "reviewer")[0]
    sub = submit(client, keys, {**FAILING, "campaign": campaign()})
    url = f"/v1/submissions/{sub['id']}"
    client.post(url + "/claim", headers=keys.auth("reviewer"))
    r = client.post(
        url + "/decision",
        json={"decision": "approve"},
        headers={"Authorization": f"Bearer {second}"},
    )
    assert r.status_code == 403 and r.json()["error"]["code"] == "A303"
    pending = submit(client, keys, {**FAILING, "campaign": campaign()})
    r = client.post(
        f"/v1/submissions/{pending['id']}/decision",
        json={"decision": "approve"},
        headers=keys.auth("reviewer"),
    )
    assert r.status_code == 409  # claim first


def test_submitters_may_not_claim_or_decide(client: Any, keys: Keys) -> None:
    sub = submit(client, keys, {**FAILING, "campaign": campaign()})
    url = f"/v1/submissions/{sub['id']}"
    for path, body in (
        (url + "/claim", None),
        (url + "/decision", {"decision": "approve", "note": ""}),
        ("/v1/queue/claim", None),
    ):
        r = client.post(path, json=body, headers=keys.auth("submitter"))
        assert r.status_code == 403, path
        assert r.json()["error"]["code"] == "A102"
    assert client.get(url, headers=keys.auth("submitter")).json()["state"] == "pending"


def test_decision_body_is_validated(client: Any, keys: Keys) -> None:
    sub = submit(client, keys, {**FAILING, "campaign": campaign()})
    url = f"/v1/submissions/{sub['id']}"
    client.post(url + "/claim", headers=keys.auth("reviewer"))
    for body in ({"decision": "ship it"}, {"decision": "approve", "extra": 1}, {}):
        r = client.post(url + "/decision", json=body, headers=keys.auth("reviewer"))
        assert r.status_code == 422, body
        assert r.json()["error"]["code"] == "A003"


def test_every_route_is_404_for_another_organisation(client: Any, keys: Keys) -> None:
    sub = submit(client, keys, {**FAILING, "campaign": campaign()})
    url = f"/v1/submissions/{sub['id']}"
    other = keys.auth("other_admin")
    for method, path, body in (
        ("GET", url, None),
        ("GET", url + "/history", None),
        ("POST", url + "/claim", None),
        ("POST", url + "/decision", {"decision": "approve"}),
    ):
        r = client.request(method, path, json=body, headers=other)
        assert r.status_code == 404, path
        assert r.json()["error"]["code"] == "A301"
    queue = client.get("/v1/queue", params={"state": "all", "limit": 100}, headers=other).json()
    assert sub["id"] not in {i["id"] for i in queue["items"]}
    assert client.post("/v1/queue/claim", headers=other).status_code in {200, 204}
    assert client.get(url, headers=keys.auth("submitter")).json()["state"] == "pending"


def test_every_route_needs_a_key(client: Any, keys: Keys) -> None:
    sid = "0" * 32
    for method, path in (
        ("POST", "/v1/submissions"),
        ("GET", "/v1/queue"),
        ("POST", "/v1/queue/claim"),
        ("GET", f"/v1/submissions/{sid}"),
        ("POST", f"/v1/submissions/{sid}/claim"),
        ("POST", f"/v1/submissions/{sid}/decision"),
        ("GET", f"/v1/submissions/{sid}/history"),
    ):
        for body in (None, {}):
            r = client.request(method, path, json=body)
            assert r.status_code == 401, (method, path, body)
            assert r.json()["error"]["code"] == "A101"


def test_queue_filters_and_pages(client: Any, keys: Keys) -> None:
    camp = campaign()
    ids = [
        submit(client, keys, {**FAILING, "id": f"q{i}", "campaign": camp, "platform": p})["id"]
        for i, p in enumerate(["instagram", "tiktok", "instagram"])
    ]
    h = keys.auth("reviewer")
    first = client.get("/v1/queue", params={"campaign": camp, "limit": 2}, headers=h).json()
    assert first["total"] == 3 and first["next_offset"] == 2
    second = client.get(
        "/v1/queue", params={"campaign": camp, "limit": 2, "offset": 2}, headers=h
    ).json()
    assert [i["id"] for i in first["items"] + second["items"]] == ids
    assert second["next_offset"] is None
    tiktok = client.get("/v1/queue", params={"campaign": camp, "platform": "tiktok"}, headers=h)
    assert [i["id"] for i in tiktok.json()["items"]] == [ids[1]]
    cat = client.get(
        "/v1/queue", params={"campaign": camp, "category": "missing_disclosure"}, headers=h
    ).json()
    assert cat["total"] == 3
    none = client.get(
        "/v1/queue", params={"campaign": camp, "category": "missing_disclosur"}, headers=h
    ).json()
    assert none["total"] == 0
    unassigned = client.get(
        "/v1/queue", params={"campaign": camp, "assignee": "none"}, headers=h
    ).json()
    assert unassigned["total"] == 3
    bad = client.get("/v1/queue", params={"state": "done"}, headers=h)
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "query.state"
    unknown = client.get("/v1/queue", params={"stat": "pending"}, headers=h)
    assert unknown.status_code == 422 and unknown.json()["error"]["code"] == "A003"


def test_claim_next_hands_out_distinct_items_to_concurrent_reviewers(
    client: Any, keys: Keys
) -> None:
    """SQLite: claims are serialised; eight threads claiming at once get eight items."""
    from compliance.store.keys import create_key

    db = client.app.state.services.db
    org = f"race-{uuid.uuid4().hex[:6]}"
    submitter = create_key(db, org, "submitter")[0]
    reviewers = [create_key(db, org, "reviewer")[0] for _ in range(8)]
    for i in range(6):
        r = client.post(
            "/v1/submissions",
            json={"post": {**FAILING, "id": f"r{i}"}},
            headers={"Authorization": f"Bearer {submitter}"},
        )
        assert r.status_code == 201
    got: list[tuple[int, str | None]] = []
    barrier = threading.Barrier(len(reviewers))

    def run(key: str) -> None:
        barrier.wait()
        r = client.post("/v1/queue/claim", headers={"Authorization": f"Bearer {key}"})
        got.append((r.status_code, r.json()["id"] if r.status_code == 200 else None))

    threads = [threading.Thread(target=run, args=(k,)) for k in reviewers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    claimed = [i for s, i in got if s == 200]
    assert sorted(s for s, _ in got) == [200] * 6 + [204] * 2
    assert len(set(claimed)) == 6


def test_audit_log_is_append_only(client: Any, keys: Keys) -> None:
    submit(client, keys, {**FAILING, "campaign": campaign()})
    engine = client.app.state.services.db.engine
    for statement in ("UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log"):
        with pytest.raises(sa.exc.DatabaseError, match="append-only"), engine.begin() as conn:
            conn.execute(sa.text(statement))
