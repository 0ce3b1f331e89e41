"""What the gateway keeps of each call: the record, the recorder protocol the run store
implements, an in-memory recorder for tests, and a run's usage so far."""

from __future__ import annotations

import threading
from typing import Protocol, runtime_checkable

from pydantic import BaseModel


class LLMCallRecord(BaseModel):
    """One ``ask``: what the store keeps for every LLM call of a run (never a prompt or a key)."""

    run_id: str | None
    model: str
    tokens_in: int
    tokens_out: int
    latency_ms: float
    cost_usd: float
    cache_hit: bool
    ok: bool
    error: str | None
    prompt_hash: str


@runtime_checkable
class LLMRecorder(Protocol):
    """Persistence of the gateway: the run store implements it; :class:`MemoryRecorder` for tests."""

    def llm_cache_get(self, key: str) -> str | None: ...  # JSON text of the cached output

    def llm_cache_put(self, key: str, model: str, output_json: str) -> None: ...

    def llm_record(self, record: LLMCallRecord) -> None: ...


class MemoryRecorder:
    """An in-memory :class:`LLMRecorder` (tests, and runs without a store)."""

    def __init__(self) -> None:
        self.cache: dict[str, tuple[str, str]] = {}  # key -> (model, output_json)
        self.records: list[LLMCallRecord] = []
        self._lock = threading.Lock()

    def llm_cache_get(self, key: str) -> str | None:
        with self._lock:
            hit = self.cache.get(key)
        return hit[1] if hit is not None else None

    def llm_cache_put(self, key: str, model: str, output_json: str) -> None:
        with self._lock:
            self.cache[key] = (model, output_json)

    def llm_record(self, record: LLMCallRecord) -> None:
        with self._lock:
            self.records.append(record)


class LLMUsage(BaseModel):
    """What the run spent so far (``ctx.llm.usage``)."""

    calls: int = 0  # requests that reached the model (cache hits excluded)
    cache_hits: int = 0
    failures: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: float = 0.0
