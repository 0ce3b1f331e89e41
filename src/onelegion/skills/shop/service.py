"""The shop skills' work: load the folder, build the model, compute, write the artifacts."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from onelegion.core.context import Context
from onelegion.core.errors import UserError
from onelegion.skills.shop.dataset import Dataset, load_paths
from onelegion.skills.shop.load import load_file
from onelegion.skills.shop.models import (
    Check,
    FileInfo,
    Loading,
    RestockRow,
    ShopAdsIn,
    ShopAdsOut,
    ShopFxIn,
    ShopFxOut,
    ShopInspectIn,
    ShopInspectOut,
    ShopReportIn,
    ShopReportOut,
    ShopRestockIn,
    ShopRestockOut,
    TermAction,
)
from onelegion.skills.shop.profit import totals
from onelegion.skills.shop.recognise import parse_maps
from onelegion.skills.shop.tables import FileReport


def file_info(r: FileReport) -> FileInfo:
    return FileInfo(
        file=r.file,
        layout=r.layout,
        title=r.title,
        variant=r.variant,
        rows=r.rows,
        columns=r.columns,
        unknown=r.unknown,
        problems=r.problems,
        notes=r.notes,
        encoding=r.encoding,
        currencies=r.currencies,
        decimal_comma=r.decimal_comma,
        time_zone=r.time_zone,
    )


def _currency_of(pairs: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for p in pairs:
        if "=" not in p:
            raise UserError(
                f"--currency-of {p!r} is not NAME=CUR", hint="e.g. --currency-of Lazada=PHP"
            )
        k, v = p.split("=", 1)
        out[k.strip().casefold()] = v.strip().upper()
    return out


def load(ctx: Context, params: Loading, paths: list[Path]) -> Dataset:
    def progress(i: int, n: int, name: str) -> None:
        ctx.progress(i, n, f"reading {name}")

    return load_paths(paths, parse_maps(params.map), _currency_of(params.currency_of), progress)


def write_atomic(path: Path, write: Callable[[Path], object]) -> Path:
    """Write through a temporary file in the same folder, then rename over the target."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def _csv(ctx: Context, name: str, df: pl.DataFrame, description: str) -> None:
    p = ctx.path(name)
    write_atomic(p, lambda t: _stringify(df).write_csv(t))
    ctx.artifact(name, p, description=description)


def _stringify(df: pl.DataFrame) -> pl.DataFrame:
    """Decimals and datetimes as text (exact, and readable by any spreadsheet)."""
    return df.with_columns(
        [
            pl.col(c).cast(pl.Utf8)
            for c, t in df.schema.items()
            if isinstance(t, (pl.Decimal, pl.Datetime, pl.Date, pl.List, pl.Struct))
        ]
    )


FACTS_CSV_MAX = 200_000  # larger fact tables only as Parquet (open with DuckDB or Polars)


# --- inspect ---------------------------------------------------------------------------------
def run_inspect(ctx: Context, params: ShopInspectIn) -> ShopInspectOut:
    loaded = load_file(params.path, parse_maps(params.map), _currency_of(params.currency_of))
    preview = {
        k: _stringify(v.head(5)).to_dicts() for k, v in loaded.tables.items() if not v.is_empty()
    }
    return ShopInspectOut(
        file=file_info(loaded.report),
        tables={k: v.height for k, v in loaded.tables.items()},
        preview=preview,
    )


# --- report ----------------------------------------------------------------------------------
@dataclass
class Computed:
    ds: Dataset
    pnl: pl.DataFrame
    facts: pl.DataFrame
    checks: list[Any]
    diffs: pl.DataFrame
    campaigns: pl.DataFrame
    terms: pl.DataFrame
    sku_ads: pl.DataFrame
    restock: pl.DataFrame
    returns: pl.DataFrame
    anomalies: pl.DataFrame = field(default_factory=pl.DataFrame)
    currency: str | None = None
    pnl_rc: pl.DataFrame | None = None
    gaps: list[str] = field(default_factory=list)
    ads_source: dict[str, str] = field(default_factory=dict)


def _rates(ctx: Context, fx: Path | None) -> pl.DataFrame | None:
    from onelegion.skills.shop.fx import read_rates, store_path

    if fx is not None:
        return read_rates(fx)
    stored = store_path(ctx.workspace)
    return read_rates(stored) if stored.exists() else None


