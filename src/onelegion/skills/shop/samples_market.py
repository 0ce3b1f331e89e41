"""One simulated month per marketplace (used by samples.generate)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from onelegion.skills.shop.samples_base import Gen, Sku, _skus, d, local, tsv
from onelegion.skills.shop.samples_write import (
    ADS_PRODUCT_7D,
    AMZ_ORDERS_HEADER,
    INVENTORY_HEADER,
    RETURNS_HEADER,
    SEARCH_TERM_7D,
    SEARCH_TERM_2026,
    TXN_HEADER,
    V2_HEADER,
    reorder,
    write_table,
)

ACCOUNT = "(account)"
Z = Decimal(0)


def _cost_at(
    g: Gen, sku: Sku, when: datetime, change: tuple[str, datetime, Decimal] | None
) -> Decimal:
    if change and change[0] == sku.sku and when >= change[1]:
        return change[2]
    return sku.cost


def _register_cogs(
    g: Gen, skus: list[Sku], cur: str, change: bool
) -> tuple[str, datetime, Decimal] | None:
    for s in skus:
        g.cogs.append((s.sku, s.cost, cur, "2026-01-01"))
    if not change:
        return None
    y, m = g.month
    at = datetime(y, m, 16, tzinfo=UTC)
    new = d(skus[0].cost + Decimal("1.25"))
    g.cogs.append((skus[0].sku, new, cur, at.strftime("%Y-%m-%d")))
    return (skus[0].sku, at, new)


def _money(x: Decimal, comma: bool = False) -> str:
    s = f"{x:.2f}"
    return s.replace(".", ",") if comma else s


def _oid(g: Gen) -> str:
    r = g.rng
    return f"{r.randrange(111, 114)}-{r.randrange(10**7):07d}-{r.randrange(10**7):07d}"


def amazon_us(g: Gen, n: int, bad: tuple[str, ...]) -> None:
    mk, cur = "Amazon.com", "USD"
    g.truth.currencies[mk] = cur
    skus = _skus(g.rng, 8, "US")
    change = _register_cogs(g, skus, cur, change=True)
    y, m = g.month
    start = datetime(y, m, 1, tzinfo=UTC)
    mid = datetime(y, m, 15, tzinfo=UTC)
    end = datetime(y + (m == 12), m % 12 + 1, 1, tzinfo=UTC) + timedelta(days=7)
    sids = [f"{1234500000 + g.variant * 10 + 1}", f"{1234500000 + g.variant * 10 + 2}"]
    events: list[dict[str, Any]] = []  # settlement rows
    orders: list[dict[str, str]] = []
    returns: list[list[str]] = []
    t = g.truth

    def ev(when: datetime, **kw: object) -> None:
        kw["when"] = when
        kw["sid"] = sids[0] if when < mid else sids[1]
        events.append(kw)

    for _ in range(n):
        oid = _oid(g)
        when = g.when()
        lines = g.rng.sample(skus, 1 if g.rng.random() < 0.8 else 2)
        cancelled = g.rng.random() < 0.05
        posted = when + timedelta(hours=g.rng.randrange(6, 60))
        for s in lines:
            qty = 1 if g.rng.random() < 0.7 else g.rng.randrange(2, 4)
            principal = s.price * qty
            tax = d(principal * Decimal("0.08"))
            promo = -d(principal * Decimal("0.10")) if g.rng.random() < 0.2 else Z
            row = {h: "" for h in AMZ_ORDERS_HEADER}
            row.update(
                {
                    "amazon-order-id": oid,
                    "purchase-date": when.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
                    "last-updated-date": posted.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
                    "order-status": "Cancelled" if cancelled else "Shipped",
                    "fulfillment-channel": "Amazon",
                    "sales-channel": mk,
                    "product-name": s.name,
                    "sku": s.sku,
                    "asin": s.asin,
                    "item-status": "Cancelled" if cancelled else "Shipped",
                    "quantity": "0" if cancelled else str(qty),
                    "currency": "" if cancelled else cur,
                    "item-price": "" if cancelled else _money(principal),
                    "item-tax": "" if cancelled else _money(tax),
                    "shipping-price": "" if cancelled else "0.00",
                    "item-promotion-discount": "" if cancelled else _money(promo),
                    "ship-country": "US",
                    "is-business-order": "false",
                }
            )
            orders.append(row)
            if cancelled:
                continue
            comm = -d(principal * Decimal("0.15"))
            fba = -(s.fba * qty)
            base = {"order": oid, "sku": s.sku, "qty": qty, "type": "Order"}
            ev(posted, **base, at="ItemPrice", desc="Principal", amount=principal)
            ev(posted, **base, at="ItemPrice", desc="Tax", amount=tax)
            ev(
                posted,
                **base,
                at="ItemWithheldTax",
                desc="MarketplaceFacilitatorTax-Principal",
                amount=-tax,
            )
            ev(posted, **base, at="ItemFees", desc="Commission", amount=comm)
            ev(posted, **base, at="ItemFees", desc="FBAPerUnitFulfillmentFee", amount=fba)
            t.add(mk, s.sku, posted, "revenue", principal)
            t.add(mk, s.sku, posted, "referral_fee", comm)
            t.add(mk, s.sku, posted, "fulfilment_fee", fba)
            t.add(mk, s.sku, posted, "units", Decimal(qty))
            t.add(mk, s.sku, posted, "cogs", -_cost_at(g, s, posted, change) * qty)
            if promo:
                ev(posted, **base, at="Promotion", desc="Principal", amount=promo)
                t.add(mk, s.sku, posted, "promotions", promo)
            if g.rng.random() < 0.1:
                rq = g.rng.randrange(1, qty + 1)
                rwhen = posted + timedelta(days=g.rng.randrange(2, 9), minutes=g.rng.randrange(600))
                rp = -(s.price * rq)
                back = d(s.price * rq * Decimal("0.15"))
                refcomm = -min(Decimal("5.00"), d(back * Decimal("0.2")))
                rb = {"order": oid, "sku": s.sku, "qty": rq, "type": "Refund"}
                ev(rwhen, **rb, at="ItemPrice", desc="Principal", amount=rp)
                ev(rwhen, **rb, at="ItemFees", desc="Commission", amount=back)
                ev(rwhen, **rb, at="ItemFees", desc="RefundCommission", amount=refcomm)
                t.add(mk, s.sku, rwhen, "refunds", rp)
                t.add(mk, s.sku, rwhen, "referral_fee", back + refcomm)
                t.add(mk, s.sku, rwhen, "refunded_units", Decimal(rq))
                t.add(mk, s.sku, rwhen, "cogs", _cost_at(g, s, rwhen, change) * rq)
                returns.append(
                    [
                        rwhen.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
                        oid,
                        s.sku,
                        s.asin,
                        "X00" + s.asin[3:],
                        s.name,
                        str(rq),
                        "PHX7",
                        "SELLABLE",
                        "UNWANTED_ITEM",
                        "Unit returned to inventory",
                        "LPN" + oid[-6:],
                        "",
                    ]
                )
    returns.append(
        [
            (start + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%S+00:00"),
            "111-0000000-0000000",
            skus[1].sku,
            skus[1].asin,
            "X001",
            skus[1].name,
            "1",
            "PHX7",
            "DEFECTIVE",
            "DEFECTIVE",
            "Unit returned to inventory",
            "LPN0",
            "",
        ]
    )
    # account-level rows: storage, subscription, advertising (no order id, no marketplace name)
    storage = d(g.rng.randrange(2000, 6000) / 100)
    ev(
        mid - timedelta(hours=3),
        order="",
        sku="",
        qty="",
        type="Storage Fee",
        at="other-transaction",
        desc="Storage Fee",
        amount=-storage,
    )
    t.add(mk, ACCOUNT, mid - timedelta(hours=3), "storage_fee", -storage)
    ev(
        start + timedelta(hours=5),
        order="",
        sku="",
        qty="",
        type="Subscription Fee",
        at="other-transaction",
        desc="Subscription Fee",
        amount=Decimal("-39.99"),
    )
    t.add(mk, ACCOUNT, start + timedelta(hours=5), "subscription_fee", Decimal("-39.99"))
    spend = _ads(g, skus, cur, mk)
    ads_when = end - timedelta(days=8)
    ev(
        ads_when,
        order="",
        sku="",
        qty="",
        type="other-transaction",
        at="other-transaction",
        desc="Cost of Advertising",
        amount=-spend,
    )
    _write_v2(g, sids, events, start, mid, end, cur, mk, bad)
    if g.variant % 2 == 0:
        _write_txn(g, sids[0], [e for e in events if e["sid"] == sids[0]], mk)
    tsv(
        g.out / "All_Orders_amazon_com.txt",
        g.drift(AMZ_ORDERS_HEADER),
        reorder(AMZ_ORDERS_HEADER, orders, AMZ_ORDERS_HEADER),
    )
    inv = []
    for s in skus:
        avail, inbound = g.rng.randrange(0, 400), g.rng.randrange(0, 200)
        inv.append(
            [
                s.sku,
                "X00" + s.asin[3:],
                s.asin,
                s.name,
                "New",
                f"{s.price}",
                "No",
                "",
                "Yes",
                str(avail + 3),
                str(avail),
                "1",
                "2",
                str(avail + 3 + inbound),
                "0.05",
                "0",
                str(inbound),
                "0",
            ]
        )
    tsv(g.out / "Manage_FBA_Inventory.txt", INVENTORY_HEADER, inv)
    tsv(g.out / "FBA_customer_returns.txt", RETURNS_HEADER, returns)


def _ads(g: Gen, skus: list[Sku], cur: str, mk: str) -> Decimal:
    """Advertised product report (spend by SKU) + search term report of the same spend."""
    y, m = g.month
    rows: list[list[str]] = []
    st_rows: list[tuple[datetime, Sku, str, Decimal, int, int]] = []
    total = Z
    terms = [
        "wireless earbuds",
        "yoga mat thick",
        "phone stand",
        "保温杯 大容量",
        "cheap lamp",
        "usb c cable",
    ]
    for day in range(1, 26, 3):
        date = datetime(y, m, day, tzinfo=UTC)
        for s in skus[:5]:
            spend = d(g.rng.randrange(150, 1500) / 100)
            clicks = g.rng.randrange(3, 40)
            orders = g.rng.randrange(0, 4)
            sales = s.price * orders
            total += spend
            g.truth.add(mk, s.sku, date, "ads", -spend)
            acos = f"{float(spend / sales) * 100:.2f}%" if sales else ""
            roas = f"{float(sales / spend):.2f}" if spend else ""
            rows.append(
                [
                    date.strftime("%b %d, %Y"),
                    "",
                    cur,
                    "SP-" + s.sku,
                    "AG-1",
                    s.sku,
                    s.asin,
                    str(clicks * 30),
                    str(clicks),
                    f"{clicks / (clicks * 30) * 100:.2f}%",
                    f"{float(spend) / clicks:.2f}",
                    f"{spend}",
                    f"{sales}",
                    acos,
                    roas,
                    str(orders),
                    str(orders),
                    f"{orders / clicks * 100:.2f}%",
                    str(orders),
                    "0",
                    f"{sales}",
                    "0.00",
                ]
            )
            # the same spend split over two search terms
            a = d(spend * Decimal("0.6"))
            for term, sp, cl, od in (
                (terms[(day + len(st_rows)) % 6], a, clicks // 2, orders),
                ("zzz junk term", spend - a, clicks - clicks // 2, 0),
            ):
                st_rows.append((date, s, term, sp, cl, od))
    write_table(g.out / "Sponsored_Products_Advertised_product_report.csv", ADS_PRODUCT_7D, rows)
    if g.variant % 4 == 3:
        out = []
        for date, s, term, sp, cl, od in st_rows:
            r = {h: "" for h in SEARCH_TERM_2026}
            r.update(
                {
                    "Budget currency": cur,
                    "Date range": f"{date:%Y-%m-%d} - {date:%Y-%m-%d}",
                    "Advertiser account ID": '="A1B2C3"',
                    "Campaign ID": '="3000' + s.sku[-3:] + '"',
                    "Campaign name": "SP-" + s.sku,
                    "Ad group name": "AG-1",
                    "Search term": term,
                    "Impressions": str(cl * 30),
                    "Clicks": str(cl),
                    "Total cost": f"{sp}",
                    "Purchases": str(od),
                    "Sales": f"{s.price * od}",
                    "Units sold": str(od),
                }
            )
            out.append([r[h] for h in SEARCH_TERM_2026])
        write_table(g.out / "SP_search_term_2026.csv", SEARCH_TERM_2026, out, encoding="utf-8-sig")
    else:
        out = []
        for date, s, term, sp, cl, od in st_rows:
            sales = s.price * od
            out.append(
                [
                    date.strftime("%b %d, %Y"),
                    date.strftime("%b %d, %Y"),
                    "",
                    cur,
                    "SP-" + s.sku,
                    "AG-1",
                    "*",
                    "BROAD",
                    term,
                    str(cl * 30),
                    str(cl),
                    "",
                    "",
                    f"{sp}",
                    f"{sales}",
                    "",
                    "",
                    str(od),
                    str(od),
                    "",
                    str(od),
                    "0",
                    f"{sales}",
                    "0.00",
                ]
            )
        write_table(g.out / "Sponsored_Products_Search_term_report.csv", SEARCH_TERM_7D, out)
    return total


def _write_v2(
    g: Gen,
    sids: list[str],
    events: list[dict[str, Any]],
    start: datetime,
    mid: datetime,
    end: datetime,
    cur: str,
    mk: str,
    bad: tuple[str, ...],
) -> None:
    for i, sid in enumerate(sids):
        evs = [e for e in events if e["sid"] == sid]
        total = sum((e["amount"] for e in evs), Z)
        g.truth.settlements[sid] = total
        written = total + Decimal("0.01") if ("settlement_off" in bad and i == 1) else total
        s0, s1 = (start, mid) if i == 0 else (mid, end)
        rows = [
            [
                sid,
                f"{s0:%Y-%m-%d %H:%M:%S} UTC",
                f"{s1:%Y-%m-%d %H:%M:%S} UTC",
                f"{s1 + timedelta(days=1):%Y-%m-%d %H:%M:%S} UTC",
                _money(written),
                cur,
            ]
            + [""] * 18
        ]
        for e in sorted(evs, key=lambda e: e["when"]):
            w: datetime = e["when"]
            order = str(e["order"])
            rows.append(
                [
                    sid,
                    "",
                    "",
                    "",
                    "",
                    "",
                    str(e["type"]),
                    order,
                    "",
                    "",
                    "",
                    mk if order else "",
                    str(e["at"]),
                    str(e["desc"]),
                    _money(e["amount"]),
                    "AFN" if order else "",
                    f"{w:%Y-%m-%d}",
                    f"{w:%Y-%m-%d %H:%M:%S} UTC",
                    "",
                    "",
                    "",
                    str(e["sku"]),
                    str(e["qty"]),
                    "",
                ]
            )
        if "truncate" in bad and i == 1:
            rows[-1] = rows[-1][:9]
        tsv(g.out / f"settlement_{sid}.txt", g.drift(V2_HEADER) if i else V2_HEADER, rows)


def _write_txn(g: Gen, sid: str, evs: list[dict[str, Any]], mk: str) -> None:
    """The Date Range report of the same settlement (a duplicate a seller often also downloads)."""
    col = {
        "Principal": "product sales",
        "Tax": "product sales tax",
        "MarketplaceFacilitatorTax-Principal": "marketplace withheld tax",
        "Commission": "selling fees",
        "RefundCommission": "selling fees",
        "FBAPerUnitFulfillmentFee": "fba fees",
    }
    groups: dict[tuple[str, str, str, datetime], dict[str, Decimal]] = {}
    meta: dict[tuple[str, str, str, datetime], dict[str, Any]] = {}
    for e in evs:
        key = (str(e["type"]), str(e["order"]), str(e["sku"]), e["when"])
        cell = groups.setdefault(key, {})
        meta.setdefault(key, e)
        c = (
            "promotional rebates"
            if e["at"] == "Promotion"
            else col.get(str(e["desc"]), "other transaction fees")
        )
        if e["desc"] == "Storage Fee":
            c = "other"
        cell[c] = cell.get(c, Z) + e["amount"]
    rows = []
    for key in sorted(groups, key=lambda k: k[3]):
        typ, order, sku, when = key
        cell = groups[key]
        e = meta[key]
        lt = local(when, "America/Los_Angeles")
        stamp = lt.strftime("%b %-d, %Y %-I:%M:%S %p ") + (lt.tzname() or "")
        desc = {"Storage Fee": "FBA storage fee", "Subscription Fee": "Subscription"}.get(
            typ, "" if not order else "item"
        )
        kind = {
            "Storage Fee": "FBA Inventory Fee",
            "Subscription Fee": "Service Fee",
            "other-transaction": "Service Fee",
        }.get(typ, typ)
        if e["desc"] == "Cost of Advertising":
            desc = "Cost of Advertising"
        r = {h: "" for h in TXN_HEADER}
        r.update(
            {
                "date/time": stamp,
                "settlement id": sid,
                "type": kind,
                "order id": order,
                "sku": sku,
                "description": desc,
                "quantity": str(e["qty"]) if order else "",
                "marketplace": mk.lower() if order else "",
                "fulfillment": "Amazon" if order else "",
                "total": _money(sum(cell.values(), Z)),
            }
        )
        for c, v in cell.items():
            r[c] = _money(v)
        for h in TXN_HEADER[11:26]:
            r[h] = r[h] or "0"
        rows.append([r[h] for h in TXN_HEADER])
    path = g.out / f"{g.month[0]}{g.month[1]:02d}MonthlyTransaction.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write(
            '"Includes Amazon Marketplace, Fulfillment by Amazon (FBA), and Amazon Webstore transactions"\r\n'
        )
        f.write('"All amounts in USD, unless specified"\r\n')
    import csv

    with path.open("a", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(TXN_HEADER)
        w.writerows(rows)
