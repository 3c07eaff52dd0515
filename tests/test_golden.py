"""Golden reports: the full serialised report of every labeled fixture is checked in.

A change in behaviour shows up as a diff of fixtures/golden/*.jsonl; rewrite them with
`pytest --update-golden` and review the diff like code.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from compliance import Checker
from compliance.io.readers import split_record
from tests.conftest import LABELED, ROOT

GOLDEN = ROOT / "fixtures" / "golden"
LABEL_FIELDS = ("verdict", "labels", "reason")


def _reports(checker: Checker, path: Path) -> list[str]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            rec = json.loads(line)
            post = split_record({k: v for k, v in rec.items() if k not in LABEL_FIELDS})
            out.append(checker.check(post).model_dump_json())
    return out


@pytest.mark.parametrize("path", LABELED, ids=lambda p: p.stem)
def test_golden_reports(path: Path, checker: Checker, request: pytest.FixtureRequest) -> None:
    golden = GOLDEN / path.name
    current = _reports(checker, path)
    if request.config.getoption("--update-golden") or not golden.exists():
        GOLDEN.mkdir(parents=True, exist_ok=True)
        golden.write_text("\n".join(current) + "\n", encoding="utf-8")
        if not request.config.getoption("--update-golden"):
            pytest.fail(f"{golden} was missing and has been written; review and commit it")
        return
    expected = golden.read_text(encoding="utf-8").splitlines()
    assert len(expected) == len(current), "number of posts changed; run --update-golden"
    for want, got in zip(expected, current, strict=True):
        if want != got:
            w, g = json.loads(want), json.loads(got)
            changed = sorted(k for k in w if w.get(k) != g.get(k))
            pytest.fail(
                f"report for {w['id']} changed in {changed}; "
                f"verdict {w['verdict']} -> {g['verdict']}; run --update-golden and "
                "review the diff"
            )
