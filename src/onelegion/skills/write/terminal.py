"""Terminal summaries (rich) of the write skills' outputs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from onelegion.skills.write.models import WriteCheckOut, WritePostOut, WriteTitlesOut


def check_view(o: WriteCheckOut) -> Any:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    head = Text.assemble(
        ("◇ 检查 Checked ", "bold"),
        (o.path.name, "bold cyan"),
        f" ({o.platform or 'terms only'}, {o.characters} 字): ",
        (f"{o.errors} errors", "bold red" if o.errors else "bold green"),
        f", {o.warnings} warnings",
    )
    t = Table(box=None)
    for c in ("line:col", "rule", "text", "fix", "message"):
        t.add_column(c)
    for f in o.findings[:60]:
        t.add_row(
            f"{f.line}:{f.column}" if f.line else "—",
            f.rule,
            f.text,
            f.suggestion,
            f.message,
            style="red" if f.severity == "error" else "yellow",
        )
    parts: list[Any] = [head, t] if o.findings else [head]
    if o.fixed:
        parts.append(
            Text(
                f"fixed draft → {o.fixed} ({o.fixes_applied} fixes, {o.remaining_after_fix} findings left)",
                style="green",
            )
        )
    return Group(*parts)


def post_view(o: WritePostOut) -> Any:
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text

    parts: list[Any] = []
    if o.note:
        parts.append(Text(o.note, style="yellow"))
    for p in o.posts:
        sub = f"{p.source} · {p.errors} errors · {p.warnings} warnings · {p.file}"
        parts.append(Panel(p.text.strip(), title=f"{p.platform}", subtitle=sub))
    return Group(*parts)


def titles_view(o: WriteTitlesOut) -> Any:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    t = Table(box=None)
    for c in ("#", "title 标题", "score", "len", "source"):
        t.add_column(c)
    for i, x in enumerate(o.titles, 1):
        t.add_row(
            str(i), x.title, f"{x.score:.2f}", str(x.length) + ("" if x.fits else " ✗"), x.source
        )
    parts: list[Any] = [t]
    if o.note:
        parts.insert(0, Text(o.note, style="yellow"))
    return Group(*parts)
