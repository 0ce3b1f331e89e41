"""Playbooks: plans saved as plain YAML under ``$LEGION_HOME/playbooks/<name>.yaml``, readable,
editable by hand, run again with no LLM.

The file carries ``format`` (:data:`PLAN_FORMAT`); a file of an older format is migrated when a
migration exists, otherwise refused in one line, as is one of a newer format.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from onelegion.core.errors import UserError
from onelegion.core.files import write_text
from onelegion.core.lang import tr
from onelegion.core.runner import format_validation_error
from onelegion.skills.commander.models import PLAN_FORMAT, Plan

HEADER = "# OneLegion playbook: `legion playbook run {name}` runs it (no LLM needed).\n"
# format N -> a function turning a format-N mapping into format N+1 (none yet: format 1 is the first)
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


def folder(home: Path) -> Path:
    return home / "playbooks"


def path_for(home: Path, name: str) -> Path:
    if "/" in name or "\\" in name or name.endswith((".yaml", ".yml")):
        return Path(name).expanduser()
    return folder(home) / f"{name}.yaml"


def dump(plan: Plan, name: str = "NAME") -> str:
    data = plan.model_dump(mode="json", exclude_defaults=False)
    for step in data["steps"]:
        if not step.get("why"):
            step.pop("why", None)
    body = str(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100))
    return HEADER.format(name=name) + body


def parse(text: str, source: str) -> Plan:
    """A plan from playbook text; UserError in one line for anything else."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        at = f" (line {mark.line + 1})" if mark is not None else ""
        raise UserError(
            tr(f"{source} is not valid YAML{at}", f"{source} 不是有效的 YAML{at}")
        ) from None
    if not isinstance(data, dict) or "steps" not in data:
        raise UserError(
            tr(f"{source} is not a playbook (no steps)", f"{source} 不是剧本（没有 steps）")
        )
    fmt = data.get("format")
    if not isinstance(fmt, int) or isinstance(fmt, bool):
        raise UserError(
            tr(
                f"{source} has no format number; it was not saved by `legion playbook save`",
                f"{source} 没有 format 版本号；它不是 `legion playbook save` 保存的",
            ),
            hint=tr(
                f"add `format: {PLAN_FORMAT}` if it follows this version's layout",
                f"若它符合当前格式，请加上 `format: {PLAN_FORMAT}`",
            ),
        )
    while fmt < PLAN_FORMAT and fmt in MIGRATIONS:
        data = MIGRATIONS[fmt](data)
        fmt = int(data["format"])
    if fmt < PLAN_FORMAT:
        raise UserError(
            tr(
                f"{source} is a playbook of format {fmt}, older than this version reads "
                f"({PLAN_FORMAT}), and has no migration",
                f"{source} 是第 {fmt} 版格式的剧本，比当前可读的版本（{PLAN_FORMAT}）旧，且无法迁移",
            ),
            hint=tr(
                "plan the goal again and save it: `legion ask ...` then "
                "`legion playbook save last NAME`",
                "请重新规划并保存：先 `legion ask ...` 再 `legion playbook save last 名称`",
            ),
        )
    if fmt > PLAN_FORMAT:
        raise UserError(
            tr(
                f"{source} is a playbook of format {fmt}, newer than this version reads "
                f"({PLAN_FORMAT})",
                f"{source} 是第 {fmt} 版格式的剧本，比当前可读的版本（{PLAN_FORMAT}）新",
            ),
            hint=tr("upgrade onelegion", "请升级 onelegion"),
        )
    try:
        return Plan.model_validate(data)
    except ValidationError as e:
        raise UserError(f"{source}: {format_validation_error(e)}") from None


def load(home: Path, name: str) -> tuple[Plan, Path]:
    p = path_for(home, name)
    if not p.is_file():
        names = ", ".join(list_names(home)) or tr("none yet", "暂无")
        raise UserError(
            tr(f"no playbook named {name!r}", f"没有名为 {name!r} 的剧本"),
            hint=tr(f"saved playbooks: {names}", f"已保存的剧本：{names}"),
        )
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise UserError(tr(f"cannot read {p}: {e}", f"无法读取 {p}：{e}")) from None
    return parse(text, p.name), p


def list_names(home: Path) -> list[str]:
    d = folder(home)
    return sorted(p.stem for p in d.glob("*.yaml")) if d.is_dir() else []


def save(home: Path, name: str, plan: Plan, *, force: bool = False) -> Path:
    p = path_for(home, name)
    if p.exists() and not force:
        raise UserError(
            tr(f"a playbook named {name!r} exists", f"已有名为 {name!r} 的剧本"),
            hint=tr("give another name, or --force to replace it", "换一个名字，或加 --force 覆盖"),
        )
    p.parent.mkdir(parents=True, exist_ok=True)
    write_text(p, dump(plan, name))
    return p
