"""``/api/runs``: start runs (JSON or file upload), list and inspect them, follow their events
(server-sent events read from the store, so runs executed by another process work too),
download their artifacts and cancel them."""

from __future__ import annotations

import json
import secrets
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import anyio
from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, JSONResponse, StreamingResponse
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.types import Message

from onelegion.core.errors import UserError
from onelegion.core.paths import safe_upload_name
from onelegion.core.runner import MAX_TIMEOUT_S, RunHandle, format_validation_error
from onelegion.core.skill import Skill
from onelegion.core.store import FINAL, EventRecord
from onelegion.surfaces.api.views import (
    ArtifactView,
    CancelView,
    ErrorBody,
    RunList,
    RunRequest,
    RunView,
    artifact_view,
    run_view,
)

if TYPE_CHECKING:
    from onelegion.core.runtime import Runtime

Status = Literal[
    "queued", "running", "succeeded", "failed", "cancelled", "timed_out", "interrupted"
]
POLL_S = 0.2
KEEPALIVE_S = 15.0
FINAL_GRACE_POLLS = 5
_FORM_FIELDS = {"skill", "params", "refresh", "wait", "timeout"}
_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody},
    404: {"model": ErrorBody},
    422: {"model": ErrorBody},
}
_RUN_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": RunRequest.model_json_schema()},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["skill"],
                    "properties": {
                        "skill": {"type": "string"},
                        "params": {"type": "string", "description": "JSON object text"},
                        "refresh": {"type": "boolean"},
                        "wait": {"type": "boolean"},
                        "timeout": {"type": "number"},
                    },
                    "additionalProperties": {
                        "type": "string",
                        "format": "binary",
                        "description": "a file for the file parameter of that name",
                    },
                }
            },
        },
    }
}


