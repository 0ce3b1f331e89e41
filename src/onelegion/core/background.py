"""Work ``legion serve`` does by itself while it runs: every entry of the ``onelegion.services``
group is a callable ``tick(runtime, now)`` called about once a minute on one background thread
(the commander runs the playbooks that are due). The clock is injected, so tests drive it."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from onelegion.core import plugins

if TYPE_CHECKING:
    from onelegion.core.runtime import Runtime

Tick = Callable[["Runtime", datetime], None]


def _now() -> datetime:
    return datetime.now(UTC)


class Background:
    """The background thread of a server: ``start()``, ``stop()``; ``tick()`` once (tests)."""

    def __init__(
        self,
        runtime: Runtime,
        ticks: dict[str, Tick] | None = None,
        *,
        clock: Callable[[], datetime] = _now,
        period_s: float = 60.0,
    ) -> None:
        self.runtime = runtime
        self.ticks = ticks if ticks is not None else self._load()
        self.clock = clock
        self.period_s = period_s
        self.errors: dict[str, str] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _load(self) -> dict[str, Tick]:
        out: dict[str, Tick] = {}
        for ep in plugins.entries(plugins.SERVICES):
            try:
                out[ep.name] = ep.load()
            except Exception as e:  # a broken plugin must not stop the server
                self.errors[ep.name] = f"{type(e).__name__}: {e}"
        return out

    def tick(self) -> None:
        """Call every service once with the clock's time; a failing one is noted, not raised."""
        now = self.clock()
        for name, fn in self.ticks.items():
            try:
                fn(self.runtime, now)
            except Exception as e:
                self.errors[name] = f"{type(e).__name__}: {e}"
                print(  # the type only: a message may carry a push URL's token
                    f"legion serve: background {name!r} failed ({type(e).__name__}); "
                    "its runs are in `legion runs list`",
                    file=sys.stderr,
                )

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.tick()
            self._stop.wait(self.period_s)

    def start(self) -> None:
        if not self.ticks or self._thread is not None:
            return
        self._thread = threading.Thread(target=self._loop, name="legion-background", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
