"""Bad input: one line, nothing run — impossible goal, missing file, over budget, nonsense model
answers, no model, an old or broken playbook, an unknown schedule interval."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from onelegion.core.runtime import Runtime
from tests.commander.support import scripted, two_step_plan

FIXTURE = Path(__file__).parent.parent / "fixtures" / "commander" / "beers.csv"


@pytest.fixture
def work(tmp_path: Path) -> Path:
    d = tmp_path / "work"
    d.mkdir()
    shutil.copy(FIXTURE, d / "beers.csv")
    return d


def _plan(
    home: Path, work: Path, answers: list[Any], goal: str, **extra: Any
) -> tuple[Any, Runtime]:
    rt = Runtime.open(home, llm_model=scripted(answers))
    r = rt.runner.run("commander.plan", {"goal": goal, "base_dir": str(work), **extra})
    return r, rt


def _only_plan_runs(rt: Runtime) -> list[str]:
    return [r.skill for r in rt.store.list_runs()]


def test_no_model_is_one_actionable_line(home: Path, work: Path) -> None:
    rt = Runtime.open(home)
    r = rt.runner.run("commander.plan", {"goal": "clean beers.csv", "base_dir": str(work)})
    rt.close()
    assert r.status == "failed" and r.error_kind == "user"
    assert r.error is not None and "\n" not in r.error
    assert "legion config set llm.model" in r.error and "legion playbook run" in r.error


def test_goal_naming_a_missing_file_is_refused_without_repairs(home: Path, work: Path) -> None:
    plan = {"steps": [{"id": "c", "skill": "clean.table", "params": {"path": "sales.xlsx"}}]}
    r, rt = _plan(home, work, [plan], "clean sales.xlsx and report the top brands")
    assert r.status == "failed" and r.error_kind == "user"
    assert r.error == (
        f"the goal names sales.xlsx, which does not exist (looked in {work})"
        " — check the name, or run from the folder that holds it"
    )
    assert len(rt.store.llm_calls(r.run_id)) == 1  # one answer; no repair can make the file
    assert _only_plan_runs(rt) == ["commander.plan"]
    rt.close()


def test_impossible_goal_is_refused_with_the_models_reason(home: Path, work: Path) -> None:
    answer = {"steps": [], "refusal": "no skill books flights"}
    r, rt = _plan(home, work, [answer], "book me a flight to Chengdu")
    rt.close()
    assert r.status == "failed" and r.error_kind == "user"
    assert r.error is not None and r.error.startswith(
        "cannot plan this goal: no skill books flights"
    )


def test_nonsense_answers_are_repaired_then_refused(home: Path, work: Path) -> None:
    bad_skill = {"steps": [{"id": "a", "skill": "excel.magic", "params": {}}]}
    bad_param = {
        "steps": [
            {"id": "a", "skill": "clean.table", "params": {"path": "beers.csv", "colour": "red"}}
        ]
    }
    prompts: list[str] = []
    rt = Runtime.open(
        home, llm_model=scripted(["I cannot do JSON today.", bad_skill, bad_param], prompts)
    )
    r = rt.runner.run("commander.plan", {"goal": "clean beers.csv", "base_dir": str(work)})
    assert r.status == "failed" and r.error_kind == "user" and r.error is not None
    assert r.error.startswith(
        "no valid plan after 3 answers of the model: step 1 (clean.table): unknown parameter 'colour' for clean.table"
    )
    # every repair told the model what was wrong
    assert "not one JSON object of the plan schema" in prompts[1]
    assert "no skill named 'excel.magic'" in prompts[2]
    assert _only_plan_runs(rt) == ["commander.plan"]
    rt.close()


def test_a_repaired_plan_is_accepted(home: Path, work: Path) -> None:
    wrong_ref = {
        "steps": [
            {
                "id": "p",
                "skill": "clean.profile",
                "params": {"path": "${steps.clean.artifacts.cleaned}"},
            },
            {"id": "clean", "skill": "clean.table", "params": {"path": "beers.csv"}},
        ]
    }
    missing = {"steps": [{"id": "clean", "skill": "clean.table", "params": {"path": "nope.csv"}}]}
    prompts: list[str] = []
    rt = Runtime.open(
        home, llm_model=scripted([wrong_ref, missing, two_step_plan("beers.csv")], prompts)
    )
    r = rt.runner.run(
        "commander.plan", {"goal": "clean the beers table then profile it", "base_dir": str(work)}
    )
    rt.close()
    assert r.status == "succeeded", r.error
    assert r.output is not None and r.output["attempts"] == 3
    assert "refers to step 'clean', which is not an earlier step" in prompts[1]
    assert f"file not found: nope.csv (looked in {work})" in prompts[2]
    assert r.output["plan"]["steps"][0]["params"]["path"] == str(work / "beers.csv")


def test_over_budget_is_refused_before_running(home: Path, work: Path) -> None:
    from onelegion.core.config import set_value

    set_value(home, "llm.model", '"deepseek:deepseek-chat"')  # priced; the scripted model answers
    plan = {
        "steps": [
            {"id": "t", "skill": "subs.translate", "params": {"path": "beers.csv", "to": "en"}}
        ]
    }
    r, rt = _plan(home, work, [plan], "translate beers.csv", budget=0.0001)
    assert r.status == "failed" and r.error_kind == "user" and r.error is not None
    assert (
        r.error.startswith("the plan's estimated LLM cost $0.0")
        and "over the budget $0.00" in r.error
    )
    # the run of an approved plan checks the budget again: nothing runs
    ran = rt.runner.run(
        "commander.run",
        {
            "plan": {
                "goal": "x",
                "steps": [
                    {
                        "id": "t",
                        "skill": "subs.translate",
                        "params": {"path": str(work / "beers.csv"), "to": "en"},
                    }
                ],
            },
            "budget": 0.0001,
        },
        allowed_roots=[work],
    )
    assert ran.status == "failed" and ran.error is not None and "over the budget" in ran.error
    assert rt.store.children(ran.run_id) == []
    rt.close()


def test_old_newer_and_broken_playbooks_are_one_line(home: Path) -> None:
    folder = home / "playbooks"
    folder.mkdir(parents=True)
    (folder / "old.yaml").write_text(
        "format: 0\ngoal: x\nsteps:\n- id: a\n  skill: clean.table\n", encoding="utf-8"
    )
    (folder / "new.yaml").write_text("format: 9\ngoal: x\nsteps: []\n", encoding="utf-8")
    (folder / "bare.yaml").write_text("goal: x\nsteps: []\n", encoding="utf-8")
    (folder / "broken.yaml").write_text("steps: [\n", encoding="utf-8")
    rt = Runtime.open(home)
    errors = {}
    for name in ("old", "new", "bare", "broken", "absent"):
        r = rt.runner.run("playbook.run", {"name": name})
        assert r.status == "failed" and r.error_kind == "user"
        errors[name] = r.error
    assert [c for r in rt.store.list_runs() for c in rt.store.children(r.id)] == []
    rt.close()
    assert errors["old"] is not None and errors["old"].startswith(
        "old.yaml is a playbook of format 0, older than this version reads (1), and has no migration"
    )
    assert errors["new"] is not None and errors["new"].startswith(
        "new.yaml is a playbook of format 9, newer than this version reads (1)"
    )
    assert errors["bare"] is not None and errors["bare"].startswith(
        "bare.yaml has no format number"
    )
    assert errors["broken"] is not None and errors["broken"].startswith(
        "broken.yaml is not valid YAML"
    )
    assert errors["absent"] is not None and errors["absent"].startswith(
        "no playbook named 'absent'"
    )


def test_playbook_naming_a_file_that_went_missing_runs_nothing(home: Path, work: Path) -> None:
    folder = home / "playbooks"
    folder.mkdir(parents=True)
    (folder / "gone.yaml").write_text(
        f"format: 1\ngoal: x\nsteps:\n- id: a\n  skill: clean.table\n  params:\n    path: {work / 'gone.csv'}\n",
        encoding="utf-8",
    )
    rt = Runtime.open(home)
    r = rt.runner.run("playbook.run", {"name": "gone"})
    assert r.status == "failed" and r.error is not None
    assert r.error.startswith(f"step 1 (clean.table): path: file not found: {work / 'gone.csv'}")
    assert rt.store.children(r.run_id) == []
    rt.close()


@pytest.mark.parametrize(
    ("every", "at", "message"),
    [
        ("weekly", None, "--every 'weekly' is not day, hour or an interval like 30m, 2h"),
        ("1m", None, "--every 1m: at least 5m"),
        ("day", "25:00", "--at '25:00' is not HH:MM"),
        ("2h", "08:00", "--at goes with --every day"),
    ],
)
def test_bad_schedules(home: Path, every: str, at: str | None, message: str) -> None:
    folder = home / "playbooks"
    folder.mkdir(parents=True)
    (folder / "p.yaml").write_text(
        "format: 1\ngoal: x\nsteps:\n- id: a\n  skill: util.echo\n  params: {message: hi}\n",
        encoding="utf-8",
    )
    rt = Runtime.open(home)
    params: dict[str, Any] = {"name": "p", "every": every}
    if at:
        params["at"] = at
    r = rt.runner.run("playbook.schedule", params)
    rt.close()
    assert r.status == "failed" and r.error == message
    assert not (home / "schedules.yaml").exists()


def test_playbook_save_without_any_plan_run(home: Path) -> None:
    rt = Runtime.open(home)
    r = rt.runner.run("playbook.save", {"source": "last", "name": "x"})
    echo = rt.runner.run("util.echo", {"message": "m"})
    r2 = rt.runner.run("playbook.save", {"source": echo.run_id, "name": "x"})
    rt.close()
    assert r.error == 'no plan has run yet — ask for one first: legion ask "..."'
    assert r2.error is not None and r2.error.startswith(
        f"run {echo.run_id} (util.echo, succeeded) holds no plan"
    )
    assert not (home / "playbooks").exists()
