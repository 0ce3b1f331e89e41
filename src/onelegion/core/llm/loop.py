"""One private asyncio event loop in a daemon thread, for calling async code from sync code.

The LLM gateway's ``ask`` is synchronous (skills run in worker threads) while pydantic-ai and its
HTTP client are async. Every call goes to this one loop, so one ``httpx2.AsyncClient`` (and its
connection pool) serves all the threads of a run, and ``ask`` works from any thread, including a
thread that already runs an event loop of its own.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import threading
import time
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


class StopRequested(Exception):
    """``should_stop`` said stop while waiting for the coroutine."""


class LoopThread:
    """Starts lazily; ``run(coro)`` blocks the calling thread until ``coro`` finishes."""

    def __init__(self, name: str = "legion-llm") -> None:
        self._name = name
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def _ensure(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None or self._loop.is_closed():
                loop = asyncio.new_event_loop()
                ready = threading.Event()

                def main() -> None:
                    asyncio.set_event_loop(loop)
                    loop.call_soon(ready.set)
                    loop.run_forever()

                thread = threading.Thread(target=main, name=self._name, daemon=True)
                thread.start()
                ready.wait()
                self._loop, self._thread = loop, thread
            return self._loop

    def run(
        self,
        coro: Coroutine[Any, Any, T],
        timeout: float | None = None,
        should_stop: Callable[[], bool] | None = None,
    ) -> T:
        """Run ``coro`` on the loop and return its result (its exception is re-raised here).

        ``should_stop`` is polled a few times a second; when it returns True the coroutine is
        cancelled and :class:`StopRequested` raised (a run cancelled during a slow request).
        """
        if self._thread is not None and threading.current_thread() is self._thread:
            coro.close()
            raise RuntimeError("LoopThread.run() called from its own loop (would deadlock)")
        loop = self._ensure()
        future = asyncio.run_coroutine_threadsafe(coro, loop)
        deadline = None if timeout is None else time.monotonic() + timeout
        try:
            while True:
                wait = 0.25 if should_stop is not None else None
                if deadline is not None:
                    left = max(0.0, deadline - time.monotonic())
                    wait = left if wait is None else min(wait, left)
                try:
                    return future.result(wait)
                except concurrent.futures.TimeoutError:
                    if deadline is not None and time.monotonic() >= deadline:
                        raise TimeoutError(f"no answer within {timeout:.0f} s") from None
                    if should_stop is not None and should_stop():
                        raise StopRequested() from None
        except BaseException:
            future.cancel()  # timeout, stop, or e.g. KeyboardInterrupt: stop the request too
            raise

    def close(self, cleanup: Coroutine[Any, Any, Any] | None = None) -> None:
        """Run ``cleanup`` (e.g. closing HTTP clients) on the loop, then stop the thread."""
        with self._lock:
            loop, thread = self._loop, self._thread
            self._loop = self._thread = None
        if loop is None or thread is None:
            if cleanup is not None:
                cleanup.close()
            return
        if threading.current_thread() is thread:  # collected on its own loop: just stop it
            if cleanup is not None:
                loop.create_task(cleanup)
            loop.call_soon(loop.stop)
            return
        if cleanup is not None:
            with contextlib.suppress(Exception):  # closing is best effort
                asyncio.run_coroutine_threadsafe(cleanup, loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        if not thread.is_alive():
            loop.close()
