"""The real `legion` command in a subprocess, as a person runs it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from onelegion.core.store import Store

# a person's own language settings must not leak into these English tests
LOCALE_VARS = ("LC_ALL", "LC_MESSAGES", "LANGUAGE", "LEGION_LANGUAGE")


def legion(home: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in LOCALE_VARS}
    env.update({"LEGION_HOME": str(home), "COLUMNS": "120", "LANG": "C.UTF-8"})
    return subprocess.run(
        [sys.executable, "-m", "onelegion", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
    )


def test_help_version_and_generated_commands(home: Path) -> None:
    r = legion(home, "--help")
    assert r.returncode == 0
    for word in ("demo", "doctor", "runs", "skills", "serve", "mcp", "clean", "radar", "util"):
        assert word in r.stdout
    assert legion(home, "--version").stdout.strip().startswith("onelegion ")
    r = legion(home, "util", "wait", "--help")
    assert r.returncode == 0 and "--seconds" in r.stdout and "--timeout" in r.stdout
    assert not (home / "legion.db").exists()  # help never creates a store


def test_run_json_and_runs_commands(home: Path) -> None:
    r = legion(home, "util", "echo", "--message", "你好", "--json")
    assert r.returncode == 0, r.stderr
    result = json.loads(r.stdout)
    assert result["status"] == "succeeded" and result["output"] == {"message": "你好"}
    again = json.loads(legion(home, "run", "util.echo", "--param", "message=你好", "--json").stdout)
    assert again["cached_from"] == result["run_id"]
    listed = json.loads(legion(home, "runs", "list", "--json").stdout)
    assert [x["id"] for x in listed] == [again["run_id"], result["run_id"]]
    shown = json.loads(legion(home, "runs", "show", "last", "--json").stdout)
    assert shown["id"] == again["run_id"] and [e["kind"] for e in shown["events"]] == [
        "started",
        "finished",
    ]
    rerun = json.loads(
        legion(home, "runs", "rerun", result["run_id"], "--refresh", "--json").stdout
    )
    assert rerun["status"] == "succeeded" and rerun["cached_from"] is None
    r = legion(home, "runs", "show", "no-such-run")
    assert r.returncode == 2 and "no run matches" in r.stderr


def test_usage_errors_exit_2_with_one_line(home: Path) -> None:
    r = legion(home, "util", "wait", "--seconds", "-1")
    assert r.returncode == 2
    assert r.stderr.strip().splitlines() == [
        "error: invalid parameters: seconds: Input should be greater than or equal to 0 — "
        "see `legion skills show util.wait`"
    ]
    r = legion(home, "run", "nope.skill")
    assert r.returncode == 2 and "no skill named 'nope.skill'" in r.stderr
    assert "Traceback" not in r.stderr


def test_skills_and_config(home: Path) -> None:
    names = [s["name"] for s in json.loads(legion(home, "skills", "--json").stdout)]
    assert "util.echo" in names
    schema = json.loads(legion(home, "skills", "show", "util.wait").stdout)
    assert schema["input_schema"]["properties"]["seconds"]["minimum"] == 0
    assert legion(home, "config", "set", "llm.model", "deepseek:deepseek-chat").returncode == 0
    assert '"model": "deepseek:deepseek-chat"' in legion(home, "config", "show").stdout
    r = legion(home, "config", "set", "llm.api_key", "sk-x")
    assert r.returncode == 2 and "never written" in r.stderr


def test_doctor_reports_a_table(home: Path) -> None:
    r = legion(home, "doctor", "--offline", "--json")
    checks = {c["name"]: c for c in json.loads(r.stdout)}
    assert checks["Python"]["status"] == "ok" and checks["Store"]["status"] == "ok"
    assert checks["LLM"]["status"] == "skip" and "llm.model" in checks["LLM"]["fix"]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_cancels_the_run(home: Path) -> None:
    env = {**os.environ, "LEGION_HOME": str(home)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "onelegion", "util", "wait", "--seconds", "60"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.time() + 30
    while time.time() < deadline:
        if (home / "legion.db").exists():
            runs = Store(home / "legion.db").list_runs()
            if runs and runs[0].status == "running":
                break
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert Store(home / "legion.db").list_runs()[0].status == "cancelled"
