"""Plan → run → report → playbook → schedule, through the runner, with a scripted model."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from onelegion.core.runtime import Runtime
from tests.commander.support import scripted, two_step_plan

FIXTURE = Path(__file__).parent.parent / "fixtures" / "commander" / "beers.csv"


@pytest.fixture
def table(tmp_path: Path) -> Path:
    work = tmp_path / "work"
    work.mkdir()
    target = work / "beers.csv"
    shutil.copy(FIXTURE, target)
    return target


def test_plan_then_run_records_children_and_report(home: Path, table: Path) -> None:
    prompts: list[str] = []
    model = scripted([two_step_plan(str(table)), "Cleaned 61 rows, then profiled them."], prompts)
    rt = Runtime.open(home, llm_model=model)
    try:
        planned = rt.runner.run(
            "commander.plan",
            {"goal": f"clean {table.name} and profile the result", "base_dir": str(table.parent)},
            allowed_roots=[table.parent],
        )
        assert planned.status == "succeeded", planned.error
        out = planned.output
        assert out is not None
        assert [s["skill"] for s in out["plan"]["steps"]] == ["clean.table", "clean.profile"]
        assert out["attempts"] == 1
        assert out["files_read"] == [str(table), "${steps.clean.artifacts.cleaned}"]
        assert prompts[0] == f"Goal: clean {table.name} and profile the result"
        ran = rt.runner.run(
            "commander.run", {"plan_run": planned.run_id}, allowed_roots=[table.parent]
        )
        assert ran.status == "succeeded", ran.error
        res = ran.output
        assert res is not None
        assert res["ok"] is True
        assert [(s["id"], s["status"]) for s in res["steps"]] == [
            ("clean", "succeeded"),
            ("profile", "succeeded"),
        ]
        children = rt.store.children(ran.run_id)
        assert [c.skill for c in children] == ["clean.table", "clean.profile"]
        assert all(c.parent_run_id == ran.run_id for c in children)
        assert children[1].params["path"] == res["steps"][0]["artifacts"][1]["path"]
        assert res["steps"][0]["figures"]["rows"] == 61
        assert {a.name for a in ran.artifacts} == {"report.md", "report.html"}
        md = Path(next(a.path for a in ran.artifacts if a.name == "report.md")).read_text()
        assert "clean.table" in md and "rows: 61" in md
        # the summary is asked with the steps' figures only, and lands in the report
        assert res["summary"] == "Cleaned 61 rows, then profiled them."
        assert prompts[1].startswith(
            f"Goal: clean {table.name} and profile the result\nResults (JSON):"
        )
        assert '"rows": 61' in prompts[1]
        assert "> Cleaned 61 rows, then profiled them." in md
    finally:
        rt.close()


def test_cancelling_the_plan_cancels_its_running_step_and_skips_the_rest(home: Path) -> None:
    import time

    plan = {
        "goal": "wait, then echo",
        "steps": [
            {"id": "wait", "skill": "util.wait", "params": {"seconds": 60, "steps": 600}},
            {"id": "echo", "skill": "util.echo", "params": {"message": "never"}},
        ],
    }
    rt = Runtime.open(home)
    try:
        handle = rt.runner.submit("commander.run", {"plan": plan})
        while not [c for c in rt.store.children(handle.run_id) if c.status == "running"]:
            time.sleep(0.05)
        handle.cancel()
        result = handle.wait(timeout=30)
        assert result.status == "cancelled"
        [child] = rt.store.children(handle.run_id)
        assert (child.skill, child.status) == ("util.wait", "cancelled")
    finally:
        rt.close()
