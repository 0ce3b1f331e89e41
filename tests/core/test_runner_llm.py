"""LLM through the runner: recorded calls, cache across runs, budget, real HTTP to a loopback fake."""

from __future__ import annotations

from pathlib import Path

import pytest

from onelegion.core.config import set_value
from onelegion.core.registry import Registry
from onelegion.core.runtime import Runtime
from tests.core import sample_skills
from tests.support.fake_openai import FakeOpenAI


def _registry() -> Registry:
    reg = Registry.from_entry_points()
    for s in sample_skills.SKILLS:
        reg.register(s)
    return reg


def test_llm_over_real_http_is_recorded_and_cached(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LEGION_LLM_API_KEY", "sk-test-secret-123")
    with FakeOpenAI(replies=["你好，我是测试模型"], api_key="sk-test-secret-123") as fake:
        set_value(home, "llm.model", f'"openai-compatible:fake-model@{fake.base_url}"')
        rt = Runtime.open(home, registry=_registry())
        first = rt.runner.run("testing.ask", {})
        second = rt.runner.run("testing.ask", {})  # not a run-cache hit (cacheable=False) ...
        rt.close()
        assert first.output == second.output == {"text": "你好，我是测试模型"}
        assert len(fake.chat_requests) == 1  # ... but the LLM cache answered the second
        assert fake.chat_requests[0].model == "fake-model"
    rt = Runtime.open(home, registry=_registry())
    calls1 = rt.store.llm_calls(first.run_id)
    calls2 = rt.store.llm_calls(second.run_id)
    assert [c["cache_hit"] for c in calls1 + calls2] == [0, 1]
    assert (
        calls1[0]["model"].startswith("openai-compatible:fake-model@")
        and calls1[0]["tokens_in"] > 0
    )
    stored = b"".join(p.read_bytes() for p in home.glob("legion.db*"))
    assert b"sk-test-secret-123" not in stored
    rt.close()


def test_budget_exhaustion_stops_the_run(home: Path) -> None:
    from pydantic_ai.models.test import TestModel

    set_value(home, "llm.max_calls", "0")
    rt = Runtime.open(home, registry=_registry(), llm_model=TestModel(custom_output_text="hi"))
    result = rt.runner.run("testing.ask", {})
    rt.close()
    assert result.status == "failed" and result.error_kind == "run"
    assert result.error is not None and "budget" in result.error.lower()
