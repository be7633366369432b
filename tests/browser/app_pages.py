"""The app's pages as the browser sees them, and what "the page works" means there.

``app_pages`` reads the navigation from ``ui/shell.py`` (every ``st.Page`` line), so a page
added there is tested, and screenshotted, with no change here. ``page_problems`` lists what
is wrong with a loaded page: an exception box, a chart that did not draw, a grid or table
that did not render, fewer charts or tables than the page's expectations. Pages that need
more than that (a switch to click, a value to read) add a function to ``PAGE_CHECKS``.
"""

from __future__ import annotations

import ast
import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import PROJECT_ROOT

SHELL = PROJECT_ROOT / "ui" / "shell.py"
PHONE = {"width": 390, "height": 1400}
DESKTOP = {"width": 1400, "height": 1600}
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}

CHARTS = '[data-testid="stVegaLiteChart"], .vega-embed'
GRIDS = 'iframe[title*="agGrid"]'
TABLES = '[data-testid="stDataFrame"], [data-testid="stTable"]'
METRICS = '[data-testid="stMetric"]'


@dataclass(frozen=True)
class AppPage:
    file: str  # pages/overview.py
    title: str
    url_path: str  # "" for the default page
    section: str  # the navigation list it is in ("dashboard", "data", ...)

    @property
    def name(self) -> str:
        return Path(self.file).stem

    def url(self, base: str, query: str = "") -> str:
        return f"{base}/{self.url_path}" + (f"?{query}" if query else "")


@dataclass(frozen=True)
class Expectation:
    """The least a page shows on the demo data (its main charts and tables)."""
    charts: int = 0
    grids: int = 0
    tables: int = 0
    metrics: int = 0
    query: str = "view=Campaign+Period"  # the view with the most data in the demo
    ready: str = "h1"  # drawn once the page has run


# Pages not listed here must load without an exception, and whatever charts, grids and
# tables they show must render. Engineers adding a page add its main elements here.
PAGE_EXPECTATIONS: dict[str, Expectation] = {
    "overview": Expectation(charts=2, metrics=9),
    "products": Expectation(grids=1, metrics=2),
    "import_data": Expectation(tables=2, query=""),
    "campaigns": Expectation(tables=1, query=""),
    # Every shop of the demo (US and UK) side by side, and GMV per shop and day.
    "portfolio": Expectation(charts=1, tables=1, metrics=3, query=""),
}
# Interactions a page needs tested in the browser (e.g. the own/affiliate switch on the
# content page): page name -> function(page, app_page) raising AssertionError.
PAGE_CHECKS: dict[str, Callable] = {}


def app_pages(shell: Path = SHELL) -> list[AppPage]:
    """Every ``st.Page(...)`` in ``shell``, in order, with its URL path as Streamlit infers
    it (the default page at "/", others at their file name without ``.py``)."""
    tree = ast.parse(shell.read_text(encoding="utf-8"))
    pages: list[AppPage] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Assign | ast.AnnAssign):
            continue
        target = node.targets[0] if isinstance(node, ast.Assign) else node.target
        section = target.id if isinstance(target, ast.Name) else "other"
        for call in ast.walk(node.value) if node.value else ():
            page = _page_of(call, section)
            if page is not None:
                pages.append(page)
    return pages


def _page_of(call: ast.AST, section: str) -> AppPage | None:
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
            and call.func.attr == "Page" and call.args
            and isinstance(call.args[0], ast.Constant)):
        return None
    file = call.args[0].value
    options = {kw.arg: kw.value.value for kw in call.keywords
               if isinstance(kw.value, ast.Constant)}
    url_path = "" if options.get("default") else options.get("url_path", Path(file).stem)
    return AppPage(file, options.get("title", Path(file).stem), url_path, section)


@dataclass
class Settled:
    seconds: float
    notes: list[str] = field(default_factory=list)


