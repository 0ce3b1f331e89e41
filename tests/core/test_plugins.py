"""Every entry-point group is declared in core/plugins.py, documented, and read through it."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from onelegion.core import plugins

ROOT = Path(__file__).resolve().parents[2]


def test_every_group_in_pyproject_is_known() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert set(project["entry-points"]) == set(plugins.GROUPS)


def test_every_group_is_documented() -> None:
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for group in plugins.GROUPS:
        assert f"`{group}`" in doc, group


def test_entry_points_are_read_only_through_plugins() -> None:
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "src" / "onelegion").rglob("*.py")
        if p.name != "plugins.py" and re.search(r"\bentry_points\(", p.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_entries_are_sorted_and_unknown_groups_refused() -> None:
    names = [ep.name for ep in plugins.entries(plugins.SKILLS)]
    assert names == sorted(names) and {"clean", "radar", "util"} <= set(names)
    assert [ep.value for ep in plugins.entries(plugins.CHECKS) if ep.name == "radar"] == [
        "onelegion.skills.radar.checks:checks"
    ]
    assert [ep.value for ep in plugins.entries(plugins.REVIEWS) if ep.name == "clean"] == [
        "onelegion.skills.clean.review:REVIEWS"
    ]
    with pytest.raises(ValueError, match="unknown entry-point group 'onelegion.nope'"):
        plugins.entries("onelegion.nope")
