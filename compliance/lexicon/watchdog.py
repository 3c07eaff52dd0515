"""Time bounds for lexicon regexes: per call, or by a watchdog over a whole batch.

Every lexicon regex runs on hostile text, so every call is bounded by `REGEX_TIMEOUT_S` of CPU
time. The `regex` module's own bound (`timeout=`) reads the process CPU clock twice per call,
and on Linux that clock is a system call: about 3.4 µs per call, 3-5% of a caption check.

A batch (the CLI's loop, an audit chunk, a Spark partition) arms the watchdog instead:

- a profiling timer (`ITIMER_PROF`) ticks every `TICK_S` of the process's CPU time;
- before each regex call the matcher marks the call as fresh (`note_call`); the first tick
  inside the call stamps it with the thread's CPU time, and a later tick that finds the call has
  run `REGEX_TIMEOUT_S` raises `TimeoutError` inside it. The `regex` module checks for signals
  while it matches (as it does for Ctrl-C), so the exception ends the match; the matcher catches
  it as it catches the per-call timeout. A call is stopped after about 40-70 ms of CPU time
  (the bound, give or take a tick and the kernel's timer granularity: 63 ms measured);
- the tick handler raises only while a call is marked, and the matcher's `try` covers every
  moment a call is marked, so the exception cannot land anywhere else.

Signal handlers run in the main thread only. Other threads (the API's worker threads), and a
process where the watchdog cannot be armed (a profiler owns SIGPROF, or no `setitimer`), keep
the per-call `timeout=`: `call_timeout` says which bound the calling thread uses.
"""

from __future__ import annotations

import atexit
import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

REGEX_TIMEOUT_S = 0.05
TICK_S = 0.01

IDLE = -2.0  # no call is running
_FRESH = -1.0  # a call is running and no tick has seen it yet


class _State:
    __slots__ = ("mark", "thread")

    def __init__(self) -> None:
        self.thread = 0  # the ident of the thread the watchdog guards; 0 when disarmed
        self.mark = IDLE  # or _FRESH, or the thread CPU time at the call's first tick


STATE = _State()


def _tick(signum: int, frame: FrameType | None) -> None:
    mark = STATE.mark
    if mark == IDLE:
        return
    now = time.thread_time()
    if mark == _FRESH:
        STATE.mark = now
    elif now - mark >= REGEX_TIMEOUT_S - TICK_S:  # the call began up to a tick before it
        STATE.mark = IDLE
        raise TimeoutError(f"regex call ran {REGEX_TIMEOUT_S}s of CPU time (watchdog)")


def _reset() -> None:
    """A forked child has no interval timer (fork does not copy it), so it is not guarded."""
    STATE.thread = 0
    STATE.mark = IDLE


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset)


@atexit.register
def _stop_at_exit() -> None:
    """At exit the interpreter puts SIGPROF's default action (end the process) back in place
    of a Python handler. Stop the timer if a block is still armed (its `finally` never ran),
    and ignore SIGPROF from here on, so that no tick still on its way ends a finished run."""
    if STATE.thread:
        signal.setitimer(signal.ITIMER_PROF, 0.0, 0.0)
        _reset()
    if signal.getsignal(signal.SIGPROF) is _tick:
        signal.signal(signal.SIGPROF, signal.SIG_IGN)


def call_timeout() -> float | None:
    """The `timeout=` for this thread's regex calls: None when the watchdog guards the thread
    (the caller then marks each call with `note_call` and ends with `note_idle`)."""
    return None if STATE.thread == threading.get_ident() else REGEX_TIMEOUT_S


def note_call() -> None:
    STATE.mark = _FRESH


def note_idle() -> None:
    STATE.mark = IDLE


def _can_arm() -> bool:
    if (
        not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        return False
    if signal.getsignal(signal.SIGPROF) not in (signal.SIG_DFL, _tick):
        return False  # someone else's handler: a profiler
    return signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)


@contextmanager
def watchdog() -> Iterator[bool]:
    """Guard this thread's lexicon regex calls inside the block with the watchdog; yields
    whether it is armed (False: the calls keep their per-call bound). Re-entrant."""
    if STATE.thread == threading.get_ident():
        yield True
        return
    if not _can_arm():
        yield False
        return
    # The handler stays installed after the block: a tick pending when the timer stops must
    # not meet SIGPROF's default action, which ends the process.
    signal.signal(signal.SIGPROF, _tick)
    STATE.mark = IDLE
    STATE.thread = threading.get_ident()
    signal.setitimer(signal.ITIMER_PROF, TICK_S, TICK_S)
    try:
        yield True
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0.0, 0.0)
        _reset()
