"""Refresh the README's pictures: the main pages of the demo campaign, in a real browser.

    python scripts/screenshots.py [--pages overview,products,...] [--out docs/images]

Builds the demo store in a temporary folder, runs the app on it with the demo's clock
(the browser tests' helpers: Debian's Chromium through Playwright), and saves one PNG per
dashboard page and the Import page (desktop, 1400 px wide, cropped to the first screen and
reduced to 256 colours so they stay small), plus the Overview and Portfolio at phone width.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.app_pages import (  # noqa: E402
    DESKTOP,
    PHONE,
    AppPage,
    app_pages,
    load,
    page_problems,
)
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, start_app, stop_app  # noqa: E402
from tests.conftest import DEMO_TODAY  # noqa: E402

OUT = ROOT / "docs" / "images"
DESKTOP_HEIGHT = 1000
PHONE_HEIGHT = 1400


def _save(png: bytes, target: Path) -> int:
    """Write ``png`` reduced to 256 colours (text and charts stay crisp); return bytes."""
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(
        target, format="PNG", optimize=True)
    return target.stat().st_size


def shoot(pages: list[AppPage], out: Path) -> list[tuple[Path, int, list[str]]]:
    from playwright.sync_api import sync_playwright

    from campaign_core.demo.build import build_demo

    out.mkdir(parents=True, exist_ok=True)
    results = []
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "campaign.db"
        print("building the demo store ...", file=sys.stderr)
        build_demo(db, today=DEMO_TODAY, seed=7)
        process, url = start_app(db)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                                     args=CHROMIUM_ARGS)
                shots = [(page, "desktop", DESKTOP, DESKTOP_HEIGHT) for page in pages]
                shots += [(page, "phone", PHONE, PHONE_HEIGHT) for page in pages
                          if page.name in ("overview", "portfolio")]
                for app_page, width_name, viewport, height in shots:
                    page = browser.new_page(viewport={**viewport, "height": height})
                    load(page, url, app_page)
                    problems = page_problems(page, app_page)
                    target = out / f"{app_page.name}-{width_name}.png"
                    size = _save(page.screenshot(full_page=False), target)
                    results.append((target, size, problems))
                    print(f"{target.relative_to(ROOT)}: {size // 1024} KB"
                          + (f" PROBLEMS: {problems}" if problems else ""), file=sys.stderr)
                    page.close()
                browser.close()
        finally:
            stop_app(process)
    return results


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", help="comma-separated page names (default: the "
                                        "dashboard pages and Import)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    if CHROMIUM is None:
        print("Chromium is not installed (apt-get install chromium)", file=sys.stderr)
        return 2
    every = app_pages()
    wanted = (set(args.pages.split(",")) if args.pages else
              {p.name for p in every if p.section == "dashboard"} | {"import_data"})
    results = shoot([p for p in every if p.name in wanted], args.out)
    return 1 if any(problems for _, _, problems in results) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
