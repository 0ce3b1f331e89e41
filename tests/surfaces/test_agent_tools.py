"""Skills as pydantic-ai tools: a model calls them and the runs are recorded like any other."""

from __future__ import annotations

import json

import pytest
from pydantic_ai import Agent
from pydantic_ai.messages import ModelMessage, ModelResponse, TextPart, ToolCallPart
from pydantic_ai.models.function import AgentInfo, FunctionModel

from onelegion.core.errors import UserError
from onelegion.core.runtime import Runtime
from onelegion.surfaces.agent import skill_tools


def test_tools_mirror_the_registry(runtime: Runtime) -> None:
    tools = skill_tools(runtime)
    names = {t.name for t in tools}
    assert names == {"util_echo", "util_wait", "testkit_count", "testkit_fail"}
    echo = next(t for t in tools if t.name == "util_echo")
    assert (
        echo.description
        == "Echo: Return the message unchanged (a no-op run, for checking the set-up)."
    )
    with pytest.raises(UserError, match="no skill named 'nope.x'"):
        skill_tools(runtime, names=["nope.x"])


def test_a_model_runs_a_skill_through_the_runner(runtime: Runtime) -> None:
    def model(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        returns = [
            p for m in messages for p in getattr(m, "parts", []) if p.part_kind == "tool-return"
        ]
        if not returns:
            return ModelResponse(parts=[ToolCallPart("util_echo", {"message": "来自模型"})])
        return ModelResponse(parts=[TextPart(json.dumps(returns[0].content, ensure_ascii=False))])

    agent = Agent(FunctionModel(model), tools=skill_tools(runtime, names=["util.echo"]))
    answer = json.loads(agent.run_sync("echo something").output)
    assert answer["status"] == "succeeded" and answer["output"] == {"message": "来自模型"}
    rec = runtime.store.get_run(answer["run_id"])
    assert rec is not None and rec.surface == "agent" and rec.params == {"message": "来自模型"}


def test_bad_params_go_back_to_the_model_as_a_retry(runtime: Runtime) -> None:
    seen: list[str] = []

    def model(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        turn = sum(1 for m in messages if isinstance(m, ModelResponse))
        if turn == 0:
            return ModelResponse(parts=[ToolCallPart("util_wait", {"seconds": -5})])
        seen.append(str(getattr(messages[-1].parts[-1], "content", "")))  # type: ignore[attr-defined]
        if turn == 1:
            return ModelResponse(parts=[ToolCallPart("util_wait", {"seconds": 0, "steps": 1})])
        return ModelResponse(parts=[TextPart("done")])

    agent = Agent(FunctionModel(model), tools=skill_tools(runtime, names=["util.wait"]))
    assert agent.run_sync("wait").output == "done"
    assert seen[0].startswith(
        "invalid parameters: seconds: Input should be greater than or equal to 0"
    )
    assert "'status': 'succeeded'" in seen[1]
    runs = runtime.store.list_runs()
    assert [(r.skill, r.surface, r.status) for r in runs] == [("util.wait", "agent", "succeeded")]
