import json
from pathlib import Path

from typer.testing import CliRunner

from compliance.cli import app

runner = CliRunner()


def test_jsonl_in_order_with_ids_bad_line_reported(tmp_path: Path) -> None:
    src = tmp_path / "posts.jsonl"
    src.write_text(
        '{"id": "a", "text": "#ad hello", "platform": "instagram", "creator": "mia"}\n'
        '{"id": "b", "text": "broken\n'
        '{"id": "c", "text": "Use code MIA20 for 20% off @glowshop", "platform": "tiktok"}\n'
        '{"id": "d", "text": "x", "platform": "myspace"}\n'
    )
    result = runner.invoke(app, ["check", str(src), "--format", "jsonl"])
    lines = [json.loads(x) for x in result.stdout.splitlines()]
    assert [x.get("id") for x in lines] == ["a", None, "c", "d"]
    assert lines[0]["metadata"] == {"creator": "mia"} and lines[0]["verdict"] == "pass"
    assert lines[1]["error"]["code"] == "E002" and lines[1]["line"] == 2
    assert lines[2]["verdict"] == "needs_review"
    assert lines[3]["error"]["code"] == "E001" and "platform" in lines[3]["error"]["message"]


def test_plain_text_human_output_and_fail_on() -> None:
    result = runner.invoke(
        app,
        [
            "check",
            "New kicks @stridelab #collab",
            "--connection",
            "paid",
            "--platform",
            "instagram",
            "--fail-on",
            "error",
        ],
    )
    assert result.exit_code == 1
    assert "disclosure-ambiguous-term" in result.stdout and "#collab" in result.stdout
    ok = runner.invoke(app, ["check", "#ad New kicks", "--fail-on", "error"])
    assert ok.exit_code == 0


def test_rules_commands() -> None:
    listed = runner.invoke(app, ["rules", "list"])
    assert listed.exit_code == 0 and "disclosure-below-fold" in listed.stdout
    shown = runner.invoke(app, ["rules", "show", "disclosure-missing"])
    assert json.loads(shown.stdout)["citation"].startswith("16 CFR 255.5")
    missing = runner.invoke(app, ["rules", "show", "no-such-rule"])
    assert missing.exit_code == 2
    tested = runner.invoke(app, ["rules", "test"])
    assert tested.exit_code == 0 and " 0 failed" in tested.stdout


def test_unknown_pack_is_a_coded_error() -> None:
    result = runner.invoke(app, ["check", "hi", "--jurisdiction", "atlantis"])
    assert result.exit_code == 2 and "E101" in result.output
