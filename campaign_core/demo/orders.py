"""Single demo orders: what is in the basket, what it cost, who bought, and what happened next.

``OrderMaker`` draws one order at a time from the shop's catalog; ``OrderLife`` keeps the
order's whole timeline (paid, shipped, delivered, returned or cancelled) so that an export
taken at any moment can show it as it was then. Used by ``generator.py``.
"""

from __future__ import annotations

import bisect
import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from campaign_core.demo.catalog import (
    FIRST_NAMES,
    LAST_NAMES,
    Product,
    Sku,
    UniqueIds,
    build_catalog,
    buyer_nickname,
    buyer_username,
    creator_handles,
)
from campaign_core.demo.order_files import LineSpec, OrderSpec

# Weighted choices as {value: weight}.
_HISTORY_LINES = {1: 66, 2: 24, 3: 8, 4: 2}
_CAMPAIGN_LINES = {1: 55, 2: 30, 3: 11, 4: 4}  # deals make baskets bigger
_QUANTITIES = {1: 76, 2: 16, 3: 6, 4: 1, 5: 1}
_SHIPPING_FEES = {0: 12, 399: 15, 499: 25, 599: 25, 699: 13, 799: 10}
_CANCELLED_BY = {"Buyer": 85, "Seller": 15}
_FREE_SHIPPING_FROM = 3500  # the shop pays shipping on baskets from $35
_SAMPLE_RATES = {"history": 0.006, "seeding": 0.02, "campaign": 0.005}
_AFFILIATE_RATES = {"history": 0.1, "seeding": 0.12, "campaign": 0.2}
_UNPAID_RATE = 0.015
_CANCEL_RATE = 0.028
_RETURN_LINE_RATE = 0.03
_REPEAT_BUYER_RATE = 0.07
_BLANK_USERNAME_RATE = 0.05
_REGULAR_BUYERS = 1200
_CREATORS = 160
_HERO_PRODUCTS = 12  # the products the campaign pushes hardest
_ORDER_ID_STEP = 6 * 10**8  # order IDs per second of time: 57... early on, 58... later
_COMPLETED_AFTER = timedelta(days=7)  # "Completed" once the return window after delivery ends
_CANCEL_REASONS = ("No longer needed", "Changed my mind", "Found a better price elsewhere",
                   "Wrong shipping address", "Ordered by mistake")


@dataclass(slots=True)
class OrderLife:
    """One order's whole story; ``snapshot`` shows it as an export taken at some moment would."""

    base: OrderSpec  # money, buyer and lines (no returns yet); status and times per snapshot
    paid: datetime | None
    is_sample: bool = False
    cancelled: datetime | None = None
    cancel_by: str = ""
    cancel_reason: str = ""
    shipped: datetime | None = None
    delivered: datetime | None = None
    returns: dict[int, int] | None = None  # line index -> units returned, if any
    returned_at: datetime | None = None

    def snapshot(self, as_of: datetime) -> OrderSpec:
        """The order as an export taken at ``as_of`` (naive shop time) shows it."""
        if self.cancelled is not None and self.cancelled <= as_of:
            return self._cancelled()
        if self.paid is None or self.paid > as_of:
            return replace(self.base, status="Unpaid", substatus="Unpaid")
        status, substatus = _fulfilment_status(self.shipped, self.delivered, as_of)
        order = replace(self.base, status=status, substatus=substatus, paid=self.paid,
                        shipped=_known_by(self.shipped, as_of),
                        delivered=_known_by(self.delivered, as_of))
        if self.returns is None or self.returned_at is None or self.returned_at > as_of:
            return order
        lines = [replace(line, returned_units=self.returns.get(index, 0))
                 for index, line in enumerate(order.lines)]
        refund = sum(line.returned_units * _unit_paid(line) for line in lines)
        return replace(order, lines=lines, cancel_return_type="Return/Refund",
                       order_refund_cents=refund)

    def _cancelled(self) -> OrderSpec:
        order = self.base
        # A paid order cancelled before shipping is refunded in full.
        refund = 0 if self.paid is None else (
            _goods_paid(order.lines) + order.shipping_fee_cents
            - order.shipping_seller_discount_cents - order.shipping_platform_discount_cents
            + order.taxes_cents)
        return replace(order, status="Cancelled", substatus="Cancelled", paid=self.paid,
                       cancel_return_type="Cancel", cancelled=self.cancelled,
                       order_refund_cents=refund,
                       extra={"Cancel By": self.cancel_by, "Cancel Reason": self.cancel_reason})


