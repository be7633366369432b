"""The Seller Center "All order" export layout: headers, aliases and known description texts.

Header names are TikTok's own, typos and the leading space of `` Virtual Bundle Seller SKU``
included. Importers match them after normalisation (see ``headers.normalise_header``), so the
spelling here only has to be right up to case and spacing.
"""

# The current US export (2025-2026): 63 columns in this order.
US_ORDER_HEADERS = [
    "Order ID", "Order Status", "Order Substatus", "Cancelation/Return Type",
    "Normal or Pre-order", "SKU ID", "Seller SKU", "Product ID", "Product Name", "Variation",
    " Virtual Bundle Seller SKU", "Quantity", "Sku Quantity of return",
    "SKU Unit Original Price", "SKU Subtotal Before Discount", "SKU Platform Discount",
    "SKU Seller Discount", "SKU Subtotal After Discount", "Shipping Fee After Discount",
    "Original Shipping Fee", "Shipping Fee Seller Discount", "Co-Funded Shipping Fee Discount",
    "Shipping Fee Platform Discount", "Payment platform discount", "Retail Delivery Fee",
    "Taxes", "Order Amount", "Order Refund Amount", "Created Time", "Paid Time", "RTS Time",
    "Shipped Time", "Delivered Time", "Cancelled Time", "Cancel By", "Cancel Reason",
    "Fulfillment Type", "Warehouse Name", "Tracking ID", "Delivery Option Type",
    "Delivery Option", "Shipping Provider Name", "Buyer Message", "Buyer Nickname",
    "Buyer Username", "Recipient", "Phone #", "Country", "State", "City", "Zipcode",
    "Address Line 1", "Address Line 2", "Delivery Instruction", "Payment Method",
    "Weight(kg)", "Product Category", "Package ID", "Seller Note", "Shipping Information",
    "Combined Listing", "Order Channel", "Creator Handle",
]

# The earlier US export (~2024): 57 columns.
_DROPPED_IN_2024 = {
    "Product ID", " Virtual Bundle Seller SKU", "Co-Funded Shipping Fee Discount",
    "Buyer Nickname", "Address Line 1", "Address Line 2", "Combined Listing", "Order Channel",
    "Creator Handle",
}
US_ORDER_HEADERS_2024 = [h for h in US_ORDER_HEADERS if h not in _DROPPED_IN_2024]
US_ORDER_HEADERS_2024[US_ORDER_HEADERS_2024.index("Zipcode") + 1:
                      US_ORDER_HEADERS_2024.index("Zipcode") + 1] = [
    "Detail Address", "Additional address information", "House Name or Number"]

# TikTok's field-description row (row 2 of some exports), first cells.
DESCRIPTION_ROW_TEXTS = {
    "Order ID": "Platform unique order ID.",
    "Tracking ID": "The order's tracking number.",
}
