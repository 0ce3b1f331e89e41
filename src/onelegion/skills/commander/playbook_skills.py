"""Playbooks: saved plans (YAML under $LEGION_HOME/playbooks) that run again with no LLM."""

from __future__ import annotations

from pydantic import BaseModel

from onelegion.core.context import Context
from onelegion.core.skill import Skill, skill
from onelegion.skills.commander.models import (
    PlaybookListIn,
    PlaybookListOut,
    PlaybookRef,
    PlaybookRunIn,
    PlaybookSaveIn,
    PlaybookSaveOut,
    PlaybookShowOut,
    RunOut,
    ScheduleIn,
    ScheduleOut,
)


@skill(
    "playbook.save",
    title="Save a playbook",
    summary="Save the plan of a run ('last' or a run id) as a playbook.",
    cacheable=False,
    examples=("legion playbook save last morning-brief",),
)
def save(ctx: Context, params: PlaybookSaveIn) -> PlaybookSaveOut:
    """'last' is the newest commander.run, playbook.run or commander.plan run that succeeded."""
    from onelegion.skills.commander.service import playbook_save

    return playbook_save(ctx, params)


@skill(
    "playbook.run",
    title="Run a playbook",
    summary="Run a saved playbook: its steps as recorded child runs, then the report (no LLM).",
    cacheable=False,
    examples=("legion playbook run morning-brief", "legion playbook run morning-brief --push"),
)
def run(ctx: Context, params: PlaybookRunIn) -> RunOut:
    """The playbook is the person's own file: the paths it names are allowed for its steps."""
    from onelegion.skills.commander.service import playbook_run

    return playbook_run(ctx, params)


@skill(
    "playbook.list",
    title="List playbooks",
    summary="The saved playbooks with their goals, steps and schedules.",
    cacheable=False,
    examples=("legion playbook list",),
)
def list_playbooks(ctx: Context, params: PlaybookListIn) -> PlaybookListOut:
    from onelegion.skills.commander.service import playbook_list

    return playbook_list(ctx)


@skill(
    "playbook.show",
    title="Show a playbook",
    summary="One playbook: its file as it is, its steps and its schedule.",
    cacheable=False,
    examples=("legion playbook show morning-brief",),
)
def show(ctx: Context, params: PlaybookRef) -> PlaybookShowOut:
    from onelegion.skills.commander.service import playbook_show

    return playbook_show(ctx, params)


@skill(
    "playbook.schedule",
    title="Schedule a playbook",
    summary="Run a playbook every day (at HH:MM), every hour or every N minutes/hours; "
    "`legion serve` or `legion schedule run` (cron) runs what is due and pushes the report.",
    cacheable=False,
    examples=(
        "legion playbook schedule morning-brief --every day --at 08:00",
        "legion playbook schedule morning-brief --remove",
    ),
)
def schedule_playbook(ctx: Context, params: ScheduleIn) -> ScheduleOut:
    from onelegion.skills.commander.service import playbook_schedule

    return playbook_schedule(ctx, params)


SKILLS: list[Skill[BaseModel, BaseModel]] = [save, run, list_playbooks, show, schedule_playbook]
