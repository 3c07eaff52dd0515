"""Audit jobs over the API: upload, progress, streamed results, report, tenancy, restart."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from compliance import Checker
from compliance.audit.cache import cache_key, store
from compliance.audit.jobs import JobStore
from tests.api.conftest import Keys

EXPORTS = Path(__file__).resolve().parents[2] / "fixtures" / "exports"


@pytest.fixture(scope="module", autouse=True)
def audit_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Jobs in a temporary folder; the audit processes load the rule pack from a warm cache."""
    root = tmp_path_factory.mktemp("audits")
    cache = tmp_path_factory.mktemp("cache")
    saved = {k: os.environ.get(k) for k in ("COMPLIANCE_AUDIT_DIR", "COMPLIANCE_CACHE_DIR")}
    os.environ["COMPLIANCE_AUDIT_DIR"] = str(root)
    os.environ["COMPLIANCE_CACHE_DIR"] = str(cache)
    assert store(Checker.from_pack("us-ftc"), cache / f"checker-{cache_key('us-ftc')}.pickle")
    yield root
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def wait_done(client: TestClient, job_id: str, auth: dict[str, str]) -> dict:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        job = client.get(f"/v1/audits/{job_id}", headers=auth).json()
        if job["state"] in ("done", "failed"):
            return job
        time.sleep(0.2)
    raise AssertionError(f"audit job {job_id} did not finish: {job}")


def big_jsonl(n: int) -> bytes:
    lines = [
        json.dumps({"id": f"p{i}", "text": f"Use code MIA{i} @glowlab", "platform": "instagram"})
        for i in range(n)
    ]
    return ("\n".join(lines) + "\n").encode()


def test_upload_follow_stream_and_read_the_report(client: TestClient, keys: Keys) -> None:
    auth = keys.auth("submitter")
    body = (EXPORTS / "campaign.csv").read_bytes()
    created = client.post("/v1/audits?filename=campaign.csv", content=body, headers=auth)
    assert created.status_code == 202, created.text
    job = created.json()
    assert job["state"] in ("queued", "running") and job["input"] == "campaign.csv"

    done = wait_done(client, job["id"], auth)
    assert done["state"] == "done", done
    assert done["progress"]["rows_done"] == done["progress"]["total"] == 4
    assert done["progress"]["fraction"] == 1.0 and sum(done["verdicts"].values()) == 4

    results = client.get(done["links"]["results"], headers=keys.auth("reviewer"))
    assert results.status_code == 200
    assert results.headers["content-type"].startswith("application/x-ndjson")
    ids = [json.loads(x)["id"] for x in results.text.splitlines()]
    assert ids == ["c-001", "c-002", "c-003", "c-004"]

    report = client.get(done["links"]["report"], headers=auth)
    assert report.status_code == 200 and report.headers["content-type"].startswith("text/html")
    assert "By creator" in report.text and "<script" not in report.text

    other = keys.auth("other_admin")  # another organisation sees nothing of it
    for path in (f"/v1/audits/{job['id']}", done["links"]["results"], done["links"]["report"]):
        response = client.get(path, headers=other)
        assert response.status_code == 404 and response.json()["error"]["code"] == "A201"


def test_bad_uploads_are_coded_4xx(client: TestClient, keys: Keys) -> None:
    auth = keys.auth("submitter")
    empty = client.post("/v1/audits", headers=auth)  # an empty file: an empty audit
    assert empty.status_code == 202
    nothing = wait_done(client, empty.json()["id"], auth)
    assert nothing["state"] == "done" and nothing["progress"]["total"] is None
    no_text = client.post("/v1/audits?filename=x.csv", content=b"a,b\n1,2\n", headers=auth)
    assert no_text.status_code == 202  # the job finds out what the file holds
    failed = wait_done(client, no_text.json()["id"], auth)
    assert failed["state"] == "failed" and failed["error"]["code"] == "E006"
    assert "--column text=COLUMN" in failed["error"]["message"]
    fmt = client.post("/v1/audits?format=myspace", content=b"{}", headers=auth)
    assert fmt.status_code == 422 and fmt.json()["error"]["field"] == "query.format"
    ref = client.post("/v1/audits?reference=../../etc/passwd", content=b"x", headers=auth)
    assert ref.status_code == 404 and ref.json()["error"]["code"] == "A204"
    assert client.post("/v1/audits", content=b"{}").status_code == 401
    unknown = client.get("/v1/audits/" + "0" * 32, headers=auth)
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "A201"


def test_jobs_survive_a_restart_and_unfinished_ones_run(
    client: TestClient, keys: Keys, audit_env: Path
) -> None:
    # a job written by a service that stopped before running it
    before = JobStore(audit_env)
    job = before.create("acme", "posts.jsonl", data=big_jsonl(3000))
    auth = keys.auth("submitter")
    early = client.get(f"/v1/audits/{job.id}/report", headers=auth)
    assert early.status_code == 409 and early.json()["error"]["code"] == "A202"

    # the service (a new process would do the same) finds it, runs it, resumes it if needed
    done = wait_done(client, job.id, auth)
    assert done["state"] == "done" and done["progress"]["checked"] == 3000

    after = JobStore(audit_env)  # another restart: everything is still there
    again = after.get(job.id, "acme")
    assert again is not None and again.state == "done"
    path, size = after.durable_results(again)
    assert size == path.stat().st_size and len(path.read_bytes().splitlines()) == 3000
    assert after.get(job.id, "globex") is None
