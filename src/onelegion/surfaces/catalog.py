"""How every surface describes a skill (one shape for CLI, API, MCP and agent tools)."""

from __future__ import annotations

from typing import Any

from onelegion.core.skill import Skill


def skill_info(skill: Skill[Any, Any], *, schemas: bool = True) -> dict[str, Any]:
    info: dict[str, Any] = {
        "name": skill.name,
        "title": skill.title,
        "summary": skill.summary,
        "version": skill.version,
        "cacheable": skill.cacheable,
        "description": skill.description,
        "examples": list(skill.examples),
        "path_fields": skill.path_fields(),
    }
    if schemas:
        info["input_schema"] = skill.input_schema()
        info["output_schema"] = skill.output_schema()
    return info


def tool_name(skill: Skill[Any, Any]) -> str:
    """A name valid for MCP / LLM tools: 'clean.table' -> 'clean_table'."""
    return skill.name.replace(".", "_").replace("-", "_")