def _fulfilment_status(shipped: datetime | None, delivered: datetime | None,
                       as_of: datetime) -> tuple[str, str]:
    """TikTok's (Order Status, Order Substatus) pair for a paid, uncancelled order."""
    if shipped is None or shipped > as_of:
        if shipped is not None and shipped - as_of <= timedelta(hours=6):
            return "To ship", "Awaiting collection"
        return "To ship", "Awaiting shipment"
    if delivered is None or delivered > as_of:
        return "Shipped", "In transit"
    if delivered + _COMPLETED_AFTER > as_of:
        return "Shipped", "Delivered"
    return "Completed", "Completed"


def _known_by(moment: datetime | None, as_of: datetime) -> datetime | None:
    return moment if moment is not None and moment <= as_of else None


def _unit_paid(line: LineSpec) -> int:
    """What the buyer paid per unit: discounts are whole cents per unit, so this is exact."""
    return (line.unit_price_cents * line.quantity - line.platform_discount_cents
            - line.seller_discount_cents) // line.quantity


def _goods_paid(lines: list[LineSpec]) -> int:
    return sum(_unit_paid(line) * line.quantity for line in lines)


def _percent_of(cents: int, percent: int) -> int:
    return (cents * percent + 50) // 100


def cumulative(weights: list[float] | tuple[float, ...]) -> list[float]:
    """Running totals, for ``random.choices(cum_weights=...)`` (faster than weights=)."""
    total, running = 0.0, []
    for weight in weights:
        total += weight
        running.append(total)
    return running


class _Weighted:
    """A weighted choice drawn many times; cheaper per draw than ``random.choices``."""

    def __init__(self, values: list | tuple, weights: list[float] | tuple[float, ...]) -> None:
        self._values = tuple(values)
        self._cum_weights = cumulative(weights)
        self._last = len(self._values) - 1

    @classmethod
    def of(cls, weights: dict) -> _Weighted:
        return cls(list(weights), list(weights.values()))

    def draw(self, rng: random.Random):
        point = rng.random() * self._cum_weights[-1]
        # Same rule as random.choices; the bound guards against float rounding at the top.
        return self._values[bisect.bisect(self._cum_weights, point, 0, self._last)]


def _randint(rng: random.Random, low: int, high: int) -> int:
    """``rng.randint`` for small ranges, several times faster (a hot path here)."""
    return low + int(rng.random() * (high - low + 1))


