"""Run a batch audit: read every input in order, check chunks of posts in worker processes,
append each finished chunk to the output files in input order, and record how far it got.

Parallel over posts, not inside spaCy (DESIGN §9: `nlp.pipe(n_process=2)` was slower than one
process): each worker owns its Checker and returns a chunk's output as bytes; the parent only
reads input and appends bytes. Chunks are written in input order, so an interrupted run resumed
gives the same files, byte for byte, as a run that never stopped.
"""

from __future__ import annotations

import gc
import itertools
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from compliance.audit.state import (
    ERRORS,
    INDEX,
    RESULTS,
    AuditState,
    identity_difference,
    input_identity,
    load_state,
    output_paths,
    prepare_outputs,
    save_state,
)
from compliance.audit.worker import ChunkResult, Item, check_chunk, init_worker, use_checker
from compliance.engine import Checker
from compliance.errors import ComplianceError
from compliance.io.formats import Source, iter_source, resolve
from compliance.io.readers import Row, parse_line
from compliance.version import __version__

REPORT_FILES = ("report.html", "summary.csv", "results.sarif")
RECYCLE_CHUNKS = 100  # worker processes are replaced after this many chunks


@dataclass
class AuditOptions:
    fmt: str = "auto"
    columns: dict[str, str] = field(default_factory=dict)
    platform: str | None = None
    connection: list[str] | None = None
    pack: str = "us-ftc"
    workers: int = 0  # 0: one per core
    chunk_size: int = 1000
    restart: bool = False
    recycle_chunks: int = RECYCLE_CHUNKS


@dataclass
class AuditRun:
    """What one invocation did: the state at the end and what this run added to it."""

    out: Path
    state: AuditState
    sources: list[Source]
    names: list[str]
    total: int
    resumed_from: int
    rows_this_run: int = 0
    interrupted: bool = False
    pids: set[int] = field(default_factory=set)  # the processes that checked chunks


class Progress:
    """Receives progress; the CLI shows a bar or prints lines, tests record or ignore it."""

    def start(self, total: int, done: int) -> None: ...
    def advance(self, rows: int, checked: int, bad: int) -> None: ...
    def stop(self) -> None: ...


def workers_for(requested: int) -> int:
    return requested if requested > 0 else max(1, os.cpu_count() or 1)


def display_names(paths: list[Path]) -> list[str]:
    """File names, or whole paths where two inputs share a name."""
    names = [p.name for p in paths]
    if len(set(names)) != len(names):
        names = [str(p) for p in paths]
    return names


def identity(sources: list[Source], opts: AuditOptions) -> dict[str, Any]:
    return {
        "inputs": [{**input_identity(s.path), "layout": s.layout, "kind": s.kind} for s in sources],
        "format": opts.fmt,
        "columns": dict(sorted(opts.columns.items())),
        "platform": opts.platform,
        "connection": opts.connection,
        "pack": opts.pack,
        "engine_version": __version__,
    }


def iter_items(sources: list[Source], columns: dict[str, str]) -> Iterator[Item]:
    for i, source in enumerate(sources):
        for item in iter_source(source, columns):
            yield i, item


def count_items(sources: list[Source], columns: dict[str, str]) -> int:
    """How many rows the inputs hold (for the progress bar): JSONL lines are counted as bytes."""
    total = 0
    for source in sources:
        if source.layout == "lines" and source.kind == "posts":
            with source.path.open("rb") as handle:
                total += sum(1 for line in handle if line.strip())
        else:
            total += sum(1 for _ in iter_source(source, columns))
    return total


def _chunks(items: Iterator[Item], size: int) -> Iterator[list[Item]]:
    while chunk := list(itertools.islice(items, size)):
        yield chunk


def defaults_of(opts: AuditOptions) -> dict[str, Any]:
    defaults: dict[str, Any] = {}
    if opts.platform:
        defaults["platform"] = opts.platform
    if opts.connection:
        defaults["material_connection"] = opts.connection
    return defaults


def open_run(inputs: list[Path], out: Path, opts: AuditOptions) -> AuditRun:
    """Read the inputs' shapes and the output folder's state; refuse to mix two audits."""
    if not inputs:
        raise ComplianceError("E004", detail="no input files given")
    sources = [resolve(p, opts.fmt) for p in inputs]
    ident = identity(sources, opts)
    out.mkdir(parents=True, exist_ok=True)
    state = None if opts.restart else load_state(out)
    if state is not None:
        diff = identity_difference(state.identity, ident)
        if diff is not None:
            raise ComplianceError("E008", path=str(out), detail=diff)
    if state is None:
        state = AuditState(identity=ident)
        for name in REPORT_FILES:
            (out / name).unlink(missing_ok=True)
    problem = prepare_outputs(out, state)
    if problem is not None:
        raise ComplianceError("E008", path=str(out), detail=problem)
    total = count_items(sources, opts.columns)
    state.total = total
    save_state(out, state)
    names = display_names(inputs)
    return AuditRun(out, state, sources, names, total, resumed_from=state.rows_done)


