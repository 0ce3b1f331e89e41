"""Model strings → pydantic-ai models, and the per-model price table.

A model string names a provider and a model::

    deepseek:deepseek-chat                  DEEPSEEK_API_KEY    (DEEPSEEK_BASE_URL to override)
    openai:gpt-4o-mini                      OPENAI_API_KEY      (OPENAI_BASE_URL)
    qwen:qwen-plus                          DASHSCOPE_API_KEY   (DASHSCOPE_BASE_URL)
    kimi:moonshot-v1-8k                     MOONSHOT_API_KEY    (MOONSHOT_BASE_URL)
    ollama:qwen2.5:7b                       no key              (OLLAMA_BASE_URL, default local)
    openai-compatible:MODEL@BASE_URL        LEGION_LLM_API_KEY, optional
    test                                    pydantic-ai's TestModel: offline, for tests and demos

API keys are read from the environment only when the model is built, passed straight to the
client, and never stored on these objects, logged or put in messages (errors name the variable).
"""

from __future__ import annotations

import ipaddress
import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlparse

from onelegion.core.errors import ConfigError
from onelegion.core.textsafe import hide_userinfo

if TYPE_CHECKING:
    import httpx2
    from openai import AsyncOpenAI
    from pydantic_ai.models import Model

OutputMode = Literal["tool", "native", "prompted"]
OUTPUT_MODES: tuple[str, ...] = ("auto", "tool", "native", "prompted")


@dataclass(frozen=True)
class ProviderInfo:
    """How to reach one provider: default base URL and the environment variables involved."""

    name: str
    base_url: str
    key_env: str | None  # the API key variable (None: no key)
    key_required: bool
    base_url_env: str | None
    output_mode: OutputMode  # what "auto" means for this provider
    label: str


PROVIDERS: dict[str, ProviderInfo] = {
    "deepseek": ProviderInfo(
        "deepseek", "https://api.deepseek.com", "DEEPSEEK_API_KEY", True,
        "DEEPSEEK_BASE_URL", "tool", "DeepSeek",
    ),
    "openai": ProviderInfo(
        "openai", "https://api.openai.com/v1", "OPENAI_API_KEY", True,
        "OPENAI_BASE_URL", "tool", "OpenAI",
    ),
    "qwen": ProviderInfo(
        "qwen", "https://dashscope.aliyuncs.com/compatible-mode/v1", "DASHSCOPE_API_KEY", True,
        "DASHSCOPE_BASE_URL", "tool", "Qwen (DashScope)",
    ),
    "kimi": ProviderInfo(
        "kimi", "https://api.moonshot.cn/v1", "MOONSHOT_API_KEY", True,
        "MOONSHOT_BASE_URL", "tool", "Kimi (Moonshot)",
    ),
    "ollama": ProviderInfo(
        "ollama", "http://127.0.0.1:11434/v1", None, False,
        "OLLAMA_BASE_URL", "native", "Ollama",
    ),
    "openai-compatible": ProviderInfo(
        "openai-compatible", "", "LEGION_LLM_API_KEY", False,
        None, "prompted", "OpenAI-compatible server",
    ),
}  # fmt: skip

ALIASES = {"dashscope": "qwen", "moonshot": "kimi", "compatible": "openai-compatible"}

MODEL_STRING_HELP = (
    "use PROVIDER:MODEL with PROVIDER one of deepseek, openai, qwen, kimi, ollama "
    "(e.g. deepseek:deepseek-chat, ollama:qwen2.5:7b), "
    "openai-compatible:MODEL@http://host:port/v1, or test"
)


@dataclass(frozen=True)
class ModelSpec:
    """A parsed model string. Holds no secret."""

    provider: str  # a key of PROVIDERS, or "test"
    name: str
    base_url: str | None = None  # explicit URL (openai-compatible only)

    @property
    def id(self) -> str:
        """The canonical model string (``provider:name``), used in records and cache keys."""
        if self.provider == "test":
            return "test"
        if self.provider == "openai-compatible":
            return f"openai-compatible:{self.name}@{hide_userinfo(self.base_url or '')}"
        return f"{self.provider}:{self.name}"

    @property
    def info(self) -> ProviderInfo | None:
        return PROVIDERS.get(self.provider)

    def resolved_base_url(self) -> str | None:
        """The URL requests go to (environment overrides applied); None for the test model."""
        info = self.info
        if info is None:
            return None
        if self.base_url:
            return self.base_url
        env = os.environ.get(info.base_url_env) if info.base_url_env else None
        url = (env or info.base_url).strip().rstrip("/")
        if self.provider == "ollama" and not urlparse(url).path.strip("/"):
            url += "/v1"  # OLLAMA_BASE_URL=http://host:11434 (Ollama's own convention) works too
        return url

    @property
    def default_output_mode(self) -> OutputMode:
        info = self.info
        return info.output_mode if info is not None else "tool"


