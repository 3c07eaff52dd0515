"""The `compliance` command: check posts, list and test rules, evaluate accuracy."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import orjson
import typer
from rich.console import Console
from rich.table import Table

from compliance import review_cli, service_cli
from compliance.audit import cli as audit_cli
from compliance.cli_common import FailOn, fails
from compliance.engine import Checker, coerce_post, dumps
from compliance.errors import ComplianceError
from compliance.io.readers import Row, iter_jsonl, iter_path, split_record
from compliance.lexicon.watchdog import watchdog
from compliance.models.report import Report
from compliance.render.text import render

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Check sponsored posts for undisclosed material connections.",
)
rules_app = typer.Typer(no_args_is_help=True, help="List, show and test the rules of a pack.")
app.add_typer(rules_app, name="rules")
service_cli.register(app)  # serve, keys
review_cli.register(app)  # orgs, users (the review queue's people)


class Format(StrEnum):
    human = "human"
    json = "json"
    jsonl = "jsonl"


SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
PackOpt = Annotated[
    str,
    typer.Option(
        "--jurisdiction", "--pack", "-j", help="Rule pack: a name under rules/ or a folder."
    ),
]


def _checker(pack: str) -> Checker:
    try:
        return Checker.from_pack(pack)
    except ComplianceError as exc:
        typer.echo(f"error {exc.code}: {exc.message}", err=True)
        raise typer.Exit(2) from exc


def _looks_like_file(source: str) -> bool:
    """A path to read, rather than post text: an existing file, or a name ending in .json(l)."""
    if source == "-" or len(source) > 4096 or "\n" in source:
        return source == "-"
    if source.lower().endswith((".json", ".jsonl", ".ndjson")):
        return True
    try:
        return Path(source).is_file()
    except OSError:  # e.g. a text too long to be a file name
        return False


def _rows(
    source: str | None, text: str | None, platform: str | None, connection: str | None
) -> list[Row]:
    if text is not None or (source is not None and not _looks_like_file(source)):
        record: dict[str, object] = {"id": "post", "text": text if text is not None else source}
        if platform:
            record["platform"] = platform
        if connection:
            record["material_connection"] = connection.split(",")
        return [Row(1, record)]
    if source == "-" or source is None:
        return list(iter_jsonl(sys.stdin))
    rows = []
    for row in iter_path(Path(source)):
        if row.record is not None:
            if platform and "platform" not in row.record:
                row.record["platform"] = platform
            if connection and "material_connection" not in row.record:
                row.record["material_connection"] = connection.split(",")
        rows.append(row)
    return rows


@app.command()
def check(
    source: Annotated[
        str | None,
        typer.Argument(
            help="A .jsonl / .json file of posts, '-' for JSONL on stdin, or the post text itself."
        ),
    ] = None,
    text: Annotated[str | None, typer.Option("--text", "-t", help="Check this text.")] = None,
    platform: Annotated[str | None, typer.Option("--platform", "-p")] = None,
    connection: Annotated[
        str | None,
        typer.Option(
            "--connection", "-c", help="Declared material connection(s), comma-separated."
        ),
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.human,
    pack: PackOpt = "us-ftc",
    fail_on: Annotated[
        FailOn, typer.Option(help="Exit 1 when a finding of this severity or worse is found.")
    ] = FailOn.never,
) -> None:
    """Check posts and print a report for each, in input order."""
    checker = _checker(pack)
    try:
        rows = _rows(source, text, platform, connection)
    except ComplianceError as exc:
        typer.echo(f"error {exc.code}: {exc.message}", err=True)
        raise typer.Exit(2) from exc
    console = Console(highlight=False, soft_wrap=not sys.stdout.isatty())
    worst = 3
    reports = []
    bad = 0
    with watchdog():  # bounds every regex call without a clock read per call
        for row in rows:
            try:
                if row.error is not None:
                    raise row.error
                assert row.record is not None
                post = coerce_post(row.record)
                data = checker.check_dict(post)
            except ComplianceError as exc:
                bad += 1
                err = {"id": (row.record or {}).get("id"), "line": row.line, "error": exc.to_dict()}
                if fmt == Format.human:
                    console.print(
                        f"[red]line {row.line}: {exc.code} {exc.message}[/red]",
                        markup=True,
                        highlight=False,
                    )
                elif fmt == Format.jsonl:
                    sys.stdout.write(orjson.dumps(err).decode() + "\n")
                else:
                    reports.append(err)
                continue
            for f in data["findings"]:
                worst = min(worst, SEVERITY_ORDER[f["severity"]])
            if fmt == Format.human:
                render(Report.model_validate(data), post.text, console)
            elif fmt == Format.jsonl:
                sys.stdout.write(dumps(data) + "\n")
            else:
                reports.append(data)
    if fmt == Format.json:
        out = reports[0] if len(reports) == 1 and len(rows) == 1 else reports
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
    if bad:
        typer.echo(f"{bad} of {len(rows)} input(s) could not be checked", err=True)
        if bad == len(rows):
            raise typer.Exit(2)
    if fails(fail_on, worst, bad):
        raise typer.Exit(1)


@rules_app.command("list")
def rules_list(pack: PackOpt = "us-ftc") -> None:
    """One line per rule: id, severity, category, citation."""
    checker = _checker(pack)
    table = Table(title=f"{checker.pack.name} {checker.pack.version}")
    table.add_column("id", no_wrap=True)
    for col in ("severity", "category", "weight", "citation"):
        table.add_column(col)
    for r in checker.rules():
        table.add_row(r.id, r.severity.value, r.category.value, r.legal_weight, r.citation)
    Console(width=None if sys.stdout.isatty() else 200).print(table)


@rules_app.command("show")
def rules_show(rule_id: str, pack: PackOpt = "us-ftc") -> None:
    """Everything about one rule, as YAML-like JSON."""
    checker = _checker(pack)
    try:
        rule = checker.pack.rule(rule_id)
    except ComplianceError as exc:
        typer.echo(f"error {exc.code}: {exc.message}", err=True)
        raise typer.Exit(2) from exc
    sys.stdout.write(json.dumps(rule.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n")


@rules_app.command("test")
def rules_test(pack: PackOpt = "us-ftc") -> None:
    """Run every rule's must-flag and must-not-flag examples."""
    from compliance.rules.examples import run_examples

    checker = _checker(pack)
    checker.prepare()  # every lexicon pattern compiles, or E106 names it
    results = run_examples(checker)
    failed = [r for r in results if not r.ok and r.kind != "known_gaps"]
    for r in results:
        if not r.ok:
            mark = "gap " if r.kind == "known_gaps" else "FAIL"
            typer.echo(f"{mark} {r.rule_id} {r.kind}: {r.text[:70]!r} -> {r.found}")
    typer.echo(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    if failed:
        raise typer.Exit(1)


@app.command("eval")
def eval_cmd(
    corpus: Annotated[list[Path], typer.Argument(help="Labeled JSONL file(s).")],
    pack: PackOpt = "us-ftc",
    use_declared: Annotated[
        bool,
        typer.Option(
            "--declared/--infer",
            help="Give the engine the corpus's material_connection "
            "(default) or make it infer the connection from the text.",
        ),
    ] = True,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json")] = "table",
    errors: Annotated[bool, typer.Option("--errors", help="List misclassified posts.")] = False,
) -> None:
    """Precision / recall / F1 per category and the confusion of verdicts over labeled posts."""
    from compliance.evaluation import evaluate, print_tables

    checker = _checker(pack)
    try:
        result = evaluate(checker, corpus, use_declared=use_declared)
    except ComplianceError as exc:
        typer.echo(f"error {exc.code}: {exc.message}", err=True)
        raise typer.Exit(2) from exc
    if fmt == "json":
        sys.stdout.write(json.dumps(result.as_dict(), indent=2) + "\n")
    else:
        print_tables(result, Console(), show_errors=errors)


audit_cli.register(app)  # audit


@app.command()
def version() -> None:
    """The engine's version, the Python it runs on, and its build: compiled (the modules mypyc
    compiled to C extensions, see hatch_build.py) or pure Python."""
    import platform

    from compliance.version import __version__, build_name, compiled_modules

    typer.echo(f"compliance-checker {__version__} (python {platform.python_version()})")
    typer.echo(f"build: {build_name()}")
    for name in compiled_modules():
        typer.echo(f"  {name}")


def main() -> None:
    app()


__all__ = ["app", "main", "split_record"]
