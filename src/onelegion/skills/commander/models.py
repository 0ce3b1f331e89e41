"""The commander's models: a typed plan over the registered skills, its estimate, its run and
report, playbooks and schedules.

A plan step names a skill and its parameters; a parameter's value may refer to an earlier step's
results with ``${steps.<id>.artifacts.<name>}`` (the path of an artifact it wrote),
``${steps.<id>.output.<field>}`` (a field of its output, dotted for nested ones) or
``${steps.<id>.run_id}``. A value that is exactly one reference takes the referred value as it is
(a path, a number, a list); references inside longer text are put into the text.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from onelegion.core.artifact import Artifact
from onelegion.core.skill import POSITIONAL

PLAN_FORMAT = 1  # the version of the plan / playbook file format
MAX_STEPS = 12

StepId = str


class PlanStep(BaseModel):
    """One step: a registered skill and its parameters."""

    model_config = ConfigDict(extra="forbid")

    id: StepId = Field(
        pattern=r"^[A-Za-z0-9_-]{1,40}$",
        description="A short name for the step, unique in the plan (letters, digits, - and _); "
        "later steps refer to it as ${steps.<id>...}.",
    )
    skill: str = Field(description="The registered skill's name, e.g. clean.table.")
    params: dict[str, Any] = Field(
        default_factory=dict,
        description="The skill's parameters (its input model); values may hold "
        "${steps.<id>.artifacts.<name>} or ${steps.<id>.output.<field>} references.",
    )
    on_error: Literal["stop", "continue"] = Field(
        default="stop",
        description="stop: a failure of this step ends the plan; continue: the next steps run.",
    )
    why: str = Field(default="", description="One line: why this step is in the plan.")


class Plan(BaseModel):
    """A goal and the steps that reach it. Also the body of a playbook file."""

    model_config = ConfigDict(extra="forbid")

    format: int = Field(default=PLAN_FORMAT, description="The plan file format version.")
    goal: str = Field(default="", description="What was asked, in the person's words.")
    steps: list[PlanStep] = Field(
        min_length=1, max_length=MAX_STEPS, description="The steps, run in order."
    )


class PlanDraft(BaseModel):
    """What the model answers: the steps of a plan, or a refusal when no skill can do it."""

    steps: list[PlanStep] = Field(
        default_factory=list,
        description="The steps, in order. Empty when the registered skills cannot reach the goal.",
    )
    refusal: str = Field(
        default="",
        description="When steps is empty: one line saying why the goal cannot be planned.",
    )


class StepEstimate(BaseModel):
    id: StepId
    skill: str
    llm_calls: int = Field(description="LLM calls the step may make (the skill's estimate).")
    cost_usd: float = Field(description="Their estimated cost at the configured model's price.")


class Estimate(BaseModel):
    """What a plan is expected to cost in LLM calls."""

    model: str | None = Field(default=None, description="The configured model, if any.")
    planning_usd: float = Field(default=0.0, description="What making the plan cost.")
    run_usd: float = Field(default=0.0, description="Estimated cost of running its steps.")
    llm_calls: int = Field(default=0, description="LLM calls the steps may make.")
    steps: list[StepEstimate] = Field(default_factory=list)


class PlanIn(BaseModel):
    """commander.plan: a goal in one sentence."""

    goal: str = Field(
        min_length=1,
        max_length=2000,
        description="What you want done, in one sentence (Chinese or English); name the files.",
        json_schema_extra=POSITIONAL,
    )
    budget: float | None = Field(
        default=None,
        ge=0,
        description="Refuse a plan whose estimated LLM cost (USD) is over this.",
    )
    base_dir: str = Field(
        default="",
        description="Folder relative file names in the goal are taken from (default: the "
        "current folder).",
    )


class PlanOut(BaseModel):
    """A validated plan, shown before anything runs."""

    plan: Plan
    estimate: Estimate
    files_read: list[str] = Field(default_factory=list, description="Files the steps read.")
    files_written: list[str] = Field(
        default_factory=list, description="Files the steps write (besides their run folders)."
    )
    attempts: int = Field(description="Model answers needed (1 = the first one was valid).")
    plan_run_id: str = Field(description="This run's id: commander.run plan_run=<it> runs it.")
    artifacts: list[Artifact] = Field(default_factory=list)

    def __rich__(self) -> Any:
        from onelegion.skills.commander.terminal import plan_view

        return plan_view(self)


class RunIn(BaseModel):
    """commander.run: run an approved plan."""

    plan: Plan | None = Field(
        default=None, description="The plan itself (as commander.plan returned it)."
    )
    plan_run: str = Field(
        default="",
        description="Or the id of a commander.plan run (or 'last') whose plan to run.",
    )
    budget: float | None = Field(
        default=None, ge=0, description="Refuse to run when the estimated LLM cost is over this."
    )
    summary: bool = Field(
        default=True,
        description="With a configured LLM: a short summary grounded only in the steps' outputs.",
    )
    push: bool = Field(
        default=False, description="Push the report through the [radar.push] channels."
    )


class StepResult(BaseModel):
    id: StepId
    skill: str
    status: Literal["succeeded", "failed", "skipped", "cancelled", "timed_out"] = Field(
        description="What happened to the step."
    )
    run_id: str | None = Field(default=None, description="The step's own recorded run.")
    error: str | None = None
    figures: dict[str, Any] = Field(
        default_factory=dict, description="The scalar fields of the step's output."
    )
    artifacts: list[dict[str, str]] = Field(
        default_factory=list, description="The step's artifacts: name and path."
    )
    duration_ms: float | None = None


class RunOut(BaseModel):
    """What a plan's run did."""

    goal: str
    ok: bool = Field(description="True when every step that had to succeed succeeded.")
    plan: Plan = Field(description="The plan that ran (playbook.save keeps it).")
    steps: list[StepResult]
    succeeded: int
    failed: int
    skipped: int
    summary: str | None = Field(default=None, description="The LLM's short summary, if asked.")
    pushed: int = Field(default=0, description="Messages pushed.")
    report: str = Field(default="", description="The HTML report's path.")
    artifacts: list[Artifact] = Field(default_factory=list)

    def __rich__(self) -> Any:
        from onelegion.skills.commander.terminal import run_view

        return run_view(self)


