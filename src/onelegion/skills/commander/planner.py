"""Goal → plan through the LLM gateway: the model answers a :class:`PlanDraft` (structured
output), the draft is checked against the registry, and an invalid one goes back to the model with
the problems, at most ``MAX_ANSWERS`` answers in all; then the goal is refused in one line."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import ValidationError

from onelegion.core.context import Context
from onelegion.core.errors import UserError
from onelegion.core.lang import tr
from onelegion.core.llm import UnusableAnswer
from onelegion.core.registry import Registry
from onelegion.skills.commander.catalog import system_prompt
from onelegion.skills.commander.models import Plan, PlanDraft
from onelegion.skills.commander.plan import PlanInvalid, check_plan

MAX_ANSWERS = 3
FILE_EXTENSIONS = "csv|tsv|xlsx|xls|json|jsonl|parquet|srt|ass|ssa|vtt|txt|md|html|yaml|yml|mp4|mov|mkv|png|jpg|jpeg"
# a file name in a goal: no spaces, ends in a known extension (Chinese names too)
FILE_RE = re.compile(
    r"(?<![\w./\\-])((?:[~./\\]|[A-Za-z]:)?[\w\u4e00-\u9fff./\\-]*[\w\u4e00-\u9fff-]\.(?:"
    + FILE_EXTENSIONS
    + r"))(?![\w])",
    re.IGNORECASE,
)


def needs_model_message() -> UserError:
    return UserError(
        tr(
            "planning a goal needs an LLM: set one with `legion config set llm.model "
            "deepseek:deepseek-chat` (and export its API key); saved playbooks run without one "
            "(`legion playbook run NAME`)",
            "规划目标需要大模型：用 `legion config set llm.model deepseek:deepseek-chat` 配置"
            "（并导出 API key）；已保存的剧本无需模型即可运行（`legion playbook run 名称`）",
        )
    )


def files_named(goal: str) -> list[str]:
    """File names written in the goal (``sales.xlsx``, ``./data/销售.csv``)."""
    return list(dict.fromkeys(m.group(1) for m in FILE_RE.finditer(goal)))


def check_named_files(goal: str, base: Path, missing: list[str]) -> None:
    """A plan that reads a file the goal names, and that file does not exist: no answer of the
    model can repair that, so the goal is refused at once, naming the file."""
    named = {Path(n).name: n for n in files_named(goal)}
    for value in missing:
        name = named.get(Path(value).name)
        if name is None:
            continue
        p = Path(name).expanduser()
        p = p if p.is_absolute() else base / p
        if not p.exists():
            raise UserError(
                tr(
                    f"the goal names {name}, which does not exist (looked in {p.parent})",
                    f"目标里提到的 {name} 不存在（在 {p.parent} 中查找）",
                ),
                hint=tr(
                    "check the name, or run from the folder that holds it",
                    "请检查文件名，或在文件所在的文件夹中运行",
                ),
            )


def repair_prompt(goal: str, answer: str | None, problems: list[str]) -> str:
    listed = "\n".join(f"- {p}" for p in problems[:8])
    previous = f"\n\nYour previous plan:\n{answer}" if answer else ""
    return (
        f"Goal: {goal}{previous}\n\nThat answer cannot be used:\n{listed}\n\n"
        "Answer again with a corrected plan (only listed skills and schema parameters), "
        "or no steps and a refusal if the goal cannot be reached with these skills."
    )


def make_plan(ctx: Context, registry: Registry, goal: str, base: Path) -> tuple[Plan, int]:
    """A checked plan and how many answers it took; UserError in one line otherwise."""
    if not ctx.llm.available:
        raise needs_model_message()
    goal = " ".join(goal.split())
    system = system_prompt(registry)
    prompt = f"Goal: {goal}"
    problems: list[str] = []
    for attempt in range(1, MAX_ANSWERS + 1):
        ctx.check_cancelled()
        ctx.progress(attempt - 1, MAX_ANSWERS, tr("asking the model", "正在询问模型"), force=True)
        try:
            # a repair must reach the model: the same wrong answer again may not come from the cache
            draft = ctx.llm.ask(
                prompt, output_type=PlanDraft, system=system, retries=0, cache=attempt == 1
            )
        except UnusableAnswer as e:
            problems = [
                "the answer was not one JSON object of the plan schema "
                f"({e.message[:160]}); answer with the JSON only"
            ]
            ctx.log(f"answer {attempt}: unusable ({e.message[:120]})", level="warning")
            prompt = repair_prompt(goal, None, problems)
            continue
        if not draft.steps:
            reason = " ".join(draft.refusal.split())[:300] or tr(
                "no listed skill can do this", "没有可用的技能能完成此事"
            )
            raise UserError(
                tr(f"cannot plan this goal: {reason}", f"无法为这个目标制定计划：{reason}"),
                hint=tr("see `legion skills` for what can be done", "可用技能见 `legion skills`"),
            )
        answer = draft.model_dump_json()
        try:
            plan = check_plan(Plan(goal=goal, steps=draft.steps), registry, base)
        except PlanInvalid as e:
            check_named_files(goal, base, e.missing)
            problems = e.problems
        except ValidationError as e:
            problems = [f"plan: {err['msg']}" for err in e.errors()[:3]]
        else:
            ctx.log(f"plan of {len(plan.steps)} step(s) after {attempt} answer(s)")
            return plan, attempt
        ctx.log(f"answer {attempt}: {problems[0]}", level="warning")
        prompt = repair_prompt(goal, answer, problems)
    raise UserError(
        tr(
            f"no valid plan after {MAX_ANSWERS} answers of the model: {problems[0]}",
            f"模型回答 {MAX_ANSWERS} 次仍没有有效的计划：{problems[0]}",
        ),
        hint=tr(
            "name the files and what to do more plainly, or use a stronger model",
            "请更明确地写出文件和要做的事，或换用更强的模型",
        ),
    )
