"""The HTTP API (FastAPI), generated from the registry: ``legion serve``.

    GET  /api/skills                         every skill (name, title, summary, path fields)
    GET  /api/skills/{name}                  one skill with its input and output JSON schemas
    POST /api/runs                           start a run (JSON, or multipart with uploads)
    GET  /api/runs                           recent runs (limit, offset, skill, status)
    GET  /api/runs/{id}                      one run
    GET  /api/runs/{id}/events               server-sent events (Last-Event-ID supported)
    GET  /api/runs/{id}/artifacts[/{name}]   the run's files
    POST /api/runs/{id}/cancel               ask a run to stop
    GET  /docs                               OpenAPI
    GET  /                                   the cockpit (docs/cockpit.md): pages, not API

Errors are ``{"error": "<one line>", "kind": "user|not_found|validation|auth|..."}``.
Security rules: see :mod:`onelegion.surfaces.security`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from onelegion import __version__
from onelegion.core.errors import LegionError, UserError
from onelegion.surfaces.api.runs import ApiError, runs_router
from onelegion.surfaces.api.views import ErrorBody
from onelegion.surfaces.catalog import skill_info
from onelegion.surfaces.cockpit import cockpit_router, is_public
from onelegion.surfaces.ports import check_port_free
from onelegion.surfaces.security import (
    LOOPBACK_NAMES,
    BearerGuard,
    LocalGuard,
    check_bind,
    is_loopback,
    resolve_token,
)

if TYPE_CHECKING:
    from onelegion.core.runtime import Runtime

_KINDS = {
    400: "user",
    401: "auth",
    403: "forbidden",
    404: "not_found",
    405: "method",
    409: "conflict",
}


def _error(status: int, message: str, kind: str) -> JSONResponse:
    return JSONResponse({"error": message, "kind": kind}, status_code=status)


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _install_errors(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> JSONResponse:
        return _error(exc.status, _one_line(exc.message), exc.kind)

    @app.exception_handler(UserError)
    async def user_error(request: Request, exc: UserError) -> JSONResponse:
        return _error(400, _one_line(exc.one_line()), "user")

    @app.exception_handler(LegionError)
    async def legion_error(request: Request, exc: LegionError) -> JSONResponse:
        return _error(500, _one_line(exc.one_line()), "run")

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        parts = []
        for err in exc.errors()[:3]:
            loc = ".".join(str(x) for x in err.get("loc", ()) if x != "body") or "request"
            parts.append(f"{loc}: {err.get('msg', 'invalid')}")
        return _error(422, "invalid request: " + "; ".join(parts), "validation")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _error(exc.status_code, _one_line(exc.detail), _KINDS.get(exc.status_code, "http"))

    @app.exception_handler(Exception)
    async def bug(request: Request, exc: Exception) -> JSONResponse:
        return _error(500, _one_line(f"internal error: {type(exc).__name__}: {exc}"), "bug")


def create_app(
    runtime: Runtime, token: str | None = None, *, trusted_hosts: list[str] | None = None
) -> FastAPI:
    """The API for ``runtime``. ``token`` (else ``$LEGION_TOKEN``) turns on bearer auth for
    ``/api`` and ``/``; without one, cross-site browser requests are refused and, when
    ``trusted_hosts`` is given, only those Host names are served."""
    token = resolve_token(token)
    app = FastAPI(
        title="OneLegion API",
        version=__version__,
        description="Run OneLegion (一人军团) skills over HTTP. Every call is a recorded run.",
        responses={422: {"model": ErrorBody}},
        docs_url=None,  # replaced below by a self-contained page (Swagger's viewer needs a CDN)
        redoc_url=None,
    )
    app.state.runtime = runtime
    _install_errors(app)
    registry = runtime.registry

    @app.get("/api/skills", tags=["skills"], summary="Every skill")
    def list_skills() -> dict[str, Any]:
        return {
            "skills": [skill_info(s, schemas=False) for s in registry.all()],
            "plugin_errors": dict(registry.errors),
        }

    @app.get(
        "/api/skills/{name}",
        tags=["skills"],
        summary="One skill with its JSON schemas",
        responses={404: {"model": ErrorBody}},
    )
    def get_skill(name: str) -> dict[str, Any]:
        try:
            skill = registry.get(name)
        except UserError as e:
            raise ApiError(404, e.one_line(), "not_found") from None
        return skill_info(skill)

    app.include_router(runs_router(runtime))

    @app.get("/docs", include_in_schema=False, response_class=HTMLResponse)
    def docs() -> HTMLResponse:
        from onelegion.surfaces.api.docs import render_docs

        return HTMLResponse(render_docs(app.openapi()))

    app.include_router(cockpit_router(runtime, token))

    if token:
        app.add_middleware(
            BearerGuard,
            token=token,
            protected=lambda p: not is_public(p),  # the token page, static files, API docs
            login_path="/login",
        )
    else:
        app.add_middleware(LocalGuard, trusted_hosts=trusted_hosts)
    return app


def serve(
    runtime: Runtime,
    *,
    host: str | None = None,
    port: int | None = None,
    token: str | None = None,
    open_browser: bool = False,
) -> None:
    """Run the API and the cockpit with uvicorn until interrupted (``legion serve``);
    ``open_browser`` opens the cockpit once the server is listening.

    Loopback binds need no token; any other address needs one (``token`` or ``LEGION_TOKEN``),
    else :class:`UserError` with the fix.
    """
    import uvicorn

    host = host or runtime.settings.api.host
    port = port or runtime.settings.api.port
    token = resolve_token(token)
    check_bind(host, token)
    check_port_free(host, port)
    trusted = sorted(LOOPBACK_NAMES) if (not token and is_loopback(host)) else None
    app = create_app(runtime, token=token, trusted_hosts=trusted)
    if open_browser:
        _open_when_listening(host, port)
    from onelegion.core.background import Background

    background = Background(runtime)  # scheduled work (due playbooks) while the server runs
    background.start()
    try:
        uvicorn.run(app, host=host, port=port, log_level="info")
    finally:
        background.stop()


def _open_when_listening(host: str, port: int) -> None:
    import socket
    import threading
    import time
    import webbrowser

    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    url = f"http://{'[' + shown + ']' if ':' in shown else shown}:{port}/"

    def wait_and_open() -> None:
        for _ in range(100):
            try:
                with socket.create_connection((shown, port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.1)
        webbrowser.open(url)

    threading.Thread(target=wait_and_open, daemon=True).start()
