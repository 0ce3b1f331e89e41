"""`legion skills` reads a cached catalogue: no skill code is imported while the installed skills
are unchanged (issue 11: `legion skills` took 0.44 s building ~90 pydantic models to print a list)."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import onelegion.skills.util as util_pkg
from onelegion.surfaces import skills_catalog
from onelegion.surfaces.skills_catalog import FILE, skills_listing

# `legion skills` in a child process; prints the skill modules it imported
PROBE = """
import sys
from onelegion.surfaces.cli.app import main
sys.argv = ["legion", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
print("IMPORTED", sorted(m for m in sys.modules if m.startswith("onelegion.skills.")))
"""


def _skills(home: Path, *args: str) -> tuple[str, list[str]]:
    env = {**os.environ, "LEGION_HOME": str(home), "COLUMNS": "200", "LANG": "C.UTF-8"}
    env.pop("LEGION_LANGUAGE", None)
    r = subprocess.run(
        [sys.executable, "-c", PROBE, "skills", *args],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=120,
    )
    out, _, imported = r.stdout.rpartition("IMPORTED ")
    return out, ast.literal_eval(imported.strip())


def test_second_listing_imports_no_skill_and_prints_the_same(tmp_path: Path) -> None:
    first, imported = _skills(tmp_path)
    assert "onelegion.skills.clean.models" in imported
    assert (tmp_path / "cache" / FILE).is_file()
    second, imported = _skills(tmp_path)
    assert imported == []
    assert second == first
    js, imported = _skills(tmp_path, "--json")
    assert imported == []
    names = [s["name"] for s in json.loads(js)]
    assert "util.echo" in names and "clean.table" in names


def test_editing_a_skill_package_refreshes_the_catalogue(tmp_path: Path, monkeypatch: Any) -> None:
    calls: list[int] = []

    def load() -> tuple[list[dict[str, Any]], dict[str, str]]:
        calls.append(1)
        return [{"name": "util.echo", "summary": f"v{len(calls)}"}], {}

    assert skills_listing(tmp_path, load)[0][0]["summary"] == "v1"
    assert skills_listing(tmp_path, load)[0][0]["summary"] == "v1"
    assert len(calls) == 1
    # a file of a skill package changes (an editable install being edited): listed again
    real = skills_catalog._files_stamp

    def stamp(module: str) -> list[Any]:
        got = real(module)
        return [*got, "edited"] if module == util_pkg.__name__ else got

    monkeypatch.setattr(skills_catalog, "_files_stamp", stamp)
    assert skills_listing(tmp_path, load)[0][0]["summary"] == "v2"
    assert len(calls) == 2


def test_files_stamp_follows_size_and_mtime(tmp_path: Path, monkeypatch: Any) -> None:
    pkg = tmp_path / "plug_pkg_for_stamp"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("X = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    a = skills_catalog._files_stamp("plug_pkg_for_stamp")
    (pkg / "__init__.py").write_text("X = 22\n")
    b = skills_catalog._files_stamp("plug_pkg_for_stamp")
    assert a[1] == b[1] == 1 and a != b
    assert skills_catalog._files_stamp("no_such_module_here") == ["no_such_module_here", None]


def test_a_broken_plugin_is_not_cached(tmp_path: Path) -> None:
    calls: list[int] = []

    def load() -> tuple[list[dict[str, Any]], dict[str, str]]:
        calls.append(1)
        return [{"name": "util.echo", "summary": "s"}], {"broken": "ImportError: x"}

    assert skills_listing(tmp_path, load)[1] == {"broken": "ImportError: x"}
    assert skills_listing(tmp_path, load)[1] == {"broken": "ImportError: x"}
    assert len(calls) == 2
    assert not (tmp_path / "cache" / FILE).exists()


def test_a_damaged_cache_is_rebuilt(tmp_path: Path) -> None:
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / FILE).write_text("{not json")

    def load() -> tuple[list[dict[str, Any]], dict[str, str]]:
        return [{"name": "util.echo", "summary": "s"}], {}

    assert skills_listing(tmp_path, load)[0] == [{"name": "util.echo", "summary": "s"}]
    assert json.loads((tmp_path / "cache" / FILE).read_text())["skills"][0]["name"] == "util.echo"
