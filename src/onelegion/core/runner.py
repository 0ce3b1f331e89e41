"""The runner: validate → check paths → cache → record → execute → events → result.

Every skill invocation, from any surface, goes through :meth:`Runner.submit`.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
import time
import traceback as tb
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import BaseModel, ValidationError

from onelegion.core.context import Context
from onelegion.core.errors import Cancelled, LegionError, SkillError, UserError
from onelegion.core.events import EventBus, Listener
from onelegion.core.executors import DaemonThreadExecutor, InlineExecutor
from onelegion.core.files import dir_digest, file_digest
from onelegion.core.paths import check_path
from onelegion.core.skill import Skill
from onelegion.core.store import ArtifactRecord, EventRecord

if TYPE_CHECKING:
    from onelegion.core.config import Settings
    from onelegion.core.http import HttpFactory
    from onelegion.core.llm import LLM
    from onelegion.core.registry import Registry
    from onelegion.core.store import Store

MAX_TIMEOUT_S = 7 * 24 * 3600.0  # a run's --timeout: at most a week


class RunHost(Protocol):
    """What the runner needs from its composition root (:class:`~onelegion.core.runtime.Runtime`)."""

    settings: Settings
    workspace: Path
    store: Store
    registry: Registry
    http: HttpFactory

    def make_llm(self, run_id: str, is_cancelled: Callable[[], bool] | None = None) -> LLM: ...


class RunResult(BaseModel):
    """What a finished run returns to a surface."""

    run_id: str
    skill: str
    status: str
    output: dict[str, Any] | None = None
    error: str | None = None
    error_kind: str | None = None
    cached: bool = False
    cached_from: str | None = None
    duration_ms: float | None = None
    artifacts: list[ArtifactRecord] = []

    @property
    def ok(self) -> bool:
        return self.status == "succeeded"


@dataclass(frozen=True)
class RunJob:
    """Everything needed to execute a run, picklable (for process and cluster executors)."""

    home: str
    run_id: str
    skill: str
    params: dict[str, Any]
    allowed_roots: tuple[str, ...]
    timeout: float | None = None
    parent_run_id: str | None = None


def new_run_id() -> str:
    return f"{datetime.now(UTC):%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"


def format_validation_error(e: ValidationError) -> str:
    parts = []
    for err in e.errors()[:3]:
        loc = ".".join(str(x) for x in err["loc"]) or "params"
        parts.append(f"{loc}: {str(err['msg']).removeprefix('Value error, ')}")
    return "invalid parameters: " + "; ".join(parts)


def unknown_params_message(skill: Skill[Any, Any], unknown: list[str]) -> str:
    """``unknown parameter 'mesage' for util.echo (did you mean 'message'?)``."""
    import difflib

    names = skill.param_names()
    parts = []
    for key in unknown:
        close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
        parts.append(f"{key!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    noun = "parameter" if len(unknown) == 1 else "parameters"
    return f"unknown {noun} {', '.join(parts)} for {skill.name}"


def valid_params_hint(skill: Skill[Any, Any]) -> str:
    names = skill.param_names()
    listed = ", ".join(names) if names else "none"
    return f"valid: {listed}; see `legion skills show {skill.name}`"


class RunHandle:
    """A submitted run. ``wait()`` returns its :class:`RunResult`."""

    def __init__(
        self,
        runner: Runner,
        run_id: str,
        future: Future[Any] | None,
        relay: threading.Thread | None = None,
        run_timeout: float | None = None,
    ) -> None:
        self.runner = runner
        self.run_id = run_id
        self._future = future
        self._relay = relay
        # past the run's own timeout (+ a grace) its outcome is in the store even if the skill
        # has not reached a cancellation check yet: wait no longer than that
        self._deadline = time.monotonic() + run_timeout + 0.5 if run_timeout else None

    def wait(self, timeout: float | None = None) -> RunResult:
        if self._future is not None:
            limit = timeout
            if self._deadline is not None:
                left = max(0.0, self._deadline - time.monotonic())
                limit = left if limit is None else min(limit, left)
            try:
                self._future.result(timeout=limit)
            except TimeoutError:
                if timeout is not None and (limit is None or timeout <= limit):
                    raise
            except Exception:  # the job records its own outcome in the store
                pass
        if self._relay is not None:
            self._relay.join(timeout=5)
        result = self.runner.result(self.run_id)
        if result.status in ("queued", "running") and self._future is not None:
            # the executor failed before the job could record anything (e.g. a lost worker)
            exc = self._future.exception() if self._future.done() else None
            self.runner.runtime.store.finish_run(
                self.run_id, "failed", error=f"executor error: {exc}", error_kind="bug"
            )
            result = self.runner.result(self.run_id)
        return result

    def done(self) -> bool:
        return self._future is None or self._future.done()

    def cancel(self) -> bool:
        return self.runner.cancel(self.run_id)


class Runner:
    def __init__(
        self, runtime: RunHost, executor: Executor, entry: Callable[[RunJob], str]
    ) -> None:
        """``entry`` is what an out-of-process executor (Dask) calls with a :class:`RunJob`: a
        module-level function (picklable) that finds that process's runner for the job's home
        and calls :meth:`execute`. In-process executors call :meth:`execute` directly."""
        self.runtime = runtime
        self.executor = executor
        self.entry = entry
        self.bus = EventBus()
        self._cancel: dict[str, threading.Event] = {}
        self._reasons: dict[str, str] = {}
        self._sinks: dict[str, _EventSink] = {}
        self._lock = threading.Lock()

    @property
    def in_process(self) -> bool:
        return isinstance(self.executor, InlineExecutor | ThreadPoolExecutor | DaemonThreadExecutor)

    # --- public API ---------------------------------------------------------------------
    def submit(
        self,
        name: str,
        params: dict[str, Any] | BaseModel | None = None,
        *,
        surface: str = "python",
        allowed_roots: tuple[Path | str, ...] | list[Path] = (),
        refresh: bool = False,
        timeout: float | None = None,
        listener: Listener | None = None,
        parent_run_id: str | None = None,
        inline: bool = False,
    ) -> RunHandle:
        """Validate and start a run; raises UserError for bad params or paths (nothing recorded).

        ``parent_run_id``: the run that started this one (a plan's step names its plan's run);
        ``inline``: execute in the calling thread (a run started from inside a run: it must not
        wait for a free worker its own parent holds)."""
        if timeout is not None and not 0 < timeout <= MAX_TIMEOUT_S:  # (NaN fails too)
            raise UserError(
                f"timeout {timeout:g} s is out of range",
                hint=f"give 0 < timeout <= {MAX_TIMEOUT_S:g} seconds",
            )
        rt = self.runtime
        skill = rt.registry.get(name)
        raw = (
            params.model_dump(mode="json") if isinstance(params, BaseModel) else dict(params or {})
        )
        roots = [rt.workspace, *rt.settings.allowed_roots, *(Path(r) for r in allowed_roots)]
        model = self._validate(skill, raw, roots)
        clean_params = model.model_dump(mode="json")
        cache_key = self._cache_key(skill, model) if skill.cacheable else None
        run_id = new_run_id()
        if cache_key and not refresh:
            hit = rt.store.find_cached(cache_key)
            if hit is not None and self._artifacts_intact(hit.id):
                self._record_cache_hit(
                    run_id, skill, clean_params, cache_key, surface, hit.id, listener, parent_run_id
                )
                return RunHandle(self, run_id, None)
        rt.store.create_run(
            run_id,
            skill.name,
            skill.version,
            clean_params,
            cache_key=cache_key,
            surface=surface,
            parent_run_id=parent_run_id,
        )
        with self._lock:
            self._cancel[run_id] = threading.Event()
        unsubscribe = self.bus.subscribe(run_id, listener) if listener else None
        job = RunJob(
            home=str(rt.settings.home),
            run_id=run_id,
            skill=skill.name,
            params=clean_params,
            allowed_roots=tuple(str(r) for r in roots),
            timeout=timeout,
            parent_run_id=parent_run_id,
        )
        if timeout:
            timer = threading.Timer(timeout, self._timeout, args=(run_id, timeout))
            timer.daemon = True
            timer.start()
        relay = None
        if inline:
            future = InlineExecutor().submit(self.execute, job)
            if unsubscribe:
                unsubscribe()
            return RunHandle(self, run_id, future, None, timeout)
        if not self.in_process and listener:
            relay = threading.Thread(target=self._relay, args=(run_id,), daemon=True)
            relay.start()
        # in this process the job runs on this runner; elsewhere the entry finds that process's one
        future = self.executor.submit(self.execute if self.in_process else self.entry, job)
        if unsubscribe and relay is None:
            future.add_done_callback(lambda _f: unsubscribe())
        return RunHandle(self, run_id, future, relay, timeout)

    def run(
        self, name: str, params: dict[str, Any] | BaseModel | None = None, **kw: Any
    ) -> RunResult:
        """Submit and wait."""
        return self.submit(name, params, **kw).wait()

    def cancel(self, run_id: str) -> bool:
        """Ask a queued or running run to stop (works across processes through the store)."""
        ok = self.runtime.store.request_cancel(run_id)
        with self._lock:
            ev = self._cancel.get(run_id)
        if ev is not None:
            ev.set()
        return ok

    def result(self, run_id: str) -> RunResult:
        store = self.runtime.store
        rec = store.get_run(run_id)
        if rec is None:
            raise UserError(f"no run with id {run_id!r}", hint="see `legion runs list`")
        return RunResult(
            run_id=rec.id,
            skill=rec.skill,
            status=rec.status,
            output=rec.output,
            error=rec.error,
            error_kind=rec.error_kind,
            cached=rec.cached_from is not None,
            cached_from=rec.cached_from,
            duration_ms=rec.duration_ms,
            artifacts=store.artifacts(run_id),
        )

    # --- steps --------------------------------------------------------------------------
    def _validate(
        self, skill: Skill[Any, Any], raw: dict[str, Any], roots: list[Path]
    ) -> BaseModel:
        unknown = skill.unknown_params(raw)
        if unknown:
            raise UserError(unknown_params_message(skill, unknown), hint=valid_params_hint(skill))
        try:
            model = skill.input_model.model_validate(raw)
        except ValidationError as e:
            raise UserError(
                format_validation_error(e), hint=f"see `legion skills show {skill.name}`"
            ) from None
        updates: dict[str, Any] = {}
        for field, role in skill.path_fields().items():
            value = getattr(model, field)
            if value is None:
                continue
            if isinstance(value, list | tuple):
                updates[field] = [check_path(v, role, roots, field) for v in value]
            else:
                updates[field] = check_path(value, role, roots, field)
        result: BaseModel = model.model_copy(update=updates) if updates else model
        return result

    def _cache_key(self, skill: Skill[Any, Any], model: BaseModel) -> str:
        inputs: dict[str, Any] = {}
        for field, role in skill.path_fields().items():
            value = getattr(model, field)
            if value is None or role == "output-file":
                continue
            values = value if isinstance(value, list | tuple) else [value]
            inputs[field] = [
                file_digest(v)
                if role == "input-file" or (role == "input-path" and not Path(v).is_dir())
                else dir_digest(v)
                for v in values
            ]
        payload = json.dumps(
            {
                "skill": skill.name,
                "version": skill.version,
                "params": model.model_dump(mode="json"),
                "inputs": inputs,
                "llm": self.runtime.settings.llm.model,
            },
            sort_keys=True,
            ensure_ascii=False,
        )
        return hashlib.sha256(payload.encode()).hexdigest()

    def _artifacts_intact(self, run_id: str) -> bool:
        for a in self.runtime.store.artifacts(run_id):
            p = Path(a.path)
            if not p.exists() or p.stat().st_size != a.size:
                return False
        return True

    def _record_cache_hit(
        self,
        run_id: str,
        skill: Skill[Any, Any],
        params: dict[str, Any],
        cache_key: str,
        surface: str,
        original: str,
        listener: Listener | None,
        parent_run_id: str | None = None,
    ) -> None:
        store = self.runtime.store
        store.create_run(
            run_id,
            skill.name,
            skill.version,
            params,
            cache_key=cache_key,
            surface=surface,
            status="running",
            parent_run_id=parent_run_id,
        )
        orig = store.get_run(original)
        arts = store.artifacts(original)
        store.add_artifacts(run_id, [a.model_dump() for a in arts])
        sink = _EventSink(self, run_id)
        unsubscribe = self.bus.subscribe(run_id, listener) if listener else None
        sink("started", {"skill": skill.name, "cached_from": original})
        store.finish_run(
            run_id, "succeeded", output=orig.output if orig else None, cached_from=original
        )
        sink("finished", {"status": "succeeded", "cached_from": original})
        if unsubscribe:
            unsubscribe()

    def _timeout(self, run_id: str, seconds: float) -> None:
        """The run's --timeout passed: it ends now as ``timed_out``; its skill stops at its next
        cancellation check and whatever it returns then is not recorded."""
        message = f"timed out after {seconds:g} s"
        self._reasons[run_id] = message
        self.cancel(run_id)
        if not self.in_process:
            return  # the worker records it when the skill stops
        if self.runtime.store.finish_run(run_id, "timed_out", error=message, error_kind="timeout"):
            self._sink(run_id)("finished", {"status": "timed_out", "error": message})

    def _sink(self, run_id: str) -> _EventSink:
        with self._lock:
            return self._sinks.setdefault(run_id, _EventSink(self, run_id))

    def _relay(self, run_id: str) -> None:
        """Feed local listeners from the store (for executors in other processes)."""
        seq = 0
        store = self.runtime.store
        while True:
            new = store.events(run_id, after=seq)
            for ev in new:
                seq = ev.seq
                self.bus.publish(ev)
                if ev.kind == "finished":
                    return
            if not new:
                rec = store.get_run(run_id)
                if rec is None or rec.status not in ("queued", "running"):
                    return
            time.sleep(0.1)

    # --- execution (in the executor) ------------------------------------------------------
    def execute(self, job: RunJob) -> str:
        rt = self.runtime
        store = rt.store
        run_id = job.run_id
        skill = rt.registry.get(job.skill)
        with self._lock:
            cancel_ev = self._cancel.setdefault(run_id, threading.Event())
        sink = self._sink(run_id)

        parent = job.parent_run_id

        def is_cancelled() -> bool:
            if cancel_ev.is_set() or store.cancel_requested(run_id):
                return True
            return parent is not None and store.cancel_requested(parent)

        def run_child(name: str, params: dict[str, Any], roots: tuple[Path, ...] = ()) -> RunResult:
            """A run started by this one (its child), executed in this thread."""
            return self.submit(
                name,
                params,
                surface="child",
                allowed_roots=(*job.allowed_roots, *roots),
                parent_run_id=run_id,
                inline=True,
            ).wait()

        run_dir = rt.settings.home / "runs" / run_id
        run_dir.mkdir(parents=True, exist_ok=True)
        ctx = Context(
            run_id=run_id,
            run_dir=run_dir,
            workspace=rt.workspace,
            config=rt.settings,
            http=rt.http,
            llm=rt.make_llm(run_id, is_cancelled),
            emit=sink,
            is_cancelled=is_cancelled,
            allowed_roots=[Path(r) for r in job.allowed_roots],
            run_child=run_child,
            registry=rt.registry,
            store=store,
        )
        if store.cancel_requested(run_id):
            if store.finish_run(
                run_id, "cancelled", error="cancelled before it started", error_kind="cancelled"
            ):
                sink("finished", {"status": "cancelled"})
            self._forget(run_id)
            return "cancelled"
        store.start_run(run_id)
        sink("started", {"skill": skill.name})
        status, output, error, kind, trace = "succeeded", None, None, None, None
        try:
            params = skill.input_model.model_validate(job.params)
            out = skill.fn(ctx, params)
            if not isinstance(out, skill.output_model):
                raise TypeError(
                    f"skill {skill.name} returned {type(out).__name__}, "
                    f"expected {skill.output_model.__name__}"
                )
            output = out.model_dump(mode="json")
        except Cancelled as e:
            reason = self._reasons.pop(run_id, None)
            status, kind = ("timed_out", "timeout") if reason else ("cancelled", "cancelled")
            error = reason or e.message
        except UserError as e:
            status, kind, error = "failed", "user", e.one_line()
        except SkillError as e:
            status, kind, error, trace = (
                "failed",
                "bug",
                e.one_line(),
                e.traceback or tb.format_exc(),
            )
        except LegionError as e:  # RunError (budget, ...) and any other deliberate error
            status, kind, error = "failed", "run", e.one_line()
        except Exception as e:
            status, kind = "failed", "bug"
            error = f"{type(e).__name__}: {e}"
            trace = tb.format_exc()
        finally:
            close = getattr(ctx.llm, "close", None)
            if close is not None:
                close()
        if ctx.artifacts:
            store.add_artifacts(run_id, [a.model_dump(mode="json") for a in ctx.artifacts])
        if status == "succeeded" and cancel_ev.is_set() and run_id in self._reasons:
            status, kind, error = "timed_out", "timeout", self._reasons.pop(run_id)
        if store.finish_run(
            run_id, status, output=output, error=error, error_kind=kind, traceback=trace
        ):
            data: dict[str, Any] = {"status": status}
            if error:
                data["error"] = error
            sink("finished", data)
        else:
            rec = store.get_run(run_id)
            status = rec.status if rec is not None else status
        self._forget(run_id)
        return status

    def _forget(self, run_id: str) -> None:
        with self._lock:
            self._cancel.pop(run_id, None)
            self._sinks.pop(run_id, None)


class _EventSink:
    """Numbers a run's events, records them and publishes them to local listeners. Nothing is
    recorded after ``finished`` (a skill still working past its timeout)."""

    def __init__(self, runner: Runner, run_id: str) -> None:
        self.runner = runner
        self.run_id = run_id
        self.seq = 0
        self.closed = False
        self._lock = threading.Lock()

    def __call__(self, kind: str, data: dict[str, Any]) -> None:
        with self._lock:
            if self.closed:
                return
            self.closed = kind == "finished"
            self.seq += 1
            if kind == "artifact":  # recorded when committed: a killed run still lists it
                self.runner.runtime.store.add_artifacts(self.run_id, [data])
            rec: EventRecord = self.runner.runtime.store.add_event(
                self.run_id, self.seq, kind, data
            )
        self.runner.bus.publish(rec)
