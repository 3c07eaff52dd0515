"""`results.sarif` (SARIF 2.1.0) for code-scanning tools: one result per finding, located at
the input file and line of its post, with the post id and character span as a logical location.

Written as a stream (results first, the rule table after them) so a million-post audit never
holds its findings in memory; rule metadata comes from the findings themselves.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from compliance.audit.state import RESULTS
from compliance.audit.summary import iter_index
from compliance.version import __version__

LEVEL = {"error": "error", "warning": "warning", "info": "note"}
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _result(finding: dict[str, Any], post_id: str, uri: str, line: int) -> dict[str, Any]:
    span = finding["span"]
    return {
        "ruleId": finding["rule_id"],
        "level": LEVEL[finding["severity"]],
        "message": {"text": finding["message"]},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": uri},
                    "region": {"startLine": max(1, line)},
                },
                "logicalLocations": [
                    {"name": post_id, "fullyQualifiedName": f"{post_id}/{span['field']}"}
                ],
            }
        ],
        "partialFingerprints": {
            "postFinding/v1": f"{post_id}|{finding['rule_id']}|{span['field']}|{span['start']}"
        },
        "properties": {
            "postId": post_id,
            "field": span["field"],
            "start": span["start"],
            "end": span["end"],
            "category": finding["category"],
            "confidence": finding["confidence"],
            "remedy": finding["remedy"],
            "fixes": finding["fixes"],
        },
    }


def _rule(finding: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": finding["rule_id"],
        "name": finding["rule_id"],
        "shortDescription": {"text": finding["title"]},
        "fullDescription": {"text": finding["rationale"]},
        "help": {"text": f"{finding['citation']}: {finding['rationale']}"},
        "defaultConfiguration": {"level": LEVEL[finding["severity"]]},
        "properties": {
            "category": finding["category"],
            "citation": finding["citation"],
            "legalWeight": finding["legal_weight"],
            "tags": [finding["category"]],
        },
    }


def write_sarif(out: Path, input_uris: list[str], path: Path) -> int:
    """Stream every finding of `results.jsonl` into `path`; returns the number of results."""
    rules: dict[str, dict[str, Any]] = {}
    n = 0
    tmp = path.with_suffix(".sarif.tmp")
    with tmp.open("wb") as dst, (out / RESULTS).open("rb") as results:
        dst.write(b'{"$schema":"' + SCHEMA.encode() + b'","version":"2.1.0","runs":[{"results":[')
        for rec, line in zip(iter_index(out), results, strict=False):
            report = orjson.loads(line)
            uri = input_uris[rec["src"]] if rec["src"] < len(input_uris) else ""
            for finding in report["findings"]:
                rules.setdefault(finding["rule_id"], _rule(finding))
                if n:
                    dst.write(b",")
                dst.write(orjson.dumps(_result(finding, report["id"], uri, rec["line"])))
                n += 1
        driver = {
            "name": "compliance-checker",
            "version": __version__,
            "semanticVersion": __version__,
            "rules": [rules[k] for k in sorted(rules)],
        }
        dst.write(b'],"tool":{"driver":' + orjson.dumps(driver) + b"}}]}")
    tmp.replace(path)
    return n
