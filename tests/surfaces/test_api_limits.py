"""Bounded requests (issue 10): an upload over api.max_upload_mb is refused without reading
the rest of the body, and numeric parameters are held to sane ranges."""

from __future__ import annotations

import json
from typing import Any

import anyio
import pytest
from fastapi.testclient import TestClient

from onelegion.core.errors import UserError
from onelegion.core.runner import MAX_TIMEOUT_S
from onelegion.core.runtime import Runtime
from onelegion.surfaces.api import create_app

BOUNDARY = "legion-limit-boundary"
CHUNK = 64 * 1024


def _head() -> bytes:
    return (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="skill"\r\n\r\ntestkit.count\r\n'
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="source"; filename="big.csv"\r\n'
        "Content-Type: text/plain\r\n\r\n"
    ).encode()


def _post_streamed(
    runtime: Runtime, chunks: int, *, declared: int | None
) -> tuple[int, dict[str, Any], int]:
    """POST a multipart body of ``chunks`` 64 KB chunks straight to the ASGI app; returns the
    status, the JSON answer and how many body chunks the app asked for."""
    app = create_app(runtime)
    pieces = [_head()] + [b"a,b\n" * (CHUNK // 4)] * chunks + [f"\r\n--{BOUNDARY}--\r\n".encode()]
    asked = 0
    sent: list[dict[str, Any]] = []
    headers = [
        (b"host", b"127.0.0.1"),
        (b"content-type", f"multipart/form-data; boundary={BOUNDARY}".encode()),
    ]
    if declared is not None:
        headers.append((b"content-length", str(declared).encode()))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/runs",
        "raw_path": b"/api/runs",
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 80),
    }

    async def receive() -> dict[str, Any]:
        nonlocal asked
        if asked >= len(pieces):
            return {"type": "http.disconnect"}
        asked += 1
        return {
            "type": "http.request",
            "body": pieces[asked - 1],
            "more_body": asked < len(pieces),
        }

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    anyio.run(app, scope, receive, send)
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, json.loads(body), asked


def _uploads(runtime: Runtime) -> list[str]:
    root = runtime.workspace / "uploads"
    return sorted(str(p) for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_declared_length_over_the_limit_is_refused_before_reading(runtime: Runtime) -> None:
    runtime.settings.api.max_upload_mb = 1
    status, answer, asked = _post_streamed(runtime, 64, declared=64 * CHUNK + 400)
    assert (status, asked) == (413, 0)
    assert answer == {
        "error": "the upload is larger than 1 MB (api.max_upload_mb in legion.toml)",
        "kind": "user",
    }
    assert _uploads(runtime) == [] and runtime.store.count_runs() == 0


def test_streamed_body_over_the_limit_stops_at_the_limit(runtime: Runtime) -> None:
    runtime.settings.api.max_upload_mb = 1
    status, answer, asked = _post_streamed(runtime, 100 * 16, declared=None)  # 100 MB offered
    assert status == 413
    assert answer["error"] == "the upload is larger than 1 MB (api.max_upload_mb in legion.toml)"
    assert asked == 1 + 32  # the head, then 2 MB (limit + form allowance) of 64 KB chunks
    assert _uploads(runtime) == [] and runtime.store.count_runs() == 0


def test_upload_under_the_limit_still_works(runtime: Runtime) -> None:
    runtime.settings.api.max_upload_mb = 1
    status, answer, _ = _post_streamed(runtime, 2, declared=None)
    assert status == 202, answer


@pytest.mark.parametrize("timeout", [1e308, float("inf"), MAX_TIMEOUT_S + 1])
def test_timeout_out_of_range_is_refused(runtime: Runtime, timeout: float) -> None:
    with pytest.raises(UserError) as e:
        runtime.runner.submit("testkit.count", {"source": __file__}, timeout=timeout)
    assert e.value.one_line() == (
        f"timeout {timeout:g} s is out of range — give 0 < timeout <= {MAX_TIMEOUT_S:g} seconds"
    )
    assert runtime.store.count_runs() == 0


def test_api_timeout_out_of_range_is_422(runtime: Runtime) -> None:
    client = TestClient(create_app(runtime), base_url="http://127.0.0.1")
    r = client.post("/api/runs", json={"skill": "testkit.count", "params": {}, "timeout": 1e308})
    assert r.status_code == 422
    r = client.post(
        "/api/runs",
        data={"skill": "testkit.count", "timeout": "1e308"},
        files={"source": ("a.csv", b"1\n", "text/csv")},
    )
    assert r.status_code == 422
    assert r.json()["error"] == f"'timeout' must be 0 < seconds <= {MAX_TIMEOUT_S:g}"
    assert runtime.store.count_runs() == 0 and _uploads(runtime) == []
