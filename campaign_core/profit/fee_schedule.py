"""TikTok Shop's own fees per market, as data: referral (commission) and transaction fees by
date range, and where they differ, by category or seller status.

Each row cites where it comes from. A market without a row has no known fees: its margins
say "fees unknown" until an income export settles the orders (settled fees always win).
Rates are fractions of the line's GMV (core definition: what the buyer paid for the product
plus TikTok's product subsidy), which is the base TikTok names for the US referral fee
("Customer Payment + Platform Discount - Tax"); buyer-paid shipping, which the UK and EU
commission base includes, is not in GMV and is left out of the estimate (a known
understatement, settled by the income export).

Sources (third-party pages are marked "reported"; TikTok's own pages are not):
- US1: TikTok Shop Seller University (US), "TikTok Shop Referral Fee Updates - 2024",
  seller-us.tiktok.com/university/essay?knowledge_id=5982454398175018: referral fee 6% per
  order from 2024-04-01; the referral fee "encompasses all TikTok Shop fees, with the
  exception of shipping and tax fees" (so no separate transaction fee); Refund
  Administration Fee from 2025-05-15: 20% of the referral fee, capped at $5 per SKU, none
  when a refund is initiated before shipping (auto-cancel).
- US0 (reported): fitsmallbusiness.com/how-much-does-tiktok-shop-take: 2% + $0.30 per
  order from the US launch (September 2023) until the 2024-04-01 change.
- GB1 (reported): topeuropenews.com/tiktok-shop-increases-seller-fees-in-the-uk and
  dmsmatrixvoice.com: UK commission from 5% to 9% from 2024-09-02; Electronics and
  Collectibles may qualify for 5% (after the first 90 days, performance score >= 4.0);
  docs.m2ecloud.com/docs/tiktok-shop-seller-fees-uk: 9% standard, VAT included.
- EU1 (reported from TikTok's Seller Center notice): ecommercebridge.ro (TikTok Shop
  confirms 9% commission in key EU markets) and menglar123.com/yy/77115.html: Germany,
  Spain, France, Italy and Ireland from 5% to 9% at 2026-01-08 00:00 CET; designated
  electronics (beauty and personal-care electronics included) 7%; sellers first onboarded
  after 2026-01-08 may get 4% for up to 60 days.
- Not known: transaction (payment) fees in the UK and EU (third-party pages disagree:
  "about 2%"); every fee of Indonesia (banded 1-10% by category, bands not found),
  Malaysia, Thailand, Vietnam, the Philippines, Singapore, Mexico, Japan, Brazil, and the
  markets reported from June 2026 (Austria, Belgium, the Netherlands, Poland: the EU notice
  names five countries only).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

_EU5 = ("DE", "ES", "FR", "IT", "IE")


@dataclass(frozen=True)
class FeeRow:
    """One fee rate valid over ``[valid_from, valid_until)`` (None: open)."""

    market: str
    fee: str  # "referral" | "transaction" | "refund_admin"
    rate: float  # fraction of GMV (refund_admin: fraction of the refunded referral fee)
    source: str
    valid_from: date | None = None
    valid_until: date | None = None
    category: str | None = None  # a word the product's category contains, lower case
    seller_status: str | None = None  # None: every seller; "new": new-seller offers
    fixed_cents: int = 0  # per order (US 2023 launch: $0.30)
    cap_cents: int | None = None  # per SKU line (refund admin fee: $5)

    def valid_on(self, day: date) -> bool:
        return ((self.valid_from is None or day >= self.valid_from)
                and (self.valid_until is None or day < self.valid_until))


FEE_SCHEDULE: tuple[FeeRow, ...] = (
    FeeRow("US", "referral", 0.02, "US0", date(2023, 9, 12), date(2024, 4, 1),
           fixed_cents=30),
    FeeRow("US", "referral", 0.06, "US1", date(2024, 4, 1)),
    FeeRow("US", "transaction", 0.0, "US1", date(2024, 4, 1)),
    FeeRow("US", "refund_admin", 0.20, "US1", date(2025, 5, 15), cap_cents=500),
    FeeRow("GB", "referral", 0.05, "GB1", None, date(2024, 9, 2)),
    FeeRow("GB", "referral", 0.09, "GB1", date(2024, 9, 2)),
    FeeRow("GB", "referral", 0.05, "GB1", date(2024, 9, 2), category="electronics"),
    FeeRow("GB", "referral", 0.05, "GB1", date(2024, 9, 2), category="collectible"),
    *(row for market in _EU5 for row in (
        FeeRow(market, "referral", 0.05, "EU1", None, date(2026, 1, 8)),
        FeeRow(market, "referral", 0.09, "EU1", date(2026, 1, 8)),
        FeeRow(market, "referral", 0.07, "EU1", date(2026, 1, 8), category="electronics"),
        FeeRow(market, "referral", 0.04, "EU1", date(2026, 1, 8), seller_status="new"),
    )),
)

SOURCES: dict[str, str] = {
    "US1": "TikTok Shop Seller University (US): TikTok Shop Referral Fee Updates - 2024",
    "US0": "Reported: fitsmallbusiness.com, How much does TikTok Shop take",
    "GB1": "Reported: UK commission 5% to 9% from 2 September 2024 (news, M2E docs)",
    "EU1": "Reported from TikTok's Seller Center notice: EU commission 5% to 9% from "
           "8 January 2026 (ecommercebridge, menglar)",
}


@dataclass(frozen=True)
class FeeRates:
    """The fees of one market on one day for one product category."""

    market: str | None
    day: date
    referral: float | None  # None: not known
    fixed_cents: int = 0
    transaction: float | None = None  # None: not known
    refund_admin: float = 0.0  # share of the referral fee kept on a refund after shipping
    refund_admin_cap_cents: int | None = None
    sources: tuple[str, ...] = ()

    @property
    def known(self) -> bool:
        return self.referral is not None

    @property
    def rate(self) -> float | None:
        """Referral + transaction (an unknown transaction fee counts 0: said beside it)."""
        return None if self.referral is None else self.referral + (self.transaction or 0)


def _pick(rows: list[FeeRow], category: str | None) -> FeeRow | None:
    text = (category or "").lower()
    special = [row for row in rows if row.category and row.category in text]
    plain = [row for row in rows if row.category is None]
    return min(special, key=lambda row: row.rate) if special else (plain[0] if plain else None)


def fee_rates(market: str | None, day: date, category: str | None = None,
              new_seller: bool = False) -> FeeRates:
    """The referral, transaction and refund-administration fees of ``market`` (ISO code, as
    in ``campaign_core.markets``) valid on ``day`` (the order's local paid day) for a product
    whose category text is ``category``; ``new_seller`` applies a new-seller offer where one
    is listed. A market or day without rows returns ``referral=None`` (fees unknown)."""
    rows = [row for row in FEE_SCHEDULE if row.market == market and row.valid_on(day)]
    status = "new" if new_seller else None

    def of(fee: str) -> list[FeeRow]:
        chosen = [row for row in rows if row.fee == fee and row.seller_status == status]
        return chosen or [row for row in rows if row.fee == fee and row.seller_status is None]

    referral = _pick(of("referral"), category)
    transaction = _pick(of("transaction"), None)
    admin = _pick(of("refund_admin"), None)
    used = [row for row in (referral, transaction, admin) if row is not None]
    return FeeRates(market, day, referral.rate if referral else None,
                    referral.fixed_cents if referral else 0,
                    transaction.rate if transaction else None,
                    admin.rate if admin else 0.0, admin.cap_cents if admin else None,
                    tuple(dict.fromkeys(row.source for row in used)))


def schedule_rows(market: str | None = None) -> list[dict]:
    """The schedule as plain rows (for the README, the page and the report), by market."""
    return [{"market": row.market, "fee": row.fee, "rate_pct": round(row.rate * 100, 2),
             "valid_from": row.valid_from.isoformat() if row.valid_from else None,
             "valid_until": row.valid_until.isoformat() if row.valid_until else None,
             "category": row.category, "seller_status": row.seller_status,
             "source": SOURCES[row.source]}
            for row in FEE_SCHEDULE if market is None or row.market == market]
