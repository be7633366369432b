"""The stakeholder report as one self-contained HTML page.

Everything is inline (CSS, charts as SVG), nothing is fetched and there are no scripts,
so the file opens offline, in a mail client's preview, or printed. Every text from the
store (campaign, product and creator names) is HTML-escaped.
"""

from __future__ import annotations

import base64
from html import escape

from campaign_core.stakeholder.charts import to_svg
from campaign_core.stakeholder.document import Document, Section, Table
from campaign_core.stakeholder.document import is_sentence as _sentence

_CSS = """
body{font-family:Helvetica,Arial,sans-serif;color:#1f2328;margin:0;background:#fff}
main{max-width:1100px;margin:0 auto;padding:24px 20px 40px}
h1{font-size:1.6rem;margin:0 0 4px}h2{font-size:1.25rem;margin:32px 0 8px;
border-bottom:2px solid #0072B2;padding-bottom:4px}h3{font-size:1rem;margin:18px 0 6px}
.sub{color:#444;margin:0 0 4px}.stamp{color:#555;font-size:.9rem;margin:0 0 16px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(160px,1fr));gap:10px}
.card{border:1px solid #d0d7de;border-radius:8px;padding:10px 12px}
.card .label{font-size:.8rem;color:#555}.card .value{font-size:1.3rem;font-weight:600}
figure{margin:16px 0;overflow-x:auto}figure svg{max-width:100%;height:auto}
.table{overflow-x:auto}table{border-collapse:collapse;font-size:.85rem;margin:6px 0;
min-width:50%}th,td{border-bottom:1px solid #e1e4e8;padding:4px 8px;text-align:left;
vertical-align:top}th{background:#f6f8fa}td.num,th.num{text-align:right;
font-variant-numeric:tabular-nums}.note{font-size:.8rem;color:#555}
footer{margin-top:36px;border-top:1px solid #d0d7de;font-size:.8rem;color:#333}
footer dt{font-weight:600;margin-top:6px}footer dd{margin:0 0 0 0}
.answer li{margin:2px 0}.pacing{background:#f6f8fa;padding:8px 10px;font-weight:600}
.card .change{font-size:.75rem;color:#555}.tops{display:flex;flex-wrap:wrap;gap:0 24px}
.tops>div{flex:1 1 300px;min-width:0;overflow-x:auto}
td,th{white-space:nowrap}td.text{white-space:normal}
.logo{float:right;max-height:56px;max-width:40%;margin:0 0 8px 12px}
@media (max-width:600px){main{padding:12px 10px}h1{font-size:1.3rem}.logo{max-height:40px}}
thead{display:table-header-group}tr{break-inside:avoid}
@media print{h2,h3{break-after:avoid}figure,tr{break-inside:avoid}
#summary{break-after:page;font-size:.85rem}#summary figure svg{max-height:50mm}
#summary table{font-size:.7rem}
.tops{display:grid;grid-template-columns:3fr 2fr;gap:0 12px}.tops>div:nth-child(3){grid-column:1/-1}
.tops>div{overflow:visible}#summary .card{padding:4px 8px}
main{max-width:none;padding:0}.table{overflow:visible}}
"""


def render_html(document: Document) -> str:
    """``document`` as an HTML page (UTF-8 text)."""
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{escape(document.title)}</title><style>{_page_css(document)}{_CSS}"
             "</style></head>",
             "<body><main>", _logo(document.logo), f"<h1>{escape(document.title)}</h1>",
             f'<p class="sub">{escape(document.subtitle)}</p>',
             f'<p class="stamp">{escape(document.stamp)}</p>']
    if document.summary is not None:
        parts.append(_summary(document))
    parts.extend(_section(section) for section in document.sections
                 if section.key != "overview" or section.tables)
    parts.append(_footer(document))
    parts.append("</main></body></html>")
    return "\n".join(parts)


def _logo(png: bytes | None) -> str:
    """The shop's logo as an inline image: the PNG stored after ``read_logo`` redrew the
    upload, so its type is known and base64 holds no markup."""
    if not png:
        return ""
    return (f'<img class="logo" alt="Shop logo" '
            f'src="data:image/png;base64,{base64.b64encode(png).decode("ascii")}">')


