"""The command line's real-time commands (registered by ``campaign_core/cli.py``):

    python -m campaign_core watch --db PATH [--shop NAME] [--timezone TZ] [--poll S]
                                  [--stable S] [--alerts-every S] [--sync-every MIN]
                                  [--once] FOLDER
    python -m campaign_core sync  --db PATH [--shop NAME] [--kinds K,K] [--lookback-hours H]
                                  [--initial-days N]
    python -m campaign_core worker [--db PATH] [--inbox FOLDER] [options]
                                   (campaign_core/inbox/worker.py: the one background
                                   process of a deployment with several app servers)

Credentials and alert channels come from secrets.toml (``--secrets``, else
``CAMPAIGN_SECRETS``, else ``.streamlit/secrets.toml``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from campaign_core.inbox import worker as worker_command
from campaign_core.store import DEFAULT_DB_PATH


def add_parsers(commands) -> None:
    watch = commands.add_parser("watch", help="import files dropped into FOLDER, evaluate "
                                              "alerts, send the daily digest")
    watch.add_argument("--db", type=Path, default=DEFAULT_DB_PATH)
    watch.add_argument("--shop", help="shop name (created if missing)")
    watch.add_argument("--timezone", help="IANA timezone of the times in the files")
    watch.add_argument("--poll", type=float, default=2.0, help="seconds between polls")
    watch.add_argument("--stable", type=float, default=2.0,
                       help="seconds a file's size must stay unchanged before it is read")
    watch.add_argument("--alerts-every", type=float, default=300.0, metavar="SECONDS",
                       help="evaluate alerts (and due digests) at least this often")
    watch.add_argument("--sync-every", type=float, metavar="MINUTES",
                       help="also pull from the Open API this often (needs credentials)")
    watch.add_argument("--secrets", type=Path, help="secrets.toml to read")
    watch.add_argument("--once", action="store_true", help="one cycle, then exit")
    watch.add_argument("folder", type=Path, metavar="FOLDER")

    sync = commands.add_parser("sync", help="pull orders, affiliate orders and inventory "
                                            "from the TikTok Shop Open API")
    sync.add_argument("--db", type=Path, default=DEFAULT_DB_PATH)
    sync.add_argument("--shop", help="shop name (created if missing)")
    sync.add_argument("--kinds", default="orders,affiliate_orders,inventory")
    sync.add_argument("--lookback-hours", type=float, default=2.0,
                      help="re-read updates this far before the last sync's newest")
    sync.add_argument("--initial-days", type=int, default=30,
                      help="how far back the first sync reads")
    sync.add_argument("--secrets", type=Path, help="secrets.toml to read")
    worker_command.add_parser(commands)


def _channels(secrets_file: Path | None):
    from campaign_core.alerts.delivery import Channels
    from campaign_core.openapi.credentials import read_secrets

    return Channels.from_mapping(read_secrets(secrets_file).get("alerts"))


def watch(args: argparse.Namespace) -> int:
    from campaign_core.inbox.service import WatchOptions, WatchService
    from campaign_core.openapi.credentials import Credentials, MissingCredentials, read_secrets

    credentials = None
    if args.sync_every:
        try:
            credentials = Credentials.from_mapping(read_secrets(args.secrets).get("tiktok_shop"))
        except MissingCredentials as error:
            raise ValueError(f"--sync-every: {error}") from None
    options = WatchOptions(
        shop_name=args.shop, timezone=args.timezone, poll_seconds=args.poll,
        stable_seconds=args.stable, alert_every_s=args.alerts_every,
        sync_every_s=args.sync_every * 60 if args.sync_every else None,
        credentials=credentials, channels=_channels(args.secrets))
    service = WatchService(args.db, args.folder, options,
                           say=lambda line: print(line, flush=True))
    if args.once:
        service.cycle()
        service.cycle()  # a file seen in the first cycle is stable by the second
        return 0
    print(f"watching {args.folder} (every {args.poll:g} s; Ctrl+C stops)", file=sys.stderr)
    try:
        service.run()
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
    return 0


def sync(args: argparse.Namespace) -> int:
    from campaign_core.alerts.engine import evaluate_after_change
    from campaign_core.openapi.client import ApiClient
    from campaign_core.openapi.credentials import Credentials, read_secrets
    from campaign_core.openapi.sync import KINDS, sync_all

    kinds = tuple(k.strip() for k in args.kinds.split(",") if k.strip())
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise ValueError(f"unknown {'kind' if len(unknown) == 1 else 'kinds'} "
                         f"{', '.join(unknown)}; kinds: {', '.join(KINDS)}")
    credentials = Credentials.from_mapping(read_secrets(args.secrets).get("tiktok_shop"))
    results = sync_all(args.db, ApiClient(credentials), shop_name=args.shop, kinds=kinds,
                       lookback_s=int(args.lookback_hours * 3600),
                       initial_days=args.initial_days)
    for result in results:
        print(result.summary_line())
    for event in evaluate_after_change(args.db, _channels(args.secrets)):
        print(f"alert: {event.message}", file=sys.stderr)
    return 1 if any(r.status != "ok" for r in results) else 0


def alerts_after_import(db_path: Path) -> None:
    """Evaluate alerts after ``import`` (the command line's); never fails the import."""
    from campaign_core.alerts.engine import evaluate_after_change

    if Path(db_path).exists():
        try:
            channels = _channels(None)
        except ValueError:  # an unreadable secrets file: alerts are still logged
            from campaign_core.alerts.delivery import Channels

            channels = Channels()
        evaluate_after_change(db_path, channels)


HANDLERS = {"watch": watch, "sync": sync, "worker": worker_command.worker}
