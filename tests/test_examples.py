"""The plugin example under examples/ is installed (a real dist-info with its entry points, as pip
writes one) and run through the CLI, the HTTP API and MCP, with exact outputs. The README shows
the same file, byte for byte."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import anyio
import pytest
from fastapi.testclient import TestClient
from mcp import Client

from onelegion.core.registry import Registry
from onelegion.core.runtime import Runtime
from onelegion.surfaces.api import create_app
from onelegion.surfaces.mcp import create_server

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "count_lines"


def install(example: Path, site: Path) -> list[str]:
    """Install ``example`` into ``site`` the way an editable install does: a ``.dist-info`` with
    METADATA and the project's entry points; returns the paths to put on ``sys.path``."""
    project = tomllib.loads((example / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    name, version = project["name"], project["version"]
    info = site / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8"
    )
    lines: list[str] = []
    for group, eps in project["entry-points"].items():
        lines.append(f"[{group}]")
        lines.extend(f"{k} = {v}" for k, v in eps.items())
    (info / "entry_points.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [str(site), str(example)]


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    paths = install(EXAMPLE, tmp_path / "site")
    for p in reversed(paths):
        monkeypatch.syspath_prepend(p)
    return paths


@pytest.fixture
def notes(tmp_path: Path) -> Path:
    p = tmp_path / "notes.txt"
    p.write_text("一\ntwo\n三\n", encoding="utf-8")
    return p


def test_readme_shows_the_example_file() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n# examples/count_lines/(\S+)\n(.*?)```", readme, re.S)
    assert [b[0] for b in blocks] == ["legion_count/__init__.py"]
    assert blocks[0][1] == (EXAMPLE / "legion_count" / "__init__.py").read_text(encoding="utf-8")
    toml = re.findall(r"```toml\n# examples/count_lines/pyproject.toml\n(.*?)```", readme, re.S)
    assert toml and toml[0] in (EXAMPLE / "pyproject.toml").read_text(encoding="utf-8")


def test_example_imports_only_the_public_api() -> None:
    import onelegion

    src = (EXAMPLE / "legion_count" / "__init__.py").read_text(encoding="utf-8")
    imported = re.findall(r"^from onelegion import (.+)$", src, re.M)
    assert imported == ["Context, InputFile, skill"]
    assert all(n.strip() in onelegion.__all__ for n in imported[0].split(","))
    assert "onelegion." not in src


def test_example_through_the_cli(installed: list[str], notes: Path, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([*installed, os.environ.get("PYTHONPATH", "")]),
        "LEGION_HOME": str(tmp_path / "cli-home"),
        "COLUMNS": "100",
    }

    def legion(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "onelegion", "--lang", "en", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )

    r = legion("mine", "count", str(notes), "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert (out["skill"], out["status"], out["output"]) == ("mine.count", "succeeded", {"lines": 3})
    help_ = legion("mine", "count", "--help")
    assert help_.returncode == 0
    assert help_.stdout.splitlines()[0] == "Usage: legion mine count [OPTIONS] PATH"
    assert "Count the lines of a text file." in help_.stdout
    assert "legion mine count notes.txt" in help_.stdout
    missing = legion("mine", "count", str(tmp_path / "nope.txt"))
    assert missing.returncode == 2


def test_example_through_the_api_and_mcp(installed: list[str], tmp_path: Path) -> None:
    rt = Runtime.open(tmp_path / "home", registry=Registry.from_entry_points())
    notes = rt.workspace / "notes.txt"  # the API and MCP read files of the workspace
    notes.write_text("一\ntwo\n三\n", encoding="utf-8")
    try:
        assert "mine.count" in [s.name for s in rt.registry.all()]
        api = TestClient(create_app(rt), base_url="http://127.0.0.1")
        r = api.post(
            "/api/runs",
            json={"skill": "mine.count", "params": {"path": str(notes)}, "wait": True},
        )
        assert r.status_code == 200, r.text
        assert (r.json()["status"], r.json()["output"]) == ("succeeded", {"lines": 3})

        async def call() -> Any:
            async with Client(create_server(rt)) as client:
                tools = {t.name: t for t in (await client.list_tools()).tools}
                result = await client.call_tool(
                    "mine_count",
                    {"path": str(notes)},
                )
                return tools, result

        tools, result = anyio.run(call)
        assert tools["mine_count"].description == (
            "Count lines — Count the lines of a text file.\n\nPaths must be inside the "
            f"workspace ({rt.workspace}) or an allowed root."
        )
        assert not result.is_error
        assert result.structured_content["output"] == {"lines": 3}
    finally:
        rt.close()
