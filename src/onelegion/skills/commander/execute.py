"""Running a plan: each step an ordinary recorded run whose parent is the plan's run, references
resolved from the steps before it; a failed step ends the plan unless it says ``on_error:
continue`` (steps that need its results are skipped then)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from onelegion.core.context import Context
from onelegion.core.errors import UserError
from onelegion.core.lang import tr
from onelegion.skills.commander.models import Plan, StepResult
from onelegion.skills.commander.plan import Done, resolve

FIGURE_TEXT_LIMIT = 200


def figures(output: dict[str, Any] | None) -> dict[str, Any]:
    """The scalar fields of a step's output (numbers, short texts, flags): its key figures."""
    out: dict[str, Any] = {}
    for key, value in (output or {}).items():
        if isinstance(value, bool | int | float) or value is None:
            if value is not None:
                out[key] = value
        elif isinstance(value, str) and value and "\n" not in value.strip():
            out[key] = value if len(value) <= FIGURE_TEXT_LIMIT else value[:FIGURE_TEXT_LIMIT] + "…"
    return out


def run_steps(ctx: Context, plan: Plan, extra_roots: list[Path]) -> list[StepResult]:
    results: list[StepResult] = []
    done: dict[str, Done] = {}
    stopped_by: str | None = None
    total = len(plan.steps)
    for n, step in enumerate(plan.steps, 1):
        ctx.check_cancelled()
        ctx.progress(n - 1, total, f"{step.id}: {step.skill}", force=True)
        if stopped_by is not None:
            results.append(
                StepResult(
                    id=step.id,
                    skill=step.skill,
                    status="skipped",
                    error=tr(
                        f"not run: step {stopped_by} failed", f"未运行：步骤 {stopped_by} 失败"
                    ),
                )
            )
            continue
        try:
            params = resolve(step.params, done)
        except KeyError as e:
            results.append(
                StepResult(id=step.id, skill=step.skill, status="skipped", error=str(e.args[0]))
            )
            if step.on_error == "stop":
                stopped_by = step.id
            continue
        # files earlier steps wrote (in their run folders) may be read by later ones
        roots = [
            *extra_roots,
            *{Path(p).parent for d in done.values() for p in d.artifacts.values()},
        ]
        try:
            r = ctx.run_skill(step.skill, params, allowed_roots=roots)
        except UserError as e:  # refused before it ran (bad parameters or paths): nothing recorded
            results.append(
                StepResult(id=step.id, skill=step.skill, status="failed", error=e.one_line())
            )
            ctx.log(f"step {step.id} refused: {e.one_line()}", level="warning")
            if step.on_error == "stop":
                stopped_by = step.id
            continue
        status = (
            r.status if r.status in ("succeeded", "failed", "cancelled", "timed_out") else "failed"
        )
        res = StepResult(
            id=step.id,
            skill=step.skill,
            status=status,  # type: ignore[arg-type]
            run_id=r.run_id,
            error=r.error,
            figures=figures(r.output),
            artifacts=[{"name": a.name, "path": a.path} for a in r.artifacts],
            duration_ms=r.duration_ms,
        )
        results.append(res)
        ctx.log(f"step {step.id} ({step.skill}): {r.status} [{r.run_id}]")
        if r.ok:
            done[step.id] = Done(
                run_id=r.run_id,
                output=r.output or {},
                artifacts={a.name: a.path for a in r.artifacts},
            )
        elif step.on_error == "stop":
            stopped_by = step.id
        ctx.check_cancelled()
    ctx.progress(total, total, tr("steps done", "步骤完成"), force=True)
    return results
