import pytest

from compliance import Checker, ComplianceError


def _ids(report) -> list[str]:  # type: ignore[no-untyped-def]
    return [f.rule_id for f in report.findings]


def test_spans_point_into_the_original_text(checker: Checker) -> None:
    text = (
        "𝐍𝐞𝐰 drop 🔥 from @kicks ✨ Nothing beats a slow walk after a long week.\n"
        "More photos soon, so many pieces I want from the new season.\nStay tuned!\n#ad"
    )
    report = checker.check(
        {"id": "s", "platform": "instagram", "text": text, "material_connection": "paid"}
    )
    below = [f for f in report.findings if f.rule_id == "disclosure-below-fold"]
    assert below
    assert text[below[0].span.start : below[0].span.end] == "#ad"
    assert report.disclosures[0].text == "#ad"


def test_same_input_same_bytes(checker: Checker) -> None:
    post = {"id": "d", "platform": "tiktok", "text": "Use code MIA20 for 20% off @glow #sp"}
    assert checker.check(post).model_dump_json() == checker.check(post).model_dump_json()


def test_declared_none_silences_inference(checker: Checker) -> None:
    post = {"id": "n", "platform": "instagram", "text": "Use code MIA20 for 20% off @glowshop"}
    assert "disclosure-missing" in _ids(checker.check(post))
    assert _ids(checker.check({**post, "material_connection": "none"})) == []


def test_inferred_connection_is_a_warning_declared_is_an_error(checker: Checker) -> None:
    post = {"id": "i", "platform": "instagram", "text": "Use code MIA20 for 20% off @glowshop"}
    inferred = checker.check(post)
    declared = checker.check({**post, "material_connection": "affiliate"})
    assert inferred.verdict.value == "needs_review" and inferred.connection.status == "inferred"
    assert declared.verdict.value == "fail"


def test_own_clear_label_makes_placement_an_error_without_declared_facts(checker: Checker) -> None:
    text = (
        "Golden hour in the city. Nothing beats a slow evening walk after a long week. "
        "Loving the new season collection, so many pieces I want. More soon! #ad"
    )
    report = checker.check({"id": "x", "platform": "instagram", "text": text})
    assert report.verdict.value == "fail"
    assert "disclosure-below-fold" in _ids(report)


def test_metadata_travels(checker: Checker) -> None:
    report = checker.check({"id": "m", "text": "hello", "metadata": {"creator": "mia"}})
    assert report.metadata == {"creator": "mia"}


@pytest.mark.parametrize(
    "post,field",
    [
        ({"text": "x", "platform": "myspace"}, "platform"),
        ({"text": "x", "material_connection": "bribe"}, "material_connection"),
        ({"text": "x", "colour": "red"}, "colour"),
        ({"text": 5}, "text"),
    ],
)
def test_bad_post_is_a_coded_error_naming_the_field(checker: Checker, post, field) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ComplianceError) as err:
        checker.check(post)
    assert err.value.code == "E001"
    assert field in err.value.message


def test_text_size_is_bounded(checker: Checker) -> None:
    with pytest.raises(ComplianceError) as err:
        checker.check({"text": "a" * 100_001})
    assert err.value.code == "E001" and "text" in err.value.message


def test_adversarial_text_finishes(checker: Checker) -> None:
    nasty = ("#" * 5000) + ("a " * 20000) + ("@" * 3000) + ("sponsored by " * 500)
    report = checker.check({"id": "big", "text": nasty[:100_000], "material_connection": "paid"})
    assert report.id == "big"


def test_language_detected_and_wrong_language_flagged(checker: Checker) -> None:
    text = (
        "Rutinitas pagi aku pakai serum dari @glowlab, teksturnya ringan dan cepat meresap "
        "ke kulit, aku suka banget #ad"
    )
    report = checker.check(
        {"id": "l", "platform": "instagram", "text": text, "material_connection": "paid"}
    )
    assert report.language.code == "id"
    wrong = [f for f in report.findings if f.rule_id == "disclosure-wrong-language"]
    assert wrong and wrong[0].fixes[0].replacement.startswith(("#iklan", "Iklan", "iklan"))


def test_negatives_do_not_flag(checker: Checker) -> None:
    for text in (
        "Bad day at work, need headphones #adidas #adventure #adulting",
        "I sponsored a child through school this year",
        "My partner and I finally adopted a dog! #adopt",
        "Wrote some code today, learning Python",
        "Thanks mum for the birthday gift 🎁",
    ):
        report = checker.check({"id": "neg", "platform": "instagram", "text": text})
        assert report.verdict.value == "pass", (text, _ids(report))


def test_batch_json_is_byte_identical_to_the_validated_report(checker: Checker) -> None:
    from tests.conftest import labeled_records

    for rec in labeled_records():
        post = {k: v for k, v in rec.items() if k not in ("verdict", "labels", "reason")}
        assert checker.check_json(post) == checker.check(post).model_dump_json(), rec["id"]
