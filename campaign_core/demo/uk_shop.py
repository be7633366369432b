"""The demo's second shop: the brand's UK shop (GBP, Europe/London) in the same Black
Friday campaign, and the ECB reference rates of the period, so the Portfolio page and the
Overview of a campaign that spans shops have something to show.

Everything goes through the importer as a seller's files would: a UK "All order" export
(pound amounts, day-first 24-hour times, as UK Seller Center writes them) and an
``eurofxref-hist.csv`` in the ECB's layout (generated rates, published on weekdays only,
as the ECB does: weekends use Friday's rate). The US shop's data is built first and is
never touched here, so its figures stay those of the single-shop demo.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from campaign_core.demo.catalog import UniqueIds, build_catalog
from campaign_core.demo.order_files import LineSpec, OrderSpec, order_rows, write_orders_csv
from campaign_core.forecast.pacing import campaign_pacing
from campaign_core.importers.pipeline import ImportReport, import_file
from campaign_core.rollups import hourly as rollups
from campaign_core.store import write_transaction
from campaign_core.store.campaign_shops import campaign_shop_views, set_campaign_shops
from campaign_core.store.campaigns import Campaign, find_campaign
from campaign_core.store.shops import DEMO_UK_SHOP_NAME, find_shop, resolve_shop

UK_TIMEZONE = "Europe/London"
UK_HISTORY_DAYS = 35
# eurofxref-hist.csv's columns as published, retired currencies included (their cells N/A).
ECB_HEADER = ("Date,USD,JPY,BGN,CYP,CZK,DKK,EEK,GBP,HUF,LTL,LVL,MTL,PLN,ROL,RON,SEK,SIT,SKK,"
              "CHF,ISK,NOK,HRK,RUB,TRL,TRY,AUD,BRL,CAD,CNY,HKD,IDR,ILS,INR,KRW,MXN,MYR,NZD,"
              "PHP,SGD,THB,ZAR,")
ECB_COLUMNS = tuple(ECB_HEADER.split(",")[1:-1])
# Starting points of the generated walk (units per EUR) and the decimals the ECB quotes.
_RATE_START = {
    "USD": ("1.0550", 4), "JPY": ("158.20", 2), "BGN": ("1.9558", 4), "CZK": ("25.210", 3),
    "DKK": ("7.4590", 4), "GBP": ("0.83450", 5), "HUF": ("409.80", 2), "PLN": ("4.2810", 4),
    "RON": ("4.9760", 4), "SEK": ("11.4850", 4), "CHF": ("0.9410", 4), "ISK": ("145.10", 2),
    "NOK": ("11.7250", 4), "TRY": ("36.4120", 4), "AUD": ("1.6210", 4), "BRL": ("6.2150", 4),
    "CAD": ("1.4730", 4), "CNY": ("7.6120", 4), "HKD": ("8.2030", 4), "IDR": ("16712.50", 2),
    "ILS": ("3.9040", 4), "INR": ("89.0150", 4), "KRW": ("1470.20", 2), "MXN": ("21.3120", 4),
    "MYR": ("4.7110", 4), "NZD": ("1.7920", 4), "PHP": ("61.540", 3), "SGD": ("1.4110", 4),
    "THB": ("36.210", 3), "ZAR": ("19.0210", 4),
}
_HOUR_WEIGHTS = (1, 1, 1, 1, 1, 1, 2, 3, 4, 5, 5, 5, 6, 6, 5, 5, 5, 6, 8, 10, 11, 10, 7, 3)


def write_ecb_history(folder: Path, first_day: date, last_day: date, seed: int) -> Path:
    """``eurofxref-hist.csv`` for ``first_day``..``last_day`` (weekdays), newest first, with
    the published header and trailing commas; a small random walk per currency."""
    rng = random.Random(seed * 31 + 5)
    rates = {code: Decimal(start) for code, (start, _digits) in _RATE_START.items()}
    rows = []
    day = first_day
    while day <= last_day:
        if day.weekday() < 5:
            cells = []
            for code in ECB_COLUMNS:
                if code not in rates:
                    cells.append("N/A")
                    continue
                if code != "BGN":  # the lev is pegged to the euro
                    rates[code] *= Decimal(str(1 + rng.uniform(-0.004, 0.004)))
                digits = _RATE_START[code][1]
                cells.append(f"{rates[code]:.{digits}f}")
            rows.append(f"{day.isoformat()},{','.join(cells)},")
        day += timedelta(days=1)
    path = Path(folder) / "eurofxref-hist.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([ECB_HEADER, *reversed(rows)]) + "\n",
                    encoding="utf-8")
    return path


def _uk_orders(rng: random.Random, campaign: Campaign, as_of: datetime) -> list[OrderSpec]:
    """A smaller shop than the US one: 40-80 orders a day before the campaign, two to three
    times that during it; times in London, nothing paid after ``as_of`` (naive London)."""
    catalog = build_catalog(rng, UniqueIds(rng))[:40]
    orders = []
    first = campaign.start_day - timedelta(days=UK_HISTORY_DAYS)
    day = first
    number = 0
    while day <= as_of.date():
        busy = campaign.start_day <= day <= campaign.end_day
        for _ in range(rng.randint(40, 80) * (rng.choice((2, 3)) if busy else 1)):
            hour = rng.choices(range(24), weights=_HOUR_WEIGHTS)[0]
            paid = datetime.combine(day, time(hour, rng.randrange(60), rng.randrange(60)))
            if paid > as_of:
                continue
            product = rng.choice(catalog)
            sku = rng.choice(product.skus)
            quantity = rng.choice((1, 1, 1, 2, 2, 3))
            # Pound prices a little under the dollar ones, as UK listings of a US brand are.
            price = max(199, int(sku.price_cents * 0.85) // 10 * 10 + 9)
            discount = price * quantity // 5 if busy else 0
            status = "Completed" if day < as_of.date() - timedelta(days=6) else "Shipped"
            if day == as_of.date():
                status = "To ship"
            number += 1
            orders.append(OrderSpec(
                f"577{day:%y%m%d}{number:07d}", status, paid - timedelta(minutes=2), paid,
                [LineSpec(sku.sku_id, product.product_id, product.name, quantity, price,
                          seller_sku=sku.seller_sku, variation=sku.variation,
                          category=product.category, seller_discount_cents=discount)],
                buyer_username=f"uk_buyer_{rng.randrange(10**6):06d}",
                shipping_fee_cents=299))
        day += timedelta(days=1)
    orders.reverse()  # Seller Center lists the newest order first
    return orders


def build_uk_shop(db_path: Path | str, folder: Path, campaign_name: str, anchor: datetime,
                  seed: int) -> tuple[list[Path], list[ImportReport]]:
    """Write and import the UK shop's orders and the ECB rates, and add the UK shop (with a
    GBP target) to the campaign ``campaign_name``. ``anchor`` is the demo's aware "now"."""
    with write_transaction(db_path) as conn:
        campaign = find_campaign(conn, campaign_name)
        _reset_uk_shop(conn)
    local_now = anchor.astimezone(ZoneInfo(UK_TIMEZONE)).replace(tzinfo=None)
    # The campaign's days are the same dates in London; London's "now" may be tomorrow there.
    as_of = min(local_now, datetime.combine(campaign.end_day, time(23, 59, 59)))
    rng = random.Random(seed * 7919 + 44)
    uk_folder = Path(folder) / "uk"
    uk_folder.mkdir(parents=True, exist_ok=True)
    rows = [row for order in _uk_orders(rng, campaign, as_of)
            for row in order_rows(order, time_style="sea", money_symbol="£")]
    orders_file = write_orders_csv(uk_folder / f"All order-{as_of:%Y-%m-%d-%H_%M}.csv", rows)
    rates_file = write_ecb_history(Path(folder),
                                   campaign.start_day - timedelta(days=UK_HISTORY_DAYS + 10),
                                   min(as_of.date(), anchor.date()), seed)
    reports = [import_file(db_path, orders_file, shop_name=DEMO_UK_SHOP_NAME,
                           timezone=UK_TIMEZONE),
               import_file(db_path, rates_file)]
    with write_transaction(db_path) as conn:
        shop = resolve_shop(conn, DEMO_UK_SHOP_NAME, UK_TIMEZONE)
        set_campaign_shops(conn, campaign.campaign_id, [(shop.shop_id, None)])
        uk_view = next(v for v in campaign_shop_views(conn, find_campaign(conn, campaign_name))
                       if v.shop_id == shop.shop_id)
        noon = datetime.combine(as_of.date(), time(12), tzinfo=ZoneInfo(UK_TIMEZONE))
        projected = campaign_pacing(conn, uk_view, min(noon, anchor)).projected_gmv
        set_campaign_shops(conn, campaign.campaign_id,
                           [(shop.shop_id, int(round(float(projected) * 1.03, -3)) * 100)])
    return [orders_file, rates_file], reports


def _reset_uk_shop(conn) -> None:
    shop = find_shop(conn, DEMO_UK_SHOP_NAME)
    if shop is None:
        return
    params = {"shop_id": shop.shop_id}
    conn.execute("DELETE FROM campaign_shop WHERE shop_id = :shop_id", params)
    for table in ("order_line", "orders", "sku", "product"):
        conn.execute(f"DELETE FROM {table} WHERE shop_id = :shop_id", params)
    rollups.clear_shop(conn, shop.shop_id)
