"""End to end over real HTTP: the gateway against FakeOpenAI on 127.0.0.1."""

from __future__ import annotations

import gc
import json
import socket
import threading
from collections.abc import Iterator
from typing import Any, Literal

import httpx2
import pytest
from pydantic import BaseModel
from pydantic_ai import models as pai_models

from onelegion.core.config import LLMSettings
from onelegion.core.errors import ConfigError
from onelegion.core.llm import LLM, LLMError, MemoryRecorder
from onelegion.core.llm.providers import PROVIDERS
from tests.support.fake_openai import FakeOpenAI, FakeRequest, Reply

SECRET = "sk-test-5eCr3t-abcdef123456"


class Verdict(BaseModel):
    label: Literal["spam", "ok"]
    reason: str


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for p in PROVIDERS.values():
        for var in (p.key_env, p.base_url_env):
            if var:
                monkeypatch.delenv(var, raising=False)
    with pai_models.override_allow_model_requests(True):
        yield


def compatible(
    fake: FakeOpenAI, model: str = "fake-model", **kw: Any
) -> tuple[LLM, MemoryRecorder]:
    rec = MemoryRecorder()
    settings = LLMSettings(model=f"openai-compatible:{model}@{fake.base_url}", **kw)
    return LLM.from_settings(settings, run_id="run-h", recorder=rec), rec


def test_plain_text_without_key() -> None:
    with FakeOpenAI(replies=["你好，世界"]) as fake:
        llm, rec = compatible(fake)
        assert llm.ask("Say hello in Chinese", system="Be brief.") == "你好，世界"
        llm.close()
    [req] = fake.requests
    assert req.path == "/v1/chat/completions"
    assert req.model == "fake-model"
    assert req.messages == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Say hello in Chinese"},
    ]
    assert req.body["temperature"] == 0.2
    assert req.authorization is None
    [record] = rec.records
    assert (record.tokens_in, record.tokens_out, record.cost_usd) == (10, 5, 0.0)
    assert record.model == f"openai-compatible:fake-model@{fake.base_url}"


def test_key_sent_when_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEGION_LLM_API_KEY", SECRET)
    with FakeOpenAI(replies=["ok"], api_key=SECRET) as fake:
        llm, _ = compatible(fake)
        assert llm.ask("hi") == "ok"
        llm.close()
    assert fake.requests[0].authorization == f"Bearer {SECRET}"


def test_compatible_default_is_prompted_json() -> None:
    with FakeOpenAI(replies=[{"label": "spam", "reason": "a link farm"}]) as fake:
        llm, _ = compatible(fake)
        out = llm.ask("Label: 'cheap pills here'", output_type=Verdict, system="You label.")
        llm.close()
    assert out == Verdict(label="spam", reason="a link farm")
    [req] = fake.requests
    assert req.tools == []
    assert req.response_format is None
    system = req.text_of("system")
    assert "You label." in system
    assert '"enum": ["spam", "ok"]' in system  # the schema travels in the instructions


def test_tool_mode_over_http() -> None:
    with FakeOpenAI(replies=[{"label": "ok", "reason": "fine"}]) as fake:
        llm, _ = compatible(fake)
        out = llm.ask("Label it", output_type=Verdict, mode="tool")
        llm.close()
    assert out == Verdict(label="ok", reason="fine")
    [req] = fake.requests
    assert req.tool_names == ["final_result"]
    assert req.body["tool_choice"] == "required"
    params = req.tools[0]["function"]["parameters"]
    assert params["required"] == ["label", "reason"]


def test_native_mode_over_http() -> None:
    with FakeOpenAI(replies=[{"label": "ok", "reason": "fine"}]) as fake:
        llm, _ = compatible(fake)
        out = llm.ask("Label it", output_type=Verdict, mode="native")
        llm.close()
    assert out.label == "ok"
    fmt = fake.requests[0].response_format
    assert fmt is not None
    assert fmt["type"] == "json_schema"
    assert fmt["json_schema"]["name"] == "Verdict"


def test_invalid_answer_is_retried_once() -> None:
    with FakeOpenAI(replies=["I think it is spam", {"label": "spam", "reason": "ads"}]) as fake:
        llm, rec = compatible(fake)
        out = llm.ask("Label it", output_type=Verdict)
        llm.close()
    assert out == Verdict(label="spam", reason="ads")
    assert len(fake.chat_requests) == 2
    second = fake.chat_requests[1]
    assert {"role": "assistant", "content": "I think it is spam"} in second.messages
    assert second.messages[-1]["role"] == "user"  # the correction request
    [record] = rec.records
    assert (record.tokens_in, record.tokens_out) == (20, 10)  # both requests counted


