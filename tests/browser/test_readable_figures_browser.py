"""Every page, in every view and tab, at desktop and phone width: the figures read right.

What a viewer sees (the page and the AgGrid iframes) holds no exception box, no
``None``/``nan``, no ``(s)``, no figure of four or more digits without thousands
separators, no number with three or more decimals or in e-notation
(``tests/browser/figures.py``); on a phone no grid column is narrower than 48 px, and the
tables' own "Download as CSV" (which writes formula cells raw) is not offered. Pages come
from ``ui/shell.py``: a page added there is checked with no change here.

``st.dataframe`` draws its cells on a canvas and its accessible copy holds the raw values,
not the text shown: tests/test_table_figures.py checks those tables' formats instead.
"""

from __future__ import annotations

import pytest

from tests.browser.app_pages import VIEWPORTS, app_pages, settle
from tests.browser.conftest import screenshot
from tests.browser.figures import raw_figures

PAGES = app_pages()
VIEWS = ("Today", "Daily", "Campaign Period")
# Tabs a page shows one at a time: (how to reach them, their names).
TABS = {"content": ("query", "content_module", ("LIVE", "Video", "Sub-campaigns")),
        "creators": ("click", None, ("Profit", "Pipeline", "Experiments"))}
NARROWEST_COLUMN = 48  # px, on a phone


def _views(app_page) -> list[str]:
    return list(VIEWS) if app_page.section == "dashboard" else [""]


def _visits(app_page) -> list[tuple[str, str, str | None]]:
    """(label, query, tab to click) for each view and tab of ``app_page``."""
    how, parameter, tabs = TABS.get(app_page.name, (None, None, (None,)))
    visits = []
    for view in _views(app_page):
        query = f"view={view.replace(' ', '+')}" if view else ""
        for tab in tabs:
            if how == "query":
                visits.append((f"{view} / {tab}",
                               "&".join(q for q in (query, f"{parameter}={tab}") if q), None))
            else:
                visits.append((" / ".join(x for x in (view, tab) if x) or "default", query,
                               tab))
    return visits


def _seen_text(page) -> str:
    """The page's visible text and the AgGrid iframes'."""
    parts = [page.inner_text("body")]
    for frame_element in page.query_selector_all('iframe[title*="agGrid"]'):
        if not frame_element.is_visible():
            continue
        frame = frame_element.content_frame()
        try:
            frame.wait_for_selector(".ag-root", timeout=20_000)
            frame.wait_for_timeout(300)
            parts.append(frame.inner_text("body"))
        except Exception:  # noqa: BLE001 - page_problems of the other test reports it
            continue
    return "\n".join(parts)


def _narrow_columns(page) -> list[str]:
    narrow = []
    for index, frame_element in enumerate(page.query_selector_all('iframe[title*="agGrid"]')):
        if not frame_element.is_visible():
            continue
        frame = frame_element.content_frame()
        frame.wait_for_selector(".ag-header-cell", timeout=20_000)
        widths = frame.eval_on_selector_all(
            ".ag-header-cell", "cells => cells.filter(c => c.offsetParent !== null)"
            ".map(c => [c.innerText.trim(), c.getBoundingClientRect().width])")
        narrow += [f"grid {index + 1} column {name!r} is {width:.0f} px wide"
                   for name, width in widths if width < NARROWEST_COLUMN]
    return narrow


def _problems(page, phone: bool) -> list[str]:
    problems = [f"exception box: {box.inner_text()[:300]}"
                for box in page.query_selector_all('[data-testid="stException"]')]
    problems += [f"reads raw: {fragment}" for fragment in raw_figures(_seen_text(page))]
    if phone:
        problems += _narrow_columns(page)
    problems += [f"a table offers its own CSV download ({len(buttons)})"
                 for buttons in [page.query_selector_all(
                     '[data-testid="stDataFrame"] button[aria-label="Download as CSV"]')]
                 if buttons]
    return problems


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("app_page", PAGES, ids=[page.name for page in PAGES])
def test_every_figure_reads_right(browser, app_url, app_page, viewport):
    page = browser.new_page(viewport=VIEWPORTS[viewport])
    found: dict[str, list[str]] = {}
    try:
        for label, query, tab in _visits(app_page):
            page.goto(app_page.url(app_url, query))
            settle(page)
            if tab is not None:
                page.get_by_role("tab", name=tab, exact=True).first.click()
                settle(page)
            problems = _problems(page, viewport == "phone")
            if problems:
                found[label] = problems
                screenshot(page, f"figures-{app_page.name}-{viewport}-"
                                 f"{label.replace(' / ', '-').replace(' ', '_')}")
    finally:
        page.close()
    assert not found, f"{app_page.title} ({viewport}): " + "\n".join(
        f"{label}: {problems}" for label, problems in found.items())
