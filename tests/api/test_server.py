"""The service as `compliance serve` runs it: a real uvicorn process on 127.0.0.1."""

from __future__ import annotations

import socket
import subprocess

import httpx

from tests.api.conftest import Keys, Server, compliance_cmd

POST = {
    "id": "live-1",
    "platform": "instagram",
    "text": "Loving my new serum from @glowlab! Use code MIA20 for 20% off",
}


def test_check_over_http(server: Server, server_keys: Keys) -> None:
    with httpx.Client(base_url=server.url, headers=server_keys.auth()) as http:
        r = http.post("/v1/check", json=POST)
        assert r.status_code == 200
        assert r.json()["id"] == "live-1"
        batch = http.post("/v1/check/batch", json={"posts": [POST, {"platform": 1}]}).json()
        assert [x.get("verdict") for x in batch["reports"]] == [r.json()["verdict"], None]
        assert http.get("/readyz").json()["database"] == "ok"
        assert http.get("/v1/rules").status_code == 200


def test_key_created_by_the_cli_works_at_once(server: Server) -> None:
    out = subprocess.run(
        compliance_cmd("keys", "create", "--org", "live", "--role", "reviewer"),
        env=server.env,
        capture_output=True,
        text=True,
        check=True,
    )
    key = out.stdout.strip().splitlines()[-1]
    r = httpx.post(server.url + "/v1/check", json=POST, headers={"Authorization": f"Bearer {key}"})
    assert r.status_code == 200
    assert httpx.post(server.url + "/v1/check", json=POST).status_code == 401


def test_oversized_body_is_refused_before_it_is_read(server: Server, server_keys: Keys) -> None:
    """A declared Content-Length over the limit gets 413 at once, without sending the body."""
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        conn.sendall(
            b"POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + f"Authorization: Bearer {server_keys.submitter}\r\n".encode()
            + b"Content-Length: 50000000\r\n\r\n"
        )
        received = b""
        while chunk := conn.recv(4096):  # the server closes the connection after the answer
            received += chunk
        head = received.decode("latin-1")
    assert head.startswith("HTTP/1.1 413")
    assert '"A002"' in head


def test_hostile_text_comes_back_as_json_only(server: Server, server_keys: Keys) -> None:
    hostile = {"id": "<script>alert(1)</script>", "text": "<img src=x onerror=alert(1)> #ad"}
    r = httpx.post(server.url + "/v1/check", json=hostile, headers=server_keys.auth())
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    r = httpx.get(server.url + "/<script>alert(1)</script>")
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/json"
