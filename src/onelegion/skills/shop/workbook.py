"""report.xlsx: one sheet per table, number formats, native Excel charts (openpyxl)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

if TYPE_CHECKING:
    from onelegion.skills.shop.service import Computed

MONEY_FMT = "#,##0.00;[Red]-#,##0.00"
INT_FMT = "#,##0"


def _cell(v: Any) -> Any:
    if isinstance(v, Decimal):
        return float(v)  # displayed with 2 decimals; the exact text is in the CSVs
    if isinstance(v, (list, dict)):
        return str(v)
    return v


def _sheet(wb: Any, title: str, df: pl.DataFrame) -> Any:
    ws = wb.create_sheet(title[:31])
    if df.is_empty():
        ws.append(["(no rows)"])
        return ws
    ws.append(df.columns)
    for r in df.iter_rows():
        ws.append([_cell(v) for v in r])
    for j, (_, t) in enumerate(df.schema.items(), 1):
        fmt = MONEY_FMT if isinstance(t, pl.Decimal) else (INT_FMT if t.is_integer() else None)
        if isinstance(t, pl.Float64):
            fmt = "0.00"
        if fmt:
            for row in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                for cell in row:
                    cell.number_format = fmt
        ws.column_dimensions[ws.cell(1, j).column_letter].width = max(
            10, min(40, len(df.columns[j - 1]) + 4)
        )
    ws.freeze_panes = "A2"
    return ws


def write_xlsx(c: Computed, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference

    wb = Workbook()
    first = wb.active
    if first is not None:
        wb.remove(first)
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
