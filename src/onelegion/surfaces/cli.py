"""The `legion` command. Static commands are here; skill commands are generated (cli_gen).

Heavy modules load only when a command needs them, so `legion --help` stays instant.
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
from onelegion.surfaces.i18n import set_language, t

if TYPE_CHECKING:
    from onelegion.core.registry import Registry
    from onelegion.core.runner import RunResult
    from onelegion.core.runtime import Runtime
    from onelegion.core.skill import Skill
    from onelegion.core.store import Store

HELP = """OneLegion (一人军团): AI workers for a one-person studio.

Every skill runs the same way from here, the HTTP API (`legion serve`) and MCP (`legion mcp`);
each run is recorded (`legion runs list`). No API key needed: an LLM only adds to the
deterministic path. Start with `legion demo`, then `legion doctor`.
"""

app = typer.Typer(
    help=HELP,
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    rich_markup_mode=None,
)
skills_app = typer.Typer(
    help="List skills and show their input/output schemas.", no_args_is_help=False
)
runs_app = typer.Typer(
    help="Recorded runs: list, show, artifacts, rerun, cancel.", no_args_is_help=True
)
config_app = typer.Typer(
    help="Show or change settings (legion.toml in LEGION_HOME).", no_args_is_help=True
)
app.add_typer(skills_app, name="skills")
app.add_typer(runs_app, name="runs")
app.add_typer(config_app, name="config")

_STATE: dict[str, Any] = {"home": None, "debug": False, "runtime": None, "registry": None}


def registry() -> Registry:
    if _STATE["registry"] is None:
        from onelegion.core.registry import Registry

        _STATE["registry"] = Registry.from_entry_points()
    reg: Registry = _STATE["registry"]
    return reg


def runtime() -> Runtime:
    if _STATE["runtime"] is None:
        from onelegion.core.runtime import Runtime

        _STATE["runtime"] = Runtime.open(_STATE["home"], registry=registry())
    rt: Runtime = _STATE["runtime"]
    return rt


def store() -> Store:
    """The run store alone (no settings, HTTP or executor): fast for `runs list/show`."""
    if _STATE["runtime"] is not None:
        return _STATE["runtime"].store  # type: ignore[no-any-return]
    if _STATE.get("store") is None:
        from onelegion.core.home import default_home
        from onelegion.core.store import Store

        home = Path(_STATE["home"]).expanduser() if _STATE["home"] else default_home()
        st = Store(home / "legion.db")
        st.mark_interrupted()
        _STATE["store"] = st
    return _STATE["store"]  # type: ignore[no-any-return]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"onelegion {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    home: Annotated[
        Optional[Path],  # noqa: UP045 (typer needs Optional on 3.11)
        typer.Option("--home", help="Data folder (default: $LEGION_HOME or the user data dir)."),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
    lang: Annotated[
        str, typer.Option("--lang", help="Messages language: auto, en or zh.")
    ] = "auto",
    env_file: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--env-file", help="Read API keys from this .env file."),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    _STATE["home"] = home
    _STATE["debug"] = debug
    set_language(lang)
    if env_file is not None:
        from dotenv import load_dotenv

        if not env_file.is_file():
            raise click.UsageError(f"--env-file: no such file: {env_file}")
        load_dotenv(env_file, override=False)


# --- running skills ---------------------------------------------------------------------
def invoke_skill(skill: Skill[Any, Any], values: dict[str, Any], common: dict[str, Any]) -> None:
    """Run one skill from the command line and print its result; exit code from the outcome."""
    from onelegion.surfaces.cli_gen import parse_param_pairs

    params: dict[str, Any] = {}
    if common.get("_params_file"):
        try:
            loaded = json.loads(Path(common["_params_file"]).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as e:
            raise click.UsageError(f"--params-file: not a JSON object ({e})") from None
        if not isinstance(loaded, dict):
            raise click.UsageError("--params-file: expected a JSON object")
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
    from onelegion.surfaces.cli_render import ProgressView, err_console, print_result

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
    raise SystemExit(2 if result.error_kind == "user" else 1)


@app.command("run")
def run_cmd(
    name: Annotated[
        str, typer.Argument(help="Skill name, e.g. clean.table (see `legion skills`).")
    ],
    param: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option("--param", "-p", help="NAME=VALUE (value may be JSON); repeatable."),
    ] = None,
    params_file: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--params-file", help="JSON file of parameters."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    refresh: Annotated[bool, typer.Option("--refresh", help="Ignore the cache.")] = False,
    timeout: Annotated[
        Optional[float],  # noqa: UP045
        typer.Option("--timeout", help="Stop the run after SECONDS."),
    ] = None,
) -> None:
    """Run any skill by name with generic parameters.

    Example: legion run util.echo --param message=你好
    """
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
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """List every skill (from built-ins and plugins)."""
    if ctx.invoked_subcommand is not None:
        return
    from rich.table import Table

    from onelegion.surfaces.catalog import skill_info
    from onelegion.surfaces.cli_render import console

    skills = registry().all()
    if as_json:
        typer.echo(
            json.dumps([skill_info(s, schemas=False) for s in skills], ensure_ascii=False, indent=2)
        )
        return
    table = Table(box=None, header_style="bold")
    table.add_column("skill", style="bold cyan")
    table.add_column("command")
    table.add_column("summary")
    for s in skills:
        table.add_row(s.name, f"legion {s.group} {s.command}", s.summary)
    console.print(table)
    for name, err in registry().errors.items():
        console.print(f"[red]plugin {name!r} failed to load:[/] {err}")


@skills_app.command("show")
def skills_show(name: Annotated[str, typer.Argument(help="Skill name, e.g. clean.table.")]) -> None:
    """Print a skill's description and its input and output JSON schemas."""
    from onelegion.surfaces.catalog import skill_info

    typer.echo(json.dumps(skill_info(registry().get(name)), ensure_ascii=False, indent=2))