def parse_model_string(value: str) -> ModelSpec:
    """Parse ``provider:model`` (no network, no keys read). Raises ConfigError when malformed."""
    raw = value.strip()
    if not raw:
        raise ConfigError("the LLM model string is empty", hint=MODEL_STRING_HELP)
    if raw == "test":
        return ModelSpec("test", "test")
    provider, sep, rest = raw.partition(":")
    provider = ALIASES.get(provider.strip().lower(), provider.strip().lower())
    rest = rest.strip()
    if not sep or provider not in PROVIDERS:
        raise ConfigError(f"unknown LLM model {raw!r}", hint=MODEL_STRING_HELP)
    if provider == "openai-compatible":
        m = re.fullmatch(r"(?P<model>[^@\s]+)@(?P<url>https?://\S+)", rest)
        if m is None:
            raise ConfigError(
                f"invalid model {raw!r}: expected openai-compatible:MODEL@BASE_URL",
                hint="e.g. openai-compatible:qwen2.5-7b-instruct@http://127.0.0.1:8000/v1",
            )
        url = m.group("url").rstrip("/")
        try:
            host, _port = urlparse(url).hostname, urlparse(url).port  # a port must be a number
        except ValueError:
            host = None
        if not host:
            raise ConfigError(f"invalid base URL in {raw!r}", hint=MODEL_STRING_HELP)
        return ModelSpec(provider, m.group("model"), url)
    if not rest:
        raise ConfigError(f"no model name in {raw!r}", hint=MODEL_STRING_HELP)
    return ModelSpec(provider, rest)


def api_key_for(spec: ModelSpec) -> str | None:
    """The API key from the environment; ConfigError naming the variable when it is required."""
    info = spec.info
    if info is None or info.key_env is None:
        return None
    key = os.environ.get(info.key_env, "").strip()
    if key:
        return key
    if info.key_required:
        raise ConfigError(
            f"{info.label} needs an API key: the environment variable {info.key_env} is not set",
            hint=f"export {info.key_env}=... (keys are read from the environment only)",
        )
    return None


def build_model(spec: ModelSpec, http_client: httpx2.AsyncClient | None = None) -> Model:
    """The pydantic-ai model for ``spec``. Reads the API key from the environment; no network."""
    if spec.provider == "test":
        from pydantic_ai.models.test import TestModel

        return TestModel()
    key = api_key_for(spec)
    client = openai_client_for(spec, key, http_client)
    from pydantic_ai.models.openai import OpenAIChatModel

    provider: Any
    if spec.provider == "deepseek":
        from pydantic_ai.providers.deepseek import DeepSeekProvider

        provider = DeepSeekProvider(openai_client=client)
    elif spec.provider == "openai":
        from pydantic_ai.providers.openai import OpenAIProvider

        provider = OpenAIProvider(openai_client=client)
    elif spec.provider == "qwen":
        from pydantic_ai.providers.alibaba import AlibabaProvider

        provider = AlibabaProvider(openai_client=client)
    elif spec.provider == "kimi":
        from pydantic_ai.providers.moonshotai import MoonshotAIProvider

        provider = MoonshotAIProvider(openai_client=client)
    elif spec.provider == "ollama":
        from pydantic_ai.models.ollama import OllamaModel
        from pydantic_ai.providers.ollama import OllamaProvider

        return OllamaModel(spec.name, provider=OllamaProvider(openai_client=client))
    else:
        from pydantic_ai.profiles.openai import OpenAIModelProfile
        from pydantic_ai.providers.openai_compatible import OpenAICompatibleProvider

        # Prompted JSON without response_format: the one mode every server accepts.
        provider = OpenAICompatibleProvider(
            "openai-compatible",
            openai_client=client,
            profile=OpenAIModelProfile(supports_json_object_output=False),
        )
    return OpenAIChatModel(spec.name, provider=provider)


