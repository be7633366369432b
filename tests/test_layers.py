"""Layers point down only: pages -> ui -> the core's analysis (metrics, forecast, profit, ...)
and intake (importers, Open API) -> store -> base. Every import of every module is read
(an AST walk, imports inside functions too), so a shortcut upwards or sideways fails here.

Within a layer a package may use the others of its group; analysis and intake are two
groups on one level and do not import each other (a word both need, such as the listing
statuses, lives below them). Pages change the store only through a ui helper: they import
no function from ``campaign_core.store``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT

# Layer of each part, by the longest matching module prefix; a higher level may import a
# lower one, never the reverse.
LEVELS = {"base": 0, "store": 1, "analysis": 2, "intake": 2, "services": 3, "ui": 4,
          "pages": 5}
PARTS = {
    "campaign_core": "base",
    "campaign_core.windows": "base",
    "campaign_core.markets": "base",
    "campaign_core.security": "base",
    "campaign_core.memory": "base",
    "campaign_core.handles": "base",
    "campaign_core.listing_statuses": "base",
    # The metric definitions: names, labels, formats; data every layer may read.
    "campaign_core.metrics.catalog": "base",
    "campaign_core.store": "store",
    "campaign_core.rollups": "store",  # derived tables the single writer keeps current
    "campaign_core.importers": "intake",
    "campaign_core.openapi": "intake",
    "campaign_core.templates": "intake",
    "campaign_core.metrics": "analysis",
    "campaign_core.forecast": "analysis",
    "campaign_core.profit": "analysis",
    "campaign_core.creators": "analysis",
    "campaign_core.experiments": "analysis",
    "campaign_core.alerts": "analysis",
    "campaign_core.digest": "analysis",
    "campaign_core.freshness": "analysis",
    "campaign_core.report": "analysis",
    "campaign_core.stakeholder": "analysis",
    "campaign_core.fx": "analysis",  # currency conversion (rates live in the store)
    "campaign_core.portfolio": "analysis",  # figures across shops
    # Whole programs built from both groups: the command line, the demo, the inbox.
    "campaign_core.cli": "services",
    "campaign_core.__main__": "services",
    "campaign_core.demo": "services",
    "campaign_core.inbox": "services",
    "ui": "ui",
    "pages": "pages",
    "app": "pages",
}
OURS = ("campaign_core", "ui", "pages", "app")


def module_name(path: Path) -> str:
    parts = path.relative_to(PROJECT_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def part_of(module: str) -> str | None:
    for prefix in sorted(PARTS, key=len, reverse=True):
        if module == prefix or module.startswith(prefix + "."):
            return PARTS[prefix]
    return None


def imports_of(path: Path) -> list[tuple[int, str, list[str]]]:
    """(line, module, names imported from it) for every import in the file."""
    module = module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            names = [alias.name for alias in node.names]
            # ``from pkg import module`` imports the module itself.
            found += [(node.lineno, base, names)]
    return found


def all_modules() -> list[Path]:
    return sorted([*PROJECT_ROOT.glob("campaign_core/**/*.py"), *PROJECT_ROOT.glob("ui/*.py"),
                   *PROJECT_ROOT.glob("pages/*.py"), PROJECT_ROOT / "app.py"])


def layer_problems(path: Path, imports: list[tuple[int, str, list[str]]]) -> list[str]:
    source = module_name(path)
    source_part = part_of(source)
    problems = []
    for line, target, names in imports:
        where = f"{path.relative_to(PROJECT_ROOT)}:{line} imports {target}"
        if source.startswith("campaign_core") and target.split(".")[0] == "streamlit":
            problems.append(f"{where}: the core never imports streamlit")
            continue
        if target.split(".")[0] not in OURS:
            continue
        targets = [f"{target}.{name}" for name in names
                   if part_of(f"{target}.{name}") != part_of(target)] or [target]
        for imported in targets:
            target_part = part_of(imported)
            if target_part is None or source_part is None:
                problems.append(f"{where}: {imported} has no layer in PARTS")
                continue
            if LEVELS[target_part] > LEVELS[source_part]:
                problems.append(f"{where}: {source_part} may not import {target_part}")
            elif LEVELS[target_part] == LEVELS[source_part] and target_part != source_part:
                problems.append(f"{where}: {source_part} and {target_part} are separate")
        if source_part == "pages" and part_of(target) == "store":
            functions = [n for n in names if not n.isupper()]
            if functions:
                problems.append(f"{where}: a page writes through ui, not the store "
                                f"({', '.join(functions)})")
    return problems


@pytest.mark.parametrize("path", all_modules(), ids=lambda p: str(p.relative_to(PROJECT_ROOT)))
def test_imports_point_down_the_layers(path: Path):
    assert part_of(module_name(path)) is not None, "add the module's part to PARTS"
    problems = layer_problems(path, imports_of(path))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("module", "source", "problem"), [
    ("campaign_core/store/orders_writer.py",
     "from campaign_core.importers.orders import paused_cyclic_gc", "store may not import"),
    ("campaign_core/store/content.py",
     "from campaign_core.metrics.content import normalise_handle", "store may not import"),
    ("campaign_core/metrics/operations.py",
     "from campaign_core.importers.product_list import LISTING_STATUSES", "are separate"),
    ("campaign_core/importers/orders.py", "from campaign_core.metrics import trend",
     "are separate"),
    ("campaign_core/windows.py", "import campaign_core.store", "base may not import"),
    ("campaign_core/metrics/core.py", "import streamlit as st", "never imports streamlit"),
    ("ui/data.py", "from pages import content", "ui may not import pages"),
    ("pages/campaigns.py", "from campaign_core.store import write_transaction",
     "writes through ui"),
    ("pages/campaigns.py", "from campaign_core.store.campaigns import save_campaign",
     "writes through ui"),
])
def test_the_walk_catches_an_upward_or_sideways_import(module, source, problem):
    path = PROJECT_ROOT / module
    imports = imports_of_source(path, source)
    assert any(problem in p for p in layer_problems(path, imports))


def test_pages_may_read_store_constants():
    path = PROJECT_ROOT / "pages" / "import_data.py"
    imports = imports_of_source(path, "from campaign_core.store.shops import DEFAULT_TIMEZONE")
    assert layer_problems(path, imports) == []


def imports_of_source(path: Path, source: str) -> list[tuple[int, str, list[str]]]:
    tree = ast.parse(source)
    return [(1, node.module, [a.name for a in node.names]) if isinstance(node, ast.ImportFrom)
            else (1, node.names[0].name, []) for node in tree.body]
