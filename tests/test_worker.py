"""The worker (``python -m campaign_core worker``): one process beside several app servers
that imports the inbox and runs the scheduled sync; app servers started with
``CAMPAIGN_WORKER=external`` start no watcher of their own."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from campaign_core.store import read_connection
from tests.conftest import PROJECT_ROOT, TZ, hand_orders, write_export


def order_count(db: Path) -> int:
    with read_connection(db) as conn:
        return conn.execute("SELECT COUNT(*) FROM orders").fetchone()[0]


def inbox_watchers() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate()
            if thread.name == "inbox-watcher" and thread.is_alive()]


def test_one_worker_cycle_imports_a_file_dropped_into_the_inbox(tmp_path: Path, capsys,
                                                                monkeypatch) -> None:
    from campaign_core.cli import main

    db = tmp_path / "store.db"
    inbox = tmp_path / "inbox"
    monkeypatch.delenv("CAMPAIGN_INBOX", raising=False)
    monkeypatch.setenv("CAMPAIGN_DB", str(db))  # the app servers' store is the default
    inbox.mkdir()
    write_export(inbox, hand_orders(), name="All order.csv")
    code = main(["worker", "--timezone", TZ, "--stable", "0", "--once",
                 "--secrets", str(tmp_path / "none.toml")])
    out = capsys.readouterr().out
    assert code == 0
    assert f"worker: store {db}, inbox {inbox}" in out
    assert "Open API sync: off (" in out  # no credentials: said, and the inbox still runs
    assert "inbox: All order.csv: kind=orders" in out and "-> processed/" in out
    assert order_count(db) == 5
    assert (inbox / "processed" / "All order.csv").exists()


def test_the_worker_makes_its_inbox_folder(tmp_path: Path, capsys) -> None:
    from campaign_core.cli import main

    db, inbox = tmp_path / "store.db", tmp_path / "drop" / "here"
    assert main(["worker", "--db", str(db), "--inbox", str(inbox), "--once",
                 "--secrets", str(tmp_path / "none.toml")]) == 0
    assert inbox.is_dir() and db.exists()


def test_an_explicit_sync_schedule_without_credentials_is_refused(tmp_path: Path,
                                                                  capsys) -> None:
    from campaign_core.cli import main

    code = main(["worker", "--db", str(tmp_path / "store.db"), "--sync-every", "5",
                 "--once", "--secrets", str(tmp_path / "none.toml")])
    assert code != 0
    assert "--sync-every" in capsys.readouterr().err


def test_the_worker_loop_ends_at_once_when_asked_to_stop(tmp_path: Path) -> None:
    from campaign_core.cli import build_parser
    from campaign_core.inbox.worker import worker

    db, inbox = tmp_path / "store.db", tmp_path / "inbox"
    args = build_parser().parse_args([
        "worker", "--db", str(db), "--inbox", str(inbox), "--timezone", TZ, "--stable", "0",
        "--poll", "0.2", "--secrets", str(tmp_path / "none.toml")])
    stop = threading.Event()
    codes: list[int] = []
    thread = threading.Thread(target=lambda: codes.append(worker(args, stop)))
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not inbox.is_dir():
            assert time.monotonic() < deadline
            time.sleep(0.05)
        write_export(inbox, hand_orders(), name="All order.csv")
        while not (inbox / "processed" / "All order.csv").exists():
            assert time.monotonic() < deadline, "the worker did not import the file"
            time.sleep(0.1)
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not thread.is_alive() and codes == [0]
    assert order_count(db) == 5


@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM is a POSIX signal")
def test_the_worker_process_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    db, inbox = tmp_path / "store.db", tmp_path / "inbox"
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "CAMPAIGN_DB": str(db)}
    env.pop("CAMPAIGN_INBOX", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "campaign_core", "worker", "--timezone", TZ, "--stable", "0",
         "--poll", "0.2", "--secrets", str(tmp_path / "none.toml")],
        cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True)
    try:
        deadline = time.monotonic() + 60
        while not inbox.is_dir():
            assert process.poll() is None, process.stdout.read()
            assert time.monotonic() < deadline
            time.sleep(0.1)
        write_export(inbox, hand_orders(), name="All order.csv")
        while not (inbox / "processed" / "All order.csv").exists():
            assert time.monotonic() < deadline, "the worker did not import the file"
            time.sleep(0.1)
        process.send_signal(signal.SIGTERM)
        out, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, out
    assert "worker: stopped (SIGTERM received)" in out
    assert "inbox: All order.csv: kind=orders" in out
    assert order_count(db) == 5


def test_the_worker_setting_is_checked(monkeypatch) -> None:
    from ui import settings

    monkeypatch.delenv("CAMPAIGN_WORKER", raising=False)
    assert settings.worker_mode() == "app"
    monkeypatch.setenv("CAMPAIGN_WORKER", " External ")
    assert settings.worker_mode() == "external"
    monkeypatch.setenv("CAMPAIGN_WORKER", "extrenal")
    with pytest.raises(ValueError, match="CAMPAIGN_WORKER"):
        settings.worker_mode()


def test_an_app_server_with_an_external_worker_starts_no_watcher(tmp_path: Path,
                                                                 monkeypatch) -> None:
    from campaign_core.store import ensure_store
    from ui import realtime

    db, inbox = tmp_path / "campaign.db", tmp_path / "inbox"
    ensure_store(db)
    inbox.mkdir()
    monkeypatch.setenv("CAMPAIGN_INBOX", str(inbox))
    monkeypatch.setenv("CAMPAIGN_WORKER", "external")
    before = len(inbox_watchers())
    assert realtime.ensure_inbox_watcher(db) is None
    assert len(inbox_watchers()) == before


def test_the_app_with_an_external_worker_leaves_the_inbox_alone(private_app_env, tmp_path,
                                                               monkeypatch) -> None:
    from streamlit.testing.v1 import AppTest

    inbox = tmp_path / "app-inbox"
    inbox.mkdir()
    monkeypatch.setenv("CAMPAIGN_INBOX", str(inbox))
    monkeypatch.setenv("CAMPAIGN_WORKER", "external")
    before = len(inbox_watchers())
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60).run()
    at.switch_page("pages/import_data.py").run()
    assert not at.exception
    assert len(inbox_watchers()) == before
    captions = " ".join(caption.value for caption in at.caption)
    assert "run by the worker process of this deployment" in captions
    (inbox / "notes.csv").write_text("Hello,World\n1,2\n", encoding="utf-8")
    time.sleep(3)  # an app watcher polls every 2 s with a 2 s stability wait
    assert (inbox / "notes.csv").exists() and not (inbox / "failed").exists()