# --- runs -------------------------------------------------------------------------------
@runs_app.command("list")
def runs_list(
    limit: Annotated[int, typer.Option("--limit", "-n", help="How many (newest first).")] = 20,
    skill: Annotated[Optional[str], typer.Option("--skill", help="Only this skill.")] = None,  # noqa: UP045
    status: Annotated[Optional[str], typer.Option("--status", help="Only this status.")] = None,  # noqa: UP045
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """The newest runs."""
    from onelegion.surfaces.cli_render import console, runs_table

    runs = store().list_runs(limit=limit, skill=skill, status=status)
    if as_json:
        typer.echo(json.dumps([r.model_dump() for r in runs], ensure_ascii=False, indent=2))
    elif not runs:
        console.print(t("no_runs"))
    else:
        console.print(runs_table(runs))


def _resolve(run_ref: str) -> str:
    from onelegion.core.errors import UserError

    run_id = store().resolve_id(run_ref)
    if run_id is None:
        raise UserError(f"no run matches {run_ref!r}", hint="see `legion runs list`")
    return run_id


@runs_app.command("show")
def runs_show(
    run: Annotated[str, typer.Argument(help="Run id, a unique prefix, or 'last'.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """One run: params, status, output, events, artifacts and LLM calls."""
    from rich.json import JSON
    from rich.panel import Panel

    from onelegion.surfaces.cli_render import STATUS_STYLE, console

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
        f"[bold]{rec.skill}[/] v{rec.version} · [{style}]{rec.status}[/] · {rec.surface}"
        f" · {rec.duration_ms or 0:.0f} ms"
        + (f" · cached from {rec.cached_from}" if rec.cached_from else "")
    )
    console.print(Panel(head, title=rec.id, title_align="left"))
    console.print("[bold]params[/]")
    console.print(JSON.from_data(rec.params))
    if rec.error:
        console.print(f"[red]error:[/] {rec.error}")
        tb_text = st.traceback(run_id)
        if tb_text and _STATE["debug"]:
            console.print(tb_text)
    if rec.output is not None:
        console.print("[bold]output[/]")
        text = json.dumps(rec.output, ensure_ascii=False)
        console.print(JSON(text[:20000]) if len(text) <= 20000 else text[:20000] + " …")
    console.print(f"[bold]events[/] {len(events)} ({', '.join(sorted({e.kind for e in events}))})")
    for a in arts:
        console.print(f"[bold]artifact[/] {a.name}  {a.path}")
    if calls:
        tok_in = sum(c["tokens_in"] for c in calls)
        tok_out = sum(c["tokens_out"] for c in calls)
        cost = sum(c["cost_usd"] for c in calls)
        hits = sum(c["cache_hit"] for c in calls)
        console.print(
            f"[bold]llm[/] {len(calls)} calls ({hits} cached) · {tok_in}+{tok_out} tokens · ${cost:.4f}"
        )


@runs_app.command("artifacts")
def runs_artifacts(
    run: Annotated[str, typer.Argument(help="Run id, a unique prefix, or 'last'.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """The files a run produced."""
    from rich.table import Table

    from onelegion.surfaces.cli_render import console

    arts = store().artifacts(_resolve(run))
    if as_json:
        typer.echo(json.dumps([a.model_dump() for a in arts], ensure_ascii=False, indent=2))
        return
    table = Table(box=None, header_style="bold")
    for col in ("name", "media type", "size", "path"):
        table.add_column(col)
    for a in arts:
        table.add_row(a.name, a.media_type, str(a.size), a.path)
    console.print(table)


@runs_app.command("rerun")
def runs_rerun(
    run: Annotated[str, typer.Argument(help="Run id, a unique prefix, or 'last'.")],
    refresh: Annotated[bool, typer.Option("--refresh", help="Ignore the cache.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Run a recorded run again with the same parameters (a cache hit unless --refresh)."""
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
    run: Annotated[str, typer.Argument(help="Run id, a unique prefix, or 'last'.")],
) -> None:
    """Ask a queued or running run to stop (also one started by `legion serve`)."""
    run_id = _resolve(run)
    if runtime().runner.cancel(run_id):
        typer.echo(f"cancel requested: {run_id}")
    else:
        typer.echo(f"{run_id} is not running")


# --- config -----------------------------------------------------------------------------
@config_app.command("show")
def config_show() -> None:
    """All settings, with secrets masked, and where they come from."""
    from rich.json import JSON

    from onelegion.core.config import Settings
    from onelegion.surfaces.cli_render import console

    settings = Settings.load(_STATE["home"])
    console.print(f"[dim]file: {settings.config_file} (environment LEGION_* overrides it)[/]")
    console.print(JSON.from_data(settings.public_dump()))


@config_app.command("set")
def config_set(
    key: Annotated[str, typer.Argument(help="Dotted key, e.g. llm.model or http.proxy.")],
    value: Annotated[str, typer.Argument(help="Value (TOML syntax for numbers, lists, booleans).")],
) -> None:
    """Change one setting in legion.toml (validated first; secrets are refused)."""
    from onelegion.core.config import Settings, set_value

    settings = Settings.load(_STATE["home"])
    path = set_value(settings.home, key, value)
    typer.echo(f"{key} = {value}  ({path})")


@config_app.command("path")
def config_path() -> None:
    """Print the path of legion.toml."""
    from onelegion.core.config import Settings

    typer.echo(str(Settings.load(_STATE["home"]).config_file))


# --- services ---------------------------------------------------------------------------
@app.command("serve")
def serve_cmd(
    host: Annotated[
        str | None, typer.Option("--host", help="Bind address [default: 127.0.0.1].")
    ] = None,
    port: Annotated[Optional[int], typer.Option("--port", help="Port [default: 8765].")] = None,  # noqa: UP045
    token: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--token", help="Bearer token (default: $LEGION_TOKEN); required off loopback."
        ),
    ] = None,
) -> None:
    """Serve the HTTP API (OpenAPI at /docs) on 127.0.0.1:8765."""
    from onelegion.surfaces.api import serve

    rt = runtime()
    serve(
        rt,
        host=host or rt.settings.api.host,
        port=port or rt.settings.api.port,
        token=token or os.environ.get("LEGION_TOKEN"),
    )


@app.command("mcp")
def mcp_cmd(
    http: Annotated[bool, typer.Option("--http", help="Streamable HTTP instead of stdio.")] = False,
    host: Annotated[str, typer.Option("--host", help="Bind address with --http.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port with --http.")] = 8766,
    token: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--token", help="Bearer token with --http (default: $LEGION_TOKEN)."),
    ] = None,
) -> None:
    """Serve every skill as an MCP tool (stdio by default)."""
    from onelegion.surfaces import mcp as mcp_surface

    rt = runtime()
    if http:
        mcp_surface.serve_http(
            rt, host=host, port=port, token=token or os.environ.get("LEGION_TOKEN")
        )
    else:
        mcp_surface.serve_stdio(rt)


