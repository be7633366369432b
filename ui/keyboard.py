"""Keyboard behaviour Streamlit's widgets lack: a day typed into a date field applies on
Enter. Streamlit's date field (1.67) applies a typed day when the user clicks outside it
(its calendar, open while typing, closes first); Enter does nothing. The script below does
on Enter what a click outside does: the field loses focus and the page gets the click.
Static code, no data of the page in it."""

from __future__ import annotations

import streamlit as st

_ENTER_APPLIES_DATES = """
<script>
if (!window.__enterAppliesTypedDates) {
  window.__enterAppliesTypedDates = true;
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (event.key === "Enter" && target instanceof Element
        && target.closest('[data-testid="stDateInputField"]')) {
      target.blur();
      for (const type of ["pointerdown", "mousedown", "pointerup", "mouseup", "click"]) {
        document.body.dispatchEvent(new PointerEvent(type, {bubbles: true, isPrimary: true}));
      }
    }
  }, true);
}
</script>
"""


def enter_applies_typed_dates() -> None:
    """Once per page: Enter in any date field applies the day typed into it."""
    st.html(_ENTER_APPLIES_DATES, unsafe_allow_javascript=True)
