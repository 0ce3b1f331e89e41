"""The gateway with in-process models (TestModel / FunctionModel): no HTTP, no real requests."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from typing import Any, Literal

import pytest
from pydantic import BaseModel
from pydantic_ai import models as pai_models
from pydantic_ai.messages import ModelMessage, ModelResponse, TextPart, ToolCallPart
from pydantic_ai.models.function import AgentInfo, FunctionModel
from pydantic_ai.models.test import TestModel
from pydantic_ai.usage import RequestUsage

from onelegion.core.config import LLMSettings
from onelegion.core.context import Context
from onelegion.core.errors import BudgetExceeded, Cancelled, ConfigError, NoModelConfigured
from onelegion.core.llm import (
    LLM,
    NO_MODEL_HINT,
    LLMCallRecord,
    LLMError,
    LLMRecorder,
    MemoryRecorder,
)
from onelegion.core.llm.providers import PROVIDERS


class Verdict(BaseModel):
    label: Literal["spam", "ok"]
    reason: str


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for p in PROVIDERS.values():
        if p.key_env:
            monkeypatch.delenv(p.key_env, raising=False)
    with pai_models.override_allow_model_requests(False):
        yield


class Scripted:
    """A FunctionModel body: answers from a list and keeps what it was sent."""

    def __init__(self, *answers: Any, tokens: tuple[int, int] = (100, 20)) -> None:
        self.answers = list(answers)
        self.tokens = tokens
        self.seen: list[tuple[list[ModelMessage], AgentInfo]] = []
        self.lock = threading.Lock()

    def __call__(self, messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        with self.lock:
            self.seen.append((messages, info))
            answer = self.answers.pop(0)
        usage = RequestUsage(input_tokens=self.tokens[0], output_tokens=self.tokens[1])
        if isinstance(answer, Exception):
            raise answer
        if isinstance(answer, str):
            return ModelResponse(parts=[TextPart(answer)], usage=usage)
        if info.output_tools:  # tool output mode
            part: Any = ToolCallPart(info.output_tools[0].name, answer)
        else:  # native / prompted: JSON text
            part = TextPart(json.dumps(answer))
        return ModelResponse(parts=[part], usage=usage)

    @property
    def calls(self) -> int:
        return len(self.seen)


def make_llm(script: Scripted, **kw: Any) -> tuple[LLM, MemoryRecorder]:
    rec = MemoryRecorder()
    return LLM(FunctionModel(script), recorder=rec, run_id="run-1", **kw), rec


def test_no_model_configured() -> None:
    llm = LLM.unconfigured()
    assert llm.available is False
    assert llm.model_id is None
    with pytest.raises(NoModelConfigured) as info:
        llm.ask("hello")
    assert info.value.one_line() == (
        "this step needs an LLM but none is configured — set one with "
        "`legion config set llm.model deepseek:deepseek-chat` (or LEGION_MODEL=...) "
        "and export its API key, e.g. DEEPSEEK_API_KEY"
    )
    assert info.value.hint == NO_MODEL_HINT
    assert llm.ping() == (False, f"no LLM configured — {NO_MODEL_HINT}")


def test_context_default_has_no_llm(tmp_path: Any) -> None:
    ctx = Context.for_testing(tmp_path)
    assert ctx.llm.available is False
    with pytest.raises(NoModelConfigured):
        ctx.llm.ask("hi")


def test_from_settings_unset_and_set() -> None:
    assert LLM.from_settings(LLMSettings(), run_id="r", recorder=None).available is False
    llm = LLM.from_settings(
        LLMSettings(model="deepseek:deepseek-chat", max_calls=7, budget_usd=1.5, cache=False),
        run_id="r",
        recorder=None,
    )
    assert llm.available is True
    assert llm.model_id == "deepseek:deepseek-chat"
    assert (llm.max_calls, llm.budget_usd, llm.cache_enabled, llm.temperature) == (
        7,
        1.5,
        False,
        0.2,
    )
    # a missing key does not break the run at construction: it surfaces on use
    with pytest.raises(ConfigError) as info:
        llm.ask("hi")
    assert "DEEPSEEK_API_KEY" in info.value.message
    ok, detail = llm.ping()
    assert ok is False
    assert "DEEPSEEK_API_KEY" in detail


def test_bad_model_string_surfaces_on_use() -> None:
    llm = LLM.from_settings(LLMSettings(model="gpt4"), run_id=None, recorder=None)
    assert llm.available is True
    with pytest.raises(ConfigError, match="unknown LLM model 'gpt4'"):
        llm.ask("hi")
    assert llm.ping()[0] is False


def test_test_model_string_gives_typed_output() -> None:
    llm = LLM("test")
    verdict = llm.ask("is this spam?", output_type=Verdict)
    assert isinstance(verdict, Verdict)
    assert verdict.label in ("spam", "ok")
    assert llm.ask("say something") == "success (no tool calls)"
    assert llm.ping() == (True, "test model (offline canned answers)")
    assert llm.usage.calls == 2
    llm.close()


def test_injected_test_model_with_custom_output() -> None:
    llm = LLM(TestModel(custom_output_args={"label": "spam", "reason": "links"}))
    assert llm.ask("x", output_type=Verdict) == Verdict(label="spam", reason="links")
    assert llm.model_id == "test:test"
    assert llm.ping() == (True, "test:test (in-process model)")


@pytest.mark.parametrize("mode", ["tool", "native", "prompted"])
def test_structured_output_modes(mode: Literal["tool", "native", "prompted"]) -> None:
    script = Scripted({"label": "ok", "reason": "plain question"})
    llm, _ = make_llm(script)
    out = llm.ask("Is 'hello' spam?", output_type=Verdict, system="You label comments.", mode=mode)
    assert out == Verdict(label="ok", reason="plain question")
    messages, info = script.seen[0]
    assert info.model_request_parameters.output_mode == mode
    assert [t.name for t in info.output_tools] == (["final_result"] if mode == "tool" else [])
    request = messages[0]
    assert "You label comments." in (request.instructions or "")  # type: ignore[union-attr]
    assert request.parts[-1].content == "Is 'hello' spam?"  # type: ignore[union-attr]
    assert info.model_settings is not None
    assert info.model_settings.get("temperature") == 0.2


def test_list_output_type() -> None:
    script = Scripted(
        {"response": [{"label": "ok", "reason": "a"}, {"label": "spam", "reason": "b"}]}
    )
    llm, _ = make_llm(script)
    out = llm.ask("label both", output_type=list[Verdict])
    assert out == [Verdict(label="ok", reason="a"), Verdict(label="spam", reason="b")]


def test_records_and_usage() -> None:
    script = Scripted("Bonjour", tokens=(120, 30))
    llm, rec = make_llm(script, price=(1.0, 2.0))
    assert llm.ask("Say hello in French") == "Bonjour"
    [record] = rec.records
    assert record.run_id == "run-1"
    assert record.model == "function:" + llm.model_id.split(":", 1)[1]  # type: ignore[union-attr]
    assert (record.tokens_in, record.tokens_out) == (120, 30)
    assert record.cost_usd == pytest.approx((120 * 1.0 + 30 * 2.0) / 1e6)
    assert (record.cache_hit, record.ok, record.error) == (False, True, None)
    assert len(record.prompt_hash) == 64
    assert record.latency_ms >= 0
    assert llm.records == [record]
    usage = llm.usage
    assert (usage.calls, usage.cache_hits, usage.tokens_in, usage.tokens_out) == (1, 0, 120, 30)
    assert isinstance(rec, LLMRecorder)


def test_cache_hit_makes_no_request() -> None:
    script = Scripted({"label": "spam", "reason": "buy now"})
    llm, rec = make_llm(script)
    first = llm.ask("BUY NOW!!!", output_type=Verdict, system="label")
    second = llm.ask("BUY NOW!!!", output_type=Verdict, system="label")
    assert first == second == Verdict(label="spam", reason="buy now")
    assert script.calls == 1
    assert [r.cache_hit for r in rec.records] == [False, True]
    hit = rec.records[1]
    assert (hit.tokens_in, hit.tokens_out, hit.cost_usd, hit.ok) == (0, 0, 0.0, True)
    assert hit.prompt_hash == rec.records[0].prompt_hash
    assert llm.usage.calls == 1
    assert llm.usage.cache_hits == 1
    # the cache survives the LLM object: a new run with the same store answers from it
    # (the request timeout is not part of the key: it does not change the answer)
    llm2 = LLM(FunctionModel(script), recorder=rec, run_id="run-2", timeout_s=5.0)
    assert llm2.ask("BUY NOW!!!", output_type=Verdict, system="label").label == "spam"
    assert script.calls == 1
    assert rec.records[-1].run_id == "run-2"


def test_cache_key_covers_system_prompt_schema_and_settings() -> None:
    class Other(BaseModel):
        label: str

    script = Scripted(*["x"] * 5, {"label": "z"}, "y")
    llm, rec = make_llm(script)
    llm.ask("p")
    llm.ask("p", system="s1")
    llm.ask("p", system="s2")
    llm.ask("q")
    llm.ask("p", temperature=0.9)
    llm.ask("p", output_type=Other)
    llm.ask("p", cache=False)
    assert script.calls == 7
    assert len({r.prompt_hash for r in rec.records}) == 6  # the cache=False call repeats "p"
    assert not any(r.cache_hit for r in rec.records)


def test_cache_disabled_in_settings() -> None:
    script = Scripted("a", "b")
    llm, rec = make_llm(script, cache=False)
    assert [llm.ask("same"), llm.ask("same")] == ["a", "b"]
    assert rec.cache == {}


def test_budget_by_calls() -> None:
    script = Scripted("1", "2", "3")
    llm, rec = make_llm(script, max_calls=2)
    assert llm.ask("one") == "1"
    assert llm.ask("two") == "2"
    assert llm.ask("one") == "1"  # cache hits are free
    with pytest.raises(BudgetExceeded) as info:
        llm.ask("three")
    assert info.value.message == "LLM call budget spent: 2 of 2 calls made in this run"
    assert info.value.hint == "raise it with `legion config set llm.max_calls 4`"
    assert script.calls == 2
    assert len(rec.records) == 3


def test_budget_by_cost() -> None:
    # 100k tokens in, 20k out at $1/$2 per million = $0.14 a call; budget $0.25
    script = Scripted("a", "b", "c", tokens=(100_000, 20_000))
    llm, rec = make_llm(script, price=(1.0, 2.0), budget_usd=0.25)
    llm.ask("first")
    llm.ask("second")  # $0.14 spent < $0.25: allowed, brings the total to $0.28
    with pytest.raises(BudgetExceeded) as info:
        llm.ask("third")
    assert (
        info.value.message == "LLM cost budget spent: $0.2800 of $0.25 (estimated) used in this run"
    )
    assert info.value.hint == "raise it with `legion config set llm.budget_usd 0.50`"
    assert script.calls == 2
    assert sum(r.cost_usd for r in rec.records) == pytest.approx(0.28)


def test_zero_budget_refuses_paid_but_not_free_models() -> None:
    paid, _ = make_llm(Scripted("a"), price=(1.0, 1.0), budget_usd=0.0)
    with pytest.raises(BudgetExceeded):
        paid.ask("hi")
    free, _ = make_llm(Scripted("a"), budget_usd=0.0)
    assert free.ask("hi") == "a"


def test_concurrent_threads_share_one_budget() -> None:
    script = Scripted(*[f"a{i}" for i in range(10)])
    llm, rec = make_llm(script, max_calls=5)
    results: list[str] = []
    refused: list[BudgetExceeded] = []
    lock = threading.Lock()

    def work(i: int) -> None:
        try:
            out = llm.ask(f"question {i}")
        except BudgetExceeded as e:
            with lock:
                refused.append(e)
        else:
            with lock:
                results.append(out)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 5
    assert len(refused) == 3
    assert script.calls == 5
    assert len(rec.records) == 5
    llm.close()


def test_ask_inside_a_running_event_loop() -> None:
    llm, _ = make_llm(Scripted("from a loop"))

    async def main() -> str:
        return llm.ask("hi")  # a sync skill called from async code must not deadlock

    assert asyncio.run(main()) == "from a loop"


def test_model_failure_is_recorded_and_translated() -> None:
    script = Scripted("not json at all", "still not json")
    llm, rec = make_llm(script)
    with pytest.raises(LLMError) as info:
        llm.ask("classify", output_type=Verdict, mode="prompted", retries=1)
    assert info.value.message.startswith("function:")
    assert "did not return a usable answer" in info.value.message
    assert info.value.hint == (
        "try another llm output mode (tool, native, prompted) or a stronger model"
    )
    assert script.calls == 2  # the invalid answer was sent back once for correction
    [record] = rec.records
    assert (record.ok, record.cache_hit) == (False, False)
    assert record.error == info.value.message
    assert (record.tokens_in, record.tokens_out) == (200, 40)  # spent tokens are still counted
    assert llm.usage.tokens_in == 200
    assert rec.cache == {}


def test_unknown_output_mode() -> None:
    with pytest.raises(ConfigError, match="unknown LLM output mode 'json'"):
        LLM("test", output_mode="json")  # type: ignore[arg-type]


def test_record_model_shape() -> None:
    assert list(LLMCallRecord.model_fields) == [
        "run_id",
        "model",
        "tokens_in",
        "tokens_out",
        "latency_ms",
        "cost_usd",
        "cache_hit",
        "ok",
        "error",
        "prompt_hash",
    ]


def test_context_for_testing_accepts_llm(tmp_path: Any) -> None:
    llm = LLM(TestModel(custom_output_text="hi there"))
    ctx = Context.for_testing(tmp_path, llm=llm)
    assert ctx.llm.available
    assert ctx.llm.ask("greet") == "hi there"


def test_a_bug_in_the_model_function_surfaces_and_is_recorded() -> None:
    script = Scripted(ValueError("boom"))
    llm, rec = make_llm(script)
    with pytest.raises(ValueError, match="boom"):
        llm.ask("hi")
    [record] = rec.records
    assert (record.ok, record.error) == (False, "ValueError: boom")


def test_cancel_during_a_request() -> None:
    stop = threading.Event()
    started = threading.Event()

    async def slow(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        started.set()
        await asyncio.sleep(30)
        return ModelResponse(parts=[TextPart("too late")])

    rec = MemoryRecorder()
    llm = LLM(FunctionModel(slow), recorder=rec, is_cancelled=stop.is_set)
    threading.Thread(target=lambda: (started.wait(10), stop.set()), daemon=True).start()
    with pytest.raises(Cancelled) as info:
        llm.ask("take your time")
    assert info.value.message == "the run was cancelled during an LLM request"
    [record] = rec.records
    assert (record.ok, record.error) == (False, "the run was cancelled during an LLM request")
    with pytest.raises(Cancelled, match="the run was cancelled"):
        llm.ask("another")  # refused before it is sent
    assert len(rec.records) == 1
    llm.close()


def test_scrub_removes_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    from onelegion.core.llm.errors import scrub

    monkeypatch.setenv("DASHSCOPE_API_KEY", "ds-plain-key-without-prefix")
    text = (
        "bad key ds-plain-key-without-prefix; header Authorization: Bearer abc.def-123; "
        "also sk-proj-AbCdEf123456 and sk-abc***xyz"
    )
    assert scrub(text) == "bad key ***; header Authorization: ***; also *** and ***"