# --- playbooks ------------------------------------------------------------------------------
class PlaybookSaveIn(BaseModel):
    source: str = Field(
        description="'last' (the last plan run), a commander.run or commander.plan run id.",
        json_schema_extra=POSITIONAL,
    )
    name: str = Field(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$",
        description="The playbook's name (letters, digits, . - _).",
        json_schema_extra=POSITIONAL,
    )
    force: bool = Field(default=False, description="Replace a playbook of that name.")


class PlaybookSaveOut(BaseModel):
    name: str
    path: str
    steps: int
    source_run: str


class PlaybookRunIn(BaseModel):
    name: str = Field(
        description="The playbook's name (see playbook.list) or a path to a playbook file.",
        json_schema_extra=POSITIONAL,
    )
    push: bool = Field(
        default=False, description="Push the report through the [radar.push] channels."
    )


class PlaybookRef(BaseModel):
    name: str = Field(description="The playbook's name.", json_schema_extra=POSITIONAL)


class PlaybookInfo(BaseModel):
    name: str
    path: str
    goal: str
    steps: list[str] = Field(description="Each step as 'id: skill'.")
    schedule: str | None = Field(default=None, description="Its schedule, if any.")


class PlaybookListIn(BaseModel):
    pass


class PlaybookListOut(BaseModel):
    playbooks: list[PlaybookInfo]
    folder: str


class PlaybookShowOut(BaseModel):
    info: PlaybookInfo
    plan: Plan
    text: str = Field(description="The file as it is.")


class ScheduleIn(BaseModel):
    name: str = Field(description="The playbook to schedule.", json_schema_extra=POSITIONAL)
    every: str = Field(
        default="day", description="day, hour, or an interval like 30m, 2h (at least 5m)."
    )
    at: str | None = Field(
        default=None, description="HH:MM (local time of the `timezone` setting), with --every day."
    )
    push: bool = Field(default=True, description="Push each run's report through the channels.")
    remove: bool = Field(default=False, description="Remove the playbook's schedule.")


class Schedule(BaseModel):
    """One playbook's schedule (kept in $LEGION_HOME/schedules.yaml)."""

    playbook: str
    every: str
    at: str | None = None
    push: bool = True
    created: float = Field(default=0.0, description="Epoch seconds it was made (first run after).")
    last_run: float | None = Field(default=None, description="Epoch seconds of the last run.")
    last_status: str | None = None


class ScheduleOut(BaseModel):
    schedule: Schedule | None
    next_run: str | None = Field(default=None, description="When it runs next (local time).")
    removed: bool = False


class DueIn(BaseModel):
    dry_run: bool = Field(default=False, description="Only list what is due; run nothing.")
    now: str | None = Field(
        default=None,
        description="Decide what is due at this ISO time (2026-12-01T08:00, local time unless "
        "it has an offset) instead of now: catching up, tests.",
    )


class DueRun(BaseModel):
    playbook: str
    run_id: str | None = None
    ok: bool = False
    error: str | None = None
    pushed: int = 0


class DueOut(BaseModel):
    due: list[str] = Field(description="Playbooks that were due.")
    runs: list[DueRun] = Field(default_factory=list)