def settle(page, ready: str = "h1", timeout: float = 60) -> Settled:
    """Wait until the page has run: ``ready`` (or an exception box) drawn, the script not
    running, no skeleton, and the number of elements unchanged for a second."""
    start = time.monotonic()
    # A page that raises before drawing ``ready`` shows its exception box instead.
    page.wait_for_selector(f'{ready}, [data-testid="stException"]', timeout=timeout * 1000)
    last, stable_since = None, time.monotonic()
    while time.monotonic() - start < timeout:
        # The app root says whether the script runs ("running" / "notRunning").
        state = page.evaluate("""() => [
            document.querySelectorAll('[data-testid="stElementContainer"]').length,
            document.querySelectorAll('[data-testid="stSkeleton"]').length,
            document.querySelectorAll('[data-testid="stStatusWidget"]').length,
            document.querySelector('[data-testid="stApp"]')?.dataset.testScriptState]""")
        busy = state[1] > 0 or state[2] > 0 or state[3] != "notRunning"
        if state != last or busy:
            last, stable_since = state, time.monotonic()
        elif time.monotonic() - stable_since >= 1.0:
            break
        page.wait_for_timeout(250)
    return Settled(time.monotonic() - start)


def _wait_drawn(page, timeout_ms: int = 20_000) -> None:
    """Charts draw after the script has run: give them time, then let the check judge."""
    # A chart that never draws is reported by page_problems, not here.
    with contextlib.suppress(Exception):
        page.wait_for_function(
            """() => [...document.querySelectorAll('.vega-embed')]
                 .every(e => e.offsetParent === null || e.querySelector('canvas, svg.marks'))""",
            timeout=timeout_ms)


def _visible(page, selector: str) -> list:
    return [element for element in page.query_selector_all(selector) if element.is_visible()]


def page_problems(page, app_page: AppPage) -> list[str]:
    """What is wrong with ``page`` (loaded and settled): empty when it works."""
    problems = [f"exception box: {box.inner_text()[:300]}"
                for box in page.query_selector_all('[data-testid="stException"]')]
    _wait_drawn(page)
    charts = _visible(page, ".vega-embed")
    problems += [f"chart {index + 1} did not draw" for index, chart in enumerate(charts)
                 if chart.query_selector("canvas, svg.marks") is None]
    expected = PAGE_EXPECTATIONS.get(app_page.name, Expectation())
    # Below 640 px a page shows a short list (st.dataframe) instead of its grid (ui/style.py).
    phone = (page.viewport_size or {}).get("width", DESKTOP["width"]) < 640
    if expected.grids or expected.tables:
        # A table or grid draws after the script has run; on a loaded machine, a while after.
        with contextlib.suppress(Exception):
            page.wait_for_selector(f"{GRIDS}, {TABLES}", state="visible", timeout=20_000)
    grids = _visible(page, GRIDS)
    for index, grid in enumerate(grids):
        frame = grid.content_frame()
        try:
            frame.wait_for_selector(".ag-root", timeout=20_000)
        except Exception:  # noqa: BLE001
            problems.append(f"grid {index + 1} did not render")
    tables = _visible(page, TABLES)
    problems += [f"table {index + 1} did not render" for index, table in enumerate(tables)
                 if table.bounding_box() is None or table.bounding_box()["height"] < 30]
    grid_like = len(grids) + (len(tables) if phone else 0)
    for what, found, least in (("charts", len(charts), expected.charts),
                               ("grids", grid_like, expected.grids),
                               ("tables", len(tables), expected.tables),
                               ("metric cards", len(_visible(page, METRICS)),
                                expected.metrics)):
        if found < least:
            problems.append(f"{found} {what} shown, expected at least {least}")
    return problems


def load(page, base_url: str, app_page: AppPage) -> Settled:
    """Open ``app_page`` with its expectation's query and wait until it has run."""
    expected = PAGE_EXPECTATIONS.get(app_page.name, Expectation())
    page.goto(app_page.url(base_url, expected.query))
    return settle(page, expected.ready)
