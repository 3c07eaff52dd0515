"""Every rule's own examples, the pack's shape, and broken packs failing at load time."""

from pathlib import Path

import pytest
import yaml

from compliance import Checker
from compliance.checks.registry import CHECK_KINDS, CHECKS, NEEDS, rule_needs
from compliance.errors import ComplianceError
from compliance.rules.examples import run_examples
from compliance.rules.pack import default_rules_dir, load_pack_dir

_CHECKER = Checker.from_pack("us-ftc")
_RESULTS = run_examples(_CHECKER)


@pytest.mark.parametrize(
    "result",
    [r for r in _RESULTS if r.kind != "known_gaps"],
    ids=lambda r: f"{r.rule_id}-{r.kind}-{r.index}",
)
def test_rule_example(result) -> None:  # type: ignore[no-untyped-def]
    assert result.ok, f"{result.rule_id} {result.kind}: {result.text!r} -> {result.found}"


def test_check_kinds_are_pinned() -> None:
    assert {
        "connection-without-disclosure",
        "disclosure-term-clarity",
        "disclosure-placement",
        "disclosure-language",
        "disclosure-contradicted",
        "disclosure-obfuscated",
        "connection-nature",
        "affiliate-link-position",
        "amazon-associates-statement",
        "disclosure-channel",
        "claim-phrase",
        "claim-quantity",
        "claim-typicality",
        "required-term",
        "forbidden-term",
    } == CHECK_KINDS
    assert all(callable(f) for f in CHECKS.values())
    assert set(NEEDS) == CHECK_KINDS


def test_claim_rules_run_only_on_posts_with_a_claim_of_their_category() -> None:
    rules = {r.id: r for r in _CHECKER.rules()}
    health = rules["health-claim-unsubstantiated"]
    assert rule_needs(health) == {"claims:health_claim"}
    both = health.model_copy(update={"params": {"categories": ["health_claim", "earnings_claim"]}})
    assert rule_needs(both) == {"claims"}  # a rule of several categories: any claim
    have = frozenset({"claims", "claims_or_quantities", "claims:earnings_claim"})
    ran = {r.id for r in _CHECKER._applicable("instagram", {"text"}, have)}
    assert "earnings-claim" in ran and "typicality-not-disclosed" in ran
    assert "health-claim-unsubstantiated" not in ran and "weight-loss-claim" not in ran
    # and the engine still reports the claim of the category that is there
    report = _CHECKER.check(
        {"text": "I made $5,000 last month working from home!", "material_connection": "paid"}
    )
    assert "earnings-claim" in {f.rule_id for f in report.findings}


def test_every_rule_has_citation_and_both_kinds_of_example() -> None:
    for rule in _CHECKER.rules():
        assert rule.citation and rule.rationale and rule.fix
        assert rule.examples.must_flag and rule.examples.must_not_flag


def _copy_pack(tmp_path: Path) -> Path:
    src = default_rules_dir() / "us-ftc"
    dst = tmp_path / "us-ftc"
    dst.mkdir()
    for f in src.glob("*.yaml"):
        (dst / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    return dst


def test_rule_without_negative_example_fails_to_load(tmp_path: Path) -> None:
    dst = _copy_pack(tmp_path)
    path = dst / "disclosure-missing.yaml"
    data = yaml.safe_load(path.read_text())
    data["examples"]["must_not_flag"] = []
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(ComplianceError) as err:
        load_pack_dir(dst, CHECK_KINDS)
    assert err.value.code == "E107"


def test_unknown_key_and_unknown_check_fail_to_load(tmp_path: Path) -> None:
    dst = _copy_pack(tmp_path)
    path = dst / "disclosure-missing.yaml"
    data = yaml.safe_load(path.read_text())
    data["severty"] = "error"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(ComplianceError) as err:
        load_pack_dir(dst, CHECK_KINDS)
    assert err.value.code == "E102" and "severty" in err.value.message
    del data["severty"]
    data["check"] = "telepathy"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(ComplianceError) as err:
        load_pack_dir(dst, CHECK_KINDS)
    assert err.value.code == "E105"


def test_custom_pack_with_required_and_forbidden_terms(tmp_path: Path) -> None:
    pack = tmp_path / "acme-brand"
    pack.mkdir()
    (pack / "pack.yaml").write_text(
        yaml.safe_dump(
            {
                "name": "acme-brand",
                "version": "1",
                "title": "Acme",
                "jurisdiction": "US",
                "extends": str(default_rules_dir() / "us-ftc"),
            }
        )
    )
    base = {
        "category": "other",
        "severity": "error",
        "confidence": "primary",
        "legal_weight": "heuristic",
        "citation": "Acme brief",
        "message": "{term}",
        "rationale": "brief",
        "fix": "fix it",
    }
    (pack / "acme-required-hashtag.yaml").write_text(
        yaml.safe_dump(
            {
                **base,
                "id": "acme-required-hashtag",
                "title": "Campaign tag",
                "check": "required-term",
                "params": {"pattern": r"#AcmeSummer\b", "insert": "#AcmeSummer"},
                "examples": {
                    "must_flag": [{"post": {"text": "#ad sun"}}],
                    "must_not_flag": [{"post": {"text": "#ad #AcmeSummer sun"}}],
                },
            }
        )
    )
    (pack / "acme-banned-claim.yaml").write_text(
        yaml.safe_dump(
            {
                **base,
                "id": "acme-banned-claim",
                "title": "Banned claim",
                "check": "forbidden-term",
                "params": {"pattern": r"\bcures?\b"},
                "examples": {
                    "must_flag": [{"post": {"text": "#ad it cures all"}}],
                    "must_not_flag": [{"post": {"text": "#ad it is nice"}}],
                },
            }
        )
    )
    checker = Checker.from_pack(str(pack))
    results = [r for r in run_examples(checker) if r.rule_id.startswith("acme-")]
    assert len(results) == 4 and all(r.ok for r in results)
    report = checker.check({"text": "#ad this cures colds"})
    banned = [f for f in report.findings if f.rule_id == "acme-banned-claim"]
    assert banned and report.verdict.value == "fail"
    assert "#ad this cures colds"[banned[0].span.start : banned[0].span.end] == "cures"
