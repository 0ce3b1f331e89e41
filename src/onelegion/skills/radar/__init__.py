"""Radar: cross-platform hot lists."""
from onelegion.core.skill import Skill
SKILLS: list[Skill] = []  # type: ignore[type-arg]
