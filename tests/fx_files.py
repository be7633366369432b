"""ECB reference-rate files in their published layouts, and two shops of one brand (a US
shop in Los Angeles time, a UK shop in London time) for the agency tests."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from campaign_core.demo.order_files import OrderSpec, order_rows, write_orders_csv
from campaign_core.importers.pipeline import import_file
from campaign_core.store import write_transaction
from campaign_core.store.campaign_shops import set_campaign_shops
from campaign_core.store.campaigns import save_campaign
from campaign_core.store.shops import find_shop
from tests.conftest import line

# The real header of eurofxref-hist.csv, column for column, trailing comma included.
HIST_HEADER = ("Date,USD,JPY,BGN,CYP,CZK,DKK,EEK,GBP,HUF,LTL,LVL,MTL,PLN,ROL,RON,SEK,SIT,SKK,"
               "CHF,ISK,NOK,HRK,RUB,TRL,TRY,AUD,BRL,CAD,CNY,HKD,IDR,ILS,INR,KRW,MXN,MYR,NZD,"
               "PHP,SGD,THB,ZAR,")
HIST_COLUMNS = HIST_HEADER.split(",")[1:-1]
US, UK = "Glow US", "Glow UK"
LA, LONDON = "America/Los_Angeles", "Europe/London"


def hist_csv(folder: Path, rates: dict[date, dict[str, str]],
             name: str = "eurofxref-hist.csv") -> Path:
    """A history file, newest day first, N/A for every currency not given."""
    lines = [HIST_HEADER]
    for day in sorted(rates, reverse=True):
        cells = [rates[day].get(code, "N/A") for code in HIST_COLUMNS]
        lines.append(f"{day.isoformat()},{','.join(cells)},")
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def daily_csv(folder: Path, day: date, rates: dict[str, str]) -> Path:
    """The day's file (eurofxref.csv): ", " between cells, the day as "DD Month YYYY"."""
    codes = list(rates)
    path = folder / "eurofxref.csv"
    path.write_text(f"Date, {', '.join(codes)}, \n{day:%d %B %Y}, "
                    f"{', '.join(rates[c] for c in codes)}, \n", encoding="utf-8")
    return path


# Friday Nov 27, 2026 and the week after: the ECB publishes nothing at the weekend.
RATES = {
    date(2026, 11, 27): {"USD": "1.0523", "GBP": "0.83215", "JPY": "157.23"},
    date(2026, 11, 30): {"USD": "1.0577", "GBP": "0.8354", "JPY": "158.01"},
    date(2026, 12, 1): {"USD": "1.0601", "GBP": "0.83601", "JPY": "158.4"},
}


def _order(number: int, paid: datetime, sku: str, quantity: int, cents: int) -> OrderSpec:
    return OrderSpec(f"5760000000000{number:05d}", "Delivered", paid, paid,
                     [line(sku, quantity, cents)], buyer_username=f"buyer{number}")


US_ORDERS = [  # shop-local (Los Angeles) paid times
    _order(1, datetime(2026, 11, 27, 10, 0), "01", 2, 1299),  # Fri: $25.98
    _order(2, datetime(2026, 11, 28, 23, 30), "02", 1, 1999),  # Sat (Sun in UTC): $19.99
    _order(3, datetime(2026, 12, 1, 9, 0), "03", 3, 1000),  # Tue: $30.00
]
UK_ORDERS = [  # shop-local (London) paid times
    _order(11, datetime(2026, 11, 27, 23, 30), "11", 1, 1500),  # Fri: £15.00
    _order(12, datetime(2026, 11, 30, 0, 30), "12", 1, 999),  # Mon: £9.99
]


def two_shop_store(folder: Path, rates: dict[date, dict[str, str]] | None = None) -> Path:
    """A store with the US and UK shops, their orders, one campaign "BF" Nov 27-Dec 1
    spanning both (targets $100 and £50), and the ECB history ``rates`` (default RATES)."""
    db = folder / "agency.db"
    us_file = write_orders_csv(folder / "All order US.csv",
                               [r for o in US_ORDERS for r in order_rows(o)])
    uk_file = write_orders_csv(folder / "All order UK.csv",
                               [r for o in UK_ORDERS for r in order_rows(o, time_style="sea")])
    assert import_file(db, us_file, shop_name=US, timezone=LA).ok
    assert import_file(db, uk_file, shop_name=UK, timezone=LONDON).ok
    report = import_file(db, hist_csv(folder, RATES if rates is None else rates))
    assert report.ok, report.message
    with write_transaction(db) as conn:
        us, uk = find_shop(conn, US), find_shop(conn, UK)
        campaign = save_campaign(conn, shop_id=us.shop_id, name="BF",
                                 start_day=date(2026, 11, 27), end_day=date(2026, 12, 1),
                                 gmv_target_cents=100_00)
        set_campaign_shops(conn, campaign.campaign_id, [(uk.shop_id, 50_00)])
    return db
