"""The cockpit's pages. Every page is generated from the registry, the store and the declared
reviews; nothing here names a skill."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from onelegion import __version__
from onelegion.core.checks import Check
from onelegion.core.config import section_models, set_value
from onelegion.core.errors import ConfigError, UserError
from onelegion.core.paths import safe_upload_name
from onelegion.core.review import Decision, Review, load_reviews
from onelegion.core.store import FINAL, RunRecord
from onelegion.surfaces.cockpit.forms import FormField, form_fields, params_from_form
from onelegion.surfaces.cockpit.text import LANG_COOKIE, ago, page_language, tr
from onelegion.surfaces.security import COOKIE, cookie_value

if TYPE_CHECKING:
    from onelegion.core.runtime import Runtime

HERE = Path(__file__).parent
STATIC = HERE / "static"
STATIC_FILES = {
    "htmx.min.js": "text/javascript",
    "cockpit.js": "text/javascript",
    "cockpit.css": "text/css",
    "htmx.LICENSE": "text/plain",
}
PUBLIC_PATHS = frozenset({"/login", "/docs", "/openapi.json"})
"""Paths served without the token (no data): the token page, the static files, the API docs."""
DOCTOR_TTL_S = 300.0
HISTORY_PAGE = 50
STATUSES = ("queued", "running", "succeeded", "failed", "cancelled", "timed_out", "interrupted")


def is_public(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith("/static/")


def _local_next(value: str | None) -> str:
    """Only a path on this site (no scheme, no host, no '//')."""
    v = value or "/"
    parts = urlsplit(v)
    if parts.scheme or parts.netloc or not v.startswith("/") or v.startswith("//"):
        return "/"
    return v


class Cockpit:
    def __init__(self, runtime: Runtime, token: str | None) -> None:
        self.runtime = runtime
        self.token = token
        self.env = Environment(
            loader=FileSystemLoader(HERE / "templates"),
            autoescape=select_autoescape(["html"]),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.globals["version"] = __version__
        self.env.filters["ago"] = ago
        self.env.filters["tojson_pretty"] = lambda v: json.dumps(v, ensure_ascii=False, indent=2)
        self._reviews: tuple[dict[str, Review], dict[str, str]] | None = None
        self._doctor: tuple[float, list[Check]] | None = None
        self._doctor_lock = threading.Lock()

    # --- helpers ----------------------------------------------------------------------------
    @property
    def reviews(self) -> dict[str, Review]:
        if self._reviews is None:
            self._reviews = load_reviews()
        return self._reviews[0]

    def doctor(self) -> list[Check]:
        """What `legion doctor` says is missing (offline checks), computed once per 5 minutes."""
        with self._doctor_lock:
            now = time.monotonic()
            if self._doctor is None or now - self._doctor[0] > DOCTOR_TTL_S:
                from onelegion.surfaces.cli.doctor import collect

                try:
                    checks = collect(self.runtime, offline=True)
                except Exception as e:  # the home page never breaks on a check
                    checks = [Check(name="doctor", status="warn", detail=str(e))]
                self._doctor = (now, checks)
            return [c for c in self._doctor[1] if c.status in ("warn", "fail")]

    def lang(self, request: Request) -> str:
        return page_language(request.cookies.get(LANG_COOKIE), request.query_params.get("lang"))

    def page(self, request: Request, template: str, status: int = 200, **ctx: Any) -> HTMLResponse:
        lang = self.lang(request)

        def t(key: str, **fmt: Any) -> str:
            return tr(lang, key, **fmt)

        html = self.env.get_template(template).render(
            t=t, lang=lang, path=request.url.path, now=time.time(), **ctx
        )
        resp = HTMLResponse(html, status_code=status)
        if request.query_params.get("lang") and lang in ("en", "zh"):
            resp.set_cookie(LANG_COOKIE, lang, samesite="strict", max_age=365 * 86400)
        return resp

    def error(self, request: Request, message: str, status: int = 400) -> HTMLResponse:
        return self.page(request, "error.html", status=status, message=message)

    def report_of(self, run_id: str) -> str | None:
        for a in self.runtime.store.artifacts(run_id):
            if a.media_type == "text/html" or a.name.endswith(".html"):
                return a.name
        return None

    def reports_of(self, runs: list[RunRecord]) -> dict[str, str]:
        """Run id → the name of its HTML report, for the runs that have one."""
        found = {r.id: self.report_of(r.id) for r in runs if r.status == "succeeded"}
        return {k: v for k, v in found.items() if v}

    def run_or_404(self, ref: str) -> RunRecord | None:
        rid = self.runtime.store.resolve_id(ref)
        return self.runtime.store.get_run(rid) if rid else None

    def save_uploads(self, uploads: dict[str, UploadFile]) -> tuple[dict[str, str], Path | None]:
        """Copy uploads into ``workspace/uploads/<random>/``, each under api.max_upload_mb."""
        if not uploads:
            return {}, None
        limit = self.runtime.settings.api.max_upload_mb * 1024 * 1024
        folder = (self.runtime.workspace / "uploads" / secrets.token_hex(8)).resolve()
        folder.mkdir(parents=True)
        saved: dict[str, str] = {}
        try:
            for key, up in uploads.items():
                dest = folder / safe_upload_name(up.filename or key)
                if dest.resolve().parent != folder:
                    raise UserError(f"invalid upload file name: {up.filename!r}")
                up.file.seek(0)
                written = 0
                with dest.open("xb") as out:
                    while chunk := up.file.read(1024 * 1024):
                        written += len(chunk)
                        if written > limit:
                            raise UserError(
                                f"upload {up.filename!r} is larger than {limit // (1024 * 1024)} MB",
                                hint="raise api.max_upload_mb in legion.toml",
                            )
                        out.write(chunk)
                saved[key] = str(dest)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        return saved, folder

    def workspace_files(self, limit: int = 200) -> list[str]:
        """Up to ``limit`` files of the workspace (suggestions for path fields), sorted."""
        root = self.runtime.workspace
        out: list[str] = []
        for folder, dirs, names in os.walk(root):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            out.extend(str(Path(folder) / n) for n in sorted(names) if not n.startswith("."))
            if len(out) >= limit:
                break
        return out[:limit]


def cockpit_router(runtime: Runtime, token: str | None = None) -> APIRouter:
    """Every page of the cockpit (mounted at ``/`` by the API app)."""
    ck = Cockpit(runtime, token)
    store = runtime.store
    router = APIRouter(include_in_schema=False)

    @router.get("/static/{name}")
    def static(name: str) -> FileResponse:
        if name not in STATIC_FILES:
            return FileResponse(STATIC / "htmx.LICENSE", status_code=404, media_type="text/plain")
        return FileResponse(
            STATIC / name,
            media_type=STATIC_FILES[name],
            headers={"Cache-Control": "public, max-age=3600"},
        )

    # --- token page -------------------------------------------------------------------------
    @router.get("/login", response_class=HTMLResponse)
    def login_page(request: Request) -> Response:
        if not token:
            return RedirectResponse("/", status_code=303)
        return ck.page(request, "login.html", next=_local_next(request.query_params.get("next")))

    @router.post("/login", response_class=HTMLResponse)
    async def login(request: Request) -> Response:
        if not token:
            return RedirectResponse("/", status_code=303)
        async with request.form() as form:
            given = str(form.get("token") or "").strip()
            nxt = _local_next(str(form.get("next") or "/"))
        if not secrets.compare_digest(given.encode(), token.encode()):
            return ck.page(request, "login.html", status=401, next=nxt, wrong=True)
        resp = RedirectResponse(nxt, status_code=303)
        resp.set_cookie(
            COOKIE,
            cookie_value(token),
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
            max_age=30 * 86400,
        )
        return resp

    # --- home -------------------------------------------------------------------------------
    @router.get("/", response_class=HTMLResponse)
    def home(request: Request) -> HTMLResponse:
        runs = store.list_runs(limit=10)
        latest: tuple[RunRecord, str] | None = None
        for r in store.list_runs(limit=20, status="succeeded"):
            name = ck.report_of(r.id)
            if name:
                latest = (r, name)
                break
        demos = sorted(
            (s for s in runtime.registry.all() if s.demo is not None),
            key=lambda s: (s.demo_order, s.name),
        )
        return ck.page(
            request,
            "home.html",
            runs=runs,
            reports=ck.reports_of(runs),
            latest=latest,
            demos=demos,
            missing=ck.doctor(),
            reviews=ck.reviews,
        )

    @router.post("/demo/{name}")
    def demo(request: Request, name: str) -> Response:
        try:
            skill = runtime.registry.get(name)
        except UserError as e:
            return ck.error(request, e.one_line(), 404)
        if skill.demo is None:
            return ck.error(request, f"{name} has no demo", 404)
        folder = runtime.workspace / "demo" / skill.name
        folder.mkdir(parents=True, exist_ok=True)
        try:
            params = skill.demo(folder)
            handle = runtime.runner.submit(skill.name, params, surface="cockpit", refresh=True)
        except UserError as e:
            return ck.error(request, e.one_line())
        return RedirectResponse(f"/runs/{handle.run_id}", status_code=303)

    # --- skills -----------------------------------------------------------------------------
    @router.get("/skills", response_class=HTMLResponse)
    def skills(request: Request) -> HTMLResponse:
        return ck.page(
            request, "skills.html", skills=runtime.registry.all(), errors=runtime.registry.errors
        )

    @router.get("/skills/{name}", response_class=HTMLResponse)
    def skill_form(request: Request, name: str) -> HTMLResponse:
        try:
            skill = runtime.registry.get(name)
        except UserError as e:
            return ck.error(request, e.one_line(), 404)
        return ck.page(
            request,
            "skill.html",
            skill=skill,
            fields=form_fields(skill),
            files=ck.workspace_files(),
            values={},
        )

    @router.post("/skills/{name}", response_class=HTMLResponse)
    async def start(request: Request, name: str) -> Response:
        try:
            skill = runtime.registry.get(name)
        except UserError as e:
            return ck.error(request, e.one_line(), 404)
        fields = form_fields(skill)
        known = {f.name: f for f in fields}
        values: dict[str, str] = {}
        uploads: dict[str, UploadFile] = {}
        async with request.form() as form:
            for key, value in form.multi_items():
                if isinstance(value, UploadFile):
                    base = key.removesuffix("__upload")
                    if value.filename and known.get(base) and known[base].widget == "file":
                        uploads[base] = value
                elif key in known or key in ("__refresh", "__timeout"):
                    if key in values and known.get(key) and known[key].widget == "checkbox":
                        values[key] = "true" if "true" in (values[key], value) else "false"
                    else:
                        values[key] = value
            folder: Path | None = None
            try:
                saved, folder = await run_in_threadpool(ck.save_uploads, uploads)
                params = params_from_form(fields, values)
                params.update(saved)
                timeout_raw = values.get("__timeout", "").strip()
                timeout = float(timeout_raw) if timeout_raw else None
                if timeout is not None and timeout <= 0:
                    raise UserError("the timeout must be a positive number of seconds")
                handle = await run_in_threadpool(
                    lambda: runtime.runner.submit(
                        skill.name,
                        params,
                        surface="cockpit",
                        refresh=values.get("__refresh") == "true",
                        timeout=timeout,
                    )
                )
            except (UserError, ValueError) as e:
                if folder is not None:
                    shutil.rmtree(folder, ignore_errors=True)
                msg = e.one_line() if isinstance(e, UserError) else str(e)
                return ck.page(
                    request,
                    "skill.html",
                    status=400,
                    skill=skill,
                    fields=fields,
                    files=ck.workspace_files(),
                    values=values,
                    problem=msg,
                )
        return RedirectResponse(f"/runs/{handle.run_id}", status_code=303)

    # --- runs -------------------------------------------------------------------------------
    def run_context(rec: RunRecord) -> dict[str, Any]:
        arts = store.artifacts(rec.id)
        review = ck.reviews.get(rec.skill)
        return {
            "run": rec,
            "artifacts": arts,
            "report": ck.report_of(rec.id),
            "final": rec.status in FINAL,
            "review": review if review and rec.status == "succeeded" else None,
        }

    @router.get("/runs", response_class=HTMLResponse)
    def history(request: Request) -> HTMLResponse:
        q = request.query_params
        skill = q.get("skill") or None
        status = q.get("status") or None
        text = (q.get("q") or "").strip() or None
        since_raw = q.get("since") or ""
        since = None
        if since_raw:
            try:
                since = time.mktime(time.strptime(since_raw, "%Y-%m-%d"))
            except ValueError:
                since = None
        try:
            offset = max(0, int(q.get("offset") or 0))
        except ValueError:
            offset = 0
        runs = store.list_runs(
            limit=HISTORY_PAGE + 1,
            offset=offset,
            skill=skill,
            status=status if status in STATUSES else None,
            since=since,
            text=text,
        )
        more = len(runs) > HISTORY_PAGE
        filters = {
            "skill": skill or "",
            "status": status or "",
            "q": text or "",
            "since": since_raw,
        }
        nxt = "&".join(f"{k}={quote(v)}" for k, v in filters.items() if v)
        ctx: dict[str, Any] = {
            "runs": runs[:HISTORY_PAGE],
            "reports": ck.reports_of(runs[:HISTORY_PAGE]),
            "more": more,
            "next_url": f"/runs?{nxt}{'&' if nxt else ''}offset={offset + HISTORY_PAGE}",
            "filters": filters,
            "skills": store.skills_seen(),
            "statuses": STATUSES,
        }
        if request.headers.get("hx-request") == "true":
            return ck.page(request, "_runs_table.html", **ctx)
        return ck.page(request, "history.html", **ctx)

    @router.get("/runs/{ref}", response_class=HTMLResponse)
    def run_page(request: Request, ref: str) -> HTMLResponse:
        rec = ck.run_or_404(ref)
        if rec is None:
            return ck.error(request, f"no run with id {ref!r}", 404)
        return ck.page(request, "run.html", **run_context(rec))

    @router.get("/runs/{ref}/panel", response_class=HTMLResponse)
    def run_panel(request: Request, ref: str) -> HTMLResponse:
        rec = ck.run_or_404(ref)
        if rec is None:
            return ck.error(request, f"no run with id {ref!r}", 404)
        return ck.page(request, "_run_panel.html", **run_context(rec))

    @router.post("/runs/{ref}/cancel")
    def cancel(request: Request, ref: str) -> Response:
        rec = ck.run_or_404(ref)
        if rec is None:
            return ck.error(request, f"no run with id {ref!r}", 404)
        runtime.runner.cancel(rec.id)
        return RedirectResponse(f"/runs/{rec.id}", status_code=303)

    @router.post("/runs/{ref}/rerun")
    def rerun(request: Request, ref: str) -> Response:
        rec = ck.run_or_404(ref)
        if rec is None:
            return ck.error(request, f"no run with id {ref!r}", 404)
        try:
            handle = runtime.runner.submit(rec.skill, rec.params, surface="cockpit", refresh=True)
        except UserError as e:
            return ck.error(request, e.one_line())
        return RedirectResponse(f"/runs/{handle.run_id}", status_code=303)

    # --- review -----------------------------------------------------------------------------
    @router.get("/runs/{ref}/review", response_class=HTMLResponse)
    def review_page(request: Request, ref: str) -> HTMLResponse:
        rec = ck.run_or_404(ref)
        if rec is None:
            return ck.error(request, f"no run with id {ref!r}", 404)
        review = ck.reviews.get(rec.skill)
        try:
            sheet = review.load(rec, store.artifacts(rec.id)) if review else None
        except UserError as e:
            return ck.error(request, e.one_line())
        return ck.page(request, "review.html", run=rec, review=review, sheet=sheet)

    @router.post("/runs/{ref}/review")
    async def review_apply(request: Request, ref: str) -> Response:
        rec = ck.run_or_404(ref)
        if rec is None:
            return ck.error(request, f"no run with id {ref!r}", 404)
        review = ck.reviews.get(rec.skill)
        arts = store.artifacts(rec.id)
        sheet = review.load(rec, arts) if review else None
        if review is None or sheet is None:
            return ck.error(request, tr(ck.lang(request), "review.none"), 404)
        async with request.form() as form:
            data = {k: str(v) for k, v in form.multi_items() if isinstance(v, str)}
        decisions: dict[str, Decision] = {}
        for item in sheet.items:
            approved = data.get(f"item-{item.id}") == "approve"
            mapping = None
            if item.mapping is not None:
                mapping = {}
                for i in range(len(item.mapping) + 5):
                    src = data.get(f"map-{item.id}-{i}-from", "")
                    dst = data.get(f"map-{item.id}-{i}-to", "")
                    if src.strip():
                        mapping[src] = dst
            text = data.get(f"text-{item.id}") if item.text is not None else None
            decisions[item.id] = Decision(approved=approved, mapping=mapping, text=text)
        folder = runtime.workspace / "reviews" / f"{rec.id}-{secrets.token_hex(3)}"
        try:
            plan = await run_in_threadpool(review.apply, rec, arts, decisions, folder)
            handle = await run_in_threadpool(
                lambda: runtime.runner.submit(
                    plan.skill, plan.params, surface="cockpit", allowed_roots=(folder,)
                )
            )
        except UserError as e:
            return ck.error(request, e.one_line())
        return RedirectResponse(f"/runs/{handle.run_id}", status_code=303)

    # --- settings ---------------------------------------------------------------------------
    def current_settings() -> dict[str, Any]:
        """legion.toml as `legion config show` prints it (secrets masked), plus the defaults of
        every declared settings table not written yet (radar sources, push, watchlist, ...)."""
        dump = runtime.settings.public_dump()
        for name, model in section_models().items():
            if name not in dump:
                try:
                    dump[name] = model().model_dump(mode="json")
                except ValueError:  # a table with required keys has no defaults to show
                    dump[name] = {}
        return dump

    @router.get("/settings", response_class=HTMLResponse)
    def settings_page(request: Request) -> HTMLResponse:
        return ck.page(request, "settings.html", settings=current_settings())

    @router.post("/settings", response_class=HTMLResponse)
    async def settings_set(request: Request) -> HTMLResponse:
        async with request.form() as form:
            key = str(form.get("key") or "").strip()
            value = str(form.get("value") or "")
        saved = problem = None
        if not key:
            problem = "a key is needed, e.g. llm.model"
        else:
            try:
                saved = str(set_value(runtime.settings.home, key, value))
            except (ConfigError, UserError) as e:
                problem = e.one_line()
        return ck.page(
            request,
            "settings.html",
            status=400 if problem else 200,
            settings=current_settings(),
            saved=saved,
            problem=problem,
            key=key,
            value=value,
        )

    return router


__all__ = ["PUBLIC_PATHS", "FormField", "cockpit_router", "is_public"]