class OrderMaker:
    """Draws orders one at a time: basket, discounts, shipping, buyer, creator, timeline.

    ``phase`` is "history", "seeding" (the month before the campaign, when creators get
    samples) or "campaign". All randomness comes from the ``rng`` given; ``fix_local`` moves
    a generated local time out of a DST gap or repeated hour.
    """

    def __init__(self, rng: random.Random, fix_local: Callable[[datetime], datetime],
                 first_day: date, now: datetime) -> None:
        self._rng = rng
        self._fix_local = fix_local
        self._ids = UniqueIds(rng)
        self._origin = datetime.combine(first_day, time())
        self._now = now
        products = build_catalog(rng, self._ids)
        self.skus: list[tuple[Product, Sku]] = [(p, sku) for p in products for sku in p.skus]
        self._popular = self._popularity(products)  # by in_campaign
        self._campaign_offers = {sku.sku_id: self._campaign_offer() for _, sku in self.skus}
        self._basket_sizes = {False: _Weighted.of(_HISTORY_LINES),
                              True: _Weighted.of(_CAMPAIGN_LINES)}
        self._quantities = _Weighted.of(_QUANTITIES)
        self._shipping_fees = _Weighted.of(_SHIPPING_FEES)
        self._cancelled_by = _Weighted.of(_CANCELLED_BY)
        self._creators = creator_handles(rng, _CREATORS)
        self._top_creators = _Weighted(self._creators,
                                      [1 / (rank + 1) ** 0.9 for rank in range(_CREATORS)])
        self._usernames: set[str] = set(self._creators)
        self._regulars = [self._new_buyer() for _ in range(_REGULAR_BUYERS)]

    def make(self, created: datetime, phase: str) -> OrderLife:
        """One order created at ``created`` (naive shop time), with its whole timeline."""
        if self._rng.random() < _SAMPLE_RATES[phase]:
            return self._sample(created)
        in_campaign = phase == "campaign"
        lines = self._basket(in_campaign)
        goods = _goods_paid(lines)
        fee, seller_shipping, platform_shipping = self._shipping(goods, in_campaign)
        username, nickname = self._buyer()
        order = OrderSpec(
            order_id=self._order_id(created), status="", created=created, paid=None,
            lines=lines, buyer_username=username, buyer_nickname=nickname,
            shipping_fee_cents=fee, shipping_seller_discount_cents=seller_shipping,
            shipping_platform_discount_cents=platform_shipping,
            # State sales tax (7-9%) on what the buyer pays for goods; it is never GMV.
            taxes_cents=(goods * _randint(self._rng, 700, 900) + 5000) // 10000,
            creator_handle=self._affiliate(phase))
        return self._timeline(order, in_campaign, ordinary=True)

    def _popularity(self, products: list[Product]) -> dict[bool, _Weighted]:
        """SKU popularity: a few bestsellers, a long tail, hero products pushed in campaign."""
        rng = self._rng
        ranks = list(range(len(products)))
        rng.shuffle(ranks)
        heroes = set(rng.sample(range(len(products)), _HERO_PRODUCTS))
        history, campaign = [], []
        for index, product in enumerate(products):
            appeal = 1 / (ranks[index] + 1) ** 0.75
            boost = 3.0 if index in heroes else 1.0
            for position in range(len(product.skus)):
                share = 1.0 if position == 0 else rng.uniform(0.3, 0.9)
                history.append(appeal * share)
                campaign.append(appeal * boost * share)
        return {False: _Weighted(self.skus, history), True: _Weighted(self.skus, campaign)}

    def _campaign_offer(self) -> tuple[int, int]:
        """(seller %, platform %) for a SKU during the campaign."""
        rng = self._rng
        seller = rng.randint(10, 35) if rng.random() < 0.85 else 0
        platform = rng.randint(3, 10) if rng.random() < 0.3 else 0
        return seller, platform

    def _offer(self, sku: Sku, in_campaign: bool) -> tuple[int, int]:
        if in_campaign:
            return self._campaign_offers[sku.sku_id]
        roll = self._rng.random()
        if roll < 0.08:
            return _randint(self._rng, 5, 15), 0  # an occasional flash deal
        if roll < 0.10:
            return 0, _randint(self._rng, 3, 5)  # a platform voucher
        return 0, 0

    def _basket(self, in_campaign: bool) -> list[LineSpec]:
        rng, popular = self._rng, self._popular[in_campaign]
        picked: dict[str, tuple[Product, Sku]] = {}
        for _ in range(self._basket_sizes[in_campaign].draw(rng)):
            product, sku = popular.draw(rng)
            picked.setdefault(sku.sku_id, (product, sku))  # one line per SKU, as TikTok does
        return [self._line(product, sku, in_campaign) for product, sku in picked.values()]

    def _line(self, product: Product, sku: Sku, in_campaign: bool) -> LineSpec:
        quantity = self._quantities.draw(self._rng)
        seller_percent, platform_percent = self._offer(sku, in_campaign)
        return LineSpec(
            sku_id=sku.sku_id, product_id=product.product_id, product_name=product.name,
            quantity=quantity, unit_price_cents=sku.price_cents, seller_sku=sku.seller_sku,
            variation=sku.variation, category=product.category,
            # Whole cents per unit, so a returned unit's refund is exact.
            platform_discount_cents=_percent_of(sku.price_cents, platform_percent) * quantity,
            seller_discount_cents=_percent_of(sku.price_cents, seller_percent) * quantity)

    def _shipping(self, goods: int, in_campaign: bool) -> tuple[int, int, int]:
        """(original fee, seller discount, platform discount) in cents."""
        rng = self._rng
        fee = self._shipping_fees.draw(rng)
        if fee == 0:
            return 0, 0, 0
        if rng.random() < (0.6 if in_campaign else 0.1):  # TikTok's free-shipping vouchers
            return fee, 0, fee if rng.random() < 0.7 else min(fee, 300)
        if goods >= _FREE_SHIPPING_FROM:
            return fee, fee, 0
        return fee, 0, 0

    def _buyer(self) -> tuple[str, str]:
        if self._rng.random() < _REPEAT_BUYER_RATE:
            return self._rng.choice(self._regulars)
        return self._new_buyer()

    def _new_buyer(self) -> tuple[str, str]:
        """(username, nickname); a few buyers show only a nickname, as exports do."""
        rng = self._rng
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        nickname = buyer_nickname(rng, first, last)
        if rng.random() < _BLANK_USERNAME_RATE:
            return "", nickname
        username = buyer_username(rng, first, last)
        while username in self._usernames:
            username += str(_randint(rng, 0, 9))
        self._usernames.add(username)
        return username, nickname

    def _affiliate(self, phase: str) -> str:
        if self._rng.random() >= _AFFILIATE_RATES[phase]:
            return ""
        return self._top_creators.draw(self._rng)

    def _order_id(self, created: datetime) -> str:
        """18 digits, growing with time like TikTok's, unique within the run."""
        elapsed = int((created - self._origin).total_seconds())
        base = 576 * 10**15 + elapsed * _ORDER_ID_STEP
        while True:
            candidate = str(base + int(self._rng.random() * _ORDER_ID_STEP))
            if self._ids.claim(candidate):
                return candidate

    def _sample(self, created: datetime) -> OrderLife:
        """A free sample for a creator: one unit, fully discounted by the seller."""
        rng = self._rng
        product, sku = self._popular[True].draw(rng)
        creator = rng.choice(self._creators)
        line = LineSpec(
            sku_id=sku.sku_id, product_id=product.product_id, product_name=product.name,
            quantity=1, unit_price_cents=sku.price_cents, seller_sku=sku.seller_sku,
            variation=sku.variation, category=product.category,
            seller_discount_cents=sku.price_cents)
        order = OrderSpec(
            order_id=self._order_id(created), status="", created=created, paid=None,
            lines=[line], buyer_username=creator, buyer_nickname=creator,
            shipping_fee_cents=599, shipping_seller_discount_cents=599)
        life = self._timeline(order, in_campaign=False, ordinary=False)
        life.is_sample = True
        return life

    def _timeline(self, order: OrderSpec, in_campaign: bool, ordinary: bool) -> OrderLife:
        """Payment, then cancellation or shipping, delivery and perhaps a return.

        Samples (``ordinary=False``) are always paid, shipped and kept. Durations are whole
        seconds passed as ``timedelta(days, seconds)``: this runs for every order, and that
        form is several times faster than keyword or float arguments.
        """
        rng, local = self._rng, self._fix_local
        roll = rng.random() if ordinary else 1.0
        if roll < _UNPAID_RATE:
            # TikTok cancels an order left unpaid for a day.
            deadline = order.created + timedelta(1, _randint(rng, 60, 1800))
            return OrderLife(order, paid=None, cancelled=local(deadline), cancel_by="System",
                             cancel_reason="Payment not completed")
        payment_delay = 5 + int(rng.expovariate(1 / 120))
        # The demo ends at its "now": nothing is paid after it.
        paid = min(local(order.created + timedelta(0, payment_delay)), self._now)
        hours = rng.uniform(16, 80) if in_campaign else rng.uniform(8, 50)  # busier in campaign
        handling = int(hours * 3600)
        if roll < _UNPAID_RATE + _CANCEL_RATE:
            # Buyers cancel before the parcel leaves.
            delay = 180 + int(min(handling, 36 * 3600) * rng.random())
            cancel_by = self._cancelled_by.draw(rng)
            reason = "Out of stock" if cancel_by == "Seller" else rng.choice(_CANCEL_REASONS)
            return OrderLife(order, paid, cancelled=local(paid + timedelta(0, delay)),
                             cancel_by=cancel_by, cancel_reason=reason)
        shipped = self._pickup(paid + timedelta(0, handling))
        delivered = local(self._daytime(shipped, _randint(rng, 2, 6), 9, 21))
        life = OrderLife(order, paid, shipped=shipped, delivered=delivered)
        if ordinary:
            self._maybe_return(life)
        return life

    def _pickup(self, ready: datetime) -> datetime:
        """The carrier collects parcels between 9 am and 7 pm."""
        if 9 <= ready.hour < 19:
            return self._fix_local(ready)
        return self._fix_local(self._daytime(ready, 1 if ready.hour >= 19 else 0, 9, 13))

    def _daytime(self, moment: datetime, days_later: int, from_hour: int,
                 until_hour: int) -> datetime:
        """A random second between two hours of the day ``days_later`` after ``moment``'s."""
        seconds = from_hour * 3600 + int(self._rng.random() * (until_hour - from_hour) * 3600)
        return datetime(moment.year, moment.month, moment.day) + timedelta(days_later, seconds)

    def _maybe_return(self, life: OrderLife) -> None:
        rng = self._rng
        returns = {index: _randint(rng, 1, line.quantity)
                   for index, line in enumerate(life.base.lines)
                   if rng.random() < _RETURN_LINE_RATE}
        if returns and life.delivered is not None:
            life.returns = returns
            requested = self._daytime(life.delivered, _randint(rng, 2, 12), 8, 22)
            life.returned_at = self._fix_local(requested)
