"""A real ``streamlit run`` of the app with the options a security test needs: any working
folder, app path, address flags, environment and a log file to read afterwards."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.browser.conftest import _free_port, wait_until_healthy
from tests.conftest import DEMO_NOW, PROJECT_ROOT

APP = PROJECT_ROOT / "app.py"


def start_server(db: Path, *, cwd: Path, log: Path, flags: list[str] | None = None,
                 app: Path = APP, env: dict[str, str] | None = None
                 ) -> tuple[subprocess.Popen, str]:
    """Start the app on a free port; its URL on 127.0.0.1 once it answers."""
    port = _free_port()
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("CAMPAIGN_EXPOSED", "STREAMLIT_SERVER_ADDRESS")}
    environment.update({"CAMPAIGN_DB": str(db), "CAMPAIGN_NOW": DEMO_NOW,
                        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false", **(env or {})})
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(port),
         "--server.headless", "true", *(flags or [])],
        cwd=cwd, env=environment, stdout=log.open("w"), stderr=subprocess.STDOUT)
    return process, wait_until_healthy(process, f"http://127.0.0.1:{port}")


def password_secrets(folder: Path, user: str, password: str) -> Path:
    """``folder/.streamlit/secrets.toml`` with one built-in sign-in (a cheap hash)."""
    from campaign_core.security.passwords import hash_password

    (folder / ".streamlit").mkdir(parents=True, exist_ok=True)
    stored = hash_password(password, iterations=1_000)
    path = folder / ".streamlit" / "secrets.toml"
    path.write_text(f'[passwords]\n{user} = "{stored}"\n')
    return path


USER, PASSWORD = "alex", "correct horse battery"
