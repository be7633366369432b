"""The shop's logo on page one of the stakeholder report: chosen on the Campaigns page,
checked by its content (never by its name or claimed type), stored redrawn, removable; the
PDF draws it on page one and the HTML embeds it, staying one self-contained file."""

from __future__ import annotations

import base64
import io
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from campaign_core.stakeholder.export import campaign_document
from campaign_core.stakeholder.html import render_html
from campaign_core.stakeholder.logo import BOX, LogoError, read_logo
from campaign_core.stakeholder.pdf import render_pdf
from campaign_core.store import read_connection
from campaign_core.store.campaigns import list_campaigns
from campaign_core.store.logos import load_logo
from tests.conftest import DEMO_NOW, PROJECT_ROOT
from ui import edits

NOW = datetime.fromisoformat(DEMO_NOW).astimezone(UTC)


def picture(kind: str = "PNG", size: tuple[int, int] = (300, 100)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (0, 114, 178)).save(out, format=kind)
    return out.getvalue()


def test_a_png_or_jpeg_is_redrawn_as_a_png_within_the_box():
    for kind in ("PNG", "JPEG"):
        logo = read_logo(picture(kind, (1200, 300)))
        assert logo.png.startswith(b"\x89PNG\r\n\x1a\n")
        assert (logo.width, logo.height) == (600, 150)
        assert logo.width <= BOX[0] and logo.height <= BOX[1]


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "empty"),
    (b"<svg onload=alert(1)></svg>", "not a readable PNG or JPEG"),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "not a readable PNG or JPEG"),  # a PNG by its name only
    (picture("GIF"), "GIF image: use a PNG or JPEG"),
    (picture("PNG")[:-40], "not a readable PNG or JPEG"),  # cut short
    (b"x" * (2 * 1024 * 1024 + 1), "at most 2 MB"),
])
def test_what_is_not_a_logo_is_refused_with_the_reason(data, reason):
    with pytest.raises(LogoError, match=reason):
        read_logo(data)


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    with pytest.raises(LogoError, match="16 million pixels"):
        read_logo(picture("PNG", (5000, 4000)))


@pytest.fixture
def store(demo_store: Path, tmp_path: Path) -> Path:
    from ui import access

    copy = tmp_path / "store.db"
    shutil.copy(demo_store, copy)
    # The edits run as in the app's session that the sign-in gate let in: here the local,
    # unsigned user (a logo is an admin's setting).
    access.establish(None)
    return copy


def _documents(db: Path):
    with read_connection(db) as conn:
        campaign = list_campaigns(conn)[0]
        return campaign, campaign_document(conn, campaign, "today", NOW)


def test_the_logo_is_on_page_one_of_the_pdf_and_inline_in_the_html(store):
    campaign, plain_document = _documents(store)
    assert plain_document.logo is None
    without = PdfReader(io.BytesIO(render_pdf(plain_document)))
    trend_only = [image.image.size for image in without.pages[0].images]
    edits.save_shop_logo(store, campaign.shop_id, picture("JPEG", (400, 100)))
    _, document = _documents(store)
    reader = PdfReader(io.BytesIO(render_pdf(document)))
    sizes = [image.image.size for image in reader.pages[0].images]
    assert sorted(sizes) == sorted([*trend_only, (400, 100)])  # the trend, and the logo
    assert all((400, 100) not in [i.image.size for i in page.images]
               for page in reader.pages[1:])
    page = render_html(document)
    [source] = re.findall(r'<img class="logo" alt="Shop logo" src="([^"]+)">', page)
    assert source.startswith("data:image/png;base64,")
    assert base64.b64decode(source.split(",", 1)[1]) == document.logo
    assert "http" not in source and page.count("<img") == 1


def test_the_logo_is_removable(store):
    campaign, _ = _documents(store)
    edits.save_shop_logo(store, campaign.shop_id, picture())
    edits.remove_shop_logo(store, campaign.shop_id)
    with read_connection(store) as conn:
        assert load_logo(conn, campaign.shop_id) is None


def test_a_refused_file_leaves_the_stored_logo_alone(store):
    campaign, _ = _documents(store)
    edits.save_shop_logo(store, campaign.shop_id, picture())
    with read_connection(store) as conn:
        before = load_logo(conn, campaign.shop_id)
    with pytest.raises(ValueError, match="not a readable"):
        edits.save_shop_logo(store, campaign.shop_id, b"GIF89a not really")
    with read_connection(store) as conn:
        assert load_logo(conn, campaign.shop_id) == before


def test_campaigns_page_shows_saves_and_removes_the_logo(store, monkeypatch):
    import streamlit as st

    monkeypatch.setenv("CAMPAIGN_DB", str(store))
    monkeypatch.setenv("CAMPAIGN_NOW", DEMO_NOW)
    st.cache_data.clear()
    try:
        at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)
        at.run()
        at.switch_page("pages/campaigns.py").run()
        assert not at.exception
        assert any("No logo yet" in c.value for c in at.caption)
        campaign, _ = _documents(store)
        edits.save_shop_logo(store, campaign.shop_id, picture())
        at.run()
        assert not at.exception
        assert not any("No logo yet" in c.value for c in at.caption)
        at.button(key="remove_logo").click().run()
        assert not at.exception
        with read_connection(store) as conn:
            assert load_logo(conn, campaign.shop_id) is None
    finally:
        st.cache_data.clear()
