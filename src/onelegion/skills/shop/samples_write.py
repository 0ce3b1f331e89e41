"""Exact header lists of the generated exports (ecom-formats.md §2) and the file writers."""

from __future__ import annotations

import csv
from pathlib import Path

V2_HEADER = (
    "settlement-id, settlement-start-date, settlement-end-date, deposit-date, total-amount, "
    "currency, transaction-type, order-id, merchant-order-id, adjustment-id, shipment-id, "
    "marketplace-name, amount-type, amount-description, amount, fulfillment-id, posted-date, "
    "posted-date-time, order-item-code, merchant-order-item-id, merchant-adjustment-item-id, sku, "
    "quantity-purchased, promotion-id"
).split(", ")

_FLAT36 = (
    "settlement-id, settlement-start-date, settlement-end-date, deposit-date, total-amount, "
    "currency, transaction-type, order-id, merchant-order-id, adjustment-id, shipment-id, "
    "marketplace-name, shipment-fee-type, shipment-fee-amount, order-fee-type, order-fee-amount, "
    "fulfillment-id, posted-date, order-item-code, merchant-order-item-id, "
    "merchant-adjustment-item-id, sku, quantity-purchased, price-type, price-amount, "
    "item-related-fee-type, item-related-fee-amount, misc-fee-amount, other-fee-amount, "
    "other-fee-reason-description, promotion-id, promotion-type, promotion-amount, "
    "direct-payment-type, direct-payment-amount, other-amount"
).split(", ")


def flat_header(columns: int) -> list[str]:
    """36 columns, or the 33-column variant seen in 2025 Amazon.ca files (no promotion-*)."""
    if columns == 36:
        return list(_FLAT36)
    return [h for h in _FLAT36 if not h.startswith("promotion-")]


AMZ_ORDERS_HEADER = (
    "amazon-order-id, merchant-order-id, purchase-date, last-updated-date, order-status, "
    "fulfillment-channel, sales-channel, order-channel, url, ship-service-level, product-name, "
    "sku, asin, item-status, quantity, currency, item-price, item-tax, shipping-price, "
    "shipping-tax, gift-wrap-price, gift-wrap-tax, item-promotion-discount, "
    "ship-promotion-discount, ship-city, ship-state, ship-postal-code, ship-country, "
    "promotion-ids, is-business-order, purchase-order-number, price-designation"
).split(", ")

TXN_HEADER = (
    "date/time, settlement id, type, order id, sku, description, quantity, marketplace, "
    "account type, fulfillment, tax collection model, product sales, product sales tax, "
    "shipping credits, shipping credits tax, gift wrap credits, giftwrap credits tax, "
    "Regulatory Fee, Tax On Regulatory Fee, promotional rebates, promotional rebates tax, "
    "marketplace withheld tax, selling fees, fba fees, other transaction fees, other, total"
).split(", ")

ADS_PRODUCT_7D = [
    "Date",
    "Portfolio name",
    "Currency",
    "Campaign Name",
    "Ad Group Name",
    "Advertised SKU",
    "Advertised ASIN",
    "Impressions",
    "Clicks",
    "Click-Thru Rate (CTR)",
    "Cost Per Click (CPC)",
    "Spend",
    "7 Day Total Sales ",
    "Total Advertising Cost of Sales (ACOS) ",
    "Total Return on Advertising Spend (ROAS)",
    "7 Day Total Orders (#)",
    "7 Day Total Units (#)",
    "7 Day Conversion Rate",
    "7 Day Advertised SKU Units (#)",
    "7 Day Other SKU Units (#)",
    "7 Day Advertised SKU Sales ",
    "7 Day Other SKU Sales ",
]
SEARCH_TERM_7D = [
    "Start Date",
    "End Date",
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
    "7 Day Total Sales ",
    "Total Advertising Cost of Sales (ACOS) ",
    "Total Return on Advertising Spend (ROAS)",
    "7 Day Total Orders (#)",
    "7 Day Total Units (#)",
    "7 Day Conversion Rate",
    "7 Day Advertised SKU Units (#)",
    "7 Day Other SKU Units (#)",
    "7 Day Advertised SKU Sales ",
    "7 Day Other SKU Sales ",
]
SEARCH_TERM_2026 = (
    "Budget currency, Date range, Advertiser account ID, Advertiser account name, Portfolio ID, "
    "Portfolio name, Campaign ID, Campaign name, Ad group ID, Ad group name, Search term, "
    "Impressions, Clicks, CTR, Total cost, Purchases, Sales, Units sold, Cost per purchase, "
    "Purchase rate, ROAS, Purchases (promoted), Sales (promoted), Units sold (promoted), "
    "Cost per purchase (promoted), Purchase rate (promoted), ROAS (promoted), Purchases (halo), "
    "Sales (halo), Units sold (halo), Purchases (new to brand), Sales (new to brand), "
    "Units sold (new to brand), Cost per purchase (new to brand), Purchase rate (new to brand), "
    "ROAS (new to brand), Detail page views, Cost per detail page view, Detail page view rate"
).split(", ")

