"""How the gateway reports failures: pydantic-ai / SDK exceptions become one-line OneLegion errors
with the fix, and any API key text is scrubbed from every message."""

from __future__ import annotations

import os
import re

from onelegion.core.errors import Cancelled, ConfigError, LegionError, RunError
from onelegion.core.llm.loop import StopRequested
from onelegion.core.llm.providers import PROVIDERS, ModelSpec
from onelegion.core.textsafe import hide_userinfo


class LLMError(RunError):
    """A model request failed (server error, unreachable server, unusable answer)."""


class UnusableAnswer(LLMError):
    """The model answered, but not in the shape asked for (after the output retries)."""


_SECRET_PATTERNS = [
    re.compile(r"(?i)bearer\s+[^\s'\",;]+"),
    re.compile(r"\bsk-[A-Za-z0-9_\-*.]{6,}"),
]


def scrub(text: str) -> str:
    """``text`` with every configured API key (and key-looking token) replaced by ``***``."""
    for info in PROVIDERS.values():
        if info.key_env:
            value = os.environ.get(info.key_env, "").strip()
            if len(value) >= 4:
                text = text.replace(value, "***")
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub("***", text)
    return text


def _short(e: BaseException, limit: int = 240) -> str:
    body = getattr(e, "body", None)
    msg = ""
    if isinstance(body, dict):
        err = body.get("error", body)
        msg = str(err.get("message", "")) if isinstance(err, dict) else str(err)
    if not msg:
        msg = str(e)
    msg = " ".join(scrub(msg).split())
    return msg[:limit] + ("…" if len(msg) > limit else "")


def translate(e: Exception, spec: ModelSpec | None, model_id: str) -> LegionError | None:
    """A pydantic-ai / SDK exception as one actionable OneLegion error, secrets removed
    (None: not a model failure but a bug)."""
    from pydantic_ai import exceptions as x

    info = spec.info if spec is not None else None
    label = info.label if info is not None else model_id
    base = spec.resolved_base_url() if spec is not None else None
    where = hide_userinfo(base) if base else None
    key_env = info.key_env if info is not None else None
    if isinstance(e, LegionError):
        return e
    if isinstance(e, StopRequested):
        return Cancelled("the run was cancelled during an LLM request")
    if isinstance(e, x.ModelAuthenticationError):
        hint = f"check {key_env}" if key_env else "check the server's API key"
        return ConfigError(f"{label} rejected the API key ({_short(e)})", hint=hint)
    if isinstance(e, x.ModelNotFoundError):
        hint = (
            f"run `ollama pull {spec.name}`"
            if spec is not None and spec.provider == "ollama"
            else "check the model name in llm.model"
        )
        return ConfigError(
            f"{label} does not know the model of {model_id} ({_short(e)})", hint=hint
        )
    if isinstance(e, x.ModelRateLimitError | x.ModelQuotaExceededError):
        return LLMError(f"{label} refused the request: rate limit or quota ({_short(e)})")
    if isinstance(e, x.ModelConnectionError | x.ModelRequestTimeout | TimeoutError):
        return LLMError(
            f"could not get an answer from {where or label} ({_short(e) or type(e).__name__})",
            hint="check that the server is running and reachable (proxy, network), or raise "
            "llm.timeout_s",
        )
    if isinstance(e, x.ModelHTTPError):
        return LLMError(f"{label} answered HTTP {e.status_code}: {_short(e)}")
    if isinstance(e, x.ModelAPIError):
        return LLMError(f"{label} request failed: {_short(e)}")
    if isinstance(e, x.UnexpectedModelBehavior):
        return UnusableAnswer(
            f"{label} did not return a usable answer: {_short(e)}",
            hint="try another llm output mode (tool, native, prompted) or a stronger model",
        )
    if isinstance(e, x.UserError):
        return ConfigError(f"the LLM request is not possible: {_short(e)}")
    return None
