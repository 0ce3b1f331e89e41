"""`legion config`: show, set (validated against the settings schema) and the path of legion.toml."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

from onelegion.surfaces.cli.state import STATE
from onelegion.surfaces.i18n import t

if TYPE_CHECKING:
    pass

config_app = typer.Typer(no_args_is_help=True)


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
