"""Run artifacts as MCP resources, so clients on another machine (streamable HTTP) can read the
files a run produced: ``legion://runs/{run_id}/artifacts/{name}``. Only files recorded as
artifacts of that run are served."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote

import mcp_types as types
from mcp.shared.exceptions import MCPError
from mcp_types.jsonrpc import INVALID_PARAMS

from onelegion.core.store import ArtifactRecord

if TYPE_CHECKING:
    from onelegion.core.runtime import Runtime

SCHEME = "legion://runs/"
TEMPLATE = "legion://runs/{run_id}/artifacts/{name}"
MAX_BYTES = 20 * 1024 * 1024
RECENT_RUNS = 50
_TEXT_TYPES = {"application/json", "application/x-ndjson", "application/xml", "image/svg+xml"}


def artifact_uri(run_id: str, name: str) -> str:
    return f"{SCHEME}{quote(run_id, safe='')}/artifacts/{quote(name, safe='')}"


def parse_uri(uri: str) -> tuple[str, str] | None:
    if not uri.startswith(SCHEME):
        return None
    run_id, sep, name = uri[len(SCHEME) :].partition("/artifacts/")
    if not sep or not run_id or not name or "/" in run_id:
        return None
    return unquote(run_id), unquote(name)


def is_text(media_type: str) -> bool:
    return media_type.startswith("text/") or media_type in _TEXT_TYPES


def resource_link(a: ArtifactRecord) -> types.ResourceLink:
    return types.ResourceLink(
        type="resource_link",
        name=a.name,
        uri=artifact_uri(a.run_id, a.name),
        description=a.description or None,
        mime_type=a.media_type,
        size=a.size,
    )


def list_resources(runtime: Runtime) -> list[types.Resource]:
    """Artifacts of the most recent runs (newest first)."""
    out: list[types.Resource] = []
    for rec in runtime.store.list_runs(limit=RECENT_RUNS):
        for a in runtime.store.artifacts(rec.id):
            out.append(
                types.Resource(
                    name=a.name,
                    title=f"{a.name} ({rec.skill}, {rec.id})",
                    uri=artifact_uri(a.run_id, a.name),
                    description=a.description or None,
                    mime_type=a.media_type,
                    size=a.size,
                )
            )
    return out


def templates() -> list[types.ResourceTemplate]:
    return [
        types.ResourceTemplate(
            name="run-artifact",
            title="A file a run produced",
            uri_template=TEMPLATE,
            description="Files listed in a tool result's 'artifacts'.",
        )
    ]


def read(runtime: Runtime, uri: str) -> types.ReadResourceResult:
    parsed = parse_uri(uri)
    if parsed is None:
        raise MCPError(INVALID_PARAMS, f"not a OneLegion artifact URI: {uri} (expected {TEMPLATE})")
    run_id, name = parsed
    record = next((a for a in runtime.store.artifacts(run_id) if a.name == name), None)
    if record is None:
        raise MCPError(INVALID_PARAMS, f"run {run_id!r} has no artifact named {name!r}")
    path = Path(record.path)
    if not path.is_file():
        raise MCPError(INVALID_PARAMS, f"artifact {name!r} of run {run_id} is no longer on disk")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise MCPError(
            INVALID_PARAMS,
            f"artifact {name!r} is {size} bytes, over the {MAX_BYTES} byte limit; "
            f"read it from {path} or the HTTP API",
        )
    data = path.read_bytes()
    contents: types.TextResourceContents | types.BlobResourceContents
    if is_text(record.media_type):
        text = data.decode("utf-8", errors="replace")
        contents = types.TextResourceContents(uri=uri, mime_type=record.media_type, text=text)
    else:
        blob = base64.b64encode(data).decode("ascii")
        contents = types.BlobResourceContents(uri=uri, mime_type=record.media_type, blob=blob)
    return types.ReadResourceResult(contents=[contents])
