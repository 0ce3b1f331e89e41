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
from onelegion.surfaces.cli.config import config_app
from onelegion.surfaces.cli.running import invoke_skill
from onelegion.surfaces.cli.runs import runs_app
from onelegion.surfaces.cli.state import STATE, registry, runtime
from onelegion.surfaces.i18n import (
    ROOT_VALUE_OPTIONS,
    has,
    install_click_translations,
    lang_from_argv,
    normalize,
    set_language,
    t,
    usage_error_lines,
)

if TYPE_CHECKING:
    pass

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    rich_markup_mode=None,
)
skills_app = typer.Typer(no_args_is_help=False)
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


@app.command("ask")
def ask_cmd(
    goal: Annotated[str, typer.Argument()],
    yes: Annotated[bool, typer.Option("--yes", "-y")] = False,
    budget: Annotated[Optional[float], typer.Option("--budget")] = None,  # noqa: UP045
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    from onelegion.surfaces.cli.ask import ask

    ask(goal, yes=yes, budget=budget, as_json=as_json)


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


def _command_index(args: list[str]) -> int | None:
    """Where the command starts in ``args`` (after the root's own options), or None."""
    i = 0
    while i < len(args):
        a = args[i]
        if a in ROOT_VALUE_OPTIONS:
            i += 2
        elif a == "--debug" or a.startswith(tuple(o + "=" for o in ROOT_VALUE_OPTIONS)):
            i += 1
        else:
            return i
    return None


def _command_given(args: list[str]) -> bool:
    """Whether ``args`` hold more than the root command's own options."""
    return _command_index(args) is not None


def _hoist_lang(args: list[str]) -> list[str]:
    """``legion doctor --lang zh`` means ``legion --lang zh doctor``: the language is one per
    invocation and may be given anywhere after a built-in command (up to ``--``). After a skill
    command, ``--lang`` is that command's: its own parameter, or the same choice of language."""
    i = _command_index(args)
    built_in = {c.name for c in app.registered_commands} | {g.name for g in app.registered_groups}
    if i is None or args[i] not in built_in:
        return args
    rest: list[str] = []
    lang: list[str] = []
    j = i
    while j < len(args):
        if args[j] == "--":
            rest.extend(args[j:])
            break
        if args[j] == "--lang" and j + 1 < len(args):
            lang, j = ["--lang", args[j + 1]], j + 2
        elif args[j].startswith("--lang="):
            lang, j = ["--lang", args[j].split("=", 1)[1]], j + 1
        else:
            rest.append(args[j])
            j += 1
    return [*lang, *args[:i], *rest] if lang else args


def _print_error(message: str) -> None:
    from rich.console import Console
    from rich.text import Text

    Console(stderr=True).print(Text(t("error_line", message=message), style="red"), soft_wrap=True)


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
