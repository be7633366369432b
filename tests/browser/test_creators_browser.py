"""The creator pipeline in a real browser: the board counts deals per stage, the late list
names the late creators, and a deal added in the editor is saved through the single writer
and lands on the board."""

from __future__ import annotations

import sqlite3

from tests.browser.conftest import screenshot, start_app, stop_app, wait_for_app


def test_pipeline_board_and_deal_editor(browser, demo_copy):
    process, url = start_app(demo_copy)
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1800})
        page.goto(f"{url}/creators?view=Campaign+Period")
        wait_for_app(page)
        page.get_by_role("tab", name="Pipeline").click()
        late = page.locator(".st-key-stage_late")
        assert late.locator('[data-testid="stMetricValue"]').inner_text() == "2"
        assert "matte.maya" in late.inner_text()
        outreach = page.locator(".st-key-stage_outreach")
        before = int(outreach.locator('[data-testid="stMetricValue"]').inner_text())
        screenshot(page, "creators-pipeline-desktop")

        editor = page.locator(".st-key-deal_editor")
        editor.hover()
        editor.get_by_role("button", name="Add row").click()
        page.wait_for_timeout(800)
        box = editor.bounding_box()
        # The added row is the grid's last; its first column is Creator.
        page.mouse.dblclick(box["x"] + 100, box["y"] + box["height"] - 18)
        page.wait_for_timeout(500)
        page.keyboard.type("browser.bella")
        page.keyboard.press("Tab")
        page.wait_for_timeout(800)  # the editor sends its edits to the server
        page.get_by_role("button", name="Save deals").click()
        outreach.get_by_text("browser.bella", exact=False).wait_for(timeout=30_000)
        after = int(outreach.locator('[data-testid="stMetricValue"]').inner_text())
        assert after == before + 1
        with sqlite3.connect(demo_copy) as conn:
            rows = conn.execute("SELECT creator, source FROM creator_deal "
                                "WHERE creator = 'browser.bella'").fetchall()
        assert rows == [("browser.bella", "app")]
        page.close()
    finally:
        stop_app(process)
