"""Write docs/METRICS.md from the metric catalog (campaign_core/metrics/catalog.py).

    python scripts/metrics_doc.py          # rewrite the file
    python scripts/metrics_doc.py --check  # exit 1 when the file is not current

A test runs the check, so the published definitions never drift from the ones the app
shows as help text.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from campaign_core.metrics.catalog import METRICS, Format  # noqa: E402

TARGET = ROOT / "docs" / "METRICS.md"
_FORMATS = {Format.MONEY: "money", Format.COUNT: "count", Format.PERCENT: "percent"}


def render() -> str:
    """The Markdown page: one table per catalog section, in catalog order."""
    lines = ["# Metric definitions", "",
             "Generated from `campaign_core/metrics/catalog.py` by "
             "`python scripts/metrics_doc.py`; do not edit by hand. The app shows the same "
             "text as help on every number, and the stakeholder report prints it in its "
             "footnote.", ""]
    sections: dict[str, list] = {}
    for metric in METRICS:
        sections.setdefault(metric.section, []).append(metric)
    for section, metrics in sections.items():
        lines += [f"## {section.replace('_', ' ').capitalize()}", "",
                  "| Metric | Key | Format | Definition |", "|---|---|---|---|"]
        for metric in metrics:
            flags = " (estimate until settled)" if metric.estimated else ""
            definition = " ".join(metric.definition.split()).replace("|", "\\|")
            lines.append(f"| {metric.label} | `{metric.name}` | "
                         f"{_FORMATS.get(metric.format, str(metric.format))}{flags} | "
                         f"{definition} |")
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET.relative_to(ROOT)} is out of date: run python "
                  "scripts/metrics_doc.py", file=sys.stderr)
            return 1
        return 0
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)} ({len(METRICS)} metrics)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
