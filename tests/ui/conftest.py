"""Browser tests: `compliance serve` as a real uvicorn process on 127.0.0.1 with a team set up
(an organisation, people, an API key, submitted posts), driven by Playwright in the system's
headless Chromium (/usr/bin/chromium; Playwright downloads no browser here)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from compliance.store.db import Database
from compliance.store.keys import create_key
from compliance.store.people import create_organisation, create_person
from tests.api.conftest import Server, server  # noqa: F401  (the served app, a fixture)

CHROMIUM = os.environ.get("COMPLIANCE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "correct horse battery"
POSTS: list[dict[str, Any]] = [
    {
        "id": "spring-reel-01",
        "platform": "instagram",
        "campaign": "spring-glow",
        "text": "Loving my new serum from @glowlab! Use code MIA20 for 20% off #skincare",
        "material_connection": "free_product",
        "brands": ["@glowlab"],
    },
    {
        "id": "hostile-01",
        "platform": "instagram",
        "campaign": "spring-glow",
        "text": "<script>alert(1)</script> my favourite @glowlab serum, code MIA20 #sp",
        "material_connection": "paid",
    },
    {
        "id": "tt-launch-07",
        "platform": "tiktok",
        "campaign": "launch",
        "text": "This tea cured my bloating in 3 days, clinically proven!! #collab @teatox",
        "material_connection": "paid",
    },
    {
        "id": "yt-review-12",
        "platform": "youtube",
        "campaign": "launch",
        "text": "Honest review of the TeaTox kit. I lost 10 pounds in a week without dieting. "
        "Link in bio, thanks @teatox for sending it #partner",
        "material_connection": "free_product",
    },
    {
        "id": "ok-post-02",
        "platform": "instagram",
        "campaign": "spring-glow",
        "text": "#ad Golden hour glow with the new @glowlab serum, light and fast.",
        "material_connection": "paid",
    },
]


@dataclass(frozen=True)
class Team:
    url: str
    reviewer: str
    admin: str
    submitter: str
    other: str  # a reviewer of another organisation
    ids: dict[str, str]  # post id -> submission id


@pytest.fixture(scope="session")
def team(server: Server) -> Team:  # noqa: F811
    db = Database(f"sqlite:///{server.data_dir / 'compliance.db'}")
    try:
        emails = {}
        for org, role, email in (
            ("Acme Agency", "reviewer", "rita@acme.test"),
            ("Acme Agency", "admin", "ada@acme.test"),
            ("Acme Agency", "submitter", "sam@acme.test"),
            ("Globex", "reviewer", "gus@globex.test"),
        ):
            create_organisation(db, org)
            create_person(db, org, email, role, PASSWORD)
            emails[(org, role)] = email
        key = create_key(db, "Acme Agency", "submitter", name="creator tool")[0]
    finally:
        db.dispose()
    ids = {}
    with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {key}"}) as http:
        for post in POSTS:
            r = http.post("/v1/submissions", json={"post": post}, timeout=30)
            assert r.status_code == 201, r.text
            ids[post["id"]] = r.json()["id"]
    return Team(
        server.url,
        emails[("Acme Agency", "reviewer")],
        emails[("Acme Agency", "admin")],
        emails[("Acme Agency", "submitter")],
        emails[("Globex", "reviewer")],
        ids,
    )


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists() and not shutil.which(CHROMIUM):
        pytest.skip(f"no Chromium at {CHROMIUM} (CI installs Debian's chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright for Python is not installed (pip install -e '.[dev]')")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1360, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    yield pg
    context.close()


def sign_in(page: Any, team: Team, email: str) -> None:
    page.goto(team.url + "/ui/queue")
    assert "/ui/login" in page.url
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/ui/queue**")


def screenshot_dir() -> Path | None:
    """Set COMPLIANCE_SCREENSHOT_DIR to keep the screenshots the tests take (docs/screenshots)."""
    value = os.environ.get("COMPLIANCE_SCREENSHOT_DIR")
    return Path(value) if value else None
