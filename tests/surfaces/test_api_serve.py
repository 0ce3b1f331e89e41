"""`legion serve` as a real process: loopback without a token, token off loopback, refusal."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.util import find_spec
from pathlib import Path

import httpx2
import pytest

pytestmark = pytest.mark.skipif(
    find_spec("onelegion.__main__") is None, reason="onelegion/__main__.py (the CLI) is missing"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def env_for(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEGION_")}
    env["LEGION_HOME"] = str(home)
    env.update(extra)
    return env


@contextmanager
def serving(args: list[str], env: dict[str, str], port: int) -> Iterator[str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "onelegion", "serve", "--port", str(port), *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                assert time.monotonic() < deadline, "legion serve did not start"
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


def test_serve_on_loopback(tmp_path: Path) -> None:
    port = free_port()
    with serving([], env_for(tmp_path / "home"), port) as base:
        skills = httpx2.get(f"{base}/api/skills").json()["skills"]
        assert {"util.echo", "util.wait"} <= {s["name"] for s in skills}
        run = httpx2.post(
            f"{base}/api/runs",
            json={"skill": "util.echo", "params": {"message": "served"}, "wait": True},
        ).json()
        assert (run["status"], run["output"], run["surface"]) == (
            "succeeded",
            {"message": "served"},
            "api",
        )
        # DNS rebinding: a foreign Host name is refused on a token-less loopback server
        r = httpx2.get(f"{base}/api/skills", headers={"Host": "attacker.example"})
        assert r.status_code == 403


def test_serve_with_token(tmp_path: Path) -> None:
    port = free_port()
    with serving([], env_for(tmp_path / "home", LEGION_TOKEN="tok-xyz"), port) as base:
        assert httpx2.get(f"{base}/api/skills").status_code == 401
        ok = httpx2.get(f"{base}/api/skills", headers={"Authorization": "Bearer tok-xyz"})
        assert ok.status_code == 200


def test_serve_refuses_public_address_without_token(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "onelegion", "serve", "--host", "0.0.0.0", "--port", "1"],
        env=env_for(tmp_path / "home"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1
    assert "refusing to serve on 0.0.0.0 without a token" in lines[0]
    assert "LEGION_TOKEN" in lines[0]
