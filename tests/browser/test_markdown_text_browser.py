"""Escaped text as the browser draws it: a hostile creator handle, put through
``ui.formatting.plain`` into every kind of Markdown the app uses, shows as the literal
text, with no image loaded, no link, no formula, colour, emphasis or emoji."""

from __future__ import annotations

import textwrap

from tests.browser.conftest import screenshot, start_app, stop_app, wait_for_app
from tests.conftest import PROJECT_ROOT
from ui.formatting import WORD_JOINER

HOSTILE = ("![x](http://host.invalid/img.png) **b** :red[c] $x^2$ http://evil.invalid "
           "www.evil.invalid me@evil.invalid :smile: <b>h</b> &amp;")

SCRIPT = textwrap.dedent('''
    import sys
    sys.path.insert(0, {root!r})
    import streamlit as st
    from ui.formatting import plain

    text = plain({hostile!r})
    st.subheader(text)
    st.markdown(text)
    st.caption(f"Creator: {{text}}")
    st.metric(f"Label {{text}}", text, f"+1 {{text}}", delta_description=text)
    st.info(text)
    with st.expander(text, expanded=True):
        st.write(text)
    st.radio("Pick", [text, "other"])
    st.button(text)
''')


def test_escaped_text_renders_as_literal_text(browser, demo_copy, tmp_path):
    script = tmp_path / "markdown_probe.py"
    script.write_text(SCRIPT.format(root=str(PROJECT_ROOT), hostile=HOSTILE), encoding="utf-8")
    process, url = start_app(demo_copy, script=script, cwd=tmp_path)
    requested: list[str] = []
    try:
        page = browser.new_page(viewport={"width": 1200, "height": 1800})
        page.on("request", lambda request: requested.append(request.url))
        page.goto(url)
        wait_for_app(page)
        page.wait_for_timeout(800)
        main = page.locator('[data-testid="stMain"]')
        # Streamlit's own heading anchors link to "#..."; anything else came from the text.
        links = main.locator("a:not([href^='#'])")
        assert links.count() == 0, links.first.get_attribute("href")
        for markup in ("img", ".katex", "strong", "em", "b",
                       ".stMarkdownColoredText", "[role=img]"):
            assert main.locator(f'[data-testid="stMarkdownContainer"] {markup}').count() == 0, \
                markup
        texts = [t.replace(WORD_JOINER, "").strip() for t in
                 main.locator('[data-testid="stMarkdownContainer"]').all_inner_texts()]
        assert HOSTILE in texts  # st.markdown, st.write, the expander label ...
        metric_value = page.locator('[data-testid="stMetricValue"]').inner_text()
        assert metric_value.replace(WORD_JOINER, "").strip() == HOSTILE
        assert not [u for u in requested if "invalid" in u]
        screenshot(page, "markdown-text-literal")
        page.close()
    finally:
        stop_app(process)
