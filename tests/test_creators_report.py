"""End to end: every file of the creators work imported by the command line, then
``report --format json`` gives the ``creators`` and ``experiments`` of the definitions."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from campaign_core.demo.content_files import AffiliateRowSpec, write_affiliate_csv
from tests.conftest import PROJECT_ROOT, TZ, hand_orders, write_export

SKU = "17290000000000000"
PRODUCT = "1730000000000000001"


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "campaign_core", *args], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=120, check=False)


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("creators_e2e")
    db = str(folder / "store.db")
    affiliate = write_affiliate_csv(folder / "all_20261120000000_20261121235959.csv", [
        AffiliateRowSpec("576000000000000001", SKU + "01", PRODUCT, "mia", "video",
                         "7300000000000000001", 1299, 2, datetime(2026, 11, 20, 10, 1),
                         est_standard_cents=240),
        AffiliateRowSpec("576000000000000002", SKU + "01", PRODUCT, "mia", "video",
                         "7300000000000000001", 1299, 1, datetime(2026, 11, 20, 23, 5),
                         status="Ineligible", est_standard_cents=130),
        AffiliateRowSpec("576000000000000003", SKU + "03", PRODUCT, "sam", "card", "",
                         1000, 3, datetime(2026, 11, 21, 0, 30), est_standard_cents=200,
                         actual_standard_cents=270, est_shop_ads_cents=50),
    ])
    costs = write_csv(folder / "costs.csv", ["SKU ID", "Unit cost", "Valid from"], [
        [SKU + "01", "4.00", "2026-11-01"], [SKU + "03", "3.00", "2026-11-01"],
        [SKU + "03", "3.50", "2026-11-21"]])
    samples = write_csv(folder / "samples.csv", ["Creator", "SKU ID", "Units", "Shipping cost",
                                                  "Shipped day"], [
        ["@mia", SKU + "03", "2", "6.50", "2026-11-20"],
        ["sam", SKU + "01", "1", "$5.00", "2026-11-10"]])  # before the window
    income = write_csv(folder / "income_20261130101010(UTC-8).csv", [
        "Order/Adjustment ID", "Transaction type", "Order settled time",
        "Total settlement amount", "Affiliate commission", "Affiliate Shop Ads commission"], [
        ["576000000000000001", "Order", "2026/11/28", "20.00", "-2.00", "-0.50"],
        ["576000000000000001", "Order", "2026/11/29", "-0.10", "-0.10", "0"]])
    ads = write_csv(folder / "Shop-Creative Report(2026-11-20 to 2026-11-21).csv", [
        "Campaign name", "Campaign ID", "Product ID", "Creative type", "Video ID",
        "TikTok account", "Cost", "Gross revenue", "Currency"], [
        ["BF", "1800000000000000001", PRODUCT, "Video", "7300000000000000001", "someone",
         "10.00", "40.00", "USD"],
        ["BF", "1800000000000000001", PRODUCT, "Product card", "", "sam", "3.00", "0",
         "USD"]])
    experiments = write_csv(folder / "experiments.csv", [
        "Experiment", "Variant", "Day", "Exposures", "Conversions", "MDE (pp)",
        "Baseline rate", "Planned split"], [
        ["Hook", "A", "2026-11-20", "1000", "30", "1", "3", "50/50"],
        ["Hook", "B", "2026-11-20", "1000", "45", "", "", ""],
        ["Hook", "A", "2026-11-21", "1000", "31", "", "", ""],
        ["Hook", "B", "2026-11-21", "1000", "44", "", "", ""]])
    orders = write_export(folder, hand_orders())
    imported = cli("import", "--db", db, "--timezone", TZ, str(orders), str(affiliate),
                   str(costs), str(samples), str(income), str(ads), str(experiments))
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert "quarantined=0" in imported.stdout
    made = cli("campaign", "--db", db, "--name", "Hand", "--start", "2026-11-20", "--end",
               "2026-11-21")
    assert made.returncode == 0, made.stderr
    result = cli("report", "--db", db, "--campaign", "Hand", "--view", "period", "--now",
                 "2026-11-23T12:00:00", "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_creator_rows_follow_the_definition(report):
    creators = {row["creator"]: row for row in report["creators"]}
    assert set(creators) == {"mia", "sam"}
    mia = creators["mia"]
    # GMV 23.98 + 12.99; the cancelled order refunds 12.99; 3 units x 4.00; commission
    # settled 2.60 (two income rows of one order) + 0 (Ineligible); 2 x 3.00 + 6.50 of
    # samples; 10.00 of ads on her video.
    assert (mia["gmv"], mia["refunds"], mia["product_cost"]) == (36.97, 12.99, 12.00)
    assert (mia["commission"], mia["fees"], mia["sample_cost"], mia["ad_spend"]) == (
        2.60, 0.0, 12.50, 10.00)
    # Platform fees: 6% US referral fee of the 23.98 kept, estimated (1.4388 -> 1.44).
    assert mia["platform_fees"] == 1.44 and mia["platform_fees_status"] == "estimated"
    assert mia["margin"] == pytest.approx(36.97 - 12.99 - 12.00 - 1.44 - 2.60 - 12.50 - 10.00)
    assert mia["margin_pct"] == round(100 * mia["margin"] / 36.97, 2)
    assert mia["settled_share_pct"] == round(100 * 23.98 / 36.97, 2)
    assert mia["segment"] == "one-off"
    assert set(mia["stage_counts"]) >= {"outreach", "posted", "late", "cancelled"}
    sam = creators["sam"]
    # 27.00 - 9.00 refund - 3 x 3.50 - (2.70 actual + 0.50 estimated Shop Ads) - 3.00 ads.
    assert (sam["gmv"], sam["refunds"], sam["product_cost"], sam["commission"]) == (
        27.00, 9.00, 10.50, 3.20)
    assert (sam["sample_cost"], sam["ad_spend"], sam["settled_share_pct"]) == (0.0, 3.0, 0.0)
    # Fees: 6% of 18.00 + 20% x 6% of the 9.00 returned after shipping = 1.188.
    assert sam["margin"] == pytest.approx(27.00 - 9.00 - 10.50 - 1.19 - 3.20 - 3.00)


def test_experiment_entry_follows_the_definition(report):
    (hook,) = report["experiments"]
    assert hook["name"] == "Hook"
    a, b = hook["variants"]
    assert (a["name"], a["exposures"], a["conversions"], a["rate"]) == ("A", 2000, 61, 3.05)
    assert (b["exposures"], b["conversions"], b["rate"]) == (2000, 89, 4.45)
    assert a["ci_low"] < a["rate"] < a["ci_high"]
    assert 0.01 < hook["p_value"] < 0.05  # "significant" on a fixed-sample test...
    assert hook["required_per_arm"] > 2000
    assert hook["decision"] == "underpowered"  # ...but not valid under daily checking yet
    assert hook["srm_p_value"] == 1.0
