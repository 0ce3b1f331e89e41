"""Shared fixtures: every test gets its own LEGION_HOME; no test touches the network."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "legion-home"
    monkeypatch.setenv("LEGION_HOME", str(home))
    for var in (
        "LEGION_MODEL",
        "LEGION_LLM__MODEL",
        "LEGION_TOKEN",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
    ):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "legion-home"


@pytest.fixture
def runtime(home: Path) -> Iterator[object]:
    from onelegion.core.runtime import Runtime

    rt = Runtime.open(home)
    yield rt
    rt.close()
