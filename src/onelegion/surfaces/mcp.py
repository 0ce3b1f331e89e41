"""The MCP server: one tool per skill, generated from the registry.

``legion mcp`` serves it over stdio (:func:`serve_stdio`) or streamable HTTP (:func:`serve_http`).
Each tool's input schema is the skill's input JSON schema; its output schema wraps the skill's
output as ``{run_id, status, output, artifacts}``. Calls go through ``runtime.runner.submit``
(surface ``mcp``), so they are recorded, cached and cancellable like any other run; run progress
events become MCP progress notifications when the client sent a progress token.
"""

from __future__ import annotations

import copy
import json
import queue
from typing import TYPE_CHECKING, Any

import anyio
import anyio.to_thread
import mcp_types as types
from mcp.server import Server

from onelegion import __version__
from onelegion.core.errors import UserError
from onelegion.core.runner import RunHandle, RunResult
from onelegion.core.skill import Skill
from onelegion.core.store import EventRecord
from onelegion.surfaces import mcp_resources
from onelegion.surfaces.catalog import tool_name
from onelegion.surfaces.mcp_resources import artifact_uri, resource_link
from onelegion.surfaces.ports import check_port_free
from onelegion.surfaces.security import check_bind, resolve_token

if TYPE_CHECKING:
    from mcp.server.context import ServerRequestContext
    from starlette.types import ASGIApp

    from onelegion.core.runtime import Runtime

SERVER_NAME = "onelegion"
INSTRUCTIONS = (
    "OneLegion (一人军团) skills. Each tool runs one skill as a recorded run and returns "
    "{run_id, status, output, artifacts}. File parameters are paths on the machine running the "
    "server and must lie inside the workspace or the configured allowed roots."
)
_POLL_S = 0.1


def tool_description(skill: Skill[Any, Any], workspace: str) -> str:
    text = f"{skill.title} — {skill.summary}"
    if skill.description:
        text += f"\n\n{skill.description}"
    if skill.path_fields():
        text += f"\n\nPaths must be inside the workspace ({workspace}) or an allowed root."
    return text


def output_schema(skill: Skill[Any, Any]) -> dict[str, Any]:
    """The structured result: the skill's output schema nested under ``output``."""
    inner = copy.deepcopy(skill.output_schema())
    defs = inner.pop("$defs", None)
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {
            "run_id": {"type": "string", "description": "Id of the recorded run."},
            "status": {"type": "string", "description": "succeeded (errors come as tool errors)."},
            "cached": {"type": "boolean", "description": "True when answered from the cache."},
            "output": inner,
            "artifacts": {
                "type": "array",
                "description": "Files the run produced (absolute paths on the server machine).",
                "items": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string"},
                        "path": {"type": "string"},
                        "media_type": {"type": "string"},
                        "size": {"type": "integer"},
                        "uri": {"type": "string", "description": "MCP resource to read it."},
                    },
                    "required": ["name", "path", "media_type", "size", "uri"],
                },
            },
        },
        "required": ["run_id", "status", "cached", "output", "artifacts"],
    }
    if defs:
        schema["$defs"] = defs
    return schema


def structured_result(result: RunResult) -> dict[str, Any]:
    return {
        "run_id": result.run_id,
        "status": result.status,
        "cached": result.cached,
        "output": result.output or {},
        "artifacts": [
            {
                "name": a.name,
                "path": a.path,
                "media_type": a.media_type,
                "size": a.size,
                "uri": artifact_uri(a.run_id, a.name),
            }
            for a in result.artifacts
        ],
    }


def error_result(message: str) -> types.CallToolResult:
    return types.CallToolResult(
        content=[types.TextContent(type="text", text=message)], is_error=True
    )


