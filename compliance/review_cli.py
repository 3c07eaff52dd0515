"""`compliance orgs` and `compliance users`: set up a team for the review queue (an
organisation, then the people who sign in to the web UI), registered by `register(app)`."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from compliance.service_cli import DatabaseOpt, DataDirOpt, _database
from compliance.store.roles import Role

orgs_app = typer.Typer(no_args_is_help=True, help="Create and list organisations (tenants).")
users_app = typer.Typer(
    no_args_is_help=True, help="Create and list the people who sign in to the review UI."
)


@orgs_app.command("create")
def orgs_create(
    name: Annotated[str, typer.Argument(help="The organisation's name.")],
    url: DatabaseOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Create an organisation (an existing one is left as it is)."""
    from compliance.store.keys import StoreError
    from compliance.store.people import create_organisation

    try:
        _id, created = create_organisation(_database(url, data_dir), name)
    except StoreError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(f"{'created' if created else 'exists:'} organisation '{name.strip()}'")


@orgs_app.command("list")
def orgs_list(url: DatabaseOpt = None, data_dir: DataDirOpt = None) -> None:
    from compliance.store.people import list_organisations

    typer.echo("organisation\tcreated_at")
    for _id, name, created in list_organisations(_database(url, data_dir)):
        typer.echo(f"{name}\t{created.isoformat(timespec='seconds')}")


@users_app.command("create")
def users_create(
    org: Annotated[str, typer.Option("--org", help="An existing organisation.")],
    email: Annotated[str, typer.Option("--email", help="Signs in with this address.")],
    role: Annotated[Role, typer.Option("--role", help="What the person may do.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    url: DatabaseOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Create a person; the password is asked for twice (or read from stdin), at least 10
    characters, and stored only as an Argon2id hash."""
    from compliance.store.keys import StoreError
    from compliance.store.people import create_person

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        person = create_person(_database(url, data_dir), org, email, role, password)
    except StoreError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(
        f"created {person.role.value} {person.email} in organisation '{person.organisation}'"
    )


@users_app.command("list")
def users_list(
    org: Annotated[str | None, typer.Option("--org", help="Only this organisation.")] = None,
    url: DatabaseOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    from compliance.store.people import list_people

    typer.echo("email\torganisation\trole\tcreated_at")
    for p in list_people(_database(url, data_dir), org):
        typer.echo(
            f"{p.email}\t{p.organisation}\t{p.role.value}\t{p.created_at.isoformat(timespec='seconds')}"
        )


def register(app: typer.Typer) -> None:
    app.add_typer(orgs_app, name="orgs")
    app.add_typer(users_app, name="users")
