from __future__ import annotations

import json
from pathlib import Path

import pytest

from compliance import Checker

ROOT = Path(__file__).resolve().parent.parent
LABELED = sorted((ROOT / "fixtures" / "labeled").glob("*.jsonl"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite fixtures/golden from the current engine (review the diff)",
    )


@pytest.fixture(scope="session")
def checker() -> Checker:
    return Checker.from_pack("us-ftc")


def labeled_records() -> list[dict]:
    out = []
    for path in LABELED:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                out.append(json.loads(line))
    return out
