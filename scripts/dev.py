"""Start the app or run the checks in the project's own virtual environment (``.venv``).

    python3 scripts/dev.py start [streamlit options]   # the app, with requirements.txt
    python3 scripts/dev.py test  [pytest options]      # ruff and pytest, with requirements-dev.txt
    python3 scripts/dev.py setup                        # only create .venv and install both files

Debian 12 and Ubuntu 24.04 refuse ``pip install`` into their system Python
(``externally-managed-environment``), so every command works in ``.venv`` beside this
project, created by the interpreter running this script (Python 3.11 or newer). The
requirements are installed again only when a requirements file changed. The standard
library only: this runs before anything is installed.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
MINIMUM_PYTHON = (3, 11)
APP_REQUIREMENTS = ROOT / "requirements.txt"
DEV_REQUIREMENTS = ROOT / "requirements-dev.txt"


class SetupError(Exception):
    """A reason the environment cannot be made, worded for the person at the terminal."""


def check_python(version: tuple[int, ...] = tuple(sys.version_info)) -> None:
    """Raise SetupError unless ``version`` is at least MINIMUM_PYTHON."""
    if tuple(version[:2]) >= MINIMUM_PYTHON:
        return
    needed = ".".join(map(str, MINIMUM_PYTHON))
    raise SetupError(
        f"This project needs Python {needed} or newer; {sys.executable} is "
        f"{version[0]}.{version[1]}. Run the command with a newer interpreter, e.g. "
        f"python{needed} scripts/dev.py ...")


def check_venv_module() -> None:
    """Raise SetupError when this Python cannot create a virtual environment with pip.

    Debian and Ubuntu ship ``ensurepip`` (which ``venv`` uses to put pip in the
    environment) in a separate package, python3-venv, that a minimal install lacks.
    """
    if importlib.util.find_spec("venv") and importlib.util.find_spec("ensurepip"):
        return
    minor = f"{sys.version_info[0]}.{sys.version_info[1]}"
    raise SetupError(
        f"{sys.executable} cannot create a virtual environment: its venv/ensurepip modules "
        f"are missing. On Debian or Ubuntu install them with\n"
        f"    sudo apt install python3-venv      (for this Python: python{minor}-venv)\n"
        f"then run the command again.")


def venv_python(venv: Path = VENV) -> Path:
    """The interpreter inside ``venv`` (Scripts\\python.exe on Windows)."""
    if os.name == "nt":
        return venv / "Scripts" / "python.exe"
    return venv / "bin" / "python"


def requirement_files(path: Path) -> list[Path]:
    """``path`` and every file it includes with ``-r`` / ``--requirement``, in order."""
    files = [path]
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("#", 1)[0].split()
        if len(parts) == 2 and parts[0] in ("-r", "--requirement"):
            files += requirement_files(path.parent / parts[1])
    return files


def requirements_digest(path: Path) -> str:
    """A hash of the requirements ``path`` asks for, included files and Python version too."""
    digest = hashlib.sha256(sys.version.encode())
    for file in requirement_files(path):
        digest.update(file.name.encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()


def _venv_is_usable(python: Path) -> bool:
    """True when the environment's interpreter runs, is new enough and has pip."""
    if not python.exists():
        return False
    probe = ("import sys, pip; "
             f"sys.exit(0 if sys.version_info >= {MINIMUM_PYTHON!r} else 1)")
    return subprocess.run([str(python), "-c", probe], capture_output=True).returncode == 0


def ensure_venv(requirements: Path, venv: Path = VENV) -> Path:
    """Create ``venv`` if it is missing or broken and install ``requirements`` into it.

    Returns the environment's interpreter. Installs only when the requirements changed
    since the last successful install (a stamp file inside the environment).
    Raises SetupError (too old a Python, no venv module) or CalledProcessError (pip failed).
    """
    python = venv_python(venv)
    if not _venv_is_usable(python):
        check_python()
        check_venv_module()
        import venv as venv_module

        print(f"Creating the virtual environment {venv.name}/ ...", flush=True)
        # clear: a half-made environment (e.g. from before python3-venv was installed).
        venv_module.EnvBuilder(with_pip=True, clear=venv.exists()).create(venv)
    stamp = venv / f".installed-{requirements.stem}"
    wanted = requirements_digest(requirements)
    if stamp.exists() and stamp.read_text() == wanted:
        return python
    print(f"Installing {requirements.name} into {venv.name}/ ...", flush=True)
    subprocess.run([str(python), "-m", "pip", "install", "--disable-pip-version-check",
                    "-r", str(requirements)], check=True)
    stamp.write_text(wanted)
    return python


def run_tests(python: Path, pytest_args: list[str]) -> int:
    """Ruff, then pytest with ``pytest_args``; the first failing exit code, else 0."""
    for command in (["-m", "ruff", "check", "."], ["-m", "pytest", *pytest_args]):
        code = subprocess.run([str(python), *command], cwd=ROOT).returncode
        if code:
            return code
    return 0


USAGE = "usage: python3 scripts/dev.py {start|test|setup} [options passed on]"


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("start", "test", "setup"):
        print(USAGE, file=sys.stderr)
        return 2
    command, rest = argv[0], argv[1:]
    try:
        if command == "start":
            python = ensure_venv(APP_REQUIREMENTS)
            os.chdir(ROOT)
            # exec: the server becomes this process, so Ctrl+C and kill reach it directly.
            os.execv(python, [str(python), "-m", "streamlit", "run", "app.py", *rest])
        python = ensure_venv(DEV_REQUIREMENTS)
        return 0 if command == "setup" else run_tests(python, rest)
    except SetupError as error:
        print(error, file=sys.stderr)
        return 1
    except subprocess.CalledProcessError as error:
        print(f"Installing the requirements failed (exit code {error.returncode}); "
              "see pip's message above.", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
