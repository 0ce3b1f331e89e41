"""The composition root: settings, store, registry, HTTP factory, executor and runner for one
``$LEGION_HOME``. Surfaces create one with :meth:`Runtime.open`; executor workers in other
processes get theirs from :meth:`Runtime.for_home`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Executor
from pathlib import Path
from typing import Any

from onelegion.core.config import Settings
from onelegion.core.executors import make_executor
from onelegion.core.http import HttpFactory
from onelegion.core.llm import LLM
from onelegion.core.registry import Registry
from onelegion.core.runner import RunJob, Runner
from onelegion.core.store import Store

_RUNTIMES: dict[str, Runtime] = {}
_LOCK = threading.Lock()


class Runtime:
    def __init__(
        self,
        settings: Settings,
        *,
        registry: Registry | None = None,
        http: HttpFactory | None = None,
        executor: Executor | None = None,
        llm_model: Any = None,
    ) -> None:
        self.settings = settings
        self.home = settings.home
        self.home.mkdir(parents=True, exist_ok=True)
        self.workspace = settings.workspace_dir
        self.workspace.mkdir(parents=True, exist_ok=True)
        self.store = Store(self.home / "legion.db")
        self.interrupted = self.store.mark_interrupted()
        self.removed_parts: list[Path] = []
        self.registry = registry or Registry.from_entry_points()
        if self.interrupted:  # their half-written outputs: hidden .part files beside the targets
            from onelegion.core.leftovers import remove_partial_outputs

            self.removed_parts = remove_partial_outputs(self.store, self.registry, self.interrupted)
        self.http = http or HttpFactory(settings.http)
        self._llm_model = llm_model
        self.runner = Runner(
            self,
            executor
            or make_executor(
                settings.executor,
                max_workers=settings.max_workers,
                dask_address=settings.dask_address,
            ),
            execute_job,
        )
        with _LOCK:
            _RUNTIMES[str(self.home)] = self

    @classmethod
    def open(cls, home: Path | str | None = None, **kw: Any) -> Runtime:
        return cls(Settings.load(home), **kw)

    @classmethod
    def for_home(cls, home: str) -> Runtime:
        """The runtime of this process for ``home`` (opened on first use, e.g. in a worker)."""
        with _LOCK:
            rt = _RUNTIMES.get(str(Path(home)))
        if rt is None:
            from onelegion.core.executors import InlineExecutor

            rt = cls(Settings.load(home), executor=InlineExecutor())
        return rt

    def make_llm(self, run_id: str, is_cancelled: Callable[[], bool] | None = None) -> LLM:
        """One gateway per run, so budgets are per run. Calls are recorded in the store; the
        shared HTTP factory's proxy and user agent apply (its retries stay off: the SDK retries)."""
        cfg = self.settings.llm
        if self._llm_model is not None:  # an injected pydantic-ai model (tests, embedding)
            return LLM(
                self._llm_model,
                run_id=run_id,
                recorder=self.store,
                max_calls=cfg.max_calls,
                budget_usd=cfg.budget_usd,
                timeout_s=cfg.timeout_s,
                temperature=cfg.temperature,
                cache=cfg.cache,
                is_cancelled=is_cancelled,
            )
        if not cfg.model:
            return LLM.unconfigured()
        return LLM.from_settings(
            cfg,
            run_id=run_id,
            recorder=self.store,
            http_client=self.http.async_client(retries=0, timeout=cfg.timeout_s),
            is_cancelled=is_cancelled,
        )

    def close(self) -> None:
        self.executor_shutdown()
        self.store.close()
        with _LOCK:
            if _RUNTIMES.get(str(self.home)) is self:
                _RUNTIMES.pop(str(self.home), None)

    def executor_shutdown(self) -> None:
        shutdown = getattr(self.runner.executor, "shutdown", None)
        if shutdown is not None:
            try:
                shutdown(wait=False, cancel_futures=True)
            except TypeError:
                shutdown(wait=False)


def execute_job(job: RunJob) -> str:
    """What executors call for each run (module level, so process and cluster executors can
    pickle it): this process's runtime for the job's home executes it."""
    return Runtime.for_home(job.home).runner.execute(job)
