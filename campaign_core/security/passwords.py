"""Salted password hashes for the built-in sign-in (stored in secrets.toml, never plain text).

Format: ``pbkdf2_sha256$<iterations>$<salt, base64>$<hash, base64>`` (PBKDF2-HMAC-SHA256,
as OWASP recommends with 600,000 iterations). ``python -m campaign_core password`` prints
an entry for secrets.toml.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

ALGORITHM = "pbkdf2_sha256"
ITERATIONS = 600_000
MIN_LENGTH = 12
# Values copied from secrets.toml.example must never open a shared dashboard. A real hash
# is base64 ("-" and "." never occur in it), so these cannot match one by accident.
PLACEHOLDER_MARKERS = ("CHANGE-ME", "REPLACE-ME", "...")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str, *, iterations: int = ITERATIONS,
                  salt: bytes | None = None) -> str:
    """The stored form of ``password``. Raises ``ValueError`` for a password shorter than
    ``MIN_LENGTH`` characters."""
    if len(password) < MIN_LENGTH:
        raise ValueError(f"Use at least {MIN_LENGTH} characters for a dashboard password.")
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    return f"{ALGORITHM}${iterations}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    """True when ``password`` matches ``stored`` (constant-time compare); False for any
    malformed or placeholder entry rather than an error."""
    try:
        algorithm, iterations, salt, expected = stored.split("$")
        if algorithm != ALGORITHM or is_placeholder(stored):
            return False
        digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"),
                                     base64.b64decode(salt), int(iterations))
        return hmac.compare_digest(digest, base64.b64decode(expected))
    except (ValueError, TypeError):
        return False


def is_placeholder(stored: str) -> bool:
    return any(marker in stored for marker in PLACEHOLDER_MARKERS)


def is_well_formed(stored: str) -> bool:
    parts = stored.split("$")
    return len(parts) == 4 and parts[0] == ALGORITHM and parts[1].isdigit()
