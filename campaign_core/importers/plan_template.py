"""Parse and store the campaign plan template: one target of a campaign's plan per row.

Columns: ``Campaign`` (a campaign's name, as created on the Campaigns page or with the
``campaign`` command), ``Metric`` (a plannable metric: its name such as ``roas`` or
``creator_videos``, an alias such as ``own_videos``, or its label such as ``Creator
videos``; ``campaign_core.plan_targets`` lists them), ``Target`` (a number in the metric's
unit: money in the shop's currency, ``4.5`` or ``4.5%`` for a percentage, ``3.2`` for
ROAS; empty removes the target) and ``Good if`` (optional: ``above`` or ``below``; empty
takes the metric's usual side). A ``gmv`` row sets the campaign's GMV target.

Campaign names are unique in a store, so the plan is store-wide (no shop is needed).
As in the sub-campaigns template, a row naming an unknown campaign is quarantined in the
classify step (line, ``Campaign`` column, name, reason), inside the import's transaction.
Rows are keyed by (campaign, metric); a later row replaces an earlier one (with a note).
Re-importing a file changes nothing.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from campaign_core.importers.parsed import ParsedFile, Problem, RecordCounts
from campaign_core.importers.reading import SourceTable
from campaign_core.importers.rows import counted_rows
from campaign_core.importers.values import clean, is_empty
from campaign_core.plan_targets import PlanTarget, parse_good_if, parse_target_value, plan_metric
from campaign_core.store.campaigns import find_campaign
from campaign_core.store.plans import campaign_plan, set_plan_target

TEMPLATE_HEADERS: tuple[str, ...] = ("Campaign", "Metric", "Target", "Good if")
_TEMPLATE_EXAMPLES: tuple[tuple[str, ...], ...] = (
    ("Black Friday 2026", "gmv", "250000", "above"),
    ("Black Friday 2026", "contribution_margin_pct", "25%", "above"),
    ("Black Friday 2026", "roas", "3.5", "above"),
    ("Black Friday 2026", "conversion", "3%", "above"),
    ("Black Friday 2026", "creator_videos", "120", "above"),
    ("Black Friday 2026", "own_lives", "24", "above"),
)


@dataclass(frozen=True)
class PlanTemplateRow:
    file_line: int
    campaign_name: str
    metric: str
    target: Decimal | None  # None: remove the target
    good_if: str
    campaign_column: str


@dataclass
class ParsedPlan(ParsedFile):
    rows: dict[tuple[str, str], PlanTemplateRow] = field(default_factory=dict)
    unresolved: set[tuple[str, str]] = field(default_factory=set)


def parse_plan_template(table: SourceTable, timezone: str,
                        progress: Callable[[int], None] | None = None) -> ParsedPlan:
    """Every data row of a plan template ``table`` (``timezone`` is unused: a plan has no
    times). A row with an unreadable cell is quarantined whole, each problem with line,
    column, value and reason."""
    result = ParsedPlan()
    for line, cells in counted_rows(table, result, progress):
        row, problems = _parse_row(table, line, cells)
        if problems:
            result.quarantined_rows += 1
            result.problems.extend(problems)
            continue
        key = (row.campaign_name, row.metric)
        earlier = result.rows.pop(key, None)
        if earlier is not None:
            result.notes.append(f"{row.metric} of {row.campaign_name!r} appears on lines "
                                f"{earlier.file_line} and {line}; the later row was kept.")
        result.rows[key] = row
    return result


def _parse_row(table: SourceTable, line: int,
               cells: list[object]) -> tuple[PlanTemplateRow | None, list[Problem]]:
    headers = table.columns.headers
    problems: list[Problem] = []

    def cell(name: str) -> object:
        index = table.columns.positions.get(name)
        return cells[index] if index is not None and index < len(cells) else None

    def problem(name: str, reason: str) -> None:
        raw = cell(name)
        problems.append(Problem(line, headers.get(name, name),
                                "" if raw is None else str(raw), reason))

    campaign_name = clean(cell("campaign"))
    if is_empty(campaign_name):
        problem("campaign", "campaign name is missing")
    metric = target = good_if = None
    try:
        metric = plan_metric(clean(cell("metric"))).name
    except ValueError as error:
        problem("metric", str(error))
    if metric is not None:
        try:
            target = parse_target_value(clean(cell("target")), metric)
        except ValueError as error:
            problem("target", str(error))
        try:
            good_if = parse_good_if(clean(cell("good_if")), metric)
        except ValueError as error:
            problem("good_if", str(error))
        if metric == "gmv" and good_if == "below":
            problem("good_if", "GMV is planned as a floor: its target is good above")
    if problems:
        return None, problems
    return PlanTemplateRow(line, campaign_name, metric, target, good_if,
                           headers.get("campaign", "Campaign")), []


def classify_plan(conn: sqlite3.Connection, shop_id: int | None,
                  parsed: ParsedPlan) -> tuple[RecordCounts, list[tuple[int, PlanTemplateRow]]]:
    """Resolve campaign names (a row naming an unknown campaign is quarantined), and sort
    the rest into new / updated / unchanged targets. Writes nothing."""
    counts = RecordCounts()
    plan: list[tuple[int, PlanTemplateRow]] = []
    stored_plans: dict[int, dict[str, PlanTarget]] = {}
    for key, row in parsed.rows.items():
        campaign = find_campaign(conn, row.campaign_name)
        if campaign is None:
            if key not in parsed.unresolved:
                parsed.unresolved.add(key)
                parsed.quarantined_rows += 1
                parsed.problems.append(Problem(
                    row.file_line, row.campaign_column, row.campaign_name,
                    f"no campaign named {row.campaign_name!r}; create it first"))
            continue
        if campaign.campaign_id not in stored_plans:
            stored_plans[campaign.campaign_id] = {
                t.metric: t for t in campaign_plan(conn, campaign)}
        stored = stored_plans[campaign.campaign_id].get(row.metric)
        if stored is None and row.target is None:
            counts.unchanged += 1
            continue
        if stored is None:
            counts.new += 1
        elif row.target is not None and (stored.target, stored.good_if) == (row.target,
                                                                             row.good_if):
            counts.unchanged += 1
            continue
        else:
            counts.updated += 1
        plan.append((campaign.campaign_id, row))
    return counts, plan


def write_plan(conn: sqlite3.Connection, plan: list[tuple[int, PlanTemplateRow]]) -> int:
    """Store each planned target (or remove it); returns how many rows changed."""
    for campaign_id, row in plan:
        set_plan_target(conn, campaign_id, row.metric, row.target, row.good_if)
    return len(plan)


def plan_template_csv() -> bytes:
    """The template to download: ``TEMPLATE_HEADERS`` and example rows of one campaign,
    UTF-8 with BOM, CRLF lines."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(TEMPLATE_HEADERS)
    writer.writerows(_TEMPLATE_EXAMPLES)
    return buffer.getvalue().encode("utf-8-sig")
