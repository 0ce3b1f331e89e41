"""eBay and Walmart layouts (ecom-formats.md §2, "Bonus": the column names a Chinese sellers'
loader reads), and how Temu / AliExpress files are told apart when they cannot be read.

Only the columns the document names are required; the other field names are the spellings of
the same exports as the loaders read them and are used when present. Assumptions, stated in
docs/shop.md: eBay's ``Sold For`` is the price of one unit (x ``Quantity`` = the line's
revenue) and ``Sale Date`` is written ``Oct-05-26``; Walmart's ``Item Cost`` is the line's item
revenue; eBay's ``Ad fees`` rows are Promoted Listings fees of the sold item (ad spend), and
Walmart's ``Ad Spend`` is campaign spend.
"""

from __future__ import annotations

from onelegion.skills.shop.headers import Layout, _f, norm_header

OTHER: tuple[Layout, ...] = (
    Layout(
        "ebay.orders",
        "eBay orders report (Seller Hub)",
        "orders",
        "eBay",
        {
            "order_id": _f("order number", "order no"),
            "record": _f("sales record number"),
            "item_id": _f("item number"),
            "product_name": _f("item title"),
            "sku": _f("custom label", "custom label (sku)"),
            "quantity": _f("quantity"),
            "item_unit_price": _f("sold for"),
            "shipping_price": _f("shipping and handling"),
            "taxes": _f("ebay collected tax"),
            "grand_total": _f("total price"),
            "datetime": _f("sale date"),
            "paid_at": _f("paid on date"),
            "status": _f("order status"),
        },
        ("sold for", "shipping and handling", "ebay collected tax", "quantity", "order number"),
        "eBay Seller Hub → Orders → Download report (81 columns); ecom-formats.md Bonus",
        default_tz="America/Los_Angeles",
    ),
    Layout(
        "ebay.ads",
        "eBay Promoted Listings sales report",
        "ads",
        "eBay",
        {
            "asin": _f("item id"),
            "product_name": _f("item title"),
            "date": _f("date sold"),
            "units": _f("sold qty"),
            "sales": _f("sold for"),
            "spend": _f("ad fees", "ad fee"),
            "campaign": _f("campaign name"),
            "sku": _f("custom label"),
        },
        ("item id", "date sold", "sold qty", "sold for", "ad fees"),
        "eBay Seller Hub → Marketing → Promoted Listings → Sales report; ecom-formats.md Bonus",
    ),
    Layout(
        "walmart.orders",
        "Walmart Seller Center orders export",
        "orders",
        "Walmart",
        {
            "po": _f("po#", "po number"),
            "order_id": _f("order#", "order number"),
            "datetime": _f("order date"),
            "line": _f("line#"),
            "status": _f("status"),
            "product_name": _f("item description"),
            "quantity": _f("qty"),
            "sku": _f("sku"),
            "item_price": _f("item cost"),
            "shipping_price": _f("shipping cost"),
            "taxes": _f("tax"),
        },
        ("po#", "order#", "order date", "qty", "sku", "item cost"),
        "Walmart Seller Center → Orders → Export; ecom-formats.md Bonus",
        default_tz="America/Los_Angeles",
    ),
    Layout(
        "walmart.ads",
        "Walmart Sponsored Products campaign report",
        "ads",
        "Walmart",
        {
            "date": _f("date"),
            "campaign": _f("campaign name"),
            "ad_group": _f("ad group name"),
            "impressions": _f("impressions"),
            "clicks": _f("clicks"),
            "spend": _f("ad spend"),
            "sales": _f("total attributed sales"),
            "units": _f("units sold"),
            "orders": _f("orders"),
        },
        ("date", "campaign name", "ad spend", "total attributed sales", "units sold"),
        "Walmart Advertising → Sponsored Products → Reports; ecom-formats.md Bonus",
    ),
)

# Temu's *buyer* GDPR export (ecom-formats.md §2.11): the only Temu layout known
_TEMU_BUYER = {
    norm_header(h)
    for h in (
        "Order ID",
        "Item description at order time",
        "Order time",
        "Shipped date",
        "Price",
        "Order total",
        "Order detail URL",
    )
}


def unsupported(name: str, headers: list[str]) -> str | None:
    """One plain line when an unrecognised file looks like a Temu or AliExpress export."""
    normed = {norm_header(h) for h in headers}
    if _TEMU_BUYER.issubset(normed):
        return (
            "layout not recognised: this is a Temu *buyer* data export (your purchases), not a "
            "seller export; Temu/AliExpress seller exports are not supported yet — send a sample"
        )
    text = " ".join([name.casefold(), *normed])
    if any(k in text for k in ("temu", "aliexpress", "ali express", "速卖通", "拼多多")):
        return (
            "layout not recognised; Temu/AliExpress seller exports are not supported yet — "
            "send a sample"
        )
    return None
