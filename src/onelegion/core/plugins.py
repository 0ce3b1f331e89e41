"""Every entry-point group OneLegion reads, in one place, with its contract.

A distribution (a plugin, or OneLegion itself) declares entries in its ``pyproject.toml``::

    [project.entry-points."onelegion.skills"]
    mine = "my_package:SKILLS"

    [project.entry-points."onelegion.checks"]
    mine = "my_package.checks:checks"

Groups load lazily: listing the CLI's command groups reads the entry points' names and values
only, and imports no plugin code. A plugin that fails to load is reported (``legion doctor``,
``legion skills``) and never breaks the others.
"""

from __future__ import annotations

from importlib.metadata import EntryPoint, entry_points

SKILLS = "onelegion.skills"
"""A :class:`~onelegion.core.skill.Skill` or an iterable of them. The entry's name is the CLI
group (``legion <name> ...``) and must be the first part of each skill's name (``mine.count``).
The module it names should import only pydantic and the core: the work loads inside the skill
functions, so ``legion --help`` stays instant."""

CHECKS = "onelegion.checks"
"""A callable ``(settings: Settings, http: HttpFactory, offline: bool) -> list[Check]`` run by
``legion doctor``; with ``offline=True`` it must not touch the network."""

SETTINGS = "onelegion.settings"
"""A pydantic model of one ``[name]`` table of legion.toml (the entry's name), read by skills
with ``ctx.config.section(name)``; `legion config set name.key value` validates against it, so
a misspelled key or a bad value is refused instead of silently ignored."""

REVIEWS = "onelegion.reviews"
"""A :class:`~onelegion.core.review.Review` or a list of them: the step where a person decides on
what a run of one skill proposed (approve or reject each item, edit a mapping) before it is
applied; ``load`` builds the sheet from the run, ``apply`` returns the run to start. The
cockpit shows it on the run's page (docs/cockpit.md)."""

SERVICES = "onelegion.services"
"""A callable ``tick(runtime: Runtime, now: datetime) -> None`` that ``legion serve`` calls about
once a minute on a background thread (:mod:`onelegion.core.background`): scheduled work such as
the commander's due playbooks. It must return quickly when there is nothing to do."""

GROUPS: dict[str, str] = {
    SKILLS: "skills (CLI, API, MCP, agent tools)",
    CHECKS: "doctor checks",
    SETTINGS: "settings tables of legion.toml",
    REVIEWS: "review steps (the cockpit's review page)",
    SERVICES: "background work of `legion serve` (schedules)",
}
"""Every group, with what its entries add."""


def entries(group: str) -> list[EntryPoint]:
    """The installed entries of one of :data:`GROUPS`, in name order."""
    if group not in GROUPS:
        raise ValueError(f"unknown entry-point group {group!r}; known: {', '.join(GROUPS)}")
    return sorted(entry_points(group=group), key=lambda ep: ep.name)
