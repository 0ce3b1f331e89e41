"""Model strings, provider construction (no network) and the price table."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic_ai import models as pai_models
from pydantic_ai.models.ollama import OllamaModel
from pydantic_ai.models.openai import OpenAIChatModel
from pydantic_ai.models.test import TestModel

from onelegion.core.errors import ConfigError
from onelegion.core.llm.providers import (
    FALLBACK_PRICE,
    PRICES,
    PROVIDERS,
    ModelSpec,
    api_key_for,
    build_model,
    estimate_cost,
    parse_model_string,
    price_per_million,
)

ENV_VARS = [
    *(p.key_env for p in PROVIDERS.values() if p.key_env),
    *(p.base_url_env for p in PROVIDERS.values() if p.base_url_env),
    "OPENAI_ORG_ID",
    "OPENAI_PROJECT_ID",
]


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for var in ENV_VARS:
        monkeypatch.delenv(var, raising=False)
    with pai_models.override_allow_model_requests(False):
        yield


@pytest.mark.parametrize(
    ("text", "provider", "name", "model_id"),
    [
        ("deepseek:deepseek-chat", "deepseek", "deepseek-chat", "deepseek:deepseek-chat"),
        ("openai:gpt-4o-mini", "openai", "gpt-4o-mini", "openai:gpt-4o-mini"),
        ("ollama:qwen2.5:7b", "ollama", "qwen2.5:7b", "ollama:qwen2.5:7b"),
        ("qwen:qwen-plus", "qwen", "qwen-plus", "qwen:qwen-plus"),
        ("dashscope:qwen-plus", "qwen", "qwen-plus", "qwen:qwen-plus"),
        ("kimi:moonshot-v1-8k", "kimi", "moonshot-v1-8k", "kimi:moonshot-v1-8k"),
        ("moonshot:moonshot-v1-8k", "kimi", "moonshot-v1-8k", "kimi:moonshot-v1-8k"),
        ("  DeepSeek:deepseek-chat ", "deepseek", "deepseek-chat", "deepseek:deepseek-chat"),
        ("test", "test", "test", "test"),
    ],
)
def test_parse_model_strings(text: str, provider: str, name: str, model_id: str) -> None:
    spec = parse_model_string(text)
    assert (spec.provider, spec.name, spec.base_url) == (provider, name, None)
    assert spec.id == model_id


def test_parse_openai_compatible() -> None:
    spec = parse_model_string("openai-compatible:qwen2.5-7b-instruct@http://10.0.0.5:8000/v1/")
    assert spec == ModelSpec("openai-compatible", "qwen2.5-7b-instruct", "http://10.0.0.5:8000/v1")
    assert spec.id == "openai-compatible:qwen2.5-7b-instruct@http://10.0.0.5:8000/v1"
    assert spec.resolved_base_url() == "http://10.0.0.5:8000/v1"
    assert spec.default_output_mode == "prompted"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the LLM model string is empty"),
        ("gpt-4o", "unknown LLM model 'gpt-4o'"),
        ("anthropic:claude", "unknown LLM model 'anthropic:claude'"),
        ("deepseek:", "no model name in 'deepseek:'"),
        (
            "openai-compatible:llama3",
            "invalid model 'openai-compatible:llama3': expected openai-compatible:MODEL@BASE_URL",
        ),
        (
            "openai-compatible:llama3@localhost:8000",
            "invalid model 'openai-compatible:llama3@localhost:8000': "
            "expected openai-compatible:MODEL@BASE_URL",
        ),
    ],
)
def test_parse_errors(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_model_string(text)
    assert info.value.message == message
    assert info.value.hint


def test_base_urls_defaults_and_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    assert parse_model_string("deepseek:deepseek-chat").resolved_base_url() == (
        "https://api.deepseek.com"
    )
    assert parse_model_string("qwen:qwen-plus").resolved_base_url() == (
        "https://dashscope.aliyuncs.com/compatible-mode/v1"
    )
    assert parse_model_string("kimi:moonshot-v1-8k").resolved_base_url() == (
        "https://api.moonshot.cn/v1"
    )
    ollama = parse_model_string("ollama:qwen2.5:7b")
    assert ollama.resolved_base_url() == "http://127.0.0.1:11434/v1"
    monkeypatch.setenv("OLLAMA_BASE_URL", "http://gpu-box:11434")  # Ollama's own style, no /v1
    assert ollama.resolved_base_url() == "http://gpu-box:11434/v1"
    monkeypatch.setenv("OLLAMA_BASE_URL", "http://gpu-box:11434/v1/")
    assert ollama.resolved_base_url() == "http://gpu-box:11434/v1"
    monkeypatch.setenv(
        "DASHSCOPE_BASE_URL", "https://dashscope-intl.aliyuncs.com/compatible-mode/v1"
    )
    assert parse_model_string("qwen:qwen-plus").resolved_base_url() == (
        "https://dashscope-intl.aliyuncs.com/compatible-mode/v1"
    )


@pytest.mark.parametrize(
    ("text", "var", "label"),
    [
        ("deepseek:deepseek-chat", "DEEPSEEK_API_KEY", "DeepSeek"),
        ("openai:gpt-4o-mini", "OPENAI_API_KEY", "OpenAI"),
        ("qwen:qwen-plus", "DASHSCOPE_API_KEY", "Qwen (DashScope)"),
        ("kimi:moonshot-v1-8k", "MOONSHOT_API_KEY", "Kimi (Moonshot)"),
    ],
)
def test_missing_key_names_the_variable(text: str, var: str, label: str) -> None:
    with pytest.raises(ConfigError) as info:
        build_model(parse_model_string(text))
    assert info.value.message == (
        f"{label} needs an API key: the environment variable {var} is not set"
    )
    assert info.value.hint == f"export {var}=... (keys are read from the environment only)"


def test_keys_optional_for_local_servers() -> None:
    assert api_key_for(parse_model_string("ollama:qwen2.5:7b")) is None
    assert api_key_for(parse_model_string("openai-compatible:m@http://127.0.0.1:1/v1")) is None


@pytest.mark.parametrize(
    ("text", "var", "provider_name", "base_url"),
    [
        ("deepseek:deepseek-chat", "DEEPSEEK_API_KEY", "deepseek", "https://api.deepseek.com"),
        ("openai:gpt-4o-mini", "OPENAI_API_KEY", "openai", "https://api.openai.com/v1/"),
        (
            "qwen:qwen-plus",
            "DASHSCOPE_API_KEY",
            "alibaba",
            "https://dashscope.aliyuncs.com/compatible-mode/v1",
        ),
        ("kimi:moonshot-v1-8k", "MOONSHOT_API_KEY", "moonshotai", "https://api.moonshot.cn/v1"),
    ],
)
def test_build_hosted_models(
    monkeypatch: pytest.MonkeyPatch, text: str, var: str, provider_name: str, base_url: str
) -> None:
    monkeypatch.setenv(var, "sk-unit-test-key-123456")
    model = build_model(parse_model_string(text))
    assert isinstance(model, OpenAIChatModel)
    assert model.model_name == text.split(":", 1)[1]
    assert model.system == provider_name
    assert str(model.client.base_url).rstrip("/") == base_url.rstrip("/")
    assert model.client.api_key == "sk-unit-test-key-123456"


def test_build_ollama_and_compatible_and_test() -> None:
    ollama = build_model(parse_model_string("ollama:qwen2.5:7b"))
    assert isinstance(ollama, OllamaModel)
    assert ollama.model_name == "qwen2.5:7b"
    assert str(ollama.client.base_url) == "http://127.0.0.1:11434/v1/"
    compat = build_model(parse_model_string("openai-compatible:llama3@http://127.0.0.1:8000/v1"))
    assert isinstance(compat, OpenAIChatModel)
    assert compat.model_name == "llama3"
    assert str(compat.client.base_url) == "http://127.0.0.1:8000/v1/"
    assert isinstance(build_model(parse_model_string("test")), TestModel)


def test_openai_key_never_goes_to_another_service(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-openai-secret-999999")
    compat = build_model(parse_model_string("openai-compatible:llama3@http://127.0.0.1:8000/v1"))
    assert isinstance(compat, OpenAIChatModel)
    assert compat.client.api_key != "sk-openai-secret-999999"


def test_prices() -> None:
    assert price_per_million(parse_model_string("deepseek:deepseek-chat")) == (0.28, 0.42)
    # longest prefix wins: gpt-4o-mini is not priced as gpt-4o
    assert price_per_million(parse_model_string("openai:gpt-4o-mini-2024-07-18")) == (0.15, 0.60)
    assert price_per_million(parse_model_string("openai:gpt-4o")) == (2.50, 10.00)
    assert price_per_million(parse_model_string("ollama:qwen2.5:7b")) == (0.0, 0.0)
    assert price_per_million(parse_model_string("test")) == (0.0, 0.0)
    assert price_per_million(parse_model_string("openai:some-future-model")) == FALLBACK_PRICE
    local = parse_model_string("openai-compatible:anything@http://192.168.1.20:8000/v1")
    assert price_per_million(local) == (0.0, 0.0)
    gateway = parse_model_string("openai-compatible:deepseek-chat@https://gw.example.com/v1")
    assert price_per_million(gateway) == (0.28, 0.42)
    unknown = parse_model_string("openai-compatible:mystery@https://gw.example.com/v1")
    assert price_per_million(unknown) == FALLBACK_PRICE
    spec = parse_model_string("qwen:qwen-plus")
    assert estimate_cost(spec, 1_000_000, 500_000) == pytest.approx(0.40 + 0.60)
    assert estimate_cost(spec, 1000, 200) == pytest.approx((1000 * 0.40 + 200 * 1.20) / 1e6)


def test_docs_price_table_matches_prices() -> None:
    docs = Path(__file__).resolve().parents[2] / "docs" / "llm.md"
    rows = re.findall(
        r"^\| `([a-z0-9-]+:[^`]+)` \| ([0-9.]+) \| ([0-9.]+) \|$", docs.read_text("utf-8"), re.M
    )
    assert {k: (float(i), float(o)) for k, i, o in rows} == PRICES
    assert f"| {FALLBACK_PRICE[0]:.2f} | {FALLBACK_PRICE[1]:.2f} (a conservative fallback" in (
        docs.read_text("utf-8")
    )


def test_a_base_url_with_a_port_that_is_not_a_number_is_refused_when_set() -> None:
    # README's placeholder `openai-compatible:MODEL@http://host:port/v1` was accepted by
    # `config set`, then every LLM call ended in "InvalidURL: Invalid port" (exit 1)
    with pytest.raises(ConfigError, match="invalid base URL"):
        parse_model_string("openai-compatible:MODEL@http://host:port/v1")
    assert parse_model_string("openai-compatible:m@http://host:8000/v1").base_url == (
        "http://host:8000/v1"
    )
