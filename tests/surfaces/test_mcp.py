"""The MCP server in memory, with the SDK's own client (modern direct dispatch and the legacy
JSON-RPC handshake): tools/list, tools/call, structured results, progress, errors, cancel."""

from __future__ import annotations

import base64
import time
from collections.abc import Awaitable, Callable
from typing import Any

import anyio
import pytest
from mcp import Client, MCPError
from mcp.server import Server

from onelegion.core.runtime import Runtime
from onelegion.surfaces import mcp_resources
from onelegion.surfaces.mcp import create_server

MODES = ["auto", "legacy"]


def with_client(runtime: Runtime, mode: str, body: Callable[[Client], Awaitable[Any]]) -> Any:
    server = create_server(runtime)
    assert isinstance(server, Server)
    box: dict[str, Any] = {}

    async def main() -> None:
        async with Client(server, mode=mode, raise_exceptions=True) as client:
            box["result"] = await body(client)

    anyio.run(main)
    return box.get("result")


@pytest.mark.parametrize("mode", MODES)
def test_tools_are_generated_from_the_registry(runtime: Runtime, mode: str) -> None:
    async def body(client: Client) -> Any:
        return (await client.list_tools()).tools

    tools = {t.name: t for t in with_client(runtime, mode, body)}
    assert sorted(tools) == ["testkit_count", "testkit_fail", "util_echo", "util_wait"]
    echo = tools["util_echo"]
    skill = runtime.registry.get("util.echo")
    assert echo.title == "Echo"
    assert echo.description == (
        "Echo — Return the message unchanged (a no-op run, for checking the set-up).\n\n"
        "Does nothing but return its input: measures what a run costs by itself."
    )
    assert echo.input_schema == skill.input_schema()
    out = echo.output_schema
    assert out is not None
    assert out["required"] == ["run_id", "status", "cached", "output", "artifacts"]
    assert out["properties"]["output"] == skill.output_schema()
    # nested $defs are hoisted so references still resolve
    count = tools["testkit_count"]
    assert count.output_schema is not None
    assert "Artifact" in count.output_schema["$defs"]
    assert "$defs" not in count.output_schema["properties"]["output"]
    assert count.description is not None
    assert count.description.endswith(
        f"inside the workspace ({runtime.workspace}) or an allowed root."
    )


@pytest.mark.parametrize("mode", MODES)
def test_call_returns_structured_result_and_records_run(runtime: Runtime, mode: str) -> None:
    async def body(client: Client) -> Any:
        return await client.call_tool("util_echo", {"message": "你好 MCP"})

    result = with_client(runtime, mode, body)
    assert result.is_error is False
    data = result.structured_content
    assert set(data) == {"run_id", "status", "cached", "output", "artifacts"}
    assert (data["status"], data["cached"], data["output"], data["artifacts"]) == (
        "succeeded",
        False,
        {"message": "你好 MCP"},
        [],
    )
    assert (
        '"你好 MCP"' in result.content[0].text
    )  # text twin for clients without structured content
    rec = runtime.store.get_run(data["run_id"])
    assert rec is not None
    assert (rec.skill, rec.surface, rec.params, rec.status) == (
        "util.echo",
        "mcp",
        {"message": "你好 MCP"},
        "succeeded",
    )


@pytest.mark.parametrize("mode", MODES)
def test_progress_notifications_follow_run_events(runtime: Runtime, mode: str) -> None:
    seen: list[tuple[float, float | None, str | None]] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        seen.append((progress, total, message))

    async def body(client: Client) -> Any:
        return await client.call_tool(
            "util_wait", {"seconds": 0.6, "steps": 3}, progress_callback=on_progress
        )

    result = with_client(runtime, mode, body)
    assert result.is_error is False
    assert result.structured_content["output"] == {"waited": 0.6}
    assert seen == [(1.0, 3.0, "waiting"), (2.0, 3.0, "waiting"), (3.0, 3.0, "waiting")]


def test_artifacts_are_paths_on_the_server(runtime: Runtime) -> None:
    src = runtime.workspace / "lines.txt"
    src.write_text("a\nb word\nc\n", encoding="utf-8")

    async def body(client: Client) -> Any:
        return await client.call_tool("testkit_count", {"source": str(src), "word": "word"})

    result = with_client(runtime, "auto", body)
    assert result.is_error is False
    data = result.structured_content
    assert data["output"]["lines"] == 3 and data["output"]["matching"] == 1
    run_dir = runtime.home / "runs" / data["run_id"]
    uri = f"legion://runs/{data['run_id']}/artifacts/report.txt"
    assert data["artifacts"] == [
        {
            "name": "report.txt",
            "path": str(run_dir / "report.txt"),
            "media_type": "text/plain",
            "size": 20,
            "uri": uri,
        }
    ]
    assert (run_dir / "report.txt").read_text(encoding="utf-8") == "3 lines, 1 matching\n"
    link = result.content[1]
    assert (link.type, link.uri, link.mime_type, link.size) == (
        "resource_link",
        uri,
        "text/plain",
        20,
    )