def test_cache_hit_over_http() -> None:
    with FakeOpenAI(replies=["first answer"]) as fake:
        llm, rec = compatible(fake)
        assert llm.ask("same question") == "first answer"
        assert llm.ask("same question") == "first answer"
        llm.close()
    assert len(fake.chat_requests) == 1
    assert [r.cache_hit for r in rec.records] == [False, True]


@pytest.mark.parametrize(
    ("model", "key_env", "base_env", "mode", "price"),
    [
        ("deepseek:deepseek-chat", "DEEPSEEK_API_KEY", "DEEPSEEK_BASE_URL", "tool", (0.28, 0.42)),
        ("openai:gpt-4o-mini", "OPENAI_API_KEY", "OPENAI_BASE_URL", "tool", (0.15, 0.60)),
        ("qwen:qwen-plus", "DASHSCOPE_API_KEY", "DASHSCOPE_BASE_URL", "tool", (0.40, 1.20)),
        ("kimi:moonshot-v1-8k", "MOONSHOT_API_KEY", "MOONSHOT_BASE_URL", "tool", (0.20, 2.00)),
        ("ollama:qwen2.5:7b", None, "OLLAMA_BASE_URL", "native", (0.0, 0.0)),
    ],
)
def test_each_provider_end_to_end(
    monkeypatch: pytest.MonkeyPatch,
    model: str,
    key_env: str | None,
    base_env: str,
    mode: str,
    price: tuple[float, float],
) -> None:
    name = model.split(":", 1)[1]
    reply = Reply(data={"label": "ok", "reason": "r"}, prompt_tokens=1000, completion_tokens=500)
    with FakeOpenAI(replies=[reply], api_key=SECRET if key_env else None) as fake:
        if key_env:
            monkeypatch.setenv(key_env, SECRET)
        monkeypatch.setenv(base_env, fake.base_url)
        rec = MemoryRecorder()
        llm = LLM.from_settings(LLMSettings(model=model), run_id="r", recorder=rec)
        assert llm.ask("Label it", output_type=Verdict) == Verdict(label="ok", reason="r")
        llm.close()
    [req] = fake.requests
    assert req.model == name
    assert req.authorization == (f"Bearer {SECRET}" if key_env else None)
    if mode == "tool":
        assert req.tool_names == ["final_result"]
    else:
        assert req.response_format is not None
        assert req.response_format["type"] == "json_schema"
    [record] = rec.records
    assert record.model == model
    assert record.cost_usd == pytest.approx((1000 * price[0] + 500 * price[1]) / 1e6)
    dumped = json.dumps([r.model_dump() for r in rec.records]) + repr(llm)
    assert SECRET not in dumped


def test_rejected_key_names_variable_never_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEEPSEEK_API_KEY", SECRET)
    echo = Reply(status=401, error=f"Authentication Fails, your api key: {SECRET} is invalid")
    with FakeOpenAI(replies=[echo]) as fake:
        monkeypatch.setenv("DEEPSEEK_BASE_URL", fake.base_url)
        rec = MemoryRecorder()
        llm = LLM("deepseek:deepseek-chat", recorder=rec, run_id="r")
        with pytest.raises(ConfigError) as info:
            llm.ask("hi")
        llm.close()
    err = info.value
    assert err.message.startswith("DeepSeek rejected the API key (")
    assert err.hint == "check DEEPSEEK_API_KEY"
    assert SECRET not in err.one_line()
    assert SECRET not in str(err)
    assert "***" in err.message
    [record] = rec.records
    assert record.ok is False
    assert record.error == err.message
    assert SECRET not in record.model_dump_json()
    assert len(fake.chat_requests) == 1  # 401 is not retried


