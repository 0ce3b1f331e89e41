"""The plan approval step (entry point ``onelegion.reviews``: commander): the cockpit shows a
``commander.plan`` run's plan, one item per step with its parameters editable as YAML; applying
runs ``commander.run`` with the approved steps as edited. The plan is checked first, so a step
that needs a rejected one, or an edit that breaks a parameter, is refused in one line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from onelegion.core.errors import UserError
from onelegion.core.lang import tr
from onelegion.core.registry import Registry
from onelegion.core.review import ApplyPlan, Decision, Review, ReviewItem, ReviewSheet
from onelegion.core.store import ArtifactRecord, RunRecord
from onelegion.skills.commander.models import Plan
from onelegion.skills.commander.plan import check_plan


def _plan(run: RunRecord) -> Plan | None:
    if run.status != "succeeded" or not run.output or "plan" not in run.output:
        return None
    try:
        return Plan.model_validate(run.output["plan"])
    except ValidationError:
        return None


def load_sheet(run: RunRecord, artifacts: list[ArtifactRecord]) -> ReviewSheet | None:
    plan = _plan(run)
    if plan is None:
        return None
    est = {s["id"]: s for s in (run.output or {}).get("estimate", {}).get("steps", [])}
    items: list[ReviewItem] = []
    for n, step in enumerate(plan.steps, 1):
        calls = int(est.get(step.id, {}).get("llm_calls", 0))
        detail = " · ".join(
            x
            for x in (
                step.why,
                f"on_error: {step.on_error}",
                tr(f"~{calls} LLM call(s)", f"约 {calls} 次大模型调用") if calls else "",
            )
            if x
        )
        text = (
            yaml.safe_dump(step.params, allow_unicode=True, sort_keys=False)
            if step.params
            else "{}\n"
        )
        items.append(
            ReviewItem(id=step.id, title=f"{n}. {step.id} — {step.skill}", detail=detail, text=text)
        )
    return ReviewSheet(
        title=tr("Approve the plan", "批准计划"),
        summary=tr("Goal: ", "目标：") + plan.goal,
        items=items,
    )


def _params(step_id: str, text: str | None, original: dict[str, Any]) -> dict[str, Any]:
    if text is None:
        return original
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError:
        raise UserError(
            tr(
                f"step {step_id}: the parameters are not valid YAML",
                f"步骤 {step_id}：参数不是有效的 YAML",
            )
        ) from None
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise UserError(
            tr(
                f"step {step_id}: the parameters must be name: value lines",
                f"步骤 {step_id}：参数须为“名称: 值”",
            )
        )
    return value


def apply_sheet(
    run: RunRecord, artifacts: list[ArtifactRecord], decisions: dict[str, Decision], folder: Path
) -> ApplyPlan:
    plan = _plan(run)
    if plan is None:
        raise UserError(tr("this run holds no plan", "这次运行中没有计划"))
    steps = []
    for step in plan.steps:
        d = decisions.get(step.id)
        if d is None or not d.approved:
            continue
        steps.append(step.model_copy(update={"params": _params(step.id, d.text, step.params)}))
    if not steps:
        raise UserError(tr("no step was approved: nothing runs", "没有批准任何步骤：不运行"))
    approved = plan.model_copy(update={"steps": steps})
    checked = check_plan(approved, Registry.from_entry_points(), Path.cwd())
    return ApplyPlan(skill="commander.run", params={"plan": checked.model_dump(mode="json")})


REVIEWS = [
    Review(skill="commander.plan", title="Approve the plan", load=load_sheet, apply=apply_sheet)
]
