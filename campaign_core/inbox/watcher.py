"""Watch a folder by polling; import each export once it has stopped growing.

A file is read only when its size and modification time have not changed for
``stable_seconds`` (a browser or a sync client may still be writing it). It then goes
through the normal importer (``import_file``) and is moved to ``processed/`` or, when the
import was rejected, to ``failed/``, with its import report beside it as
``<name>.report.json``, so nothing is imported twice and nothing is lost. Dropping the
same name again later is a new file, imported again (an unchanged one changes nothing).
Polling rather than file-system events: it works the same on every OS, on network
shares and in containers, and a poll of a small folder costs microseconds.
Partial downloads (``.part``, ``.crdownload``, ``.tmp``, ``~$`` Office locks) and hidden
files are ignored until renamed.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from campaign_core.importers.pipeline import ImportReport, import_file

PROCESSED, FAILED = "processed", "failed"
_PARTIAL_SUFFIXES = (".part", ".crdownload", ".tmp", ".download", ".partial")
_LOG = logging.getLogger(__name__)


def default_inbox(db_path: Path | str) -> Path:
    """``CAMPAIGN_INBOX``, else ``inbox/`` beside the store (``data/inbox/`` by default)."""
    configured = os.environ.get("CAMPAIGN_INBOX")
    return Path(configured) if configured else Path(db_path).parent / "inbox"


@dataclass(frozen=True)
class InboxResult:
    file_name: str
    report: ImportReport
    moved_to: Path
    landed_monotonic: float  # when the watcher first saw the file
    imported_monotonic: float


class InboxWatcher:
    """One folder's watcher. ``poll()`` once per cycle; ``run()`` loops until stopped."""

    def __init__(self, db_path: Path | str, folder: Path | str, *, shop_name: str | None = None,
                 timezone: str | None = None, stable_seconds: float = 2.0,
                 clock: Callable[[], float] = time.monotonic):
        self.db_path, self.folder = Path(db_path), Path(folder)
        self.shop_name, self.timezone = shop_name, timezone
        self.stable_seconds = stable_seconds
        self._clock = clock
        # name -> (size, mtime_ns, first seen with this size, first seen at all)
        self._seen: dict[str, tuple[int, int, float, float]] = {}
        for sub in (PROCESSED, FAILED):
            (self.folder / sub).mkdir(parents=True, exist_ok=True)

    def poll(self) -> list[InboxResult]:
        """Import every file that is ready; return what happened to each."""
        results = []
        for path in self._candidates():
            landed = self._ready_since(path)
            if landed is not None:
                result = self._import(path, landed)
                if result is not None:
                    results.append(result)
        current = {p.name for p in self._candidates()}
        for name in list(self._seen):
            if name not in current:  # gone (moved, or deleted by the user)
                del self._seen[name]
        return results

    def run(self, *, poll_seconds: float = 1.0, should_stop: Callable[[], bool] = lambda: False,
            on_results: Callable[[list[InboxResult]], None] | None = None) -> None:
        """Poll until ``should_stop()``; ``on_results`` gets each non-empty batch."""
        while not should_stop():
            try:
                results = self.poll()
            except OSError:  # the folder vanished or a share dropped: try again next cycle
                _LOG.exception("Polling the inbox %s failed", self.folder)
                results = []
            if results and on_results:
                on_results(results)
            time.sleep(poll_seconds)

    def _candidates(self) -> list[Path]:
        try:
            entries = sorted(self.folder.iterdir())
        except FileNotFoundError:
            return []
        return [p for p in entries if p.is_file() and not _is_partial(p.name)]

    def _ready_since(self, path: Path) -> float | None:
        """When the file was first seen, once its size has been stable long enough."""
        try:
            stat = path.stat()
        except FileNotFoundError:
            return None
        now = self._clock()
        previous = self._seen.get(path.name)
        if previous is None or previous[:2] != (stat.st_size, stat.st_mtime_ns):
            first = previous[3] if previous else now
            self._seen[path.name] = (stat.st_size, stat.st_mtime_ns, now, first)
            return None
        if stat.st_size == 0 or now - previous[2] < self.stable_seconds:
            return None
        return previous[3]

    def _import(self, path: Path, landed: float) -> InboxResult | None:
        try:
            report = import_file(self.db_path, path, shop_name=self.shop_name,
                                 timezone=self.timezone)
        except ValueError as error:  # the configuration (shop, zone), not the file
            report = ImportReport(path.name, "rejected", message=str(error))
        imported = self._clock()
        target = self.folder / (PROCESSED if report.ok else FAILED)
        try:
            moved = _move(path, target)
        except FileNotFoundError:  # another watcher took it meanwhile
            return None
        _write_report(moved, report)
        self._seen.pop(path.name, None)
        return InboxResult(path.name, report, moved, landed, imported)


def _is_partial(name: str) -> bool:
    lowered = name.lower()
    return name.startswith((".", "~$")) or lowered.endswith(_PARTIAL_SUFFIXES) \
        or lowered.endswith(".report.json")


def _move(path: Path, folder: Path) -> Path:
    """Move into ``folder``, never over an earlier file of the same name."""
    target = folder / path.name
    if target.exists():
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
        target = folder / f"{path.stem}-{stamp}{path.suffix}"
    return Path(shutil.move(str(path), str(target)))


def _write_report(moved: Path, report: ImportReport) -> None:
    details = asdict(report)
    details["ok"] = report.ok
    (moved.parent / f"{moved.name}.report.json").write_text(
        json.dumps(details, indent=2, default=str), encoding="utf-8")
