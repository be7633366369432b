"""Open API content responses (shop video and LIVE performance lists), flattened to the
columns of the video list and LIVE session list so one parser reads both.

Kept apart from ``content_exports`` so the reader can import it without importing parsers.
"""

from __future__ import annotations

API_VIDEO_HEADERS = ("Video ID", "Video title", "Creator", "Post time", "Video views", "Likes",
                     "SKU orders", "Items sold", "Video-attributed GMV")
API_LIVE_HEADERS = ("LIVE ID", "LIVE title", "Creator", "Start time", "End time", "GMV",
                    "Items sold", "Orders", "Viewers", "Product impressions", "Product clicks")


def _amount(value: object) -> object:
    return value.get("amount") if isinstance(value, dict) else value


def _api_id(value: object) -> object:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def api_content_rows(document: object) -> tuple[str, tuple[str, ...], list[list[object]]] | None:
    """An Open API shop video or LIVE performance response as ``(kind name, headers,
    rows)`` in the video / LIVE list columns, or None when ``document`` is neither.

    Videos: ``data.videos[]`` (``id``, ``title``, ``username``, ``video_post_time``,
    ``views``, ``sku_orders``, ``units_sold``, ``gmv.amount``). LIVEs:
    ``data.live_stream_sessions[]`` (``id``, ``title``, ``username``, ``start_time`` and
    ``end_time`` in Unix seconds, ``sales_performance`` and ``interaction_performance``).
    """
    if not isinstance(document, dict) or not isinstance(document.get("data"), dict):
        return None
    data = document["data"]
    if isinstance(data.get("videos"), list):
        rows = []
        for item in data["videos"]:
            item = item if isinstance(item, dict) else {}
            rows.append([_api_id(item.get("id")), item.get("title"), item.get("username"),
                         item.get("video_post_time"), item.get("views"), None,
                         item.get("sku_orders"), item.get("units_sold"),
                         _amount(item.get("gmv"))])
        return "video_data", API_VIDEO_HEADERS, rows
    if isinstance(data.get("live_stream_sessions"), list):
        rows = []
        for item in data["live_stream_sessions"]:
            item = item if isinstance(item, dict) else {}
            sales = item.get("sales_performance") or {}
            interaction = item.get("interaction_performance") or {}
            rows.append([_api_id(item.get("id")), item.get("title"), item.get("username"),
                         item.get("start_time"), item.get("end_time"),
                         _amount(sales.get("gmv")), sales.get("unit_sold"),
                         sales.get("sku_orders"), interaction.get("viewers"),
                         interaction.get("product_impressions"),
                         interaction.get("product_clicks")])
        return "live_list", API_LIVE_HEADERS, rows
    return None