class _Writer:
    """Appends whole chunks in input order; the state follows only once the bytes are synced."""

    def __init__(self, run: AuditRun) -> None:
        self.run = run
        paths = output_paths(run.out)
        self.files: dict[str, IO[bytes]] = {name: p.open("ab") for name, p in paths.items()}

    def write(self, rows: int, res: ChunkResult) -> None:
        state = self.run.state
        self.files[RESULTS].write(res.results)
        self.files[ERRORS].write(res.errors)
        self.files[INDEX].write(res.index)
        for handle in self.files.values():
            handle.flush()
            os.fsync(handle.fileno())
        state.offsets = {name: handle.tell() for name, handle in self.files.items()}
        state.rows_done += rows
        state.checked += res.checked
        state.bad += res.bad
        self.run.pids.add(res.pid)
        save_state(self.run.out, state)
        self.run.rows_this_run += rows

    def close(self) -> None:
        for handle in self.files.values():
            handle.close()


def _terminate(pool: ProcessPoolExecutor) -> None:
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in list(getattr(pool, "_processes", {}).values()):
        proc.terminate()


def check_all(
    run: AuditRun,
    opts: AuditOptions,
    checker_factory: Callable[[], Checker],
    progress: Progress | None = None,
) -> AuditRun:
    """Check every row not yet done; on Ctrl-C stop after the last whole chunk written."""
    progress = progress or Progress()
    state = run.state
    if state.complete:
        return run
    items = itertools.islice(iter_items(run.sources, opts.columns), state.rows_done, None)
    defaults = defaults_of(opts)
    left = max(0, run.total - state.rows_done)
    chunk_size = max(1, opts.chunk_size)
    workers = min(workers_for(opts.workers), max(1, -(-left // chunk_size)))  # no idle forks
    checker = checker_factory().prepare()  # compiled once, before workers fork and inherit it
    chunks = _chunks(items, chunk_size)
    writer = _Writer(run)
    state.runs += 1
    progress.start(run.total, state.rows_done)
    try:
        if workers == 1:
            for chunk in chunks:
                res = check_chunk(chunk, run.names, defaults, checker)
                writer.write(len(chunk), res)
                progress.advance(len(chunk), res.checked, res.bad)
        else:
            _check_parallel(
                run,
                chunks,
                defaults,
                workers,
                opts.pack,
                checker,
                writer,
                progress,
                max(1, opts.recycle_chunks),
            )
        state.complete = True
        save_state(run.out, state)
    except KeyboardInterrupt:
        run.interrupted = True
    finally:
        writer.close()
        progress.stop()
    return run


def _check_parallel(
    run: AuditRun,
    chunks: Iterator[list[Item]],
    defaults: dict[str, Any],
    workers: int,
    pack: str,
    checker: Checker,
    writer: _Writer,
    progress: Progress,
    recycle: int = RECYCLE_CHUNKS,
) -> None:
    """Chunks to a pool of forked workers, results written in input order. The pool is
    replaced every `recycle` chunks: a worker's spaCy vocabulary grows with every new string
    it sees (DESIGN §9), a fresh fork of the parent starts from the clean Checker again."""
    methods = multiprocessing.get_all_start_methods()
    # fork: every worker inherits the parent's Checker, built once, instead of building its own
    ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    use_checker(checker)
    gc.collect()
    gc.freeze()  # the collector never touches the inherited objects: pages stay shared

    def new_pool() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            workers, mp_context=ctx, initializer=init_worker, initargs=(pack,)
        )

    def write_next() -> None:
        rows, fut = pending.popleft()
        res = fut.result()
        writer.write(rows, res)
        progress.advance(rows, res.checked, res.bad)

    pool = new_pool()
    pending: deque[tuple[int, Future[ChunkResult]]] = deque()
    try:
        for n, chunk in enumerate(chunks):
            if n and n % recycle == 0:
                while pending:
                    write_next()
                pool.shutdown(wait=True)
                pool = new_pool()
            pending.append((len(chunk), pool.submit(check_chunk, chunk, run.names, defaults)))
            while len(pending) > workers * 2:
                write_next()
        while pending:
            write_next()
    except BaseException:
        _terminate(pool)
        raise
    finally:
        gc.unfreeze()
    pool.shutdown(wait=True)


def fetch_posts(
    run: AuditRun, columns: dict[str, str], wanted: set[tuple[int, int]]
) -> dict[tuple[int, int, str], dict[str, Any]]:
    """The input records at (source, line), keyed with their id: the texts the report shows."""
    found: dict[tuple[int, int, str], dict[str, Any]] = {}
    if not wanted:
        return found
    lines_of: dict[int, set[int]] = {}
    for src, line in wanted:
        lines_of.setdefault(src, set()).add(line)
    for src, lines in lines_of.items():
        last = max(lines)
        for item in iter_source(run.sources[src], columns):
            line = item.line if isinstance(item, Row) else item[0]
            if line > last:
                break
            if line not in lines:
                continue
            row = parse_line(*item) if isinstance(item, tuple) else item
            if row is None or row.record is None:
                continue
            rid = row.record.get("id") or f"{run.names[src]}:{line}"
            found[(src, line, str(rid))] = row.record
    return found
