"""Time from navigation to a fully rendered page in a real browser (Chromium via Playwright).

"Rendered" means: the script has finished (the app root says ``notRunning``), no skeleton
or running indicator is left, every chart has drawn its canvas or SVG, every grid frame has
drawn its rows, and the page then stays the same for a second. The time reported is when
that state was first reached, not the second of waiting that confirms it.
"""

from __future__ import annotations

import time

# One poll of the page's state, in the page: [ready, number of element containers].
_STATE = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const running = !app || app.dataset.testScriptState !== 'notRunning'
    || document.querySelectorAll('[data-testid="stSkeleton"]').length > 0
    || document.querySelectorAll('[data-testid="stStatusWidget"]').length > 0
    || !document.querySelector('h1, [data-testid="stException"]');
  const charts = [...document.querySelectorAll('.vega-embed')]
    .every(e => e.offsetParent === null || e.querySelector('canvas, svg.marks'));
  const grids = [...document.querySelectorAll('iframe[title*="agGrid"]')].every(f => {
    try { return f.offsetParent === null || !!f.contentDocument.querySelector('.ag-root'); }
    catch (error) { return true; }
  });
  return [!running && charts && grids,
          document.querySelectorAll('[data-testid="stElementContainer"]').length];
}"""


def rendered_seconds(page, url: str, timeout_s: float = 120, quiet_s: float = 1.0) -> dict:
    """Navigate ``page`` to ``url``; seconds until rendered, and any exception box's text."""
    started = time.monotonic()
    page.goto(url, wait_until="commit")
    ready_at, last = None, None
    while time.monotonic() - started < timeout_s:
        try:
            ready, elements = page.evaluate(_STATE)
        except Exception:  # noqa: BLE001 - the page is still navigating
            ready, elements = False, None
        now = time.monotonic()
        if not ready:
            ready_at = None
        elif elements != last or ready_at is None:
            ready_at = now  # ready, with what is drawn now
        elif now - ready_at >= quiet_s:
            break
        last = elements
        time.sleep(0.05)
    errors = [box.inner_text()[:200]
              for box in page.query_selector_all('[data-testid="stException"]')]
    seconds = (ready_at or time.monotonic()) - started
    return {"seconds": round(seconds, 3), "rendered": ready_at is not None,
            "errors": errors}
