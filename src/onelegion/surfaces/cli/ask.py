"""`legion ask "goal"`: plan (commander.plan), show, approve / edit / cancel, run (commander.run).

The plan and the run are ordinary skill runs; this command only adds the approval step between
them. The files the plan names are allowed for its run, as paths named on the command line are.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import click

from onelegion.core.errors import UserError
from onelegion.surfaces.cli.running import finish
from onelegion.surfaces.cli.state import registry
from onelegion.surfaces.i18n import t

PLAN_SKILL = "commander.plan"
RUN_SKILL = "commander.run"


def named_paths(plan_output: dict[str, Any]) -> list[Path]:
    """The literal files of the plan (references to earlier steps excluded)."""
    files = [*plan_output.get("files_read", []), *plan_output.get("files_written", [])]
    return [Path(f).expanduser().resolve() for f in files if "${" not in f]


def edit_plan(text: str) -> dict[str, Any]:
    """The plan after the person edited it: in $EDITOR, or from a file they name."""
    import yaml

    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if editor:
        with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False, encoding="utf-8") as f:
            f.write(text)
            path = Path(f.name)
        try:
            subprocess.run([*shlex.split(editor), str(path)], check=False)
            edited = path.read_text(encoding="utf-8")
        finally:
            path.unlink(missing_ok=True)
    else:
        given = click.prompt(
            t("ask.edit_path"), type=click.Path(exists=True, dir_okay=False, path_type=str)
        )
        edited = Path(str(given)).read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(edited)
    except yaml.YAMLError as e:
        raise UserError(t("ask.edit_bad", error=str(e).splitlines()[0])) from None
    if not isinstance(data, dict):
        raise UserError(t("ask.edit_bad", error="not a mapping"))
    return data


def ask(goal: str, *, yes: bool, budget: float | None, as_json: bool) -> None:
    from onelegion.surfaces.cli.running import execute

    reg = registry()
    plan_skill, run_skill = reg.get(PLAN_SKILL), reg.get(RUN_SKILL)
    params: dict[str, Any] = {"goal": goal, "base_dir": str(Path.cwd())}
    if budget is not None:
        params["budget"] = budget
    planned = execute(plan_skill, params, roots=[], as_json=as_json)
    finish(planned)
    out = planned.output or {}
    run_params: dict[str, Any] = {"plan_run": planned.run_id}
    if budget is not None:
        run_params["budget"] = budget
    if not yes:
        while True:
            choice = click.prompt(
                t("ask.approve"), type=click.Choice(["y", "n", "e"]), default="n", err=True
            )
            if choice == "n":
                click.echo(t("ask.cancelled"), err=True)
                return
            if choice == "y":
                break
            plan_art = next((a for a in planned.artifacts if a.name == "plan.yaml"), None)
            text = Path(plan_art.path).read_text(encoding="utf-8") if plan_art else ""
            run_params = {k: v for k, v in run_params.items() if k != "plan_run"}
            run_params["plan"] = edit_plan(text)
            break
    result = execute(run_skill, run_params, roots=named_paths(out), as_json=as_json)
    finish(result)
    if result.output is not None and not result.output.get("ok", False):
        raise SystemExit(1)
