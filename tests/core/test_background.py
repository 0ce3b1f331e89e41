"""The server's background services: a failing one is said on stderr without its message."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from onelegion.core.background import Background


def test_a_failing_service_is_noted_and_said_without_its_message(
    capsys: pytest.CaptureFixture[str],
) -> None:
    calls: list[datetime] = []

    def broken(runtime: Any, now: datetime) -> None:
        raise RuntimeError("push to https://hooks.example/abc?token=s3cr3t failed")

    def fine(runtime: Any, now: datetime) -> None:
        calls.append(now)

    at = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    bg = Background(runtime=None, ticks={"broken": broken, "fine": fine}, clock=lambda: at)  # type: ignore[arg-type]
    bg.tick()
    err = capsys.readouterr().err
    assert calls == [at]  # the other service still ran
    assert "background 'broken' failed (RuntimeError)" in err
    assert "s3cr3t" not in err
    assert bg.errors == {
        "broken": "RuntimeError: push to https://hooks.example/abc?token=s3cr3t failed"
    }
