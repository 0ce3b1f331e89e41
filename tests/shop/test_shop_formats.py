"""The same export saved differently (CRLF, GB18030, UTF-8 BOM, .xlsx with numeric cells, a title
line above the header) gives the same canonical tables and P&L."""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl
from openpyxl import Workbook
from tests.shop.shop_helpers import FIX, load

from onelegion.skills.shop.load import load_file

ORDERS = FIX / "shopify_orders_small.csv"


def _pnl(folder: Path) -> pl.DataFrame:
    _, p = load(folder)
    return p.pnl.drop("rows")


def _one(tmp: Path, name: str, data: bytes) -> Path:
    d = tmp / name.replace(".", "_")
    d.mkdir()
    (d / name).write_bytes(data)
    return d


def test_encodings_and_line_endings(tmp_path: Path) -> None:
    text = ORDERS.read_text(encoding="utf-8")
    base = _pnl(_one(tmp_path, "orders.csv", text.encode("utf-8")))
    assert base.filter(pl.col("sku") == "SKU-Y").height == 2
    for name, data in (
        ("gb.csv", text.encode("gb18030")),  # Chinese Excel's "CSV"
        ("bom.csv", b"\xef\xbb\xbf" + text.encode("utf-8")),
        ("lf.csv", text.replace("\r\n", "\n").encode("utf-8")),
        ("utf16.csv", text.encode("utf-16")),
    ):
        got = _pnl(_one(tmp_path, name, data))
        assert got.equals(base), name
    # the Chinese product names survive the GB18030 round trip
    gb = load_file(tmp_path / "gb_csv" / "gb.csv")
    assert gb.report.layout == "shopify.orders"


def test_xlsx_with_numeric_cells_and_a_title_line(tmp_path: Path) -> None:
    base = _pnl(_one(tmp_path, "orders.csv", ORDERS.read_bytes()))
    with ORDERS.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for r in rows:
        ws.append([float(v) if v.replace(".", "", 1).isdigit() else v for v in r])
    d = tmp_path / "x"
    d.mkdir()
    wb.save(d / "orders.xlsx")
    assert _pnl(d).equals(base)
    # a title line above the header (as some marketplaces write) is skipped and noted
    t = tmp_path / "t"
    t.mkdir()
    (t / "orders.csv").write_text(
        "Orders export 2026-10\r\n" + ORDERS.read_text(encoding="utf-8"), encoding="utf-8"
    )
    assert _pnl(t).equals(base)
    assert any("title line" in n for n in load_file(t / "orders.csv").report.notes)
