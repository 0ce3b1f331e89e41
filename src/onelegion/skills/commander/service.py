"""What the commander's skills call: plan a goal, run an approved plan, save / run / list / show /
schedule playbooks, run the schedules that are due."""

from __future__ import annotations

import time
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from onelegion.core.context import Context
from onelegion.core.errors import UserError
from onelegion.core.files import write_text
from onelegion.core.lang import tr
from onelegion.core.notify import PUSH_SECTION, push_urls, send_markdown
from onelegion.core.store import RunRecord
from onelegion.skills.commander import playbooks, report, schedule
from onelegion.skills.commander.cost import estimate
from onelegion.skills.commander.execute import run_steps
from onelegion.skills.commander.models import (
    DueIn,
    DueOut,
    DueRun,
    Plan,
    PlanIn,
    PlanOut,
    PlaybookInfo,
    PlaybookListOut,
    PlaybookRef,
    PlaybookRunIn,
    PlaybookSaveIn,
    PlaybookSaveOut,
    PlaybookShowOut,
    RunIn,
    RunOut,
    Schedule,
    ScheduleIn,
    ScheduleOut,
)
from onelegion.skills.commander.plan import check_plan, plan_files, plan_paths
from onelegion.skills.commander.planner import make_plan

PLAN_SKILLS = ("commander.run", "playbook.run", "commander.plan")


def over_budget(total: float, budget: float) -> UserError:
    return UserError(
        tr(
            f"the plan's estimated LLM cost ${total:.4f} is over the budget ${budget:.2f}; nothing ran",
            f"计划预计的大模型费用 ${total:.4f} 超出预算 ${budget:.2f}；未运行任何步骤",
        ),
        hint=tr(
            "raise --budget, or ask for fewer steps that call the LLM",
            "提高 --budget，或减少需要调用大模型的步骤",
        ),
    )


# --- plan --------------------------------------------------------------------------------------
def plan_goal(ctx: Context, p: PlanIn) -> PlanOut:
    base = Path(p.base_dir).expanduser() if p.base_dir else Path.cwd()
    plan, attempts = make_plan(ctx, ctx.registry, p.goal, base.resolve())
    est = estimate(
        plan,
        ctx.registry,
        ctx.config.llm.model,
        llm_available=ctx.llm.available,
        planning_usd=ctx.llm.usage.cost_usd,
    )
    files = plan_files(plan, ctx.registry)
    text = playbooks.dump(plan)
    path = ctx.path("plan.yaml")
    write_text(path, text)
    art = ctx.artifact("plan.yaml", path, description="The plan (a playbook once saved)")
    out = PlanOut(
        plan=plan,
        estimate=est,
        files_read=files.read,
        files_written=files.written,
        attempts=attempts,
        plan_run_id=ctx.run_id,
        artifacts=[art],
    )
    if p.budget is not None and est.planning_usd + est.run_usd > p.budget:
        raise over_budget(est.planning_usd + est.run_usd, p.budget)
    return out


def plan_of_run(ctx: Context, ref: str) -> Plan:
    """The plan a recorded run made or ran: 'last' or a run id (prefix)."""
    store = ctx.store
    if ref == "last":
        runs = [
            r
            for skill in PLAN_SKILLS
            for r in store.list_runs(limit=1, skill=skill, status="succeeded")
            if r.id != ctx.run_id
        ]
        runs.sort(key=lambda r: r.created_at, reverse=True)
        if not runs:
            raise UserError(
                tr("no plan has run yet", "还没有运行过计划"),
                hint=tr('ask for one first: legion ask "..."', '先提一个目标：legion ask "..."'),
            )
        rec: RunRecord | None = runs[0]
    else:
        run_id = store.resolve_id(ref)
        rec = store.get_run(run_id) if run_id else None
    if rec is None:
        raise UserError(
            tr(f"no run with id {ref!r}", f"没有 id 为 {ref!r} 的运行"),
            hint="see `legion runs list`",
        )
    if rec.skill not in PLAN_SKILLS or not rec.output or "plan" not in rec.output:
        raise UserError(
            tr(
                f"run {rec.id} ({rec.skill}, {rec.status}) holds no plan",
                f"运行 {rec.id}（{rec.skill}，{rec.status}）中没有计划",
            ),
            hint=tr(
                "give a commander.plan or commander.run run",
                "请给出 commander.plan 或 commander.run 的运行",
            ),
        )
    return Plan.model_validate(rec.output["plan"])


