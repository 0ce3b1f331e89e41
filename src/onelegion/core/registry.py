"""Skill discovery through the ``onelegion.skills`` entry-point group (contract:
:data:`onelegion.core.plugins.SKILLS`).

Built-in skills register exactly as third-party plugins do. Groups load lazily, so listing the
CLI's command groups imports no skill code.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib.metadata import EntryPoint
from typing import Any

from onelegion.core import plugins
from onelegion.core.errors import UserError
from onelegion.core.skill import Skill

GROUP = plugins.SKILLS


@dataclass
class Registry:
    """Skills by name; entry points are loaded on first use."""

    _skills: dict[str, Skill[Any, Any]] = field(default_factory=dict)
    _pending: dict[str, EntryPoint] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_entry_points(cls, group: str = GROUP) -> Registry:
        reg = cls()
        for ep in plugins.entries(group):
            reg._pending[ep.name] = ep
        return reg

    @classmethod
    def of(cls, skills: Iterable[Skill[Any, Any]]) -> Registry:
        reg = cls()
        for s in skills:
            reg.register(s)
        return reg

    def register(self, s: Skill[Any, Any]) -> None:
        if not isinstance(s, Skill):
            raise TypeError(f"not a Skill: {s!r}")
        self._skills[s.name] = s

    def entry_point_names(self) -> list[str]:
        """Names of the entry points (usually the CLI groups), without loading them."""
        return sorted(set(self._pending) | {s.group for s in self._skills.values()})

    def load(self, ep_name: str) -> None:
        ep = self._pending.pop(ep_name, None)
        if ep is None:
            return
        try:
            obj = ep.load()
        except Exception as e:  # a broken plugin must not break the others
            self.errors[ep_name] = f"{type(e).__name__}: {e}"
            return
        items = [obj] if isinstance(obj, Skill) else list(obj)
        for s in items:
            self.register(s)

    def load_all(self) -> None:
        for name in list(self._pending):
            self.load(name)

    def all(self) -> list[Skill[Any, Any]]:
        self.load_all()
        return sorted(self._skills.values(), key=lambda s: s.name)

    def group(self, group: str) -> list[Skill[Any, Any]]:
        if group in self._pending:
            self.load(group)
        found = [s for s in self._skills.values() if s.group == group]
        if not found:
            self.load_all()
            found = [s for s in self._skills.values() if s.group == group]
        return sorted(found, key=lambda s: s.name)

    def get(self, name: str) -> Skill[Any, Any]:
        if name not in self._skills:
            self.load(name.split(".", 1)[0])
        if name not in self._skills:
            self.load_all()
        try:
            return self._skills[name]
        except KeyError:
            known = ", ".join(s.name for s in self.all()) or "none"
            raise UserError(
                f"no skill named {name!r}", hint=f"known skills: {known}; see `legion skills`"
            ) from None
