"""What a skill sees while it runs: ``ctx``.

``ctx.workspace``, ``ctx.run_dir``, ``ctx.run_id``, ``ctx.progress(...)``, ``ctx.log(...)``,
``ctx.artifact(...)``, ``ctx.llm``, ``ctx.http``, ``ctx.config``, ``ctx.cancelled``; for skills
that drive other skills (the commander): ``ctx.run_skill(name, params)`` (a recorded child run),
``ctx.registry`` and ``ctx.store``.
"""

from __future__ import annotations

import mimetypes
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sized
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from onelegion.core.artifact import Artifact
from onelegion.core.errors import Cancelled, UserError

if TYPE_CHECKING:
    from onelegion.core.config import Settings
    from onelegion.core.http import HttpFactory
    from onelegion.core.llm import LLM
    from onelegion.core.registry import Registry
    from onelegion.core.runner import RunResult
    from onelegion.core.store import Store

T = TypeVar("T")
Emit = Callable[[str, dict[str, Any]], None]
ChildRun = Callable[[str, dict[str, Any], tuple[Path, ...]], "RunResult"]

_EXTRA_TYPES = {
    ".md": "text/markdown",
    ".jsonl": "application/x-ndjson",
    ".parquet": "application/vnd.apache.parquet",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv",
    ".html": "text/html",
    ".json": "application/json",
}


def guess_media_type(path: Path) -> str:
    return _EXTRA_TYPES.get(path.suffix.lower()) or (
        mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    )