def _page_css(document: Document) -> str:
    # Page one is portrait; the detail's wide tables print landscape.
    paper = document.paper.lower() if document.paper == "Letter" else document.paper
    return (f"@page{{size:{paper} portrait;margin:12mm}}"
            f"@page detail{{size:{paper} landscape}}main>section:not(#summary){{page:detail}}")


def _summary(document: Document) -> str:
    """Page one: the facts, three sentences, pacing, KPI cards, trend, top 5, risks."""
    summary = document.summary
    # The page's heading already names the shop, view and as-of time.
    parts = ['<section id="summary"><h2>Overview</h2>',
             '<ul class="answer">', *(f"<li>{escape(s)}</li>" for s in summary.sentences),
             "</ul>", f'<p class="pacing">{escape(summary.pacing)}</p>', '<div class="cards">']
    parts.extend(f'<div class="card" data-metric="{escape(kpi.key)}">'
                 f'<div class="label">{escape(kpi.label)}</div>'
                 f'<div class="value">{escape(kpi.text)}</div>'
                 f'<div class="change">{escape(kpi.change or "no comparison")}</div></div>'
                 for kpi in summary.kpis)
    parts.append("</div>")
    if document.trend is not None:
        parts.append(f'<figure role="img" aria-label="{escape(document.trend.title)}">'
                     f"{_inline_svg(to_svg(document.trend.spec))}</figure>")
    parts.append('<div class="tops">')
    parts.extend(f"<div>{_table(Table(t.title, [], t.columns, t.rows, t.numeric))}</div>"
                 for t in summary.tables)
    parts.append("</div>")
    if summary.risks:
        parts.append("<h3>Stock risks and alerts</h3><ul>")
        parts.extend(f"<li>{escape(risk)}</li>" for risk in summary.risks)
        parts.append("</ul>")
    parts.append("</section>")
    return "\n".join(parts)


def _section(section: Section) -> str:
    if section.key == "overview":
        # Its cards, target and trend open the page (the summary); its tables follow.
        return ('<section id="overview"><h2>Against the benchmark</h2>'
                + "".join(_table(Table("", t.keys, t.columns, t.rows, t.numeric, t.note))
                          for t in section.tables) + "</section>")
    parts = [f'<section id="{escape(section.key)}"><h2>{escape(section.title)}</h2>']
    if section.cards:
        parts.append('<div class="cards">')
        parts.extend(f'<div class="card" data-metric="{escape(card.key)}">'
                     f'<div class="label">{escape(card.label)}</div>'
                     f'<div class="value">{escape(card.text)}</div></div>'
                     for card in section.cards)
        parts.append("</div>")
    parts.extend(f"<p>{escape(sentence)}</p>" for sentence in section.sentences)
    for chart in section.charts:
        parts.append(f'<figure role="img" aria-label="{escape(chart.title)}">'
                     f"{_inline_svg(to_svg(chart.spec))}</figure>")
    parts.extend(_table(table) for table in section.tables)
    parts.append("</section>")
    return "\n".join(parts)


def _inline_svg(svg: str) -> str:
    # vl-convert writes a standalone document; inside HTML only the <svg> element belongs.
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else ""


def _table(table: Table) -> str:
    def cell(tag: str, text: str, numeric: bool) -> str:
        # Numbers right-aligned; sentences wrap between words, names and figures do not.
        css = ' class="num"' if numeric else (' class="text"' if _sentence(text) else "")
        return f"<{tag}{css}>{escape(text)}</{tag}>"

    head = "".join(cell("th", column, numeric)
                   for column, numeric in zip(table.columns, table.numeric, strict=True))
    body = "".join("<tr>" + "".join(cell("td", text, numeric) for text, numeric
                                    in zip(row, table.numeric, strict=True)) + "</tr>"
                   for row in table.rows)
    title = f"<h3>{escape(table.title)}</h3>" if table.title else ""
    note = f'<p class="note">{escape(table.note)}</p>' if table.note else ""
    return (f'{title}<div class="table"><table><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>{note}")


def _footer(document: Document) -> str:
    items = "".join(f"<dt>{escape(name)}</dt><dd>{escape(definition)}</dd>"
                    for name, definition in document.definitions)
    return (f'<footer><h3>Definitions</h3><p>{escape(document.stamp)} Times are shop '
            f"time; money is in the shop's currency.</p><dl>{items}</dl></footer>")
