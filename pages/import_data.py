"""Import: upload Seller Center exports, preview what they contain, import, review problems."""

from zoneinfo import available_timezones

import pandas as pd
import streamlit as st

from campaign_core.importers.kinds import KINDS, kind_label
from campaign_core.importers.pipeline import ImportReport
from campaign_core.store.shops import DEFAULT_TIMEZONE
from campaign_core.templates import TEMPLATES
from ui import (
    access,
    audit_table,
    backups,
    data,
    edits,
    import_summary,
    realtime,
    replay,
    settings,
    shell,
)
from ui.downloads import csv_file
from ui.formatting import local_time, plain, plural
from ui.tables import readable
from ui.uploads import saved_path

NEW_SHOP = "+ New shop"

shell.require_shell(__file__)
st.title("Import")
st.caption("Drop one or more Seller Center export files. Nothing is written until you press "
           "Import; a file is stored whole or not at all, and rows that cannot be read are "
           "set aside with their line, column, value and reason.")
db_path = settings.db_path()
version = data.current_version(db_path)
# A replay: the import log as it was then; no import until back to live.
read_path, _, replaying = replay.reading(db_path)
grant = access.current()
# Only the shops this user may import into; a new shop is an admin's to create.
shops = [s for s in data.shops(db_path, version) if grant.may_write(s.name)]
new_shop = [NEW_SHOP] if grant.is_admin else []
read_only = not shops and not new_shop


def pick_files() -> tuple[list, str | None, str]:
    """The drop zone, the shop to import into and the files' timezone."""
    # A new key after each import empties the drop zone, so the preview of what was just
    # imported does not linger as "unchanged".
    upload_round = st.session_state.setdefault("import_round", 0)
    uploads = st.file_uploader("Export files (CSV, XLSX, or Open API JSON)",
                               type=["csv", "xlsx", "tsv", "txt", "json"],
                               accept_multiple_files=True, key=f"import_files_{upload_round}")
    pick_shop, pick_zone = st.columns(2)
    with pick_shop:
        shop_choice = st.selectbox("Into shop", [s.name for s in shops] + new_shop,
                                   key="import_shop")
        shop_name = (st.text_input("New shop name", key="import_new_shop").strip() or None
                     if shop_choice == NEW_SHOP else shop_choice)
    shop = next((s for s in shops if s.name == shop_choice), None)
    with pick_zone:
        zones = sorted(available_timezones())
        zone = st.selectbox("Times in the files are in", zones,
                            index=zones.index(shop.timezone if shop else DEFAULT_TIMEZONE),
                            key="import_timezone",
                            help="Exports carry no timezone: US files are in Pacific time, "
                                 "SEA files in the shop's local time.")
    return uploads, shop_name, zone


if replaying:
    replay.editing_off()
    visible = data.shops(db_path, version)
    uploads, shop_name, zone = [], None, visible[0].timezone if visible else DEFAULT_TIMEZONE
elif read_only:
    st.info("Your role is read only here: you can see the import and audit logs of your "
            "shops, but not import.", icon=":material/lock:")
    visible = data.shops(db_path, version)
    uploads, shop_name, zone = [], None, visible[0].timezone if visible else DEFAULT_TIMEZONE
else:
    uploads, shop_name, zone = pick_files()
upload_round = st.session_state.get("import_round", 0)


def report_rows(reports: list[ImportReport], timezone: str) -> pd.DataFrame:
    return pd.DataFrame([{
        "file": r.file_name, "kind": r.kind_label or "-",
        "status": f"{r.status}, with a warning" if r.warnings else r.status,
        "rows": r.rows_read, "new orders": r.records.new, "updated": r.records.updated,
        "unchanged": r.records.unchanged, "kept (stored newer)": r.records.kept_newer,
        "quarantined rows": r.rows_quarantined,
        "paid from": local_time(r.first_paid_utc, timezone, "%Y-%m-%d %H:%M"),
        "paid to": local_time(r.last_paid_utc, timezone, "%Y-%m-%d %H:%M"),
        "message": r.log_message()} for r in reports])


def show_warnings(reports: list[ImportReport]) -> None:
    for report in reports:
        for warning in report.warnings:
            st.warning(f"{plain(report.file_name)}: {plain(warning)}", icon=":material/warning:")


def show_problems(reports: list[ImportReport]) -> None:
    for report in reports:
        for warning in report.warnings:
            st.warning(f"{plain(report.file_name)}: {plain(warning)}", icon=":material/schedule:")
    for report in reports:
        if not report.problems:
            continue
        frame = pd.DataFrame([vars(p) for p in report.problems])
        with st.expander(f"{plain(report.file_name)}: {report.rows_quarantined:,} quarantined "
                         "rows"):
            st.dataframe(frame, hide_index=True, width="stretch")
            st.download_button("Download quarantined rows (CSV)", csv_file(frame),
                               file_name=f"quarantine-{report.file_name}.csv",
                               mime="text/csv", key=f"dl-{report.sha256}-{report.import_id}")


