"""The planner's view of the skills: names, summaries and input schemas, built from the registry
once per set of skills (cached), so planning costs no schema building after the first time."""

from __future__ import annotations

import json
import threading
from typing import Any

from onelegion.core.registry import Registry
from onelegion.core.skill import Skill
from onelegion.skills.commander.plan import plannable

_CACHE: dict[tuple[tuple[str, str], ...], str] = {}
_LOCK = threading.Lock()

SYSTEM = """You are OneLegion's commander. You turn a person's goal into a plan made ONLY of the \
skills listed below, each with parameters valid for its JSON schema.

Rules:
- Use only skill names from the list; use only parameters from the skill's schema.
- Give every step a short id (letters, digits, - and _). A later step uses an earlier step's results \
with ${steps.<id>.artifacts.<name>} (the path of a file it wrote) or ${steps.<id>.output.<field>}.
- File names the person gives are used as they are (relative names stay relative).
- on_error is "stop" unless a later step does not need this one.
- Fewest steps that reach the goal. When no listed skill can do what is asked, return no steps \
and say why in "refusal" (one line).
"""


def _compact_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema without what only repeats itself: titles (the field names), ``anyOf [X, null]``
    (X, with its null default), ``format: path`` beside the path role. Shorter prompts, same
    meaning."""

    def strip(node: Any) -> Any:
        if isinstance(node, list):
            return [strip(v) for v in node]
        if not isinstance(node, dict):
            return node
        out = {k: strip(v) for k, v in node.items() if k != "title"}
        options = out.get("anyOf")
        if isinstance(options, list) and len(options) == 2 and {"type": "null"} in options:
            other = next(o for o in options if o != {"type": "null"})
            if isinstance(other, dict):
                del out["anyOf"]
                out = {**other, **out}
        if "x-legion-path" in out and out.get("format") == "path":
            del out["format"]
        return out

    compact: dict[str, Any] = strip(schema)
    return compact


def describe(skill: Skill[Any, Any]) -> str:
    schema = json.dumps(
        _compact_schema(skill.input_schema()), ensure_ascii=False, separators=(",", ":")
    )
    outputs = ", ".join(skill.output_model.model_fields)
    llm = f" (may call the LLM: ~{skill.llm_calls} call(s))" if skill.llm_calls else ""
    return (
        f"## {skill.name}{llm}\n{skill.summary}\ninput schema: {schema}\noutput fields: {outputs}"
    )


def skills_prompt(registry: Registry) -> str:
    """The skills section of the planner's instructions (cached per set of skills and versions)."""
    skills = plannable(registry)
    key = tuple((s.name, s.version) for s in skills)
    with _LOCK:
        hit = _CACHE.get(key)
    if hit is not None:
        return hit
    text = "# Skills\n\n" + "\n\n".join(describe(s) for s in skills)
    with _LOCK:
        _CACHE[key] = text
    return text


def system_prompt(registry: Registry) -> str:
    return SYSTEM + "\n" + skills_prompt(registry)
