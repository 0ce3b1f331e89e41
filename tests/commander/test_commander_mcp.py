"""An MCP client asks for a plan, reads it, then runs that plan by its plan run's id."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import anyio
from mcp import Client

from onelegion.core.runtime import Runtime
from onelegion.surfaces.mcp import create_server
from tests.commander.support import scripted, two_step_plan

FIXTURE = Path(__file__).parent.parent / "fixtures" / "commander" / "beers.csv"


def test_mcp_client_plans_then_runs_the_plan(home: Path) -> None:
    rt = Runtime.open(home, llm_model=scripted([two_step_plan("beers.csv")]))
    shutil.copy(FIXTURE, rt.workspace / "beers.csv")
    server = create_server(rt)
    box: dict[str, Any] = {}

    async def main() -> None:
        async with Client(server, raise_exceptions=True) as client:
            names = {t.name for t in (await client.list_tools()).tools}
            box["tools"] = sorted(n for n in names if n.startswith(("commander", "playbook")))
            planned = await client.call_tool(
                "commander_plan",
                {"goal": "clean beers.csv then profile it", "base_dir": str(rt.workspace)},
            )
            box["plan"] = planned.structured_content
            ran = await client.call_tool(
                "commander_run", {"plan_run": planned.structured_content["run_id"]}
            )
            box["run"] = ran.structured_content

    try:
        anyio.run(main)
        assert box["tools"] == [
            "commander_plan",
            "commander_run",
            "playbook_list",
            "playbook_run",
            "playbook_save",
            "playbook_schedule",
            "playbook_show",
        ]
        plan = box["plan"]
        assert plan["status"] == "succeeded"
        assert [s["skill"] for s in plan["output"]["plan"]["steps"]] == [
            "clean.table",
            "clean.profile",
        ]
        assert plan["output"]["plan_run_id"] == plan["run_id"]
        run = box["run"]
        assert run["status"] == "succeeded" and run["output"]["ok"] is True
        children = rt.store.children(run["run_id"])
        assert [(c.skill, c.status) for c in children] == [
            ("clean.table", "succeeded"),
            ("clean.profile", "succeeded"),
        ]
        assert {a["name"] for a in run["artifacts"]} == {"report.md", "report.html"}
    finally:
        rt.close()
