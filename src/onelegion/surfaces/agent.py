"""Agent tools: every skill as a pydantic-ai tool, generated from the registry.

The commander (a later capability) and any pydantic-ai agent can hand these to a model::

    from pydantic_ai import Agent
    agent = Agent(model, tools=skill_tools(runtime, names=["clean.profile"]))

Each call goes through ``runtime.runner.submit(..., surface="agent")``, so it is validated,
path-checked, cached and recorded like a run from any other surface. Paths the model passes must
lie inside the allowed roots (workspace + ``allowed_roots``); the model names no extra roots.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from onelegion.core.errors import LegionError
from onelegion.surfaces.catalog import tool_name

if TYPE_CHECKING:
    from pydantic_ai import Tool

    from onelegion.core.runtime import Runtime
    from onelegion.core.skill import Skill


def _tool_for(runtime: Runtime, skill: Skill[Any, Any], timeout: float | None) -> Tool[Any]:
    from pydantic_ai import ModelRetry, Tool

    def call(**params: Any) -> dict[str, Any]:
        try:
            result = runtime.runner.run(skill.name, params, surface="agent", timeout=timeout)
        except LegionError as e:  # bad params or paths: let the model correct itself
            raise ModelRetry(e.one_line()) from None
        return {
            "run_id": result.run_id,
            "status": result.status,
            "error": result.error,
            "output": result.output,
            "artifacts": {a.name: a.path for a in result.artifacts},
        }

    return Tool.from_schema(
        call,
        name=tool_name(skill),
        description=f"{skill.title}: {skill.summary}",
        json_schema=skill.input_schema(),
    )


def skill_tools(
    runtime: Runtime, *, names: Iterable[str] | None = None, timeout: float | None = None
) -> list[Tool[Any]]:
    """pydantic-ai tools for the named skills (default: all)."""
    wanted = set(names) if names is not None else None
    skills = [s for s in runtime.registry.all() if wanted is None or s.name in wanted]
    if wanted is not None and (missing := wanted - {s.name for s in skills}):
        runtime.registry.get(sorted(missing)[0])  # raises the usual UserError with known names
    return [_tool_for(runtime, s, timeout) for s in skills]
