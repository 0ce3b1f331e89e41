"""Generator: TikTok Shop settlement and Shopee income reports for the simulated orders, and
eBay / Walmart orders and ads (the truth is computed from the simulated events). Even variants
write the payout files; odd variants write a subset of the optional eBay/Walmart columns; every
variant may shuffle the column order and drift the header case."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from onelegion.skills.shop.samples_base import Gen, _skus, d, local
from onelegion.skills.shop.samples_market import ACCOUNT, Z, _register_cogs
from onelegion.skills.shop.samples_write import reorder, write_table

ADS_NO_SKU = "(ads, not by SKU)"


@dataclass
class TikTokOrder:
    oid: str
    when: datetime
    ship: Decimal
    lines: list[tuple[str, Decimal]] = field(default_factory=list)  # sku, subtotal after seller
    refund: Decimal = Z


@dataclass
class ShopeeOrder:
    oid: str
    when: datetime
    skus: list[str] = field(default_factory=list)
    money: Decimal = Z  # the order's money in the P&L from the orders export
    subtotal: Decimal = Z


TIKTOK_SETTLEMENT = [
    "Order/adjustment ID",
    "Type",
    "Order settled time",
    "Currency",
    "Total settlement amount",
    "Total revenue",
    "Subtotal after seller discounts",
    "Refund subtotal after seller discounts",
    "Transaction fee",
    "TikTok Shop commission fee",
    "SFP service fee",
    "Platform shipping fee discount",
    "Customer shipping fee",
    "Actual shipping fee ",
    "Seller shipping fee",
    "Affiliate Shop Ads commission ",
    "Affiliate commission ",
    "Affiliate partner commission ",
]


def _midnight_utc(day: datetime, tz: str) -> datetime:
    """The instant a date-only value written in ``tz`` is read as (local midnight)."""
    return datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(tz)).astimezone(UTC)


def tiktok_settlement(g: Gen, mk: str, cur: str, orders: list[TikTokOrder]) -> None:
    t = g.truth
    rows: list[dict[str, str]] = []
    total_all = Z
    for o in orders:
        settled = o.when + timedelta(days=2)
        key = o.lines[0][0] if len({s for s, _ in o.lines}) == 1 else ACCOUNT
        sub = sum((a for _, a in o.lines), Z)
        commission = -d(sub * Decimal("0.06"))
        txn = -d(sub * Decimal("0.02"))
        actual = -(Decimal("12.00") if o.ship else Decimal("9.00"))
        platform = Decimal("2.00")
        seller_ship = o.ship + actual + platform
        aff = -d(sub * Decimal("0.05")) if g.rng.random() < 0.3 else Z
        revenue = sub - o.refund
        total = revenue + commission + txn + seller_ship + aff
        total_all += total
        rows.append(
            {
                "Order/adjustment ID": o.oid,
                "Type": "Order",
                "Order settled time": local(settled, "America/Sao_Paulo").strftime(
                    "%Y/%m/%d %H:%M:%S"
                ),
                "Currency": cur,
                "Total settlement amount": f"{total:.2f}",
                "Total revenue": f"{revenue:.2f}",
                "Subtotal after seller discounts": f"{sub:.2f}",
                "Refund subtotal after seller discounts": f"{-o.refund:.2f}",
                "Transaction fee": f"{txn:.2f}",
                "TikTok Shop commission fee": f"{commission:.2f}",
                "SFP service fee": "0.00",
                "Platform shipping fee discount": f"{platform:.2f}",
                "Customer shipping fee": f"{o.ship:.2f}",
                "Actual shipping fee ": f"{actual:.2f}",
                "Seller shipping fee": f"{seller_ship:.2f}",
                "Affiliate Shop Ads commission ": "0.00",
                "Affiliate commission ": f"{aff:.2f}",
                "Affiliate partner commission ": "0.00",
            }
        )
        at = settled.replace(microsecond=0)
        t.add(mk, key, at, "revenue", sub)
        t.add(mk, key, at, "refunds", -o.refund)
        t.add(mk, key, at, "referral_fee", commission)
        t.add(mk, key, at, "other_fee", txn)
        t.add(mk, key, at, "shipping_fee", seller_ship)
        t.add(mk, key, at, "ads", aff)
    t.settlements["TikTok statement"] = total_all
    order = g.order(TIKTOK_SETTLEMENT)
    write_table(
        g.out / "tiktok_settlement.csv", g.drift(order), reorder(TIKTOK_SETTLEMENT, rows, order)
    )


def shopee_income(g: Gen, mk: str, cur: str, tz: str, orders: list[ShopeeOrder]) -> None:
    t = g.truth
    header = [
        "Order ID",
        "Payout Completed Date",
        f"Total Released Amount ({cur})",
        "Return to Seller Fee",
        "Shipping Fee Charged by Logistic Provider",
        "Seller Paid Shipping Fee SST",
        "Reverse Shipping Fee",
        "Reverse Shipping Fee SST",
        "Rebate Provided by Shopee",
        "AMS Commission Fee",
        "Saver Programme Fee (Incl. SST)",
        "Buyer Paid Installation Fee",
        "Actual Installation Fee",
        "refund id",
        "Refund Amount",
        "View By",
    ]
    rows: list[dict[str, str]] = []
    for o in orders:
        if g.rng.random() < 0.3:
            continue  # not released yet
        day = local(o.when + timedelta(days=2), tz)
        at = _midnight_utc(day, tz)
        key = o.skus[0] if len(set(o.skus)) == 1 else ACCOUNT
        logistic = Decimal("30.00") if len(o.skus) == 1 else Decimal("20.00")
        ams = d(o.subtotal * Decimal("0.04")) if g.rng.random() < 0.2 else Z
        rebate = Decimal("5.00") if g.rng.random() < 0.1 else Z
        refund = d(o.subtotal / 4) if g.rng.random() < 0.1 else Z
        released = o.money - logistic - ams + rebate - refund
        rows.append(
            {
                "Order ID": o.oid,
                "Payout Completed Date": day.strftime("%Y-%m-%d"),
                header[2]: f"{released:.2f}",
                "Return to Seller Fee": "0.00",
                "Shipping Fee Charged by Logistic Provider": f"{-logistic:.2f}",
                "Seller Paid Shipping Fee SST": "0.00",
                "Reverse Shipping Fee": "0.00",
                "Reverse Shipping Fee SST": "0.00",
                "Rebate Provided by Shopee": f"{rebate:.2f}",
                "AMS Commission Fee": f"{-ams:.2f}",
                "Saver Programme Fee (Incl. SST)": "0.00",
                "Buyer Paid Installation Fee": "0.00",
                "Actual Installation Fee": "0.00",
                "refund id": f"R{o.oid}" if refund else "",
                "Refund Amount": f"{-refund:.2f}",
                "View By": "Order",
            }
        )
        t.add(mk, key, at, "shipping_fee", -logistic)
        t.add(mk, key, at, "ads", -ams)
        t.add(mk, key, at, "other", rebate)
        t.add(mk, key, at, "refunds", -refund)
    order = g.order(header)
    write_table(g.out / "Income.released.csv", g.drift(order), reorder(header, rows, order))


EBAY_ORDERS = [
    "Sales Record Number",
    "Order Number",
    "Buyer Username",
    "Item Number",
    "Item Title",
    "Custom Label",
    "Quantity",
    "Sold For",
    "Shipping And Handling",
    "eBay Collected Tax",
    "Total Price",
    "Sale Date",
    "Paid On Date",
]
EBAY_OPTIONAL = (
    "Sales Record Number",
    "Buyer Username",
    "Item Title",
    "Total Price",
    "Paid On Date",
)
EBAY_ADS = ["Item ID", "Item title", "Date sold", "Sold qty", "Sold for", "Ad fees"]
WALMART_ORDERS = [
    "PO#",
    "Order#",
    "Order Date",
    "Line#",
    "Status",
    "Item Description",
    "Qty",
    "SKU",
    "Item Cost",
    "Shipping Cost",
    "Tax",
]
WALMART_OPTIONAL = ("Line#", "Status", "Item Description", "Tax")
WALMART_ADS = [
    "Date",
    "Campaign Name",
    "Ad Group Name",
    "Impressions",
    "Clicks",
    "Ad Spend",
    "Total Attributed Sales",
    "Units Sold",
    "Orders",
]


def _columns(g: Gen, header: list[str], optional: tuple[str, ...]) -> list[str]:
    """Odd variants leave out some optional columns; the order may be shuffled."""
    if g.variant % 2 == 1:
        header = [h for h in header if h not in optional or g.rng.random() < 0.5]
    return g.order(header)


def ebay(g: Gen, n: int) -> None:
    mk, cur, tz = "eBay", "USD", "America/Los_Angeles"
    g.truth.currencies[mk] = cur
    skus = _skus(g.rng, 3, "EB")
    _register_cogs(g, skus, cur, change=False)
    t = g.truth
    rows: list[dict[str, str]] = []
    ads: list[dict[str, str]] = []
    for i in range(n):
        s = g.rng.choice(skus)
        qty = g.rng.randrange(1, 3)
        ship = Decimal("4.99") if g.rng.random() < 0.5 else Z
        day = local(g.when(), tz)
        at = _midnight_utc(day, tz)
        tax = d(s.price * qty * Decimal("0.08"))
        rows.append(
            {
                "Sales Record Number": str(1000 + i),
                "Order Number": f"{g.rng.randrange(10, 99)}-{g.rng.randrange(10**5):05d}-"
                f"{g.rng.randrange(10**5):05d}",
                "Buyer Username": f"buyer_{i}",
                "Item Number": f"1100{s.asin[2:]}",
                "Item Title": s.name,
                "Custom Label": s.sku,
                "Quantity": str(qty),
                "Sold For": f"${s.price:.2f}",
                "Shipping And Handling": f"${ship:.2f}",
                "eBay Collected Tax": f"${tax:.2f}",
                "Total Price": f"${s.price * qty + ship + tax:.2f}",
                "Sale Date": day.strftime("%b-%d-%y"),
                "Paid On Date": day.strftime("%b-%d-%y"),
            }
        )
        t.add(mk, s.sku, at, "revenue", s.price * qty + ship)
        t.add(mk, s.sku, at, "units", Decimal(qty))
        t.add(mk, s.sku, at, "cogs", -s.cost * qty)
        if g.rng.random() < 0.4:  # sold through a promoted listing
            fee = d(s.price * qty * Decimal("0.07"))
            ads.append(
                {
                    "Item ID": f"1100{s.asin[2:]}",
                    "Item title": s.name,
                    "Date sold": day.strftime("%b-%d-%y"),
                    "Sold qty": str(qty),
                    "Sold for": f"${s.price * qty:.2f}",
                    "Ad fees": f"${fee:.2f}",
                }
            )
            t.add(mk, ADS_NO_SKU, day.replace(tzinfo=None), "ads", -fee)
    cols = _columns(g, EBAY_ORDERS, EBAY_OPTIONAL)
    write_table(g.out / "eBay-OrdersReport.csv", g.drift(cols), reorder(EBAY_ORDERS, rows, cols))
    if ads:
        cols = g.order(EBAY_ADS)
        write_table(
            g.out / "eBay-promoted-listings.csv", g.drift(cols), reorder(EBAY_ADS, ads, cols)
        )


def walmart(g: Gen, n: int) -> None:
    mk, cur, tz = "Walmart", "USD", "America/Los_Angeles"
    g.truth.currencies[mk] = cur
    skus = _skus(g.rng, 3, "WM")
    _register_cogs(g, skus, cur, change=False)
    t = g.truth
    rows: list[dict[str, str]] = []
    spend_days: dict[str, Decimal] = {}
    for i in range(n):
        s = g.rng.choice(skus)
        qty = g.rng.randrange(1, 3)
        ship = Decimal("5.99") if g.rng.random() < 0.3 else Z
        day = local(g.when(), tz)
        at = _midnight_utc(day, tz)
        cancelled = g.rng.random() < 0.05
        rows.append(
            {
                "PO#": str(108000000000 + i),
                "Order#": str(200000000000 + i),
                "Order Date": day.strftime("%m/%d/%Y"),
                "Line#": "1",
                "Status": "Cancelled" if cancelled else "Shipped",
                "Item Description": s.name,
                "Qty": str(qty),
                "SKU": s.sku,
                "Item Cost": f"{s.price * qty:.2f}",
                "Shipping Cost": f"{ship:.2f}",
                "Tax": f"{d(s.price * qty * Decimal('0.07')):.2f}",
            }
        )
        if g.rng.random() < 0.5:
            k = day.strftime("%Y-%m-%d")
            spend_days[k] = spend_days.get(k, Z) + d(s.price * Decimal("0.1"))
        if cancelled:
            continue
        t.add(mk, s.sku, at, "revenue", s.price * qty + ship)
        t.add(mk, s.sku, at, "units", Decimal(qty))
        t.add(mk, s.sku, at, "cogs", -s.cost * qty)
    cols = _columns(g, WALMART_ORDERS, WALMART_OPTIONAL)
    if "Status" not in cols:  # without a status column no order can be told cancelled
        cols = [*cols, "Status"]
    write_table(g.out / "walmart_orders.csv", g.drift(cols), reorder(WALMART_ORDERS, rows, cols))
    ads = []
    for k, spend in sorted(spend_days.items()):
        ads.append(
            {
                "Date": k,
                "Campaign Name": "Auto campaign",
                "Ad Group Name": "All",
                "Impressions": str(g.rng.randrange(500, 5000)),
                "Clicks": str(g.rng.randrange(5, 50)),
                "Ad Spend": f"{spend:.2f}",
                "Total Attributed Sales": f"{spend * 5:.2f}",
                "Units Sold": str(g.rng.randrange(1, 5)),
                "Orders": "1",
            }
        )
        t.add(mk, ADS_NO_SKU, datetime.strptime(k, "%Y-%m-%d"), "ads", -spend)
    if ads:
        cols = g.order(WALMART_ADS)
        write_table(
            g.out / "walmart_sp_campaign.csv", g.drift(cols), reorder(WALMART_ADS, ads, cols)
        )
