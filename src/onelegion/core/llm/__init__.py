"""The LLM gateway (``ctx.llm``): typed answers from any configured model, recorded, cached, budgeted.

- :mod:`~onelegion.core.llm.gateway`   the :class:`LLM` class (``ask``, cache, budget, recording)
- :mod:`~onelegion.core.llm.providers` model strings, providers, prices (``deepseek:deepseek-chat``)
- :mod:`~onelegion.core.llm.records`   call records, the recorder protocol, usage
- :mod:`~onelegion.core.llm.errors`    provider errors in one actionable line, secrets scrubbed
- :mod:`~onelegion.core.llm.loop`      the event-loop thread that runs pydantic-ai's async calls
- :mod:`~onelegion.core.llm.ping`      the doctor's "does the model answer" check
"""

from onelegion.core.llm.errors import LLMError, UnusableAnswer
from onelegion.core.llm.gateway import LLM, NO_MODEL_HINT
from onelegion.core.llm.records import LLMCallRecord, LLMRecorder, LLMUsage, MemoryRecorder

__all__ = [
    "LLM",
    "NO_MODEL_HINT",
    "LLMCallRecord",
    "LLMError",
    "LLMRecorder",
    "LLMUsage",
    "MemoryRecorder",
    "UnusableAnswer",
]
