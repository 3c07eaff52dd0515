"""The review web UI without a browser: sign-in, cookies, CSRF, roles, tenant isolation and
escaping of hostile post text (the browser tests in tests/ui drive the same pages)."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest

from compliance.store.people import create_organisation, create_person
from tests.api.conftest import Keys

PASSWORD = "correct horse battery"
HOSTILE = {
    "platform": "instagram",
    "text": "<script>alert(1)</script> love this @glowlab serum, code MIA20",
    "material_connection": "free_product",
    "campaign": "<b>spring</b>",
}


def person(client: Any, org: str, role: str) -> str:
    db = client.app.state.services.db
    create_organisation(db, org)
    email = f"{role}-{uuid.uuid4().hex[:6]}@{org}.test"
    create_person(db, org, email, role, PASSWORD)
    return email


def csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, html[:500]
    return found.group(1)


def sign_in(client: Any, email: str, password: str = PASSWORD) -> Any:
    client.cookies.clear()
    form = client.get("/ui/login")
    return client.post(
        "/ui/login",
        data={"email": email, "password": password, "csrf_token": csrf(form.text)},
        follow_redirects=False,
    )


@pytest.fixture()
def hostile(client: Any, keys: Keys) -> str:
    r = client.post("/v1/submissions", json={"post": HOSTILE}, headers=keys.auth())
    assert r.status_code == 201
    sub_id: str = r.json()["id"]
    return sub_id


def test_sign_in_sets_a_hardened_cookie(client: Any) -> None:
    email = person(client, "acme", "reviewer")
    assert client.get("/ui/queue", follow_redirects=False).status_code == 303
    wrong = sign_in(client, email, "not the password")
    assert wrong.status_code == 401 and "Wrong email or password" in wrong.text
    r = sign_in(client, email)
    assert r.status_code == 303 and r.headers["location"] == "/ui/queue"
    cookie = next(v for k, v in r.headers.multi_items() if k == "set-cookie" and "session" in v)
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    page = client.get("/ui/queue")
    assert page.status_code == 200 and email in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]


def test_sign_in_needs_the_form_token_and_refuses_foreign_redirects(client: Any) -> None:
    email = person(client, "acme", "reviewer")
    client.cookies.clear()
    r = client.post(
        "/ui/login",
        data={"email": email, "password": PASSWORD, "csrf_token": "forged"},
        follow_redirects=False,
    )
    assert r.status_code == 403
    form = client.get("/ui/login", params={"next": "//evil.example/x"})
    assert 'value="/ui/queue"' in form.text
    r = client.post(
        "/ui/login",
        data={
            "email": email,
            "password": PASSWORD,
            "csrf_token": csrf(form.text),
            "next": "https://evil.example/",
        },
        follow_redirects=False,
    )
    assert r.headers["location"] == "/ui/queue"


def test_hostile_text_is_escaped_everywhere(client: Any, hostile: str) -> None:
    sign_in(client, person(client, "acme", "reviewer"))
    for path in (
        f"/ui/submissions/{hostile}",
        "/ui/queue?state=all&campaign=%3Cb%3Espring%3C%2Fb%3E",
    ):
        html = client.get(path).text
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "<b>spring</b>" not in html


def test_claim_and_decide_with_csrf(client: Any, hostile: str) -> None:
    email = person(client, "acme", "reviewer")
    sign_in(client, email)
    page = client.get(f"/ui/submissions/{hostile}").text
    token = csrf(page)
    forged = client.post(
        f"/ui/submissions/{hostile}/claim", data={"csrf_token": "x"}, follow_redirects=False
    )
    assert forged.status_code == 403
    r = client.post(
        f"/ui/submissions/{hostile}/claim", data={"csrf_token": token}, follow_redirects=False
    )
    assert r.status_code == 303
    page = client.get(r.headers["location"]).text
    assert "Claimed" in page and 'value="approve"' in page
    r = client.post(
        f"/ui/submissions/{hostile}/decision",
        data={"csrf_token": token, "decision": "request_changes", "note": "<i>#ad first</i>"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    page = client.get(r.headers["location"]).text
    assert "&lt;i&gt;#ad first&lt;/i&gt;" in page and "changes requested" in page


def test_submitters_see_but_do_not_act(client: Any, hostile: str) -> None:
    sign_in(client, person(client, "acme", "submitter"))
    page = client.get(f"/ui/submissions/{hostile}").text
    assert "Claim for review" not in page
    r = client.post(
        f"/ui/submissions/{hostile}/claim", data={"csrf_token": csrf(page)}, follow_redirects=False
    )
    assert r.status_code == 403


def test_other_organisations_get_404_pages(client: Any, hostile: str) -> None:
    sign_in(client, person(client, "globex", "admin"))
    page = client.get("/ui/queue?state=all").text
    assert hostile not in page
    assert client.get(f"/ui/submissions/{hostile}").status_code == 404
    token = csrf(page)
    for action, data in (("claim", {}), ("decision", {"decision": "approve"})):
        r = client.post(
            f"/ui/submissions/{hostile}/{action}",
            data={"csrf_token": token, **data},
            follow_redirects=False,
        )
        assert r.status_code == 404, action


def test_sign_out_ends_the_session(client: Any) -> None:
    sign_in(client, person(client, "acme", "admin"))
    page = client.get("/ui/queue")
    session = client.cookies.get("compliance_session")
    client.post("/ui/logout", data={"csrf_token": csrf(page.text)})
    client.cookies.set("compliance_session", session)
    assert client.get("/ui/queue", follow_redirects=False).status_code == 303
