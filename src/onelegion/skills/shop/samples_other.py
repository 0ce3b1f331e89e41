"""Amazon.de (Flat File settlement), Shopify, Shopee, TikTok Shop and Lazada months."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from onelegion.skills.shop.samples_base import Gen, _skus, d, local, tsv
from onelegion.skills.shop.samples_market import ACCOUNT, Z, _money, _oid, _register_cogs
from onelegion.skills.shop.samples_write import (
    AMZ_ORDERS_HEADER,
    LAZADA_HEADER,
    SHOPEE_EN,
    SHOPEE_ID,
    SHOPIFY_HEADER,
    TIKTOK_HEADER,
    flat_header,
    reorder,
    write_table,
)


def _de_money(x: Decimal) -> str:
    """German settlement style: 1.234,56"""
    s = f"{abs(x):,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    return ("-" if x < 0 else "") + s


def amazon_de(g: Gen, n: int) -> None:
    mk, cur = "Amazon.de", "EUR"
    g.truth.currencies[mk] = cur
    skus = _skus(g.rng, 5, "DE")
    _register_cogs(g, skus, cur, change=False)
    cols = 36 if g.variant % 2 == 0 else 33
    header = flat_header(cols)
    y, m = g.month
    start = datetime(y, m, 1, tzinfo=UTC)
    end = datetime(y + (m == 12), m % 12 + 1, 1, tzinfo=UTC) + timedelta(days=6)
    sid = f"{9876500000 + g.variant}"
    rows: list[dict[str, str]] = []
    orders: list[dict[str, str]] = []
    total = Z
    t = g.truth

    def add(
        posted: datetime,
        typ: str,
        oid: str,
        sku: str,
        qty: str,
        pair: tuple[str, str],
        kind: str,
        amount: Decimal,
    ) -> None:
        nonlocal total
        total += amount
        r = {
            "settlement-id": sid,
            "transaction-type": typ,
            "order-id": oid,
            "marketplace-name": mk if oid else "",
            "posted-date": f"{posted:%d.%m.%Y}",
            "sku": sku,
            "quantity-purchased": qty,
        }
        r[pair[0]] = kind
        r[pair[1]] = _de_money(amount)
        rows.append(r)

    for _ in range(n):
        oid = "30" + _oid(g)[2:]
        when = g.when()
        s = g.rng.choice(skus)
        qty = g.rng.randrange(1, 3)
        posted = (when + timedelta(days=1)).replace(hour=0, minute=0, second=0)
        principal = s.price * qty
        o = {h: "" for h in AMZ_ORDERS_HEADER}
        o.update(
            {
                "amazon-order-id": oid,
                "purchase-date": when.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
                "order-status": "Shipped",
                "fulfillment-channel": "Amazon",
                "sales-channel": mk,
                "sku": s.sku,
                "asin": s.asin,
                "quantity": str(qty),
                "currency": cur,
                "item-price": _money(principal),
                "item-tax": _money(d(principal * Decimal("0.19"))),
                "ship-country": "DE",
            }
        )
        orders.append(o)
        comm = -d(principal * Decimal("0.15"))
        fba = -(s.fba * qty)
        price = ("price-type", "price-amount")
        fee = ("item-related-fee-type", "item-related-fee-amount")
        add(posted, "Order", oid, s.sku, str(qty), price, "Principal", principal)
        add(posted, "Order", oid, s.sku, str(qty), fee, "Commission", comm)
        add(posted, "Order", oid, s.sku, str(qty), fee, "FBAPerUnitFulfillmentFee", fba)
        t.add(mk, s.sku, posted, "revenue", principal)
        t.add(mk, s.sku, posted, "referral_fee", comm)
        t.add(mk, s.sku, posted, "fulfilment_fee", fba)
        t.add(mk, s.sku, posted, "units", Decimal(qty))
        t.add(mk, s.sku, posted, "cogs", -s.cost * qty)
        if cols == 36 and g.rng.random() < 0.25:
            promo = -d(principal * Decimal("0.05"))
            add(
                posted,
                "Order",
                oid,
                s.sku,
                str(qty),
                ("promotion-type", "promotion-amount"),
                "Principal",
                promo,
            )
            t.add(mk, s.sku, posted, "promotions", promo)
        if g.rng.random() < 0.1:
            rp = -principal
            rposted = posted + timedelta(days=3)
            add(rposted, "Refund", oid, s.sku, str(qty), price, "Principal", rp)
            back = -comm
            add(rposted, "Refund", oid, s.sku, str(qty), fee, "Commission", back)
            t.add(mk, s.sku, rposted, "refunds", rp)
            t.add(mk, s.sku, rposted, "referral_fee", back)
            t.add(mk, s.sku, rposted, "refunded_units", Decimal(qty))
            t.add(mk, s.sku, rposted, "cogs", s.cost * qty)
    storage = -d(g.rng.randrange(1000, 3000) / 100)
    spost = start + timedelta(days=20)
    add(
        spost,
        "Storage Fee",
        "",
        "",
        "",
        ("other-fee-reason-description", "other-amount"),
        "",
        storage,
    )
    rows[-1]["other-fee-reason-description"] = ""
    t.add(mk, ACCOUNT, spost, "storage_fee", storage)
    g.truth.settlements[sid] = total
    summary = {
        "settlement-id": sid,
        "settlement-start-date": f"{start:%d.%m.%Y} 00:00:00 UTC",
        "settlement-end-date": f"{end:%d.%m.%Y} 00:00:00 UTC",
        "deposit-date": f"{end + timedelta(days=2):%d.%m.%Y} 00:00:00 UTC",
        "total-amount": _de_money(total),
        "currency": cur,
    }
    tsv(
        g.out / f"Flat_File_settlement_{sid}.txt", header, reorder(header, [summary, *rows], header)
    )
    tsv(
        g.out / "All_Orders_amazon_de.txt",
        AMZ_ORDERS_HEADER,
        reorder(AMZ_ORDERS_HEADER, orders, AMZ_ORDERS_HEADER),
    )


def shopify(g: Gen, n: int) -> None:
    mk, cur = "Shopify", "USD"
    g.truth.currencies[mk] = cur
    skus = _skus(g.rng, 4, "SH")
    _register_cogs(g, skus, cur, change=False)
    rows: list[dict[str, str]] = []
    t = g.truth
    for i in range(n):
        name = f"#{1001 + i}"
        when = g.when()
        lines = g.rng.sample(skus, 1 if g.rng.random() < 0.7 else 2)
        single = len(lines) == 1
        cancelled = g.rng.random() < 0.06
        ship = d("4.99") if single and g.rng.random() < 0.5 else Z
        subtotal = sum((s.price for s in lines), Z)
        disc = d(subtotal * Decimal("0.1")) if single and g.rng.random() < 0.3 else Z
        refund = d(subtotal / 2) if single and not cancelled and g.rng.random() < 0.15 else Z
        stamp = local(when, "America/New_York").strftime("%Y-%m-%d %H:%M:%S %z")
        for j, s in enumerate(lines):
            r = {
                "Name": name,
                "Lineitem quantity": "1",
                "Lineitem name": s.name,
                "Lineitem price": f"{s.price}",
                "Lineitem sku": s.sku,
                "Lineitem discount": "0.00",
                "Vendor": "OneLegion",
                "Id": str(5000 + i),
            }
            if j == 0:
                r.update(
                    {
                        "Financial Status": "partially_refunded" if refund else "paid",
                        "Currency": cur,
                        "Subtotal": f"{subtotal - disc}",
                        "Shipping": f"{ship}",
                        "Taxes": "0.00",
                        "Total": f"{subtotal - disc + ship}",
                        "Discount Amount": f"{disc}",
                        "Created at": stamp,
                        "Refunded Amount": f"{refund}",
                        "Cancelled at": stamp if cancelled else "",
                        "Shipping Country": "US",
                    }
                )
            rows.append(r)
            if cancelled:
                continue
            t.add(mk, s.sku, when, "revenue", s.price + (ship if single else Z))
            t.add(mk, s.sku, when, "units", Decimal(1))
            t.add(mk, s.sku, when, "cogs", -s.cost)
            if disc:
                t.add(mk, s.sku, when, "promotions", -disc)
            if refund:
                t.add(mk, s.sku, when, "refunds", -refund)
    order = g.order(SHOPIFY_HEADER)
    write_table(g.out / "orders_export_1.csv", g.drift(order), reorder(SHOPIFY_HEADER, rows, order))


def shopee(g: Gen, n: int) -> None:
    indo = g.variant % 3 == 2
    cur = "IDR" if indo else "PHP"
    mk = f"Shopee {'ID' if indo else 'PH'}"
    tz = "Asia/Jakarta" if indo else "Asia/Manila"
    g.truth.currencies[mk] = cur
    skus = _skus(g.rng, 4, "SP")
    factor = Decimal(1000) if indo else Decimal(1)
    for s in skus:  # rupiah prices are whole thousands
        s.price = (s.price * 10 * factor).quantize(Decimal(1)) if indo else s.price * 10
        s.cost = (s.cost * 10 * factor).quantize(Decimal(1)) if indo else s.cost * 10
    _register_cogs(g, skus, cur, change=False)

    def fmt(x: Decimal) -> str:
        if indo:
            return "Rp " + f"{int(x):,}".replace(",", ".")
        return f"{x:.2f}"

    from onelegion.skills.shop.samples_more import ShopeeOrder, shopee_income

    income = not indo and g.variant % 2 == 0
    released: list[ShopeeOrder] = []
    rows: list[dict[str, str]] = []
    t = g.truth
    for i in range(n):
        oid = f"2610{g.rng.randrange(10**10):010d}"
        when = g.when(minutes=True)
        lines = g.rng.sample(skus, 1 if g.rng.random() < 0.75 else 2)
        single = len(lines) == 1
        cancelled = g.rng.random() < 0.05
        stamp = local(when, tz).strftime("%Y-%m-%d %H:%M")
        for s in lines:
            qty = g.rng.randrange(1, 3)
            sub = s.price * qty
            voucher = (
                (sub / 10).quantize(Decimal(1) if indo else Decimal("0.01"))
                if single and g.rng.random() < 0.3
                else Z
            )
            ship = (Decimal(15000) if indo else Decimal("45.00")) if single else Z
            comm = (
                (sub * Decimal("0.05")).quantize(Decimal(1) if indo else Decimal("0.01"))
                if single
                else Z
            )
            svc = (
                (sub * Decimal("0.03")).quantize(Decimal(1) if indo else Decimal("0.01"))
                if single
                else Z
            )
            ret = 1 if (not cancelled and g.rng.random() < 0.08) else 0
            r = {
                "Order ID": oid,
                "Order Status": "Cancelled" if cancelled else "Completed",
                "Order Creation Date": stamp,
                "Parent SKU Reference No.": s.sku.split("-")[0],
                "Product Name": s.name,
                "SKU Reference No.": s.sku,
                "Original Price": fmt(s.price),
                "Deal Price": fmt(s.price),
                "Quantity": str(qty),
                "Returned quantity": str(ret),
                "Product Subtotal": fmt(sub),
                "Seller Voucher(PHP)": fmt(voucher),
                "Buyer Paid Shipping Fee": fmt(ship),
                "Commission Fee": fmt(comm),
                "Service Fee": fmt(svc),
                "Transaction Fee": fmt(Z),
                "Username (Buyer)": f"buyer{i}",
            }
            rows.append(r)
            if cancelled:
                continue
            t.add(mk, s.sku, when, "revenue", sub + ship)
            t.add(mk, s.sku, when, "units", Decimal(qty))
            t.add(mk, s.sku, when, "refunded_units", Decimal(ret))
            t.add(mk, s.sku, when, "cogs", -s.cost * (qty - ret))
            t.add(mk, s.sku, when, "promotions", -voucher)
            t.add(mk, s.sku, when, "other_fee", -(comm + svc))
            if income:
                if not released or released[-1].oid != oid:
                    released.append(ShopeeOrder(oid, when))
                released[-1].skus.append(s.sku)
                released[-1].money += sub + ship - voucher - comm - svc
                released[-1].subtotal += sub
    if indo:
        en_to_id = dict(
            zip(
                [
                    "Order ID",
                    "Order Status",
                    "Order Creation Date",
                    "Parent SKU Reference No.",
                    "Product Name",
                    "SKU Reference No.",
                    "Original Price",
                    "Deal Price",
                    "Quantity",
                    "Returned quantity",
                    "Product Subtotal",
                    "Seller Voucher(PHP)",
                    "Buyer Paid Shipping Fee",
                    "Commission Fee",
                    "Service Fee",
                    "Username (Buyer)",
                ],
                SHOPEE_ID,
                strict=True,
            )
        )
        rows = [
            {
                en_to_id[k]: (
                    v if k != "Order Status" else {"Cancelled": "Batal", "Completed": "Selesai"}[v]
                )
                for k, v in r.items()
                if k in en_to_id
            }
            for r in rows
        ]
        header = SHOPEE_ID
    else:
        header = SHOPEE_EN
    if income:
        shopee_income(g, mk, cur, tz, released)
    order = g.order(header)
    ext = ".xlsx" if g.variant % 4 == 1 else ".csv"
    write_table(
        g.out / f"Order.all.{g.month[0]}{g.month[1]:02d}{ext}",
        g.drift(order),
        reorder(header, rows, order),
    )


def tiktok(g: Gen, n: int) -> None:
    mk, cur, tz = "TikTok Shop", "BRL", "America/Sao_Paulo"
    g.truth.currencies[mk] = cur
    skus = _skus(g.rng, 3, "TT")
    _register_cogs(g, skus, cur, change=False)

    def fmt(x: Decimal) -> str:
        return "BRL " + f"{x:.2f}".replace(".", ",")

    from onelegion.skills.shop.samples_more import TikTokOrder, tiktok_settlement

    settle = g.variant % 2 == 0  # the settlement report too: money from it, units from orders
    paid: list[TikTokOrder] = []
    rows: list[dict[str, str]] = []
    t = g.truth
    for i in range(n):
        oid = f"57{g.rng.randrange(10**16):016d}"
        when = g.when()
        lines = g.rng.sample(skus, 1 if g.rng.random() < 0.8 else 2)
        single = len(lines) == 1
        cancelled = g.rng.random() < 0.05
        stamp = local(when, tz).strftime("%m/%d/%Y %I:%M:%S %p")
        ship = Decimal("7.90") if single else Z
        refund = Z
        for s in lines:
            qty = g.rng.randrange(1, 3)
            before = s.price * qty
            sdisc = d(before * Decimal("0.05")) if g.rng.random() < 0.3 else Z
            pdisc = d(before * Decimal("0.03"))
            refund = d(before / 2) if single and not cancelled and g.rng.random() < 0.1 else Z
            r = {
                "Order ID": oid,
                "Order Status": "Cancelled" if cancelled else "Completed",
                "Seller SKU": s.sku,
                "SKU ID": str(1700000 + i),
                "Product Name": s.name,
                "Quantity": str(qty),
                "Sku Quantity of return": "0",
                "SKU Unit Original Price": fmt(s.price),
                "SKU Subtotal Before Discount": fmt(before),
                "SKU Platform Discount": fmt(pdisc),
                "SKU Seller Discount": fmt(sdisc),
                "SKU Subtotal After Discount": fmt(before - pdisc - sdisc),
                "Shipping Fee After Discount": fmt(ship),
                "Order Amount": fmt(before - pdisc - sdisc + ship),
                "Order Refund Amount": fmt(refund),
                "Created Time": stamp,
                "Country": "Brazil",
            }
            rows.append(r)
            if cancelled:
                continue
            t.add(mk, s.sku, when, "units", Decimal(qty))
            t.add(mk, s.sku, when, "cogs", -s.cost * qty)
            if settle:
                if not paid or paid[-1].oid != oid:
                    paid.append(TikTokOrder(oid, when, ship))
                paid[-1].lines.append((s.sku, before - sdisc))
                paid[-1].refund += refund
                continue
            t.add(mk, s.sku, when, "revenue", before + ship)
            t.add(mk, s.sku, when, "promotions", -sdisc)
            t.add(mk, s.sku, when, "refunds", -refund)
    if settle:
        tiktok_settlement(g, mk, cur, paid)
    write_table(
        g.out / "TikTok_orders.csv",
        g.drift(TIKTOK_HEADER),
        reorder(TIKTOK_HEADER, rows, TIKTOK_HEADER),
    )


def lazada(g: Gen, n: int) -> None:
    mk, cur, tz = "Lazada", "PHP", "Asia/Manila"
    g.truth.currencies[mk] = cur
    skus = _skus(g.rng, 3, "LZ")
    for s in skus:
        s.price, s.cost = s.price * 10, s.cost * 10
    _register_cogs(g, skus, cur, change=False)
    rows: list[dict[str, str]] = []
    t = g.truth
    for i in range(n):
        when = g.when(minutes=True)
        s = g.rng.choice(skus)
        status = g.rng.choices(["delivered", "canceled", "returned"], [0.88, 0.05, 0.07])[0]
        disc = d(s.price * Decimal("0.1")) if g.rng.random() < 0.3 else Z
        ship = Decimal("38.00")
        refund = s.price - disc if status == "returned" else Z
        rows.append(
            {
                "orderItemId": str(90000 + i),
                "lazadaId": str(70000 + i),
                "sellerSku": s.sku,
                "lazadaSku": "LZ" + s.asin,
                "createTime": local(when, tz).strftime("%d %b %Y %H:%M"),
                "orderNumber": str(4000000 + i // 2 * 2 + i % 2),
                "paidPrice": f"{s.price - disc}",
                "unitPrice": f"{s.price}",
                "sellerDiscountTotal": f"{-disc}",
                "shippingFee": f"{ship}",
                "itemName": s.name,
                "status": status,
                "refundAmount": f"{refund}",
            }
        )
        if status == "canceled":
            continue
        t.add(mk, s.sku, when, "revenue", s.price + ship)
        t.add(mk, s.sku, when, "units", Decimal(1))
        t.add(mk, s.sku, when, "promotions", -disc)
        t.add(mk, s.sku, when, "refunds", -refund)
        ret = 1 if status == "returned" else 0
        t.add(mk, s.sku, when, "refunded_units", Decimal(ret))
        t.add(mk, s.sku, when, "cogs", -s.cost * (1 - ret))
    write_table(
        g.out / "lazada_orders.csv", LAZADA_HEADER, reorder(LAZADA_HEADER, rows, LAZADA_HEADER)
    )