def test_server_error_message(monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeOpenAI(replies=[Reply(status=400, error="context too long for this model")]) as fake:
        llm, rec = compatible(fake)
        with pytest.raises(LLMError) as info:
            llm.ask("hi")
        llm.close()
    assert info.value.message == (
        "OpenAI-compatible server answered HTTP 400: context too long for this model"
    )
    assert rec.records[0].ok is False


def test_ollama_model_not_found(monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeOpenAI(replies=[Reply(status=404, error='model "qwen2.5:7b" not found')]) as fake:
        monkeypatch.setenv("OLLAMA_BASE_URL", fake.base_url)
        llm = LLM("ollama:qwen2.5:7b")
        with pytest.raises(ConfigError) as info:
            llm.ask("hi")
        llm.close()
    assert info.value.hint == "run `ollama pull qwen2.5:7b`"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_unreachable_server() -> None:
    url = f"http://127.0.0.1:{_closed_port()}/v1"
    llm = LLM(f"openai-compatible:m@{url}", timeout_s=5)
    with pytest.raises(LLMError) as info:
        llm.ask("hi")
    assert info.value.message.startswith(f"could not get an answer from {url} (")
    assert info.value.hint is not None
    assert "server is running" in info.value.hint
    ok, detail = llm.ping(timeout_s=2)
    assert ok is False
    assert (
        detail
        == f"OpenAI-compatible server at {url}: not reachable (refused) — check the network or proxy"
    )
    llm.close()


def test_threads_share_an_injected_http_client() -> None:
    def echo(req: FakeRequest) -> str:
        return "echo: " + req.text_of("user")

    with FakeOpenAI(replies=[echo] * 6) as fake:
        client = httpx2.AsyncClient(timeout=10)
        rec = MemoryRecorder()
        llm = LLM.from_settings(
            LLMSettings(model=f"openai-compatible:m@{fake.base_url}"),
            run_id="r",
            recorder=rec,
            http_client=client,
        )
        answers: dict[int, str] = {}

        def work(i: int) -> None:
            answers[i] = llm.ask(f"question {i}")

        threads = [threading.Thread(target=work, args=(i,)) for i in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        llm.close()
        assert client.is_closed is False  # the owner of an injected client closes it
        with pytest.raises(RuntimeError, match="gateway was closed"):
            llm.ask("after close")
        assert llm.ask("question 1") == "echo: question 1"  # the cache still answers
    assert answers == {i: f"echo: question {i}" for i in range(6)}
    assert len(fake.chat_requests) == 6
    assert len(rec.records) == 7
    assert all(r.ok for r in rec.records)


def test_ping_results(monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeOpenAI(models=["fake-model", "other"]) as fake:
        llm, _ = compatible(fake)
        assert llm.ping() == (
            True,
            f"OpenAI-compatible server at {fake.base_url}: reachable, model fake-model available",
        )
        llm2, _ = compatible(fake, model="absent")
        assert llm2.ping() == (
            True,
            f"OpenAI-compatible server at {fake.base_url}: reachable "
            "(2 models listed; absent not among them)",
        )
        monkeypatch.setenv("OLLAMA_BASE_URL", fake.base_url)
        ollama = LLM("ollama:qwen2.5:7b")
        assert ollama.ping() == (
            False,
            f"Ollama at {fake.base_url}: model qwen2.5:7b is not pulled — "
            "run `ollama pull qwen2.5:7b`",
        )
        for x in (llm, llm2, ollama):
            x.close()
    assert [r.path for r in fake.requests] == ["/v1/models"] * 3
    assert all(r.authorization is None for r in fake.requests)


def test_ping_rejected_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOONSHOT_API_KEY", "sk-wrong-key-000000")
    with FakeOpenAI(api_key=SECRET) as fake:
        monkeypatch.setenv("MOONSHOT_BASE_URL", fake.base_url)
        llm = LLM("kimi:moonshot-v1-8k")
        ok, detail = llm.ping()
        llm.close()
    assert ok is False
    assert detail == (
        f"Kimi (Moonshot) at {fake.base_url}: the API key was rejected — check MOONSHOT_API_KEY"
    )
    assert fake.requests[0].authorization == "Bearer sk-wrong-key-000000"


def test_close_releases_thread_and_own_client() -> None:
    with FakeOpenAI(replies=["a", "b"]) as fake:
        llm, _ = compatible(fake)
        llm.ask("one")
        model, thread = llm._model, llm._loop._thread
        assert model is not None and thread is not None and thread.is_alive()
        llm.close()
        assert model.client.is_closed()  # type: ignore[attr-defined]
        assert not thread.is_alive()
        # a gateway nobody closes is released when it is garbage-collected
        forgotten, _ = compatible(fake)
        forgotten.ask("two")
        thread = forgotten._loop._thread
        assert thread is not None and thread.is_alive()
        del forgotten
        gc.collect()
        thread.join(timeout=10)
        assert not thread.is_alive()
