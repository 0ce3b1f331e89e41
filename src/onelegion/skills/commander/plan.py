"""Checking a plan against the registry: known skills, valid parameters, references to earlier
steps only, input files that exist. Also resolving references once the earlier steps ran.

Every problem is one line naming the step (``step 2 (clean.table): ...``): the planner sends them
back to the model to repair the plan, and a person reads them when a playbook is bad.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from onelegion.core.errors import UserError
from onelegion.core.lang import tr
from onelegion.core.registry import Registry
from onelegion.core.runner import format_validation_error, unknown_params_message
from onelegion.core.skill import Skill
from onelegion.skills.commander.models import Plan, PlanStep

REF_RE = re.compile(
    r"\$\{\s*steps\.([A-Za-z0-9_-]+)\.(artifacts|output|run_id)(?:\.([^}\s]+))?\s*\}"
)
# skills a plan may not name: the commander's own (no plans within plans)
OWN_GROUPS = ("commander", "playbook", "schedule")


class PlanInvalid(UserError):
    """A plan that cannot run as it is; ``problems`` lists every reason (one line each)."""

    def __init__(self, problems: list[str], missing: list[str] | None = None) -> None:
        self.problems = problems
        self.missing = missing or []  # input paths (as written) that do not exist
        first = problems[0] if problems else "invalid plan"
        more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(first + more)


@dataclass
class Files:
    read: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)


def plannable(registry: Registry) -> list[Skill[Any, Any]]:
    """The skills a plan may use: every registered one but the commander's own."""
    return [s for s in registry.all() if s.group not in OWN_GROUPS]


