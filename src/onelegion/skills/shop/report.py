"""report.html: self-contained (inline CSS and SVG), bilingual headings, Chinese-capable fonts."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import polars as pl

from onelegion.reports.charts import bar_chart
from onelegion.reports.html import cards, details, esc, page, section, table

if TYPE_CHECKING:
    from onelegion.skills.shop.service import Computed


def _n(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, Decimal):
        return f"{v:,.2f}"
    if isinstance(v, float):
        return f"{v:,.2f}"
    return str(v)


def frame_table(
    df: pl.DataFrame, cols: list[str], labels: list[str] | None = None, limit: int = 200
) -> str:
    if df.is_empty():
        return '<p class="muted">—</p>'
    cols = [c for c in cols if c in df.columns]
    part = df.select(cols).head(limit)
    numeric = [
        i
        for i, c in enumerate(cols)
        if part.schema[c].is_numeric() or isinstance(part.schema[c], pl.Decimal)
    ]
    rows = [[_n(v) for v in r] for r in part.iter_rows()]
    more = (
        f'<p class="muted">… {df.height - limit:,} more rows in the CSV / workbook</p>'
        if df.height > limit
        else ""
    )
    return table(labels or cols, rows, numeric=numeric) + more


def waterfall(steps: list[tuple[str, float]], title: str, width: int = 680) -> str:
    """A profit waterfall: each step moves the running total; the last bar is the result."""
    if not steps:
        return '<p class="muted">—</p>'
    run = 0.0
    bars = []
    for label, v in steps:
        bars.append((label, run, run + v, v))
        run += v
    bars.append(("贡献利润 Contribution", 0.0, run, run))
    lo = min(0.0, *(min(a, b) for _, a, b, _ in bars))
    hi = max(0.0, *(max(a, b) for _, a, b, _ in bars)) or 1.0
    h, top, bottom, left = 240, 26, 52, 10
    plot_h = h - top - bottom
    bw = (width - left * 2) / len(bars)

    def y(v: float) -> float:
        return top + plot_h * (hi - v) / ((hi - lo) or 1.0)

    parts = [
        f'<svg viewBox="0 0 {width} {h}" width="100%" style="max-width:{width}px" role="img" aria-label="{esc(title)}">',
        f'<text x="0" y="16" font-size="13" font-weight="600">{esc(title)}</text>',
        f'<line x1="{left}" x2="{width - left}" y1="{y(0):.1f}" y2="{y(0):.1f}" stroke="#d0d7de"/>',
    ]
    for i, (label, a, b, v) in enumerate(bars):
        x = left + i * bw + 4
        color = "#0969da" if i == len(bars) - 1 else ("#1a7f37" if v >= 0 else "#cf222e")
        y1, y2 = sorted((y(a), y(b)))
        parts.append(
            f'<rect x="{x:.1f}" y="{y1:.1f}" width="{bw - 8:.1f}" height="{max(1.0, y2 - y1):.1f}" fill="{color}" rx="2"><title>{esc(label)}: {v:,.2f}</title></rect>'
        )
        parts.append(
            f'<text x="{x + (bw - 8) / 2:.1f}" y="{y1 - 4:.1f}" font-size="11" text-anchor="middle">{v:,.0f}</text>'
        )
        parts.append(
            f'<text x="{x + (bw - 8) / 2:.1f}" y="{h - bottom + 16}" font-size="11" text-anchor="middle">{esc(label.split(" ")[0])}</text>'
        )
        parts.append(
            f'<text x="{x + (bw - 8) / 2:.1f}" y="{h - bottom + 30}" font-size="10" fill="#656d76" text-anchor="middle">{esc(" ".join(label.split(" ")[1:]))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


STEP_LABELS = [
    ("revenue", "收入 Revenue", 1),
    ("refunds", "退款 Refunds", -1),
    ("promotions", "促销 Promotions", -1),
    ("fees", "平台费 Fees", -1),
    ("ads", "广告 Ads", -1),
    ("cogs", "成本 COGS", -1),
    ("other", "其他 Other", 1),
]

PNL_COLS = [
    "marketplace",
    "currency",
    "sku",
    "month",
    "units",
    "refunded_units",
    "revenue",
    "refunds",
    "promotions",
    "fees",
    "ads",
    "cogs",
    "other",
    "contribution",
    "margin_pct",
    "rows",
]
PNL_LABELS = [
    "市场 Marketplace",
    "币种",
    "SKU",
    "月 Month",
    "销量 Units",
    "退货 Ret.",
    "收入 Revenue",
    "退款 Refunds",
    "促销 Promo",
    "费用 Fees",
    "广告 Ads",
    "成本 COGS",
    "其他 Other",
    "贡献 Contribution",
    "毛利率 Margin %",
    "行 Rows",
]


def _waterfalls(df: pl.DataFrame, note: str = "") -> str:
    if df.is_empty():
        return '<p class="muted">—</p>'
    out = []
    cols = [c for c, _, _ in STEP_LABELS]
    g = df.group_by("currency").agg([pl.col(c).sum() for c in cols]).sort("currency")
    for r in g.iter_rows(named=True):
        steps = [(label, float(r[c]) * sign) for c, label, sign in STEP_LABELS]
        out.append(waterfall(steps, f"利润瀑布 Profit waterfall · {r['currency']}{note}"))
    return "".join(out)


def write_html(c: Computed, narrative: str) -> str:
    from onelegion.skills.shop.profit import totals

    body: list[str] = []
    tot = totals(c.pnl_rc if c.pnl_rc is not None else c.pnl) or totals(c.pnl)
    items: list[tuple[str, object]] = []
    for t in tot:
        items += [
            (f"收入 Revenue {t.currency}", f"{Decimal(t.revenue):,.2f}"),
            (f"贡献利润 Contribution {t.currency}", f"{Decimal(t.contribution):,.2f}"),
            ("利润率 Margin", f"{t.margin_pct:.1f}%" if t.margin_pct is not None else "—"),
        ]
    n_bad = sum(1 for k in c.checks if k.status == "mismatch")
    items += [
        ("文件 Files", len(c.ds.files)),
        ("核对问题 Check issues", n_bad),
        ("缺口 Gaps", len(c.gaps)),
    ]
    body.append(cards(items))
    body.append(
        section(
            "摘要 Summary",
            "".join(f"<p>{esc(line)}</p>" for line in narrative.splitlines() if line.strip()),
        )
    )
    wf = _waterfalls(c.pnl)
    if c.pnl_rc is not None and c.pnl_rc is not c.pnl:
        wf = _waterfalls(c.pnl_rc, " (converted 换算)") + details("每个币种 Per currency", wf)
    body.append(section("利润 Profit", wf))
    by_market = (
        c.pnl.group_by("marketplace", "currency")
        .agg(
            [
                pl.col(x).sum()
                for x in [
                    "units",
                    "refunded_units",
                    "revenue",
                    "refunds",
                    "promotions",
                    "fees",
                    "ads",
                    "cogs",
                    "other",
                    "contribution",
                    "rows",
                ]
            ]
        )
        .sort("marketplace")
        if not c.pnl.is_empty()
        else c.pnl
    )
    if not by_market.is_empty():
        by_market = by_market.with_columns(
            margin_pct=pl.when((pl.col("revenue") - pl.col("refunds")) != 0).then(
                (
                    pl.col("contribution").cast(pl.Float64)
                    / (pl.col("revenue") - pl.col("refunds")).cast(pl.Float64)
                    * 100
                ).round(2)
            )
        )
    body.append(
        section(
            "按市场 By marketplace",
            frame_table(
                by_market,
                [c for c in PNL_COLS if c not in ("sku", "month")],
                [
                    lab
                    for col, lab in zip(PNL_COLS, PNL_LABELS, strict=True)
                    if col not in ("sku", "month")
                ],
            ),
        )
    )
    skus = c.pnl.filter(~pl.col("sku").str.starts_with("(")) if not c.pnl.is_empty() else c.pnl
    chart = ""
    if not skus.is_empty():
        m = skus.group_by("sku").agg(
            pl.col("contribution").sum(), (pl.col("revenue") - pl.col("refunds")).sum().alias("net")
        )
        m = m.filter(pl.col("net") != 0).with_columns(
            margin=(
                pl.col("contribution").cast(pl.Float64) / pl.col("net").cast(pl.Float64) * 100
            ).round(1)
        )
        data = [
            (r["sku"], float(r["margin"]))
            for r in m.sort("margin", descending=True).head(25).iter_rows(named=True)
            if r["margin"] > 0
        ]
        chart = bar_chart(data, title="毛利率 Margin % per SKU (positive)")
        neg = [
            (r["sku"], -float(r["margin"]))
            for r in m.sort("margin").head(10).iter_rows(named=True)
            if r["margin"] < 0
        ]
        if neg:
            chart += bar_chart(
                neg, title="亏损 SKU Loss-making SKUs (margin %, shown positive)", color="#cf222e"
            )
    body.append(section("按 SKU By SKU", chart, frame_table(c.pnl, PNL_COLS, PNL_LABELS)))
    # reconciliation
    rows = [[k.status, k.name, k.detail] for k in c.checks]
    rec = (
        table(["状态 Status", "核对 Check", "明细 Detail"], rows)
        if rows
        else '<p class="muted">—</p>'
    )
    if not c.diffs.is_empty():
        rec += details(
            f"未匹配的订单行 Unmatched order lines ({c.diffs.height})",
            frame_table(
                c.diffs,
                [
                    "status",
                    "marketplace",
                    "order_id",
                    "sku",
                    "ordered",
                    "settled",
                    "orders_file",
                    "settlement_file",
                ],
                limit=100,
            ),
        )
    body.append(section("对账 Reconciliation", rec))
    # ads
    ads_parts = []
    if not c.campaigns.is_empty():
        f = c.campaigns.select(
            pl.col("impressions").sum(), pl.col("clicks").sum(), pl.col("orders").sum()
        ).row(0)
        ads_parts.append(
            bar_chart(
                [
                    ("展示 Impressions", float(f[0] or 0)),
                    ("点击 Clicks", float(f[1] or 0)),
                    ("订单 Orders", float(f[2] or 0)),
                ],
                title="广告漏斗 Ad funnel",
            )
        )
        ads_parts.append(
            frame_table(
                c.campaigns,
                [
                    "campaign",
                    "currency",
                    "impressions",
                    "clicks",
                    "spend",
                    "sales",
                    "orders",
                    "acos_pct",
                    "roas",
                    "ctr_pct",
                    "cpc",
                    "cvr_pct",
                    "report",
                ],
            )
        )
    if not c.sku_ads.is_empty():
        ads_parts.append(
            "<h3>按 SKU 的广告 Ads per SKU</h3>"
            + frame_table(
                c.sku_ads,
                [
                    "sku",
                    "currency",
                    "spend",
                    "sales",
                    "acos_pct",
                    "roas",
                    "tacos_pct",
                    "breakeven_acos_pct",
                    "verdict",
                ],
            )
        )
    if not c.terms.is_empty():
        acts = c.terms.filter(pl.col("action") != "")
        ads_parts.append(
            f"<h3>搜索词建议 Search term actions ({acts.height})</h3>"
            + frame_table(
                acts,
                [
                    "action",
                    "search_term",
                    "campaign",
                    "match_type",
                    "clicks",
                    "spend",
                    "orders",
                    "acos_pct",
                    "evidence",
                ],
            )
        )
    if c.ads_source:
        ads_parts.append(
            '<p class="muted">Ad spend in the P&L comes from: '
            + esc(", ".join(f"{k}: {v}" for k, v in sorted(c.ads_source.items())))
            + "</p>"
        )
    body.append(section("广告 Advertising", *(ads_parts or ['<p class="muted">—</p>'])))
    # stock
    st = ""
    if not c.restock.is_empty():
        data = [
            (r["sku"], float(r["days_cover"]))
            for r in c.restock.filter(pl.col("days_cover").is_not_null())
            .head(25)
            .iter_rows(named=True)
        ]
        st = bar_chart(data, title="库存可售天数 Days of cover (lowest first)", color="#bf8700")
        st += frame_table(
            c.restock,
            [
                "sku",
                "available",
                "inbound",
                "daily",
                "days_cover",
                "band",
                "amazon_at_risk",
                "reorder_point",
                "suggested_qty",
                "amazon_qty",
                "demand_source",
            ],
        )
    body.append(section("库存 Stock", st or '<p class="muted">—</p>'))
    if not c.anomalies.is_empty():
        body.append(
            section(
                "异动 Week-over-week anomalies",
                '<p class="muted">A change larger than 3x the SKU\'s own earlier week-to-week noise.</p>',
                frame_table(
                    c.anomalies,
                    [
                        "marketplace",
                        "sku",
                        "week",
                        "metric",
                        "previous",
                        "value",
                        "change",
                        "noise",
                        "times_noise",
                    ],
                ),
            )
        )
    if not c.returns.is_empty():
        body.append(
            section(
                "退货率 Return rate (cohort: by refund date)",
                frame_table(
                    c.returns, ["marketplace", "sku", "units", "refunded_units", "return_rate_pct"]
                ),
            )
        )
    files = [
        [
            f.file,
            f.layout or "✗ unknown",
            f.variant,
            f.rows,
            ", ".join(f.currencies),
            f.time_zone,
            ", ".join(f.unknown[:8]) + (" …" if len(f.unknown) > 8 else ""),
            "; ".join(f.problems + f.notes),
        ]
        for f in c.ds.files
    ]
    body.append(
        section(
            "读取的文件 Files understood",
            table(
                [
                    "文件 File",
                    "格式 Layout",
                    "变体 Variant",
                    "行 Rows",
                    "币种",
                    "时区 Zone",
                    "未识别列 Unknown headers",
                    "问题 Problems / notes",
                ],
                files,
                numeric=(3,),
            ),
        )
    )
    if c.gaps:
        body.append(
            section("缺口 Gaps", "<ul>" + "".join(f"<li>{esc(g)}</li>" for g in c.gaps) + "</ul>")
        )
    body.append(
        section(
            "公式 Formulas",
            "<p>"
            + esc(
                "Contribution = revenue − refunds − promotions − fees − ads − COGS + other; margin % = contribution / (revenue − refunds). "
                "Tax, marketplace-withheld tax, reserves and transfers are reconciled but are not profit. COGS = (units sold − refunded units) × "
                "unit cost in effect at the sale. Every figure is a sum of the rows in facts.csv (file and row of each). See docs/shop.md."
            )
            + "</p>",
        )
    )
    sub = f"{c.ds.files[0].file if c.ds.files else ''} … · {len(c.ds.files)} files"
    return page("跨境电商报告 Shop report", body, subtitle=sub, lang="zh-CN")
