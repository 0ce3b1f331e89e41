"""Input and output models of the shop skills (pydantic only at import time)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from onelegion.core.skill import Artifact, InputDir, InputFile, OutputFile

_MAP = "Name a column the recogniser does not know: 'their header=field' (repeatable), e.g. 'Artikelnummer=sku'."
_CUR = "Currency of files that state none, per platform or file name: 'Lazada=PHP' (repeatable)."


_PCT = r"^\s*\d+(?:\.\d+)?\s*%?\s*$"


class Loading(BaseModel):
    map: list[str] = Field(default_factory=list, description=_MAP)
    currency_of: list[str] = Field(default_factory=list, description=_CUR)


class ShopInspectIn(Loading):
    path: InputFile = Field(description="One marketplace export (.txt/.tsv/.csv/.xlsx).")


class FileInfo(BaseModel):
    file: str = Field(description="File name.")
    layout: str | None = Field(default=None, description="Recognised layout id, or none.")
    title: str = Field(default="", description="What the layout is.")
    variant: str = Field(default="", description="Which variant of the layout (columns, window).")
    rows: int = Field(default=0, description="Data rows read.")
    columns: dict[str, str] = Field(default_factory=dict, description="Field -> the file's header.")
    unknown: list[str] = Field(default_factory=list, description="Headers no field explains.")
    problems: list[str] = Field(default_factory=list, description="What could not be understood.")
    notes: list[str] = Field(default_factory=list, description="What was assumed or skipped.")
    encoding: str | None = Field(default=None, description="Text encoding.")
    currencies: list[str] = Field(default_factory=list, description="Currencies of its amounts.")
    decimal_comma: bool | None = Field(default=None, description="True if it writes 12,34.")
    time_zone: str = Field(default="", description="How its timestamps' zone was known.")


class ShopInspectOut(BaseModel):
    file: FileInfo = Field(description="What was understood about the file.")
    tables: dict[str, int] = Field(default_factory=dict, description="Canonical rows produced.")
    preview: dict[str, list[dict[str, Any]]] = Field(
        default_factory=dict, description="First rows of each canonical table (as text)."
    )

    def __rich__(self) -> Any:
        from onelegion.skills.shop.render import inspect_view

        return inspect_view(self)


class ShopReportIn(Loading):
    path: InputDir = Field(description="Folder of marketplace exports (read recursively).")
    cogs: InputFile | None = Field(
        default=None,
        description="Cost of goods table: sku, unit cost[, currency][, effective from] (CSV/XLSX). A cogs file inside the folder is also used.",
    )
    fx: InputFile | None = Field(
        default=None,
        description="Exchange rates CSV (ECB eurofxref layout, or date,currency,rate per EUR). Default: the rates saved by `legion shop fx`, if any.",
    )
    currency: str | None = Field(
        default=None,
        description="Report currency for the totals, e.g. USD or CNY (needs rates when several currencies).",
    )
    month: str | None = Field(default=None, description="Only this month (YYYY-MM, UTC).")
    lead_time: int = Field(
        default=35,
        ge=0,
        description="Days from purchase order to stock available (production + transit).",
    )
    safety_days: int = Field(default=14, ge=0, description="Days of demand kept as safety stock.")
    target_acos: str = Field(
        default="25%", pattern=_PCT, description="Target ACoS in percent, e.g. 25% (or 25)."
    )
    report: OutputFile | None = Field(default=None, description="Also write the HTML report here.")
    llm: bool = Field(
        default=False,
        description="Let the configured LLM write the analyst's note (numbers checked against the tables).",
    )

    def acos(self) -> float:
        """The target ACoS as a number of percent."""
        return float(self.target_acos.strip().rstrip("%"))


class Check(BaseModel):
    name: str = Field(description="What was checked.")
    status: str = Field(description="ok | mismatch | info")
    detail: str = Field(description="The figures behind the verdict.")


class Totals(BaseModel):
    currency: str = Field(description="Currency of these totals.")
    revenue: str = Field(description="Revenue.")
    refunds: str = Field(description="Refunds.")
    fees: str = Field(description="Platform fees.")
    ads: str = Field(description="Ad spend.")
    cogs: str = Field(description="Cost of goods.")
    contribution: str = Field(description="Contribution margin.")
    margin_pct: float | None = Field(default=None, description="Contribution / net revenue x 100.")


class ShopReportOut(BaseModel):
    folder: Path = Field(description="The folder read.")
    files: list[FileInfo] = Field(
        default_factory=list, description="Each file and what was understood."
    )
    totals: list[Totals] = Field(
        default_factory=list, description="P&L totals per currency (and in the report currency)."
    )
    checks: list[Check] = Field(default_factory=list, description="Reconciliation checks.")
    gaps: list[str] = Field(default_factory=list, description="What the report could not cover.")
    narrative: str = Field(default="", description="The summary of the largest movements.")
    artifacts: list[Artifact] = Field(default_factory=list, description="Files written.")

    def __rich__(self) -> Any:
        from onelegion.skills.shop.render import report_view

        return report_view(self)


class ShopRestockIn(Loading):
    path: InputDir = Field(description="Folder with an FBA inventory or restock report and orders.")
    lead_time: int = Field(
        default=35,
        ge=0,
        description="Days from purchase order to stock available (production + transit).",
    )
    safety_days: int = Field(default=14, ge=0, description="Days of demand kept as safety stock.")
    window: int = Field(
        default=30, ge=1, le=365, description="Days of sales used for the daily demand."
    )
    output: OutputFile | None = Field(default=None, description="Also write restock.csv here.")


class RestockRow(BaseModel):
    sku: str = Field(description="SKU.")
    available: int | None = Field(default=None, description="Units available now.")
    inbound: int | None = Field(default=None, description="Units inbound.")
    daily: float = Field(description="Daily demand.")
    days_cover: float | None = Field(default=None, description="Days the available stock lasts.")
    band: str = Field(description="critical / warning / healthy / no demand.")
    reorder_point: int = Field(description="Daily demand x lead time + safety stock.")
    suggested_qty: int = Field(description="Units to order now.")


class ShopRestockOut(BaseModel):
    as_of: str | None = Field(
        default=None, description="Demand window ends at this order time (UTC)."
    )
    rows: list[RestockRow] = Field(
        default_factory=list, description="One row per SKU, most urgent first."
    )
    artifacts: list[Artifact] = Field(default_factory=list, description="Files written.")


class ShopAdsIn(Loading):
    path: InputDir = Field(description="Folder with Sponsored Products search term reports.")
    target_acos: str = Field(
        default="25%", pattern=_PCT, description="Target ACoS in percent, e.g. 25% (or 25)."
    )
    negate_spend: float = Field(
        default=10.0, ge=0, description="Negate a term with no orders once it spent this much."
    )
    negate_clicks: int = Field(default=15, ge=1, description="... or once it had this many clicks.")
    promote_orders: int = Field(
        default=2,
        ge=1,
        description="Promote a term with at least this many orders under the target ACoS.",
    )
    output: OutputFile | None = Field(default=None, description="Also write search_terms.csv here.")

    def acos(self) -> float:
        """The target ACoS as a number of percent."""
        return float(self.target_acos.strip().rstrip("%"))


class TermAction(BaseModel):
    action: str = Field(description="negate or promote.")
    search_term: str = Field(description="The customer search term.")
    campaign: str = Field(description="Campaign.")
    currency: str | None = Field(default=None, description="Currency of the spend.")
    spend: str = Field(description="Spend.")
    evidence: str = Field(description="The figures and rows behind the action.")


class ShopAdsOut(BaseModel):
    terms: int = Field(default=0, description="Distinct search terms.")
    actions: list[TermAction] = Field(
        default_factory=list, description="Terms to negate or promote."
    )
    artifacts: list[Artifact] = Field(default_factory=list, description="Files written.")


class ShopFxIn(BaseModel):
    url: str = Field(
        default="https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.zip",
        description="Where the ECB reference-rate history is downloaded from.",
    )


class ShopFxOut(BaseModel):
    path: Path = Field(description="Where the rates were saved.")
    rows: int = Field(description="Rates stored (day x currency).")
    currencies: list[str] = Field(default_factory=list, description="Currencies covered.")
    first: str = Field(default="", description="First day.")
    last: str = Field(default="", description="Last day.")
