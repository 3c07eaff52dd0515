"""`compliance keys create | list | revoke` with a real SQLite database in a data directory."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from compliance.cli import app
from compliance.store.db import Database
from compliance.store.keys import verify_key


def test_keys_create_list_revoke(tmp_path: Path) -> None:
    runner = CliRunner()
    where = ["--data-dir", str(tmp_path)]
    r = runner.invoke(app, ["keys", "create", "--org", "acme", "--role", "submitter", *where])
    assert r.exit_code == 0, r.output
    key = r.stdout.strip().splitlines()[-1]
    assert key.startswith("cck_")
    db = Database(f"sqlite:///{tmp_path / 'compliance.db'}")
    info = verify_key(db, key)
    assert info is not None and info.organisation == "acme"

    r = runner.invoke(app, ["keys", "list", *where])
    assert r.exit_code == 0
    assert info.key_id in r.stdout and "submitter" in r.stdout
    assert key not in r.stdout

    r = runner.invoke(app, ["keys", "revoke", info.key_id, *where])
    assert r.exit_code == 0
    assert verify_key(db, key) is None
    r = runner.invoke(app, ["keys", "revoke", "ffffffffffff", *where])
    assert r.exit_code == 2


def test_keys_create_refuses_a_bad_role(tmp_path: Path) -> None:
    r = CliRunner().invoke(
        app, ["keys", "create", "--org", "a", "--role", "root", "--data-dir", str(tmp_path)]
    )
    assert r.exit_code == 2


def test_database_url_option(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'elsewhere.db'}"
    r = CliRunner().invoke(
        app, ["keys", "create", "--org", "a", "--role", "admin", "--database-url", url]
    )
    assert r.exit_code == 0, r.output
    assert (tmp_path / "elsewhere.db").is_file()
