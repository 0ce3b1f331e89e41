"""Terminal renderings of the commander's outputs: the plan for approval, the run's outcome."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from onelegion.core.lang import tr
from onelegion.skills.commander.report import status_text

if TYPE_CHECKING:
    from onelegion.skills.commander.models import PlanOut, RunOut

STYLE = {"succeeded": "green", "failed": "red", "skipped": "yellow"}


def _value(v: Any) -> str:
    return v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)


def plan_view(out: PlanOut) -> Any:
    plan = out.plan
    table = Table(box=None, header_style="bold", title_justify="left")
    table.add_column("#", justify="right")
    table.add_column(tr("step", "步骤"), style="bold")
    table.add_column(tr("skill", "技能"), style="cyan")
    table.add_column(tr("parameters", "参数"))
    table.add_column(tr("on error", "出错时"))
    table.add_column(tr("LLM", "大模型"), justify="right")
    calls = {s.id: s for s in out.estimate.steps}
    for n, step in enumerate(plan.steps, 1):
        params = "\n".join(f"{k} = {_value(v)}" for k, v in step.params.items()) or "—"
        est = calls.get(step.id)
        llm = (
            f"{est.llm_calls} × ${est.cost_usd / max(est.llm_calls, 1):.4f}"
            if est and est.llm_calls
            else "—"
        )
        table.add_row(
            str(n),
            step.id,
            step.skill,
            params,
            tr(step.on_error, "停止" if step.on_error == "stop" else "继续"),
            llm,
        )
    e = out.estimate
    lines: list[Any] = [
        Text(tr("Goal: ", "目标：") + plan.goal, style="bold"),
        table,
        Text(tr("reads:   ", "读取：  ") + (", ".join(out.files_read) or "—")),
        Text(
            tr("writes:  ", "写入：  ")
            + (", ".join(out.files_written) or tr("run folders only", "仅运行文件夹"))
        ),
        Text(
            tr(
                f"LLM: planning ${e.planning_usd:.4f}, steps ~{e.llm_calls} call(s) ≈ ${e.run_usd:.4f}"
                f" ({e.model or 'no model'})",
                f"大模型：规划 ${e.planning_usd:.4f}，步骤约 {e.llm_calls} 次调用 ≈ ${e.run_usd:.4f}"
                f"（{e.model or '未配置模型'}）",
            )
        ),
    ]
    if out.attempts > 1:
        lines.append(
            Text(
                tr(
                    f"(the model needed {out.attempts} answers)",
                    f"（模型回答了 {out.attempts} 次）",
                ),
                style="dim",
            )
        )
    return Group(*lines)


def run_view(out: RunOut) -> Any:
    table = Table(box=None, header_style="bold")
    table.add_column(tr("step", "步骤"), style="bold")
    table.add_column(tr("skill", "技能"), style="cyan")
    table.add_column(tr("status", "状态"))
    table.add_column(tr("key figures", "关键指标"))
    table.add_column(tr("run", "运行"), no_wrap=True)
    for s in out.steps:
        figs = ", ".join(f"{k}={v}" for k, v in list(s.figures.items())[:6])
        table.add_row(
            s.id,
            s.skill,
            Text(status_text(s.status), style=STYLE.get(s.status, "")),
            s.error or figs,
            s.run_id or "",
        )
    head = Text(
        tr(
            f"{out.succeeded} succeeded, {out.failed} failed, {out.skipped} skipped",
            f"成功 {out.succeeded}，失败 {out.failed}，跳过 {out.skipped}",
        ),
        style="green" if out.ok else "red",
    )
    parts: list[Any] = [Text(tr("Goal: ", "目标：") + out.goal, style="bold"), table, head]
    if out.summary:
        parts.append(Text(out.summary, style="italic"))
    if out.pushed:
        parts.append(Text(tr(f"pushed {out.pushed} message(s)", f"已推送 {out.pushed} 条消息")))
    return Group(*parts)
