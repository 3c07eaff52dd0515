"""The engine inside Spark (local mode): the same reports as the engine gives, row for row."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from compliance import Checker
from compliance.io.readers import split_record

from .conftest import labeled_records

pyspark = pytest.importorskip("pyspark", reason="needs the spark extra")
pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def spark() -> Iterator[object]:
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("needs a Java runtime")
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("compliance-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def test_audit_dataframe_matches_the_engine(
    spark: object, checker: Checker, tmp_path: Path
) -> None:
    from compliance.spark import audit_dataframe

    keep = ("id", "text", "platform", "material_connection", "language")
    posts = [{k: r[k] for k in keep if k in r} for r in labeled_records()[:120]]
    for p in posts:  # one type per column, as a data lake holds it
        mc = p.get("material_connection")
        p["material_connection"] = [mc] if isinstance(mc, str) else mc
        p["creator"] = "mia"  # not a Post field: travels as metadata
    posts.append({"id": "bad-1", "text": "x", "platform": "myspace", "creator": "zed"})
    src = tmp_path / "posts.jsonl"
    src.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in posts))

    frame = spark.read.json(str(src))  # type: ignore[attr-defined]
    rows = {r["id"]: r for r in audit_dataframe(frame, checker=checker).collect()}

    assert len(rows) == len(posts)
    bad = rows.pop("bad-1")
    assert bad["error_code"] == "E001" and "platform" in bad["error_message"]
    assert bad["report"] is None
    for post in posts[:-1]:
        row = rows[post["id"]]
        record = {k: v for k, v in post.items() if v is not None}
        expected = checker.check_json(split_record(record))
        assert row["report"] == expected, post["id"]
        report = json.loads(expected)
        assert row["verdict"] == report["verdict"]
        assert row["errors"] == sum(f["severity"] == "error" for f in report["findings"])
        assert json.loads(row["report"])["metadata"] == {"creator": "mia"}
    verdicts = {r["verdict"] for r in rows.values()}
    assert {"pass", "fail"} <= verdicts
