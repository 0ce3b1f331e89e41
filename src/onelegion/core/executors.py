"""Where runs execute: anything satisfying ``concurrent.futures.Executor``.

- ``inline``: in the calling thread (tests, scripts).
- ``thread``: a thread pool (default; the CLI and the API server).
- ``dask``: a Dask distributed cluster (``pip install 'onelegion[dask]'``); with no address a
  local cluster is started. Workers re-open the store from ``$LEGION_HOME``, so the home must
  be on a filesystem the workers share.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from typing import Any, ParamSpec, TypeVar

from onelegion.core.errors import ConfigError

P = ParamSpec("P")
T = TypeVar("T")


class InlineExecutor(Executor):
    """Runs each submitted call immediately in the caller's thread."""

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        fut: Future[T] = Future()
        try:
            fut.set_result(fn(*args, **kwargs))
        except BaseException as e:
            fut.set_exception(e)
        return fut


class DaemonThreadExecutor(Executor):
    """One daemon thread per submitted call: a process may exit while a call still runs (the
    CLI after a run timed out, whose skill has not reached a cancellation check yet)."""

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        fut: Future[T] = Future()

        def work() -> None:
            if not fut.set_running_or_notify_cancel():
                return
            try:
                fut.set_result(fn(*args, **kwargs))
            except BaseException as e:
                fut.set_exception(e)

        threading.Thread(target=work, name="legion-run", daemon=True).start()
        return fut


def make_executor(kind: str, *, max_workers: int = 4, dask_address: str | None = None) -> Executor:
    if kind == "inline":
        return InlineExecutor()
    if kind == "thread":
        return ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="legion-run")
    if kind == "dask":
        return dask_executor(dask_address)
    raise ConfigError(f"unknown executor {kind!r}", hint="use inline, thread or dask")


def dask_executor(address: str | None = None, **cluster_kwargs: Any) -> Executor:
    """A ``concurrent.futures`` view of a Dask distributed client."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as e:
        raise ConfigError(
            "the dask executor needs the optional extra",
            hint="pip install 'onelegion[dask]'",
        ) from e
    if address:
        client = Client(address)  # type: ignore[no-untyped-call]
    else:
        opts: dict[str, Any] = {"n_workers": 2, "threads_per_worker": 2, "processes": True}
        opts.update(cluster_kwargs)
        client = Client(LocalCluster(**opts))  # type: ignore[no-untyped-call]
    executor: Executor = client.get_executor()  # type: ignore[no-untyped-call]
    return executor
