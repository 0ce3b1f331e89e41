"""With a token: browsers get the token page (not a 401), then an HttpOnly SameSite=Strict cookie
that is not the token; programs still get 401 JSON; cookie-carried writes must be same-origin."""

from __future__ import annotations

from fastapi.testclient import TestClient

from onelegion.core.runtime import Runtime
from onelegion.surfaces.api import create_app
from onelegion.surfaces.security import COOKIE, cookie_value

TOKEN = "s3cret-token-for-the-cockpit"
HTML = {"Accept": "text/html,application/xhtml+xml"}


def _client(runtime: Runtime) -> TestClient:
    return TestClient(create_app(runtime, token=TOKEN), base_url="http://192.168.1.5:8765")


def test_browser_is_sent_to_the_token_page_program_gets_401(runtime: Runtime) -> None:
    c = _client(runtime)
    page = c.get("/runs", headers=HTML, follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/login?next=/runs"
    assert c.get("/", follow_redirects=False).status_code == 401  # no Accept: text/html
    api = c.get("/api/runs", headers=HTML, follow_redirects=False)
    assert api.status_code == 401 and api.json()["kind"] == "auth"
    login = c.get("/login?next=/runs", headers=HTML)
    assert login.status_code == 200
    assert '<input type="hidden" name="next" value="/runs">' in login.text
    assert c.get("/static/htmx.min.js").status_code == 200  # the token page needs its assets


def test_token_page_sets_a_strict_httponly_cookie(runtime: Runtime) -> None:
    c = _client(runtime)
    wrong = c.post("/login", data={"token": "nope", "next": "/runs"}, follow_redirects=False)
    assert wrong.status_code == 401 and "Wrong token." in wrong.text
    assert COOKIE not in wrong.headers.get("set-cookie", "")
    ok = c.post("/login", data={"token": TOKEN, "next": "/runs"}, follow_redirects=False)
    assert ok.status_code == 303 and ok.headers["location"] == "/runs"
    cookie = ok.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}={cookie_value(TOKEN)};")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and TOKEN not in cookie
    assert c.get("/", headers=HTML).status_code == 200
    assert c.get("/api/runs").status_code == 200  # the page's SSE and artifact links work
    run = c.post(
        "/skills/util.echo", data={"message": "x"}, headers={"Origin": "http://192.168.1.5:8765"}
    )
    assert run.status_code == 200 and "util.echo" in run.text
    evil = c.post(
        "/skills/util.echo", data={"message": "y"}, headers={"Origin": "https://evil.example"}
    )
    assert evil.status_code == 403
    assert [r.params for r in runtime.store.list_runs()] == [{"message": "x"}]


def test_the_cookie_is_not_a_bearer_token_and_next_stays_local(runtime: Runtime) -> None:
    c = _client(runtime)
    fake = c.get("/api/runs", headers={"Authorization": f"Bearer {cookie_value(TOKEN)}"})
    assert fake.status_code == 401
    c.cookies.set(COOKIE, TOKEN)  # the raw token is no session
    assert c.get("/api/runs").status_code == 401
    c.cookies.clear()
    for target in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        r = c.post("/login", data={"token": TOKEN, "next": target}, follow_redirects=False)
        assert r.headers["location"] == "/", target


def test_login_without_a_token_goes_home(client: TestClient) -> None:
    r = client.get("/login", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"
