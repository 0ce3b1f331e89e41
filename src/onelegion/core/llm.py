"""The LLM gateway (``ctx.llm``). Placeholder interface; the full gateway is being written."""

from __future__ import annotations

from typing import Any, TypeVar

from onelegion.core.errors import NoModelConfigured

T = TypeVar("T")

NO_MODEL_HINT = (
    "set one with `legion config set llm.model deepseek:deepseek-chat` "
    "(or LEGION_MODEL=...) and export its API key, e.g. DEEPSEEK_API_KEY"
)


class LLM:
    def __init__(self, model: str | None = None) -> None:
        self.model = model

    @classmethod
    def unconfigured(cls) -> LLM:
        return cls(None)

    @property
    def available(self) -> bool:
        return self.model is not None

    def ask(self, prompt: str, *, output_type: type[T] = str, system: str | None = None, **kw: Any) -> T:  # type: ignore[assignment]
        raise NoModelConfigured("no LLM is configured", hint=NO_MODEL_HINT)
