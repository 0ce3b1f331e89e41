"""Running one skill from the command line: parameters in, progress while it runs, the result
printed, and the exit code (0 done, 1 failed, 2 bad input, 124 timed out, 130 cancelled)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
import typer

from onelegion.surfaces.cli.state import runtime
from onelegion.surfaces.i18n import t

if TYPE_CHECKING:
    from onelegion.core.runner import RunResult
    from onelegion.core.skill import Skill


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
    view = ProgressView(skill.title, quiet=as_json or not err_console.is_terminal, logs=not as_json)
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
