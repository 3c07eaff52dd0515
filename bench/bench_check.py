"""Throughput of `check` per core, next to the floor of the same run.

Corpus: the labeled fixtures and the shared regulator cases (captions, descriptions and a few
transcripts), cycled to --posts posts and serialised as JSONL lines in memory. Three passes
over the same lines, one process, one core:

  floor   json.loads of every line (reading + parsing the input)
  check   json.loads + Checker.check + report JSON (what `compliance check --format jsonl` does)
  check+  the same with the spaCy Doc built for every post (what a token-level detector costs)

Reports posts/s and the ratio floor/check. Run: python3 bench/bench_check.py [--posts N]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from compliance import Checker  # noqa: E402
from compliance.io.readers import split_record  # noqa: E402
from compliance.text.parse import ParsedPost  # noqa: E402

LABEL_FIELDS = {"verdict", "labels", "reason", "source_kind", "source_url", "year", "partial"}


def corpus_lines(n: int) -> list[str]:
    sources = sorted((ROOT / "fixtures" / "labeled").glob("*.jsonl"))
    shared = ROOT.parent / "shared" / "corpus" / "regulator_cases_dev.jsonl"
    if shared.exists():
        sources.append(shared)
    base = []
    for path in sources:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rec = json.loads(line)
                base.append({k: v for k, v in rec.items() if k not in LABEL_FIELDS})
    lines = []
    for i in range(n):
        rec = dict(base[i % len(base)])
        rec["id"] = f"bench-{i}"
        lines.append(json.dumps(rec, ensure_ascii=False))
    return lines


def timed(fn, lines: list[str], repeat: int) -> float:  # type: ignore[no-untyped-def]
    rates = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(lines)
        rates.append(len(lines) / (time.perf_counter() - t0))
    return statistics.median(rates)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--posts", type=int, default=20_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args()

    checker = Checker.from_pack("us-ftc")
    lines = corpus_lines(args.posts)
    checker.check(split_record(json.loads(lines[0])))  # warm caches

    def floor(ls: list[str]) -> None:
        for line in ls:
            json.loads(line)

    def check(ls: list[str]) -> None:
        for line in ls:
            checker.check(split_record(json.loads(line))).model_dump_json()

    def check_tokens(ls: list[str]) -> None:
        for line in ls:
            rec = split_record(json.loads(line))
            report = checker.check(rec)
            ParsedPost(checker_post(rec), checker.platforms).doc  # noqa: B018
            report.model_dump_json()

    def checker_post(rec):  # type: ignore[no-untyped-def]
        from compliance.engine import coerce_post
        return coerce_post(rec)

    floor_rate = timed(floor, lines, args.repeat)
    check_rate = timed(check, lines, args.repeat)
    tok_rate = timed(check_tokens, lines[: max(1000, args.posts // 10)], 1)
    mean_chars = statistics.mean(len(json.loads(x).get("text", "")) for x in lines[:2000])
    result = {
        "machine": f"{platform.processor() or platform.machine()}, python {platform.python_version()}",
        "posts": len(lines),
        "mean_text_chars": round(mean_chars),
        "floor_posts_per_s": round(floor_rate),
        "check_posts_per_s_per_core": round(check_rate),
        "check_with_spacy_doc_posts_per_s": round(tok_rate),
        "floor_over_check": round(floor_rate / check_rate, 1),
        "us_per_post": round(1e6 / check_rate, 1),
    }
    width = max(len(k) for k in result)
    for k, v in result.items():
        print(f"{k:<{width}}  {v}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
