"""`legion ask` → `legion playbook save/run/schedule` → `legion schedule run`: the real command in
a subprocess, planning over real HTTP against the loopback OpenAI-compatible fake."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from onelegion.core.store import Store
from tests.commander.support import two_step_plan
from tests.support.fake_openai import FakeOpenAI

FIXTURE = Path(__file__).parent.parent / "fixtures" / "commander" / "beers.csv"
LOCALE_VARS = ("LC_ALL", "LC_MESSAGES", "LANGUAGE", "LEGION_LANGUAGE")


def legion(home: Path, cwd: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in LOCALE_VARS and k != "EDITOR"}
    env.update({"LEGION_HOME": str(home), "COLUMNS": "160", "LANG": "C.UTF-8"})
    return subprocess.run(
        [sys.executable, "-m", "onelegion", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        input=stdin,
        timeout=120,
    )


def test_ask_approve_save_replay_without_model_and_schedule(home: Path, tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    shutil.copy(FIXTURE, work / "beers.csv")
    with FakeOpenAI(replies=[two_step_plan("beers.csv"), two_step_plan("beers.csv")]) as fake:
        r = legion(
            home, work, "config", "set", "llm.model", f"openai-compatible:fake@{fake.base_url}"
        )
        assert r.returncode == 0, r.stderr
        # refused at the prompt: the plan is shown, nothing runs
        r = legion(
            home, work, "ask", "clean beers.csv, then profile the cleaned table", stdin="n\n"
        )
        assert r.returncode == 0, r.stderr
        assert "clean.table" in r.stdout and "clean.profile" in r.stdout
        assert "path = " in r.stdout and "${steps.clean.artifacts.cleaned}" in r.stdout
        assert "Cancelled: nothing ran." in r.stderr
        st = Store(home / "legion.db")
        assert [x.skill for x in st.list_runs()] == ["commander.plan"]
        # approved with --yes
        r = legion(home, work, "ask", "clean beers.csv, then profile the cleaned table", "--yes")
        assert r.returncode == 0, r.stderr + r.stdout
        assert len(fake.chat_requests) == 2
        assert "clean.table" in fake.chat_requests[0].text_of("system")
    run = st.list_runs(skill="commander.run")[0]
    assert run.status == "succeeded" and run.output is not None and run.output["ok"] is True
    assert [c.skill for c in st.children(run.id)] == ["clean.table", "clean.profile"]
    assert (work / "beers.clean.csv").is_file()
    # saved, then replayed with no model at all
    r = legion(home, work, "playbook", "save", "last", "beer-check")
    assert r.returncode == 0, r.stderr
    text = (home / "playbooks" / "beer-check.yaml").read_text(encoding="utf-8")
    assert text.startswith("# OneLegion playbook") and "format: 1" in text
    (home / "legion.toml").write_text("", encoding="utf-8")
    r = legion(home, tmp_path, "playbook", "run", "beer-check", "--json")
    assert r.returncode == 0, r.stderr
    replay = json.loads(r.stdout)
    assert [(s["skill"], s["status"]) for s in replay["output"]["steps"]] == [
        ("clean.table", "succeeded"),
        ("clean.profile", "succeeded"),
    ]
    assert [c.skill for c in st.children(replay["run_id"])] == ["clean.table", "clean.profile"]
    # scheduled, then due once
    r = legion(
        home,
        tmp_path,
        "playbook",
        "schedule",
        "beer-check",
        "--every",
        "day",
        "--at",
        "08:00",
        "--no-push",
    )
    assert r.returncode == 0, r.stderr
    r = legion(home, tmp_path, "playbook", "list", "--json")
    listed = json.loads(r.stdout)["output"]["playbooks"]
    assert [(p["name"], p["schedule"]) for p in listed] == [("beer-check", "every day at 08:00")]
    r = legion(home, tmp_path, "schedule", "run", "--json", "--now", "2000-01-01T09:00:00")
    assert json.loads(r.stdout)["output"] == {"due": [], "runs": []}  # before it was made
    r = legion(home, tmp_path, "schedule", "run", "--json", "--now", "2999-01-01T09:00:00")
    assert r.returncode == 0, r.stderr
    due = json.loads(r.stdout)
    assert due["output"]["due"] == ["beer-check"]
    [child] = st.children(due["run_id"])
    assert child.skill == "playbook.run" and child.status == "succeeded"
    assert [c.skill for c in st.children(child.id)] == ["clean.table", "clean.profile"]
    r = legion(home, tmp_path, "schedule", "run", "--json", "--now", "2999-01-01T09:30:00")
    assert json.loads(r.stdout)["output"]["due"] == []  # ran at 09:00: next is tomorrow 08:00
    st.close()


def test_runs_show_lists_a_plans_children(home: Path, tmp_path: Path) -> None:
    from onelegion.core.runtime import Runtime

    folder = home / "playbooks"
    folder.mkdir(parents=True)
    (folder / "echo.yaml").write_text(
        "format: 1\ngoal: two echoes\nsteps:\n- id: a\n  skill: util.echo\n  params: {message: x}\n"
        "- id: b\n  skill: util.echo\n  params: {message: y}\n",
        encoding="utf-8",
    )
    rt = Runtime.open(home)
    r = rt.runner.run("playbook.run", {"name": "echo"})
    kids = [c.id for c in rt.store.children(r.run_id)]
    rt.close()
    shown = legion(home, tmp_path, "runs", "show", r.run_id)
    assert shown.returncode == 0, shown.stderr
    assert [
        line.split()[2] for line in shown.stdout.splitlines() if line.startswith("child run")
    ] == kids
    as_json = json.loads(legion(home, tmp_path, "runs", "show", kids[0], "--json").stdout)
    assert as_json["parent_run_id"] == r.run_id and as_json["children"] == []


EDITOR_SCRIPT = """import sys, pathlib
p = pathlib.Path(sys.argv[1])
text = p.read_text(encoding="utf-8")
cut = text.index("- id: profile")
p.write_text(text[:cut], encoding="utf-8")
"""


def test_ask_edit_in_editor_runs_the_edited_plan(home: Path, tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    shutil.copy(FIXTURE, work / "beers.csv")
    script = tmp_path / "editor.py"
    script.write_text(EDITOR_SCRIPT, encoding="utf-8")
    with FakeOpenAI(replies=[two_step_plan("beers.csv")]) as fake:
        assert (
            legion(
                home, work, "config", "set", "llm.model", f"openai-compatible:fake@{fake.base_url}"
            ).returncode
            == 0
        )
        env_editor = f"{sys.executable} {script}"
        env = {k: v for k, v in os.environ.items() if k not in LOCALE_VARS}
        env.update(
            {"LEGION_HOME": str(home), "COLUMNS": "160", "LANG": "C.UTF-8", "EDITOR": env_editor}
        )
        r = subprocess.run(
            [sys.executable, "-m", "onelegion", "ask", "clean beers.csv then profile it"],
            capture_output=True,
            text=True,
            env=env,
            cwd=work,
            input="e\n",
            timeout=120,
        )
    assert r.returncode == 0, r.stderr + r.stdout
    st = Store(home / "legion.db")
    run = st.list_runs(skill="commander.run")[0]
    assert [c.skill for c in st.children(run.id)] == ["clean.table"]
    assert run.params["plan"]["steps"][0]["id"] == "clean" and len(run.params["plan"]["steps"]) == 1
    st.close()


def test_ask_without_a_model_says_how_in_one_line(home: Path, tmp_path: Path) -> None:
    r = legion(home, tmp_path, "ask", "clean beers.csv")
    assert r.returncode == 2
    lines = [ln for ln in r.stderr.splitlines() if ln.startswith("error")]
    assert lines == [
        "error: planning a goal needs an LLM: set one with `legion config set llm.model "
        "deepseek:deepseek-chat` (and export its API key); saved playbooks run without one "
        "(`legion playbook run NAME`)"
    ]
