"""The commander's background tick (``onelegion.services``): while ``legion serve`` runs, a
schedule that is due starts one recorded ``schedule.run`` run (its playbooks are its children)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from onelegion.core.notify import PUSH_SECTION
from onelegion.skills.commander import schedule

if TYPE_CHECKING:
    from onelegion.core.runtime import Runtime


def tick(runtime: Runtime, now: datetime) -> None:
    settings = runtime.settings
    items = schedule.load_all(settings.home)
    if not items:
        return
    tz = schedule.local_tz(settings.section(PUSH_SECTION))
    if any(schedule.is_due(s, now, tz) for s in items):
        runtime.runner.run("schedule.run", {"now": now.isoformat()}, surface="scheduler")
