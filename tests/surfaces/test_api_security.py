"""Who may call the API: token rules, bind rules, cross-site browsers, Host names."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from onelegion.core.errors import UserError
from onelegion.core.runtime import Runtime
from onelegion.surfaces.api import create_app, serve
from onelegion.surfaces.mcp import serve_http
from onelegion.surfaces.security import check_bind, is_loopback, resolve_token

TOKEN = "s3cret-token-for-tests"


def test_token_required_when_configured(runtime: Runtime) -> None:
    c = TestClient(create_app(runtime, token=TOKEN), base_url="http://127.0.0.1")
    r = c.get("/api/skills")
    assert r.status_code == 401
    assert r.json() == {
        "error": "this server needs a token — send the header 'Authorization: Bearer <token>'",
        "kind": "auth",
    }
    assert r.headers["www-authenticate"].startswith("Bearer")
    for header in (f"Bearer {TOKEN}x", f"Bearer {TOKEN[:-1]}", f"Basic {TOKEN}", TOKEN, "Bearer "):
        r = c.get("/api/skills", headers={"Authorization": header})
        assert r.status_code == 401, header
        assert r.json()["error"].startswith("missing or wrong token")
    ok = c.get("/api/skills", headers={"Authorization": f"Bearer {TOKEN}"})
    assert ok.status_code == 200
    assert c.get("/api/skills", headers={"Authorization": f"bearer {TOKEN}"}).status_code == 200
    # runs, the index page and uploads are protected too; nothing runs without the token
    assert c.post("/api/runs", json={"skill": "util.echo"}).status_code == 401
    assert c.get("/").status_code == 401
    assert runtime.store.list_runs() == []
    run = c.post(
        "/api/runs",
        json={"skill": "util.echo", "params": {"message": "x"}, "wait": True},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert run.status_code == 200 and run.json()["output"] == {"message": "x"}
    # the API description carries no data
    assert c.get("/openapi.json").status_code == 200


def test_token_from_environment(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEGION_TOKEN", TOKEN)
    c = TestClient(create_app(runtime), base_url="http://127.0.0.1")
    assert c.get("/api/runs").status_code == 401
    assert c.get("/api/runs", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200


def test_resolve_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LEGION_TOKEN", raising=False)
    assert resolve_token(None) is None
    assert resolve_token("  ") is None
    monkeypatch.setenv("LEGION_TOKEN", " abc ")
    assert resolve_token(None) == "abc"
    assert resolve_token("given") == "given"


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("LOCALHOST", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.10", False),
        ("example.com", False),
    ],
)
def test_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_refuses_public_bind_without_token(runtime: Runtime) -> None:
    with pytest.raises(UserError) as err:
        serve(runtime, host="0.0.0.0", port=1)
    line = err.value.one_line()
    assert line.startswith("refusing to serve on 0.0.0.0 without a token")
    assert "LEGION_TOKEN" in line and "\n" not in line
    with pytest.raises(UserError, match=r"refusing to serve on 192\.168\.1\.10"):
        serve_http(runtime, host="192.168.1.10", port=1)
    check_bind("0.0.0.0", TOKEN)  # with a token it may start
    check_bind("127.0.0.1", None)


def test_cross_site_browser_requests_refused_without_token(runtime: Runtime) -> None:
    c = TestClient(create_app(runtime), base_url="http://127.0.0.1:8765")
    evil = c.post(
        "/api/runs",
        json={"skill": "util.echo"},
        headers={"Origin": "https://evil.example"},
    )
    assert evil.status_code == 403
    assert evil.json() == {
        "error": "cross-site request from https://evil.example refused",
        "kind": "forbidden",
    }
    assert c.get("/api/runs", headers={"Origin": "null"}).status_code == 403
    assert runtime.store.list_runs() == []
    # the page itself (same origin), other local pages and non-browser clients are fine
    assert c.get("/api/runs", headers={"Origin": "http://127.0.0.1:8765"}).status_code == 200
    assert c.get("/api/runs", headers={"Origin": "http://localhost:3000"}).status_code == 200
    assert c.get("/api/runs").status_code == 200


def test_trusted_hosts_block_dns_rebinding(runtime: Runtime) -> None:
    app = create_app(runtime, trusted_hosts=["127.0.0.1", "localhost", "::1"])
    for base in ("http://127.0.0.1:8765", "http://localhost:8765", "http://[::1]:8765"):
        assert TestClient(app, base_url=base).get("/api/skills").status_code == 200, base
    r = TestClient(app, base_url="http://attacker.example:8765").get("/api/skills")
    assert r.status_code == 403
    assert r.json() == {"error": "host 'attacker.example:8765' is not allowed", "kind": "forbidden"}
