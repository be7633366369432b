"""The navigation names the product and the shop being looked at (st.logo)."""

from __future__ import annotations

import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.conftest import PROJECT_ROOT
from ui.branding import PRODUCT_NAME, logo_svg

APP = str(PROJECT_ROOT / "app.py")


def test_the_logo_names_product_and_shop_and_escapes_the_shop():
    svg = logo_svg("Campaign dashboard", "Glow & Go <Beauty>")
    assert svg.startswith("<svg") and ">Campaign dashboard</text>" in svg
    assert "Glow &amp; Go &lt;Beauty&gt;" in svg and "<Beauty>" not in svg


def test_a_long_shop_name_is_cut_and_the_width_follows_the_text():
    short, long = logo_svg("Campaign dashboard", "Shop"), logo_svg("Campaign dashboard",
                                                                   "S" * 80)
    assert "S" * 39 + "…" in long and "S" * 40 not in long
    assert 'height="32"' in short and short != long


def test_every_page_shows_the_logo_with_the_shop(app_env, monkeypatch):
    shown = []
    monkeypatch.setattr(st, "logo", lambda image, **kwargs: shown.append(image))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert f">{PRODUCT_NAME}</text>" in shown[-1]
    assert "Glow &amp; Go Beauty (demo)" in shown[-1]
    at.switch_page("pages/import_data.py").run()
    assert "Glow &amp; Go Beauty (demo)" in shown[-1]
