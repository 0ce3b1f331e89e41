"""In-process event bus: listeners receive a run's events as they are recorded.

Events are also persisted in the store, so listeners in other processes (the HTTP API's
server-sent events, a CLI attached to a run started elsewhere) read them from there.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable

from onelegion.core.store import EventRecord

Listener = Callable[[EventRecord], None]


class EventBus:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._listeners: dict[str, list[Listener]] = defaultdict(list)

    def subscribe(self, run_id: str, listener: Listener) -> Callable[[], None]:
        with self._lock:
            self._listeners[run_id].append(listener)

        def unsubscribe() -> None:
            with self._lock:
                lst = self._listeners.get(run_id, [])
                if listener in lst:
                    lst.remove(listener)
                if not lst:
                    self._listeners.pop(run_id, None)

        return unsubscribe

    def publish(self, event: EventRecord) -> None:
        with self._lock:
            listeners = list(self._listeners.get(event.run_id, ()))
        for listener in listeners:
            try:
                listener(event)
            except Exception:  # a broken listener must not break the run
                pass
