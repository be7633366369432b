"""The Marketing, Traffic and Funnel pages in a real browser: each draws its charts."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser.conftest import screenshot, start_app, stop_app, wait_for_app
from tests.marketing_files import build_marketing_store

DESKTOP = {"width": 1400, "height": 1600}


@pytest.fixture(scope="module")
def marketing_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = build_marketing_store(tmp_path_factory.mktemp("marketing_browser"))
    process, url = start_app(db)
    yield url
    stop_app(process)


def charts_drawn(page) -> int:
    return len(page.query_selector_all(".vega-embed canvas, .vega-embed svg.marks"))


@pytest.mark.parametrize(("path", "view", "charts"), [
    ("marketing", "Daily", 1),  # the hourly ad chart
    ("traffic", "Campaign+Period", 2),  # channel shares, share trend
    ("funnel", "Campaign+Period", 1),
])
def test_page_draws_its_charts(browser, marketing_url, path, view, charts):
    page = browser.new_page(viewport=DESKTOP)
    page.goto(f"{marketing_url}/{path}?view={view}")
    wait_for_app(page)
    page.wait_for_function(
        f"() => document.querySelectorAll('.vega-embed canvas, .vega-embed svg.marks')"
        f".length >= {charts}", timeout=30_000)
    assert not page.query_selector_all('[data-testid="stException"]')
    assert charts_drawn(page) >= charts
    screenshot(page, f"{path}-{view.lower().replace('+', '-')}-desktop")
    page.close()
