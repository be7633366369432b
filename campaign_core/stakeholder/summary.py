"""Page one of the stakeholder report: the answer to "how did the campaign do".

``build_summary`` reads the ``build_report`` dict and returns the pacing figure, the core
KPIs with their change against the comparison, the top 5 products, creators and content
items, the stock risks and open alerts, and three plain sentences (what went well, what
went badly, what to do next), each written from a figure that page one shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from campaign_core.formatting import money
from campaign_core.formatting import percent as _percent
from campaign_core.markets import number_style, shop_currency, shop_market
from campaign_core.metrics.catalog import CATALOG
from campaign_core.stakeholder.values import cell_text

TOP = 5
MAX_RISKS = 6
# Markets that print on US Letter; every other market prints on A4.
LETTER_MARKETS = frozenset({"US", "CA", "MX"})
# Core KPIs where a rise is bad news.
LOWER_IS_BETTER = frozenset({"refunds"})
_STATUS_WORDS = {"on_track": "on track", "at_risk": "at risk", "behind": "behind",
                 "ahead": "ahead", "too_early": "too early to tell"}


@dataclass(frozen=True)
class Kpi:
    key: str
    label: str
    text: str
    change: str  # "+12.5% vs the 7 days before", or "" when there is nothing to compare
    change_pct: float | None = None


@dataclass(frozen=True)
class TopTable:
    title: str
    columns: list[str]
    rows: list[list[str]]
    numeric: list[bool]


@dataclass
class Summary:
    pacing: str
    kpis: list[Kpi] = field(default_factory=list)
    tables: list[TopTable] = field(default_factory=list)
    risks: list[str] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)


def percent(value: float | None, currency: str) -> str:
    """``54.7%`` with the decimal mark of the shop's market (``54,7%`` for IDR)."""
    return _percent(value, 1, number_style(currency))


def signed(change: float, currency: str) -> str:
    """A change with its sign: ``+12.5%``, ``-3.0%`` (no sign when it rounds to 0)."""
    text = percent(change, currency)
    return f"+{text}" if round(change, 1) > 0 else text


def paper_size(currency: str | None, timezone: str | None) -> str:
    """``"Letter"`` for shops in the US, Canada and Mexico, else ``"A4"``."""
    market = shop_market(currency, timezone)
    return "Letter" if market is not None and market.code in LETTER_MARKETS else "A4"


def build_summary(report: dict, product_names: dict[str, str]) -> Summary:
    """Page one of ``report``; ``product_names`` maps product IDs to names (for alerts)."""
    # The shop's currency with its market, so figures take the market's marks.
    currency = shop_currency(report.get("currency", "USD"), report.get("timezone"))
    kpis = _kpis(report, currency)
    risks = _stock_risks(report) + _alerts(report, product_names)
    summary = Summary(pacing=_pacing(report, currency), kpis=kpis,
                      tables=_top_tables(report, currency), risks=risks[:MAX_RISKS])
    summary.sentences = _sentences(report, kpis, summary.risks, currency)
    return summary


def _pacing(report: dict, currency: str) -> str:
    target = report.get("target") or {}
    so_far = target.get("gmv_so_far", report["core"].get("gmv"))
    ended = (target.get("time_elapsed_pct") or 0) >= 100
    if ended:
        text = f"Campaign total {money(so_far, currency)}"
    else:
        text = f"GMV so far {money(so_far, currency)}"
    if not target.get("gmv_target"):
        return text + " (no target set)."
    text += (f": {percent(target.get('progress_pct'), currency)} of the "
             f"{money(target['gmv_target'], currency)} target")
    if ended:
        return text + "."
    status = _STATUS_WORDS.get(str(target.get("status")), str(target.get("status") or ""))
    return (f"{text} with {percent(target.get('time_elapsed_pct'), currency)} of the campaign "
            f"elapsed; projected {money(target.get('projected_gmv'), currency)} ({status}), "
            f"{money(target.get('required_per_day'), currency)} needed per day.")


def _kpis(report: dict, currency: str) -> list[Kpi]:
    comparison = report.get("comparison") or {}
    before = comparison.get("core") or {}
    against = comparison.get("label") or "the comparison"
    kpis = []
    for key, value in report["core"].items():
        old = before.get(key)
        change = None
        if isinstance(value, int | float) and isinstance(old, int | float) and old:
            change = (float(value) - float(old)) / abs(float(old)) * 100
        kpis.append(Kpi(key, CATALOG[key].label if key in CATALOG else key,
                        cell_text(key, value, currency),
                        f"{signed(change, currency)} vs {against}" if change is not None else "",
                        change))
    return kpis


def _top(records: list[dict], key: str) -> list[dict]:
    known = [r for r in records if isinstance(r.get(key), int | float)]
    return sorted(known, key=lambda r: -r[key])[:TOP]


