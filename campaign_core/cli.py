"""The command line. Its commands and options are a contract: scripts outside the app call it.

    python -m campaign_core demo     --db PATH [--seed N] [--today YYYY-MM-DD] [--now ISO-8601]
                                     [--live [--interval SECONDS] [--live-seconds SECONDS]]
    python -m campaign_core import   --db PATH [--shop NAME] [--timezone TZ] FILE [FILE ...]
    python -m campaign_core campaign --db PATH --name NAME --start YYYY-MM-DD --end YYYY-MM-DD
                                     [--timezone TZ] [--target-gmv AMOUNT]
                                     [--shop NAME [--shop NAME ...]]  (several: one
                                     campaign spanning shops; --target-gmv for the first)
                                     [--target METRIC=VALUE[:above|:below] ...]
    python -m campaign_core campaign --db PATH --list
    python -m campaign_core report   --db PATH --campaign NAME --view today|daily|period
                                     [--day YYYY-MM-DD] [--baseline-day YYYY-MM-DD]
                                     [--now ISO-8601] [--format json|text|html|pdf]
                                     [--output FILE] [--currency CODE]
    python -m campaign_core backup   --db PATH [--dir DIR]
    python -m campaign_core restore  --db PATH BACKUP_FILE
    python -m campaign_core password --user NAME      (a line for secrets.toml [passwords])
    python -m campaign_core watch    --db PATH [options] FOLDER   (campaign_core/inbox/commands.py)
    python -m campaign_core sync     --db PATH [--shop NAME] [--kinds K,K]  (TikTok Shop Open API)
    python -m campaign_core worker   [--db PATH] [--inbox FOLDER] [options]  (inbox, scheduled
                                     sync, alerts: one process beside several app servers)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from campaign_core.importers.pipeline import import_file
from campaign_core.inbox import commands as realtime_commands
from campaign_core.plan_targets import PLAN_METRIC_NAMES, parse_target_option
from campaign_core.portfolio.report import currency_report
from campaign_core.report import build_report, report_as_text
from campaign_core.store import DEFAULT_DB_PATH, StoreError, read_connection, write_transaction
from campaign_core.store.backup import backup_store, restore_store, summarize_store
from campaign_core.store.campaign_shops import set_campaign_shops
from campaign_core.store.campaigns import find_campaign, list_campaigns, save_campaign
from campaign_core.store.logos import load_logo
from campaign_core.store.plans import set_plan_target
from campaign_core.store.shops import resolve_shop
from campaign_core.windows import View, parse_now

MAX_PROBLEMS_SHOWN = 20


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a day (YYYY-MM-DD)") from None


def _amount_cents(text: str) -> int:
    try:
        amount = Decimal(text.replace(",", "").lstrip("$"))
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"{text!r} is not an amount") from None
    return int((amount * 100).to_integral_value())


def _plan_target(text: str) -> tuple[str, Decimal | None, str]:
    try:
        return parse_target_option(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m campaign_core",
                                     description="TikTok Shop campaign dashboard: data tools.")
    commands = parser.add_subparsers(dest="command", required=True)

    demo = commands.add_parser("demo", help="build the demo campaign (export files + store)")
    demo.add_argument("--db", type=Path, default=DEFAULT_DB_PATH)
    demo.add_argument("--seed", type=int, default=7)
    demo.add_argument("--today", type=_day,
                      help="the demo's day 7, in shop time (default: the shop's date now); "
                           "a day other than the shop's today runs until 14:30 on it")
    demo.add_argument("--now", help="ISO-8601 instant the demo is built for (naive: shop "
                                    "time; default: CAMPAIGN_NOW as the app reads it, else "
                                    "the clock); nothing in the demo lies after it")
    demo.add_argument("--live", action="store_true",
                      help="after building, keep adding demo orders (paid now, following "
                           "the demo's hour-of-day profile) until Ctrl-C; demo shop only")
    demo.add_argument("--interval", type=float, default=5.0,
                      help="seconds between live orders (with --live; default 5)")
    demo.add_argument("--live-seconds", type=float,
                      help="stop the live demo after this many seconds (default: never)")

    imp = commands.add_parser("import", help="import TikTok Shop export files")
    imp.add_argument("--db", type=Path, default=DEFAULT_DB_PATH)
    imp.add_argument("--shop", help="shop name (created if missing)")
    imp.add_argument("--timezone", help="IANA timezone of the times in the files")
    imp.add_argument("files", nargs="+", type=Path, metavar="FILE")

    camp = commands.add_parser("campaign", help="create or update a campaign, or list them")
    camp.add_argument("--db", type=Path, default=DEFAULT_DB_PATH)
    camp.add_argument("--list", action="store_true", help="print one campaign name per line")
    camp.add_argument("--name")
    camp.add_argument("--start", type=_day)
    camp.add_argument("--end", type=_day)
    camp.add_argument("--timezone", help="IANA timezone (default: the shop's)")
    camp.add_argument("--target-gmv", type=_amount_cents, metavar="AMOUNT")
    camp.add_argument("--shop", action="append",
                      help="shop name (created if missing); repeat it for a campaign that "
                           "spans shops, each shop's windows in its own timezone")
    camp.add_argument("--target", action="append", type=_plan_target, default=[],
                      metavar="METRIC=VALUE[:above|:below]",
                      help="a target of the campaign plan (repeatable): e.g. roas=4, "
                           "ctr=2.5%%, contribution_margin_pct=20, creator_videos=120, "
                           "gmv=250000; ':below' when below the target is good; an empty "
                           "VALUE removes the target. Plannable: "
                           + ", ".join(PLAN_METRIC_NAMES)
                           + ". An existing campaign keeps its days when --start/--end "
                             "are left out")

    rep = commands.add_parser("report", help="print a campaign's KPIs for a view")
    rep.add_argument("--db", type=Path, default=DEFAULT_DB_PATH)
    rep.add_argument("--campaign", required=True)
    rep.add_argument("--view", required=True, choices=[v.value for v in View])
    rep.add_argument("--day", type=_day, help="the day of the daily view (default: yesterday)")
    rep.add_argument("--baseline-day", type=_day,
                     help="daily view: compare the day with this day (past six months)")
    rep.add_argument("--now", help="ISO-8601 instant to report as of (default: the clock)")
    rep.add_argument("--format", choices=["json", "text", "html", "pdf"], default="text",
                     help="html/pdf: the stakeholder report (needs --output for pdf)")
    rep.add_argument("--output", type=Path, metavar="FILE",
                     help="write the report to FILE instead of printing it")
    rep.add_argument("--currency", metavar="CODE",
                     help="json: 'core' converted into CODE (every shop of the campaign, at "
                          "each shop-local day's rate) plus 'shops' and 'fx'")

    pwd = commands.add_parser("password", help="make a salted password entry for secrets.toml")
    pwd.add_argument("--user", required=True, help="the sign-in name")

    back = commands.add_parser("backup", help="copy the store to a timestamped backup file")
    back.add_argument("--db", type=Path, default=DEFAULT_DB_PATH)
    back.add_argument("--dir", type=Path, help="folder for the backup (default: backups/ "
                                               "beside the store)")

    rest = commands.add_parser("restore", help="replace the store's content with a backup "
                                               "(the current content is backed up first)")
    rest.add_argument("--db", type=Path, default=DEFAULT_DB_PATH)
    rest.add_argument("backup", type=Path, metavar="BACKUP_FILE")
    realtime_commands.add_parsers(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler = {"demo": _demo, "import": _import, "campaign": _campaign,
               "report": _report, "password": _password,
               "backup": _backup, "restore": _restore,
               **realtime_commands.HANDLERS}[args.command]
    try:
        return handler(args)
    except (ValueError, StoreError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


def _demo(args: argparse.Namespace) -> int:
    from campaign_core.demo.build import build_demo

    if args.live and (args.today or args.now or os.environ.get("CAMPAIGN_NOW")):
        print("error: --live runs on the clock: leave out --today, --now and CAMPAIGN_NOW",
              file=sys.stderr)
        return 2
    result = build_demo(args.db, today=args.today, seed=args.seed, now=_demo_clock(args.now),
                        progress=lambda fraction, text: print(f"  {text}", file=sys.stderr))
    for report in result.reports:
        print(report.summary_line())
    print(f"demo campaign {result.campaign_name!r}: {result.orders:,} orders in "
          f"{result.seconds:.1f} s")
    if args.live:
        return _live_demo(args)
    return 0


def _live_demo(args: argparse.Namespace) -> int:
    from campaign_core.demo.live import LiveDemoError, run_live_demo

    print(f"live demo: new orders every {args.interval:g} s (Ctrl-C stops)", flush=True)
    try:
        added = run_live_demo(args.db, interval=args.interval, seconds=args.live_seconds,
                              say=lambda text: print(text, flush=True))
    except KeyboardInterrupt:
        print("live demo stopped")
        return 0
    except LiveDemoError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"live demo: {added} orders added")
    return 0


def _demo_clock(text: str | None) -> datetime | None:
    """``--now``, else ``CAMPAIGN_NOW`` read as the app reads it (naive: UTC), else None
    (the clock): a demo built here and the app started with the same CAMPAIGN_NOW agree."""
    from campaign_core.demo.generator import SHOP_TIMEZONE

    if text:
        return parse_now(text, SHOP_TIMEZONE)
    frozen = os.environ.get("CAMPAIGN_NOW")
    return parse_now(frozen, "UTC") if frozen else None


def _import(args: argparse.Namespace) -> int:
    failed = 0
    for path in args.files:
        if not path.is_file():
            print(f"{path}: rejected: no such file", file=sys.stdout)
            failed += 1
            continue
        report = import_file(args.db, path, shop_name=args.shop, timezone=args.timezone)
        print(report.summary_line())
        for problem in report.problems[:MAX_PROBLEMS_SHOWN]:
            print(f"  quarantined: line {problem.file_line}, {problem.column} "
                  f"{problem.raw_value!r}: {problem.reason}", file=sys.stderr)
        if len(report.problems) > MAX_PROBLEMS_SHOWN:
            print(f"  ... and {len(report.problems) - MAX_PROBLEMS_SHOWN} more problems",
                  file=sys.stderr)
        for note in report.notes:
            print(f"  note: {note}", file=sys.stderr)
        failed += not report.ok
    realtime_commands.alerts_after_import(args.db)
    return 1 if failed else 0


def _campaign(args: argparse.Namespace) -> int:
    if args.list:
        try:
            with read_connection(args.db) as conn:
                names = [c.name for c in list_campaigns(conn)]
        except StoreError:
            names = []
        for name in names:
            print(name)
        return 0
    if args.name is None:
        raise ValueError("campaign needs --name (or --list)")
    with write_transaction(args.db) as conn:
        existing = find_campaign(conn, args.name)
        # An existing campaign keeps its days (a plan target alone changes only the plan).
        args.start = args.start or (existing.start_day if existing else None)
        args.end = args.end or (existing.end_day if existing else None)
        missing = [flag for flag, value in (("--start", args.start), ("--end", args.end))
                   if value is None]
        if missing:
            raise ValueError(f"campaign needs {', '.join(missing)} (or --list)")
        shop_names = args.shop or []
        if existing and not shop_names:
            shop_id = existing.shop_id
        else:
            shop_id = resolve_shop(conn, shop_names[0] if shop_names else None,
                                   args.timezone).shop_id
        campaign = save_campaign(
            conn, shop_id=shop_id, name=args.name, start_day=args.start, end_day=args.end,
            # Several shops: each keeps its own timezone (the campaign's days are theirs).
            timezone=args.timezone if len(shop_names) < 2 else None,
            gmv_target_cents=(args.target_gmv if args.target_gmv is not None
                              else existing.gmv_target_cents if existing else None))
        for metric, target, good_if in args.target:
            set_plan_target(conn, campaign.campaign_id, metric, target, good_if)
        if len(shop_names) > 1:
            others = [resolve_shop(conn, name, None).shop_id for name in shop_names[1:]]
            set_campaign_shops(conn, campaign.campaign_id, [(shop, None) for shop in others])
    if len(shop_names) > 1:
        print(f"campaign {campaign.name!r} spans {len(set(shop_names))} shops: "
              f"{', '.join(dict.fromkeys(shop_names))}")
    verb = "updated" if existing else "created"
    print(f"{verb} campaign {campaign.name!r}: {campaign.start_day} to {campaign.end_day} "
          f"({campaign.timezone})")
    for metric, target, good_if in args.target:
        print(f"  plan: {metric} " + ("target removed" if target is None
                                      else f"{target} (good if {good_if})"))
    return 0


def _report(args: argparse.Namespace) -> int:
    with read_connection(args.db) as conn:
        campaign = find_campaign(conn, args.campaign)
        if campaign is None:
            names = [c.name for c in list_campaigns(conn)]
            raise ValueError(f"No campaign named {args.campaign!r}; campaigns: "
                             f"{', '.join(names) or 'none yet (create one with campaign)'}")
        now = parse_now(args.now, campaign.timezone)
        report = build_report(conn, campaign, args.view, now, args.day, args.baseline_day)
        logo = load_logo(conn, campaign.shop_id) if args.format in ("html", "pdf") else None
        if args.currency:
            report.update(currency_report(conn, campaign, args.view, now, args.currency,
                                          args.day))
    if args.format in ("html", "pdf"):
        return _stakeholder_report(report, args.format, args.output, logo)
    text = json.dumps(report, indent=2) if args.format == "json" else report_as_text(report)
    if args.output is not None:
        args.output.write_text(text + "\n", encoding="utf-8")
    else:
        print(text)
    return 0


def _stakeholder_report(report: dict, file_format: str, output: Path | None,
                        logo: bytes | None = None) -> int:
    """The stakeholder report (campaign_core.stakeholder) of ``report`` as HTML or PDF."""
    from campaign_core.stakeholder.document import build_document

    if file_format == "pdf" and output is None:
        raise ValueError("--format pdf needs --output FILE")
    document = build_document(report, logo)
    if file_format == "html":
        from campaign_core.stakeholder.html import render_html

        content = render_html(document).encode("utf-8")
    else:
        from campaign_core.stakeholder.pdf import render_pdf

        content = render_pdf(document)
    if output is None:
        sys.stdout.write(content.decode("utf-8"))
        return 0
    output.write_bytes(content)
    print(f"wrote {output} ({len(content):,} bytes)")
    return 0


def _password(args: argparse.Namespace) -> int:
    """Ask for a password twice (not echoed; or read one line from a pipe) and print the
    line to put under [passwords] in .streamlit/secrets.toml."""
    import getpass

    from campaign_core.security.passwords import hash_password

    if sys.stdin.isatty():
        password = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != password:
            raise ValueError("The two passwords differ.")
    else:
        password = sys.stdin.readline().rstrip("\n")
    print(f'{json.dumps(args.user)} = "{hash_password(password)}"')
    return 0


def _backup(args: argparse.Namespace) -> int:
    print(backup_store(args.db, args.dir))
    return 0


def _restore(args: argparse.Namespace) -> int:
    safety = restore_store(args.backup, args.db)
    print(f"restored {args.db} from {args.backup}: {summarize_store(args.db)}")
    print(f"the replaced content was backed up to {safety} (restore that file to undo)")
    return 0
