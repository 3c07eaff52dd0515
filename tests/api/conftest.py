"""Fixtures of the service tests: a real SQLite database in a temporary directory, the app in
FastAPI's test client, keys of every role, and a real uvicorn server on 127.0.0.1."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

with warnings.catch_warnings():  # this Starlette suggests another HTTP package; httpx works
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from api import create_app
from api.settings import Settings
from compliance.store.db import Database
from compliance.store.keys import create_key


@dataclass(frozen=True)
class Keys:
    submitter: str
    reviewer: str
    admin: str
    other_admin: str  # another organisation

    def auth(self, role: str = "submitter") -> dict[str, str]:
        return {"Authorization": f"Bearer {getattr(self, role)}"}


def make_keys(db: Database) -> Keys:
    return Keys(
        submitter=create_key(db, "acme", "submitter")[0],
        reviewer=create_key(db, "acme", "reviewer")[0],
        admin=create_key(db, "acme", "admin", name="ops")[0],
        other_admin=create_key(db, "globex", "admin")[0],
    )


@pytest.fixture(scope="session")
def db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('data') / 'compliance.db'}"


@pytest.fixture(scope="session")
def client(db_url: str) -> Iterator[TestClient]:
    app = create_app(Settings(database_url=db_url, key_cache_seconds=0))
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def keys(client: TestClient, db_url: str) -> Keys:
    return make_keys(client.app.state.services.db)  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def small_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, Keys]]:
    """An app with small limits, to reach every limit cheaply."""
    url = f"sqlite:///{tmp_path_factory.mktemp('small') / 'c.db'}"
    settings = Settings(
        database_url=url,
        key_cache_seconds=0,
        max_body_bytes=4_000,
        max_text_chars=200,
        max_batch_posts=3,
    )
    with TestClient(create_app(settings)) as test_client:
        yield test_client, make_keys(test_client.app.state.services.db)  # type: ignore[attr-defined]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass(frozen=True)
class Server:
    url: str
    data_dir: Path
    env: dict[str, str]


def compliance_cmd(*args: str) -> list[str]:
    return [sys.executable, "-c", "from compliance.cli import main; main()", *args]


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`compliance serve` as a real process on a free loopback port, stopped after the session."""
    data_dir = tmp_path_factory.mktemp("served")
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMPLIANCE_")}
    env["COMPLIANCE_DATA_DIR"] = str(data_dir)
    env["COMPLIANCE_KEY_CACHE_SECONDS"] = "0"
    port = free_port()
    proc = subprocess.Popen(
        compliance_cmd("serve", "--port", str(port), "--no-access-log"),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    try:
        while True:
            if proc.poll() is not None:
                out = proc.stdout.read().decode() if proc.stdout else ""
                raise RuntimeError(f"server exited with {proc.returncode}:\n{out}")
            try:
                if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("server did not start in 90 s")
            time.sleep(0.2)
        yield Server(url=url, data_dir=data_dir, env=env)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        if proc.stdout:
            proc.stdout.close()


@pytest.fixture(scope="session")
def server_keys(server: Server) -> Keys:
    db = Database(f"sqlite:///{server.data_dir / 'compliance.db'}")
    try:
        return make_keys(db)
    finally:
        db.dispose()