if uploads and shop_name:
    previews = [edits.import_upload(db_path, saved_path(u), file_name=u.name,
                                    shop_name=shop_name, timezone=zone, dry_run=True,
                                    now_utc=int(settings.now().timestamp())) for u in uploads]
    st.subheader("What the files contain")
    st.dataframe(report_rows(previews, zone), hide_index=True, width="stretch")
    show_warnings(previews)
    show_problems(previews)
    importable = [u for u, p in zip(uploads, previews, strict=True) if p.ok]
    if st.button(f"Import {plural(len(importable), 'file')} into {plain(shop_name)}",
                 type="primary", disabled=not importable, icon=":material/upload:"):
        results = []
        for upload in importable:
            bar = st.progress(0.0, text=f"{plain(upload.name)}: reading")
            results.append(edits.import_upload(
                db_path, saved_path(upload), file_name=upload.name, shop_name=shop_name,
                timezone=zone, now_utc=int(settings.now().timestamp()),
                progress=lambda f, text, bar=bar, name=upload.name: bar.progress(
                    f, text=f"{plain(name)}: {plain(text)}")))
        st.session_state["import_results"] = results
        st.session_state["import_results_shop"] = shop_name
        realtime.alerts_after_import(db_path)
        st.session_state["import_round"] = upload_round + 1
        st.rerun()
elif uploads:
    st.warning("Name the new shop to import into.")

results = st.session_state.get("import_results")
if results:
    st.subheader("Imported")
    import_summary.show_outcome(results)
    st.dataframe(report_rows(results, zone), hide_index=True, width="stretch")
    show_warnings(results)
    show_problems(results)
    import_summary.show_next_step(db_path, version, st.session_state.get("import_results_shop"),
                                  results)

st.subheader("Import log")
log = data.import_log(read_path, data.current_version(read_path))
if log.empty:
    st.caption("No imports yet.")
else:
    log = log.assign(kind=log["kind"].map(kind_label))  # "GMV Max campaign report", ...
    shown = log.assign(when=log["finished_utc"].fillna(log["started_utc"]).map(
        lambda t: local_time(int(t), zone, "%Y-%m-%d %H:%M")))
    labels = {"import_id": "#", "when": "when", "file_name": "file", "shop": "shop",
              "kind": "kind", "status": "status", "rows_read": "rows",
              "rows_stored": "stored", "rows_quarantined": "quarantined",
              "orders_new": "new orders", "orders_updated": "updated",
              "orders_unchanged": "unchanged", "orders_kept_newer": "kept (stored newer)",
              "message": "notes"}
    shown = shown[list(labels)].rename(columns=labels)
    table, config = readable(shown, {label: "count" for label in (
        "rows", "stored", "quarantined", "new orders", "updated", "unchanged",
        "kept (stored newer)")})
    st.dataframe(table, hide_index=True, width="stretch", column_config=config)
    st.download_button("Download import log (CSV)", csv_file(shown),
                       file_name="import-log.csv", mime="text/csv")
    with_problems = log[log["rows_quarantined"].fillna(0) > 0]
    if not with_problems.empty:
        chosen = st.selectbox(
            "Quarantined rows of import", with_problems["import_id"].tolist(),
            format_func=lambda i: f"#{i} {log.set_index('import_id').at[i, 'file_name']}")
        problems = data.quarantine(read_path, data.current_version(read_path), int(chosen))
        st.dataframe(problems, hide_index=True, width="stretch")
        st.download_button("Download these rows (CSV)", csv_file(problems),
                           file_name=f"quarantine-{chosen}.csv", mime="text/csv")

audit_table.show(db_path, version, zone)
if not replaying:  # syncs and restores write
    realtime.sync_panel(db_path, zone)
if grant.is_admin and not replaying:  # a backup holds every shop; a restore replaces them all
    backups.show(db_path)

st.subheader("Where the files come from")
st.dataframe(pd.DataFrame([{"file": k.label, "where it comes from": k.source,
                            "required columns": ", ".join(k.fields[f][0] for f in k.required)}
                           for k in KINDS]), hide_index=True, width="stretch")
st.caption("Templates for what TikTok does not export: fill one in (the example rows show "
           "the format) and drop it above.")
# Three to a row, so each template's whole name shows (eleven in one row cut them short).
template_columns = st.columns(3)
for index, (name, template) in enumerate(TEMPLATES.items()):
    template_columns[index % 3].download_button(
        template.label, template.build(), file_name=template.file_name, mime="text/csv",
        icon=":material/download:", key=f"template-{name}", width="stretch")
