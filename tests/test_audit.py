"""Batch audits: outputs, bad lines, parallel = sequential, resume after a real kill, reports."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from compliance import Checker
from compliance.audit import AuditOptions, audit
from compliance.audit.cache import cache_key, cached_checker, store
from compliance.audit.html import highlight
from compliance.audit.runner import open_run
from compliance.audit.summary import time_buckets
from compliance.cli import app
from compliance.errors import ComplianceError
from compliance.io.readers import split_record

from .conftest import ROOT, labeled_records

EXPORTS = ROOT / "fixtures" / "exports"
LABEL_FIELDS = {"verdict", "labels", "reason"}
runner = CliRunner()


@pytest.fixture(scope="module", autouse=True)
def checker_cache(tmp_path_factory: pytest.TempPathFactory, checker: Checker) -> Iterator[Path]:
    """A private cache holding this session's Checker: every `compliance audit` started by
    these tests (in-process or as a subprocess, which inherits the variable) loads it."""
    folder = tmp_path_factory.mktemp("cache")
    before = os.environ.get("COMPLIANCE_CACHE_DIR")
    os.environ["COMPLIANCE_CACHE_DIR"] = str(folder)
    assert store(checker, folder / f"checker-{cache_key('us-ftc')}.pickle")
    yield folder
    if before is None:
        del os.environ["COMPLIANCE_CACHE_DIR"]
    else:
        os.environ["COMPLIANCE_CACHE_DIR"] = before


def test_a_cached_checker_writes_the_reports_a_built_one_writes(checker: Checker) -> None:
    loaded, hit = cached_checker("us-ftc")
    assert hit and loaded is not checker
    posts = [{k: v for k, v in r.items() if k not in LABEL_FIELDS} for r in labeled_records()]
    assert [loaded.check_json(split_record(p)) for p in posts] == [
        checker.check_json(split_record(p)) for p in posts
    ]


def test_cache_key_follows_the_rules(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    key = cache_key("us-ftc", rules)
    assert cache_key("us-ftc", rules) == key
    rule = next((rules / "us-ftc").glob("*.yaml"))
    rule.write_text(rule.read_text() + "\n")
    assert cache_key("us-ftc", rules) != key
    with pytest.raises(ComplianceError) as exc:
        cache_key("atlantis", rules)
    assert exc.value.code == "E101"


def corpus(path: Path, n: int) -> list[dict]:
    """n posts cycled from the labeled fixtures, unique ids, labels removed."""
    base = [{k: v for k, v in r.items() if k not in LABEL_FIELDS} for r in labeled_records()]
    posts = []
    for i in range(n):
        post = dict(base[i % len(base)])
        post["id"] = f"post-{i:05d}"
        post["author"] = f"creator{i % 7}"
        post["published_at"] = f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}T12:00:00Z"
        posts.append(post)
    path.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in posts))
    return posts


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def test_outputs_bad_lines_and_hostile_text(tmp_path: Path, checker: Checker) -> None:
    good = [
        {"id": "a", "text": "Love this serum! Use code MIA20 @glowlab", "platform": "instagram"},
        {
            "id": "c",
            "text": "<script>alert('x')</script> New kicks @stridelab #collab",
            "platform": "x",
            "material_connection": "paid",
            "author": "<img src=x onerror=alert(1)>",
        },
        {"id": "e", "text": "Sunday hike, no sponsor", "platform": "instagram", "tier": "gold"},
    ]
    src = tmp_path / "posts.jsonl"
    src.write_text(
        json.dumps(good[0])
        + "\n"
        + '{"id": "b", "text": "broken\n'
        + json.dumps(good[1])
        + "\n"
        + '{"id": "d", "text": "x", "platform": "myspace"}\n'
        + "\n"
        + json.dumps(good[2])
        + "\n"
        + "[1, 2]\n"
    )
    out = tmp_path / "out"
    run, summary = audit([src], out, AuditOptions(workers=1), checker=checker, sarif=True)
    assert summary is not None and run.state.complete

    lines = (out / "results.jsonl").read_text(encoding="utf-8").splitlines()
    assert lines == [
        checker.check_json(split_record(p)) for p in good
    ]  # the engine's own bytes, in order
    assert json.loads(lines[2])["metadata"] == {"tier": "gold"}
    errors = read_jsonl(out / "errors.jsonl")
    assert [(e["line"], e["code"]) for e in errors] == [(2, "E002"), (4, "E001"), (7, "E001")]
    assert errors[1]["id"] == "d" and "platform" in errors[1]["reason"]
    assert all(e["input"] == "posts.jsonl" for e in errors)
    assert summary.checked == 3 and summary.bad == 3

    with (out / "summary.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["id"] for r in rows] == ["a", "c", "e"]
    assert [r["line"] for r in rows] == ["1", "3", "6"]
    assert rows[0]["verdict"] == json.loads(lines[0])["verdict"]
    assert rows[1]["verdict"] == "fail" and rows[1]["author"] == "<img src=x onerror=alert(1)>"

    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "&lt;script&gt;alert(" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html  # the creator chart's label
    assert re.search(r"<(script|img|link|iframe|object)\b", html) is None  # nothing fetched
    assert "<svg" in html and "http://" not in html.replace("http://www.w3.org", "")

    sarif = json.loads((out / "results.sarif").read_text(encoding="utf-8"))
    findings = sum(len(json.loads(x)["findings"]) for x in lines)
    results = sarif["runs"][0]["results"]
    assert sarif["version"] == "2.1.0" and len(results) == findings > 0
    rule_ids = {r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert {r["ruleId"] for r in results} == rule_ids
    loc = results[0]["locations"][0]
    assert loc["physicalLocation"]["region"]["startLine"] in (1, 3, 6)


def test_parallel_workers_write_what_one_process_writes(tmp_path: Path, checker: Checker) -> None:
    src = tmp_path / "posts.jsonl"
    corpus(src, 900)
    one, two = tmp_path / "one", tmp_path / "two"
    single, _ = audit([src], one, AuditOptions(workers=1, chunk_size=64), checker=checker)
    assert single.pids == {os.getpid()}  # one worker: checked in this process
    opts = AuditOptions(workers=2, chunk_size=64, recycle_chunks=4)
    run, summary = audit([src], two, opts, checker=checker)
    assert summary is not None and summary.checked == 900
    assert os.getpid() not in run.pids and len(run.pids) > 2  # pools replaced every 4 chunks
    assert (one / "results.jsonl").read_bytes() == (two / "results.jsonl").read_bytes()
    assert (one / "summary.csv").read_bytes() == (two / "summary.csv").read_bytes()


def _state(out: Path) -> dict:
    try:
        return json.loads((out / ".audit" / "state.json").read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def _start_audit(src: Path, out: Path, *extra: str) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-c", "from compliance.cli import main; main()", "audit", str(src)]
    cmd += ["-o", str(out), "--chunk-size", "50", "--quiet", *extra]
    return subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _wait_for_rows(proc: subprocess.Popen[bytes], out: Path, rows: int) -> int:
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        done = _state(out).get("rows_done", 0)
        if done >= rows:
            return done
        assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
        time.sleep(0.05)
    proc.kill()
    raise AssertionError("the audit made no progress")


def _survivors(marker: bytes) -> list[int]:
    """Processes still running with `marker` in their command line (Linux /proc)."""
    proc_dir = Path("/proc")
    if not proc_dir.is_dir():
        return []
    deadline = time.monotonic() + 10
    while True:
        alive = []
        for entry in proc_dir.iterdir():
            if entry.name.isdigit() and int(entry.name) != os.getpid():
                try:
                    if marker in (entry / "cmdline").read_bytes():
                        alive.append(int(entry.name))
                except OSError:
                    continue
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.1)


def test_resume_after_kill_gives_exactly_one_result_per_post(
    tmp_path: Path, checker: Checker
) -> None:
    src = tmp_path / "posts.jsonl"
    posts = corpus(src, 4000)
    out = tmp_path / "out"
    proc = _start_audit(src, out, "--workers", "2")
    done = _wait_for_rows(proc, out, 200)
    proc.send_signal(signal.SIGKILL)  # no clean-up of any kind
    proc.wait(timeout=30)
    assert _survivors(str(out).encode()) == []  # its workers died with it
    state = _state(out)
    assert not state["complete"] and 200 <= state["rows_done"] < len(posts), done
    with (out / "results.jsonl").open("ab") as handle:  # a write torn by the kill
        handle.write(b'{"id": "post-99999", "verd')

    run, summary = audit([src], out, AuditOptions(workers=2, chunk_size=50), checker=checker)
    assert run.resumed_from == state["rows_done"] and summary is not None
    ids = [r["id"] for r in read_jsonl(out / "results.jsonl")]
    assert ids == [p["id"] for p in posts]  # every post once, in input order, nothing torn
    ref = tmp_path / "ref"
    audit([src], ref, AuditOptions(workers=1), checker=checker)
    assert (out / "results.jsonl").read_bytes() == (ref / "results.jsonl").read_bytes()
    assert summary.checked == len(posts) and (out / "errors.jsonl").read_bytes() == b""


def test_ctrl_c_stops_after_a_whole_chunk_and_says_how_to_resume(
    tmp_path: Path, checker: Checker
) -> None:
    src = tmp_path / "posts.jsonl"
    posts = corpus(src, 3000)
    with src.open("a") as handle:
        handle.write("{not json\n")
    out = tmp_path / "out"
    proc = _start_audit(src, out, "--workers", "1")
    _wait_for_rows(proc, out, 100)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err.decode()
    assert "run the same command again to resume" in err.decode()
    state = _state(out)
    assert not state["complete"] and state["rows_done"] % 50 == 0

    again = runner.invoke(
        app, ["audit", str(src), "-o", str(out), "--chunk-size", "50", "--workers", "1"]
    )
    assert again.exit_code == 0, again.output
    assert f"resuming: {state['rows_done']:,} of {len(posts) + 1:,} rows" in again.stderr
    ids = [r["id"] for r in read_jsonl(out / "results.jsonl")]
    assert ids == [p["id"] for p in posts]
    assert [e["line"] for e in read_jsonl(out / "errors.jsonl")] == [len(posts) + 1]


def test_resume_refuses_other_inputs_until_restart(tmp_path: Path, checker: Checker) -> None:
    src = tmp_path / "posts.jsonl"
    corpus(src, 20)
    out = tmp_path / "out"
    audit([src], out, AuditOptions(workers=1), checker=checker)
    before = (out / "results.jsonl").read_bytes()
    run, _ = audit([src], out, AuditOptions(workers=1), checker=checker)  # complete: no-op
    assert run.rows_this_run == 0 and (out / "results.jsonl").read_bytes() == before

    corpus(src, 25)
    with pytest.raises(ComplianceError) as exc:
        open_run([src], out, AuditOptions(workers=1))
    assert exc.value.code == "E008" and "posts.jsonl changed" in exc.value.message
    with pytest.raises(ComplianceError) as exc:
        open_run([src], out, AuditOptions(workers=1, platform="tiktok"))
    assert exc.value.code == "E008"
    run, summary = audit([src], out, AuditOptions(workers=1, restart=True), checker=checker)
    assert summary is not None and summary.checked == 25
    assert len(read_jsonl(out / "results.jsonl")) == 25


def test_cli_exit_codes_for_ci(tmp_path: Path) -> None:
    exports = [str(EXPORTS / "posts.jsonl"), str(EXPORTS / "campaign.csv")]
    failing = runner.invoke(
        app, ["audit", *exports, "-o", str(tmp_path / "a"), "--fail-on", "error"]
    )
    assert failing.exit_code == 1, failing.output
    assert "posts checked" in failing.stderr
    never = runner.invoke(app, ["audit", *exports, "-o", str(tmp_path / "a")])
    assert never.exit_code == 0 and "already complete" in never.stderr

    clean = tmp_path / "clean.jsonl"
    clean.write_text('{"id": "1", "text": "Sunday hike with the dog", "platform": "instagram"}\n')
    ok = runner.invoke(
        app, ["audit", str(clean), "-o", str(tmp_path / "b"), "--fail-on", "warning"]
    )
    assert ok.exit_code == 0, ok.output
    clean.write_text(clean.read_text() + "{oops\n")
    bad = runner.invoke(
        app, ["audit", str(clean), "-o", str(tmp_path / "c"), "--fail-on", "warning"]
    )
    assert bad.exit_code == 1
    allbad = tmp_path / "allbad.jsonl"
    allbad.write_text("{oops\n")
    assert runner.invoke(app, ["audit", str(allbad), "-o", str(tmp_path / "d")]).exit_code == 2
    missing = runner.invoke(app, ["audit", str(tmp_path / "nope.csv"), "-o", str(tmp_path / "e")])
    assert missing.exit_code == 2 and "E004" in missing.stderr
    mapping = runner.invoke(app, ["audit", exports[1], "-o", str(tmp_path / "f"), "--column", "x"])
    assert mapping.exit_code == 2 and "E009" in mapping.stderr


def test_every_platform_export_in_one_audit(tmp_path: Path, checker: Checker) -> None:
    inputs = [*sorted(EXPORTS.rglob("*.json")), EXPORTS / "campaign.csv"]
    _run, summary = audit(inputs, tmp_path / "out", AuditOptions(workers=1), checker=checker)
    assert summary is not None and summary.bad == 0
    assert summary.checked == 16
    assert set(summary.platforms) == {"instagram", "youtube", "x", "tiktok"}
    assert {"miaruns", "leafandlatte", "Daily Grind with Sam"} <= set(summary.creators)
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "Daily Grind with Sam" in html and "By creator" in html


def test_highlight_splits_text_by_the_worst_span_covering_it() -> None:
    text = "<b>Use code MIA20</b> #sp"
    findings = [
        {
            "span": {"field": "text", "start": 3, "end": 17},
            "severity": "warning",
            "rule_id": "w",
            "title": "W",
        },
        {
            "span": {"field": "text", "start": 12, "end": 17},
            "severity": "error",
            "rule_id": "e",
            "title": "E",
        },
        {
            "span": {"field": "title", "start": 0, "end": 3},
            "severity": "error",
            "rule_id": "t",
            "title": "T",
        },
    ]
    disclosures = [
        {
            "span": {"field": "text", "start": 22, "end": 25},
            "kind": "sponsored",
            "clarity": "ambiguous",
        }
    ]
    pieces, cut = highlight(text, findings, disclosures)
    assert not cut and "".join(p.text for p in pieces) == text
    assert [(p.text, p.cls) for p in pieces] == [
        ("<b>", ""),
        ("Use code ", "sev-warning"),
        ("MIA20", "sev-error"),
        ("</b> ", ""),
        ("#sp", "disc"),
    ]
    assert pieces[2].title == "e: E; w: W"


def test_time_buckets_choose_a_readable_unit_and_keep_gaps() -> None:
    from collections import Counter

    days = {"2024-01-01": Counter(fail=1), "2024-01-04": Counter(pass_=2)}
    unit, buckets = time_buckets(days)
    assert unit == "day" and [b[0] for b in buckets][:2] == ["2024-01-01", "2024-01-02"]
    assert len(buckets) == 4
    unit, buckets = time_buckets({"2023-01-15": Counter(fail=1), "2024-03-02": Counter(fail=2)})
    assert unit == "month" and buckets[0][0] == "2023-01" and buckets[-1][0] == "2024-03"
    assert len(buckets) == 15 and sum(sum(c.values()) for _, c in buckets) == 3
