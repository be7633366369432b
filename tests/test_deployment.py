"""The team deployment's files (Dockerfile, compose.yaml, deploy/Caddyfile) are checked
here, without Docker: parsed, and held to what README "Deploy for a team" promises (two app
servers and one worker on one store volume, sticky sessions and HTTPS at the proxy, a
non-root image on a pinned base, sign-in required). ``docker compose config`` runs too
where Docker Compose is installed."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import PROJECT_ROOT

COMPOSE = PROJECT_ROOT / "compose.yaml"
DOCKERFILE = PROJECT_ROOT / "Dockerfile"
CADDYFILE = PROJECT_ROOT / "deploy" / "Caddyfile"
APP_SERVERS = ("app1", "app2")
# Top-level keys of the Compose file format (extension fields start with "x-").
COMPOSE_KEYS = {"name", "services", "volumes", "networks", "secrets", "configs", "include",
                "models"}
PINNED_IMAGE = re.compile(r"^[\w./-]+:[\w.-]*\d[\w.-]*@sha256:[0-9a-f]{64}$")
PORT = 8501


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text(encoding="utf-8"))
    rows = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            rows.append((word.upper(), rest.strip()))
    return rows


def named_volumes(service: dict) -> set[str]:
    names = set()
    for volume in service.get("volumes", []):
        if isinstance(volume, str):
            source = volume.split(":", 1)[0]
            if not source.startswith((".", "/", "~")):
                names.add(source)
        elif volume.get("type") == "volume":
            names.add(volume["source"])
    return names


def test_compose_has_the_app_servers_the_worker_and_the_proxy(compose) -> None:
    assert {key for key in compose if not key.startswith("x-")} <= COMPOSE_KEYS
    assert set(compose["services"]) >= {*APP_SERVERS, "worker", "proxy"}
    for name, service in compose["services"].items():
        assert "image" in service or "build" in service, name
        for needed in service.get("depends_on", {}):
            assert needed in compose["services"], f"{name} depends on unknown {needed}"
        for volume in named_volumes(service):
            assert volume in compose.get("volumes", {}), f"{name}: volume {volume} undeclared"
        for network in service.get("networks", []):
            assert network in compose.get("networks", {}), name


def test_the_app_servers_and_the_worker_share_one_store_and_only_the_worker_watches(
        compose, monkeypatch) -> None:
    from ui import settings

    services = compose["services"]
    for name in (*APP_SERVERS, "worker"):
        service = services[name]
        assert "store:/data" in service["volumes"], name
        environment = service["environment"]
        assert environment["CAMPAIGN_DB"].startswith("/data/"), name
        assert environment["CAMPAIGN_EXPOSED"] == "1", name  # sign-in required
        monkeypatch.setenv("CAMPAIGN_WORKER", environment["CAMPAIGN_WORKER"])
        assert settings.worker_mode() == "external", name
        assert "ports" not in service, f"{name} must be reached through the proxy only"
    assert services["app1"]["image"] == services["worker"]["image"]


def test_the_worker_runs_the_worker_command(compose) -> None:
    from campaign_core.cli import build_parser

    worker = compose["services"]["worker"]
    command = worker["command"]
    assert command[:3] == ["python", "-m", "campaign_core"]
    assert build_parser().parse_args(command[3:]).command == "worker"
    assert worker["healthcheck"] == {"disable": True}  # no Streamlit to ask
    assert worker["stop_signal"] == "SIGTERM"


def test_the_proxy_is_pinned_serves_https_and_keeps_sessions_sticky(compose) -> None:
    proxy = compose["services"]["proxy"]
    assert PINNED_IMAGE.match(proxy["image"]), proxy["image"]
    assert proxy["image"].startswith("caddy:")
    assert any(str(port).startswith("443:443") for port in proxy["ports"])
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in proxy["volumes"]
    for name in APP_SERVERS:
        assert proxy["depends_on"][name]["condition"] == "service_healthy"
    caddy = CADDYFILE.read_text(encoding="utf-8")
    upstreams = re.search(r"^\s*reverse_proxy\s+([^{]+)\{", caddy, re.MULTILINE)
    assert upstreams and upstreams.group(1).split() == [f"{n}:{PORT}" for n in APP_SERVERS]
    assert re.search(r"^\s*lb_policy cookie \S+", caddy, re.MULTILINE), "no sticky sessions"
    assert "caddyserver.com/docs/caddyfile/directives/reverse_proxy#load-balancing" in caddy
    assert re.search(r"^\s*health_uri /_stcore/health$", caddy, re.MULTILINE)
    assert not re.search(r"^\s*(http://|auto_https off|tls_insecure)", caddy, re.MULTILINE)


def test_the_secrets_file_is_mounted_read_only_and_never_made_up(compose) -> None:
    for name in (*APP_SERVERS, "worker"):
        [mount] = [volume for volume in compose["services"][name]["volumes"]
                   if isinstance(volume, dict)]
        assert mount["target"] == "/app/.streamlit/secrets.toml" and mount["read_only"]
        assert mount["bind"]["create_host_path"] is False
    ignored = (PROJECT_ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "deploy/secrets.toml" in ignored and ".env" in ignored


def test_no_postgresql_service_until_the_store_can_use_one(compose) -> None:
    engine_there = any("CAMPAIGN_DATABASE_URL" in path.read_text(encoding="utf-8")
                       for path in (PROJECT_ROOT / "campaign_core").rglob("*.py"))
    images = [str(service.get("image", "")) for service in compose["services"].values()]
    if not engine_there:
        assert not any(image.startswith("postgres") for image in images), (
            "a postgres service the store cannot use yet")
        assert "PENDING, NOT WIRED" in COMPOSE.read_text(encoding="utf-8")


def test_the_image_is_non_root_on_a_pinned_base_with_a_health_check() -> None:
    rows = dockerfile_instructions()
    [base] = [args for word, args in rows if word == "FROM"]
    assert PINNED_IMAGE.match(base.split()[0]), base
    users = [args for word, args in rows if word == "USER"]
    assert users and users[-1].split(":")[0] not in {"root", "0"}
    last_user = max(i for i, (word, _) in enumerate(rows) if word == "USER")
    assert all(word != "RUN" for word, _ in rows[last_user:]), "RUN after USER runs as it"
    [health] = [args for word, args in rows if word == "HEALTHCHECK"]
    assert f"127.0.0.1:{PORT}/_stcore/health" in health
    [command] = [args for word, args in rows if word == "CMD"]
    assert f"--server.port={PORT}" in command and "app.py" in command
    assert any(word == "RUN" and "pip install" in args and "-r requirements.txt" in args
               for word, args in rows)
    env = " ".join(args for word, args in rows if word == "ENV")
    assert "CAMPAIGN_EXPOSED=1" in env
    for word, args in rows:
        if word == "COPY":
            for source in args.split()[:-1]:
                if not source.startswith("--"):
                    assert (PROJECT_ROOT / source).exists(), f"COPY of missing {source}"


def test_the_image_installs_exact_versions_only() -> None:
    for line in (PROJECT_ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[\w.]+", line), line


def test_secrets_and_the_store_stay_out_of_the_image() -> None:
    ignored = set((PROJECT_ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines())
    assert {".streamlit/secrets.toml", "deploy/secrets.toml", ".env", "data", ".git"} <= ignored


def docker_compose() -> list[str] | None:
    for command in (["docker", "compose"], ["docker-compose"]):
        if shutil.which(command[0]) is None:
            continue
        probe = subprocess.run([*command, "version"], capture_output=True, text=True)
        if probe.returncode == 0:
            return command
    return None


def test_docker_compose_accepts_the_file(tmp_path: Path) -> None:
    command = docker_compose()
    if command is None:
        pytest.skip("Docker Compose is not installed here (the 'docker compose' plugin or "
                    "docker-compose): compose.yaml is checked by the parser tests above")
    # Compose checks the bind mount's source: a stand-in secrets file where it is missing.
    secrets = PROJECT_ROOT / "deploy" / "secrets.toml"
    made = not secrets.exists()
    if made:
        secrets.write_text("", encoding="utf-8")
    try:
        result = subprocess.run([*command, "-f", str(COMPOSE), "config", "--quiet"],
                                capture_output=True, text=True, cwd=PROJECT_ROOT)
    finally:
        if made:
            secrets.unlink()
    assert result.returncode == 0, result.stderr


def test_readme_says_how_to_deploy_and_what_is_pending() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Deploy for a team", 1)[1].split("\n## ", 1)[0]
    for needed in ("docker compose up", "Sticky sessions", "lb_policy cookie",
                   "python -m campaign_core worker", "CAMPAIGN_WORKER=external",
                   "one SQLite file on one host", "campaign_core backup", "PostgreSQL"):
        assert needed in section, needed
