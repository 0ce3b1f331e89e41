"""Each documented layout is recognised from its real headers; drift is tolerated; unknown
files are reported with their headers, never guessed."""

from __future__ import annotations

import random

import pytest

from onelegion.skills.shop.layouts import header_currency, header_window, norm_header
from onelegion.skills.shop.recognise import parse_maps, recognise
from onelegion.skills.shop.samples_write import (
    ADS_PRODUCT_7D,
    AMZ_ORDERS_HEADER,
    INVENTORY_HEADER,
    LAZADA_HEADER,
    RETURNS_HEADER,
    SEARCH_TERM_7D,
    SEARCH_TERM_2026,
    SHOPEE_EN,
    SHOPEE_ID,
    SHOPIFY_HEADER,
    TIKTOK_HEADER,
    TXN_HEADER,
    V2_HEADER,
    flat_header,
)

IN_14DAY = [
    "Date",
    "Portfolio name",
    "Currency",
    "Campaign Name",
    "Ad Group Name",
    "Targeting",
    "Match Type",
    "Customer Search Term",
    "Impressions",
    "Clicks",
    "Click-Thru Rate (CTR)",
    "Cost Per Click (CPC)",
    "Spend",
    "14 Day Total Sales (₹)",
    "Total Advertising Cost of Sales (ACoS)",
    "Total Return on Advertising Spend (RoAS)",
    "14 Day Total Orders (#)",
    "14 Day Total Units (#)",
    "14 Day Conversion Rate",
    "14 Day Advertised ASIN Units (#)",
    "14 Day Brand Halo ASIN Units (#)",
    "14 Day Advertised ASIN Sales (₹)",
    "14 Day Brand Halo ASIN Sales (₹)",
]
CAMPAIGN_IN = [
    "Date",
    "Start Date",
    "End Date",
    "Portfolio name",
    "Campaign Type",
    "Campaign Name",
    "Status",
    "Currency",
    "Budget",
    "Targeting Type",
    "Bidding strategy",
    "Impressions",
    "Last Year Impressions",
    "Clicks",
    "Last Year Clicks",
    "Click-Thru Rate (CTR)",
    "Spend",
    "Last Year Spend",
    "Cost Per Click (CPC)",
    "Last Year Cost Per Click (CPC)",
    "14 Day Total Orders (#)",
    "Total Advertising Cost of Sales (ACoS)",
    "14 Day Total Sales (₹)",
]
RESTOCK = [
    "Country",
    "Product Name",
    "FNSKU",
    "Merchant SKU",
    "ASIN",
    "Condition",
    "Supplier",
    "Supplier part no.",
    "Currency code",
    "Price",
    "Sales last 30 days",
    "Units Sold Last 30 Days",
    "Total Units",
    "Inbound",
    "Available",
    "FC transfer",
    "FC Processing",
    "Customer Order",
    "Unfulfillable",
    "Working",
    "Shipped",
    "Receiving",
    "Fulfilled by",
    "Total Days of Supply (including units from open shipments)",
    "Days of Supply at Amazon Fulfillment Network",
    "Alert",
    "Recommended replenishment qty",
    "Recommended ship date",
    "Recommended action",
    "Unit storage size",
]
SHOPEE_INCOME = [
    "Order ID",
    "Payout Completed Date",
    "Total Released Amount (RM)",
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
TIKTOK_SETTLEMENT = [
    "Order/adjustment ID",
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
    "Total settlement amount",
    "Total revenue",
]
ORDERS_29 = AMZ_ORDERS_HEADER[: AMZ_ORDERS_HEADER.index("promotion-ids") + 1]
TXN_2016 = [h for h in TXN_HEADER if "tax" not in h.casefold() and h != "Regulatory Fee"] + [
    "order city",
    "order state",
    "order postal",
    "sales tax collected",
]

CASES = [
    (V2_HEADER, "amazon.settlement.v2", "24 columns"),
    (flat_header(36), "amazon.settlement.flat", "36 columns"),
    (flat_header(33), "amazon.settlement.flat", "33 columns, no promotion-*"),
    (TXN_HEADER, "amazon.transactions", "tax split"),
    (TXN_2016, "amazon.transactions", "2016 (sales tax collected)"),
    (AMZ_ORDERS_HEADER, "amazon.orders", "32 columns"),
    (ORDERS_29, "amazon.orders", "29 columns"),
    (SEARCH_TERM_7D, "amazon.ads.search_term", "7-day attribution"),
    (IN_14DAY, "amazon.ads.search_term", "14-day attribution"),
    (SEARCH_TERM_2026, "amazon.ads.search_term", "2026 console"),
    (ADS_PRODUCT_7D, "amazon.ads.advertised_product", "7-day attribution"),
    (CAMPAIGN_IN, "amazon.ads.campaign", "14-day attribution"),
    (INVENTORY_HEADER, "amazon.inventory", ""),
    (RETURNS_HEADER, "amazon.returns", ""),
    (RESTOCK, "amazon.restock", ""),
    (SHOPIFY_HEADER, "shopify.orders", ""),
    (SHOPEE_EN, "shopee.orders", ""),
    (SHOPEE_ID, "shopee.orders", "Indonesian headers"),
    (SHOPEE_INCOME, "shopee.income", ""),
    (TIKTOK_HEADER, "tiktok.orders", ""),
    (TIKTOK_SETTLEMENT, "tiktok.settlement", ""),
    (LAZADA_HEADER, "lazada.orders", ""),
    (["SKU", "Unit cost", "Currency", "Effective from"], "cogs", ""),
]


@pytest.mark.parametrize(
    ("headers", "layout", "variant"), CASES, ids=[c[1] + ":" + c[2] for c in CASES]
)
def test_every_documented_layout(headers: list[str], layout: str, variant: str) -> None:
    rec = recognise(headers)
    assert rec.layout is not None and rec.layout.id == layout
    assert rec.variant == variant
    assert rec.unknown == []


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_drift_shuffled_case_and_spaces(seed: int) -> None:
    rng = random.Random(seed)
    for headers, layout, _ in CASES:
        h = [x.upper() if rng.random() < 0.3 else x for x in headers]
        h = [x + "  " if rng.random() < 0.3 else " " + x if rng.random() < 0.2 else x for x in h]
        rng.shuffle(h)
        rec = recognise(h)
        assert rec.layout is not None and rec.layout.id == layout, (layout, h)


def test_headers_carry_currency_and_window() -> None:
    assert header_currency("14 Day Total Sales (₹)") == "INR"
    assert header_currency("Total Discount(PHP)") == "PHP"
    assert header_currency("Total Released Amount (RM)") == "MYR"
    assert header_currency("Click-Thru Rate (CTR)") is None
    assert header_window("7 Day Total Sales ") == 7
    assert norm_header(" 14 Day Total Sales (₹) ") == "N day total sales"
    rec = recognise(IN_14DAY)
    assert (rec.header_currency, rec.window_days) == ("INR", 14)


def test_unknown_columns_are_listed_not_guessed() -> None:
    rec = recognise([*SHOPIFY_HEADER, "Lieferant", "Warehouse bin"])
    assert rec.layout is not None and rec.layout.id == "shopify.orders"
    assert rec.unknown == ["Lieferant", "Warehouse bin"]


def test_unknown_file_names_the_nearest_layout_and_what_is_missing() -> None:
    rec = recognise(["Kundennummer", "Betrag", "Buchungstag"])
    assert rec.layout is None and rec.nearest is None
    near = recognise([h for h in V2_HEADER if h != "amount-description"])
    assert near.layout is None
    assert near.nearest == "amazon.settlement.v2"
    assert near.missing == ["amount-description"]


def test_map_names_a_column_explicitly() -> None:
    headers = [h if h != "amount-description" else "Beschreibung" for h in V2_HEADER]
    rec = recognise(headers, parse_maps(["Beschreibung=amount_description"]))
    assert rec.layout is not None and rec.layout.id == "amazon.settlement.v2"
    assert rec.columns["amount_description"] == "Beschreibung"