# --- run ----------------------------------------------------------------------------------------
def run_plan(
    ctx: Context,
    plan: Plan,
    *,
    budget: float | None,
    summary: bool,
    push: bool,
    extra_roots: list[Path],
) -> RunOut:
    plan = check_plan(plan, ctx.registry, Path.cwd())
    if budget is not None:
        est = estimate(plan, ctx.registry, ctx.config.llm.model, llm_available=ctx.llm.available)
        if est.run_usd > budget:
            raise over_budget(est.run_usd, budget)
    steps = run_steps(ctx, plan, extra_roots)
    text = report.summarise(ctx, plan.goal, steps) if summary else None
    md = report.markdown(plan.goal, steps, text)
    md_path, html_path = ctx.path("report.md"), ctx.path("report.html")
    write_text(md_path, md)
    write_text(html_path, report.html(plan.goal, steps, text))
    arts = [
        ctx.artifact("report.md", md_path, description="Plan report (Markdown, as pushed)"),
        ctx.artifact("report.html", html_path, description="Plan report (self-contained HTML)"),
    ]
    by_id = {s.id: s for s in plan.steps}
    failed = [s for s in steps if s.status != "succeeded" and s.status != "skipped"]
    ok = all(s.status == "succeeded" or by_id[s.id].on_error == "continue" for s in steps)
    pushed = 0
    if push:
        pushed = push_report(ctx, plan.goal, md)
    return RunOut(
        goal=plan.goal,
        ok=ok,
        plan=plan,
        steps=steps,
        succeeded=sum(s.status == "succeeded" for s in steps),
        failed=len(failed),
        skipped=sum(s.status == "skipped" for s in steps),
        summary=text,
        pushed=pushed,
        report=str(html_path),
        artifacts=arts,
    )


def push_report(ctx: Context, goal: str, md: str) -> int:
    urls = push_urls(ctx.config.section(PUSH_SECTION))
    if not urls:
        ctx.log("no [radar.push] urls configured: the report was not pushed", level="warning")
        return 0
    title = tr("OneLegion plan: ", "一人军团计划：") + goal[:60]
    results = send_markdown(urls, title, md, log=ctx.log)
    return sum(r.messages for r in results)


def run_approved(ctx: Context, p: RunIn) -> RunOut:
    if p.plan is None and not p.plan_run:
        raise UserError(
            tr(
                "give the plan (plan=...) or the id of its commander.plan run (plan_run=...)",
                "请给出计划（plan=...）或其 commander.plan 运行的 id（plan_run=...）",
            )
        )
    plan = p.plan if p.plan is not None else plan_of_run(ctx, p.plan_run)
    return run_plan(ctx, plan, budget=p.budget, summary=p.summary, push=p.push, extra_roots=[])


# --- playbooks ---------------------------------------------------------------------------------
def _home(ctx: Context) -> Path:
    return ctx.config.home


def playbook_save(ctx: Context, p: PlaybookSaveIn) -> PlaybookSaveOut:
    plan = plan_of_run(ctx, p.source)
    path = playbooks.save(_home(ctx), p.name, plan, force=p.force)
    ctx.log(f"playbook {p.name}: {path}")
    return PlaybookSaveOut(name=p.name, path=str(path), steps=len(plan.steps), source_run=p.source)


def playbook_run(ctx: Context, p: PlaybookRunIn) -> RunOut:
    plan, _ = playbooks.load(_home(ctx), p.name)
    # the person's own file: the paths it names are allowed, as paths named on the command line
    roots = plan_paths(plan, ctx.registry)
    return run_plan(ctx, plan, budget=None, summary=False, push=p.push, extra_roots=roots)


