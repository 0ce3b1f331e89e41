"""What one `legion` invocation shares between its commands: the options of the root command
(``--home``, ``--debug``) and the registry, runtime and store, each opened on first use."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from onelegion.surfaces.i18n import set_configured_language

if TYPE_CHECKING:
    from onelegion.core.registry import Registry
    from onelegion.core.runtime import Runtime
    from onelegion.core.store import Store


@dataclass
class CliState:
    home: Path | None = None
    debug: bool = False
    registry: Registry | None = None
    runtime: Runtime | None = None
    store: Store | None = None


STATE = CliState()


def registry() -> Registry:
    if STATE.registry is None:
        from onelegion.core.registry import Registry

        STATE.registry = Registry.from_entry_points()
    return STATE.registry


def runtime() -> Runtime:
    if STATE.runtime is None:
        from onelegion.core.config import Settings
        from onelegion.core.executors import DaemonThreadExecutor
        from onelegion.core.runtime import Runtime

        settings = Settings.load(STATE.home)
        # daemon threads: after a --timeout the command exits at once, whatever the skill is doing
        executor = DaemonThreadExecutor() if settings.executor == "thread" else None
        STATE.runtime = Runtime(settings, registry=registry(), executor=executor)
    set_configured_language(getattr(STATE.runtime.settings, "language", None))
    return STATE.runtime


def store() -> Store:
    """The run store alone (no settings, HTTP or executor): fast for `runs list/show`."""
    if STATE.runtime is not None:
        return STATE.runtime.store
    if STATE.store is None:
        from onelegion.core.home import default_home
        from onelegion.core.store import Store

        home = STATE.home.expanduser() if STATE.home else default_home()
        STATE.store = Store(home / "legion.db")
        STATE.store.mark_interrupted()
    return STATE.store
