"""`legion runs`: the recorded runs — list, show, artifacts, open, rerun, cancel."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from onelegion.surfaces.cli.state import STATE, registry, runtime, store
from onelegion.surfaces.i18n import t

if TYPE_CHECKING:
    pass
from onelegion.surfaces.cli.running import execute, finish, named_paths

runs_app = typer.Typer(no_args_is_help=True)


# --- runs -------------------------------------------------------------------------------
@runs_app.command("list")
def runs_list(
    limit: Annotated[int, typer.Option("--limit", "-n")] = 20,
    skill: Annotated[Optional[str], typer.Option("--skill")] = None,  # noqa: UP045
    status: Annotated[Optional[str], typer.Option("--status")] = None,  # noqa: UP045
    since: Annotated[Optional[str], typer.Option("--since")] = None,  # noqa: UP045
    until: Annotated[Optional[str], typer.Option("--until")] = None,  # noqa: UP045
    search: Annotated[Optional[str], typer.Option("--search", "-s")] = None,  # noqa: UP045
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    from onelegion.surfaces.cli.render import console, runs_table
    from onelegion.surfaces.cli.when import parse_when

    st = store()
    if status is not None:
        _check_status(status)
    if skill is not None:
        _check_skill(skill)
    runs = st.list_runs(
        limit=limit,
        skill=skill,
        status=status,
        since=parse_when(since, "--since") if since else None,
        until=parse_when(until, "--until") if until else None,
        text=search,
    )
    if as_json:
        typer.echo(json.dumps([r.model_dump() for r in runs], ensure_ascii=False, indent=2))
    elif not runs:
        filtered = any(v is not None for v in (skill, status, since, until, search))
        console.print(t("no_runs_match") if filtered else t("no_runs"))
    else:
        console.print(runs_table(runs))


def _check_status(status: str) -> None:
    from onelegion.core.errors import UserError
    from onelegion.core.store import STATUSES

    if status not in STATUSES:
        raise UserError(
            t("unknown_status", value=status), hint=t("known_values", values=", ".join(STATUSES))
        )


def _check_skill(name: str) -> None:
    import difflib

    from onelegion.core.errors import UserError

    if name in store().skills_seen():
        return
    known = [s.name for s in registry().all()]
    if name in known:
        return
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    hint = (t("did_you_mean", name=close[0]) + " ") if close else ""
    raise UserError(t("unknown_skill", name=name), hint=hint + t("see_skills"))


def _resolve(run_ref: str) -> str:
    from onelegion.core.errors import UserError

    st = store()
    run_id = st.resolve_id(run_ref)
    if run_id is None:
        matches = st.ids_with_prefix(run_ref, limit=6) if run_ref != "last" else []
        if len(matches) > 1:
            shown = ", ".join(matches[:5]) + (", …" if len(matches) > 5 else "")
            raise UserError(t("ambiguous_run", ref=run_ref), hint=t("one_of", ids=shown))
        raise UserError(t("no_run_matches", ref=run_ref), hint=t("see_runs_list"))
    return run_id


@runs_app.command("show")
def runs_show(
    run: Annotated[str, typer.Argument()],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    from rich.json import JSON
    from rich.panel import Panel

    from onelegion.surfaces.cli.render import STATUS_STYLE, console, print_path, status_label

    st = store()
    run_id = _resolve(run)
    rec = st.get_run(run_id)
    assert rec is not None
    events = st.events(run_id)
    arts = st.artifacts(run_id)
    calls = st.llm_calls(run_id)
    children = st.children(run_id)
    if as_json:
        typer.echo(
            json.dumps(
                {
                    **rec.model_dump(),
                    "events": [e.model_dump() for e in events],
                    "artifacts": [a.model_dump() for a in arts],
                    "llm_calls": calls,
                    "children": [
                        {"id": c.id, "skill": c.skill, "status": c.status} for c in children
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    style = STATUS_STYLE.get(rec.status, "")
    head = (
        f"[bold]{rec.skill}[/] v{rec.version} · [{style}]{status_label(rec.status)}[/]"
        f" · {rec.surface} · {rec.duration_ms or 0:.0f} ms"
        + (f" · {t('show.cached_from', run_id=rec.cached_from)}" if rec.cached_from else "")
    )
    console.print(Panel(head, title=rec.id, title_align="left"))
    if rec.parent_run_id:
        console.print(f"[bold]{t('show.parent')}[/] {rec.parent_run_id}")
    console.print(f"[bold]{t('show.params')}[/]")
    console.print(JSON.from_data(rec.params))
    if rec.error:
        console.print(f"[red]{t('error')}:[/] {rec.error}")
        tb_text = st.traceback(run_id)
        if tb_text and STATE.debug:
            console.print(tb_text)
    if rec.output is not None:
        console.print(f"[bold]{t('show.output')}[/]")
        text = json.dumps(rec.output, ensure_ascii=False)
        console.print(JSON(text[:20000]) if len(text) <= 20000 else text[:20000] + " …")
    kinds = ", ".join(sorted({e.kind for e in events}))
    console.print(f"[bold]{t('show.events')}[/] {len(events)} ({kinds})")
    for a in arts:
        console.print(f"[bold]{t('show.artifact')}[/] {a.name}")
        print_path(a.path)
    for c in children:  # the steps a plan ran
        style = STATUS_STYLE.get(c.status, "")
        console.print(
            f"[bold]{t('show.child')}[/] {c.id} {c.skill} [{style}]{status_label(c.status)}[/]"
        )
    if calls:
        tok_in = sum(c["tokens_in"] for c in calls)
        tok_out = sum(c["tokens_out"] for c in calls)
        cost = sum(c["cost_usd"] for c in calls)
        hits = sum(c["cache_hit"] for c in calls)
        usage = t(
            "show.llm_calls", calls=len(calls), hits=hits, tok_in=tok_in, tok_out=tok_out, cost=cost
        )
        console.print(f"[bold]{t('show.llm')}[/] {usage}")


@runs_app.command("artifacts")
def runs_artifacts(
    run: Annotated[str, typer.Argument()],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    from onelegion.surfaces.cli.render import console, print_path

    arts = store().artifacts(_resolve(run))
    if as_json:
        typer.echo(json.dumps([a.model_dump() for a in arts], ensure_ascii=False, indent=2))
        return
    for a in arts:  # each path whole, on its own line, so it can be copied
        console.print(f"[bold]{a.name}[/]  [dim]{a.media_type} · {a.size:,} B[/]")
        print_path(a.path)


@runs_app.command("open")
def runs_open(
    run: Annotated[str, typer.Argument()],
    path_only: Annotated[bool, typer.Option("--path")] = False,
) -> None:
    import webbrowser

    from onelegion.core.errors import UserError
    from onelegion.surfaces.cli.render import print_path

    st = store()
    run_id = _resolve(run)
    html = [a for a in st.artifacts(run_id) if a.media_type == "text/html"]
    target = Path(html[0].path) if html else st.path.parent / "runs" / run_id
    if not target.exists():
        raise UserError(t("nothing_to_open", run_id=run_id), hint=t("see_artifacts"))
    print_path(str(target))
    if not path_only:
        webbrowser.open(target.as_uri())


@runs_app.command("rerun")
def runs_rerun(
    run: Annotated[str, typer.Argument()],
    refresh: Annotated[bool, typer.Option("--refresh")] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    rt = runtime()
    rec = rt.store.get_run(_resolve(run))
    assert rec is not None
    skill = registry().get(rec.skill)
    result = execute(
        skill, rec.params, roots=named_paths(skill, rec.params), refresh=refresh, as_json=as_json
    )
    finish(result)


@runs_app.command("cancel")
def runs_cancel(
    run: Annotated[str, typer.Argument()],
) -> None:
    run_id = _resolve(run)
    if runtime().runner.cancel(run_id):
        typer.echo(t("cancel_requested", run_id=run_id))
    else:
        typer.echo(t("not_running", run_id=run_id))
