"""The top of the Overview: whose campaign it is, one big pacing figure, then one alert
strip."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from streamlit.testing.v1 import AppTest

from campaign_core.forecast.pacing import Pacing
from campaign_core.store import read_connection
from campaign_core.store.campaigns import list_campaigns
from tests.conftest import DEMO_NOW, PROJECT_ROOT
from ui.formatting import compact_money, plain
from ui.overview_blocks import pacing_headline

APP = str(PROJECT_ROOT / "app.py")


def pacing(**changes) -> Pacing:
    values = dict(gmv_target=Decimal("347000"), gmv_so_far=Decimal("180450.20"),
                  progress_pct=52.0, time_elapsed_pct=50.0, projected_gmv=Decimal("368000"),
                  required_per_day=Decimal("27758.30"), days_left=6.0, status="on_track",
                  run_rate_per_day=Decimal("30000"), today_estimate=None,
                  used_hour_profile=True)
    values.update(changes)
    return Pacing(**values)


def test_the_pacing_headline_is_share_of_target_status_and_projection():
    assert pacing_headline(pacing(), "USD") == (
        f"52% of {plain(compact_money(Decimal('347000')))} · :green[on track] · "
        f"projected {plain(compact_money(Decimal('368000')))}")


def test_without_a_target_the_headline_is_gmv_so_far_and_projection():
    text = pacing_headline(pacing(gmv_target=None, progress_pct=None, status="no_target"),
                           "USD")
    assert text.startswith(f"{plain(compact_money(Decimal('180450.20')))} so far")
    assert "no target set" in text


def test_the_overview_opens_with_shop_campaign_and_pacing(app_env):
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    with read_connection(app_env) as conn:
        campaign = list_campaigns(conn)[0]
    from campaign_core.forecast.band import campaign_band
    from campaign_core.forecast.pacing import campaign_pacing

    now = datetime.fromisoformat(DEMO_NOW).astimezone(UTC)
    with read_connection(app_env) as conn:
        expected = campaign_pacing(conn, campaign, now)
        band = campaign_band(conn, campaign, now)
    texts = [m.value.replace("\\", "") for m in at.markdown]
    head = texts.index(f"**{campaign.shop_name}** · {campaign.name}")
    figure = texts.index("### " + pacing_headline(expected, campaign.currency, band)
                         .replace("\\", ""))
    assert "projected $" in texts[figure] and "(80% range)" in texts[figure]
    strip = next(i for i, text in enumerate(texts) if "out of stock" in text)
    assert head < figure < strip
