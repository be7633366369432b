"""Imported text shows as typed: ``ui.formatting.plain`` leaves nothing for Streamlit's
Markdown to interpret, and the Content page's creator card (an imported handle) goes
through it. The browser half of this is tests/browser/test_markdown_text_browser.py."""

from __future__ import annotations

import re
import sqlite3
from zoneinfo import ZoneInfoNotFoundError

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import PROJECT_ROOT
from ui.formatting import WORD_JOINER, plain, zone_text

HOSTILE = "![x](http://host/img.png) **b** :red[c] $x^2$ http://evil.example"


def shown(escaped: str) -> str:
    """What a reader sees: backslash escapes resolved, the invisible word joiners gone."""
    return re.sub(r"\\(.)", r"\1", escaped).replace(WORD_JOINER, "")


@pytest.mark.parametrize("text", [
    HOSTILE, "[click](javascript:alert(1))", ":material/delete: :smile: :+1:",
    "<b>bold</b> &amp; &#60;", "# heading", "1. list", "- item", "> quote", "`code`",
    "~~gone~~", "a | b", "__u__ *i*", "$$\\int$$", "www.evil.example", "WWW.Evil.Example",
    "mail me@evil.example", "https://evil.example/?a=1&b=2", "Plain name 42",
])
def test_plain_text_reads_back_as_typed(text):
    assert shown(plain(text)) == text


def test_plain_leaves_no_markdown_or_link_pattern():
    escaped = plain(HOSTILE + " :smile: www.evil.example me@evil.example <i>x</i> &amp;")
    # Every Markdown character is escaped ...
    assert not re.search(r"(?<!\\)[\[\]()*_<>$!&]", escaped)
    # ... and nothing Streamlit finds in the text after parsing is left whole:
    # web and e-mail addresses (remark-gfm), emoji shortcodes (remark-emoji), directives.
    unescaped = shown_keeping_joiners(escaped)
    assert not re.search(r"https?://|www\.|@[\w-]", unescaped, re.IGNORECASE)
    assert not re.search(r":[\w+-]+:", unescaped)
    assert not re.search(r":\w", unescaped)


def shown_keeping_joiners(escaped: str) -> str:
    return re.sub(r"\\(.)", r"\1", escaped)


def test_plain_keeps_text_on_one_line():
    assert "\n" not in plain("a\n# b") and "\r" not in plain("a\r# b")
    assert shown(plain("a\r\n# b")) == "a # b"


def test_content_page_shows_an_imported_creator_handle_as_text(private_app_env):
    with sqlite3.connect(private_app_env) as conn:
        conn.execute("UPDATE content SET creator = ?", (HOSTILE,))
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)
    at.query_params["view"] = "Campaign Period"
    at.query_params["content_module"] = "Video"
    at.run()
    at.switch_page("pages/content.py").run()
    assert not at.exception
    creator = next(m for m in at.metric if m.label == "Creator")
    assert creator.value == plain(HOSTILE)
    assert shown(creator.value) == HOSTILE


def test_zone_text_takes_only_real_timezone_names():
    assert zone_text("America/Los_Angeles") == "America/Los_Angeles"
    for hostile in ("[x](http://evil.example)", "../../etc/passwd", "**UTC**"):
        with pytest.raises((ValueError, ZoneInfoNotFoundError)):
            zone_text(hostile)