@app.command("doctor")
def doctor_cmd(
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
    offline: Annotated[bool, typer.Option("--offline", help="Skip network checks.")] = False,
) -> None:
    """Check what works (Python, store, extras, ffmpeg, CJK font, LLM, sources) and how to fix the rest."""
    from onelegion.surfaces.cli_doctor import run_doctor

    ok = run_doctor(runtime(), as_json=as_json, offline=offline)
    if not ok:
        raise SystemExit(1)


@app.command("demo")
def demo_cmd(
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON summary.")] = False,
) -> None:
    """Run every skill on its bundled sample data (no API key, no internet) and show the reports."""
    from onelegion.surfaces.cli_demo import run_demo

    if not run_demo(as_json=as_json):
        raise SystemExit(1)


# --- entry point ------------------------------------------------------------------------
def build_cli() -> click.Group:
    from importlib.metadata import entry_points

    from onelegion.surfaces.cli_gen import SkillGroup, group_help

    group: click.Group = typer.main.get_group(app)  # type: ignore[assignment]
    # group names straight from the entry points: no skill code (or pydantic) is imported
    eps = {ep.name: ep.value for ep in entry_points(group="onelegion.skills")}
    for name in sorted(eps):
        if name not in group.commands:
            group.add_command(SkillGroup(name, registry, invoke_skill, group_help(eps[name])), name)
    return group


def main(argv: list[str] | None = None) -> None:
    from onelegion.core.errors import LegionError

    cli = build_cli()
    try:
        cli.main(args=argv, prog_name="legion", standalone_mode=False)
    except click.exceptions.Exit as e:
        raise SystemExit(e.exit_code) from None
    except click.ClickException as e:
        e.show()
        raise SystemExit(2) from None
    except click.exceptions.Abort:
        raise SystemExit(130) from None
    except LegionError as e:
        _print_error(e.one_line())
        if _STATE["debug"]:
            raise
        raise SystemExit(e.exit_code) from None
    except KeyboardInterrupt:
        raise SystemExit(130) from None
    except SystemExit:
        raise
    except Exception as e:
        if _STATE["debug"]:
            raise
        _print_error(f"unexpected {type(e).__name__}: {e} (run with --debug for the traceback)")
        raise SystemExit(1) from None


def _print_error(message: str) -> None:
    from rich.console import Console
    from rich.text import Text

    Console(stderr=True).print(Text(f"{t('error')}: {message}", style="red"), soft_wrap=True)


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