def compute(ctx: Context, params: ShopReportIn) -> Computed:
    from onelegion.skills.shop import ads, stock
    from onelegion.skills.shop.anomalies import anomalies
    from onelegion.skills.shop.fx import convert_facts
    from onelegion.skills.shop.profit import build_facts, pnl
    from onelegion.skills.shop.reconcile import orders_vs_settlements, run_checks

    ds = load(ctx, params, [params.path])
    cogs = ds.t("cogs")
    if params.cogs is not None:
        extra = load_file(params.cogs, parse_maps(params.map))
        if "cogs" not in extra.tables:
            raise UserError(
                f"{params.cogs.name} is not a cost table ({'; '.join(extra.report.problems)})",
                hint="give columns sku and unit cost (optional currency, effective from)",
            )
        ds.files.append(extra.report)
        cogs = pl.concat([cogs, extra.tables["cogs"]], how="vertical_relaxed")
    ctx.progress(1, 4, "profit")
    # orders against settlements first: its join over a million order lines then does not
    # stack on top of the facts in memory
    matched = orders_vs_settlements(ds)
    profit = build_facts(ds, cogs if not cogs.is_empty() else None)
    facts = profit.facts
    gaps: list[str] = []
    if params.month:
        facts = facts.filter(pl.col("month") == params.month)
        if facts.is_empty():
            gaps.append(f"no money rows in {params.month}")
    table = pnl(facts) if params.month else profit.pnl
    checks, diffs = run_checks(ds, profit, matched)
    for f in ds.files:
        if f.layout is None or f.problems:
            gaps.append(f"{f.file}: {'; '.join(f.problems)}")
    markets = set(table["marketplace"].to_list()) if not table.is_empty() else set()
    for m in sorted(markets):
        if not m.startswith("Amazon") and not (ds.t("ledger")["marketplace"] == m).any():
            fees = table.filter(pl.col("marketplace") == m)["fees"].sum()
            if not fees:
                gaps.append(
                    f"{m}: only orders files, so platform fees are unknown (add its settlement/payout report)"
                )
    currencies = sorted({c for c in facts["currency"].to_list() if c})
    currency = params.currency or (currencies[0] if len(currencies) == 1 else None)
    pnl_rc = None
    if currency:
        currency = currency.upper()
        if currencies == [currency]:
            pnl_rc = table
        else:
            rates = _rates(ctx, params.fx)
            if rates is None:
                gaps.append(
                    f"amounts in {', '.join(currencies)}: no exchange rates, so no {currency} totals "
                    "(run `legion shop fx` or give --fx rates.csv)"
                )
            else:
                conv, fx_gaps = convert_facts(facts, rates, currency)
                gaps += fx_gaps
                conv = conv.with_columns(amount=pl.col("amount_rc"), currency=pl.lit(currency))
                pnl_rc = pnl(conv.filter(pl.col("amount").is_not_null()))
    elif len(currencies) > 1:
        gaps.append(
            f"several currencies ({', '.join(currencies)}): totals shown per currency; give --currency "
            "and rates for one total"
        )
    ctx.progress(2, 4, "ads and stock")
    restock, _ = stock.restock(ds, lead_time=params.lead_time, safety_days=params.safety_days)
    if ds.t("inventory").is_empty():
        gaps.append("no inventory or restock report: no stock cover")
    if ds.t("ads").is_empty():
        gaps.append("no advertising reports: ad metrics and ACoS not computed")
    return Computed(
        ds=ds,
        pnl=table,
        facts=facts,
        checks=checks,
        diffs=diffs,
        campaigns=ads.campaigns(ds),
        terms=ads.search_terms(
            ds,
            target_acos=params.acos(),
            negate_spend=10.0,
            negate_clicks=15,
            promote_orders=2,
        ),
        sku_ads=ads.sku_ads(ds, table),
        restock=restock,
        returns=stock.return_rates(table),
        anomalies=anomalies(facts),
        currency=currency,
        pnl_rc=pnl_rc,
        gaps=gaps,
        ads_source=profit.ads_source,
    )


def run_report(ctx: Context, params: ShopReportIn) -> ShopReportOut:
    from onelegion.skills.shop.narrative import narrative
    from onelegion.skills.shop.report import write_html
    from onelegion.skills.shop.workbook import write_xlsx

    c = compute(ctx, params)
    tot = totals(c.pnl)
    rc_tot = totals(c.pnl_rc) if c.pnl_rc is not None and c.pnl_rc is not c.pnl else []
    text = narrative(ctx, c, use_llm=params.llm)
    # the row-level tables are no longer needed: free them before the artifacts are written
    for k in ("ledger", "orders", "settlements", "returns"):
        c.ds.tables[k] = c.ds.tables[k].clear()
    ctx.progress(3, 4, "writing the report")
    html_path = ctx.path("report.html")
    write_atomic(html_path, lambda t: t.write_text(write_html(c, text), encoding="utf-8"))
    ctx.artifact(
        "report.html", html_path, description="P&L, reconciliation, ads, stock (self-contained)"
    )
    if params.report is not None:
        write_atomic(params.report, lambda t: t.write_bytes(html_path.read_bytes()))
    xlsx = ctx.path("report.xlsx")
    write_atomic(xlsx, lambda t: write_xlsx(c, t))
    ctx.artifact("report.xlsx", xlsx, description="One sheet per table, with charts")
    _csv(ctx, "pnl.csv", c.pnl, "P&L per marketplace, currency, SKU and month")
    facts = ctx.path("facts.parquet")
    write_atomic(facts, lambda t: c.facts.write_parquet(t, compression="lz4", statistics=False))
    ctx.artifact("facts.parquet", facts, description="Every money row behind the P&L (file, row)")
    if c.facts.height <= FACTS_CSV_MAX:
        _csv(ctx, "facts.csv", c.facts, "Every money row behind the P&L, with its file and row")
    if not c.restock.is_empty():
        _csv(ctx, "restock.csv", c.restock, "Days of cover, reorder point, suggested order per SKU")
    if not c.terms.is_empty():
        acts = c.terms.filter(pl.col("action") != "")
        _csv(
            ctx, "search_term_actions.csv", acts, "Search terms to negate / promote, with evidence"
        )
    if not c.anomalies.is_empty():
        _csv(ctx, "anomalies.csv", c.anomalies, "Week-over-week moves beyond each SKU's own noise")
    if not c.diffs.is_empty():
        _csv(ctx, "orders_vs_settlements.csv", c.diffs, "Order lines not matched to a settlement")
    ctx.progress(4, 4, "done")
    return ShopReportOut(
        folder=params.path,
        files=[file_info(f) for f in c.ds.files],
        totals=tot + rc_tot,
        checks=[Check(name=k.name, status=k.status, detail=k.detail) for k in c.checks],
        gaps=c.gaps,
        narrative=text,
        artifacts=ctx.artifacts,
    )


