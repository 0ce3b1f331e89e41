"""The estimated LLM cost of a plan: each step's skill says about how many calls a run makes
(``Skill.llm_calls``; a boolean ``llm`` parameter set to false means none), priced at the
configured model's rate (core/llm/providers.py) with a typical call's size."""

from __future__ import annotations

from typing import Any

from onelegion.core.errors import ConfigError, UserError
from onelegion.core.llm.providers import estimate_cost, parse_model_string
from onelegion.core.registry import Registry
from onelegion.skills.commander.models import Estimate, Plan, StepEstimate

# a typical skill call: a prompt of a few thousand characters and a short structured answer
CALL_TOKENS_IN = 2000
CALL_TOKENS_OUT = 600


def call_price(model: str | None) -> float:
    """Estimated USD of one typical call with ``model`` (0 without one or for local models)."""
    if not model:
        return 0.0
    try:
        spec = parse_model_string(model)
    except ConfigError:
        return 0.0
    return estimate_cost(spec, CALL_TOKENS_IN, CALL_TOKENS_OUT)


def step_calls(skill_calls: int, input_fields: dict[str, Any], params: dict[str, Any]) -> int:
    if not skill_calls:
        return 0
    if "llm" in input_fields:
        info = input_fields["llm"]
        value = params.get("llm", info.get_default(call_default_factory=True))
        if value is False:
            return 0
    return skill_calls


def estimate(
    plan: Plan,
    registry: Registry,
    model: str | None,
    *,
    llm_available: bool,
    planning_usd: float = 0.0,
) -> Estimate:
    price = call_price(model)
    out = Estimate(model=model, planning_usd=round(planning_usd, 6))
    for step in plan.steps:
        try:
            skill = registry.get(step.skill)
        except UserError:
            continue
        calls = (
            step_calls(skill.llm_calls, dict(skill.input_model.model_fields), step.params)
            if llm_available
            else 0
        )
        cost = round(calls * price, 6)
        out.steps.append(StepEstimate(id=step.id, skill=step.skill, llm_calls=calls, cost_usd=cost))
        out.llm_calls += calls
        out.run_usd += cost
    out.run_usd = round(out.run_usd, 6)
    return out