def _info(ctx: Context, name: str, plan: Plan, path: Path) -> PlaybookInfo:
    s = schedule.get(_home(ctx), name)
    return PlaybookInfo(
        name=name,
        path=str(path),
        goal=plan.goal,
        steps=[f"{st.id}: {st.skill}" for st in plan.steps],
        schedule=describe_schedule(s) if s else None,
    )


def describe_schedule(s: Schedule) -> str:
    return f"every {s.every}" + (f" at {s.at}" if s.at else "") + (" (push)" if s.push else "")


def playbook_list(ctx: Context) -> PlaybookListOut:
    home = _home(ctx)
    infos: list[PlaybookInfo] = []
    for name in playbooks.list_names(home):
        try:
            plan, path = playbooks.load(home, name)
        except UserError as e:
            ctx.log(f"{name}: {e.one_line()}", level="warning")
            continue
        infos.append(_info(ctx, name, plan, path))
    return PlaybookListOut(playbooks=infos, folder=str(playbooks.folder(home)))


def playbook_show(ctx: Context, p: PlaybookRef) -> PlaybookShowOut:
    plan, path = playbooks.load(_home(ctx), p.name)
    return PlaybookShowOut(
        info=_info(ctx, p.name, plan, path), plan=plan, text=path.read_text(encoding="utf-8")
    )


def local_tz(ctx: Context) -> tzinfo:
    return schedule.local_tz(ctx.config.section(PUSH_SECTION))


def playbook_schedule(ctx: Context, p: ScheduleIn) -> ScheduleOut:
    home = _home(ctx)
    if p.remove:
        before = schedule.get(home, p.name)
        schedule.update(home, lambda items: [s for s in items if s.playbook != p.name])
        return ScheduleOut(schedule=None, removed=before is not None)
    playbooks.load(home, p.name)  # it must exist and be readable
    new = Schedule(
        playbook=p.name, every=p.every.strip().lower(), at=p.at, push=p.push, created=time.time()
    )
    schedule.check(new)
    schedule.update(home, lambda items: [*(s for s in items if s.playbook != p.name), new])
    tz = local_tz(ctx)
    nxt = schedule.next_run(new, datetime.now(UTC), tz)
    return ScheduleOut(schedule=new, next_run=nxt.strftime("%Y-%m-%d %H:%M %Z"))


def run_due(ctx: Context, p: DueIn) -> DueOut:
    """Run every playbook whose schedule is due (each as a child run of this one)."""
    home = _home(ctx)
    tz = local_tz(ctx)
    now: datetime | None = None
    if p.now:
        try:
            now = datetime.fromisoformat(p.now.strip())
        except ValueError:
            raise UserError(
                tr(f"--now {p.now!r} is not an ISO time", f"--now {p.now!r} 不是 ISO 时间"),
                hint="e.g. 2026-12-01T08:00",
            ) from None
        now = now if now.tzinfo else now.replace(tzinfo=tz)
    moment = now or datetime.now(UTC)
    due = [s for s in schedule.load_all(home) if schedule.is_due(s, moment, tz)]
    out = DueOut(due=[s.playbook for s in due])
    if p.dry_run:
        return out
    for s in due:
        r = ctx.run_skill("playbook.run", {"name": s.playbook, "push": s.push})
        res = DueRun(
            playbook=s.playbook, run_id=r.run_id, ok=bool(r.ok and r.output and r.output["ok"])
        )
        res.error = r.error
        res.pushed = int((r.output or {}).get("pushed", 0))
        out.runs.append(res)
        stamp = time.time() if now is None else moment.timestamp()

        def mark(
            items: list[Schedule], s: Schedule = s, ok: bool = res.ok, at: float = stamp
        ) -> list[Schedule]:
            for item in items:
                if item.playbook == s.playbook:
                    item.last_run = at
                    item.last_status = "succeeded" if ok else "failed"
            return items

        schedule.update(home, mark)
    return out
