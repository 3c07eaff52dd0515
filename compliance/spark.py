"""The engine inside Apache Spark: a DataFrame of posts in, a DataFrame of reports out.

    from compliance.spark import audit_dataframe
    posts = spark.read.json("s3://bucket/exports/*.jsonl")
    audit_dataframe(posts).write.parquet("s3://bucket/audits/2024-q1/")

Columns named like `Post` fields are the post; other columns travel as metadata, as in every
reader. The Checker is built once on the driver and broadcast (pickled, a few MB), so each
Python worker unpickles it once instead of compiling the rule pack; `mapInPandas` then checks
Arrow batches of posts. A row that is not a valid post gets `error_code` / `error_message`
and no report, and the rest go on. Needs the `spark` extra (pyspark, pandas, pyarrow).
"""

from __future__ import annotations

import math
import pickle
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from compliance.engine import Checker, coerce_post, dumps
from compliance.errors import ComplianceError
from compliance.io.readers import split_record
from compliance.lexicon.watchdog import watchdog

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from pyspark.sql import DataFrame

REPORT_SCHEMA = (
    "id string, verdict string, platform string, language string, connection string, "
    "errors int, warnings int, infos int, categories array<string>, rules array<string>, "
    "report string, error_code string, error_message string"
)
_SEVERITY = {"error": 0, "warning": 1, "info": 2}
_WORKER_CHECKERS: dict[int, Checker] = {}


def _plain(value: Any) -> Any:
    """Arrow / pandas values as the JSON-like values a Post takes (None for missing)."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "tolist") and not isinstance(value, str):  # numpy arrays and scalars
        value = value.tolist()
    if hasattr(value, "isoformat"):  # pandas / datetime timestamps
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if _plain(v) is not None}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def check_records(checker: Checker, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One output row per input record, in order (the body of the Spark function)."""
    out = []
    with watchdog():  # in the worker's main thread: arms; else per-call bounds
        for raw in records:
            record = {k: v for k, v in ((k, _plain(v)) for k, v in raw.items()) if v is not None}
            rid = record.get("id")
            try:
                post = coerce_post(split_record(record))
                report = checker.check_dict(post)
            except ComplianceError as exc:
                out.append(_error_row(rid, exc.code, exc.message))
                continue
            except Exception as exc:  # an engine bug must not fail the Spark stage
                err = ComplianceError("E011", detail=f"{type(exc).__name__}: {exc}")
                out.append(_error_row(rid, err.code, err.message))
                continue
            sev = [0, 0, 0]
            for f in report["findings"]:
                sev[_SEVERITY[f["severity"]]] += 1
            out.append(
                {
                    "id": report["id"],
                    "verdict": report["verdict"],
                    "platform": report["platform"],
                    "language": report["language"]["code"],
                    "connection": report["connection"]["status"],
                    "errors": sev[0],
                    "warnings": sev[1],
                    "infos": sev[2],
                    "categories": sorted({f["category"] for f in report["findings"]}),
                    "rules": sorted({f["rule_id"] for f in report["findings"]}),
                    "report": dumps(report),
                    "error_code": None,
                    "error_message": None,
                }
            )
    return out


def _error_row(rid: Any, code: str, message: str) -> dict[str, Any]:
    return {
        "id": None if rid is None else str(rid),
        "verdict": None,
        "platform": None,
        "language": None,
        "connection": None,
        "errors": None,
        "warnings": None,
        "infos": None,
        "categories": None,
        "rules": None,
        "report": None,
        "error_code": code,
        "error_message": message,
    }


def audit_dataframe(
    posts: DataFrame, pack: str = "us-ftc", checker: Checker | None = None
) -> DataFrame:
    """Check every row of `posts`; returns one row per post (see REPORT_SCHEMA)."""
    import pandas as pd

    checker = checker or Checker.from_pack(pack)
    blob = posts.sparkSession.sparkContext.broadcast(pickle.dumps(checker, protocol=5))
    key = id(blob)

    def run(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        local = _WORKER_CHECKERS.get(key)
        if local is None:  # once per Python worker (Spark reuses workers across tasks)
            local = _WORKER_CHECKERS[key] = pickle.loads(blob.value)
        for batch in batches:
            rows = check_records(local, batch.to_dict("records"))
            yield pd.DataFrame(rows, columns=[c.split()[0] for c in REPORT_SCHEMA.split(", ")])

    return posts.mapInPandas(run, REPORT_SCHEMA)