def refs_in(value: Any) -> Iterator[re.Match[str]]:
    """Every ``${steps...}`` reference inside a parameter value (strings, lists, dicts)."""
    if isinstance(value, str):
        yield from REF_RE.finditer(value)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from refs_in(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from refs_in(v)


def _skill(registry: Registry, name: str, names: list[str]) -> Skill[Any, Any] | None:
    if name not in names:
        return None
    return registry.get(name)


def check_plan(plan: Plan, registry: Registry, base_dir: Path, *, check_files: bool = True) -> Plan:
    """The plan with relative paths made absolute (against ``base_dir``), or PlanInvalid."""
    problems: list[str] = []
    missing: list[str] = []
    names = [s.name for s in plannable(registry)]
    seen: dict[str, Skill[Any, Any] | None] = {}
    steps: list[PlanStep] = []
    for n, step in enumerate(plan.steps, 1):
        where = f"step {n} ({step.skill})"
        if step.id in seen:
            problems.append(f"{where}: the id {step.id!r} is used by an earlier step")
        skill = _skill(registry, step.skill, names)
        if skill is None:
            close = difflib.get_close_matches(step.skill, names, n=1, cutoff=0.6)
            problems.append(
                f"{where}: no skill named {step.skill!r}"
                + (f" (did you mean {close[0]!r}?)" if close else "")
                + "; use only the listed skills"
            )
            seen[step.id] = None
            steps.append(step)
            continue
        problems.extend(_check_refs(where, step, seen))
        problems.extend(_check_params(where, skill, step.params))
        file_problems, params = _check_files(
            where, skill, dict(step.params), base_dir, check_files, missing
        )
        problems.extend(file_problems)
        seen[step.id] = skill
        steps.append(step.model_copy(update={"params": params}))
    if problems:
        raise PlanInvalid(problems, missing)
    return plan.model_copy(update={"steps": steps})


def _check_refs(
    where: str, step: PlanStep, earlier: Mapping[str, Skill[Any, Any] | None]
) -> list[str]:
    problems: list[str] = []
    for key, value in step.params.items():
        for m in refs_in(value):
            ref_id, kind, rest = m.group(1), m.group(2), m.group(3)
            if ref_id not in earlier:
                problems.append(
                    f"{where}: {key} refers to step {ref_id!r}, which is not an earlier step"
                )
                continue
            target = earlier[ref_id]
            if kind == "artifacts" and not rest:
                problems.append(
                    f"{where}: {key}: name the artifact (${{steps.{ref_id}.artifacts.NAME}})"
                )
            if kind == "output" and target is not None:
                top = (rest or "").split(".", 1)[0]
                fields = list(target.output_model.model_fields)
                if top not in fields:
                    close = difflib.get_close_matches(top, fields, n=1, cutoff=0.6)
                    problems.append(
                        f"{where}: {key} refers to output field {top!r} of {target.name}, which "
                        f"has none" + (f" (did you mean {close[0]!r}?)" if close else "")
                    )
    return problems


def _check_params(where: str, skill: Skill[Any, Any], params: dict[str, Any]) -> list[str]:
    unknown = skill.unknown_params(params)
    if unknown:
        return [f"{where}: {unknown_params_message(skill, unknown)}"]
    with_refs = {k for k, v in params.items() if any(True for _ in refs_in(v))}
    probe = {k: ("/ref" if k in with_refs else v) for k, v in params.items()}
    try:
        skill.input_model.model_validate(probe)
    except ValidationError as e:
        errors = [err for err in e.errors() if not (err["loc"] and str(err["loc"][0]) in with_refs)]
        if errors:
            kept = ValidationError.from_exception_data(e.title, errors)  # type: ignore[arg-type]
            return [f"{where}: {format_validation_error(kept)}"]
    return []


def _check_files(
    where: str,
    skill: Skill[Any, Any],
    params: dict[str, Any],
    base: Path,
    check: bool,
    missing: list[str],
) -> tuple[list[str], dict[str, Any]]:
    problems: list[str] = []
    out = dict(params)
    for name, role in skill.path_fields().items():
        value = params.get(name)
        if value is None or value == "":
            continue
        values = value if isinstance(value, list) else [value]
        fixed: list[Any] = []
        for v in values:
            if not isinstance(v, str) or any(True for _ in refs_in(v)):
                fixed.append(v)
                continue
            p = Path(v).expanduser()
            p = p if p.is_absolute() else base / p
            if check and role == "input-file" and not p.is_file():
                missing.append(v)
                problems.append(
                    f"{where}: {name}: "
                    + tr(
                        f"file not found: {v} (looked in {p.parent})",
                        f"找不到文件：{v}（在 {p.parent}）",
                    )
                )
            elif check and role == "input-path" and not p.exists():
                missing.append(v)
                problems.append(
                    f"{where}: {name}: "
                    + tr(f"file or folder not found: {v}", f"找不到文件或文件夹：{v}")
                )
            elif check and role == "input-dir" and not p.is_dir():
                missing.append(v)
                problems.append(
                    f"{where}: {name}: " + tr(f"folder not found: {v}", f"找不到文件夹：{v}")
                )
            fixed.append(str(p))
        out[name] = fixed if isinstance(value, list) else fixed[0]
    return problems, out


def plan_files(plan: Plan, registry: Registry) -> Files:
    """The files a plan's steps read and write (references shown as they are)."""
    files = Files()
    for step in plan.steps:
        try:
            skill = registry.get(step.skill)
        except UserError:
            continue
        for name, role in skill.path_fields().items():
            value = step.params.get(name)
            if value is None or value == "":
                continue
            for v in value if isinstance(value, list) else [value]:
                (files.written if role == "output-file" else files.read).append(str(v))
    return files


def plan_paths(plan: Plan, registry: Registry) -> list[Path]:
    """The literal (not referred) paths a plan names: allowed for its run, as paths named on
    the command line are."""
    out: list[Path] = []
    files = plan_files(plan, registry)
    for v in (*files.read, *files.written):
        if not any(True for _ in refs_in(v)):
            out.append(Path(v).expanduser().resolve())
    return out


# --- resolving -------------------------------------------------------------------------------
@dataclass
class Done:
    """What a finished step left for later steps."""

    run_id: str
    output: dict[str, Any]
    artifacts: dict[str, str]


def resolve(value: Any, done: Mapping[str, Done]) -> Any:
    """``value`` with every reference replaced by what the earlier step produced; KeyError names
    a reference that cannot be resolved (the step did not run or wrote no such artifact)."""
    if isinstance(value, str):
        whole = REF_RE.fullmatch(value.strip())
        if whole:
            return _lookup(whole, done)
        return REF_RE.sub(lambda m: str(_lookup(m, done)), value)
    if isinstance(value, list):
        return [resolve(v, done) for v in value]
    if isinstance(value, dict):
        return {k: resolve(v, done) for k, v in value.items()}
    return value


def _lookup(m: re.Match[str], done: Mapping[str, Done]) -> Any:
    ref_id, kind, rest = m.group(1), m.group(2), m.group(3)
    if ref_id not in done:
        raise KeyError(f"{m.group(0)}: step {ref_id!r} did not succeed")
    d = done[ref_id]
    if kind == "run_id":
        return d.run_id
    if kind == "artifacts":
        if rest not in d.artifacts:
            listed = ", ".join(sorted(d.artifacts)) or "none"
            raise KeyError(f"{m.group(0)}: step {ref_id!r} wrote no artifact {rest!r} ({listed})")
        return d.artifacts[rest]
    cur: Any = d.output
    for part in (rest or "").split("."):
        if isinstance(cur, dict) and part in cur:
            cur = cur[part]
        elif isinstance(cur, list) and part.isdigit() and int(part) < len(cur):
            cur = cur[int(part)]
        else:
            raise KeyError(f"{m.group(0)}: step {ref_id!r} has no output {rest!r}")
    return cur
