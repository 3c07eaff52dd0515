"""The review queue on PostgreSQL: the migrations, the append-only log, and the claim race
(two reviewers claiming the same item at once; reviewers claiming "next" at once), with real
concurrent connections. `FOR UPDATE SKIP LOCKED` keeps every item with one reviewer."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from compliance.store import review
from compliance.store.db import Database
from compliance.store.keys import create_key
from compliance.store.people import Actor, create_organisation
from compliance.store.review import ReviewError
from compliance.store.roles import Role
from tests.api.pg import postgres_server

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def pg() -> Iterator[Database]:
    with postgres_server() as url:
        db = Database(url)
        db.migrate()
        try:
            yield db
        finally:
            db.dispose()


def report(verdict: str = "fail") -> dict[str, Any]:
    return {
        "verdict": verdict,
        "platform": "instagram",
        "findings": [{"category": "missing_disclosure", "severity": "error"}],
        "pack": {"name": "us-ftc", "version": "test"},
        "engine_version": "test",
    }


def actors(db: Database, org: str, n: int) -> list[Actor]:
    org_id, _ = create_organisation(db, org)
    return [Actor(org_id, org, f"reviewer{i}@{org}", Role.reviewer) for i in range(n)]


def race(fns: list[Any]) -> list[Any]:
    """Run the callables at the same instant in threads; their results or exceptions."""
    barrier = threading.Barrier(len(fns))
    out: list[Any] = [None] * len(fns)

    def run(i: int) -> None:
        barrier.wait()
        try:
            out[i] = fns[i]()
        except Exception as exc:
            out[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(fns))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


def test_migrated_and_keys_work(pg: Database) -> None:
    assert pg.ping()
    key, info = create_key(pg, "pg-org", "reviewer")
    assert info.organisation == "pg-org" and key.startswith("cck_")


def test_two_reviewers_claiming_one_item_get_it_once(pg: Database) -> None:
    a, b = actors(pg, "race-one", 2)
    for _ in range(20):
        sub = review.submit(pg, a, {"id": "p", "text": "x"}, report())
        results = race([lambda s=sub.id, r=r: review.claim(pg, r, s) for r in (a, b)])
        won = [r for r in results if isinstance(r, review.SubmissionRow)]
        lost = [r for r in results if isinstance(r, ReviewError)]
        assert len(won) == 1 and len(lost) == 1, results
        assert lost[0].kind == "conflict"
        assert review.get(pg, a, sub.id).assignee == won[0].assignee
        claims = [e for e in review.history(pg, a, sub.id) if e.action == "claimed"]
        assert len(claims) == 1


def test_reviewers_claiming_next_get_distinct_items(pg: Database) -> None:
    reviewers = actors(pg, "race-next", 6)
    ids = {
        review.submit(pg, reviewers[0], {"id": f"p{i}", "text": "x"}, report()).id for i in range(4)
    }
    results = race([lambda r=r: review.claim_next(pg, r) for r in reviewers])
    assert not [r for r in results if isinstance(r, Exception)], results
    got = [r.id for r in results if r is not None]
    assert sorted(got) == sorted(ids)  # every item once, and two reviewers got none
    assert results.count(None) == 2


def test_tenants_and_append_only_log(pg: Database) -> None:
    (mine,) = actors(pg, "tenant-a", 1)
    (theirs,) = actors(pg, "tenant-b", 1)
    sub = review.submit(pg, mine, {"id": "p", "text": "x"}, report())
    with pytest.raises(ReviewError) as err:
        review.claim(pg, theirs, sub.id)
    assert err.value.kind == "not_found"
    assert review.queue(pg, theirs, review.QueueFilter(state="all"))[1] == 0
    with pytest.raises(sa.exc.DatabaseError, match="append-only"), pg.engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM audit_log"))
