"""The short narrative: a templated summary of the largest movements, or, with ``--llm``, an
analyst's note written by the configured model from the computed tables only. Every number in
the model's note must appear in those tables; otherwise the templated summary is used and the
report says why."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import TYPE_CHECKING

import polars as pl

if TYPE_CHECKING:
    from onelegion.core.context import Context
    from onelegion.skills.shop.service import Computed


def _fmt(v: object) -> str:
    return f"{Decimal(str(v)):,.2f}"


def templated(c: Computed) -> str:
    lines: list[str] = []
    p = c.pnl
    if p.is_empty():
        return "没有可计算的金额 No money rows could be computed from these files."
    by_cur = p.group_by("currency").agg(
        pl.col("revenue").sum(),
        pl.col("refunds").sum(),
        pl.col("contribution").sum(),
        pl.col("ads").sum(),
    )
    for r in by_cur.sort("currency").iter_rows(named=True):
        net = Decimal(r["revenue"]) - Decimal(r["refunds"])
        m = f"{Decimal(r['contribution']) / net * 100:.1f}%" if net else "n/a"
        lines.append(
            f"{r['currency']}: revenue {_fmt(r['revenue'])}, refunds {_fmt(r['refunds'])}, "
            f"contribution {_fmt(r['contribution'])} (margin {m} of net revenue), "
            f"ad spend {_fmt(r['ads'])}."
        )
    skus = p.filter(~pl.col("sku").str.starts_with("("))
    if not skus.is_empty():
        g = skus.group_by("marketplace", "currency", "sku").agg(pl.col("contribution").sum())
        best = g.sort("contribution", descending=True).row(0, named=True)
        worst = g.sort("contribution").row(0, named=True)
        lines.append(
            f"Best SKU: {best['sku']} on {best['marketplace']} ({best['currency']} {_fmt(best['contribution'])}); "
            f"weakest: {worst['sku']} on {worst['marketplace']} ({worst['currency']} {_fmt(worst['contribution'])})."
        )
    bad = [k for k in c.checks if k.status == "mismatch"]
    if bad:
        lines.append(
            f"{len(bad)} check(s) need attention: " + "; ".join(k.name for k in bad[:4]) + "."
        )
    if not c.restock.is_empty():
        crit = c.restock.filter(pl.col("band") == "critical")
        if not crit.is_empty():
            lines.append(
                f"{crit.height} SKU(s) have under 7 days of cover: "
                + ", ".join(crit["sku"].head(5).to_list())
                + "."
            )
    if not c.anomalies.is_empty():
        top = c.anomalies.row(0, named=True)
        lines.append(
            f"Largest week-over-week move: {top['sku']} {top['metric']} {top['previous']:g} -> "
            f"{top['value']:g} in the week of {top['week']} ({top['times_noise']:g}x its usual change)."
        )
    if not c.terms.is_empty():
        neg = c.terms.filter(pl.col("action") == "negate")
        if not neg.is_empty():
            lines.append(
                f"{neg.height} search term(s) spent {_fmt(neg['spend'].sum())} with no orders: negate them."
            )
    return "\n".join(lines)


_NUM = re.compile(r"-?\d[\d,]*(?:\.\d+)?")


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "").rstrip(".") for n in _NUM.findall(text)}


def grounded(note: str, allowed: set[str]) -> list[str]:
    """Numbers in ``note`` that are not in ``allowed`` (ignoring years/months and tiny counts)."""
    out = []
    magnitudes = {a.lstrip("-") for a in allowed}
    for n in _numbers(note):
        plain = n.lstrip("-")
        if plain in magnitudes:
            continue
        if re.fullmatch(r"\d{1,2}|20\d\d", plain):  # counts up to 99, years
            continue
        out.append(n)
    return out


def narrative(ctx: Context, c: Computed, *, use_llm: bool) -> str:
    base = templated(c)
    if not use_llm:
        return base
    tables = {
        "pnl": c.pnl.head(60).with_columns(pl.all().cast(pl.Utf8)).to_dicts(),
        "checks": [{"name": k.name, "status": k.status, "detail": k.detail} for k in c.checks],
        "restock": c.restock.head(20).with_columns(pl.all().cast(pl.Utf8)).to_dicts()
        if not c.restock.is_empty()
        else [],
    }
    blob = json.dumps(tables, ensure_ascii=False)
    note = ctx.llm.ask(
        "You are a cross-border e-commerce analyst. Write a short note (at most 6 sentences, in "
        "the language of the SKU names if they are Chinese, else English) on the largest "
        "movements and what to do. Use ONLY numbers that appear verbatim in these tables:\n" + blob,
        system="Never invent or compute new numbers; copy figures exactly as written.",
    )
    allowed = _numbers(blob)
    stray = grounded(note, allowed)
    if stray:
        ctx.log(
            f"LLM note rejected: numbers not in the tables: {', '.join(stray[:5])}", level="warning"
        )
        return (
            base
            + f"\n(The LLM's note was not used: it contained numbers not in the tables: {', '.join(stray[:5])}.)"
        )
    return note.strip() + "\n\n" + base
