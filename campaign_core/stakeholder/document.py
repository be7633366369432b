"""The stakeholder report's content, independent of the file format.

``build_document`` reads the dict of ``campaign_core.report.build_report`` and returns a
``Document``: a title, the data-as-of stamp, sections of cards, sentences, tables and charts,
and the definitions of every metric that appears. Sections that the report does not hold
are left out; sections this module does not know (added to the report later) are rendered
generically: a list of records becomes a table, a mapping becomes a two-column table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from campaign_core.experiments.evaluate import NO_DATA, NO_DIFFERENCE, SRM
from campaign_core.forecast.stock_cover import STOCK_COVER_DEFINITION
from campaign_core.formatting import compact_money, p_value, percent
from campaign_core.markets import number_style, shop_currency
from campaign_core.metrics.catalog import CATALOG
from campaign_core.stakeholder import charts
from campaign_core.stakeholder.charts import Chart
from campaign_core.stakeholder.summary import Summary, build_summary, named_text, paper_size
from campaign_core.stakeholder.values import cell_text, label
from campaign_core.windows import View

MAX_ROWS = 25  # a stakeholder reads the top of a table; the app has the rest
# Report keys that describe the report rather than being a section of it.
META_KEYS = frozenset({"campaign", "shop", "currency", "timezone", "view", "window", "now",
                       "data_as_of", "core", "target", "baseline", "trend", "benchmark",
                       "comparison"})
# Known sections in reading order, with their titles; other keys follow in report order.
SECTION_TITLES = {"products": "Products", "content": "Content", "creators": "Creators",
                  "marketing": "Marketing", "traffic": "Traffic", "funnel": "Funnel",
                  "sub_campaigns": "Sub-campaigns"}
# Columns left out of tables: app links and rule names
# (and any ``*_id`` or ``*_key`` column): internal keys a stakeholder does not read.
HIDDEN_COLUMNS = frozenset({"page", "rule"})
SENTENCE_WORDS = 7  # a cell of more words that ends as a sentence does is a sentence


@dataclass(frozen=True)
class Card:
    key: str
    label: str
    text: str


@dataclass(frozen=True)
class Table:
    title: str
    keys: list[str]
    columns: list[str]
    rows: list[list[str]]
    numeric: list[bool]
    note: str | None = None
    row_keys: tuple[str, ...] = ()  # a two-column table's metrics, one per row


@dataclass
class Section:
    key: str
    title: str
    cards: list[Card] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


@dataclass(frozen=True)
class Document:
    title: str
    subtitle: str
    stamp: str
    sections: list[Section]
    definitions: list[tuple[str, str]]
    file_stem: str
    summary: Summary | None = None
    paper: str = "A4"  # "Letter" for shops in the US, Canada and Mexico
    facts: tuple[tuple[str, str], ...] = ()  # shop, campaign, view, as of
    trend: Chart | None = None
    logo: bytes | None = None  # the shop's logo, a PNG redrawn on upload (logo.py)


def build_document(report: dict, logo: bytes | None = None) -> Document:
    """The stakeholder report of ``report`` (a ``build_report`` dict), with the shop's
    ``logo`` (PNG bytes from ``campaign_core.store.logos.load_logo``) on page one.

    Raises ``KeyError`` when the dict lacks the report's fixed keys (campaign, view,
    window, core, data_as_of)."""
    currency = shop_currency(report.get("currency", "USD"), report.get("timezone"))
    names = {str(p.get("product_id")): str(p["name"]) for p in report.get("products") or []
             if isinstance(p, dict) and p.get("name")}
    readable = _readable(report, names, currency)
    sections = [_overview(readable, currency)]
    known = [key for key in SECTION_TITLES if key in readable]
    others = [key for key in readable
              if key not in META_KEYS and key not in SECTION_TITLES]
    for key in known + others:
        section = _section(key, readable[key], _money_currency(readable[key], currency))
        if section is not None:
            sections.append(section)
    return Document(title=f"{report['campaign']}: campaign report",
                    subtitle=_subtitle(report), stamp=_stamp(report), sections=sections,
                    definitions=_definitions(sections), file_stem=_file_stem(report),
                    summary=build_summary(report, names),
                    paper=paper_size(currency, report.get("timezone")),
                    facts=_facts(report), trend=charts.trend_chart(report), logo=logo)


def _facts(report: dict) -> tuple[tuple[str, str], ...]:
    as_of = _local((report.get("data_as_of") or {}).get("latest_paid"))
    return (("Shop", str(report["shop"])), ("Campaign", str(report["campaign"])),
            ("View", _subtitle(report).split(" · ")[1]),
            ("As of", f"{as_of} ({report['timezone']})" if as_of else "no paid orders yet"))


def _readable(report: dict, names: dict[str, str], currency: str = "USD") -> dict:
    """``report`` with what a reader cannot use rewritten: suggestions name products
    instead of listing IDs, experiments have one row per variant, verdict first."""
    readable = dict(report)
    marketing = report.get("marketing")
    if isinstance(marketing, dict) and marketing.get("suggestions"):
        readable["marketing"] = {**marketing, "suggestions": [
            {"suggestion": named_text(s.get("text", ""), s.get("numbers") or {}, names)}
            for s in marketing["suggestions"] if isinstance(s, dict)]}
    experiments = report.get("experiments")
    if isinstance(experiments, list) and experiments:
        readable["experiments"] = [row for test in experiments if isinstance(test, dict)
                                   for row in _variant_rows(test, currency)]
    return readable


def _variant_rows(test: dict, currency: str = "USD") -> list[dict]:
    marks = number_style(currency)
    variants = [v for v in test.get("variants") or [] if isinstance(v, dict)]
    rows = []
    for index, variant in enumerate(variants or [{}]):
        first = index == 0
        low, high = variant.get("ci_low"), variant.get("ci_high")
        # Rows of the same experiment after its first leave its name and verdict blank.
        blank = "\u00a0"
        rows.append({"experiment": test.get("name") if first else blank,
                     "verdict": _verdict(test, variants, marks) if first else blank,
                     "variant": variant.get("name"), "exposures": variant.get("exposures"),
                     "conversions": variant.get("conversions"), "rate": variant.get("rate"),
                     "interval": (f"{percent(low, 1, marks)} to {percent(high, 1, marks)}"
                                  if low is not None and high is not None else None),
                     "p_value": p_value(test.get("p_value")) if first else blank,
                     "srm_p_value": p_value(test.get("srm_p_value")) if first else blank})
    return rows


def _verdict(test: dict, variants: list[dict], marks=None) -> str:
    """The experiment's result in plain words (the statistics follow in the row)."""
    decision = str(test.get("decision") or "")
    rates = ", ".join(f"{v.get('name')} {percent(v.get('rate'), 1, marks)}" for v in variants)
    if decision.endswith((" better", " worse")):
        return f"{decision.capitalize()}: {rates}."
    if decision == SRM:
        return "Can't trust this test: the split of visitors is uneven."
    if decision == NO_DIFFERENCE:
        return f"No real difference: {rates}."
    if decision == NO_DATA:
        return "No data yet."
    return f"Too early to tell: {rates} so far."


