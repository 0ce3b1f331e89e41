"""Commander: one sentence in, a plan over the skills, approved, run and reported (一人指挥).

``commander.plan`` turns a goal into a typed plan of registered skills (through the LLM, checked
and repaired); ``commander.run`` runs an approved plan, each step a recorded child run, and writes
the report. Playbooks (``legion playbook ...``) keep a plan as YAML and run it with no LLM.
"""

from __future__ import annotations

from pydantic import BaseModel

from onelegion.core.context import Context
from onelegion.core.skill import Skill, skill
from onelegion.skills.commander.models import PlanIn, PlanOut, RunIn, RunOut


@skill(
    "commander.plan",
    title="Plan a goal",
    summary="Turn a goal in one sentence into a plan over the registered skills (needs an LLM): "
    "steps, every parameter, files read and written, estimated LLM cost. Nothing runs.",
    cacheable=False,
    examples=('legion commander plan "clean sales.xlsx, then write a one-page report"',),
    llm_calls=1,
)
def plan_goal(ctx: Context, params: PlanIn) -> PlanOut:
    """The model answers with steps naming only registered skills; a plan with an unknown skill,
    invalid parameters, a reference to a later step or a missing input file goes back to the
    model with the problems (at most 3 answers), then the goal is refused in one line. Writes
    plan.yaml (the playbook format). `legion ask` plans, shows, asks and runs in one go."""
    from onelegion.skills.commander.service import plan_goal as run

    return run(ctx, params)


@skill(
    "commander.run",
    title="Run a plan",
    summary="Run an approved plan (given, or by its commander.plan run id): each step a recorded "
    "child run; report.md and report.html with each step's figures and artifacts.",
    cacheable=False,
    examples=("legion commander run --param plan_run=last",),
)
def run_plan(ctx: Context, params: RunIn) -> RunOut:
    """A failing step stops the plan unless it says on_error: continue. With a configured LLM
    and summary on, the report gets a short summary grounded only in the steps' outputs."""
    from onelegion.skills.commander.service import run_approved

    return run_approved(ctx, params)


SKILLS: list[Skill[BaseModel, BaseModel]] = [plan_goal, run_plan]
