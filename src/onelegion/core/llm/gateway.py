"""The LLM gateway (``ctx.llm``): typed answers from any configured model, recorded, cached, budgeted.

    class Verdict(BaseModel):
        label: Literal["spam", "ok"]
        reason: str

    if ctx.llm.available:
        v = ctx.llm.ask(f"Is this spam? {text}", output_type=Verdict, system="You label comments.")

``ask`` is synchronous and thread-safe. Every call is recorded (:class:`LLMCallRecord`), answered
from the cache when an identical request was answered before (model, system, prompt, output schema
and settings), and refused with :class:`BudgetExceeded` once the run spent ``llm.max_calls`` calls or
``llm.budget_usd`` estimated dollars. Without a model, ``ask`` raises :class:`NoModelConfigured`.
Model strings and prices: :mod:`onelegion.core.llm.providers`.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
import weakref
from collections.abc import Callable
from typing import (
    TYPE_CHECKING,
    Any,
    Literal,
    TypeVar,
    cast,
    overload,
)

from pydantic import TypeAdapter, ValidationError

from onelegion.core.errors import (
    BudgetExceeded,
    Cancelled,
    ConfigError,
    NoModelConfigured,
)
from onelegion.core.llm.errors import scrub, translate
from onelegion.core.llm.loop import LoopThread
from onelegion.core.llm.providers import (
    OUTPUT_MODES,
    ModelSpec,
    OutputMode,
    estimate_cost,
    parse_model_string,
)
from onelegion.core.llm.records import LLMCallRecord, LLMRecorder, LLMUsage, MemoryRecorder

if TYPE_CHECKING:
    import httpx2
    from pydantic_ai.models import Model

    from onelegion.core.config import LLMSettings

__all__ = ["LLM", "NO_MODEL_HINT"]

T = TypeVar("T")
ModeChoice = Literal["auto", "tool", "native", "prompted"]

NO_MODEL_HINT = (
    "set one with `legion config set llm.model deepseek:deepseek-chat` "
    "(or LEGION_MODEL=...) and export its API key, e.g. DEEPSEEK_API_KEY"
)
CACHE_VERSION = 1
PING_TIMEOUT_S = 5.0


class LLM:
    """The gateway. One object per run (the budget is per run); ``LLM.from_settings`` in the runner.

    ``model`` is a model string (``"deepseek:deepseek-chat"``), a pydantic-ai ``Model`` instance
    (``TestModel``/``FunctionModel`` in tests) or None (no LLM). ``price`` overrides the price table
    with (input, output) USD per million tokens.
    """

    def __init__(
        self,
        model: str | Model | None = None,
        *,
        run_id: str | None = None,
        recorder: LLMRecorder | None = None,
        http_client: httpx2.AsyncClient | None = None,
        max_calls: int = 200,
        budget_usd: float = 0.50,
        timeout_s: float = 60.0,
        temperature: float | None = 0.2,
        cache: bool = True,
        output_mode: ModeChoice = "auto",
        price: tuple[float, float] | None = None,
        is_cancelled: Callable[[], bool] | None = None,
    ) -> None:
        if output_mode not in OUTPUT_MODES:
            raise ConfigError(
                f"unknown LLM output mode {output_mode!r}",
                hint="use one of: " + ", ".join(OUTPUT_MODES),
            )
        self.run_id = run_id
        self.recorder: LLMRecorder = recorder if recorder is not None else MemoryRecorder()
        self.max_calls = max_calls
        self.budget_usd = budget_usd
        self.timeout_s = timeout_s
        self.temperature = temperature
        self.cache_enabled = cache
        self.output_mode: ModeChoice = output_mode
        self._http_client = http_client
        self._price = price
        self._is_cancelled = is_cancelled
        self._spec: ModelSpec | None = None
        self._spec_error: ConfigError | None = None
        self._model: Model | None = None
        self._model_string: str | None = None
        if isinstance(model, str) and model.strip():
            self._model_string = model.strip()
            try:
                self._spec = parse_model_string(model)
            except ConfigError as e:  # raised by ask()/ping(), so runs without LLM use still work
                self._spec_error = e
        elif model is not None and not isinstance(model, str):
            self._model = model
        self._build_lock = threading.Lock()
        self._budget_lock = threading.Lock()
        self._usage = LLMUsage()
        self._records: list[LLMCallRecord] = []
        self._loop = LoopThread()
        self._closed = False
        self._owned: list[Model] = []  # models whose HTTP client this gateway opened
        # a gateway nobody closed still releases its thread and connections when collected
        self._finalizer = weakref.finalize(self, _release, self._loop, self._owned)

    # --- construction ---------------------------------------------------------------------
    @classmethod
    def from_settings(
        cls,
        settings: LLMSettings,
        *,
        run_id: str | None,
        recorder: LLMRecorder | None,
        http_client: httpx2.AsyncClient | None = None,
        is_cancelled: Callable[[], bool] | None = None,
    ) -> LLM:
        """The gateway of one run, from ``settings.llm``. Never raises for a bad model string or a
        missing key: that error surfaces on the first ``ask`` (and in ``ping``).
        ``is_cancelled``: polled during a request; True stops it with :class:`Cancelled`."""
        mode = cast(ModeChoice, getattr(settings, "output_mode", "auto") or "auto")
        return cls(
            settings.model,
            run_id=run_id,
            recorder=recorder,
            http_client=http_client,
            max_calls=settings.max_calls,
            budget_usd=settings.budget_usd,
            timeout_s=settings.timeout_s,
            temperature=settings.temperature,
            cache=settings.cache,
            output_mode=mode,
            is_cancelled=is_cancelled,
        )

    @classmethod
    def unconfigured(cls) -> LLM:
        """No model: ``available`` is False and ``ask`` raises NoModelConfigured."""
        return cls(None)

    # --- state ----------------------------------------------------------------------------
    @property
    def available(self) -> bool:
        """True when a model is configured (skills then may take their LLM path)."""
        return self._model_string is not None or self._model is not None

    @property
    def model_id(self) -> str | None:
        """The canonical model string (never a key), or None."""
        if self._spec is not None:
            return self._spec.id
        if self._model is not None:
            return f"{self._model.system}:{self._model.model_name}"
        return self._model_string

    @property
    def usage(self) -> LLMUsage:
        with self._budget_lock:
            return self._usage.model_copy()

    @property
    def records(self) -> list[LLMCallRecord]:
        """The records of this gateway's calls, in order (also sent to the recorder)."""
        with self._budget_lock:
            return list(self._records)

    def __repr__(self) -> str:
        return f"LLM(model={self.model_id!r}, run_id={self.run_id!r})"

    # --- asking ---------------------------------------------------------------------------
    @overload
    def ask(
        self,
        prompt: str,
        *,
        output_type: None = None,
        system: str | None = None,
        mode: ModeChoice | None = None,
        temperature: float | None = None,
        max_tokens: int | None = None,
        cache: bool | None = None,
        retries: int = 1,
    ) -> str: ...

    @overload
    def ask(
        self,
        prompt: str,
        *,
        output_type: type[T],
        system: str | None = None,
        mode: ModeChoice | None = None,
        temperature: float | None = None,
        max_tokens: int | None = None,
        cache: bool | None = None,
        retries: int = 1,
    ) -> T: ...

    def ask(
        self,
        prompt: str,
        *,
        output_type: Any = None,
        system: str | None = None,
        mode: ModeChoice | None = None,
        temperature: float | None = None,
        max_tokens: int | None = None,
        cache: bool | None = None,
        retries: int = 1,
    ) -> Any:
        """Ask the model; return an instance of ``output_type`` (default ``str``).

        ``output_type`` is ``str`` or any type pydantic validates (a BaseModel, ``list[Item]``…).
        ``mode`` picks how structured output is requested: ``"tool"`` (a tool call, the default
        for hosted APIs), ``"native"`` (JSON-schema response format, the default for Ollama),
        ``"prompted"`` (schema in the instructions, plain text back: works on any server; the
        default for ``openai-compatible``). ``cache=False`` skips the cache for this call.
        ``retries``: how often an invalid structured answer is sent back for correction.
        """
        out_type: Any = str if output_type is None else output_type
        spec = self._resolve_spec()
        model_id = self.model_id or "?"
        resolved_mode = self._resolve_mode(spec, mode)
        settings = self._model_settings(temperature, max_tokens)
        adapter: TypeAdapter[Any] = TypeAdapter(out_type)
        schema = {"type": "string"} if out_type is str else adapter.json_schema()
        answer_settings = {k: v for k, v in settings.items() if k != "timeout"}
        answer_settings.update(mode=None if out_type is str else resolved_mode, retries=retries)
        key = _cache_key(model_id, system, prompt, schema, answer_settings)
        use_cache = self.cache_enabled if cache is None else cache

        if use_cache:
            cached = self.recorder.llm_cache_get(key)
            if cached is not None:
                try:
                    value = adapter.validate_json(cached)
                except ValidationError:
                    value = None
                else:
                    self._finish(model_id, key, 0, 0, 0.0, 0.0, cache_hit=True, error=None)
                    return value

        if self._closed:
            raise RuntimeError("this LLM gateway was closed (its run is over)")
        if self._is_cancelled is not None and self._is_cancelled():
            raise Cancelled("the run was cancelled")
        self._reserve(spec, system, prompt, schema)
        model = self._get_model(spec)
        from pydantic_ai.usage import RunUsage

        usage = RunUsage()  # filled by every request, also those of a run that fails later
        started = time.perf_counter()
        try:
            result = self._run(
                model, prompt, out_type, system, resolved_mode, settings, retries, usage
            )
        except Exception as e:
            latency = (time.perf_counter() - started) * 1000
            err = translate(e, spec, model_id)
            message = err.message if err is not None else scrub(f"{type(e).__name__}: {e}")[:300]
            t_in, t_out = int(usage.input_tokens or 0), int(usage.output_tokens or 0)
            cost = self._cost(spec, t_in, t_out)
            self._finish(model_id, key, t_in, t_out, latency, cost, cache_hit=False, error=message)
            if err is None:
                raise  # a bug, not a model failure: let it surface with its traceback
            raise err from None
        latency = (time.perf_counter() - started) * 1000
        tokens_in, tokens_out = int(usage.input_tokens or 0), int(usage.output_tokens or 0)
        cost = self._cost(spec, tokens_in, tokens_out)
        output = result.output
        self._finish(
            model_id, key, tokens_in, tokens_out, latency, cost, cache_hit=False, error=None
        )
        if use_cache:
            self.recorder.llm_cache_put(key, model_id, adapter.dump_json(output).decode("utf-8"))
        return output

    # --- doctor ---------------------------------------------------------------------------
    def ping(self, timeout_s: float = PING_TIMEOUT_S) -> tuple[bool, str]:
        """Is the model reachable? ``(ok, one line)`` for ``legion doctor``; no budget used."""
        from onelegion.core.llm.ping import ping

        if not self.available:
            return False, f"no LLM configured — {NO_MODEL_HINT}"
        if self._spec_error is not None:
            return False, self._spec_error.one_line()
        if self._spec is None:
            return True, f"{self.model_id} (in-process model)"
        return ping(self._spec, self._loop, self._http_client, timeout_s)

    def close(self) -> None:
        """Release the event-loop thread and the HTTP connections this gateway opened (an
        ``http_client`` passed in stays open: its owner closes it). The runner calls it at run end;
        the gateway cannot ask after that (an async client belongs to the loop it ran on)."""
        with self._build_lock:
            self._closed = True
            if self._spec is not None:
                self._model = None
        self._finalizer()

    def __enter__(self) -> LLM:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- internals ------------------------------------------------------------------------
    def _resolve_spec(self) -> ModelSpec | None:
        if not self.available:
            raise NoModelConfigured(
                "this step needs an LLM but none is configured", hint=NO_MODEL_HINT
            )
        if self._spec_error is not None:
            raise self._spec_error
        return self._spec

    def _resolve_mode(self, spec: ModelSpec | None, mode: ModeChoice | None) -> OutputMode:
        choice = mode or self.output_mode
        if choice not in OUTPUT_MODES:
            raise ConfigError(
                f"unknown LLM output mode {choice!r}", hint="use one of: " + ", ".join(OUTPUT_MODES)
            )
        if choice == "auto":
            return spec.default_output_mode if spec is not None else "tool"
        return choice

    def _model_settings(self, temperature: float | None, max_tokens: int | None) -> dict[str, Any]:
        s: dict[str, Any] = {"timeout": self.timeout_s}
        temp = temperature if temperature is not None else self.temperature
        if temp is not None:
            s["temperature"] = temp
        if max_tokens is not None:
            s["max_tokens"] = max_tokens
        return s

    def _get_model(self, spec: ModelSpec | None) -> Model:
        with self._build_lock:
            if self._model is None:
                assert spec is not None
                from onelegion.core.llm.providers import build_model

                self._model = build_model(spec, self._http_client)
                if self._http_client is None:
                    self._owned.append(self._model)
            return self._model

    def _cost(self, spec: ModelSpec | None, tokens_in: int, tokens_out: int) -> float:
        if self._price is not None:
            return (tokens_in * self._price[0] + tokens_out * self._price[1]) / 1_000_000
        return estimate_cost(spec, tokens_in, tokens_out) if spec is not None else 0.0

    def _reserve(
        self, spec: ModelSpec | None, system: str | None, prompt: str, schema: Any
    ) -> None:
        """Count the call against the budget before making it, or raise BudgetExceeded."""
        chars = len(prompt) + len(system or "") + len(json.dumps(schema))
        estimate_in = self._cost(spec, chars // 4, 0)  # ~4 characters a token: a floor, not a cap
        with self._budget_lock:
            u = self._usage
            if u.calls >= self.max_calls:
                raise BudgetExceeded(
                    f"LLM call budget spent: {u.calls} of {self.max_calls} calls made in this run",
                    hint=f"raise it with `legion config set llm.max_calls {max(1, self.max_calls) * 2}`",
                )
            if u.cost_usd + estimate_in > self.budget_usd:
                raise BudgetExceeded(
                    f"LLM cost budget spent: ${u.cost_usd:.4f} of ${self.budget_usd:.2f} "
                    "(estimated) used in this run",
                    hint="raise it with `legion config set llm.budget_usd "
                    f"{max(self.budget_usd * 2, 0.1):.2f}`",
                )
            u.calls += 1

    def _run(
        self,
        model: Model,
        prompt: str,
        out_type: Any,
        system: str | None,
        mode: OutputMode,
        settings: dict[str, Any],
        retries: int,
        usage: Any,
    ) -> Any:
        from pydantic_ai import Agent, AgentRetries
        from pydantic_ai.output import NativeOutput, PromptedOutput, ToolOutput
        from pydantic_ai.settings import ModelSettings

        spec_out: Any = out_type
        if out_type is not str:
            wrapper = {"tool": ToolOutput, "native": NativeOutput, "prompted": PromptedOutput}[mode]
            spec_out = wrapper(out_type)
        agent: Agent[None, Any] = Agent(
            model,
            output_type=spec_out,
            instructions=system,
            retries=AgentRetries(output=retries),
            model_settings=ModelSettings(**settings),  # type: ignore[typeddict-item]
        )
        # the SDK retries twice, output validation `retries` times: bound the whole wait
        deadline = self.timeout_s * 3 * (retries + 1) + 5
        return self._loop.run(
            agent.run(prompt, usage=usage), timeout=deadline, should_stop=self._is_cancelled
        )

    def _finish(
        self,
        model_id: str,
        key: str,
        tokens_in: int,
        tokens_out: int,
        latency_ms: float,
        cost: float,
        *,
        cache_hit: bool,
        error: str | None,
    ) -> None:
        record = LLMCallRecord(
            run_id=self.run_id,
            model=model_id,
            tokens_in=tokens_in,
            tokens_out=tokens_out,
            latency_ms=round(latency_ms, 3),
            cost_usd=cost,
            cache_hit=cache_hit,
            ok=error is None,
            error=error,
            prompt_hash=key,
        )
        with self._budget_lock:
            u = self._usage
            u.cache_hits += int(cache_hit)
            u.failures += int(error is not None)
            u.tokens_in += tokens_in
            u.tokens_out += tokens_out
            u.cost_usd += cost
            self._records.append(record)
        self.recorder.llm_record(record)


def _cache_key(
    model: str, system: str | None, prompt: str, schema: Any, settings: dict[str, Any]
) -> str:
    payload = {
        "v": CACHE_VERSION,
        "model": model,
        "system": system,
        "prompt": prompt,
        "schema": schema,
        "settings": settings,
    }
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _release(loop: LoopThread, owned: list[Model]) -> None:
    models = list(owned)
    owned.clear()

    async def cleanup() -> None:
        for model in models:
            await _aclose_model(model)

    loop.close(cleanup() if models else None)


async def _aclose_model(model: Model) -> None:
    client = getattr(model, "client", None)
    close = getattr(client, "close", None)
    if close is not None:
        await close()
