import json
from pathlib import Path

import pytest

from compliance import Checker, ComplianceError
from compliance.evaluation import Counts, evaluate, gold_categories


def test_counts() -> None:
    c = Counts()
    for gold, pred in [(True, True), (True, False), (False, True), (False, False), (True, True)]:
        c.add(gold, pred)
    assert (c.tp, c.fp, c.fn, c.tn) == (2, 1, 1, 1)
    assert c.precision == pytest.approx(2 / 3) and c.recall == pytest.approx(2 / 3)


def test_label_mapping() -> None:
    assert gold_categories(["ambiguous_term", "fake_review", "disclosure_ok"]) == {
        "ambiguous_disclosure",
        "review_integrity",
    }


def test_evaluate_small_corpus(tmp_path: Path, checker: Checker) -> None:
    rows = [
        {
            "id": "1",
            "text": "New kicks @stridelab #sp",
            "platform": "instagram",
            "material_connection": "paid",
            "verdict": "inadequate",
            "labels": ["ambiguous_term"],
        },
        {
            "id": "2",
            "text": "#ad New kicks @stridelab",
            "platform": "instagram",
            "material_connection": "paid",
            "verdict": "adequate",
            "labels": ["disclosure_ok"],
        },
        {
            "id": "3",
            "text": "Sunset walk",
            "platform": "instagram",
            "material_connection": "paid",
            "verdict": "adequate",
            "labels": ["disclosure_ok"],
        },
    ]
    path = tmp_path / "c.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows))
    result = evaluate(checker, [path])
    d = result.disclosure
    assert (d.tp, d.fp, d.fn, d.tn) == (1, 1, 0, 1)  # post 3: declared paid, no label -> flagged
    assert result.categories["ambiguous_disclosure"].tp == 1


def test_bad_corpus_line(tmp_path: Path, checker: Checker) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text('{"id": "1", "text": "x"}\n')
    with pytest.raises(ComplianceError) as err:
        evaluate(checker, [path])
    assert err.value.code == "E201"
