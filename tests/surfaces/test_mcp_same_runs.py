"""The same skill run from Python, the CLI, the HTTP API and MCP leaves the same run in the store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import anyio
from fastapi.testclient import TestClient
from mcp import Client

from onelegion.core.runtime import Runtime
from onelegion.core.store import RunRecord
from onelegion.surfaces.api import create_app
from onelegion.surfaces.mcp import create_server


def shape(rec: RunRecord | None) -> tuple[Any, ...]:
    assert rec is not None
    return (rec.skill, rec.version, rec.params, rec.status, rec.output, rec.error, rec.error_kind)


def run_everywhere(runtime: Runtime, skill: str, params: dict[str, Any]) -> dict[str, RunRecord]:
    direct = runtime.runner.run(skill, params)
    api = TestClient(create_app(runtime), base_url="http://127.0.0.1")
    via_api = api.post(
        "/api/runs", json={"skill": skill, "params": params, "wait": True, "refresh": True}
    ).json()
    tool = skill.replace(".", "_")

    async def call() -> Any:
        async with Client(create_server(runtime)) as client:
            return await client.call_tool(tool, params)

    result = anyio.run(call)
    if result.is_error:  # the run id is in the one-line error
        mcp_id = result.content[0].text.split()[1]
    else:
        mcp_id = result.structured_content["run_id"]
    recs = {
        "python": runtime.store.get_run(direct.run_id),
        "api": runtime.store.get_run(via_api["id"]),
        "mcp": runtime.store.get_run(mcp_id),
    }
    for surface, rec in recs.items():
        assert rec is not None and rec.surface == surface
    return recs  # type: ignore[return-value]


def test_same_run_shape_for_a_success(runtime: Runtime) -> None:
    recs = run_everywhere(runtime, "util.echo", {"message": "一样 same"})
    expected = (
        "util.echo",
        "1",
        {"message": "一样 same"},
        "succeeded",
        {"message": "一样 same"},
        None,
        None,
    )
    assert {s: shape(r) for s, r in recs.items()} == {s: expected for s in recs}
    # python and api (refresh) executed; mcp was answered from the newest real run
    assert recs["python"].cached_from is None and recs["api"].cached_from is None
    assert recs["mcp"].cached_from == recs["api"].id
    # the real `legion` command, in its own process, on the same store
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "onelegion",
            "util",
            "echo",
            "--message",
            "一样 same",
            "--json",
            "--refresh",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "LEGION_HOME": str(runtime.home)},
        check=True,
    )
    cli = runtime.store.get_run(json.loads(out.stdout)["run_id"])
    assert cli is not None and cli.surface == "cli" and cli.cached_from is None
    assert shape(cli) == expected


def test_same_run_shape_for_a_failure(runtime: Runtime) -> None:
    recs = run_everywhere(runtime, "testkit.fail", {"kind": "user"})
    expected = (
        "testkit.fail",
        "1",
        {"kind": "user"},
        "failed",
        None,
        "the table has no header row — add one",
        "user",
    )
    assert {s: shape(r) for s, r in recs.items()} == {s: expected for s in recs}
    assert [r.cached_from for r in recs.values()] == [None, None, None]
