"""Fixtures for the cockpit: a runtime with every installed skill, a client, and waiting for a run."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from onelegion.core.runtime import Runtime
from onelegion.core.store import FINAL, RunRecord
from onelegion.surfaces.api import create_app

MESSY_CSV = (
    "城市,价格,日期\n"
    "上海市,¥1299.00,2024/3/5\n"
    "上海,99元,2024年3月6日\n"
    "上海,120,20240307\n"
    "北京市,88元,2024/3/8\n"
    "北京,70,2024-03-09\n"
    "北京,65元,2024/3/10\n"
)


@pytest.fixture
def runtime(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Runtime]:
    monkeypatch.setenv("LEGION_LANGUAGE", "en")
    rt = Runtime.open(tmp_path / "home")
    yield rt
    rt.close()


@pytest.fixture
def client(runtime: Runtime) -> TestClient:
    return TestClient(create_app(runtime), base_url="http://127.0.0.1")


def wait_final(runtime: Runtime, run_id: str, limit_s: float = 120.0) -> RunRecord:
    """The run once it has finished (polls the store; the limit only stops a hung test)."""
    deadline = time.monotonic() + limit_s
    while True:
        rec = runtime.store.get_run(run_id)
        assert rec is not None
        if rec.status in FINAL and any(e.kind == "finished" for e in runtime.store.events(run_id)):
            return rec
        assert time.monotonic() < deadline, f"run {run_id} still {rec.status}"
        time.sleep(0.05)


def run_id_of(location: str) -> str:
    assert location.startswith("/runs/")
    return location.removeprefix("/runs/")
