"""OneLegion (一人军团): AI workers for a one-person studio.

The public API, for plugin authors and for embedding::

    from onelegion import skill, Context, InputFile, UserError, Runtime

Names load lazily (PEP 562), so ``import onelegion`` stays instant for the CLI.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    # the skill contract
    "skill": "onelegion.core.skill",
    "Skill": "onelegion.core.skill",
    "Artifact": "onelegion.core.skill",
    "InputFile": "onelegion.core.skill",
    "InputDir": "onelegion.core.skill",
    "OutputFile": "onelegion.core.skill",
    "Context": "onelegion.core.context",
    # errors
    "LegionError": "onelegion.core.errors",
    "UserError": "onelegion.core.errors",
    "ConfigError": "onelegion.core.errors",
    "NoModelConfigured": "onelegion.core.errors",
    "PathNotAllowed": "onelegion.core.errors",
    "RunError": "onelegion.core.errors",
    "Cancelled": "onelegion.core.errors",
    "BudgetExceeded": "onelegion.core.errors",
    "SkillError": "onelegion.core.errors",
    # running skills from Python
    "Runtime": "onelegion.core.runtime",
    "RunResult": "onelegion.core.runner",
    "Settings": "onelegion.core.config",
}

__all__ = [
    "Artifact",
    "BudgetExceeded",
    "Cancelled",
    "ConfigError",
    "Context",
    "InputDir",
    "InputFile",
    "LegionError",
    "NoModelConfigured",
    "OutputFile",
    "PathNotAllowed",
    "RunError",
    "RunResult",
    "Runtime",
    "Settings",
    "Skill",
    "SkillError",
    "UserError",
    "__version__",
    "skill",
]

if TYPE_CHECKING:
    from onelegion.core.config import Settings
    from onelegion.core.context import Context
    from onelegion.core.errors import (
        BudgetExceeded,
        Cancelled,
        ConfigError,
        LegionError,
        NoModelConfigured,
        PathNotAllowed,
        RunError,
        SkillError,
        UserError,
    )
    from onelegion.core.runner import RunResult
    from onelegion.core.runtime import Runtime
    from onelegion.core.skill import Artifact, InputDir, InputFile, OutputFile, Skill, skill


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'onelegion' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return list(__all__)
