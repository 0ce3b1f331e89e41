"""Scripted models for the commander's tests: pydantic-ai FunctionModel answers in order."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from pydantic_ai.messages import ModelMessage, ModelResponse, TextPart, ToolCallPart
from pydantic_ai.models.function import AgentInfo, FunctionModel


def scripted(answers: Iterable[Any], prompts: list[str] | None = None) -> FunctionModel:
    """Each request takes the next answer: a dict is the structured plan (a call of the output
    tool), a str is the model's raw text. ``prompts`` collects the user prompts sent."""
    queue = list(answers)

    def fn(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        if prompts is not None:
            last = messages[-1]
            prompts.append(
                "\n".join(str(getattr(p, "content", "")) for p in getattr(last, "parts", []))
            )
        if not queue:
            raise AssertionError("the scripted model ran out of answers")
        answer = queue.pop(0)
        if isinstance(answer, dict) and info.output_tools:
            return ModelResponse(
                parts=[ToolCallPart(info.output_tools[0].name, json.dumps(answer))]
            )
        text = answer if isinstance(answer, str) else json.dumps(answer, ensure_ascii=False)
        return ModelResponse(parts=[TextPart(text)])

    return FunctionModel(fn)


def two_step_plan(table: str) -> dict[str, Any]:
    return {
        "steps": [
            {"id": "clean", "skill": "clean.table", "params": {"path": table}},
            {
                "id": "profile",
                "skill": "clean.profile",
                "params": {"path": "${steps.clean.artifacts.cleaned}"},
            },
        ]
    }
