"""Rendering runs for people: progress from run events, outputs, artifacts, errors."""

from __future__ import annotations

import json
import threading
from datetime import datetime
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from onelegion.surfaces.i18n import has, t

if TYPE_CHECKING:
    from onelegion.core.runner import RunResult
    from onelegion.core.skill import Skill
    from onelegion.core.store import EventRecord, RunRecord

console = Console()
err_console = Console(stderr=True)

STATUS_STYLE = {
    "succeeded": "green",
    "failed": "red",
    "cancelled": "yellow",
    "interrupted": "magenta",
    "timed_out": "red",
    "running": "cyan",
    "queued": "blue",
}


def status_label(status: str) -> str:
    """A run status for people (the JSON output keeps the status itself)."""
    key = f"status.{status}"
    return t(key) if has(key) else status


class ProgressView:
    """Turns a run's events into a live progress bar and log lines (on stderr)."""

    def __init__(self, title: str, *, quiet: bool = False, logs: bool | None = None) -> None:
        self.quiet = quiet
        self.logs = not quiet if logs is None else logs  # log lines also when stderr is a file
        self._lock = threading.Lock()
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            TextColumn("{task.completed:.0f}/{task.total:.0f}", style="dim"),
            TimeElapsedColumn(),
            console=err_console,
            transient=True,
            disable=quiet,
        )
        self.task = self.progress.add_task(title, total=None)
        self.title = title

    def __enter__(self) -> ProgressView:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def __call__(self, event: EventRecord) -> None:
        with self._lock:
            data = event.data
            if event.kind == "progress":
                total = data.get("total")
                desc = self.title + (f" · {data['message']}" if data.get("message") else "")
                self.progress.update(
                    self.task, completed=float(data.get("done") or 0), total=total, description=desc
                )
            elif event.kind == "log" and self.logs:
                level = data.get("level", "info")
                style = {"warning": "yellow", "error": "red"}.get(level, "dim")
                self.progress.console.print(Text(str(data.get("message", "")), style=style))


def render_value(value: Any) -> Any:
    """A compact rich renderable for one output field."""
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        keys: list[str] = []
        for row in value[:50]:
            for k in row:
                if k not in keys:
                    keys.append(k)
        table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
        for k in keys[:8]:
            table.add_column(k, overflow="fold", max_width=40)
        for row in value[:20]:
            table.add_row(*(_short(row.get(k)) for k in keys[:8]))
        if len(value) > 20:
            table.caption = t("more_rows", n=len(value) - 20)
        return table
    return Text(_short(value, 200))


def _short(value: Any, width: int = 60) -> str:
    if value is None:
        return ""
    s = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return s if len(s) <= width else s[: width - 1] + "…"


def render_output(skill: Skill[Any, Any], output: dict[str, Any] | None) -> Any:
    """The output model's own ``__rich__`` if it has one, else a generic field table."""
    if output is None:
        return Text("")
    try:
        model = skill.output_model.model_validate(output)
    except Exception:
        model = None
    rich_method = getattr(model, "__rich__", None) if model is not None else None
    if callable(rich_method):
        return rich_method()
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold cyan")
    table.add_column()
    for key, value in output.items():
        if key == "artifacts":
            continue
        table.add_row(key, render_value(value))
    return table


def print_path(path: str) -> None:
    """A path whole on its own line (never cut, never folded), so it can be copied."""
    console.print("  " + path, soft_wrap=True, markup=False, highlight=False)


def print_artifacts(result: RunResult) -> None:
    if not result.artifacts:
        return
    console.print(f"[bold]{t('artifacts')}[/]")
    for a in result.artifacts:
        console.print(f"[bold]{a.name}[/]  [dim]{_size(a.size)}[/]")
        print_path(a.path)


def _size(n: int) -> str:
    size = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"


def footer(result: RunResult) -> Text:
    style = STATUS_STYLE.get(result.status, "")
    text = Text()
    text.append("✓ " if result.ok else "✗ ", style=style)
    text.append(f"{t('run')} {result.run_id}", style="dim")
    text.append(f" · {status_label(result.status)}", style=style)
    if result.duration_ms is not None:
        text.append(f" · {result.duration_ms:.0f} ms", style="dim")
    if result.cached_from:
        text.append(f" · {t('cached')} {result.cached_from}", style="dim")
    return text


def print_result(skill: Skill[Any, Any], result: RunResult) -> None:
    if result.ok:
        console.print(render_output(skill, result.output))
        print_artifacts(result)
    elif result.error:
        err_console.print(Text(t("error_line", message=result.error), style="red"), soft_wrap=True)
    console.print(footer(result))


def runs_table(runs: list[RunRecord]) -> Table:
    table = Table(box=None, header_style="bold")
    for col in ("id", "skill", "status", "surface", "started", "ms", "cached"):
        table.add_column(
            t(f"col.{col}"), justify="right" if col == "ms" else "left", no_wrap=col == "id"
        )
    for r in runs:
        table.add_row(
            r.id,
            r.skill,
            Text(status_label(r.status), style=STATUS_STYLE.get(r.status, "")),
            r.surface,
            datetime.fromtimestamp(r.created_at).strftime("%m-%d %H:%M:%S"),
            f"{r.duration_ms:.0f}" if r.duration_ms is not None else "",
            "✓" if r.cached_from else "",
        )
    return table
