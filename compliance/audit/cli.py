"""`compliance audit`: check every post of CSV / JSONL / platform exports, resumably."""

from __future__ import annotations

import signal
import sys
import time
from enum import StrEnum
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer

from compliance.cli_common import FailOn, fails
from compliance.errors import ComplianceError


class InputFormat(StrEnum):
    auto = "auto"
    posts = "posts"
    csv = "csv"
    instagram = "instagram"
    youtube = "youtube"
    x = "x"
    tiktok = "tiktok"


def _sigterm(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt  # stop like Ctrl-C: after the last whole chunk


def audit_cmd(
    inputs: Annotated[
        list[Path], typer.Argument(help="Files: .jsonl, .json, .csv, or platform exports.")
    ],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Folder for results, errors and reports.")
    ],
    fmt: Annotated[
        InputFormat,
        typer.Option("--format", "-f", help="What the files hold (auto: from their shape)."),
    ] = InputFormat.auto,
    column: Annotated[
        list[str] | None,
        typer.Option("--column", help="CSV column of a post field: FIELD=COLUMN (repeatable)."),
    ] = None,
    platform: Annotated[
        str | None, typer.Option("--platform", "-p", help="Platform of posts that name none.")
    ] = None,
    connection: Annotated[
        str | None,
        typer.Option("--connection", "-c", help="Declared connection(s) of posts that name none."),
    ] = None,
    pack: Annotated[
        str, typer.Option("--jurisdiction", "--pack", "-j", help="Rule pack.")
    ] = "us-ftc",
    workers: Annotated[
        int, typer.Option("--workers", "-w", help="Worker processes (0: one per core).")
    ] = 0,
    chunk_size: Annotated[
        int, typer.Option("--chunk-size", help="Posts per chunk written at once.", min=1)
    ] = 1000,
    sarif: Annotated[bool, typer.Option("--sarif", help="Also write results.sarif.")] = False,
    fail_on: Annotated[
        FailOn,
        typer.Option(
            help="Exit 1 when a finding of this severity or worse (or a bad line) is found."
        ),
    ] = FailOn.never,
    restart: Annotated[
        bool, typer.Option("--restart", help="Discard a previous run in the folder.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress output.")] = False,
    cache: Annotated[
        bool,
        typer.Option(
            "--cache/--no-cache", help="Keep the built rule pack on disk for the next run."
        ),
    ] = True,
) -> None:
    """Check every post of the inputs into OUTPUT (results.jsonl, errors.jsonl, report.html,
    summary.csv); run the same command again after an interruption to resume."""
    from compliance.audit.cache import cached_checker
    from compliance.audit.progress import progress_for
    from compliance.audit.reports import write_reports
    from compliance.audit.runner import AuditOptions, check_all, open_run
    from compliance.engine import Checker
    from compliance.io.tabular import parse_mapping

    def fail(exc: ComplianceError) -> typer.Exit:
        typer.echo(f"error {exc.code}: {exc.message}", err=True)
        return typer.Exit(2)

    try:
        opts = AuditOptions(
            fmt=fmt.value,
            columns=parse_mapping(column),
            platform=platform.strip().lower() if platform else None,
            connection=connection.split(",") if connection else None,
            pack=pack,
            workers=workers,
            chunk_size=chunk_size,
            restart=restart,
        )
        run = open_run(inputs, output, opts)
    except ComplianceError as exc:
        raise fail(exc) from exc
    say = (lambda msg: None) if quiet else (lambda msg: typer.echo(msg, err=True))
    if run.state.complete:
        say(f"audit already complete in {output}: writing the reports again")
    elif run.resumed_from:
        say(f"resuming: {run.resumed_from:,} of {run.total:,} rows were done")

    def build() -> Checker:
        t0 = time.perf_counter()
        try:
            checker, cached = cached_checker(pack, use_cache=cache)
        except ComplianceError as exc:
            raise fail(exc) from exc
        how = "from the cache" if cached else "built"
        took = time.perf_counter() - t0
        say(f"rule pack {checker.pack.name} {checker.pack.version} {how}, loaded in {took:.1f}s")
        return checker

    previous = signal.signal(signal.SIGTERM, _sigterm)
    try:
        run = check_all(run, opts, build, progress_for(quiet))
    finally:
        signal.signal(signal.SIGTERM, previous)
    if run.interrupted:
        typer.echo(
            f"interrupted: {run.state.rows_done:,} of {run.total:,} rows are done and saved; "
            "run the same command again to resume",
            err=True,
        )
        raise typer.Exit(130)
    summary = write_reports(run, opts.columns, sarif=sarif)
    v = summary.verdicts
    say(
        f"{summary.checked:,} posts checked ({v['fail']:,} fail, {v['needs_review']:,} need "
        f"review, {v['pass']:,} pass), {summary.bad:,} input rows not checked "
        f"(see errors.jsonl) -> {output / 'report.html'}"
    )
    if summary.checked == 0 and summary.bad:
        raise typer.Exit(2)
    if fails(fail_on, summary.worst_severity, summary.bad):
        raise typer.Exit(1)
    sys.stdout.flush()


def register(app: typer.Typer) -> None:
    """Add `audit` to the `compliance` command."""
    app.command("audit")(audit_cmd)
