"""Every page of the app's navigation in a real browser, at phone and desktop width: it
loads without an exception box and its charts, grids and tables render. A screenshot of
each is saved in artifacts/screenshots/. Pages come from ``ui/shell.py`` (see
``app_pages``): a page added there is covered here with no change."""

from __future__ import annotations

import pytest

from tests.browser.app_pages import (
    DESKTOP,
    PAGE_CHECKS,
    VIEWPORTS,
    AppPage,
    app_pages,
    load,
    page_problems,
    settle,
)
from tests.browser.conftest import screenshot, start_app, stop_app

PAGES = app_pages()


def test_the_navigation_lists_the_known_pages():
    names = [page.name for page in PAGES]
    assert {"overview", "products", "import_data", "campaigns"} <= set(names)
    assert [page.url_path for page in PAGES if page.name == "overview"] == [""]


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("app_page", PAGES, ids=[page.name for page in PAGES])
def test_page_loads_and_renders(browser, app_url, app_page: AppPage, viewport):
    page = browser.new_page(viewport=VIEWPORTS[viewport])
    try:
        load(page, app_url, app_page)
        problems = page_problems(page, app_page)
        assert not problems, f"{app_page.title} ({viewport}): {problems}"
        check = PAGE_CHECKS.get(app_page.name)
        if check is not None:
            check(page, app_page)
    finally:
        screenshot(page, f"page-{app_page.name}-{viewport}")  # also of a failing page
        page.close()


# The Portfolio page spans shops: it has no header, so no view switcher.
SWITCHER_PAGES = [p for p in PAGES if p.section == "dashboard" and p.name != "portfolio"]


@pytest.mark.parametrize("app_page", SWITCHER_PAGES, ids=[p.name for p in SWITCHER_PAGES])
def test_view_switcher_works_on_every_dashboard_page(browser, app_url, app_page: AppPage):
    page = browser.new_page(viewport=DESKTOP)
    try:
        page.goto(app_page.url(app_url))
        settle(page)
        for label in ("Daily", "Campaign Period", "Today"):
            page.get_by_role("radio", name=label, exact=True).first.click()
            settle(page)
            problems = page_problems(page, app_page) if label != "Today" else [
                f"exception box: {box.inner_text()[:200]}"
                for box in page.query_selector_all('[data-testid="stException"]')]
            assert not problems, f"{app_page.title}, {label}: {problems}"
            if label != "Today":  # the default view is left out of the link
                assert f"view={label.replace(' ', '+')}" in page.url
    finally:
        page.close()


def test_a_broken_page_fails_the_checks(browser, demo_copy, tmp_path):
    """The checks above see an exception box: a page that raises is reported."""
    script = tmp_path / "broken_app.py"
    script.write_text('import streamlit as st\nst.title("Broken")\n'
                      'raise RuntimeError("deliberately broken page")\n', encoding="utf-8")
    process, url = start_app(demo_copy, script=script, cwd=tmp_path)
    try:
        page = browser.new_page(viewport=DESKTOP)
        broken = AppPage("broken_app.py", "Broken", "", "dashboard")
        page.goto(url)
        settle(page)
        problems = page_problems(page, broken)
        assert problems and "deliberately broken page" in problems[0]
        page.close()
    finally:
        stop_app(process)


def test_report_downloads_from_the_header(browser, app_url):
    """The header's Report popover: the HTML and the PDF of the view download."""
    page = browser.new_page(viewport=DESKTOP, accept_downloads=True)
    try:
        page.goto(f"{app_url}/?view=Daily&day=2026-11-21")
        settle(page, '[data-testid="stMetric"]')
        page.get_by_role("button", name="Report").click()
        for label, start in (("HTML", b"<!DOCTYPE html>"), ("PDF", b"%PDF-")):
            # Generous: the PDF lays the report out more than once, and a shared CI machine
            # may be slow (the report's own time is the benchmark's business).
            with page.expect_download(timeout=150_000) as download:
                page.get_by_role("button", name=label).click()
            content = open(download.value.path(), "rb").read()  # noqa: SIM115
            assert content.startswith(start), label
            assert download.value.suggested_filename.endswith(
                f"-daily-2026-11-21.{label.lower()}")
            if label == "HTML":
                assert "Daily: Nov 21, 2026" in content.decode("utf-8")
        screenshot(page, "report-popover-desktop")
    finally:
        page.close()


def test_a_deep_link_sets_campaign_view_day_and_page_filter(browser, app_url):
    page = browser.new_page(viewport=DESKTOP)
    try:
        page.goto(f"{app_url}/products?campaign=Black+Friday+%2F+Cyber+Monday+2026"
                  "&view=Daily&day=2026-11-22&product_filter=Out+of+stock")
        settle(page, '[data-testid="stMetric"]')
        captions = " ".join(e.inner_text() for e in
                            page.query_selector_all('[data-testid="stCaptionContainer"]'))
        assert "Daily: Nov 22, 2026" in captions
        chosen = page.get_by_role("radio", name="Out of stock", exact=True).first
        assert chosen.get_attribute("aria-checked") == "true"
        assert "product_filter=Out+of+stock" in page.url
    finally:
        page.close()
