"""The plan's report: what was asked, what ran, each step's key figures and artifacts, and (with
an LLM) a short summary grounded only in those figures. Markdown (also what is pushed) and
self-contained HTML (onelegion.reports)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from onelegion.core.context import Context
from onelegion.core.lang import tr
from onelegion.reports import cards, esc, page, section, table

if TYPE_CHECKING:
    from onelegion.skills.commander.models import StepResult

STATUS_ZH = {
    "succeeded": "成功",
    "failed": "失败",
    "skipped": "跳过",
    "cancelled": "已取消",
    "timed_out": "超时",
}

SUMMARY_SYSTEM = (
    "You summarise what a plan of tool runs produced. Use ONLY the figures given; never add "
    "facts, causes or numbers that are not in them. Three sentences at most, in the goal's language."
)


def status_text(status: str) -> str:
    return tr(status, STATUS_ZH.get(status, status))


def summarise(ctx: Context, goal: str, steps: list[StepResult]) -> str | None:
    """A short summary from the LLM, grounded in the steps' figures; None without a model or
    when the model fails (the report stands without it)."""
    if not ctx.llm.available:
        return None
    facts = [
        {"step": s.id, "skill": s.skill, "status": s.status, "figures": s.figures, "error": s.error}
        for s in steps
    ]
    prompt = f"Goal: {goal}\nResults (JSON):\n{json.dumps(facts, ensure_ascii=False)}"
    try:
        text = ctx.llm.ask(prompt, system=SUMMARY_SYSTEM, max_tokens=300)
    except Exception as e:  # the summary is optional: any model failure leaves it out
        ctx.log(f"summary skipped: {type(e).__name__}: {e}", level="warning")
        return None
    return " ".join(str(text).split())[:800] or None


def markdown(goal: str, steps: list[StepResult], summary: str | None) -> str:
    lines = [f"# {tr('Plan report', '计划报告')}", "", f"**{tr('Goal', '目标')}:** {goal}", ""]
    if summary:
        lines += [f"> {summary}", ""]
    for n, s in enumerate(steps, 1):
        run = f" · `{s.run_id}`" if s.run_id else ""
        lines.append(f"## {n}. {s.id} — {s.skill}: {status_text(s.status)}{run}")
        if s.error:
            lines.append(f"- {tr('error', '错误')}: {s.error}")
        for k, v in s.figures.items():
            lines.append(f"- {k}: {v}")
        for a in s.artifacts:
            lines.append(f"- [{a['name']}]({Path(a['path']).as_uri()})")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def html(goal: str, steps: list[StepResult], summary: str | None) -> str:
    ok = sum(s.status == "succeeded" for s in steps)
    body = [
        cards(
            [
                (tr("Steps", "步骤"), len(steps)),
                (tr("Succeeded", "成功"), ok),
                (tr("Failed", "失败"), sum(s.status == "failed" for s in steps)),
                (tr("Skipped", "跳过"), sum(s.status == "skipped" for s in steps)),
            ]
        ),
        f"<p><b>{esc(tr('Goal', '目标'))}:</b> {esc(goal)}</p>",
    ]
    if summary:
        body.append(section(tr("Summary", "摘要"), f"<p>{esc(summary)}</p>"))
    body.append(
        section(
            tr("Steps", "步骤"),
            table(
                [
                    tr("Step", "步骤"),
                    tr("Skill", "技能"),
                    tr("Status", "状态"),
                    tr("Run", "运行"),
                    tr("Error", "错误"),
                ],
                [
                    [s.id, s.skill, status_text(s.status), s.run_id or "", s.error or ""]
                    for s in steps
                ],
            ),
        )
    )
    for s in steps:
        parts: list[str] = []
        if s.figures:
            parts.append(
                table(
                    [tr("Figure", "指标"), tr("Value", "值")],
                    [[k, v] for k, v in s.figures.items()],
                )
            )
        if s.artifacts:
            links = "".join(
                f'<li><a href="{esc(Path(a["path"]).as_uri())}">{esc(a["name"])}</a></li>'
                for a in s.artifacts
            )
            parts.append(f"<ul>{links}</ul>")
        if parts:
            body.append(section(f"{s.id} — {s.skill}", *parts, level=3))
    return page(tr("Plan report", "计划报告"), body, subtitle=goal)