INVENTORY_HEADER = (
    "sku, fnsku, asin, product-name, condition, your-price, mfn-listing-exists, "
    "mfn-fulfillable-quantity, afn-listing-exists, afn-warehouse-quantity, "
    "afn-fulfillable-quantity, afn-unsellable-quantity, afn-reserved-quantity, afn-total-quantity, "
    "per-unit-volume, afn-inbound-working-quantity, afn-inbound-shipped-quantity, "
    "afn-inbound-receiving-quantity"
).split(", ")
RETURNS_HEADER = (
    "return-date, order-id, sku, asin, fnsku, product-name, quantity, fulfillment-center-id, "
    "detailed-disposition, reason, status, license-plate-number, customer-comments"
).split(", ")

SHOPIFY_HEADER = (
    "Name, Email, Financial Status, Paid at, Fulfillment Status, Fulfilled at, Accepts Marketing, "
    "Currency, Subtotal, Shipping, Taxes, Total, Discount Code, Discount Amount, Shipping Method, "
    "Created at, Lineitem quantity, Lineitem name, Lineitem price, Lineitem compare at price, "
    "Lineitem sku, Lineitem requires shipping, Lineitem taxable, Lineitem fulfillment status, "
    "Billing Name, Shipping Country, Notes, Cancelled at, Payment Method, Refunded Amount, Vendor, "
    "Id, Tags, Source, Lineitem discount"
).split(", ")

SHOPEE_EN = (
    "Order ID, Order Status, Cancel reason, Return / Refund Status, Tracking Number*, "
    "Shipping Option, Estimated Ship Out Date, Ship Time, Order Creation Date, Order Paid Time, "
    "Parent SKU Reference No., Product Name, SKU Reference No., Variation Name, Original Price, "
    "Deal Price, Quantity, Returned quantity, Product Subtotal, Total Discount(PHP), "
    "Price Discount(from Seller)(PHP), Shopee Rebate(PHP), Seller Voucher(PHP), "
    "Buyer Paid Shipping Fee, Commission Fee, Transaction Fee, Service Fee, Grand Total, "
    "Username (Buyer)"
).split(", ")
SHOPEE_ID = [
    "No. Pesanan",
    "Status Pesanan",
    "Waktu Pesanan Dibuat",
    "SKU Induk",
    "Nama Produk",
    "No. Referensi SKU",
    "Harga Awal",
    "Harga Setelah Diskon",
    "Jumlah",
    "Returned quantity",
    "Total Harga Produk",
    "Voucher Ditanggung Penjual",
    "Ongkos Kirim Dibayar oleh Pembeli",
    "Commission Fee",
    "Service Fee",
    "Username (Pembeli)",
]

TIKTOK_HEADER = (
    "Order ID, Order Status, Order Substatus, Cancelation/Return Type, Normal or Pre-order, "
    "SKU ID, Seller SKU, Product Name, Variation, Quantity, Sku Quantity of return, "
    "SKU Unit Original Price, SKU Subtotal Before Discount, SKU Platform Discount, "
    "SKU Seller Discount, SKU Subtotal After Discount, Shipping Fee After Discount, "
    "Original Shipping Fee, Shipping Fee Seller Discount, Shipping Fee Platform Discount, "
    "Payment platform discount, Taxes, Order Amount, Order Refund Amount, Created Time, "
    "Paid Time, Fulfillment Type, Country, Payment Method"
).split(", ")

LAZADA_HEADER = (
    "orderItemId, lazadaId, sellerSku, lazadaSku, createTime, updateTime, orderNumber, "
    "paidPrice, unitPrice, sellerDiscountTotal, shippingFee, itemName, variation, "
    "shippingProvider, trackingCode, status, refundAmount"
).split(", ")


def write_table(
    path: Path,
    header: list[str],
    rows: list[list[str]],
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
) -> None:
    if path.suffix == ".xlsx":
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        assert ws is not None
        ws.append(header)
        for r in rows:
            ws.append(r)
        wb.save(path)
        return
    with path.open("w", encoding=encoding, newline="") as f:
        w = csv.writer(f, delimiter=delimiter, lineterminator="\r\n" if delimiter == "," else "\n")
        w.writerow(header)
        w.writerows(rows)


def reorder(header: list[str], rows: list[dict[str, str]], order: list[str]) -> list[list[str]]:
    """Rows (dicts keyed by the canonical header) in the order of ``order``."""
    return [[r.get(h, "") for h in order] for r in rows]
