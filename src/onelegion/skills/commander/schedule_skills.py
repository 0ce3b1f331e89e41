"""Schedules: run the playbooks that are due (once, for cron; `legion serve` does it by itself)."""

from __future__ import annotations

from pydantic import BaseModel

from onelegion.core.context import Context
from onelegion.core.skill import Skill, skill
from onelegion.skills.commander.models import DueIn, DueOut


@skill(
    "schedule.run",
    title="Run due playbooks",
    summary="Run every scheduled playbook that is due now (each a child run; reports pushed "
    "when the schedule says so). For cron: `* * * * * legion schedule run`.",
    cacheable=False,
    examples=("legion schedule run", "legion schedule run --dry-run"),
)
def run_due(ctx: Context, params: DueIn) -> DueOut:
    from onelegion.skills.commander.service import run_due as run

    return run(ctx, params)


SKILLS: list[Skill[BaseModel, BaseModel]] = [run_due]
