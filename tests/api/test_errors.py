"""Limits and errors: every error body has a stable code and names the field or the limit."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tests.api.conftest import Keys


def err(r: Any) -> dict[str, Any]:
    body: dict[str, Any] = r.json()["error"]
    assert body["code"] and body["message"]
    return body


def test_broken_json_is_400(client: Any, keys: Keys) -> None:
    headers = {**keys.auth(), "content-type": "application/json"}
    for body in (b"{bad", b'{"text": "x"', b"\xff\xfe", b"[" * 50_000):
        r = client.post("/v1/check", content=body, headers=headers)
        assert r.status_code == 400, body[:10]
        assert err(r)["code"] == "A001"


def test_invalid_field_is_422_naming_it(client: Any, keys: Keys) -> None:
    cases = {
        "platform": {"platform": "myspace"},
        "material_connection.0": {"material_connection": ["bribe"]},
        "transcript.0": {"transcript": [{"text": "hi", "start": 5, "end": 1}]},
        "colour": {"colour": "red"},
        "id": {"id": ""},
    }
    for field, post in cases.items():
        r = client.post("/v1/check", json=post, headers=keys.auth())
        assert r.status_code == 422, field
        body = err(r)
        assert body["code"] == "E001"
        assert body["field"] == field
        assert field in body["message"]
    r = client.post("/v1/check", json=["a list"], headers=keys.auth())
    assert r.status_code == 422
    r = client.post("/v1/check?explain=maybe", json={}, headers=keys.auth())
    assert r.status_code == 422
    assert err(r) | {"details": None} == err(r) | {
        "code": "A003",
        "field": "query.explain",
        "details": None,
    }


def test_text_over_the_model_limit_is_422_e003(client: Any, keys: Keys) -> None:
    r = client.post("/v1/check", json={"text": "x" * 100_001}, headers=keys.auth())
    assert r.status_code == 422
    body = err(r)
    assert (body["code"], body["field"], body["limit"]) == ("E003", "text", 100_000)
    assert "100000" in body["message"]


def test_configured_limits(small_client: tuple[Any, Keys]) -> None:
    client, keys = small_client
    r = client.post("/v1/check", json={"text": "y" * 201}, headers=keys.auth())
    assert r.status_code == 422
    assert (err(r)["code"], err(r)["field"], err(r)["limit"]) == ("E003", "text", 200)
    segments = [{"text": "z" * 150, "start": 0, "end": 1}] * 2
    r = client.post("/v1/check", json={"transcript": segments}, headers=keys.auth())
    assert (r.status_code, err(r)["field"]) == (422, "transcript")
    r = client.post("/v1/check/batch", json={"posts": [{}] * 4}, headers=keys.auth())
    assert r.status_code == 413
    assert (err(r)["code"], err(r)["limit"], err(r)["field"]) == ("A004", 3, "posts")
    # in a batch, a text over the limit is that item's error
    r = client.post(
        "/v1/check/batch",
        json={"posts": [{"text": "y" * 201}, {"text": "#ad"}]},
        headers=keys.auth(),
    )
    reports = r.json()["reports"]
    assert reports[0]["error"]["code"] == "E003"
    assert reports[1]["verdict"] == "pass"


def test_body_over_the_limit_is_413(small_client: tuple[Any, Keys]) -> None:
    client, keys = small_client
    r = client.post("/v1/check", json={"text": "a" * 5_000}, headers=keys.auth())
    assert r.status_code == 413
    assert (err(r)["code"], err(r)["limit"]) == ("A002", 4_000)

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        yield b'{"text": "'
        for _ in range(10):
            yield b"b" * 1_000
        yield b'"}'

    r = client.post(
        "/v1/check", content=chunks(), headers={**keys.auth(), "content-type": "application/json"}
    )
    assert r.status_code == 413
    assert err(r)["code"] == "A002"


def test_unknown_path_and_method(client: Any, keys: Keys) -> None:
    r = client.get("/v2/nothing/<script>", headers=keys.auth())
    assert r.status_code == 404
    assert err(r)["code"] == "A006"
    assert r.headers["content-type"] == "application/json"
    r = client.get("/v1/check", headers=keys.auth())
    assert r.status_code == 405
    assert err(r)["code"] == "A007"


def test_metadata_json_cannot_carry_is_422(client: Any, keys: Keys) -> None:
    r = client.post("/v1/check", json={"metadata": {"n": 2**70}}, headers=keys.auth())
    assert r.status_code == 422
    assert (err(r)["code"], err(r)["field"]) == ("E001", "metadata")


def test_non_json_body_is_a_client_error(client: Any, keys: Keys) -> None:
    r = client.post(
        "/v1/check", content=b"text=hello", headers={**keys.auth(), "content-type": "text/plain"}
    )
    assert 400 <= r.status_code < 500
    assert err(r)["code"]
