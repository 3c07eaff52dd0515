"""`compliance serve` (the REST service) and `compliance keys` (API keys), registered on the
main CLI by `register(app)`. FastAPI and uvicorn are imported only when serving."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from compliance.store.roles import Role

if TYPE_CHECKING:
    from compliance.store.db import Database

keys_app = typer.Typer(no_args_is_help=True, help="Create, list and revoke API keys.")

DatabaseOpt = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        help="SQLAlchemy URL (default: $COMPLIANCE_DATABASE_URL, else SQLite in the data dir).",
    ),
]
DataDirOpt = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        help="Data directory for the default SQLite database "
        "(default: $COMPLIANCE_DATA_DIR, else ~/.local/share/compliance).",
    ),
]


def _database(url: str | None, data_dir: Path | None) -> Database:
    from compliance.store.db import Database, database_url

    try:
        db = Database(database_url(url, data_dir))
        db.migrate()
    except Exception as exc:  # bad URL, unreachable server, unwritable directory
        typer.echo(f"error: database not usable: {exc}", err=True)
        raise typer.Exit(2) from exc
    return db


@keys_app.command("create")
def keys_create(
    org: Annotated[str, typer.Option("--org", help="Organisation (created when new).")],
    role: Annotated[Role, typer.Option("--role", help="What the key may do.")],
    name: Annotated[str | None, typer.Option("--name", help="A label for the key.")] = None,
    url: DatabaseOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Create a key; the key itself is printed once, as the last line. Store it now."""
    from compliance.store.keys import StoreError, create_key

    db = _database(url, data_dir)
    try:
        key, info = create_key(db, org, role, name)
    except StoreError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(
        f"created key {info.key_id} for organisation '{info.organisation}' "
        f"with role {info.role.value}; it is shown only now:",
        err=True,
    )
    sys.stdout.write(key + "\n")


@keys_app.command("list")
def keys_list(
    org: Annotated[str | None, typer.Option("--org", help="Only this organisation.")] = None,
    url: DatabaseOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """One line per key: id, organisation, role, created, revoked (never the key itself)."""
    from compliance.store.keys import list_keys

    db = _database(url, data_dir)
    rows = list_keys(db, org)
    typer.echo("key_id\torganisation\trole\tcreated_at\trevoked_at\tname")
    for k in rows:
        revoked = k.revoked_at.isoformat(timespec="seconds") if k.revoked_at else "-"
        typer.echo(
            f"{k.key_id}\t{k.organisation}\t{k.role.value}\t"
            f"{k.created_at.isoformat(timespec='seconds')}\t{revoked}\t{k.name or ''}"
        )


@keys_app.command("revoke")
def keys_revoke(
    key_id: Annotated[str, typer.Argument(help="The key id shown by `keys list`.")],
    url: DatabaseOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Revoke a key; requests with it are refused from then on (within the service's key
    cache time, 5 s by default)."""
    from compliance.store.keys import StoreError, revoke_key

    db = _database(url, data_dir)
    try:
        info = revoke_key(db, key_id)
    except StoreError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(f"revoked key {info.key_id} of organisation '{info.organisation}'")


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    url: DatabaseOpt = None,
    data_dir: DataDirOpt = None,
    pack: Annotated[
        str, typer.Option("--pack", "-j", help="Default rule pack (name or folder).")
    ] = "us-ftc",
    extra_pack: Annotated[
        list[str] | None,
        typer.Option("--extra-pack", help="A further pack requests may ask for (repeatable)."),
    ] = None,
    access_log: Annotated[bool, typer.Option(help="Log every request.")] = True,
) -> None:
    """Run the REST service (FastAPI on uvicorn). Packs load and the database is migrated once,
    at start-up; see /docs for the API."""
    import uvicorn

    from compliance.store.db import database_url

    url = database_url(url, data_dir)
    _database(url, None)  # migrate once, before any worker starts
    # the app (api.app:create_app) reads its settings from the environment, in every worker
    os.environ["COMPLIANCE_DATABASE_URL"] = url
    os.environ["COMPLIANCE_PACK"] = pack
    if extra_pack:
        os.environ["COMPLIANCE_EXTRA_PACKS"] = ",".join(extra_pack)
    os.environ["COMPLIANCE_MIGRATE"] = "0"
    uvicorn.run(
        "api.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=access_log,
        log_level="info",
    )


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.add_typer(keys_app, name="keys")
