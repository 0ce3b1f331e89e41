"""Terminal summaries (rich) of the write skills' outputs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from onelegion.core.lang import tr

if TYPE_CHECKING:
    from onelegion.skills.write.models import WriteCheckOut, WritePostOut, WriteTitlesOut


def check_view(o: WriteCheckOut) -> Any:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    head = Text.assemble(
        (tr("◇ Checked ", "◇ 已检查 "), "bold"),
        (o.path.name, "bold cyan"),
        tr(
            f" ({o.platform or 'terms only'}, {o.characters} characters): ",
            f"（{o.platform or '仅查用语'}，{o.characters} 字）：",
        ),
        (tr(f"{o.errors} errors", f"{o.errors} 个错误"), "bold red" if o.errors else "bold green"),
        tr(f", {o.warnings} warnings", f"，{o.warnings} 个提醒"),
    )
    t = Table(box=None)
    for c in (
        tr("line:col", "行:列"),
        tr("rule", "规则"),
        tr("text", "原文"),
        tr("fix", "建议"),
        tr("message", "说明"),
    ):
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
                tr(
                    f"fixed draft → {o.fixed} ({o.fixes_applied} fixes, "
                    f"{o.remaining_after_fix} findings left)",
                    f"已修改的稿子 → {o.fixed}（改了 {o.fixes_applied} 处，"
                    f"还剩 {o.remaining_after_fix} 条）",
                ),
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
        sub = tr(
            f"{p.source} · {p.errors} errors · {p.warnings} warnings · {p.file}",
            f"{p.source} · {p.errors} 个错误 · {p.warnings} 个提醒 · {p.file}",
        )
        parts.append(Panel(p.text.strip(), title=f"{p.platform}", subtitle=sub))
    return Group(*parts)


def titles_view(o: WriteTitlesOut) -> Any:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    t = Table(box=None)
    for c in (
        "#",
        tr("title", "标题"),
        tr("score", "得分"),
        tr("len", "字数"),
        tr("source", "来源"),
    ):
        t.add_column(c)
    for i, x in enumerate(o.titles, 1):
        t.add_row(
            str(i), x.title, f"{x.score:.2f}", str(x.length) + ("" if x.fits else " ✗"), x.source
        )
    parts: list[Any] = [t]
    if o.note:
        parts.insert(0, Text(o.note, style="yellow"))
    return Group(*parts)
