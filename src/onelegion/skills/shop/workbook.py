"""report.xlsx: one sheet per table, number formats, native Excel charts (openpyxl)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

if TYPE_CHECKING:
    from onelegion.skills.shop.service import Computed

MONEY_FMT = "#,##0.00;[Red]-#,##0.00"
MAX_ROWS = 250  # per sheet; the complete tables are the CSV artifacts
INT_FMT = "#,##0"


def _cell(v: Any) -> Any:
    if isinstance(v, Decimal):
        return float(v)  # displayed with 2 decimals; the exact text is in the CSVs
    if isinstance(v, (list, dict)):
        return str(v)
    return v


def _sheet(wb: Any, title: str, df: pl.DataFrame) -> Any:
    from openpyxl.cell import WriteOnlyCell

    ws = wb.create_sheet(title[:31])
    if df.is_empty():
        ws.append(["(no rows)"])
        return ws
    fmts: list[str | None] = []
    for t in df.schema.values():
        if isinstance(t, pl.Decimal):
            fmts.append(MONEY_FMT)
        elif t.is_integer():
            fmts.append(INT_FMT)
        elif isinstance(t, pl.Float64):
            fmts.append("0.00")
        else:
            fmts.append(None)
    for j, name in enumerate(df.columns):
        ws.column_dimensions[_letter(j + 1)].width = max(10, min(40, len(name) + 4))
    ws.freeze_panes = "A2"
    ws.append(df.columns)
    for r in df.head(MAX_ROWS).iter_rows():
        row = []
        for v, fmt in zip(r, fmts, strict=True):
            c = WriteOnlyCell(ws, value=_cell(v))
            if fmt:
                c.number_format = fmt
            row.append(c)
        ws.append(row)
    if df.height > MAX_ROWS:
        ws.append([f"… {df.height - MAX_ROWS:,} more rows: see the CSV of this table"])
    return ws


def _letter(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(n))


def write_xlsx(c: Computed, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference

    wb = Workbook(write_only=True)
    ws = _sheet(wb, "pnl", c.pnl)
    if c.pnl.height:
        skus = (
            c.pnl.group_by("sku")
            .agg(pl.col("contribution").sum())
            .sort("contribution", descending=True)
        )
        ch_ws = _sheet(wb, "contribution_by_sku", skus)
        chart = BarChart()
        chart.title = "Contribution per SKU"
        data = Reference(ch_ws, min_col=2, min_row=1, max_row=min(skus.height, 30) + 1)
        cats = Reference(ch_ws, min_col=1, min_row=2, max_row=min(skus.height, 30) + 1)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(cats)
        chart.width, chart.height = 24, 10
        ch_ws.add_chart(chart, "D2")
    if c.pnl_rc is not None and c.pnl_rc is not c.pnl:
        _sheet(wb, f"pnl_{c.currency}", c.pnl_rc)
    checks = pl.DataFrame(
        {
            "status": [k.status for k in c.checks],
            "check": [k.name for k in c.checks],
            "detail": [k.detail for k in c.checks],
        },
        schema={"status": pl.Utf8, "check": pl.Utf8, "detail": pl.Utf8},
    )
    _sheet(wb, "reconciliation", checks)
    if not c.diffs.is_empty():
        _sheet(wb, "orders_vs_settlements", c.diffs)
    for name, df in (
        ("campaigns", c.campaigns),
        ("sku_ads", c.sku_ads),
        ("search_terms", c.terms),
        ("restock", c.restock),
        ("return_rates", c.returns),
        ("anomalies", c.anomalies),
    ):
        if not df.is_empty():
            sh = _sheet(wb, name, df)
            if name == "restock" and "days_cover" in df.columns:
                chart = BarChart()
                chart.title = "Days of cover"
                col = df.columns.index("days_cover") + 1
                chart.add_data(
                    Reference(sh, min_col=col, min_row=1, max_row=min(df.height, 30) + 1),
                    titles_from_data=True,
                )
                chart.set_categories(
                    Reference(sh, min_col=1, min_row=2, max_row=min(df.height, 30) + 1)
                )
                sh.add_chart(chart, "Q2")
    files = pl.DataFrame(
        {
            "file": [f.file for f in c.ds.files],
            "layout": [f.layout or "unknown" for f in c.ds.files],
            "variant": [f.variant for f in c.ds.files],
            "rows": [f.rows for f in c.ds.files],
            "unknown_headers": [", ".join(f.unknown) for f in c.ds.files],
            "problems": ["; ".join(f.problems) for f in c.ds.files],
        }
    )
    _sheet(wb, "files", files)
    del ws
    wb.save(path)
