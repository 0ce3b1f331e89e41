"""Parameters a skill does not know are refused on every surface, with the valid names and a
"did you mean", before anything is recorded or looked up in the cache."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import anyio
from fastapi.testclient import TestClient
from mcp import Client

from onelegion.core.errors import UserError
from onelegion.core.runtime import Runtime
from onelegion.surfaces.api import create_app
from onelegion.surfaces.mcp import create_server

TYPO = (
    "unknown parameter 'mesage' (did you mean 'message'?) for util.echo"
    " — valid: message; see `legion skills show util.echo`"
)


def test_python_surface_refuses_and_records_nothing(runtime: Runtime) -> None:
    runtime.runner.run("util.echo", {"message": "hi"})  # a cached run the typo could hit
    before = len(runtime.store.list_runs())
    try:
        runtime.runner.run("util.echo", {"mesage": "hi"})
    except UserError as e:
        assert e.one_line() == TYPO
    else:
        raise AssertionError("a misspelled parameter was accepted")
    assert len(runtime.store.list_runs()) == before


def test_api_refuses_with_400(runtime: Runtime) -> None:
    api = TestClient(create_app(runtime), base_url="http://127.0.0.1")
    r = api.post("/api/runs", json={"skill": "util.echo", "params": {"mesage": "typo"}})
    assert (r.status_code, r.json()) == (400, {"error": TYPO, "kind": "user"})
    r = api.post("/api/runs", json={"skill": "util.echo", "params": {"a": 1, "b": 2}})
    assert r.json()["error"].startswith("unknown parameters 'a', 'b' for util.echo")
    assert runtime.store.list_runs() == []


def test_mcp_refuses_even_when_a_cached_run_exists(runtime: Runtime) -> None:
    runtime.runner.run("util.echo", {"message": ""})

    async def call() -> Any:
        async with Client(create_server(runtime)) as client:
            tools = {t.name: t for t in (await client.list_tools()).tools}
            return tools, await client.call_tool("util_echo", {"mesage": "typo"})

    tools, result = anyio.run(call)
    assert tools["util_echo"].input_schema["additionalProperties"] is False
    assert result.is_error
    assert "mesage" in result.content[0].text
    assert len(runtime.store.list_runs()) == 1


def test_cli_generic_params_refused(tmp_path: Path) -> None:
    r = subprocess.run(
        [sys.executable, "-m", "onelegion", "--lang", "en", "run", "util.echo", "-p", "bogus=1"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 2
    assert r.stderr.strip() == (
        "error: unknown parameter 'bogus' for util.echo — valid: message; "
        "see `legion skills show util.echo`"
    )