def _top_tables(report: dict, currency: str) -> list[TopTable]:
    tables = []
    products = _top(report.get("products") or [], "gmv")
    if products:
        tables.append(TopTable(
            "Top 5 products", ["Product", "GMV", "Units", "Days of cover"],
            [[str(p.get("name") or p.get("product_id")), cell_text("gmv", p["gmv"], currency),
              cell_text("units", p.get("units"), currency),
              cell_text("days_of_cover", p.get("days_of_cover"), currency)]
             for p in products], [False, True, True, True]))
    creators = report.get("creators") or []
    if isinstance(creators, list) and creators:
        with_costs = any(c.get("product_cost") for c in creators)
        key = "margin" if with_costs else "gmv"
        rows = _top(creators, key)
        if rows:
            tables.append(TopTable(
                f"Top 5 creators by {'margin' if with_costs else 'GMV'}",
                ["Creator", "GMV", "Margin" if with_costs else "Commission"],
                [[str(c.get("creator")), cell_text("gmv", c["gmv"], currency),
                  cell_text(key if with_costs else "commission",
                            c.get("margin" if with_costs else "commission"), currency)]
                 for c in rows], [False, True, True]))
    content = report.get("content") or {}
    items = [item for rows in content.values() if isinstance(rows, list) for item in rows
             if isinstance(item, dict)] if isinstance(content, dict) else []
    items = _top(items, "gmv")
    if items:
        tables.append(TopTable(
            "Top 5 content", ["Content", "Creator", "Type", "GMV"],
            [[str(i.get("title") or i.get("content_id")), str(i.get("creator") or "—"),
              "LIVE" if i.get("type") == "live" else "Video",
              cell_text("gmv", i["gmv"], currency)] for i in items],
            [False, False, False, True]))
    return tables


def _risky_products(report: dict) -> list[dict]:
    risky = [p for p in report.get("products") or []
             if p.get("status") not in (None, "ok") and p.get("days_of_cover") is not None]
    return sorted(risky, key=lambda p: p["days_of_cover"])[:3]


def _stock_risk(product: dict) -> str:
    if not product["days_of_cover"]:
        return f"{product.get('name')}: out of stock."
    return (f"{product.get('name')}: {product['status']}, "
            f"{cell_text('days_of_cover', product['days_of_cover'], 'USD')} days of cover.")


def _stock_risks(report: dict) -> list[str]:
    return [_stock_risk(p) for p in _risky_products(report)]


def _alerts(report: dict, product_names: dict[str, str]) -> list[str]:
    marketing = report.get("marketing") or {}
    return [named_text(s["text"], s.get("numbers") or {}, product_names)
            for s in marketing.get("suggestions") or [] if s.get("text")]


def named_text(text: str, numbers: dict, product_names: dict[str, str]) -> str:
    """``text`` with the names of the products its ``numbers`` list by ID added."""
    ids = [i.strip() for i in str(numbers.get("product_ids") or "").split(",") if i.strip()]
    names = [product_names.get(i, i) for i in ids]
    if not names:
        return text
    return f"{text.rstrip('.')} ({', '.join(names)})."


def _sentences(report: dict, kpis: list[Kpi], risks: list[str], currency: str) -> list[str]:
    def good(kpi: Kpi) -> float:
        sign = -1 if kpi.key in LOWER_IS_BETTER else 1
        return sign * kpi.change_pct

    changed = {k.key: k for k in kpis if k.change_pct is not None}
    against = (report.get("comparison") or {}).get("label") or "the comparison"
    gmv = changed.get("gmv")
    # GMV leads when it rose; refunds that grew slower than GMV are not bad news.
    # A fall in refunds alone is not "what went well" (fewer orders make fewer refunds).
    best = gmv if gmv is not None and good(gmv) > 0 else max(
        (k for k in changed.values() if k.key not in LOWER_IS_BETTER), key=good, default=None)
    bad = [k for k in changed.values() if good(k) < 0 and not (
        k.key in LOWER_IS_BETTER and gmv is not None and k.change_pct <= gmv.change_pct)]
    worst = min(bad, key=good, default=None)
    products = _top(report.get("products") or [], "gmv")
    if best is not None and good(best) > 0:
        went_well = (f"{best.label} {'fell' if best.change_pct < 0 else 'rose'} "
                     f"{percent(abs(best.change_pct), currency)} to {best.text} against {against}.")
    elif products:
        went_well = (f"{products[0].get('name')} sold the most: "
                     f"{money(products[0]['gmv'], currency)} GMV.")
    elif report["core"].get("gmv"):
        went_well = f"GMV reached {cell_text('gmv', report['core']['gmv'], currency)}."
    else:
        went_well = "No paid orders yet in this view."
    target = report.get("target") or {}
    if target.get("status") in ("behind", "at_risk"):
        went_badly = (f"The campaign is {_STATUS_WORDS[target['status']]}: projected "
                      f"{money(target.get('projected_gmv'), currency)} against the "
                      f"{money(target.get('gmv_target'), currency)} target.")
    elif worst is not None:
        went_badly = (f"{worst.label} {'rose' if worst.change_pct > 0 else 'fell'} "
                      f"{percent(abs(worst.change_pct), currency)} to {worst.text} "
                      f"against {against}.")
    elif changed:
        went_badly = f"No core figure fell against {against}."
    else:
        went_badly = f"There is nothing to compare with yet ({against} has no orders)."
    risky = _risky_products(report)
    if risky:
        first = risky[0]
        left = ("is out of stock" if not first["days_of_cover"] else
                f"has {cell_text('days_of_cover', first['days_of_cover'], currency)} "
                "days of cover")
        next_step = f"Next: restock {first.get('name')}, which {left}."
    elif risks:
        next_step = f"Next: {risks[0][:1].lower()}{risks[0][1:]}"
    elif target.get("required_per_day"):
        next_step = (f"Next: sell {money(target['required_per_day'], currency)} per day to "
                     "reach the target.")
    else:
        next_step = "Next: keep the products that sell in stock and in front of buyers."
    return [went_well, went_badly, next_step]
