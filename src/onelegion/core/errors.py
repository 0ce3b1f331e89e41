"""The exception hierarchy.

LegionError                 base of everything OneLegion raises on purpose
├── UserError               bad input or setup; the message says what to do (CLI exit 2)
│   ├── ConfigError         a setting is missing or invalid
│   ├── NoModelConfigured   a skill asked the LLM gateway but no model is set
│   └── PathNotAllowed      a file outside the allowed roots
└── RunError                a run could not complete (CLI exit 1)
    ├── Cancelled           the run was cancelled (or timed out)
    ├── BudgetExceeded      the run's LLM budget is spent
    └── SkillError          a bug inside a skill: the run is marked failed with the traceback
"""

from __future__ import annotations


class LegionError(Exception):
    """Base class of OneLegion's own errors."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def one_line(self) -> str:
        """The message and, when known, the fix, on one line (a library's multi-line text inside
        the message, e.g. a reader's panic, is folded onto it)."""
        text = f"{self.message} — {self.hint}" if self.hint else self.message
        return " ".join(text.split()) if "\n" in text or "\r" in text else text


class UserError(LegionError):
    """Bad input or setup. The message (plus hint) tells the person what to do."""

    exit_code = 2


class DemoSkipped(UserError):
    """Raised by a skill's ``demo(workspace)`` when an optional requirement is missing on this
    machine: ``legion demo`` prints the reason as a skipped step and goes on."""


class ConfigError(UserError):
    """A setting is missing or has an invalid value."""


class NoModelConfigured(UserError):
    """The LLM gateway was asked for a completion but no model is configured."""


class PathNotAllowed(UserError):
    """A path points outside the workspace and the paths the user named."""


class RunError(LegionError):
    """A run could not complete."""


class Cancelled(RunError):
    """The run was cancelled by a person or stopped by its timeout."""


class BudgetExceeded(RunError):
    """The run spent its LLM budget (calls or estimated cost)."""


class SkillError(RunError):
    """An unexpected failure inside a skill (a bug): carries the traceback text."""

    def __init__(self, message: str, *, traceback: str = "", hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.traceback = traceback