def _subtitle(report: dict) -> str:
    window = report["window"]
    first, last = (datetime.fromisoformat(window["start"]), datetime.fromisoformat(window["end"]))
    view = View(report["view"])
    if window["first_day"] == window["last_day"]:
        span = f"{first:%b %d, %Y}"
    else:
        span = f"{first:%b %d} – {datetime.fromisoformat(window['last_day']):%b %d, %Y}"
    until = "" if window["complete"] else f", until {last:%H:%M}"
    return (f"{report['shop']} · {view.label}: {span}{until} · times in "
            f"{report['timezone']}")


def _stamp(report: dict) -> str:
    as_of = report["data_as_of"]
    latest = _local(as_of.get("latest_paid"))
    text = f"Data as of {latest} (latest paid order)" if latest else "No paid orders yet"
    if as_of.get("last_import"):
        text += f", last import {_local(as_of['last_import'])}"
    return f"{text}; report made {_local(report['now'])} ({report['timezone']})."


def _local(iso: str | None) -> str | None:
    return None if not iso else f"{datetime.fromisoformat(iso):%b %d, %Y %H:%M}"


def _file_stem(report: dict) -> str:
    return report_file_stem(report["campaign"], report["view"], report["window"]["last_day"])


def report_file_stem(campaign_name: str, view: str, last_day: object) -> str:
    """A file name without extension: ``black-friday-2026-period-2026-11-26`` (ASCII
    letters and digits only, whatever the campaign is called)."""
    name = "".join(c if c.isascii() and c.isalnum() else "-" for c in campaign_name.lower())
    name = "-".join(part for part in name.split("-") if part)[:60] or "campaign"
    return f"{name}-{view}-{last_day}"


