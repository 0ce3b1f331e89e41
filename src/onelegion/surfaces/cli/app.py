"""The `legion` command. Static commands are here; skill commands are generated (gen.py).

Heavy modules load only when a command needs them, so `legion --help` stays instant.
Help texts come from the message catalogue (``help.<command>[.<parameter>]`` keys in
i18n_messages), applied to the command tree once the language is known (see ``localize``).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import click
import typer

from onelegion import __version__
from onelegion.surfaces.cli.state import STATE, registry, runtime, store
from onelegion.surfaces.i18n import (
    has,
    install_click_translations,
    lang_from_argv,
    normalize,
    set_language,
    t,
    usage_error_lines,
)

if TYPE_CHECKING:
    from onelegion.core.runner import RunResult
    from onelegion.core.skill import Skill

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    rich_markup_mode=None,
)
skills_app = typer.Typer(no_args_is_help=False)
runs_app = typer.Typer(no_args_is_help=True)
config_app = typer.Typer(no_args_is_help=True)
app.add_typer(skills_app, name="skills")
app.add_typer(runs_app, name="runs")
app.add_typer(config_app, name="config")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"onelegion {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    home: Annotated[
        Optional[Path],  # noqa: UP045 (typer needs Optional on 3.11)
        typer.Option("--home"),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug")] = False,
    lang: Annotated[str, typer.Option("--lang")] = "auto",
    env_file: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--env-file"),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True),
    ] = False,
) -> None:
    STATE.home = home
    STATE.debug = debug
    if lang != "auto" and normalize(lang) is None:
        raise click.UsageError(t("lang_invalid", value=lang))
    set_language(lang)
    if env_file is not None:
        from dotenv import load_dotenv

        if not env_file.is_file():
            raise click.UsageError(t("env_file_missing", path=env_file))
        load_dotenv(env_file, override=False)


# --- running skills ---------------------------------------------------------------------
def invoke_skill(skill: Skill[Any, Any], values: dict[str, Any], common: dict[str, Any]) -> None:
    from onelegion.surfaces.cli.gen import parse_param_pairs

    params: dict[str, Any] = {}
    if common.get("_params_file"):
        try:
            loaded = json.loads(Path(common["_params_file"]).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as e:
            raise click.UsageError(t("params_file_bad", error=e)) from None
        if not isinstance(loaded, dict):
            raise click.UsageError(t("params_file_not_object"))
        params.update(loaded)
    params.update(parse_param_pairs(common.get("_param") or ()))
    params.update(values)
    roots = named_paths(skill, params)
    result = execute(
        skill,
        params,
        roots=roots,
        refresh=bool(common.get("_refresh")),
        timeout=common.get("_timeout"),
        as_json=bool(common.get("_json")),
    )
    finish(result)


def named_paths(skill: Skill[Any, Any], params: dict[str, Any]) -> list[Path]:
    """Paths the person named for path fields: allowed for this run."""
    roots: list[Path] = []
    for field in skill.path_fields():
        value = params.get(field)
        for v in value if isinstance(value, list) else [value]:
            if isinstance(v, str | Path) and str(v):
                roots.append(Path(v).expanduser().resolve())
    return roots


def execute(
    skill: Skill[Any, Any],
    params: dict[str, Any],
    *,
    roots: list[Path],
    refresh: bool = False,
    timeout: float | None = None,
    as_json: bool = False,
) -> RunResult:
    from onelegion.surfaces.cli.render import ProgressView, err_console, print_result

    rt = runtime()
    view = ProgressView(skill.title, quiet=as_json or not err_console.is_terminal)
    with view:
        handle = rt.runner.submit(
            skill.name,
            params,
            surface="cli",
            allowed_roots=roots,
            refresh=refresh,
            timeout=timeout,
            listener=view,
        )
        try:
            result = handle.wait()
        except KeyboardInterrupt:
            err_console.print(t("cancelling"))
            handle.cancel()
            try:
                result = handle.wait()
            except KeyboardInterrupt:
                raise SystemExit(130) from None
    if as_json:
        typer.echo(result.model_dump_json(indent=2))
    else:
        print_result(skill, result)
    return result


def finish(result: RunResult) -> None:
    if result.ok:
        return
    if result.status == "cancelled":
        raise SystemExit(130)
    if result.status == "timed_out":
        raise SystemExit(124)  # as timeout(1)
    raise SystemExit(2 if result.error_kind == "user" else 1)


@app.command("run")
def run_cmd(
    name: Annotated[str, typer.Argument()],
    param: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option("--param", "-p"),
    ] = None,
    params_file: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--params-file"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    refresh: Annotated[bool, typer.Option("--refresh")] = False,
    timeout: Annotated[
        Optional[float],  # noqa: UP045
        typer.Option("--timeout"),
    ] = None,
) -> None:
    skill = registry().get(name)
    invoke_skill(
        skill,
        {},
        {
            "_param": tuple(param or ()),
            "_params_file": str(params_file) if params_file else None,
            "_json": as_json,
            "_refresh": refresh,
            "_timeout": timeout,
        },
    )


# --- skills -----------------------------------------------------------------------------
@skills_app.callback(invoke_without_command=True)
def skills_list(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    if ctx.invoked_subcommand is not None:
        return
    from rich.table import Table

    from onelegion.surfaces.catalog import skill_info
    from onelegion.surfaces.cli.render import console

    skills = registry().all()
    if as_json:
        typer.echo(
            json.dumps([skill_info(s, schemas=False) for s in skills], ensure_ascii=False, indent=2)
        )
        return
    table = Table(box=None, header_style="bold")
    table.add_column(t("col.skill"), style="bold cyan")
    table.add_column(t("col.command"))
    table.add_column(t("col.summary"))
    for s in skills:
        table.add_row(s.name, f"legion {s.group} {s.command}", s.summary)
    console.print(table)
    for name, err in registry().errors.items():
        console.print(f"[red]{t('plugin_failed', name=name)}[/] {err}")


@skills_app.command("show")
def skills_show(name: Annotated[str, typer.Argument()]) -> None:
    from onelegion.surfaces.catalog import skill_info

    typer.echo(json.dumps(skill_info(registry().get(name)), ensure_ascii=False, indent=2))


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
    if as_json:
        typer.echo(
            json.dumps(
                {
                    **rec.model_dump(),
                    "events": [e.model_dump() for e in events],
                    "artifacts": [a.model_dump() for a in arts],
                    "llm_calls": calls,
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


# --- config -----------------------------------------------------------------------------
@config_app.command("show")
def config_show(
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    from rich.json import JSON

    from onelegion.core.config import Settings
    from onelegion.surfaces.cli.render import console

    settings = Settings.load(STATE.home)
    if as_json:  # plain JSON on stdout: no colours, no wrapped lines, pipe-able
        typer.echo(json.dumps(settings.public_dump(), ensure_ascii=False, indent=2))
        return
    console.print(f"[dim]{t('config_file', path=settings.config_file)}[/]")
    console.print(JSON.from_data(settings.public_dump()))


@config_app.command("set")
def config_set(
    key: Annotated[str, typer.Argument()],
    value: Annotated[str, typer.Argument()],
) -> None:
    from onelegion.core.config import Settings, set_value

    settings = Settings.load(STATE.home)
    path = set_value(settings.home, key, value)
    typer.echo(f"{key} = {value}  ({path})")


@config_app.command("path")
def config_path() -> None:
    from onelegion.core.config import Settings

    typer.echo(str(Settings.load(STATE.home).config_file))


# --- services ---------------------------------------------------------------------------
@app.command("serve")
def serve_cmd(
    host: Annotated[str | None, typer.Option("--host")] = None,
    port: Annotated[Optional[int], typer.Option("--port")] = None,  # noqa: UP045
    token: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--token"),
    ] = None,
    open_browser: Annotated[bool, typer.Option("--open")] = False,
    generate_token: Annotated[bool, typer.Option("--generate-token")] = False,
) -> None:
    from onelegion.surfaces.api import serve

    if generate_token:
        from onelegion.surfaces.security import generate_token as make_token

        print(make_token())  # stdout only: never logged or stored
        print(t("serve_token_made"), file=sys.stderr)
        return
    rt = runtime()
    serve(
        rt,
        host=host or rt.settings.api.host,
        port=port or rt.settings.api.port,
        token=token or os.environ.get("LEGION_TOKEN"),
        open_browser=open_browser,
    )


@app.command("mcp")
def mcp_cmd(
    http: Annotated[bool, typer.Option("--http")] = False,
    host: Annotated[str, typer.Option("--host")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port")] = 8766,
    token: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--token"),
    ] = None,
) -> None:
    from onelegion.surfaces import mcp as mcp_surface

    rt = runtime()
    if http:
        mcp_surface.serve_http(
            rt, host=host, port=port, token=token or os.environ.get("LEGION_TOKEN")
        )
    else:
        if sys.stdin.isatty():  # a person, not an MCP client, started it
            print(t("mcp_stdio_hint"), file=sys.stderr, flush=True)
        mcp_surface.serve_stdio(rt)


@app.command("doctor")
def doctor_cmd(
    as_json: Annotated[bool, typer.Option("--json")] = False,
    offline: Annotated[bool, typer.Option("--offline")] = False,
) -> None:
    from onelegion.surfaces.cli.doctor import run_doctor

    ok = run_doctor(runtime(), as_json=as_json, offline=offline)
    if not ok:
        raise SystemExit(1)


@app.command("demo")
def demo_cmd(
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    from onelegion.surfaces.cli.demo import run_demo

    if not run_demo(as_json=as_json):
        raise SystemExit(1)


# --- entry point ------------------------------------------------------------------------
def build_cli() -> click.Group:
    from onelegion.core import plugins
    from onelegion.surfaces.cli.gen import SkillGroup, group_help

    group: click.Group = typer.main.get_group(app)  # type: ignore[assignment]
    localize(group)
    # group names straight from the entry points: no skill code (or pydantic) is imported
    eps = {ep.name: ep.value for ep in plugins.entries(plugins.SKILLS)}
    for name in sorted(eps):
        if name not in group.commands:
            group.add_command(SkillGroup(name, registry, invoke_skill, group_help(eps[name])), name)
    return group


def localize(command: click.Command, path: str = "legion") -> None:
    """Help texts of the static commands from the catalogue, in the current language:
    ``help.<path>`` for a command, ``help.<path>.<parameter>`` for its options and arguments."""
    key = f"help.{path}"
    command.help = t(key)
    for param in command.params:
        param_key = f"{key}.{param.name}"
        if has(param_key):
            param.help = t(param_key)  # type: ignore[attr-defined]
    commands: dict[str, click.Command] = getattr(command, "commands", {})
    if commands:
        for name, sub in commands.items():
            localize(sub, name if path == "legion" else f"{path}.{name}")


def main(argv: list[str] | None = None) -> None:
    from onelegion.core.errors import LegionError

    args = _hoist_lang(sys.argv[1:] if argv is None else list(argv))
    lang = lang_from_argv(args)
    if lang is not None and normalize(lang) is not None:
        set_language(lang)
    install_click_translations()
    if not _command_given(args):
        args = [*args, "--help"]  # `legion` or `legion --lang zh` alone: the help, exit 0
    cli = build_cli()
    try:
        cli.main(args=args, prog_name="legion", standalone_mode=False)
    except click.exceptions.Exit as e:
        raise SystemExit(e.exit_code) from None
    except (click.ClickException, typer.TyperException) as e:
        ctx: Any = getattr(e, "ctx", None)
        if type(e).__name__ == "NoArgsIsHelpError" and ctx is not None:
            click.echo(ctx.get_help())  # `legion` or `legion runs` alone: the help, exit 0
            raise SystemExit(0) from None
        # click's (skill commands) and typer's bundled click's (static commands) usage errors
        click.echo("\n".join(usage_error_lines(e)), err=True)
        raise SystemExit(2) from None
    except click.exceptions.Abort:
        raise SystemExit(130) from None
    except LegionError as e:
        _print_error(e.one_line())
        if STATE.debug:
            raise
        raise SystemExit(e.exit_code) from None
    except KeyboardInterrupt:
        raise SystemExit(130) from None
    except SystemExit:
        raise
    except Exception as e:
        if STATE.debug:
            raise
        _print_error(t("unexpected", kind=type(e).__name__, message=e))
        raise SystemExit(1) from None


_ROOT_OPTIONS_WITH_VALUE = ("--home", "--lang", "--env-file")
_STATIC = ("run", "serve", "mcp", "doctor", "demo", "skills", "runs", "config")


def _hoist_lang(args: list[str]) -> list[str]:
    """``legion doctor --lang zh`` means ``legion --lang zh doctor``: the language is one per
    invocation and may be given anywhere after a built-in command. (After a skill command,
    ``--lang`` is that command's: its own parameter, or the same choice of language.)"""
    i = 0
    while i < len(args) and args[i] in (*_ROOT_OPTIONS_WITH_VALUE, "--debug"):
        i += 1 if args[i] == "--debug" else 2
    if i >= len(args) or args[i] not in _STATIC:
        return args
    head, rest, lang = args[:i], [], []
    j = i
    while j < len(args):
        if args[j] == "--" and head[0:1] != ["--"]:
            rest.extend(args[j:])
            break
        if args[j] == "--lang" and j + 1 < len(args):
            lang = ["--lang", args[j + 1]]
            j += 2
        elif args[j].startswith("--lang="):
            lang = ["--lang", args[j].split("=", 1)[1]]
            j += 1
        else:
            rest.append(args[j])
            j += 1
    return [*lang, *head, *rest] if lang else args


def _command_given(args: list[str]) -> bool:
    """Whether ``args`` hold more than the root command's own options."""
    i = 0
    while i < len(args):
        a = args[i]
        if a in _ROOT_OPTIONS_WITH_VALUE:
            i += 2
        elif a.startswith(tuple(o + "=" for o in _ROOT_OPTIONS_WITH_VALUE)) or a == "--debug":
            i += 1
        else:
            return True
    return False


def _print_error(message: str) -> None:
    from rich.console import Console
    from rich.text import Text

    Console(stderr=True).print(Text(t("error_line", message=message), style="red"), soft_wrap=True)


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
