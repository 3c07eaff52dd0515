"""The review UI in headless Chromium: sign in, filter the queue (htmx), open a submission
whose text is `<script>` (rendered as text, never run), claim it, request changes, read the
history; another organisation's reviewer sees none of it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.ui.conftest import Team, screenshot_dir, sign_in

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed").expect


def shot(page: Any, name: str, tmp_path: Path) -> None:
    target = screenshot_dir() or tmp_path
    target.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target / name), full_page=True)


def test_queue_filters_with_htmx(page: Any, team: Team, tmp_path: Path) -> None:
    sign_in(page, team, team.reviewer)
    rows = page.locator("table.queue tbody tr")
    assert rows.count() == 4  # the passing post is approved by the engine, not queued
    assert page.locator("text=ok-post-02").count() == 0
    shot(page, "queue.png", tmp_path)
    page.select_option("select[name=platform]", "tiktok")
    page.wait_for_url(re.compile(r"platform=tiktok"))
    expect(rows).to_have_count(1)
    assert "tt-launch-07" in page.inner_text("#queue-table")
    assert page.locator(".top .brand").count() == 1  # the table was swapped, not the page
    page.select_option("select[name=platform]", "")
    page.select_option("select[name=campaign]", "spring-glow")
    expect(rows).to_have_count(2)
    page.select_option("select[name=state]", "all")
    expect(rows).to_have_count(3)
    assert "ok-post-02" in page.inner_text("#queue-table")


def test_script_post_renders_as_text_and_is_reviewed(page: Any, team: Team, tmp_path: Path) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    sign_in(page, team, team.reviewer)
    page.click("a:has-text('<script>alert(1)</script>')")
    page.wait_for_url(f"**/ui/submissions/{team.ids['hostile-01']}")
    text = page.inner_text("#post-text")
    assert "<script>alert(1)</script>" in text
    assert page.locator("#post-text script").count() == 0
    assert page.evaluate("typeof window.__pwned") == "undefined"
    # findings are highlighted at their spans: `#sp` is marked
    marked = page.locator("#post-text mark").all_inner_texts()
    assert any(m.startswith("#sp") for m in marked), marked
    assert page.locator("ol.findings > li").count() >= 1
    assert page.locator("#fixed-text ins").count() >= 1  # the fixes, applied, as a diff
    page.click("#claim")
    page.wait_for_selector("text=Claimed: it is in review by you.")
    assert page.inner_text("#state") == "in review"
    page.fill("textarea[name=note]", "Say #ad at the start, not #sp. <b>thanks</b>")
    shot(page, "submission.png", tmp_path)
    page.click("button[value=request_changes]")
    page.wait_for_selector("text=Changes requested.")
    assert page.inner_text("#state") == "changes requested"
    history = page.inner_text("#history")
    assert "rita@acme.test" in history and "request changes" in history
    assert "<b>thanks</b>" in history  # the note is text, too
    assert dialogs == []


def test_other_organisation_sees_nothing(page: Any, team: Team) -> None:
    sign_in(page, team, team.other)
    assert page.locator("table.queue tbody tr").count() == 0
    response = page.goto(f"{team.url}/ui/submissions/{team.ids['spring-reel-01']}")
    assert response is not None and response.status == 404
    assert "No such submission" in page.inner_text("main")


def test_submitter_has_no_review_buttons(page: Any, team: Team) -> None:
    sign_in(page, team, team.submitter)
    assert page.locator("#claim-next").count() == 0
    page.goto(f"{team.url}/ui/submissions/{team.ids['tt-launch-07']}")
    assert page.locator("#claim").count() == 0
    assert "Waiting for a reviewer" in page.inner_text("aside")
