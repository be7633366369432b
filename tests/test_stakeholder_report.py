"""The stakeholder report (HTML and PDF): built from the campaign report, so its numbers are
the app's; opens offline; escapes every text from the store; renders sections that other
modules add to the report without a change."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from campaign_core.cli import main
from campaign_core.metrics.catalog import CATALOG, CORE_METRICS
from campaign_core.report import build_report
from campaign_core.stakeholder import build_document, stakeholder_html, stakeholder_pdf
from campaign_core.stakeholder.charts import PALETTE
from campaign_core.stakeholder.html import render_html
from campaign_core.stakeholder.pdf import render_pdf
from campaign_core.store import read_connection, write_transaction
from campaign_core.store.campaigns import list_campaigns, save_campaign
from tests.conftest import DEMO_NOW
from ui.formatting import value_text

NOW = datetime.fromisoformat(DEMO_NOW).astimezone(UTC)
VIEWS = [("today", None), ("daily", date(2026, 11, 21)), ("period", None)]


class _Cards(HTMLParser):
    """The metric cards of a report page: data-metric -> shown value."""

    def __init__(self) -> None:
        super().__init__()
        self.cards: dict[str, str] = {}
        self._metric: str | None = None
        self._in_value = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "data-metric" in attributes:
            self._metric = attributes["data-metric"]
        self._in_value = attributes.get("class") == "value" and self._metric is not None

    def handle_data(self, data):
        if self._in_value:
            self.cards[self._metric] = data
            self._in_value, self._metric = False, None


def demo_campaign(db: Path):
    with read_connection(db) as conn:
        return list_campaigns(conn)[0]


@pytest.fixture(scope="module")
def demo_html(demo_store: Path) -> dict[str, str]:
    campaign = demo_campaign(demo_store)
    pages = {}
    for view, day in VIEWS:  # a connection each: a read connection's queries share a time cap
        with read_connection(demo_store) as conn:
            pages[view] = stakeholder_html(conn, campaign, view, NOW, day)
    return pages


@pytest.mark.parametrize(("view", "day"), VIEWS)
def test_html_cards_show_the_numbers_the_app_shows(demo_store, demo_html, view, day):
    campaign = demo_campaign(demo_store)
    with read_connection(demo_store) as conn:
        report = build_report(conn, campaign, view, NOW, day)
    parser = _Cards()
    parser.feed(demo_html[view])
    # The app's exact text of each value (the cards' help text and tables use it).
    expected = {name: value_text(CATALOG[name], report["core"][name], campaign.currency)
                for name in CORE_METRICS}
    assert parser.cards == expected
    assert parser.cards["gmv"] != "$0.00"


def test_html_opens_offline(demo_html):
    for page in demo_html.values():
        assert "<script" not in page.lower()
        assert not re.search(r"<link\b", page, re.IGNORECASE)
        assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page,
                             re.IGNORECASE)
        assert not re.search(r"url\(\s*['\"]?\s*(?:https?:)?//", page, re.IGNORECASE)
        assert page.count("<svg") >= 2  # the trend and the products chart, inline


def test_html_has_the_sections_stamp_and_definitions(demo_html):
    page = demo_html["period"]
    for heading in ("Overview", "Products", "Sub-campaigns", "Definitions"):
        assert f">{heading}</h" in page
    assert "Data as of Nov 26, 2026 14:" in page
    assert "Campaign Period: Nov 20 – Nov 26, 2026" in page
    for name in CORE_METRICS:
        assert f"<dt>{CATALOG[name].label}</dt>" in page

def test_html_renders_exactly_the_sections_the_report_has(demo_store, demo_html):
    from campaign_core.stakeholder.document import SECTION_TITLES

    campaign = demo_campaign(demo_store)
    with read_connection(demo_store) as conn:
        report = build_report(conn, campaign, "period", NOW)
    page = demo_html["period"]
    for key in SECTION_TITLES:
        assert (f'<section id="{key}">' in page) == bool(report.get(key)), key


def test_charts_have_titles_and_the_app_palette():
    from ui.charts import PALETTE as APP_PALETTE

    assert PALETTE == APP_PALETTE
    report = _fake_report()
    for section in build_document(report).sections:
        for chart in section.charts:
            assert chart.spec["title"] == chart.title and chart.title


def _fake_report(**sections) -> dict:
    return {
        "campaign": "Spring", "shop": "Shop", "currency": "USD",
        "timezone": "America/Los_Angeles", "view": "period",
        "window": {"start": "2026-03-01T00:00:00-08:00", "end": "2026-03-03T00:00:00-08:00",
                   "first_day": "2026-03-01", "last_day": "2026-03-02", "complete": True},
        "now": "2026-03-05T10:00:00-08:00",
        "core": {name: 1 for name in CORE_METRICS},
        "target": {"gmv_target": None},
        "trend": [{"bucket_start": "2026-03-01T00:00:00-08:00", "gmv": 10.0,
                   "comparison_gmv": 5.0, "comparison_start": "2026-02-27T00:00:00-08:00"}],
        "products": [{"product_id": "1", "name": "Lip oil", "gmv": 10.0, "units": 2}],
        "data_as_of": {"latest_paid": "2026-03-02T23:00:00-08:00", "last_import": None},
        **sections,
    }


def test_sections_added_later_render_as_tables():
    report = _fake_report(
        content=[{"title": "LIVE 1", "gmv": 1234.5, "gmv_share_pct": 12.5, "viewers": 3000}],
        creators={"total_commission": 99.0,
                  "rows": [{"creator": "@amy", "gmv": 50.0, "orders": 3}]})
    document = build_document(report)
    titles = [section.title for section in document.sections]
    assert titles[:4] == ["Overview", "Products", "Content", "Creators"]
    page = render_html(document)
    assert "<td class=\"num\">$1,234.50</td>" in page
    assert "<td class=\"num\">12.5%</td>" in page
    assert "<td class=\"num\">3,000</td>" in page
    assert "@amy" in page and "$99.00" in page
    # Metrics of the catalog in those tables are defined in the footnote.
    defined = [name for name, _ in document.definitions]
    assert "GMV" in defined and "Orders" in defined


def test_empty_sections_are_left_out():
    document = build_document(_fake_report(content=[], funnel=None, products=[]))
    assert [section.key for section in document.sections] == ["overview"]


def test_long_tables_are_cut_with_a_note():
    rows = [{"name": f"P{i}", "gmv": float(i)} for i in range(40)]
    table = build_document(_fake_report(products=rows)).sections[1].tables[0]
    assert len(table.rows) == 25
    assert "25 of 40" in table.note


def test_text_from_the_store_is_escaped(hand_store):
    hostile = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'
    with write_transaction(hand_store) as conn:
        campaign = list_campaigns(conn)[0]
        save_campaign(conn, shop_id=campaign.shop_id, name=hostile,
                      start_day=campaign.start_day, end_day=campaign.end_day,
                      campaign_id=campaign.campaign_id)
    campaign = demo_campaign(hand_store)
    with read_connection(hand_store) as conn:
        page = stakeholder_html(conn, campaign, "period", NOW)
        pdf = stakeholder_pdf(conn, campaign, "period", NOW)
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img" in page
    assert pdf.startswith(b"%PDF")


def _page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", pdf))


def test_pdf_has_pages_and_the_numbers(demo_store):
    campaign = demo_campaign(demo_store)
    with read_connection(demo_store) as conn:
        pdf = stakeholder_pdf(conn, campaign, "period", NOW)
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    assert _page_count(pdf) >= 2


def test_pdf_prints_any_script_in_names():
    report = _fake_report(products=[{"name": "Crème brûlée 口红 💄 Ünï", "gmv": 10.0}])
    pdf = render_pdf(build_document(report))
    assert pdf.startswith(b"%PDF-") and _page_count(pdf) >= 1


def test_command_line_writes_html_and_pdf(demo_store, tmp_path, capsys):
    campaign = demo_campaign(demo_store)
    common = ["report", "--db", str(demo_store), "--campaign", campaign.name, "--view",
              "period", "--now", DEMO_NOW]
    html_file, pdf_file = tmp_path / "report.html", tmp_path / "report.pdf"
    assert main([*common, "--format", "html", "--output", str(html_file)]) == 0
    assert main([*common, "--format", "pdf", "--output", str(pdf_file)]) == 0
    assert html_file.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert pdf_file.read_bytes().startswith(b"%PDF-")
    with read_connection(demo_store) as conn:
        assert html_file.read_text(encoding="utf-8") == stakeholder_html(
            conn, campaign, "period", NOW)


def test_command_line_needs_a_file_for_pdf(demo_store, capsys):
    campaign = demo_campaign(demo_store)
    code = main(["report", "--db", str(demo_store), "--campaign", campaign.name, "--view",
                 "today", "--format", "pdf"])
    assert code == 2
    assert "--output" in capsys.readouterr().err


def _script(name: str):
    import importlib.util

    from tests.conftest import PROJECT_ROOT

    spec = importlib.util.spec_from_file_location(name, PROJECT_ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_metrics_doc_is_current():
    metrics_doc = _script("metrics_doc")
    current = metrics_doc.TARGET.read_text(encoding="utf-8")
    assert current == metrics_doc.render(), (
        "docs/METRICS.md is out of date: run python scripts/metrics_doc.py")
    for name in CORE_METRICS:
        assert f"`{name}`" in current


def test_readme_links_the_metric_definitions_and_pictures():
    from tests.conftest import PROJECT_ROOT

    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert "(docs/METRICS.md)" in readme
    for picture in re.findall(r"\((docs/images/[^)]+\.png)\)", readme):
        assert (PROJECT_ROOT / picture).is_file(), picture


@pytest.mark.parametrize("query", [{"view": "Campaign Period"},
                                   {"view": "Daily", "day": "2026-11-21"}])
def test_report_downloaded_in_the_app_shows_the_cards_exact_values(app_env, query):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import PROJECT_ROOT
    from ui import access, report_download
    from ui.header import SELECTION_KEY

    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    labels = [b.label for b in at.get("download_button")]
    assert any(label.startswith("HTML") for label in labels) and "PDF" in labels
    selection = at.session_state[SELECTION_KEY]
    # The download runs in the browser session that the sign-in gate let in; this test
    # calls it from outside, as that session's (local, unsigned) user.
    access.establish(None)
    parser = _Cards()
    parser.feed(report_download.report_bytes(selection, "html").decode("utf-8"))
    # Each card's help text ends with "Exact: <value>; <comparison>: ...".
    exact = {metric.label: re.search(r"Exact: (.+?); ", metric.help).group(1)
             for metric in at.metric if metric.help and "Exact: " in metric.help}
    shown = {CATALOG[name].label: text for name, text in parser.cards.items()}
    assert exact and shown == {label: exact[label] for label in shown}
    assert report_download.report_bytes(selection, "pdf").startswith(b"%PDF-")
    assert report_download.file_name(selection, "pdf").endswith(".pdf")


@pytest.mark.parametrize(("key", "value", "text"), [
    ("gmv", 1234.5, "$1,234.50"), ("ad_spend", 10.0, "$10.00"), ("orders", 1200, "1,200"),
    ("impression_share_pct", 32.8581, "32.9%"), ("ctor", 4.4625, "4.5%"),
    ("rate", 4.0034, "4.0%"), ("conversions", 94, "94"), ("roas", 2.5147, "2.51"),
    ("stage_counts", {"outreach": 0, "posted": 1}, "Posted: 1"), ("status", None, "—"),
    ("margin", -750.75, "-$750.75"), ("key_live", True, "yes")])
def test_cells_are_formatted_by_their_key(key, value, text):
    from campaign_core.stakeholder.values import cell_text

    assert cell_text(key, value, "USD") == text


# --- The PDF as an executive document: page one answers, the detail follows. ---------

def _pdf_pages(pdf: bytes) -> list:
    import io

    from pypdf import PdfReader

    return PdfReader(io.BytesIO(pdf)).pages


def _page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in _pdf_pages(pdf)]


@pytest.fixture(scope="module")
def demo_period(demo_store) -> tuple[dict, bytes]:
    campaign = demo_campaign(demo_store)
    with read_connection(demo_store) as conn:
        report = build_report(conn, campaign, "period", NOW)
    return report, render_pdf(build_document(report))


def test_pdf_page_one_holds_the_answer(demo_period):
    from campaign_core.stakeholder.values import cell_text

    report, pdf = demo_period
    first = _page_texts(pdf)[0]
    for name in CORE_METRICS:
        assert cell_text(name, report["core"][name], "USD") in first, name
    assert "$357,000.00" in first and "54.7%" in first  # the pacing against the target
    assert "vs the 7 days before" in first  # the KPIs' change against the comparison
    summary = build_document(report).summary
    assert [table.title for table in summary.tables] == [
        "Top 5 products", "Top 5 creators by margin", "Top 5 content"]
    for table in summary.tables:
        assert len(table.rows) == 5
        for row in table.rows:  # a long name is cut short on page one, whole later
            assert row[0][:20] in first, row[0]
    top_product = max(report["products"], key=lambda p: p["gmv"])["name"]
    assert summary.tables[0].rows[0][0] == top_product
    assert "Stock risks and alerts" in first
    assert len(summary.sentences) == 3
    for sentence in summary.sentences:
        assert " ".join(sentence.split()[:4]) in " ".join(first.split())


def test_pdf_page_one_is_portrait_and_paper_follows_the_market():
    letter, a4 = (612, 792), (595, 842)
    for currency, zone, paper in [("USD", "America/Los_Angeles", letter),
                                  ("MXN", "America/Mexico_City", letter),
                                  ("IDR", "Asia/Jakarta", a4), ("GBP", "Europe/London", a4)]:
        report = _fake_report(currency=currency, timezone=zone)
        first = _pdf_pages(render_pdf(build_document(report)))[0]
        size = (round(float(first.mediabox.width)), round(float(first.mediabox.height)))
        assert size == paper, currency


def test_pdf_pages_carry_title_and_number(demo_period):
    report, pdf = demo_period
    texts = _page_texts(pdf)
    for number, text in enumerate(texts, start=1):
        assert f"page {number} of {len(texts)}" in text
        assert report["campaign"] in text


def test_pdf_table_cells_are_whole_and_names_replace_ids(demo_period):
    report, pdf = demo_period
    # Sentences wrap between words; a word broken inside ("Order s") would not match.
    text = " ".join(" ".join(_page_texts(pdf)).split())
    document = build_document(report)
    tables = [t for s in document.sections for t in s.tables] + document.summary.tables
    for table in tables:
        for column in table.columns:
            for word in column.split():
                assert word in text, (table.title, column)
        for row in table.rows:
            for value in row:
                assert " ".join(value.split()) in text, (table.title, value)
    # Suggestions name products; the experiments' variants are rows of their own.
    assert "1720451541607238108" not in text
    assert "Plush Waffle Spa Bathrobe" in text
    assert "Exposures:" not in text


@pytest.mark.parametrize(("view", "day"), VIEWS)
def test_no_page_of_any_view_is_mostly_empty(demo_store, view, day):
    """The demo (a 12-day campaign): no page, the last one included, is under half full;
    the Campaign Period report is one summary page plus the detail."""
    from campaign_core.stakeholder.pdf import page_fill

    campaign = demo_campaign(demo_store)
    with read_connection(demo_store) as conn:
        document = build_document(build_report(conn, campaign, view, NOW, day))
    fills = page_fill(document)
    assert len(fills) == len(_pdf_pages(render_pdf(document)))
    assert all(fill >= 0.5 for fill in fills), fills


def test_experiments_have_a_row_per_variant_with_the_verdict_first():
    test = {"name": "Hook", "p_value": 0.0004, "srm_p_value": 0.71, "decision": "B better",
            "variants": [{"name": "A", "exposures": 5437, "conversions": 182, "rate": 3.3474,
                          "ci_low": 2.9013, "ci_high": 3.8595},
                         {"name": "B", "exposures": 5398, "conversions": 250, "rate": 4.63,
                          "ci_low": 4.1, "ci_high": 5.2}]}
    section = next(s for s in build_document(_fake_report(experiments=[test])).sections
                   if s.key == "experiments")
    table = section.tables[0]
    assert table.columns[:3] == ["Experiment", "Verdict", "Variant"]
    assert [row[2] for row in table.rows] == ["A", "B"]
    first = dict(zip(table.keys, table.rows[0], strict=True))
    assert first["verdict"] == "B better: A 3.3%, B 4.6%."
    assert first["p_value"] == "< 0.001" and first["exposures"] == "5,437"
    assert first["interval"] == "2.9% to 3.9%"


def test_html_opens_with_the_same_answer_and_prints_on_the_market_paper(demo_period):
    report, _ = demo_period
    document = build_document(report)
    page = render_html(document)
    summary = document.summary
    start, detail = page.index('<section id="summary">'), page.index('<section id="products">')
    answer = page[start:detail]
    for sentence in summary.sentences + [summary.pacing]:
        assert escape(sentence) in answer
    for kpi in summary.kpis:
        assert escape(kpi.text) in answer and escape(kpi.change) in answer
    for table in summary.tables:
        assert f"<h3>{escape(table.title)}</h3>" in answer
        for row in table.rows:
            assert f"<td>{escape(row[0])}</td>" in answer
    assert "@page{size:letter portrait" in page
    assert "thead{display:table-header-group}" in page and "tr{break-inside:avoid}" in page
    gb = render_html(build_document(_fake_report(currency="GBP", timezone="Europe/London")))
    assert "@page{size:A4 portrait" in gb


def test_page_one_after_the_campaign_and_without_costs():
    from campaign_core.stakeholder.summary import build_summary

    ended = _fake_report(
        target={"gmv_target": 1000.0, "progress_pct": 112.5, "gmv_so_far": 1125.0,
                "time_elapsed_pct": 100.0, "status": "ahead", "projected_gmv": 1125.0,
                "required_per_day": 0.0},
        creators=[{"creator": "@amy", "gmv": 50.0, "commission": 5.0, "product_cost": None},
                  {"creator": "@bo", "gmv": 80.0, "commission": 8.0, "product_cost": None}])
    summary = build_summary(ended, {})
    assert summary.pacing == "Campaign total $1,125.00: 112.5% of the $1,000.00 target."
    creators = summary.tables[1]
    assert creators.title == "Top 5 creators by GMV"
    assert [row[0] for row in creators.rows] == ["@bo", "@amy"]
    assert creators.columns == ["Creator", "GMV", "Commission"]


def test_pdf_rows_stay_whole_and_continued_tables_repeat_their_headings(demo_period):
    report, pdf = demo_period
    pages = [" ".join(text.split()) for text in _page_texts(pdf)]
    products = next(s for s in build_document(report).sections if s.key == "products")
    table = products.tables[0]
    gmv = table.keys.index("gmv")
    holding = set()
    for row in table.rows:
        # The row's name (maybe cut short) and its GMV are on the same detail page.
        found = [n for n, text in enumerate(pages[1:], start=1)
                 if f"{row[0][:18]}" in text and row[gmv] in text]
        assert found, row[0]
        # The first such page: later sections (GMV Max economics) name products again.
        holding.add(found[0])
    assert len(holding) >= 2  # the table continues on a second page...
    for number in holding:  # ...whose top repeats the headings
        assert "Impressions" in pages[number] and "Add-to-cart" in pages[number]


def test_page_one_writes_figures_with_the_markets_marks():
    from campaign_core.stakeholder.summary import build_summary

    report = _fake_report(currency="IDR", timezone="Asia/Jakarta", target={
        "gmv_target": 357000, "progress_pct": 54.7, "gmv_so_far": 195301,
        "time_elapsed_pct": 55.0, "status": "on_track", "projected_gmv": 365764,
        "required_per_day": 29967})
    summary = build_summary(report, {})
    assert summary.pacing.startswith("GMV so far Rp195.301: 54,7% of the Rp357.000 target")


def test_page_one_of_a_view_without_orders_says_so():
    from campaign_core.stakeholder.summary import build_summary

    report = _fake_report(products=[], trend=[], target=None,
                          comparison={"label": "yesterday",
                                      "core": {name: 0 for name in CORE_METRICS}})
    report["core"] = {name: 0 for name in CORE_METRICS}
    summary = build_summary(report, {})
    assert summary.sentences[:2] == [
        "No paid orders yet in this view.",
        "There is nothing to compare with yet (yesterday has no orders)."]
    assert summary.pacing == "GMV so far $0.00 (no target set)."
    assert render_pdf(build_document(report)).startswith(b"%PDF-")
