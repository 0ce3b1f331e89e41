"""`legion demo`: every skill that declares a demo runs on its bundled sample data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rich.markup import escape as esc

from onelegion.core.errors import DemoSkipped
from onelegion.surfaces.cli.render import (
    console,
    err_console,
    print_path,
    print_result,
    status_label,
)
from onelegion.surfaces.cli.state import registry, runtime
from onelegion.surfaces.i18n import t


def _paths_in(value: Any) -> list[Path]:
    if isinstance(value, dict):
        return [p for v in value.values() for p in _paths_in(v)]
    if isinstance(value, list):
        return [p for v in value for p in _paths_in(v)]
    if isinstance(value, str | Path) and ("/" in str(value) or "\\" in str(value)):
        return [Path(value).expanduser().resolve()]
    return []


def run_demo(*, as_json: bool = False) -> bool:
    rt = runtime()
    skills = sorted(
        (s for s in registry().all() if s.demo is not None), key=lambda s: (s.demo_order, s.name)
    )
    demo_dir = rt.workspace / "demo"
    demo_dir.mkdir(parents=True, exist_ok=True)
    summary: list[dict[str, Any]] = []
    ok = True
    for skill in skills:
        assert skill.demo is not None
        if not as_json:
            console.rule(f"[bold]{skill.title}[/] · legion {skill.group} {skill.command}")
        try:
            params = skill.demo(demo_dir)
        except DemoSkipped as e:  # an optional requirement is missing here: say so, go on
            if not as_json:
                console.print(f"[yellow]{t('demo_skipped')}[/] {esc(e.one_line())}")
            summary.append(
                {
                    "skill": skill.name,
                    "run_id": None,
                    "status": "skipped",
                    "error": e.one_line(),
                    "artifacts": {},
                }
            )
            continue
        handle = rt.runner.submit(
            skill.name,
            params,
            surface="cli",
            allowed_roots=[demo_dir, *_paths_in(params)],
            refresh=True,
        )
        result = handle.wait()
        ok = ok and result.ok
        if not as_json:
            print_result(skill, result)
        summary.append(
            {
                "skill": skill.name,
                "run_id": result.run_id,
                "status": result.status,
                "error": result.error,
                "artifacts": {a.name: a.path for a in result.artifacts},
            }
        )
    if as_json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
        return ok
    if not skills:
        err_console.print(t("demo_none"))
        return False
    console.rule()
    console.print(f"[bold]{t('demo_done')}[/]")
    for row in summary:  # each report path whole, on its own line, so it can be copied
        arts = row["artifacts"]
        shown = [p for n, p in arts.items() if n.endswith((".html", ".md"))] or list(arts.values())[
            :2
        ]
        label = t("demo_skipped") if row["status"] == "skipped" else status_label(row["status"])
        console.print(f"[bold cyan]{row['skill']}[/]  {label}")
        for p in shown:
            print_path(p)
        if not shown and row["error"]:
            console.print("  " + row["error"], markup=False)
    return ok
