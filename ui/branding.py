"""The product's name and the shop in the navigation's corner (``st.logo``), drawn as a
small SVG so that the name reads as text at any width."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

import streamlit as st

from ui import data, header

PRODUCT_NAME = "Campaign dashboard"
# Readable on the light and the dark theme alike (an <img> cannot follow the theme).
_NAME_COLOUR, _SHOP_COLOUR = "#fe2c55", "#8a8d93"
_MAX_SHOP_CHARS = 40


def logo_svg(product: str, shop: str | None) -> str:
    """An SVG of ``product`` in bold over ``shop`` (cut to 40 characters), both escaped."""
    if shop and len(shop) > _MAX_SHOP_CHARS:
        shop = shop[:_MAX_SHOP_CHARS - 1] + "…"
    # Text width is not measurable here: ~0.62 em per character leaves room for wide letters.
    width = round(max(len(product) * 0.62 * 15, len(shop or "") * 0.62 * 12)) + 4
    lines = [f'<text x="0" y="{15 if shop else 22}" font-size="15" font-weight="700" '
             f'fill="{_NAME_COLOUR}">{escape(product)}</text>']
    if shop:
        lines.append(f'<text x="0" y="30" font-size="12" fill="{_SHOP_COLOUR}">'
                     f'{escape(shop)}</text>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="32" '
            f'viewBox="0 0 {width} 32" font-family="Source Sans Pro, Arial, sans-serif">'
            + "".join(lines) + "</svg>")


def show_logo(db_path: Path) -> None:
    """The logo with the shop being looked at: the header's, else the store's only shop."""
    selection = header.current()
    shop = selection.shop.name if selection else None
    if shop is None:
        shops = data.shops(db_path, data.current_version(db_path))
        shop = shops[0].name if len(shops) == 1 else None
    st.logo(logo_svg(PRODUCT_NAME, shop), size="large")
