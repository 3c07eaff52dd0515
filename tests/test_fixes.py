"""Applying a failing post's fixes yields a post with no text disclosure error."""

from compliance import Checker
from compliance.fixes import apply_fixes, collect_fixes
from compliance.io.readers import split_record
from tests.conftest import labeled_records

TEXT_FIXABLE = {
    "missing_disclosure",
    "ambiguous_disclosure",
    "buried_disclosure",
    "below_fold",
    "wrong_language",
}
LABEL_FIELDS = ("verdict", "labels", "reason")


def _errors(report) -> list:  # type: ignore[no-untyped-def]
    return [
        f
        for f in report.findings
        if f.severity.value == "error" and f.category.value in TEXT_FIXABLE
    ]


def test_fixes_clear_text_disclosure_errors(checker: Checker) -> None:
    tried = 0
    for rec in labeled_records():
        post = split_record({k: v for k, v in rec.items() if k not in LABEL_FIELDS})
        report = checker.check(post)
        if not _errors(report):
            continue
        fixes = collect_fixes(report)
        assert fixes, f"{rec['id']}: error findings without a fix"
        fixed_text = apply_fixes(post["text"], fixes)
        again = checker.check({**post, "text": fixed_text})
        assert not _errors(again), (rec["id"], fixed_text, [f.rule_id for f in _errors(again)])
        tried += 1
    assert tried >= 30


def test_fix_offsets_are_into_the_original(checker: Checker) -> None:
    text = "New drop 🔥🔥 from @kicks #sp"
    report = checker.check({"text": text, "platform": "instagram", "material_connection": "paid"})
    fix = next(f for f in report.findings if f.rule_id == "disclosure-ambiguous-term").fixes[0]
    assert text[fix.start : fix.end] == "#sp"
    assert apply_fixes(text, [fix]).endswith("#sponsored")
