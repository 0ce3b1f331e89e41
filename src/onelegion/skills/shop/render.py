"""Terminal summaries (rich) of the shop skills' outputs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from onelegion.core.lang import tr

if TYPE_CHECKING:
    from onelegion.skills.shop.models import ShopInspectOut, ShopReportOut


def inspect_view(out: ShopInspectOut) -> Any:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    f = out.file
    parts: list[Any] = []
    if f.layout:
        parts.append(
            Text.assemble(
                ("✓ ", "green"),
                (f.file, "bold cyan"),
                " → ",
                (f.title, "bold"),
                f" [{f.layout}{', ' + f.variant if f.variant else ''}] · {f.rows:,} rows",
            )
        )
    else:
        parts.append(Text.assemble(("✗ ", "red"), (f.file, "bold cyan"), " → not a known layout"))
    t = Table(box=None, show_header=True, header_style="bold")
    t.add_column(tr("field", "字段"))
    t.add_column(tr("header", "表头"))
    for k, v in f.columns.items():
        t.add_row(k, repr(v))
    if f.columns:
        parts.append(t)
    facts = [
        f"currencies {', '.join(f.currencies) or '—'}",
        f"zone {f.time_zone or '—'}",
        f"decimal {'comma' if f.decimal_comma else 'point'}",
        f"encoding {f.encoding or '—'}",
    ]
    parts.append(Text(" · ".join(facts), style="dim"))
    if f.unknown:
        parts.append(
            Text(tr("unknown headers: ", "未识别的表头：") + ", ".join(f.unknown), style="yellow")
        )
    parts.extend(Text("! " + p, style="red") for p in f.problems)
    parts.extend(Text("• " + n, style="dim") for n in f.notes)
    if out.tables:
        parts.append(
            Text(tr("rows: ", "行数：") + ", ".join(f"{k} {v:,}" for k, v in out.tables.items()))
        )
    return Group(*parts)


def report_view(out: ShopReportOut) -> Any:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    parts: list[Any] = []
    ok = sum(1 for f in out.files if f.layout)
    parts.append(
        Text.assemble(
            ("✓ ", "green"), ("Shop report ", "bold"), f"{ok}/{len(out.files)} files understood"
        )
    )
    t = Table(box=None, header_style="bold")
    for col in ("currency", "revenue", "refunds", "fees", "ads", "cogs", "contribution", "margin"):
        t.add_column(col, justify="right" if col != "currency" else "left")
    for x in out.totals:
        t.add_row(
            x.currency,
            x.revenue,
            x.refunds,
            x.fees,
            x.ads,
            x.cogs,
            x.contribution,
            f"{x.margin_pct:.1f}%" if x.margin_pct is not None else "—",
        )
    parts.append(t)
    bad = [c for c in out.checks if c.status == "mismatch"]
    parts.append(
        Text(
            tr(
                f"checks: {len(out.checks)} ({len(bad)} need attention)",
                f"核对：{len(out.checks)} 项（{len(bad)} 项需要注意）",
            ),
            style="yellow" if bad else "green",
        )
    )
    parts.extend(Text("! " + c.name + ": " + c.detail, style="red") for c in bad[:6])
    parts.extend(Text(tr("gap: ", "缺口：") + g, style="yellow") for g in out.gaps[:8])
    for a in out.artifacts:
        if a.name.endswith((".html", ".xlsx")):
            parts.append(Text(f"{a.name}: {a.path}", style="cyan"))
    return Group(*parts)
