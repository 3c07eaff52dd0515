"""Instructions per post of `check`, next to the floor, counted by valgrind (callgrind).

Wall-clock rates on a shared machine move by 10-25% between identical runs (bench_check.py
reports them, best and median); the number of instructions a check executes does not. This
script counts them: a child process checks N caption posts of bench_check's corpus (connection
as given), another the same with 0 posts, and the difference divided by N is what one post
costs, start-up excluded. The floor is counted the same way (JSON parsing and splitting
fields). Use it to compare two commits: fewer instructions is faster on any machine, though
memory effects (cache misses) and system calls (a `regex` timeout reads the clock with
one) are not in the count. The children run with a fixed hash seed.

Needs valgrind (Debian's package). Takes about two minutes for 1,000 posts.

Run: python3 bench/bench_instructions.py [--posts 1000] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def child(mode: str, n: int, total: int) -> None:
    """Check (or only parse) the first `n` of `total` caption posts, after a warm-up post
    (the input is prepared for `total` posts in both runs, so preparing it is not counted)."""
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    import orjson
    from bench_check import MEDIA_FIELDS, corpus_lines

    from compliance.audit.cache import cached_checker
    from compliance.io.readers import split_record
    from compliance.lexicon.watchdog import watchdog

    lines = [
        orjson.dumps({k: v for k, v in json.loads(x).items() if k not in MEDIA_FIELDS})
        for x in corpus_lines(max(total, 1))
    ]
    if mode == "check":
        checker, _ = cached_checker("us-ftc")
        checker.prepare()
        checker.check_json(split_record(orjson.loads(lines[-1])))  # lazy tables built here
        with watchdog():
            for line in lines[:n]:
                checker.check_json(split_record(orjson.loads(line)))
    else:
        for line in lines[:n]:
            split_record(orjson.loads(line))


def count(mode: str, n: int, total: int) -> int:
    """Instructions of a child run (whole process)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={tmp}/callgrind.out",
                sys.executable,
                __file__,
                "--child",
                mode,
                str(n),
                str(total),
            ],
            capture_output=True,
            text=True,
            check=True,
            # set and dict layouts depend on string hashes: a fixed seed makes runs repeatable
            # (a random one moved the count of the same code by up to 9%)
            env={**os.environ, "PYTHONHASHSEED": "0"},
        )
    found = re.search(r"refs:\s*([\d,]+)", out.stderr)
    if found is None:
        raise SystemExit(f"valgrind printed no instruction count:\n{out.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--posts", type=int, default=1000)
    ap.add_argument("--json", type=Path, help="also write the figures here")
    ap.add_argument("--child", nargs=3, metavar=("MODE", "N", "TOTAL"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]), int(args.child[2]))
        return
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind)")
    child("check", 1, 1)  # builds the cached checker outside the counted runs
    per_post = {}
    for mode in ("floor", "check"):
        n = args.posts
        per_post[mode] = (count(mode, n, n) - count(mode, 0, n)) / n
    result = {
        "machine": f"{platform.machine()}, python {platform.python_version()}",
        "posts": args.posts,
        "floor_instructions_per_post": round(per_post["floor"]),
        "check_instructions_per_post": round(per_post["check"]),
        "check_over_floor": round(per_post["check"] / per_post["floor"], 1),
    }
    print(f"# {result['machine']}; {args.posts} caption posts, connection as given")
    print(f"floor (parse) {result['floor_instructions_per_post']:>12,} instructions/post")
    print(f"check         {result['check_instructions_per_post']:>12,} instructions/post")
    print(f"check / floor {result['check_over_floor']:>12}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
