"""Order statuses as exports write them, per market, mapped to one English status set.

Seller Center writes ``Order Status`` in the language of the seller's account. Each word
below is one seen in exports or in Seller Center's own pages, with its source beside it; a
market whose words are not known has an empty table and a comment saying so. An unknown word
is never read as a status: the importer counts it in its report (and falls back on the
cancellation columns, which stay in English).
"""

from __future__ import annotations

import unicodedata

# The status set every reader maps to; "other" is a word not known in any market.
STATUSES = ("unpaid", "awaiting_shipment", "awaiting_collection", "shipped", "delivered",
            "completed", "cancelled", "other")

# English, every market (formats/TIKTOK_EXPORTS.md "Order Status values seen"; the Open API
# status enum in its order search reference).
ENGLISH_STATUSES: dict[str, str] = {
    "unpaid": "unpaid",
    # Paid, not yet released for shipping (on for all apps from Q1 2026; the Open API's
    # order status enum has ON_HOLD between UNPAID and AWAITING_SHIPMENT): it counts in GMV
    # by its paid time and in "awaiting shipment" (issue 25).
    "on hold": "awaiting_shipment",
    "to ship": "awaiting_shipment",
    "awaiting shipment": "awaiting_shipment",
    "partially shipping": "awaiting_shipment",
    "awaiting collection": "awaiting_collection",
    "shipped": "shipped",
    "in transit": "shipped",
    "delivered": "delivered",
    "completed": "completed",
    "cancelled": "cancelled",
    "canceled": "cancelled",
    "pending": "unpaid",  # [tts-id] below: "Orders waiting for payment"
}

# Local words by market (ISO 3166 code). Sources:
# [issue16] the project's issue 16: Indonesian and Vietnamese order exports rebuilt from
#   public evidence, whose statuses were read as "other" (Cancelation/Return Type stays
#   English there).
# [forstok] KevinIvander/forstok_doc, knowledge-base/sales-orders/order-status-mapping.md:
#   Indonesian marketplace status words mapped to order stages (Belum bayar, Perlu dikirim,
#   Dikirim, Selesai).
# [tts-id] https://seller-id.tokopedia.com/university/course?learning_id=5571154660738833
#   (TikTok Shop by Tokopedia, Manage Orders): the order tabs To Ship, Shipped, Completed,
#   Pending (waiting for payment), Cancelled.
LOCAL_STATUSES: dict[str, dict[str, str]] = {
    "ID": {
        "belum dibayar": "unpaid",  # [issue16]
        "belum bayar": "unpaid",  # [forstok]
        "perlu dikirim": "awaiting_shipment",  # [issue16] [forstok]
        "dikirim": "shipped",  # [issue16] [forstok]
        "selesai": "completed",  # [issue16] [forstok]
        "dibatalkan": "cancelled",  # [issue16]
    },
    "VN": {
        "đã hủy": "cancelled",  # [issue16]
    },
    # Not known: no export or Seller Center page with these markets' status words was
    # found (Thai, Malay, Filipino, Spanish, German, French, Italian, Portuguese, Japanese,
    # Dutch, Polish). Their English exports read with ENGLISH_STATUSES.
    "TH": {}, "MY": {}, "PH": {}, "ES": {}, "DE": {}, "FR": {}, "IT": {}, "MX": {},
    "BR": {}, "JP": {}, "AT": {}, "BE": {}, "NL": {}, "PL": {},
}

_ALL_WORDS: dict[str, str] = {**ENGLISH_STATUSES}
for _words in LOCAL_STATUSES.values():
    _ALL_WORDS.update(_words)


def status_key(raw: str) -> str:
    """The form words are looked up in: trimmed, case-folded, composed accents (a file may
    write ``Đã hủy`` with combining marks)."""
    return unicodedata.normalize("NFC", raw.strip()).casefold()


def normalise_status(raw: str) -> str:
    """The status set's word for an export's ``Order Status`` in any known language;
    ``"other"`` when the word is not known in any market."""
    return _ALL_WORDS.get(status_key(raw), "other")


def markets_of_status(raw: str) -> frozenset[str]:
    """The markets whose exports write the local status word ``raw`` (empty for English
    words and unknown ones): a file's statuses can tell its market."""
    key = status_key(raw)
    return frozenset(code for code, words in LOCAL_STATUSES.items() if key in words)


def cancelled_by_columns(cancel_return_type: str | None, cancelled_utc: int | None) -> bool:
    """Whether the English cancellation columns mark an order cancelled: ``Cancel`` in
    ``Cancelation/Return Type``, or a ``Cancelled Time``. Used when its status is unknown."""
    kind = (cancel_return_type or "").strip().casefold()
    return kind == "cancel" or cancelled_utc is not None
