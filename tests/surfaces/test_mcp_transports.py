"""MCP over real transports: stdio against the `legion mcp` process, and streamable HTTP
served by uvicorn on 127.0.0.1 (with and without a bearer token)."""

from __future__ import annotations

import os
import socket
import sys
import threading
import time
from collections.abc import Iterator
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import anyio
import httpx2
import pytest
import uvicorn
from mcp import Client, StdioServerParameters

from onelegion.core.runtime import Runtime
from onelegion.core.store import Store
from onelegion.surfaces.mcp import http_app

HAS_MAIN = find_spec("onelegion.__main__") is not None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def live(runtime: Runtime, request: pytest.FixtureRequest) -> Iterator[tuple[str, str | None]]:
    """``http_app`` under uvicorn in a thread; yields (url, token)."""
    token: str | None = getattr(request, "param", None)
    port = free_port()
    config = uvicorn.Config(
        http_app(runtime, host="127.0.0.1", token=token),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="on",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}/mcp", token
    server.should_exit = True
    thread.join(10)


@pytest.mark.skipif(not HAS_MAIN, reason="onelegion/__main__.py (the lead's CLI entry) is missing")
def test_stdio_against_legion_mcp_process(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEGION_")}
    env["LEGION_HOME"] = str(home)
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "onelegion", "mcp"], env=env, cwd=str(tmp_path)
    )
    seen: list[float] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        seen.append(progress)

    async def main() -> dict[str, Any]:
        out: dict[str, Any] = {}
        with anyio.fail_after(120):
            async with Client(params) as client:
                out["tools"] = [t.name for t in (await client.list_tools()).tools]
                out["echo"] = await client.call_tool("util_echo", {"message": "stdio 你好"})
                out["wait"] = await client.call_tool(
                    "util_wait", {"seconds": 0.4, "steps": 2}, progress_callback=on_progress
                )
                out["bad"] = await client.call_tool("util_echo", {"message": 5})
        return out

    out = anyio.run(main)
    assert {"util_echo", "util_wait"} <= set(out["tools"])
    echo = out["echo"]
    assert echo.is_error is False
    assert echo.structured_content["output"] == {"message": "stdio 你好"}
    assert out["wait"].structured_content["output"] == {"waited": 0.4}
    assert seen == [1.0, 2.0]
    assert out["bad"].is_error is True
    assert out["bad"].content[0].text.startswith("invalid parameters: message: ")
    # the server process recorded the runs in LEGION_HOME
    store = Store(home / "legion.db")
    try:
        rec = store.get_run(echo.structured_content["run_id"])
        assert rec is not None
        assert (rec.skill, rec.surface, rec.status) == ("util.echo", "mcp", "succeeded")
        assert [r.skill for r in store.list_runs()] == ["util.wait", "util.echo"]
    finally:
        store.close()


def test_streamable_http(live: tuple[str, str | None], runtime: Runtime) -> None:
    url, _ = live

    async def main() -> Any:
        async with Client(url) as client:
            names = [t.name for t in (await client.list_tools()).tools]
            result = await client.call_tool("util_echo", {"message": "over http"})
            return names, result

    names, result = anyio.run(main)
    assert "util_echo" in names
    assert result.structured_content["output"] == {"message": "over http"}
    rec = runtime.store.get_run(result.structured_content["run_id"])
    assert rec is not None and rec.surface == "mcp"


@pytest.mark.parametrize("live", ["tok-123"], indirect=True)
def test_streamable_http_with_token(live: tuple[str, str | None]) -> None:
    url, token = live
    refused = httpx2.post(url, json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"})
    assert refused.status_code == 401
    assert refused.json()["kind"] == "auth"

    async def main() -> Any:
        async with httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}) as http:
            from mcp.client.streamable_http import streamable_http_client

            async with Client(streamable_http_client(url, http_client=http)) as client:
                return await client.call_tool("util_echo", {"message": "with token"})

    result = anyio.run(main)
    assert result.structured_content["output"] == {"message": "with token"}
