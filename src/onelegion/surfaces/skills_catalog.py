"""The list of installed skills, cached so that `legion skills` imports no skill code.

Listing the skills otherwise imports every skill package and builds its pydantic models (about
90 of them). The cache holds what `legion skills` and `legion skills --json` print and is keyed
by a fingerprint of what could change it: each ``onelegion.skills`` entry point (name, target,
distribution and version) and the size and modification time of every ``.py`` file of its
package, so editing a skill (an editable install) or installing another version refreshes it.
A plugin that fails to load is never cached: the next listing loads the skills again and reports
it. Stdlib only; the registry is imported only when the cache misses.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from onelegion.core import plugins

FORMAT = 1
FILE = "skills-catalog.json"


def _files_stamp(module: str) -> list[Any]:
    """[module, files, total size, newest mtime] of the code behind an entry point: the package it
    names, or the package holding the module it names (which the module imports from)."""
    try:
        spec = plugins.module_spec(module)
        if spec is not None and spec.submodule_search_locations is None and "." in module:
            spec = plugins.module_spec(module.rpartition(".")[0]) or spec
    except (ImportError, ValueError):
        return [module, None]
    if spec is None:
        return [module, None]
    roots = list(spec.submodule_search_locations or ([spec.origin] if spec.origin else []))
    n = size = newest = 0
    for root in roots:
        if os.path.isfile(root):
            paths = [root]
        else:
            paths = [
                os.path.join(d, f)
                for d, _dirs, files in os.walk(root)
                for f in files
                if f.endswith(".py")
            ]
        for p in paths:
            try:
                st = os.stat(p)
            except OSError:
                continue
            n += 1
            size += st.st_size
            newest = max(newest, st.st_mtime_ns)
    return [module, n, size, newest]


def fingerprint() -> str:
    parts: list[Any] = [FORMAT, sys.version_info[:2]]
    for ep in plugins.entries(plugins.SKILLS):
        dist = ep.dist
        parts.append(
            [
                ep.name,
                ep.value,
                dist.name if dist else None,
                dist.version if dist else None,
                _files_stamp(ep.module),
            ]
        )
    parts.append(_files_stamp("onelegion.core.skill"))  # how a skill describes itself
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()


def skills_listing(
    home: Path, load: Callable[[], tuple[list[dict[str, Any]], dict[str, str]]]
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """(skill_info without schemas for each skill, plugin errors): from the cache in ``home`` when
    its fingerprint still holds, else from ``load()`` (which imports the skills), then cached."""
    path = home / "cache" / FILE
    key = fingerprint()
    try:
        cached = json.loads(path.read_text(encoding="utf-8"))
        if cached.get("fingerprint") == key and isinstance(cached.get("skills"), list):
            return cached["skills"], {}
    except (OSError, ValueError, AttributeError):
        pass
    skills, errors = load()
    if not errors:
        _write(path, {"fingerprint": key, "skills": skills})
    return skills, errors


def _write(path: Path, data: dict[str, Any]) -> None:
    """Atomically; a cache that cannot be written is simply not kept."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