class Context:
    """The run-time context handed to a skill. Created by the runner (or :meth:`for_testing`)."""

    def __init__(
        self,
        *,
        run_id: str,
        run_dir: Path,
        workspace: Path,
        config: Settings,
        http: HttpFactory,
        llm: LLM,
        emit: Emit | None = None,
        is_cancelled: Callable[[], bool] | None = None,
        allowed_roots: Iterable[Path] = (),
        run_child: ChildRun | None = None,
        registry: Registry | None = None,
        store: Store | None = None,
    ) -> None:
        self.run_id = run_id
        self.run_dir = run_dir
        self.workspace = workspace
        self.config = config
        self.http = http
        self.llm = llm
        self.allowed_roots = tuple(allowed_roots)
        self._emit = emit or (lambda kind, data: None)
        self._is_cancelled = is_cancelled or (lambda: False)
        self._run_child = run_child
        self._registry = registry
        self._store = store
        self._cancel_event = threading.Event()
        self._artifacts: dict[str, Artifact] = {}
        self._last_progress = 0.0
        self._last_cancel_check = 0.0

    # --- cancellation -------------------------------------------------------------------
    @property
    def cancelled(self) -> bool:
        """True once the run was asked to stop; long loops should check it and return early."""
        if self._cancel_event.is_set():
            return True
        now = time.monotonic()
        if now - self._last_cancel_check > 0.2:
            self._last_cancel_check = now
            if self._is_cancelled():
                self._cancel_event.set()
        return self._cancel_event.is_set()

    def cancel(self) -> None:
        self._cancel_event.set()

    def check_cancelled(self) -> None:
        """Raise :class:`Cancelled` if the run was asked to stop."""
        if self.cancelled:
            raise Cancelled("the run was cancelled")

    def sleep(self, seconds: float) -> None:
        """Sleep, waking early (and raising Cancelled) when the run is cancelled."""
        end = time.monotonic() + seconds
        while True:
            self.check_cancelled()
            left = end - time.monotonic()
            if left <= 0:
                return
            self._cancel_event.wait(min(left, 0.25))

    # --- events ---------------------------------------------------------------------------
    def progress(
        self, done: float, total: float | None = None, message: str = "", *, force: bool = False
    ) -> None:
        """Report progress (throttled to ~10 events a second unless ``force`` or finished)."""
        now = time.monotonic()
        finished = total is not None and done >= total
        if not (force or finished) and now - self._last_progress < 0.1:
            return
        self._last_progress = now
        self._emit("progress", {"done": done, "total": total, "message": message})
        self.check_cancelled()

    def track(self, items: Iterable[T], total: int | None = None, message: str = "") -> Iterator[T]:
        """Iterate while reporting progress and honouring cancellation."""
        if total is None and isinstance(items, Sized):
            total = len(items)
        i = 0
        self.progress(0, total, message, force=True)
        for i, item in enumerate(items, 1):
            yield item
            self.progress(i, total, message)
        self.progress(i, total if total is not None else i, message, force=True)

    def log(self, message: str, level: str = "info", **data: Any) -> None:
        """A line in the run's event log (never put secrets here)."""
        self._emit("log", {"level": level, "message": message, **data})

    def event(self, kind: str, **data: Any) -> None:
        """A custom event kind for listeners (e.g. 'source' with a per-source status)."""
        self._emit(kind, data)

    # --- child runs -----------------------------------------------------------------------
    def run_skill(
        self, name: str, params: dict[str, Any], *, allowed_roots: Iterable[Path] = ()
    ) -> RunResult:
        """Run another skill as an ordinary recorded run whose parent is this run (in this
        thread; bad parameters raise UserError and record nothing). Returns its result."""
        if self._run_child is None:
            raise RuntimeError("this context cannot start runs (it was not made by a runner)")
        self.check_cancelled()
        return self._run_child(name, params, tuple(Path(r) for r in allowed_roots))

    @property
    def registry(self) -> Registry:
        """The skills this run's runner knows (a plan is checked against them)."""
        if self._registry is None:
            raise RuntimeError("this context has no registry (it was not made by a runner)")
        return self._registry

    @property
    def store(self) -> Store:
        """The run store, for skills that read earlier runs (a plan, a playbook's source)."""
        if self._store is None:
            raise RuntimeError("this context has no run store (it was not made by a runner)")
        return self._store

    # --- files ----------------------------------------------------------------------------
    def path(self, name: str) -> Path:
        """A path inside the run directory for a file the skill is about to write."""
        p = (self.run_dir / name).resolve()
        if self.run_dir.resolve() not in p.parents:
            raise UserError(f"artifact name {name!r} escapes the run directory")
        p.parent.mkdir(parents=True, exist_ok=True)
        return p

    def artifact(
        self,
        name: str,
        path: Path | None = None,
        *,
        media_type: str | None = None,
        description: str = "",
    ) -> Artifact:
        """Record a file the run produced (default location: ``run_dir/name``)."""
        p = Path(path) if path is not None else self.run_dir / name
        if not p.exists():
            raise FileNotFoundError(f"artifact {name!r}: {p} was not written")
        art = Artifact(
            name=name,
            path=p.resolve(),
            media_type=media_type or guess_media_type(p),
            description=description,
            size=p.stat().st_size,
        )
        self._artifacts[name] = art
        self._emit("artifact", art.model_dump(mode="json"))
        return art

    @property
    def artifacts(self) -> list[Artifact]:
        return list(self._artifacts.values())

    # --- tests ----------------------------------------------------------------------------
    @classmethod
    def for_testing(
        cls,
        tmp_path: Path,
        *,
        http: HttpFactory | None = None,
        llm: LLM | None = None,
        config: Settings | None = None,
        events: list[tuple[str, dict[str, Any]]] | None = None,
    ) -> Context:
        """A context rooted in ``tmp_path`` (home, workspace and run dir inside it)."""
        from onelegion.core.config import Settings
        from onelegion.core.http import HttpFactory
        from onelegion.core.llm import LLM

        home = tmp_path / "home"
        run_dir = home / "runs" / "test-run"
        run_dir.mkdir(parents=True, exist_ok=True)
        workspace = home / "workspace"
        workspace.mkdir(parents=True, exist_ok=True)
        cfg = config or Settings.load(home)
        sink = events if events is not None else []
        return cls(
            run_id="test-run",
            run_dir=run_dir,
            workspace=workspace,
            config=cfg,
            http=http or HttpFactory(cfg.http),
            llm=llm or LLM.unconfigured(),
            emit=lambda kind, data: sink.append((kind, data)),
            allowed_roots=(tmp_path,),
        )