# --- restock / ads ---------------------------------------------------------------------------
def run_restock(ctx: Context, params: ShopRestockIn) -> ShopRestockOut:
    from onelegion.skills.shop.stock import restock

    ds = load(ctx, params, [params.path])
    table, as_of = restock(
        ds, lead_time=params.lead_time, safety_days=params.safety_days, window=params.window
    )
    if table.is_empty():
        raise UserError(
            f"no inventory in {params.path}",
            hint="add the Manage FBA Inventory or Restock Inventory report",
        )
    _csv(ctx, "restock.csv", table, "Days of cover, reorder point, suggested order per SKU")
    if params.output is not None:
        write_atomic(params.output, lambda t: _stringify(table).write_csv(t))
    rows = [
        RestockRow(
            sku=r["sku"],
            available=r["available"],
            inbound=r["inbound"],
            daily=r["daily"],
            days_cover=r["days_cover"],
            band=r["band"],
            reorder_point=r["reorder_point"],
            suggested_qty=r["suggested_qty"],
        )
        for r in table.iter_rows(named=True)
    ]
    return ShopRestockOut(
        as_of=as_of.isoformat(sep=" ") if as_of else None, rows=rows, artifacts=ctx.artifacts
    )


def run_ads(ctx: Context, params: ShopAdsIn) -> ShopAdsOut:
    from onelegion.skills.shop.ads import search_terms

    ds = load(ctx, params, [params.path])
    terms = search_terms(
        ds,
        target_acos=params.acos(),
        negate_spend=params.negate_spend,
        negate_clicks=params.negate_clicks,
        promote_orders=params.promote_orders,
    )
    if terms.is_empty():
        raise UserError(
            f"no search term report in {params.path}",
            hint="download Sponsored Products → Search term report from the campaign manager",
        )
    _csv(ctx, "search_terms.csv", terms, "Every search term with its metrics and action")
    if params.output is not None:
        write_atomic(params.output, lambda t: _stringify(terms).write_csv(t))
    acts = terms.filter(pl.col("action") != "")
    return ShopAdsOut(
        terms=terms.height,
        actions=[
            TermAction(
                action=r["action"],
                search_term=r["search_term"] or "",
                campaign=r["campaign"] or "",
                currency=r["currency"],
                spend=f"{r['spend']:.2f}",
                evidence=r["evidence"],
            )
            for r in acts.iter_rows(named=True)
        ],
        artifacts=ctx.artifacts,
    )


# --- fx --------------------------------------------------------------------------------------
def run_fx(ctx: Context, params: ShopFxIn) -> ShopFxOut:
    from onelegion.skills.shop.fx import parse_ecb_csv, parse_ecb_zip, save_rates, store_path

    with ctx.http.client() as client:
        resp = client.get(params.url)
    if resp.status_code != 200:
        raise UserError(
            f"the ECB answered {resp.status_code} for {params.url}", hint="try again later"
        )
    data = resp.content
    rates = parse_ecb_zip(data) if data[:2] == b"PK" else parse_ecb_csv(data.decode("utf-8-sig"))
    if rates.is_empty():
        raise UserError("the ECB file held no rates", hint="check the URL")
    path = store_path(ctx.workspace)
    save_rates(rates, path)
    ctx.artifact("ecb-rates.csv", path, description="ECB reference rates (currency per EUR)")
    return ShopFxOut(
        path=path,
        rows=rates.height,
        currencies=sorted(set(rates["currency"].to_list())),
        first=str(rates["date"].min()),
        last=str(rates["date"].max()),
    )