def openai_client_for(
    spec: ModelSpec, key: str | None, http_client: httpx2.AsyncClient | None
) -> AsyncOpenAI:
    """An ``AsyncOpenAI`` client for ``spec`` (no Authorization header when there is no key)."""
    from openai import AsyncOpenAI

    class _KeylessAsyncOpenAI(AsyncOpenAI):
        """Sends no Authorization header at all (a local server that needs no key)."""

        def _auth_headers(self, security: Any) -> dict[str, str]:
            return {}

        def _validate_headers(self, headers: Any, custom_headers: Any) -> None:
            return None

    cls = AsyncOpenAI if key else _KeylessAsyncOpenAI
    # An explicit key (or placeholder) always: otherwise the SDK would fall back to OPENAI_API_KEY
    # and send an OpenAI key to another service.
    kwargs: dict[str, Any] = {
        "base_url": spec.resolved_base_url(),
        "api_key": key or "no-key",
    }
    if http_client is not None:
        kwargs["http_client"] = http_client
    client = cls(**kwargs)
    if spec.provider != "openai":  # OPENAI_ORG_ID / OPENAI_PROJECT_ID are OpenAI's business only
        client.organization = None
        client.project = None
    return client


# --- prices -----------------------------------------------------------------------------------
# Estimated USD per million tokens (input, output), list prices checked in November 2025 for the
# default (pay-as-you-go) tier without cache discounts; Chinese providers converted from their
# international price lists. Keys are "provider:model-prefix"; the longest matching prefix wins.
# Local servers (ollama, openai-compatible on a loopback/private address) and the test model cost
# nothing. Any other model uses FALLBACK_PRICE so the per-run budget still bounds it.
PRICES: dict[str, tuple[float, float]] = {
    "deepseek:deepseek-chat": (0.28, 0.42),
    "deepseek:deepseek-reasoner": (0.28, 0.42),
    "deepseek:deepseek-v4": (0.28, 0.42),
    "deepseek:deepseek-flash": (0.28, 0.42),
    "openai:gpt-4o-mini": (0.15, 0.60),
    "openai:gpt-4o": (2.50, 10.00),
    "openai:gpt-4.1-nano": (0.10, 0.40),
    "openai:gpt-4.1-mini": (0.40, 1.60),
    "openai:gpt-4.1": (2.00, 8.00),
    "openai:gpt-5-nano": (0.05, 0.40),
    "openai:gpt-5-mini": (0.25, 2.00),
    "openai:gpt-5": (1.25, 10.00),
    "openai:o4-mini": (1.10, 4.40),
    "qwen:qwen-turbo": (0.05, 0.20),
    "qwen:qwen-flash": (0.05, 0.40),
    "qwen:qwen-plus": (0.40, 1.20),
    "qwen:qwen-max": (1.60, 6.40),
    "qwen:qwen3-max": (1.20, 6.00),
    "kimi:moonshot-v1-8k": (0.20, 2.00),
    "kimi:moonshot-v1-32k": (1.00, 3.00),
    "kimi:moonshot-v1-128k": (2.00, 5.00),
    "kimi:kimi-k2": (0.60, 2.50),
    "kimi:kimi-latest": (2.00, 5.00),
}
FALLBACK_PRICE: tuple[float, float] = (1.00, 3.00)
FREE: tuple[float, float] = (0.0, 0.0)


def price_per_million(spec: ModelSpec) -> tuple[float, float]:
    """(input, output) USD per million tokens for ``spec`` (see PRICES)."""
    if spec.provider in ("test", "ollama"):
        return FREE
    if spec.provider == "openai-compatible":
        if _is_local(spec.base_url or ""):
            return FREE
        # a known model behind a gateway costs what it costs at its maker
        for key in sorted(PRICES, key=len, reverse=True):
            if spec.name.startswith(key.split(":", 1)[1]):
                return PRICES[key]
        return FALLBACK_PRICE
    full = f"{spec.provider}:{spec.name}"
    for key in sorted(PRICES, key=len, reverse=True):
        if full.startswith(key):
            return PRICES[key]
    return FALLBACK_PRICE


def estimate_cost(spec: ModelSpec, tokens_in: int, tokens_out: int) -> float:
    """Estimated USD cost of one call."""
    p_in, p_out = price_per_million(spec)
    return (tokens_in * p_in + tokens_out * p_out) / 1_000_000


def _is_local(url: str) -> bool:
    host = urlparse(url).hostname or ""
    if host in ("localhost", "host.docker.internal") or host.endswith(".local"):
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    return ip.is_loopback or ip.is_private or ip.is_link_local
