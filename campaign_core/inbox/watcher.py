"""Watch a folder by polling; import each export once it is whole, into its shop.

A file is read only when its size and modification time have not changed for
``stable_seconds`` (a browser or a sync client may still be writing it) and it looks
complete (``completeness.looks_complete``: a CSV ending in a whole record, an XLSX with
its central directory); one that stays stable but never looks complete is imported after
``incomplete_seconds``, so it still gets its report. It then goes through the normal
importer (``import_file``) and is moved to ``processed/`` or, when the import was
rejected, to ``failed/``, with its import report beside it as ``<name>.report.json``.
A writer may only have paused: a moved file whose size or time changes within
``regrow_seconds`` of its import is imported again where it is (imports are idempotent:
rows already stored count as unchanged), so nothing written is lost.

Which shop: a file in a subfolder named after a shop (``inbox/<shop name>/``) goes to that
shop, with ``processed/`` and ``failed/`` inside the subfolder; a file at the top goes to
the watcher's ``shop_name``, else the store's only shop, else its one shop that is not the
demo's; otherwise it fails with a report saying to use the shop's subfolder.

Symbolic links (to files or folders) are refused, never followed: moved to ``failed/``
with a report. Polling rather than file-system events: it works the same on every OS, on
network shares and in containers, and a poll of a small folder costs microseconds.
Partial downloads (``.part``, ``.crdownload``, ``.tmp``, ``~$`` Office locks) and hidden
files are ignored until renamed.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from campaign_core.importers.pipeline import ImportReport, import_file
from campaign_core.inbox.completeness import looks_complete
from campaign_core.store import read_connection
from campaign_core.store.shops import find_shop, list_shops, working_shop

PROCESSED, FAILED = "processed", "failed"
INCOMPLETE_SECONDS = 60.0
REGROW_SECONDS = 3600.0
_PARTIAL_SUFFIXES = (".part", ".crdownload", ".tmp", ".download", ".partial")
_LINK_REFUSED = ("refused: a symbolic link. The inbox reads only files placed in it; "
                 "copy the file itself into the folder.")
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
    again: bool = False  # imported again: the file changed after its first import


@dataclass(frozen=True)
class _Entry:
    path: Path
    shop_folder: str | None  # the subfolder named after a shop; None at the top
    refused: str = ""  # why it is refused without reading it


class InboxWatcher:
    """One folder's watcher. ``poll()`` once per cycle; ``run()`` loops until stopped."""

    def __init__(self, db_path: Path | str, folder: Path | str, *, shop_name: str | None = None,
                 timezone: str | None = None, stable_seconds: float = 2.0,
                 incomplete_seconds: float = INCOMPLETE_SECONDS,
                 regrow_seconds: float = REGROW_SECONDS,
                 clock: Callable[[], float] = time.monotonic):
        self.db_path, self.folder = Path(db_path), Path(folder)
        self.shop_name, self.timezone = shop_name, timezone
        self.stable_seconds = stable_seconds
        self.incomplete_seconds = incomplete_seconds
        self.regrow_seconds = regrow_seconds
        self._clock = clock
        # path -> (size, mtime_ns, first seen with this size, first seen at all)
        self._seen: dict[Path, tuple[int, int, float, float]] = {}
        # moved path -> (size, mtime_ns as imported, shop folder, watched until)
        self._imported: dict[Path, tuple[int, int, str | None, float]] = {}
        self._completeness: dict[Path, tuple[tuple[int, int], bool]] = {}
        for sub in (PROCESSED, FAILED):
            (self.folder / sub).mkdir(parents=True, exist_ok=True)

    def poll(self) -> list[InboxResult]:
        """Import every file that is ready, and again every imported file that changed
        since; return what happened to each."""
        results = []
        present = set()
        for entry in self._candidates():
            present.add(entry.path)
            if entry.refused:
                result = self._refuse(entry)
            else:
                landed = self._ready_since(entry.path)
                result = self._import(entry, landed) if landed is not None else None
            if result is not None:
                results.append(result)
        results += self._import_changed()
        for path in list(self._seen):
            if path not in present and path not in self._imported:  # moved, or deleted
                del self._seen[path]
                self._completeness.pop(path, None)
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

    def _candidates(self) -> Iterator[_Entry]:
        for entry in _entries(self.folder):
            if entry.is_symlink():  # never followed, whether to a file or a folder
                yield _Entry(Path(entry.path), None, _LINK_REFUSED)
            elif entry.is_dir(follow_symlinks=False):
                if entry.name not in (PROCESSED, FAILED):
                    yield from self._shop_candidates(entry)
            elif entry.is_file(follow_symlinks=False):
                yield _Entry(Path(entry.path), None)

    def _shop_candidates(self, folder: os.DirEntry) -> Iterator[_Entry]:
        for entry in _entries(Path(folder.path)):
            if entry.is_symlink():
                yield _Entry(Path(entry.path), folder.name, _LINK_REFUSED)
            elif entry.is_file(follow_symlinks=False):
                yield _Entry(Path(entry.path), folder.name)

    def _ready_since(self, path: Path) -> float | None:
        """When the file was first seen, once it has been stable long enough and looks
        complete (or has been stable for ``incomplete_seconds``)."""
        try:
            stat = path.lstat()
        except FileNotFoundError:
            return None
        now = self._clock()
        previous = self._seen.get(path)
        if previous is None or previous[:2] != (stat.st_size, stat.st_mtime_ns):
            first = previous[3] if previous else now
            self._seen[path] = (stat.st_size, stat.st_mtime_ns, now, first)
            return None
        stable_for = now - previous[2]
        if stat.st_size == 0 or stable_for < self.stable_seconds:
            return None
        if stable_for < self.incomplete_seconds and not self._looks_complete(path, stat):
            return None  # the writer only paused
        return previous[3]

    def _looks_complete(self, path: Path, stat: os.stat_result) -> bool:
        # Asked once per size and time: a large CSV is read through to count its quotes.
        key = (stat.st_size, stat.st_mtime_ns)
        known = self._completeness.get(path)
        if known is None or known[0] != key:
            known = self._completeness[path] = (key, looks_complete(path))
        return known[1]

    def _import_changed(self) -> list[InboxResult]:
        """Import again, where they are, moved files that changed since their import."""
        results = []
        now = self._clock()
        for path, (size, mtime_ns, shop_folder, until) in list(self._imported.items()):
            try:
                stat = path.lstat()
            except FileNotFoundError:
                stat = None
            if stat is None or now > until:
                del self._imported[path]
                self._seen.pop(path, None)
                self._completeness.pop(path, None)
                continue
            if (stat.st_size, stat.st_mtime_ns) == (size, mtime_ns):
                continue
            landed = self._ready_since(path)
            if landed is not None:
                results.append(self._import(_Entry(path, shop_folder), landed, again=True))
        return results

    def _import(self, entry: _Entry, landed: float, again: bool = False) -> InboxResult | None:
        path = entry.path
        try:
            # What is read is at least this much: a change after it means more to import.
            before = path.lstat()
        except FileNotFoundError:  # another watcher took it meanwhile
            return None
        try:
            report = import_file(self.db_path, path, shop_name=self._shop_for(entry),
                                 timezone=self.timezone if entry.shop_folder is None else None)
        except ValueError as error:  # the configuration (shop, zone), not the file
            report = ImportReport(path.name, "rejected", message=str(error))
        if again:
            report.notes.append("imported again: the file changed after its import")
        imported = self._clock()
        moved = path
        if not again or (report.ok and path.parent.name == FAILED):
            target = path.parent.parent if again else path.parent
            try:
                moved = _move(path, target / (PROCESSED if report.ok else FAILED))
            except FileNotFoundError:
                return None
        _write_report(moved, report)
        self._seen.pop(path, None)
        self._completeness.pop(path, None)
        self._imported.pop(path, None)
        self._imported[moved] = (before.st_size, before.st_mtime_ns, entry.shop_folder,
                                 imported + self.regrow_seconds)
        return InboxResult(path.name, report, moved, landed, imported, again)

    def _refuse(self, entry: _Entry) -> InboxResult | None:
        report = ImportReport(entry.path.name, "rejected", message=_LINK_REFUSED)
        now = self._clock()
        try:
            moved = _move(entry.path, entry.path.parent / FAILED)
        except FileNotFoundError:
            return None
        _write_report(moved, report)
        return InboxResult(entry.path.name, report, moved, now, now)

    def _shop_for(self, entry: _Entry) -> str | None:
        """The shop the entry's file goes to (see the module's docstring); raises
        ``ValueError`` saying where to put the file when that is not clear."""
        if not self.db_path.exists():
            return entry.shop_folder or self.shop_name
        with read_connection(self.db_path) as conn:
            if entry.shop_folder is not None:
                if find_shop(conn, entry.shop_folder) is None:
                    raise ValueError(
                        f"No shop called {entry.shop_folder!r}: a file in an inbox folder "
                        f"named after a shop goes to that shop ({_names(conn)}). Rename "
                        "the folder, or create the shop on the Import page.")
                return entry.shop_folder
            try:
                return working_shop(conn, self.shop_name)
            except ValueError:
                raise ValueError(
                    f"The store has several shops ({_names(conn)}): put the file in the "
                    "inbox folder named after its shop, e.g. inbox/<shop name>/.") from None


def _entries(folder: Path) -> list[os.DirEntry]:
    try:
        with os.scandir(folder) as found:
            return sorted((e for e in found if not _is_partial(e.name)), key=lambda e: e.name)
    except FileNotFoundError:
        return []


def _names(conn) -> str:
    return ", ".join(shop.name for shop in list_shops(conn))


def _is_partial(name: str) -> bool:
    lowered = name.lower()
    return name.startswith((".", "~$")) or lowered.endswith(_PARTIAL_SUFFIXES) \
        or lowered.endswith(".report.json")


def _move(path: Path, folder: Path) -> Path:
    """Move into ``folder`` (made if missing), never over an earlier file of the same name."""
    folder.mkdir(exist_ok=True)
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