def _overview(report: dict, currency: str) -> Section:
    section = Section("overview", "Overview")
    section.cards = [Card(key, label(key), cell_text(key, value, currency))
                     for key, value in report["core"].items()]
    target = report.get("target") or {}
    if target.get("gmv_target"):
        section.sentences.append(
            # A sentence reads in round figures: the exact ones are in the tables.
            f"Target {compact_money(target['gmv_target'], currency)}: "
            f"{percent(target['progress_pct'], 1, number_style(currency))} reached with "
            f"{percent(target['time_elapsed_pct'], 1, number_style(currency))} of "
            f"the campaign elapsed; projected "
            f"{compact_money(target.get('projected_gmv'), currency)} "
            f"({str(target.get('status') or '').replace('_', ' ')}), "
            f"{compact_money(target.get('required_per_day'), currency)} needed per day.")
    baseline = report.get("baseline")
    if baseline:
        section.sentences.append(
            f"Compared with {baseline['day']}: GMV {cell_text('gmv', baseline['gmv'], currency)}"
            f" ({cell_text('difference_pct', baseline.get('difference_pct'), currency)}).")
    trend = charts.trend_chart(report)
    if trend is not None:
        section.charts.append(trend)
    benchmark = report.get("benchmark")
    if isinstance(benchmark, dict) and benchmark:
        section.tables.append(_benchmark_table(benchmark, currency))
    return section


def _benchmark_table(benchmark: dict, currency: str) -> Table:
    keys = ["metric", "value", "benchmark", "difference_pct", "benchmark_day", "source"]
    rows = []
    for name, entry in benchmark.items():
        if not isinstance(entry, dict):
            continue
        rows.append([label(name)] + [cell_text(name if key in ("value", "benchmark") else key,
                                               entry.get(key), currency) for key in keys[1:]])
    return Table("Against the benchmark", keys,
                 ["Metric", "This view", "Benchmark", "Difference", "Benchmark days", "Source"],
                 rows, [False, True, True, True, False, False])


def _money_currency(value: object, currency: str) -> str:
    """The currency a section's money is in: its own ``ad_currency`` (ad figures are in the
    ad account's currency), else the shop's."""
    ad_currency = value.get("ad_currency") if isinstance(value, dict) else None
    return ad_currency if ad_currency and ad_currency != currency else currency


def _section(key: str, value: object, currency: str) -> Section | None:
    if value in (None, [], {}):
        return None
    section = Section(key, SECTION_TITLES.get(key, label(key)))
    chart = charts.section_chart(key, value, currency)
    if chart is not None:
        section.charts.append(chart)
    _add_value(section, key, value, currency, title="")
    if not (section.tables or section.sentences or section.cards):
        return None
    return section


def _add_value(section: Section, key: str, value: object, currency: str, title: str,
               depth: int = 0) -> None:
    """Render ``value`` into ``section``: records as a table, mappings as pairs."""
    if _is_records(value):
        section.tables.append(records_table(title, value, currency))
    elif isinstance(value, dict):
        scalars = {k: v for k, v in value.items() if not isinstance(v, dict | list)}
        if scalars:
            section.tables.append(Table(
                title, ["name", "value"], ["", "Value"],
                [[label(k), cell_text(k, v, currency)] for k, v in scalars.items()],
                [False, True], row_keys=tuple(scalars)))
        for sub_key, sub_value in value.items():
            if isinstance(sub_value, dict | list) and sub_value and depth < 2:
                _add_value(section, sub_key, sub_value, currency, label(sub_key), depth + 1)
    elif isinstance(value, list):
        section.sentences.append(f"{title or label(key)}: {cell_text(key, value, currency)}")
    else:
        section.sentences.append(f"{title or label(key)}: {cell_text(key, value, currency)}")


def _is_records(value: object) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(r, dict) for r in value)


def records_table(title: str, records: list[dict], currency: str) -> Table:
    """A table of ``records`` (column order of first appearance), the first ``MAX_ROWS``."""
    keys: list[str] = []
    for record in records:
        keys.extend(k for k in record if k not in keys and not _hidden(k))
    shown = records[:MAX_ROWS]
    note = (f"The first {MAX_ROWS} of {len(records):,} rows; the app lists all of them."
            if len(records) > MAX_ROWS else None)
    numeric = [any(isinstance(r.get(k), int | float) and not isinstance(r.get(k), bool)
                   for r in shown) for k in keys]
    rows = [[cell_text(k, record.get(k), currency) for k in keys] for record in shown]
    return Table(title, keys, [label(k) for k in keys], rows, numeric, note)


def is_sentence(text: str) -> bool:
    """A cell that is a sentence (it wraps between words); names and figures do not wrap."""
    return len(text.split()) > SENTENCE_WORDS and text.rstrip().endswith((".", "!", "?"))


def _hidden(key: str) -> bool:
    return key in HIDDEN_COLUMNS or key.endswith(("_id", "_key"))


def _definitions(sections: list[Section]) -> list[tuple[str, str]]:
    """Catalog definitions of the metrics shown, in catalog order."""
    used: set[str] = set()
    for section in sections:
        used.update(card.key for card in section.cards)
        for table in section.tables:
            used.update(table.keys)
            used.update(table.row_keys)
    definitions = [(m.label, m.definition) for name, m in CATALOG.items() if name in used]
    if "days_of_cover" in used:
        definitions.append(("Days of cover", " ".join(STOCK_COVER_DEFINITION.split())))
    return definitions

