"""Schedules of playbooks, kept in ``$LEGION_HOME/schedules.yaml``: ``every`` is ``day``,
``hour`` or an interval (``30m``, ``2h``); ``at`` (HH:MM, local time) pins a daily run.

:func:`due` decides from an injected clock (tests pass their own ``now``); ``legion schedule run``
(for cron) and the scheduler thread of ``legion serve`` run what is due.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from datetime import datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from onelegion.core.errors import UserError
from onelegion.core.files import write_text
from onelegion.core.lang import tr
from onelegion.skills.commander.models import Schedule

FILE = "schedules.yaml"
MIN_INTERVAL = timedelta(minutes=5)
_EVERY_RE = re.compile(r"^(\d{1,4})\s*(m|min|h)$")
_AT_RE = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_LOCK = threading.Lock()


def interval(every: str) -> timedelta:
    e = every.strip().lower()
    if e in ("day", "daily", "1d"):
        return timedelta(days=1)
    if e in ("hour", "hourly"):
        return timedelta(hours=1)
    m = _EVERY_RE.match(e)
    if not m:
        raise UserError(
            tr(
                f"--every {every!r} is not day, hour or an interval like 30m, 2h",
                f"--every {every!r} 不是 day、hour 或 30m、2h 这样的间隔",
            ),
        )
    span = (
        timedelta(minutes=int(m.group(1)))
        if m.group(2) != "h"
        else timedelta(hours=int(m.group(1)))
    )
    if span < MIN_INTERVAL:
        raise UserError(tr(f"--every {every}: at least 5m", f"--every {every}：最短 5m"))
    return span


def parse_at(at: str) -> tuple[int, int]:
    m = _AT_RE.match(at.strip())
    if not m:
        raise UserError(tr(f"--at {at!r} is not HH:MM", f"--at {at!r} 不是 HH:MM 格式"))
    return int(m.group(1)), int(m.group(2))


def check(s: Schedule) -> None:
    span = interval(s.every)
    if s.at is not None:
        parse_at(s.at)
        if span != timedelta(days=1):
            raise UserError(tr("--at goes with --every day", "--at 只能与 --every day 一起用"))


def next_run(s: Schedule, now: datetime, tz: tzinfo) -> datetime:
    """When ``s`` is due next: the first ``at`` slot (or interval) after its last run, or after it
    was made when it never ran. Runs missed while nothing was running make it due once."""
    span = interval(s.every)
    ref = datetime.fromtimestamp(s.last_run if s.last_run is not None else s.created, tz)
    if s.at is not None:
        h, m = parse_at(s.at)
        slot = ref.replace(hour=h, minute=m, second=0, microsecond=0)
        while slot <= ref:
            slot += timedelta(days=1)
        return slot
    return ref + span


def is_due(s: Schedule, now: datetime, tz: tzinfo) -> bool:
    return next_run(s, now, tz) <= now.astimezone(tz)


def local_tz(section: dict[str, Any]) -> tzinfo:
    """The ``timezone`` of the push settings table, else this machine's local time zone."""
    from datetime import UTC
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    name = section.get("timezone")
    if isinstance(name, str) and name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    tz = datetime.now().astimezone().tzinfo
    return tz if tz is not None else UTC


# --- the file ---------------------------------------------------------------------------------
def path(home: Path) -> Path:
    return home / FILE


def load_all(home: Path) -> list[Schedule]:
    p = path(home)
    if not p.is_file():
        return []
    try:
        data: Any = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as e:
        raise UserError(tr(f"cannot read {p}: {e}", f"无法读取 {p}：{e}")) from None
    items = data.get("schedules", []) if isinstance(data, dict) else []
    out: list[Schedule] = []
    for item in items if isinstance(items, list) else []:
        try:
            out.append(Schedule.model_validate(item))
        except ValidationError:
            continue
    return out


def save_all(home: Path, schedules: list[Schedule]) -> None:
    data = {"schedules": [s.model_dump(mode="json") for s in schedules]}
    write_text(path(home), yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def update(home: Path, change: Callable[[list[Schedule]], list[Schedule]]) -> list[Schedule]:
    """Read, change and write the file under a lock (the scheduler thread writes it too)."""
    with _LOCK:
        schedules = change(load_all(home))
        save_all(home, schedules)
        return schedules


def get(home: Path, playbook: str) -> Schedule | None:
    return next((s for s in load_all(home) if s.playbook == playbook), None)
