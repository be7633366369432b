"""Shareable views: what a link must carry so that it reproduces what the sender saw.

The header binds shop, campaign, view and day to the URL (``bind="query-params"``), and
page filters and tabs do the same with their own keys (``url_bound`` below), so the address
bar is always a working link. Widgets leave their default value out of the URL, and the
Daily view's default day is "yesterday", which moves; ``link`` therefore writes the
header's selection out in full, so a link opened tomorrow shows the same day. A click on a
page filter changes the address bar but not ``st.query_params`` of the page's later runs,
so ``link`` writes the page filters from their widgets' values.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import urlencode

import streamlit as st

if TYPE_CHECKING:  # the header uses this module: no import of it at run time
    from ui.header import Selection

# Query parameters of the header (ui/header.py): the widget keys bound to the URL.
HEADER_PARAMS = ("shop", "campaign", "view", "day")
URL_BOUND = {"bind": "query-params"}
# The page filters and tabs bound to the URL: their key, and how a value reads in the URL
# (an option's label, a day as YYYY-MM-DD).
PAGE_FILTERS: dict[str, Callable[[object], str]] = {}
# Session keys: the page being run, and the filter keys each page has bound. Another
# page's filter can linger in the session state and must stay out of this page's links.
_PAGE_KEY, _BOUND_KEY = "share_page", "share_bound_keys"


def set_page(name: str) -> None:
    """Called by the shell before the header: the page this run shows."""
    st.session_state[_PAGE_KEY] = name


def url_bound(key: str, as_text: Callable[[object], str] = str) -> dict[str, str]:
    """Keyword arguments that bind a page filter or tabs to the URL and to the offered
    link: ``st.pills(..., **share.url_bound("x"))``. The key is the query parameter's
    name; ``as_text`` writes a value as the URL does (the widget's ``format_func``)."""
    PAGE_FILTERS[key] = as_text
    bound = st.session_state.setdefault(_BOUND_KEY, {})
    bound.setdefault(st.session_state.get(_PAGE_KEY), set()).add(key)
    return {"key": key, **URL_BOUND}


def page_filter_params() -> dict[str, str]:
    """This page's bound filters' current values, as a link writes them."""
    state = st.session_state
    mine = state.get(_BOUND_KEY, {}).get(state.get(_PAGE_KEY), set())
    return {key: as_text(state[key]) for key, as_text in PAGE_FILTERS.items()
            if key in mine and key in state and state[key] is not None}


def link_params(selection: Selection, page_params: dict[str, str] | None = None) -> dict:
    """The query parameters of a link to ``selection``: the page's own filters (the
    current URL's parameters), with the header's selection written out in full."""
    params = {key: value for key, value in (page_params or {}).items()
              if key not in HEADER_PARAMS}
    params.update({"shop": selection.shop.name, "campaign": selection.campaign.name,
                   "view": selection.view.label})
    if selection.day is not None:
        params["day"] = selection.day.isoformat()
    return params


def link(selection: Selection) -> str:
    """The address of this page with the selection and the page's filters."""
    query = urlencode(link_params(selection, {**st.query_params.to_dict(),
                                              **page_filter_params()}))
    return f"{st.context.url or ''}?{query}"


def show_link(selection: Selection) -> None:
    """The link in a copyable box."""
    st.markdown(":small[Link to this view (the recipient signs in and sees the same "
                "campaign, view, day and filters):]")
    st.code(link(selection), language=None, wrap_lines=True)
