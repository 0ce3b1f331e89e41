"""Schedules: due from an injected clock, run by `legion serve`'s background tick, the report
pushed through the push channels (an injected sender; no network)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from onelegion.core import notify
from onelegion.core.background import Background
from onelegion.core.runtime import Runtime
from onelegion.skills.commander import schedule
from onelegion.skills.commander.models import Schedule
from onelegion.skills.commander.scheduler import tick

PLAYBOOK = """format: 1
goal: 早报：回声两次
steps:
- id: one
  skill: util.echo
  params: {message: 新能源热点}
- id: two
  skill: util.echo
  params: {message: "${steps.one.output.message} 已整理"}
"""


def test_next_run_from_creation_last_run_and_at() -> None:
    tz = UTC
    made = datetime(2026, 12, 1, 9, 30, tzinfo=tz).timestamp()
    daily = Schedule(playbook="p", every="day", at="08:00", created=made)
    assert schedule.next_run(daily, datetime(2026, 12, 1, 10, tzinfo=tz), tz) == datetime(
        2026, 12, 2, 8, 0, tzinfo=tz
    )
    assert not schedule.is_due(daily, datetime(2026, 12, 2, 7, 59, tzinfo=tz), tz)
    assert schedule.is_due(daily, datetime(2026, 12, 2, 8, 0, tzinfo=tz), tz)
    daily.last_run = datetime(2026, 12, 5, 8, 0, 30, tzinfo=tz).timestamp()
    assert schedule.next_run(daily, datetime(2026, 12, 5, 9, tzinfo=tz), tz) == datetime(
        2026, 12, 6, 8, 0, tzinfo=tz
    )
    every = Schedule(playbook="p", every="90m", created=made)
    assert schedule.next_run(every, datetime(2026, 12, 1, 10, tzinfo=tz), tz) == datetime(
        2026, 12, 1, 11, 0, tzinfo=tz
    )


def test_background_tick_runs_due_playbook_and_pushes(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[tuple[str, str, str]] = []

    def sender(url: str, title: str, body: str) -> bool:
        sent.append((url, title, body))
        return True

    monkeypatch.setattr(notify, "apprise_sender", sender)
    home.mkdir(parents=True)
    (home / "legion.toml").write_text(
        '[radar]\ntimezone = "Asia/Shanghai"\n[radar.push]\nurls = ["json://127.0.0.1:9/hook"]\n',
        encoding="utf-8",
    )
    (home / "playbooks").mkdir()
    (home / "playbooks" / "brief.yaml").write_text(PLAYBOOK, encoding="utf-8")
    rt = Runtime.open(home)
    try:
        made = rt.runner.run("playbook.schedule", {"name": "brief", "every": "day", "at": "08:00"})
        assert made.status == "succeeded", made.error
        created = schedule.get(home, "brief")
        assert created is not None and created.push is True
        shanghai = schedule.local_tz({"timezone": "Asia/Shanghai"})
        first_slot = schedule.next_run(created, datetime.now(UTC), shanghai)
        clock = [first_slot - timedelta(minutes=1)]
        bg = Background(rt, {"commander": tick}, clock=lambda: clock[0])
        bg.tick()  # a minute early: nothing
        assert rt.store.list_runs(skill="schedule.run") == []
        clock[0] = first_slot + timedelta(seconds=20)
        bg.tick()
        [due] = rt.store.list_runs(skill="schedule.run")
        assert due.status == "succeeded" and due.surface == "scheduler"
        assert due.output is not None and due.output["due"] == ["brief"]
        [book] = rt.store.children(due.id)
        assert book.skill == "playbook.run" and book.output is not None
        steps = rt.store.children(book.id)
        assert [s.output for s in steps] == [
            {"message": "新能源热点"},
            {"message": "新能源热点 已整理"},
        ]
        assert book.output["pushed"] == 1 and len(sent) == 1
        url, title, body = sent[0]
        assert url == "json://127.0.0.1:9/hook"
        assert title.endswith("早报：回声两次")
        assert "message: 新能源热点 已整理" in body
        bg.tick()  # same minute again: already ran
        assert len(rt.store.list_runs(skill="schedule.run")) == 1
        after = schedule.get(home, "brief")
        assert after is not None and after.last_status == "succeeded"
        assert after.last_run == pytest.approx(clock[0].timestamp())
        assert bg.errors == {}
    finally:
        rt.close()


def test_a_failing_channel_is_reported_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(url: str, title: str, body: str) -> bool:
        return False

    results = notify.send_markdown(
        ["json://127.0.0.1:9/a?token=s3cret"],
        "t",
        "line\n" * 3,
        sender=refuse,
        limit=lambda u: 4000,
    )
    assert [(r.ok, r.messages) for r in results] == [(False, 0)]
    assert results[0].error == "the channel reported a failure for message 1 of 1"
    chunks = notify.split_lines("T", "\n".join(f"line {i:03d} " + "x" * 50 for i in range(20)), 300)
    assert all(len(c) <= 300 for c in chunks) and len(chunks) == 5
    assert "".join(chunks).count("line 0") == 20


def test_background_notes_a_failing_service_and_keeps_the_others(home: Path) -> None:
    seen: list[datetime] = []
    moment = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)

    def broken(runtime: Runtime, now: datetime) -> None:
        raise RuntimeError("boom")

    def fine(runtime: Runtime, now: datetime) -> None:
        seen.append(now)

    rt = Runtime.open(home)
    try:
        bg = Background(rt, {"broken": broken, "fine": fine}, clock=lambda: moment)
        bg.tick()
        assert seen == [moment]
        assert bg.errors == {"broken": "RuntimeError: boom"}
        # the installed services: the commander's tick, which does nothing without schedules
        installed = Background(rt)
        assert list(installed.ticks) == ["commander"] and installed.errors == {}
        installed.tick()
        assert rt.store.list_runs() == []
    finally:
        rt.close()
