"""Currencies: the ECB's reference-rate files, rates by day with a 7-day carry-forward,
and a US + UK campaign converted into EUR to the cent (issue 20's "done when")."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from fractions import Fraction

import pytest

from campaign_core.cli import main
from campaign_core.fx import DayAmounts, RateBook, convert_days, round_cents
from campaign_core.importers.ecb_rates import is_ecb_file, parse_ecb
from campaign_core.importers.pipeline import import_file
from campaign_core.portfolio.combined import combined_figures, fx_section
from campaign_core.store import read_connection, write_transaction
from campaign_core.store.campaigns import find_campaign
from campaign_core.store.fx_rates import StoredRate, rates_between, set_rate_for_period
from tests.fx_files import LA, LONDON, RATES, UK, US, daily_csv, hist_csv, two_shop_store

AFTER = datetime(2026, 12, 5, tzinfo=UTC)  # the campaign has ended everywhere


# --- the ECB files -------------------------------------------------------------------------


def test_history_file_with_na_cells_and_trailing_comma(tmp_path):
    path = hist_csv(tmp_path, RATES)
    assert path.read_text().splitlines()[0].endswith("ZAR,")
    assert "N/A" in path.read_text()
    parsed = parse_ecb(path)
    assert parsed.layout == "history"
    assert parsed.rows_read == 3 and not parsed.problems
    assert ("GBP", date(2026, 11, 27), Decimal("0.83215")) in parsed.rates
    # N/A (CYP, retired) and the empty column after the trailing comma are no rates.
    assert {code for code, _day, _rate in parsed.rates} == {"USD", "GBP", "JPY"}
    assert (parsed.first_day, parsed.last_day) == (date(2026, 11, 27), date(2026, 12, 1))


def test_daily_file_with_spaces_and_written_day(tmp_path):
    path = daily_csv(tmp_path, date(2026, 11, 27), {"USD": "1.0523", "JPY": "157.23",
                                                    "GBP": "0.83215"})
    assert path.read_text().startswith("Date, USD, JPY, GBP, \n27 November 2026, 1.0523")
    parsed = parse_ecb(path)
    assert parsed.layout == "daily"
    assert sorted(parsed.rates) == [("GBP", date(2026, 11, 27), Decimal("0.83215")),
                                    ("JPY", date(2026, 11, 27), Decimal("157.23")),
                                    ("USD", date(2026, 11, 27), Decimal("1.0523"))]


def test_a_bad_rate_is_quarantined_with_line_column_and_reason(tmp_path):
    path = hist_csv(tmp_path, {**RATES, date(2026, 11, 26): {"USD": "1.O5", "GBP": "0.83"}})
    report = import_file(tmp_path / "s.db", path)
    assert report.ok and report.kind == "ecb_rates"
    assert report.rows_quarantined == 1
    problem = report.problems[0]
    assert (problem.file_line, problem.column, problem.raw_value) == (5, "USD", "1.O5")
    assert "not a rate" in problem.reason
    with read_connection(tmp_path / "s.db") as conn:  # the whole row is held back
        assert not rates_between(conn, ["GBP"], date(2026, 11, 26), date(2026, 11, 26))


def test_an_orders_export_is_not_taken_for_rates(tmp_path):
    other = tmp_path / "x.csv"
    other.write_text("Date,Metric,Category,GMV tier,Value\n2026-11-20,gmv,Beauty,A,1\n")
    assert not is_ecb_file(other)


def test_import_command_recognises_both_files_and_counts_new_and_unchanged(tmp_path, capsys):
    db = tmp_path / "s.db"
    hist = hist_csv(tmp_path, RATES)
    daily = daily_csv(tmp_path, date(2026, 12, 1), {"USD": "1.0601", "GBP": "0.83601"})
    assert main(["import", "--db", str(db), str(hist), str(daily)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("eurofxref-hist.csv: kind=ecb_rates read=3 stored=3 new=9")
    assert out[1].startswith("eurofxref.csv: kind=ecb_rates read=1 stored=1 new=0 "
                             "updated=0 unchanged=2")
    with read_connection(db) as conn:
        shops = conn.execute("SELECT COUNT(*) FROM shop").fetchone()[0]
        logged = conn.execute("SELECT kind, rows_stored FROM import_log").fetchall()
    assert shops == 0  # rates are the workspace's, not a shop's
    assert [tuple(row) for row in logged] == [("ecb_rates", 3), ("ecb_rates", 1)]


# --- rates by day ----------------------------------------------------------------------------


def _book(*days: date, currency: str = "GBP", rate: str = "0.85") -> RateBook:
    return RateBook(StoredRate(currency, day, Decimal(rate), "test") for day in days)


def test_a_day_without_a_rate_uses_the_last_earlier_one_within_seven_days():
    book = _book(date(2026, 11, 23))
    same = book.rate("GBP", date(2026, 11, 23))
    assert same is not None and not same.carried_forward
    carried = book.rate("GBP", date(2026, 11, 30))  # 7 days later: still carried
    assert carried.carried_forward and carried.rate_day == date(2026, 11, 23)
    assert "carried forward to Nov 30" in carried.describe()
    assert book.rate("GBP", date(2026, 12, 1)) is None  # 8 days: not convertible
    assert book.rate("GBP", date(2026, 11, 22)) is None  # a later rate never goes back


def test_beyond_seven_days_the_day_is_reported_and_never_converted_one_to_one():
    days = [DayAmounts(date(2026, 11, 30), {"gmv": 1000}),
            DayAmounts(date(2026, 12, 1), {"gmv": 500}),
            DayAmounts(date(2026, 12, 2), {"gmv": 0})]  # nothing to convert: needs no rate
    conversion = convert_days(days, "GBP", "EUR", _book(date(2026, 11, 23)))
    assert conversion.days_without_rate == [(date(2026, 12, 1), "GBP")]
    assert conversion.cents("gmv") is None  # not 1000/0.85 + 500, and not 1:1
    assert conversion.totals["gmv"] == Fraction(1000) / Fraction("0.85")


def test_conversion_between_two_non_euro_currencies_goes_through_the_euro():
    book = RateBook([StoredRate("GBP", date(2026, 11, 27), Decimal("0.8"), "t"),
                     StoredRate("USD", date(2026, 11, 27), Decimal("1.2"), "t")])
    conversion = convert_days([DayAmounts(date(2026, 11, 27), {"gmv": 1000})], "GBP", "USD",
                              book)
    assert conversion.cents("gmv") == 1500  # £10.00 = €12.50 = $15.00


@pytest.mark.parametrize(("exact", "cents"), [(Fraction(1, 2), 1), (Fraction(-1, 2), -1),
                                              (Fraction(149, 100), 1), (Fraction(251, 100), 3),
                                              (Fraction(0), 0)])
def test_rounding_is_half_away_from_zero_once(exact, cents):
    assert round_cents(exact) == cents


def test_rates_typed_in_for_a_period(tmp_path):
    db = tmp_path / "s.db"
    with write_transaction(db) as conn:
        assert set_rate_for_period(conn, "myr", date(2026, 11, 20), date(2026, 11, 22),
                                   "4.9012") == 3
        with pytest.raises(ValueError, match="above 0"):
            set_rate_for_period(conn, "MYR", date(2026, 11, 20), date(2026, 11, 20), "0")
        with pytest.raises(ValueError, match="base"):
            set_rate_for_period(conn, "EUR", date(2026, 11, 20), date(2026, 11, 20), "1")
    with read_connection(db) as conn:
        rates = rates_between(conn, ["MYR"], date(2026, 11, 1), date(2026, 11, 30))
    assert [(r.day.day, str(r.per_eur), r.source) for r in rates] == [
        (20, "4.9012", "entered by hand"), (21, "4.9012", "entered by hand"),
        (22, "4.9012", "entered by hand")]


# --- the done-when case: a US and a UK shop in one campaign, in EUR -------------------------


def test_combined_eur_gmv_is_the_sum_of_each_shop_local_days_gmv_over_its_rate(tmp_path):
    db = two_shop_store(tmp_path)
    with read_connection(db) as conn:
        campaign = find_campaign(conn, "BF")
        figures = combined_figures(conn, campaign, "period", AFTER, "EUR")
    us, uk = figures.shops
    assert (us.campaign.shop_name, us.campaign.timezone, us.campaign.currency) == (US, LA, "USD")
    assert (uk.campaign.shop_name, uk.campaign.timezone, uk.campaign.currency) == (
        UK, LONDON, "GBP")
    # By hand, per shop-local day (GMV / that day's rate; Saturday uses Friday's rate):
    #   US Fri Nov 27   25.98 / 1.0523  = 24.688777...
    #   US Sat Nov 28   19.99 / 1.0523  = 18.996483...  (carried forward from Nov 27)
    #   US Tue Dec 1    30.00 / 1.0601  = 28.299217...
    #   UK Fri Nov 27   15.00 / 0.83215 = 18.025596...  (23:30 London: still Friday there)
    #   UK Mon Nov 30    9.99 / 0.8354  = 11.958343...
    #   sum                             = 101.968417... -> EUR 101.97
    assert figures.money("gmv") == Decimal("101.97")
    exact = (Fraction(2598 + 1999) / Fraction("1.0523") + Fraction(3000) / Fraction("1.0601")
             + Fraction(1500) / Fraction("0.83215") + Fraction(999) / Fraction("0.8354"))
    assert figures.money("gmv") * 100 == round_cents(exact)
    # Each shop in its own currency, and converted on its own.
    assert (us.kpis.gmv, uk.kpis.gmv) == (Decimal("75.97"), Decimal("24.99"))
    assert (us.converted("gmv"), uk.converted("gmv")) == (Decimal("71.98"), Decimal("29.98"))
    assert figures.count("orders") == 5
    fx = fx_section(figures)
    assert fx["days_without_rate"] == []
    saturday = next(r for r in fx["rates_used"] if r["currency"] == "USD"
                    and r["day"] == "2026-11-28")
    assert saturday == {"currency": "USD", "day": "2026-11-28", "rate_day": "2026-11-27",
                        "per_eur": "1.0523", "source": "ECB euro foreign exchange reference "
                        "rates", "carried_forward": True}


def test_a_campaign_day_without_a_rate_is_reported_not_converted(tmp_path):
    # Rates stop on Nov 23: Nov 27-30 carry it (within 7 days), Dec 1 is 8 days on.
    db = two_shop_store(tmp_path, {date(2026, 11, 23): {"USD": "1.05", "GBP": "0.84"}})
    with read_connection(db) as conn:
        figures = combined_figures(conn, find_campaign(conn, "BF"), "period", AFTER, "EUR")
    assert figures.money("gmv") is None
    assert fx_section(figures)["days_without_rate"] == [
        {"shop": US, "currency": "USD", "day": "2026-12-01"}]
    us, uk = figures.shops
    assert us.converted("gmv") is None
    assert uk.converted("gmv") == Decimal("29.75")  # (15.00 + 9.99) / 0.84, all carried


def test_report_json_with_currency_has_core_shops_and_fx(tmp_path, capsys):
    db = two_shop_store(tmp_path)
    assert main(["report", "--db", str(db), "--campaign", "BF", "--view", "period",
                 "--now", AFTER.isoformat(), "--currency", "EUR", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["core_currency"] == "EUR"
    assert report["core"]["gmv"] == 101.97 and report["core"]["orders"] == 5
    assert [(s["shop"], s["currency"], s["core"]["gmv"]) for s in report["shops"]] == [
        (US, "USD", 75.97), (UK, "GBP", 24.99)]
    assert set(report["fx"]) >= {"source", "rates_used", "days_without_rate"}
    assert report["fx"]["source"] == "ECB euro foreign exchange reference rates"
    assert report["fx"]["days_without_rate"] == []


def test_campaign_command_makes_a_campaign_that_spans_shops(tmp_path, capsys):
    db = tmp_path / "s.db"
    assert main(["campaign", "--db", str(db), "--name", "BF", "--start", "2026-11-27",
                 "--end", "2026-12-01", "--shop", "A", "--shop", "B",
                 "--target-gmv", "1000"]) == 0
    assert "spans 2 shops: A, B" in capsys.readouterr().out
    assert main(["campaign", "--db", str(db), "--list"]) == 0
    assert capsys.readouterr().out.splitlines() == ["BF"]
    from campaign_core.store.campaign_shops import campaign_shop_views

    with read_connection(db) as conn:
        views = campaign_shop_views(conn, find_campaign(conn, "BF"))
    assert [(v.shop_name, v.gmv_target_cents) for v in views] == [("A", 100_000), ("B", None)]
