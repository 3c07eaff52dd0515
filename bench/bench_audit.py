"""Throughput of the whole `compliance audit` process, next to the floor of the same run.

Corpus: --posts posts (default 50,000) synthesised at run time into a temporary folder from
the labeled fixtures: each post is a fixture post with variations a real campaign export has
(another creator, brand handle, discount code, platform, date, extra sentences and hashtags,
an affiliate link, the disclosure dropped or moved), plus one broken line in a thousand.
Nothing is checked in; the same seed gives the same corpus.

Runs, alternated and repeated (--repeat):
  floor     reading the JSONL file and parsing every line (orjson + splitting Post fields
            from metadata), in this process: what any audit must pay
  audit -w1 `compliance audit CORPUS -o DIR --workers 1` as a fresh process, wall clock
  audit -w2 the same with 2 worker processes

For each audit it reports posts/s of the whole process (start-up and rule-pack loading,
checking, writing results and the HTML / CSV reports), the rate of the checking phase alone
(the progress line's figure), floor / whole-process ratio, and posts per CPU-second of the
audit's process tree (on a machine shared with other work, the figure its load cannot hide:
with N idle cores the whole process runs at most N times that).

Run: python3 bench/bench_audit.py [--posts N] [--repeat R] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import orjson  # noqa: E402

from compliance.io.readers import split_record  # noqa: E402

LABEL_FIELDS = {"verdict", "labels", "reason", "source_kind", "source_url", "year", "partial"}
PLATFORMS = ["instagram", "instagram", "instagram", "tiktok", "tiktok", "youtube", "x", "facebook"]
BRANDS = ["glowlab", "kestrelrun", "stridelab", "coppervane", "lumenlark", "verdantco", "aurafit"]
EXTRA = [
    "Link in bio!",
    "What do you think? 👇",
    "Swipe for the before/after ✨",
    "Full review on my channel.",
    "Not gonna lie, this one surprised me.",
    "Restocked again 🙌",
    "Morning routine, day 12.",
]
TAGS = ["#skincare", "#fitness", "#ootd", "#coffee", "#plants", "#running", "#glow", "#vegan"]
HANDLE = re.compile(r"@\w+")
DISCLOSURE = re.compile(r"(?i)#ad\b|#sponsored\b|\bpaid partnership\b")


def base_posts() -> list[dict]:
    posts = []
    for path in sorted((ROOT / "fixtures" / "labeled").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rec = json.loads(line)
                posts.append({k: v for k, v in rec.items() if k not in LABEL_FIELDS})
    return posts


def vary(post: dict, i: int, rng: random.Random) -> dict:
    p = dict(post)
    text = p.get("text", "")
    brand = rng.choice(BRANDS)
    if rng.random() < 0.6:
        text = HANDLE.sub("@" + brand, text, count=1)
    if rng.random() < 0.3:
        text = text + "\n" + rng.choice(EXTRA)
    if rng.random() < 0.25:
        text = rng.choice(EXTRA) + " " + text
    if rng.random() < 0.3:
        text = text + "\n\n" + " ".join(rng.sample(TAGS, rng.randint(2, 6)))
    if rng.random() < 0.1:
        text += f" Use code {brand.upper()[:4]}{rng.randint(10, 40)} for {rng.choice([10, 15, 20])}% off"
    if rng.random() < 0.07:
        text += f" https://amzn.to/{rng.randrange(16**7):07x}"
    if rng.random() < 0.1:
        text = DISCLOSURE.sub("", text, count=1).strip()  # the disclosure was forgotten
    p["text"] = text
    p["id"] = f"post-{i:07d}"
    if "transcript" not in p and rng.random() < 0.5:
        p["platform"] = rng.choice(PLATFORMS)
    p["author"] = f"creator{rng.randint(1, 300):03d}"
    p["campaign"] = f"campaign-{rng.randint(1, 40):02d}"
    day = rng.randint(0, 729)
    p["published_at"] = (
        f"{2023 + day // 365}-{1 + (day % 365) // 31:02d}-{1 + day % 28:02d}T12:00:00Z"
    )
    if rng.random() < 0.2:
        p.pop("material_connection", None)  # leave the engine to infer it
    p["likes"] = rng.randint(0, 50_000)  # an unknown column: travels as metadata
    return p


def write_corpus(path: Path, n: int, seed: int = 7) -> int:
    rng = random.Random(seed)
    base = base_posts()
    bad = 0
    with path.open("w", encoding="utf-8") as handle:
        for i in range(n):
            if i % 1000 == 999:
                handle.write('{"id": "broken-' + str(i) + '", "text": "cut off\n')
                bad += 1
                continue
            handle.write(json.dumps(vary(base[i % len(base)], i, rng), ensure_ascii=False) + "\n")
    return bad


def floor(path: Path) -> float:
    """Seconds to read and parse every line, as the audit's reader and workers do."""
    t0 = time.perf_counter()
    n = 0
    with path.open("rb") as handle:
        for line in handle:
            if line.strip():
                try:
                    record = orjson.loads(line)
                except orjson.JSONDecodeError:
                    continue
                split_record(record)
                n += 1
    return time.perf_counter() - t0


