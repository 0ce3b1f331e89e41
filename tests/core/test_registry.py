from __future__ import annotations

import sys
from pathlib import Path

import pytest

from onelegion.core.errors import UserError
from onelegion.core.registry import Registry
from onelegion.core.skill import path_fields, skill
from tests.core.sample_skills import CountIn, Empty, Text


def test_builtin_skills_are_discovered_through_entry_points() -> None:
    reg = Registry.from_entry_points()
    assert {"clean", "radar", "util"} <= set(reg.entry_point_names())
    assert reg.get("util.echo").title == "Echo"
    assert reg.get("util.wait").cacheable is False


def test_third_party_plugin_is_discovered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pkg = tmp_path / "legion_plugin_demo"
    pkg.mkdir()
    (pkg / "__init__.py").write_text(
        "from pydantic import BaseModel\n"
        "from onelegion.core.skill import skill\n"
        "class I(BaseModel):\n    n: int = 1\n"
        "class O(BaseModel):\n    n: int\n"
        "@skill('demo.double', title='Double', summary='Twice n.')\n"
        "def double(ctx, params: I) -> O:\n    return O(n=params.n * 2)\n"
        "SKILLS = [double]\n"
    )
    dist = tmp_path / "legion_plugin_demo-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: legion-plugin-demo\nVersion: 1.0\n"
    )
    (dist / "entry_points.txt").write_text("[onelegion.skills]\ndemo = legion_plugin_demo:SKILLS\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    reg = Registry.from_entry_points()
    assert "demo" in reg.entry_point_names()
    s = reg.get("demo.double")
    assert s.fn(None, s.input_model(n=21)).n == 42  # type: ignore[arg-type]
    sys.modules.pop("legion_plugin_demo", None)


def test_broken_plugin_is_reported_not_fatal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dist = tmp_path / "broken-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: broken\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(
        "[onelegion.skills]\nbroken = no_such_module_xyz:SKILLS\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    reg = Registry.from_entry_points()
    assert "util.echo" in {s.name for s in reg.all()}
    assert "broken" in reg.errors and "ModuleNotFoundError" in reg.errors["broken"]


def test_unknown_skill_is_a_user_error() -> None:
    with pytest.raises(UserError, match="no skill named 'nope.nothing'"):
        Registry.from_entry_points().get("nope.nothing")


def test_skill_contract_checks_names_and_types() -> None:
    with pytest.raises(ValueError, match="group.command"):
        skill("Bad Name", title="t", summary="s")
    with pytest.raises(TypeError, match="pydantic model"):

        @skill("x.y", title="t", summary="s")
        def f(ctx: object, params: int) -> Text:  # type: ignore[empty-body]
            ...

    assert path_fields(CountIn) == {"path": "input-file", "output": "output-file"}
    assert path_fields(Empty) == {}
