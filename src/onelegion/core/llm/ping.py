"""``LLM.ping()``: one short ``GET …/models`` to tell ``legion doctor`` whether the model answers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from onelegion.core.errors import ConfigError
from onelegion.core.llm.errors import scrub
from onelegion.core.llm.loop import LoopThread
from onelegion.core.llm.providers import ModelSpec, api_key_for, openai_client_for
from onelegion.core.textsafe import hide_userinfo

if TYPE_CHECKING:
    import httpx2


def ping(
    spec: ModelSpec,
    loop: LoopThread,
    http_client: httpx2.AsyncClient | None,
    timeout_s: float,
) -> tuple[bool, str]:
    """``(ok, one line)``. Never raises for configuration or network problems; never shows a key."""
    if spec.provider == "test":
        return True, "test model (offline canned answers)"
    info = spec.info
    assert info is not None
    try:
        key = api_key_for(spec)
    except ConfigError as e:
        return False, e.one_line()
    base = spec.resolved_base_url()
    where = f"{info.label} at {hide_userinfo(base or '')}"
    client = openai_client_for(spec, key, http_client)

    async def list_models() -> list[str]:
        quick = client.with_options(timeout=timeout_s, max_retries=0)
        try:
            page = await quick.models.list()
            return [m.id for m in page.data]
        finally:
            if http_client is None:
                await client.close()

    import openai

    try:
        ids = loop.run(list_models(), timeout=timeout_s + 5)
    except openai.AuthenticationError:
        var = info.key_env or "the API key"
        return False, f"{where}: the API key was rejected — check {var}"
    except openai.NotFoundError:
        return True, f"{where}: reachable (it lists no models)"
    except openai.APIStatusError as e:
        return False, f"{where}: HTTP {e.status_code} — {scrub(_message(e))}"
    except (openai.APIConnectionError, TimeoutError) as e:
        reason = "timed out" if isinstance(e, openai.APITimeoutError | TimeoutError) else "refused"
        hint = (
            " — is `ollama serve` running? (OLLAMA_BASE_URL)"
            if spec.provider == "ollama"
            else " — check the network or proxy"
        )
        return False, f"{where}: not reachable ({reason}){hint}"
    listed = spec.name in ids
    if listed:
        return True, f"{where}: reachable, model {spec.name} available"
    if spec.provider == "ollama":
        return False, f"{where}: model {spec.name} is not pulled — run `ollama pull {spec.name}`"
    return True, f"{where}: reachable ({len(ids)} models listed; {spec.name} not among them)"


def _message(e: Any) -> str:
    body = getattr(e, "body", None)
    if isinstance(body, dict):
        err = body.get("error", body)
        if isinstance(err, dict) and err.get("message"):
            return str(err["message"])[:200]
    return str(getattr(e, "message", e))[:200]
