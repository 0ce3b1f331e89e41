"""Clean: messy tables to clean data."""
from onelegion.core.skill import Skill
SKILLS: list[Skill] = []  # type: ignore[type-arg]
