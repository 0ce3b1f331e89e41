"""``/docs``: the OpenAPI description as one self-contained page (no CDN, works offline).

FastAPI's Swagger page loads its viewer from a CDN and is blank without internet; this page is
rendered on the server from the same ``/openapi.json`` (which stays available for tools).
"""

from __future__ import annotations

import json
from typing import Any

from onelegion.reports import details, esc, page, section, table

_METHOD_ORDER = ("get", "post", "put", "patch", "delete")


def _schema_text(schema: dict[str, Any]) -> str:
    return f"<pre>{esc(json.dumps(schema, ensure_ascii=False, indent=2))}</pre>"


def _type_of(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " | ".join(_type_of(s) for s in schema["anyOf"])
    kind = schema.get("type", "")
    if kind == "array":
        return f"array of {_type_of(schema.get('items', {}))}"
    return str(kind or "object")


def _operation(path: str, method: str, op: dict[str, Any]) -> str:
    parts = [f"<p>{esc(op.get('description') or '')}</p>"] if op.get("description") else []
    params = op.get("parameters", [])
    if params:
        parts.append(
            table(
                ["parameter", "in", "required", "type", "description"],
                [
                    (
                        p.get("name", ""),
                        p.get("in", ""),
                        "yes" if p.get("required") else "",
                        _type_of(p.get("schema", {})),
                        p.get("description", ""),
                    )
                    for p in params
                ],
                scroll=False,
            )
        )
    body = op.get("requestBody", {}).get("content", {})
    for media, content in body.items():
        parts.append(details(f"request body: {media}", _schema_text(content.get("schema", {}))))
    responses = op.get("responses", {})
    if responses:
        parts.append(
            table(
                ["status", "meaning"],
                [(code, r.get("description", "")) for code, r in sorted(responses.items())],
                scroll=False,
            )
        )
    title = f"{method.upper()} {path}" + (f" — {op['summary']}" if op.get("summary") else "")
    return section(title, *parts, level=3)


def render_docs(spec: dict[str, Any]) -> str:
    info = spec.get("info", {})
    ops = []
    for path, item in spec.get("paths", {}).items():
        for method in _METHOD_ORDER:
            if method in item:
                ops.append(_operation(path, method, item[method]))
    schemas = spec.get("components", {}).get("schemas", {})
    models = [details(name, _schema_text(s)) for name, s in sorted(schemas.items())]
    intro = (
        f"<p>{esc(info.get('description', ''))}</p>"
        '<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> · '
        "接口说明（离线可用） · Authorization: Bearer &lt;LEGION_TOKEN&gt; when a token is set.</p>"
    )
    return page(
        f"{info.get('title', 'API')} {info.get('version', '')}",
        [intro, section("Endpoints 接口", *ops), section("Models 数据结构", *models)],
        subtitle="OpenAPI",
    )