class SkillTools:
    """The registry seen as MCP tools."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self._by_tool: dict[str, Skill[Any, Any]] | None = None

    def skills(self) -> dict[str, Skill[Any, Any]]:
        if self._by_tool is None:
            self._by_tool = {tool_name(s): s for s in self.runtime.registry.all()}
        return self._by_tool

    def tools(self) -> list[types.Tool]:
        ws = str(self.runtime.workspace)
        return [
            types.Tool(
                name=name,
                title=s.title,
                description=tool_description(s, ws),
                input_schema=s.input_schema(),
                output_schema=output_schema(s),
            )
            for name, s in self.skills().items()
        ]

    async def call(
        self, ctx: ServerRequestContext[Any, Any], name: str, arguments: dict[str, Any]
    ) -> types.CallToolResult:
        skill = self.skills().get(name)
        if skill is None:
            return error_result(f"unknown tool {name!r}; call tools/list for the tools")
        events: queue.SimpleQueue[EventRecord] = queue.SimpleQueue()
        runner = self.runtime.runner

        started: dict[str, RunHandle] = {}
        box: dict[str, RunResult] = {}

        def submit() -> None:
            started["handle"] = runner.submit(
                skill.name, arguments, surface="mcp", listener=events.put
            )

        reporter = _ProgressReporter(ctx)
        done = anyio.Event()

        async def wait() -> None:
            handle = started["handle"]
            box["result"] = await anyio.to_thread.run_sync(handle.wait, abandon_on_cancel=True)
            done.set()

        try:
            try:
                await anyio.to_thread.run_sync(submit)
            except UserError as e:
                return error_result(e.one_line())
            async with anyio.create_task_group() as tg:
                tg.start_soon(wait)
                while not done.is_set():
                    await reporter.drain(events)
                    with anyio.move_on_after(_POLL_S):
                        await done.wait()
            await reporter.drain(events)
        except anyio.get_cancelled_exc_class():
            # the client cancelled the request (or disconnected): stop the run too
            if "handle" in started:
                runner.cancel(started["handle"].run_id)
            raise
        result = box["result"]
        if not result.ok:
            kind = result.error_kind or "failed"
            return error_result(f"run {result.run_id} {result.status} ({kind}): {result.error}")
        data = structured_result(result)
        content: list[types.ContentBlock] = [
            types.TextContent(type="text", text=json.dumps(data, ensure_ascii=False))
        ]
        content.extend(resource_link(a) for a in result.artifacts)
        return types.CallToolResult(content=content, structured_content=data)


class _ProgressReporter:
    """Run 'progress' events -> MCP progress (only increasing values; no-op without a token)."""

    def __init__(self, ctx: ServerRequestContext[Any, Any]) -> None:
        self.ctx = ctx
        self.last: float | None = None

    async def drain(self, events: queue.SimpleQueue[EventRecord]) -> None:
        while True:
            try:
                ev = events.get_nowait()
            except queue.Empty:
                return
            if ev.kind != "progress":
                continue
            done = ev.data.get("done")
            if not isinstance(done, int | float) or (self.last is not None and done <= self.last):
                continue
            self.last = float(done)
            total = ev.data.get("total")
            message = ev.data.get("message") or None
            await self.ctx.session.report_progress(
                float(done), float(total) if isinstance(total, int | float) else None, message
            )


def create_server(runtime: Runtime) -> Server[Any]:
    """The MCP server object (``mcp.server.Server``) exposing every registered skill."""
    tools = SkillTools(runtime)

    async def list_tools(
        ctx: ServerRequestContext[Any, Any], params: types.PaginatedRequestParams | None
    ) -> types.ListToolsResult:
        return types.ListToolsResult(tools=await anyio.to_thread.run_sync(tools.tools))

    async def call_tool(
        ctx: ServerRequestContext[Any, Any], params: types.CallToolRequestParams
    ) -> types.CallToolResult:
        return await tools.call(ctx, params.name, dict(params.arguments or {}))

    async def list_resources(
        ctx: ServerRequestContext[Any, Any], params: types.PaginatedRequestParams | None
    ) -> types.ListResourcesResult:
        found = await anyio.to_thread.run_sync(mcp_resources.list_resources, runtime)
        return types.ListResourcesResult(resources=found)

    async def list_templates(
        ctx: ServerRequestContext[Any, Any], params: types.PaginatedRequestParams | None
    ) -> types.ListResourceTemplatesResult:
        return types.ListResourceTemplatesResult(resource_templates=mcp_resources.templates())

    async def read_resource(
        ctx: ServerRequestContext[Any, Any], params: types.ReadResourceRequestParams
    ) -> types.ReadResourceResult:
        return await anyio.to_thread.run_sync(mcp_resources.read, runtime, str(params.uri))

    return Server(
        SERVER_NAME,
        version=__version__,
        title="OneLegion 一人军团",
        instructions=INSTRUCTIONS,
        on_list_tools=list_tools,
        on_call_tool=call_tool,
        on_list_resources=list_resources,
        on_list_resource_templates=list_templates,
        on_read_resource=read_resource,
    )


def serve_stdio(runtime: Runtime) -> None:
    """Serve over stdin/stdout until the client closes the connection (``legion mcp``)."""
    from mcp.server.stdio import stdio_server

    server = create_server(runtime)

    async def main() -> None:
        async with stdio_server() as (read, write):
            await server.run(read, write, server.create_initialization_options())

    anyio.run(main)


def http_app(runtime: Runtime, *, host: str = "127.0.0.1", token: str | None = None) -> ASGIApp:
    """The streamable HTTP app (endpoint ``/mcp``), behind a bearer token when one is set."""
    from onelegion.surfaces.security import BearerGuard

    app: ASGIApp = create_server(runtime).streamable_http_app(host=host)
    return BearerGuard(app, token) if token else app


def serve_http(
    runtime: Runtime, *, host: str = "127.0.0.1", port: int = 8766, token: str | None = None
) -> None:
    """Serve over streamable HTTP at ``http://host:port/mcp`` (``legion mcp --http``).

    Off loopback a token is required (``LEGION_TOKEN`` or ``token``) and clients must send
    ``Authorization: Bearer <token>``.
    """
    import uvicorn

    token = resolve_token(token)
    check_bind(host, token)
    check_port_free(host, port)
    uvicorn.run(http_app(runtime, host=host, token=token), host=host, port=port, log_level="info")