@pytest.mark.parametrize("mode", MODES)
def test_artifacts_are_readable_as_resources(runtime: Runtime, mode: str) -> None:
    src = runtime.workspace / "lines.txt"
    src.write_text("a\n", encoding="utf-8")

    async def body(client: Client) -> Any:
        result = await client.call_tool("testkit_count", {"source": str(src)})
        uri = result.structured_content["artifacts"][0]["uri"]
        listed = await client.list_resources()
        templates = await client.list_resource_templates()
        text = await client.read_resource(uri)
        errors = []
        for bad in (
            uri.replace("report.txt", "legion.db"),
            uri.replace("report.txt", "..%2F..%2Flegion.db"),
            "legion://runs/nope/artifacts/report.txt",
            "file:///etc/passwd",
        ):
            try:
                await client.read_resource(bad)
            except MCPError as e:
                errors.append(e.message)
        return uri, listed, templates, text, errors

    uri, listed, templates, text, errors = with_client(runtime, mode, body)
    assert [r.uri for r in listed.resources] == [uri]
    assert [t.uri_template for t in templates.resource_templates] == [
        "legion://runs/{run_id}/artifacts/{name}"
    ]
    assert len(text.contents) == 1
    assert text.contents[0].text == "1 lines, 0 matching\n"
    assert text.contents[0].mime_type == "text/plain"
    run_id = uri.split("/")[3]
    assert errors == [
        f"run '{run_id}' has no artifact named 'legion.db'",
        f"run '{run_id}' has no artifact named '../../legion.db'",
        "run 'nope' has no artifact named 'report.txt'",
        "not a OneLegion artifact URI: file:///etc/passwd "
        "(expected legion://runs/{run_id}/artifacts/{name})",
    ]


@pytest.mark.parametrize("mode", MODES)
def test_errors_are_tool_errors_with_one_line(runtime: Runtime, mode: str, tmp_path: Any) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("x\n", encoding="utf-8")
    calls: list[tuple[str, dict[str, Any]]] = [
        ("testkit_fail", {}),
        ("testkit_fail", {"kind": "bug"}),
        ("testkit_count", {"source": str(outside)}),
        ("util_wait", {"seconds": "soon"}),
        ("no_such_tool", {}),
    ]

    async def body(client: Client) -> Any:
        return [await client.call_tool(name, args) for name, args in calls]

    results = with_client(runtime, mode, body)
    assert [r.is_error for r in results] == [True] * len(calls)
    texts = [r.content[0].text for r in results]
    assert ["\n" in t for t in texts] == [False] * len(calls)
    failed = runtime.store.list_runs(skill="testkit.fail")
    by_params = {r.params["kind"]: r.id for r in failed}
    assert (
        texts[0] == f"run {by_params['user']} failed (user): the table has no header row — add one"
    )
    assert texts[1] == f"run {by_params['bug']} failed (bug): RuntimeError: boom"
    assert texts[2].startswith(f"source: {outside} is outside the allowed folders — ")
    assert "allowed_roots" in texts[2] and "upload it" not in texts[2]
    assert f"`legion config set allowed_roots '[\"{outside.parent}\"]'`" in texts[2]
    assert texts[3].startswith("invalid parameters: seconds: Input should be a valid number")
    assert texts[4] == "unknown tool 'no_such_tool'; call tools/list for the tools"
    # refused calls record nothing
    assert [r.skill for r in runtime.store.list_runs()] == ["testkit.fail", "testkit.fail"]


@pytest.mark.parametrize("mode", MODES)
def test_cancelled_request_cancels_the_run(runtime: Runtime, mode: str) -> None:
    started = anyio.Event()

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        started.set()

    async def body(client: Client) -> Any:
        async with anyio.create_task_group() as tg:

            async def call() -> None:
                await client.call_tool(
                    "util_wait", {"seconds": 60, "steps": 600}, progress_callback=on_progress
                )

            tg.start_soon(call)
            await started.wait()
            tg.cancel_scope.cancel()

    with_client(runtime, mode, body)
    runs = runtime.store.list_runs(skill="util.wait")
    assert len(runs) == 1
    deadline = time.monotonic() + 30
    while runtime.store.get_run(runs[0].id).status == "running" and time.monotonic() < deadline:  # type: ignore[union-attr]
        time.sleep(0.05)
    final = runtime.store.get_run(runs[0].id)
    assert final is not None
    assert (final.status, final.error) == ("cancelled", "the run was cancelled")


def test_binary_artifacts_are_blobs_and_size_is_capped(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = runtime.store
    store.create_run("r-bin", "util.echo", "1", {}, cache_key=None, surface="cli")
    png = runtime.home / "runs" / "r-bin" / "chart.png"
    png.parent.mkdir(parents=True)
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff")
    store.add_artifacts(
        "r-bin", [{"name": "chart.png", "path": str(png), "media_type": "image/png", "size": 10}]
    )
    uri = mcp_resources.artifact_uri("r-bin", "chart.png")
    contents = mcp_resources.read(runtime, uri).contents
    assert len(contents) == 1
    assert base64.b64decode(contents[0].blob) == b"\x89PNG\r\n\x1a\n\x00\xff"  # type: ignore[union-attr]
    monkeypatch.setattr(mcp_resources, "MAX_BYTES", 5)
    with pytest.raises(MCPError, match="is 10 bytes, over the 5 byte limit"):
        mcp_resources.read(runtime, uri)
    assert mcp_resources.parse_uri(mcp_resources.artifact_uri("r/1", "a b/c.txt")) == (
        "r/1",
        "a b/c.txt",
    )
