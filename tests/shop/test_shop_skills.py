"""The shop skills end to end: folder in, report/workbook/CSVs out; bad input; the LLM note."""

from __future__ import annotations

import hashlib
from pathlib import Path

import polars as pl
import pytest
from openpyxl import load_workbook
from pydantic_ai.messages import ModelMessage, ModelResponse, TextPart
from pydantic_ai.models.function import AgentInfo, FunctionModel
from tests.shop.shop_helpers import FIX, copy

from onelegion.core.context import Context
from onelegion.core.errors import UserError
from onelegion.core.llm import LLM
from onelegion.skills.shop import (
    SKILLS,
    _demo_report,
    shop_ads,
    shop_inspect,
    shop_report,
    shop_restock,
)
from onelegion.skills.shop.models import ShopAdsIn, ShopInspectIn, ShopReportIn, ShopRestockIn
from onelegion.skills.shop.narrative import grounded
from onelegion.skills.shop.samples import generate


def digest(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_skill_names_and_paths() -> None:
    assert [s.name for s in SKILLS] == [
        "shop.report",
        "shop.inspect",
        "shop.restock",
        "shop.ads",
        "shop.fx",
    ]
    assert list(shop_report.path_fields()) == ["path", "cogs", "fx", "report"]
    assert ShopAdsIn(path=Path("."), target_acos="30%").acos() == 30.0


def test_report_end_to_end(tmp_path: Path) -> None:
    folder = tmp_path / "downloads"
    generate(folder, seed=11, orders=80, variant=1)
    before = digest(folder)
    ctx = Context.for_testing(tmp_path)
    out = shop_report(
        ctx,
        ShopReportIn(
            path=folder, currency_of=["Lazada=PHP", "Walmart=USD"], report=tmp_path / "copy.html"
        ),
    )
    assert digest(folder) == before  # inputs untouched
    names = {a.name for a in out.artifacts}
    assert {
        "report.html",
        "report.xlsx",
        "pnl.csv",
        "facts.csv",
        "restock.csv",
        "search_term_actions.csv",
    } <= names
    assert not [p for p in ctx.run_dir.iterdir() if p.name.endswith(".tmp")]  # atomic writes
    assert all(f.layout for f in out.files)
    assert {t.currency for t in out.totals} == {"USD", "EUR", "PHP", "BRL"}
    html = (ctx.run_dir / "report.html").read_text(encoding="utf-8")
    assert html == (tmp_path / "copy.html").read_text(encoding="utf-8")
    assert html.count("<svg") >= 4 and "利润瀑布" in html and "Noto Sans CJK SC" in html
    assert "<script src" not in html and "https://" not in html  # self-contained
    wb = load_workbook(ctx.run_dir / "report.xlsx")
    assert {"pnl", "reconciliation", "files", "restock", "search_terms"} <= set(wb.sheetnames)
    assert wb["contribution_by_sku"]._charts  # a native chart
    facts = pl.read_csv(ctx.run_dir / "facts.csv", infer_schema=False)
    pnl = pl.read_csv(ctx.run_dir / "pnl.csv", infer_schema=False)
    assert {"file", "row", "line", "amount"} <= set(facts.columns)
    assert (
        facts.height
        == int(pnl["rows"].cast(pl.Int64).sum())
        + facts.filter(pl.col("line").is_in(["ads_duplicate", "pass_through"])).height
    )
    assert "several currencies" in " ".join(out.gaps)
    assert "Revenue".lower() in out.narrative.lower() or "revenue" in out.narrative


def test_report_in_one_currency_with_rates(tmp_path: Path) -> None:
    folder = tmp_path / "downloads"
    generate(folder, seed=4, orders=40, variant=0)
    ctx = Context.for_testing(tmp_path)
    out = shop_report(
        ctx,
        ShopReportIn(
            path=folder,
            currency_of=["Lazada=PHP", "Walmart=USD"],
            currency="EUR",
            fx=FIX / "eurofxref-hist-excerpt.csv",
        ),
    )
    eur = [t for t in out.totals if t.currency == "EUR"]
    assert len(eur) == 2  # the EUR marketplace alone, then everything converted to EUR
    assert float(eur[1].revenue) > float(eur[0].revenue)
    assert not [g for g in out.gaps if "rate" in g]
    assert "pnl_EUR" in load_workbook(ctx.run_dir / "report.xlsx").sheetnames


def test_bad_input_is_reported_per_file(tmp_path: Path) -> None:
    folder = tmp_path / "downloads"
    generate(folder, seed=9, orders=40, variant=1, bad=("truncate", "unknown"))
    out = shop_report(
        Context.for_testing(tmp_path),
        ShopReportIn(path=folder, currency_of=["Lazada=PHP", "Walmart=USD"]),
    )
    files = {f.file: f for f in out.files}
    assert files["mystery_export.csv"].layout is None
    assert "'Kundennummer', 'Betrag', 'Buchungstag'" in files["mystery_export.csv"].problems[0]
    [trunc] = [f for n, f in files.items() if n.startswith("settlement_") and f.problems]
    assert "do not have as many fields as the header" in trunc.problems[0]
    bad = [c for c in out.checks if c.status == "mismatch" and c.name.startswith("settlement")]
    assert len(bad) == 1 and "rows are missing or extra" in bad[0].detail
    assert any("mystery_export.csv" in g for g in out.gaps)


def test_settlement_that_does_not_sum(tmp_path: Path) -> None:
    folder = tmp_path / "downloads"
    generate(folder, seed=9, orders=30, variant=0, bad=("settlement_off",))
    out = shop_report(
        Context.for_testing(tmp_path),
        ShopReportIn(path=folder, currency_of=["Lazada=PHP", "Walmart=USD"]),
    )
    [bad] = [c for c in out.checks if c.status == "mismatch" and c.name.startswith("settlement")]
    assert "off by -0.01" in bad.detail


def test_sku_without_cost_and_mixed_currencies(tmp_path: Path) -> None:
    folder = copy(tmp_path, "settlement_v2_small.txt")
    (folder / "cogs.csv").write_text("sku,unit cost\nSKU-A,5.00\n", encoding="utf-8")
    text = (FIX / "sp_search_term_in_14day.csv").read_text(encoding="utf-8-sig")
    (folder / "mixed.csv").write_text(text.replace(",INR,", ",USD,", 1), encoding="utf-8")
    out = shop_report(Context.for_testing(tmp_path), ShopReportIn(path=folder))
    [cost] = [c for c in out.checks if c.name == "cost of goods"]
    assert cost.status == "mismatch" and "SKU-B" in cost.detail and "SKU-A" not in cost.detail
    mixed = next(f for f in out.files if f.file == "mixed.csv")
    assert "mixed currencies in one file: INR, USD" in mixed.notes


def test_empty_folder_and_non_cost_table(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(UserError, match="no exports found"):
        shop_report(Context.for_testing(tmp_path), ShopReportIn(path=tmp_path / "empty"))
    folder = copy(tmp_path, "settlement_v2_small.txt")
    with pytest.raises(UserError, match="is not a cost table"):
        shop_report(
            Context.for_testing(tmp_path),
            ShopReportIn(path=folder, cogs=FIX / "shopify_orders_small.csv"),
        )


def test_inspect(tmp_path: Path) -> None:
    out = shop_inspect(
        Context.for_testing(tmp_path), ShopInspectIn(path=FIX / "flat_file_de_33.txt")
    )
    assert (out.file.layout, out.file.variant, out.file.decimal_comma) == (
        "amazon.settlement.flat",
        "33 columns, no promotion-*",
        True,
    )
    assert out.file.columns["price_amount"] == "price-amount"
    assert out.tables == {"ledger": 4, "settlements": 1}
    assert out.preview["ledger"][0]["amount"] == "1049.0000"
    p = tmp_path / "odd.csv"
    p.write_text("a,b\n1,2\n", encoding="utf-8")
    odd = shop_inspect(Context.for_testing(tmp_path), ShopInspectIn(path=p))
    assert (
        odd.file.layout is None and "not a known layout (headers: 'a', 'b')" in odd.file.problems[0]
    )


def test_restock_and_ads_skills(tmp_path: Path) -> None:
    ctx = Context.for_testing(tmp_path)
    r = shop_restock(ctx, ShopRestockIn(path=FIX / "restock", lead_time=35, safety_days=14))
    assert [(x.sku, x.suggested_qty) for x in r.rows] == [
        ("SKU-B", 25),
        ("SKU-A", 58),
        ("SKU-C", 0),
    ]
    a = shop_ads(
        Context.for_testing(tmp_path / "b"),
        ShopAdsIn(path=copy(tmp_path, "sp_search_term_in_14day.csv")),
    )
    assert sorted((x.action, x.search_term) for x in a.actions) == [
        ("negate", "cheap mat"),
        ("negate", "mat"),
        ("promote", "yoga mat 6mm"),
    ]
    with pytest.raises(UserError, match="no search term report"):
        shop_ads(Context.for_testing(tmp_path / "c"), ShopAdsIn(path=FIX / "restock"))


def test_demo_params(tmp_path: Path) -> None:
    params = _demo_report(tmp_path)
    out = shop_report(Context.for_testing(tmp_path), ShopReportIn(**params))
    assert len(out.files) >= 14 and all(f.layout for f in out.files)


def test_llm_note_must_use_only_table_numbers(tmp_path: Path) -> None:
    assert grounded("Revenue 1,234.50 and margin 12.5%", {"1234.50", "12.5"}) == []
    assert grounded("Revenue 9,999.00 in 2026", {"1234.50"}) == ["9999.00"]
    folder = copy(tmp_path, "settlement_v2_small.txt", "cogs_small.csv")

    def honest(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        return ModelResponse(
            parts=[TextPart("SKU-B earned 8.27 on 25.50 of revenue; SKU-A lost 1.04.")]
        )

    def inventive(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        return ModelResponse(parts=[TextPart("Profit will reach 4,321.99 next month.")])

    ok = shop_report(
        Context.for_testing(tmp_path, llm=LLM(FunctionModel(honest))),
        ShopReportIn(path=folder, llm=True),
    )
    assert ok.narrative.startswith("SKU-B earned 8.27")
    no = shop_report(
        Context.for_testing(tmp_path / "x", llm=LLM(FunctionModel(inventive))),
        ShopReportIn(path=folder, llm=True),
    )
    assert "4321.99" in no.narrative and "was not used" in no.narrative
    assert not no.narrative.startswith("Profit will reach")


def test_templated_narrative_by_hand(tmp_path: Path) -> None:
    folder = copy(tmp_path, "settlement_v2_small.txt", "cogs_small.csv")
    out = shop_report(Context.for_testing(tmp_path), ShopReportIn(path=folder))
    lines = out.narrative.splitlines()
    # net revenue 65.50 - 20.00 = 45.50; -12.02 / 45.50 = -26.4 %
    assert lines[0] == (
        "USD: revenue 65.50, refunds 20.00, contribution -12.02 (margin -26.4% of net revenue), "
        "ad spend 12.00."
    )
    assert lines[1] == (
        "Best SKU: SKU-B on Amazon.com (USD 8.27); weakest: SKU-A on Amazon.com (USD -1.04)."
    )


def test_month_filter(tmp_path: Path) -> None:
    folder = copy(tmp_path, "shopify_orders_small.csv")
    ctx = Context.for_testing(tmp_path)
    out = shop_report(ctx, ShopReportIn(path=folder, month="2026-10"))
    pnl = pl.read_csv(ctx.run_dir / "pnl.csv", infer_schema=False)
    assert pnl["month"].unique().to_list() == ["2026-10"]
    [usd] = out.totals
    assert (usd.revenue, usd.refunds) == ("55.00", "0.00")  # #2003 (1 November UTC) left out
    none = shop_report(
        Context.for_testing(tmp_path / "b"), ShopReportIn(path=folder, month="2025-01")
    )
    assert "no money rows in 2025-01" in none.gaps