class ApiError(Exception):
    def __init__(self, status: int, message: str, kind: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.kind = kind


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def _is_list_field(skill: Skill[Any, Any], field: str) -> bool:
    prop = skill.input_schema().get("properties", {}).get(field, {})
    options = [prop, *prop.get("anyOf", [])]
    return any(o.get("type") == "array" for o in options)


def _unique(directory: Path, name: str) -> Path:
    dest = directory / name
    stem, suffix, n = dest.stem, dest.suffix, 1
    while dest.exists():
        n += 1
        dest = directory / f"{stem}-{n}{suffix}"
    return dest


def _save(upload: UploadFile, dest: Path, max_bytes: int) -> None:
    """Copy an upload into the workspace, refusing (413) anything over ``max_bytes``."""
    upload.file.seek(0)
    written = 0
    with dest.open("xb") as out:
        while chunk := upload.file.read(1024 * 1024):
            written += len(chunk)
            if written > max_bytes:
                raise ApiError(
                    413,
                    f"upload {upload.filename!r} is larger than {max_bytes // (1024 * 1024)} MB "
                    "(api.max_upload_mb in legion.toml)",
                    "user",
                )
            out.write(chunk)


_FORM_ALLOWANCE = 1024 * 1024  # the other form fields and part headers of an upload


def _capped(request: Request, max_bytes: int) -> Request:
    """``request`` whose body is refused (413) past ``max_bytes`` plus the form allowance:
    at once when Content-Length says so, else as soon as that much has been received (the
    rest is never read, so it is never spooled to disk)."""
    limit = max_bytes + _FORM_ALLOWANCE
    too_big = ApiError(
        413,
        f"the upload is larger than {max_bytes // (1024 * 1024)} MB "
        "(api.max_upload_mb in legion.toml)",
        "user",
    )
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_big
    received = 0
    upstream = request.receive

    async def receive() -> Message:
        nonlocal received
        message = await upstream()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                raise too_big
        return message

    return Request(request.scope, receive)


class RunsApi:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.store = runtime.store

    # --- helpers ----------------------------------------------------------------------------
    def resolve(self, ref: str) -> str:
        rid = self.store.resolve_id(ref)
        if rid is None:
            raise ApiError(404, f"no run with id {ref!r}", "not_found")
        return rid

    def view(self, run_id: str) -> RunView:
        rec = self.store.get_run(run_id)
        if rec is None:
            raise ApiError(404, f"no run with id {run_id!r}", "not_found")
        return run_view(rec, self.store.artifacts(run_id))

    async def _from_json(self, request: Request) -> RunRequest:
        try:
            body = await request.json()
        except (ValueError, UnicodeDecodeError):
            raise ApiError(400, "the body is not valid JSON", "user") from None
        try:
            return RunRequest.model_validate(body)
        except ValidationError as e:
            raise ApiError(
                422, format_validation_error(e).replace("parameters", "request"), "validation"
            ) from None

    async def _from_form(self, request: Request) -> tuple[RunRequest, Path | None]:
        async with request.form() as form:
            skill_name = form.get("skill")
            if not isinstance(skill_name, str) or not skill_name:
                raise ApiError(422, "the form needs a 'skill' field", "validation")
            skill = self.runtime.registry.get(skill_name)
            raw = form.get("params") or "{}"
            try:
                params = json.loads(raw) if isinstance(raw, str) else None
            except json.JSONDecodeError as e:
                raise ApiError(
                    400, f"the 'params' field is not valid JSON ({e.msg})", "user"
                ) from None
            if not isinstance(params, dict):
                raise ApiError(400, "the 'params' field must be a JSON object", "user")
            timeout = _text(form.get("timeout"))
            roles = skill.path_fields()
            uploads: dict[str, list[UploadFile]] = {}
            for key, value in form.multi_items():
                if isinstance(value, UploadFile):
                    if roles.get(key) not in ("input-file", "input-path"):
                        names = [f for f, r in roles.items() if r in ("input-file", "input-path")]
                        raise ApiError(
                            400,
                            f"{key!r} is not a file parameter of {skill.name}; "
                            f"file parameters: {', '.join(names) or 'none'}",
                            "user",
                        )
                    uploads.setdefault(key, []).append(value)
                elif key not in _FORM_FIELDS:
                    raise ApiError(
                        400,
                        f"unknown form field {key!r}: put parameters in the JSON 'params' field",
                        "user",
                    )
            for key, files in uploads.items():
                if key in params:
                    raise ApiError(400, f"{key!r} is both uploaded and given in params", "user")
                if len(files) > 1 and not _is_list_field(skill, key):
                    raise ApiError(400, f"{key!r} takes one file, got {len(files)}", "user")
            upload_dir = await run_in_threadpool(self._store_uploads, uploads, params, skill)
            try:
                req = RunRequest(
                    skill=skill.name,
                    params=params,
                    refresh=_truthy(_text(form.get("refresh"))),
                    wait=_truthy(_text(form.get("wait"))),
                    timeout=float(timeout) if timeout and timeout.strip() else None,
                )
            except (ValueError, ValidationError):
                if upload_dir is not None:
                    shutil.rmtree(upload_dir, ignore_errors=True)
                raise ApiError(
                    422, f"'timeout' must be 0 < seconds <= {MAX_TIMEOUT_S:g}", "validation"
                ) from None
        return req, upload_dir

    def _store_uploads(
        self, uploads: dict[str, list[UploadFile]], params: dict[str, Any], skill: Skill[Any, Any]
    ) -> Path | None:
        if not uploads:
            return None
        root = (self.runtime.workspace / "uploads").resolve()
        upload_dir = root / secrets.token_hex(8)
        upload_dir.mkdir(parents=True)
        try:
            for key, files in uploads.items():
                saved: list[str] = []
                for f in files:
                    dest = _unique(upload_dir, safe_upload_name(f.filename or key))
                    if dest.resolve().parent != upload_dir:  # belt and braces
                        raise UserError(f"invalid upload file name: {f.filename!r}")
                    _save(f, dest, self.runtime.settings.api.max_upload_mb * 1024 * 1024)
                    saved.append(str(dest))
                params[key] = saved if _is_list_field(skill, key) else saved[0]
        except BaseException:
            shutil.rmtree(upload_dir, ignore_errors=True)
            raise
        return upload_dir

    # --- endpoints --------------------------------------------------------------------------
    async def create(self, request: Request) -> JSONResponse:
        ctype = request.headers.get("content-type", "")
        upload_dir: Path | None = None
        request = _capped(request, self.runtime.settings.api.max_upload_mb * 1024 * 1024)
        if ctype.startswith("multipart/form-data"):
            req, upload_dir = await self._from_form(request)
        else:
            req = await self._from_json(request)

        def submit() -> RunHandle:
            return self.runtime.runner.submit(
                req.skill, req.params, surface="api", refresh=req.refresh, timeout=req.timeout
            )

        try:
            handle = await run_in_threadpool(submit)
        except BaseException:
            if upload_dir is not None:
                shutil.rmtree(upload_dir, ignore_errors=True)
            raise
        if req.wait:
            await anyio.to_thread.run_sync(handle.wait, abandon_on_cancel=True)
        view = self.view(handle.run_id)
        return JSONResponse(
            view.model_dump(mode="json"),
            status_code=200 if req.wait else 202,
            headers={"Location": view.links.self},
        )

    def list(self, limit: int, offset: int, skill: str | None, status: str | None) -> RunList:
        recs = self.store.list_runs(limit=limit, offset=offset, skill=skill, status=status)
        return RunList(
            runs=[run_view(r, self.store.artifacts(r.id)) for r in recs], limit=limit, offset=offset
        )

    def cancel(self, ref: str) -> CancelView:
        rid = self.resolve(ref)
        if not self.runtime.runner.cancel(rid):
            rec = self.store.get_run(rid)
            status = rec.status if rec else "unknown"
            raise ApiError(409, f"run {rid} has already finished ({status})", "conflict")
        rec = self.store.get_run(rid)
        return CancelView(
            run_id=rid, cancel_requested=True, status=rec.status if rec else "unknown"
        )

    def artifact(self, ref: str, name: str) -> FileResponse:
        rid = self.resolve(ref)
        for a in self.store.artifacts(rid):
            if a.name == name:
                path = Path(a.path)
                if not path.is_file():
                    raise ApiError(
                        404, f"artifact {name!r} of run {rid} is no longer on disk", "not_found"
                    )
                return FileResponse(
                    path,
                    media_type=a.media_type,
                    filename=path.name,
                    content_disposition_type="inline",
                )
        raise ApiError(404, f"run {rid} has no artifact named {name!r}", "not_found")

    async def events(self, request: Request, ref: str, after: int) -> StreamingResponse:
        rid = self.resolve(ref)
        last = request.headers.get("last-event-id", "").strip()
        start = int(last) if last.isdigit() else after

        async def stream() -> AsyncIterator[str]:
            seq, idle, final_polls = start, 0.0, 0
            yield "retry: 1000\n\n"
            while True:
                batch: list[EventRecord] = await run_in_threadpool(self.store.events, rid, seq)
                for ev in batch:
                    seq = ev.seq
                    data = json.dumps(ev.model_dump(mode="json"), ensure_ascii=False)
                    yield f"id: {ev.seq}\nevent: {ev.kind}\ndata: {data}\n\n"
                    if ev.kind == "finished":
                        return
                if batch:
                    idle = 0.0
                    continue
                rec = await run_in_threadpool(self.store.get_run, rid)
                if rec is None or rec.status in FINAL:
                    final_polls += 1  # the 'finished' event follows the status by a moment
                    if final_polls > FINAL_GRACE_POLLS:
                        return
                if await request.is_disconnected():
                    return
                await anyio.sleep(POLL_S)
                idle += POLL_S
                if idle >= KEEPALIVE_S:
                    idle = 0.0
                    yield ": keep-alive\n\n"

        return StreamingResponse(
            stream(),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )


def runs_router(runtime: Runtime) -> APIRouter:
    api = RunsApi(runtime)
    router = APIRouter(prefix="/api/runs", tags=["runs"], responses=_ERRORS)

    @router.post(
        "",
        status_code=202,
        response_model=RunView,
        summary="Start a run (JSON body, or multipart with file uploads)",
        openapi_extra=_RUN_BODY,
    )
    async def create_run(request: Request) -> JSONResponse:
        return await api.create(request)

    @router.get("", response_model=RunList, summary="Recent runs, newest first")
    def list_runs(
        limit: int = Query(20, ge=1, le=500),
        offset: int = Query(0, ge=0),
        skill: str | None = None,
        status: Status | None = None,
    ) -> RunList:
        return api.list(limit, offset, skill, status)

    @router.get(
        "/{run_id}", response_model=RunView, summary="One run (id, unique prefix or 'last')"
    )
    def get_run(run_id: str) -> RunView:
        return api.view(api.resolve(run_id))

    @router.get(
        "/{run_id}/events",
        summary="The run's events as server-sent events (replay, then follow until 'finished')",
        response_class=StreamingResponse,
    )
    async def run_events(
        request: Request,
        run_id: str,
        after: int = Query(0, ge=0, description="Skip events up to this seq"),
    ) -> StreamingResponse:
        return await api.events(request, run_id, after)

    @router.get("/{run_id}/artifacts", response_model=list[ArtifactView], summary="The run's files")
    def list_artifacts(run_id: str) -> list[ArtifactView]:
        rid = api.resolve(run_id)
        return [artifact_view(a) for a in runtime.store.artifacts(rid)]

    @router.get(
        "/{run_id}/artifacts/{name:path}",
        response_class=FileResponse,
        summary="Download one of the run's files",
    )
    def get_artifact(run_id: str, name: str) -> FileResponse:
        return api.artifact(run_id, name)

    @router.post(
        "/{run_id}/cancel",
        response_model=CancelView,
        status_code=202,
        summary="Ask a queued or running run to stop",
        responses={409: {"model": ErrorBody}},
    )
    def cancel_run(run_id: str) -> CancelView:
        return api.cancel(run_id)

    return router
