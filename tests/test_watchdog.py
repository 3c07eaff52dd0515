"""The regex time bound: per call, or by the watchdog a batch arms (`lexicon/watchdog.py`)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import orjson
import pytest
import regex

from compliance.engine import default_checker
from compliance.io.readers import split_record
from compliance.lexicon.matcher import bounded_finditer, bounded_search, finditer, match_at
from compliance.lexicon.watchdog import (
    IDLE,
    REGEX_TIMEOUT_S,
    STATE,
    call_timeout,
    note_call,
    note_idle,
    watchdog,
)

pytestmark = pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="needs setitimer")

# Backtracking with a back-reference: each further four "a"s cost about 4x the time; 44 run
# for seconds, so a call that is not stopped returns late instead of hanging the suite.
RUNAWAY = regex.compile(r"(?:(a+)\1)+b")
HOSTILE = "a" * 44
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def test_the_watchdog_stops_an_unbounded_call_by_raising_inside_it() -> None:
    with watchdog() as armed:
        assert armed
        assert call_timeout() is None  # the calls of this thread carry no per-call bound
        note_call()
        start = time.thread_time()
        try:
            with pytest.raises(TimeoutError, match="watchdog"):
                RUNAWAY.match(HOSTILE)
        finally:
            note_idle()
        assert time.thread_time() - start < 10 * REGEX_TIMEOUT_S


def test_a_call_under_the_bound_is_not_stopped() -> None:
    # A linear scan sized to half the bound spans two or three ticks: the handler must let it
    # finish, as only a call that has run the whole bound is stopped.
    scan = regex.compile(r"(?:\p{Lu}\p{Ll}+ ){3}\d")
    start = time.thread_time()
    scan.search("Abc " * 20_000)
    reps = int(20_000 * (REGEX_TIMEOUT_S / 2) / max(time.thread_time() - start, 1e-4))
    text = "Abc " * reps
    with watchdog():
        for _ in range(3):
            note_call()
            try:
                assert scan.search(text) is None
            finally:
                note_idle()


@pytest.mark.parametrize("armed", [False, True], ids=["per-call", "watchdog"])
def test_a_runaway_pattern_becomes_a_timeout_note(armed: bool) -> None:
    notes: list[str] = []
    with watchdog() if armed else contextlib.nullcontext(False):
        assert (call_timeout() is None) == armed
        assert finditer(RUNAWAY, HOSTILE, "lexicon: runaway", notes) == []
        assert match_at(RUNAWAY, HOSTILE, [0, 5], "lexicon: anchored", notes) == []
        assert bounded_search(RUNAWAY, HOSTILE, "context: runaway", notes) is None
        assert bounded_finditer(RUNAWAY, HOSTILE, "scan: runaway", notes) == []
        for run in (
            lambda: finditer(RUNAWAY, "x aab", "ok", notes),
            lambda: match_at(RUNAWAY, "x aab", [2], "ok", notes),
            lambda: [bounded_search(RUNAWAY, "x aab", "ok", notes)],
            lambda: bounded_finditer(RUNAWAY, "x aab", "ok", notes),
        ):
            assert [m.group() for m in run() if m] == ["aab"]
            assert STATE.mark == IDLE  # no call is left marked, to be stopped later
    assert notes == ["lexicon: runaway", "lexicon: anchored", "context: runaway", "scan: runaway"]


@pytest.mark.parametrize("armed", [False, True], ids=["per-call", "watchdog"])
def test_a_pattern_out_of_time_is_not_tried_again_on_the_post(armed: bool) -> None:
    notes = ["context: runaway"]  # it ran out of time earlier on this post
    with watchdog() if armed else contextlib.nullcontext(False):
        start = time.thread_time()
        for _ in range(20):  # each try would cost the whole bound
            assert bounded_search(RUNAWAY, HOSTILE, "context: runaway", notes) is None
            assert bounded_finditer(RUNAWAY, "x aab", "context: runaway", notes) == []
        assert time.thread_time() - start < 5 * REGEX_TIMEOUT_S
    assert notes == ["context: runaway"]
    assert bounded_search(RUNAWAY, "x aab", "another", notes) is not None


def test_other_threads_keep_the_per_call_bound() -> None:
    seen: dict[str, object] = {}

    def work() -> None:
        with watchdog() as armed:  # signal handlers run in the main thread only
            seen["armed"] = armed
            seen["timeout"] = call_timeout()
            notes: list[str] = []
            finditer(RUNAWAY, HOSTILE, "in a thread", notes)
            seen["notes"] = notes

    with watchdog() as armed:
        assert armed
        worker = threading.Thread(target=work)
        worker.start()
        worker.join()
        assert call_timeout() is None
    assert seen == {"armed": False, "timeout": REGEX_TIMEOUT_S, "notes": ["in a thread"]}


def test_leaving_the_block_stops_the_timer_even_on_an_error() -> None:
    with pytest.raises(KeyError), watchdog():
        assert signal.getitimer(signal.ITIMER_PROF)[1] > 0
        with watchdog() as inner:  # re-entrant
            assert inner
        assert signal.getitimer(signal.ITIMER_PROF)[1] > 0  # the inner block left it running
        raise KeyError("x")
    assert signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)
    assert call_timeout() == REGEX_TIMEOUT_S
    # the handler stays: a late tick must not meet SIGPROF's default action (end the process)
    assert signal.getsignal(signal.SIGPROF) not in (signal.SIG_DFL, signal.SIG_IGN, None)


def test_a_profiler_owning_sigprof_keeps_the_per_call_bound() -> None:
    ticks: list[int] = []
    previous = signal.signal(signal.SIGPROF, lambda signum, frame: ticks.append(signum))
    try:
        with watchdog() as armed:
            assert not armed
            assert call_timeout() == REGEX_TIMEOUT_S
        assert signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)
    finally:
        signal.signal(signal.SIGPROF, previous)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_child_is_not_guarded() -> None:
    # fork does not copy the interval timer, so the child must go back to per-call bounds
    read, write = os.pipe()
    with watchdog():
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            os.write(write, repr(call_timeout()).encode())
            os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    assert os.read(read, 100).decode() == repr(REGEX_TIMEOUT_S)
    os.close(read)


def test_reports_are_the_same_under_the_watchdog() -> None:
    # Hundreds of checks span dozens of ticks: a handler that raised at a tick when no call
    # had run out of time would leave a timeout finding (or an error) in some report.
    checker = default_checker("us-ftc")
    posts = [
        split_record(orjson.loads(line))
        for path in sorted((FIXTURES / "labeled").glob("*.jsonl"))
        for line in path.read_bytes().splitlines()
        if line.strip()
    ]
    assert len(posts) >= 200
    plain = [checker.check_json(post) for post in posts]
    with watchdog() as armed:
        assert armed
        start = time.process_time()
        watched = [checker.check_json(post) for post in posts]
        while time.process_time() - start < 20 * 0.01:  # at least 20 ticks
            watched[-1] = checker.check_json(posts[-1])
    assert watched == plain


def test_an_exit_inside_an_armed_block_stops_the_timer_first() -> None:
    # At exit the interpreter puts SIGPROF's default action (end the process) back; a timer
    # still running, or a tick still on its way, would kill a run that has done its work. The
    # watchdog's exit hook stops the timer and ignores SIGPROF; this hook, registered before
    # the watchdog's, runs after it (atexit is LIFO).
    code = (
        "import atexit, signal\n"
        "atexit.register(lambda: print(signal.getitimer(signal.ITIMER_PROF),"
        " signal.getsignal(signal.SIGPROF) == signal.SIG_IGN))\n"
        "from compliance.lexicon.watchdog import watchdog\n"
        "guard = watchdog()\n"
        "guard.__enter__()  # never left\n"
        "print(signal.getitimer(signal.ITIMER_PROF))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    armed, at_exit = done.stdout.decode().splitlines()
    assert armed != "(0.0, 0.0)"
    assert at_exit == "(0.0, 0.0) True"  # stopped, and a late tick is ignored