PROGRESS = re.compile(r"checked ([\d,]+) of ([\d,]+) rows \(100%\), ([\d,]+) posts/s")
LOADED = re.compile(r"loaded in ([\d.]+)s")


def audit(path: Path, workers: int) -> dict:
    out = Path(tempfile.mkdtemp(prefix="bench-audit-out-"))
    cmd = [sys.executable, "-c", "from compliance.cli import main; main()", "audit", str(path)]
    cmd += ["-o", str(out), "--workers", str(workers)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        raise SystemExit(f"audit failed ({proc.returncode}): {proc.stderr[-2000:]}")
    results = sum(1 for _ in (out / "results.jsonl").open("rb"))
    m = PROGRESS.findall(proc.stderr)
    loaded = LOADED.search(proc.stderr)
    shutil.rmtree(out, ignore_errors=True)
    return {
        "wall_s": wall,
        "cpu_s": cpu,  # the audit process and its workers: what the machine's load cannot hide
        "results": results,
        "check_rate": float(m[-1][2].replace(",", "")) if m else None,
        "load_s": float(loaded.group(1)) if loaded else None,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--posts", type=int, default=50_000)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench-audit-"))
    try:
        corpus = tmp / "posts.jsonl"
        bad = write_corpus(corpus, args.posts)
        size = corpus.stat().st_size
        print(
            f"corpus: {args.posts:,} lines ({bad} broken), {size / 1e6:.1f} MB; "
            f"{os.cpu_count()} cores; Python {platform.python_version()}"
        )
        floors: list[float] = []
        runs: dict[int, list[dict]] = {w: [] for w in args.workers}
        for r in range(args.repeat):
            for w in args.workers:
                floors.append(floor(corpus))
                res = audit(corpus, w)
                assert res["results"] == args.posts - bad, res
                runs[w].append(res)
                print(
                    f"  run {r + 1} workers={w}: {args.posts / res['wall_s']:,.0f} posts/s whole "
                    f"process ({res['wall_s']:.1f}s; pack load {res['load_s']}s; checking "
                    f"{res['check_rate']} posts/s; {args.posts / res['cpu_s']:,.0f} posts per "
                    f"CPU-second, {res['cpu_s'] / res['wall_s']:.2f} cores busy)",
                    flush=True,
                )
        floor_rate = args.posts / min(floors)
        print(f"\nfloor (read + parse): {floor_rate:,.0f} posts/s (best of {len(floors)})")
        print(
            f"{'workers':>8} {'whole best':>11} {'median':>9} {'checking':>9} {'load s':>7} {'floor/whole':>12}"
        )
        figures: dict = {
            "posts": args.posts,
            "bad_lines": bad,
            "floor_rate": floor_rate,
            "runs": {},
        }
        for w, rs in runs.items():
            rates = [args.posts / x["wall_s"] for x in rs]
            best = max(rates)
            check = max((x["check_rate"] or 0) for x in rs)
            load = min((x["load_s"] or 0) for x in rs)
            print(
                f"{w:>8} {best:>11,.0f} {statistics.median(rates):>9,.0f} {check:>9,.0f} "
                f"{load:>7.1f} {floor_rate / best:>11.0f}x"
            )
            per_cpu = max(args.posts / x["cpu_s"] for x in rs)
            print(f"{'':>8} {per_cpu:>11,.0f} posts per CPU-second (whole process tree)")
            figures["runs"][w] = {
                "posts_per_cpu_second": per_cpu,
                "whole_best": best,
                "whole_median": statistics.median(rates),
                "checking_best": check,
                "load_s_best": load,
                "ratio_floor_whole": floor_rate / best,
                "walls": [x["wall_s"] for x in rs],
            }
        if args.json:
            args.json.write_text(json.dumps(figures, indent=2))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
