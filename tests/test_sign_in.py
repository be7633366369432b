"""Sign-in for shared deployments: password hashes, and the gate in front of every page."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from campaign_core.security.passwords import (
    hash_password,
    is_placeholder,
    is_well_formed,
    verify_password,
)
from tests.conftest import PROJECT_ROOT
from tests.test_markdown_text import shown as as_typed

APP = str(PROJECT_ROOT / "app.py")
PASSWORD = "correct horse battery"
FAST = 1_000  # iterations: the format is the same, tests stay quick


def test_a_hash_verifies_its_password_only():
    stored = hash_password(PASSWORD, iterations=FAST)
    assert verify_password(PASSWORD, stored)
    assert not verify_password(PASSWORD + "!", stored)
    assert is_well_formed(stored) and not is_placeholder(stored)


def test_the_same_password_hashes_differently_each_time():
    assert hash_password(PASSWORD, iterations=FAST) != hash_password(PASSWORD, iterations=FAST)


def test_short_passwords_are_refused():
    with pytest.raises(ValueError, match="12 characters"):
        hash_password("short")


@pytest.mark.parametrize("stored", ["", "plain text", "pbkdf2_sha256$600000$CHANGE-ME$CHANGE-ME",
                                    "md5$1$abc$def", "pbkdf2_sha256$x$%%%$%%%"])
def test_placeholder_or_malformed_entries_never_match(stored):
    assert not verify_password("anything", stored)


@pytest.fixture(autouse=True)
def fresh_sign_in_limits(monkeypatch):
    """The limits are process-wide: each test starts with none used."""
    try:
        from campaign_core.security.sign_in_guard import SignInGuard
        from ui import password_sign_in
    except ImportError:  # before the process-wide limits existed
        return
    monkeypatch.setattr(password_sign_in, "GUARD", SignInGuard())


def start(monkeypatch, secrets: dict | None = None, exposed: bool = True) -> AppTest:
    if exposed:
        monkeypatch.setenv("CAMPAIGN_EXPOSED", "1")
    at = AppTest.from_file(APP, default_timeout=60)
    for section, values in (secrets or {}).items():
        at.secrets[section] = values
    return at.run()


def test_on_localhost_the_dashboard_opens_without_sign_in(app_env, monkeypatch):
    at = start(monkeypatch, exposed=False)
    assert at.title[0].value == "Overview"


def test_exposed_without_sign_in_configured_serves_nothing(app_env, monkeypatch):
    at = start(monkeypatch)
    assert "cannot offer a safe sign-in" in as_typed(at.error[0].value)
    assert not at.metric and not at.title


def test_exposed_with_the_example_placeholder_serves_nothing(app_env, monkeypatch):
    at = start(monkeypatch, {"passwords": {"alex": "pbkdf2_sha256$600000$CHANGE-ME$CHANGE-ME"}})
    assert "placeholder" in as_typed(at.error[0].value) and not at.metric


def test_exposed_with_a_short_oidc_cookie_secret_serves_nothing(app_env, monkeypatch):
    at = start(monkeypatch, {"auth": {"cookie_secret": "short", "client_id": "x"}})
    assert "cookie_secret" in as_typed(at.error[0].value)


def test_exposed_shows_only_the_sign_in_form_until_signed_in(app_env, monkeypatch):
    secrets = {"passwords": {"alex": hash_password(PASSWORD, iterations=FAST)}}
    at = start(monkeypatch, secrets)
    assert at.title[0].value == "Sign in" and not at.metric
    at.text_input[0].input("alex")
    at.text_input[1].input("wrong password!")
    at.button[0].click().run()
    assert "Wrong user or password" in as_typed(at.error[0].value) and not at.metric
    at.text_input[0].input("alex")
    at.text_input[1].input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    assert any(title.value == "Overview" for title in at.title) and at.metric


def test_repeated_failures_lock_the_form(app_env, monkeypatch):
    secrets = {"passwords": {"alex": hash_password(PASSWORD, iterations=FAST)}}
    at = start(monkeypatch, secrets)
    for _ in range(5):
        at.text_input[0].input("alex")
        at.text_input[1].input("nope nope nope")
        at.button[0].click().run()
    assert any("Too many failed attempts" in as_typed(error.value) for error in at.error)
    assert not at.text_input  # the form is gone while locked


def sign_in(at: AppTest, user: str, password: str) -> AppTest:
    at.text_input[0].input(user)
    at.text_input[1].input(password)
    return at.button[0].click().run()


def test_failures_from_many_sessions_lock_the_user_name(app_env, monkeypatch):
    secrets = {"passwords": {"alex": hash_password(PASSWORD, iterations=FAST)}}
    for _ in range(5):  # five browser sessions, one wrong password each
        at = sign_in(start(monkeypatch, secrets), "alex", "nope nope nope")
        assert "Wrong user or password" in as_typed(at.error[0].value)
    at = sign_in(start(monkeypatch, secrets), "alex", PASSWORD)
    assert any("Too many failed attempts" in as_typed(error.value) for error in at.error)
    assert not at.metric and at.title[0].value == "Sign in"


def test_an_unknown_user_is_answered_after_the_same_hash(app_env, monkeypatch):
    import hashlib

    secrets = {"passwords": {"alex": hash_password(PASSWORD, iterations=FAST)}}
    at = start(monkeypatch, secrets)
    costs = []
    real = hashlib.pbkdf2_hmac

    def counting(name, password, salt, iterations, *args):
        costs.append(iterations)
        return real(name, password, salt, iterations, *args)

    monkeypatch.setattr(hashlib, "pbkdf2_hmac", counting)
    sign_in(at, "nobody-here", PASSWORD)
    assert "Wrong user or password" in as_typed(at.error[0].value)
    assert FAST in costs  # the same cost as alex's hash, though nobody-here has none


def test_config_keeps_xsrf_on_and_error_details_out_of_the_browser():
    import tomllib

    config = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["enableXsrfProtection"] is True
    assert config["server"]["address"] == "localhost"
    assert config["client"]["showErrorDetails"] in ("type", "none")


def test_the_real_secrets_file_is_never_committed():
    ignored = (PROJECT_ROOT / ".gitignore").read_text().splitlines()
    assert ".streamlit/secrets.toml" in ignored
    assert (PROJECT_ROOT / ".streamlit" / "secrets.toml.example").exists()


def test_exposed_with_xsrf_protection_off_serves_nothing(app_env, monkeypatch):
    """The sign-in is bound to the browser's XSRF cookie (ui/session_binding.py)."""
    from streamlit import config as st_config

    before = st_config.get_option("server.enableXsrfProtection")
    st_config.set_option("server.enableXsrfProtection", False)
    try:
        at = start(monkeypatch, {"passwords": {"alex": hash_password(PASSWORD,
                                                                     iterations=FAST)}})
    finally:
        st_config.set_option("server.enableXsrfProtection", before)
    assert "enableXsrfProtection" in at.error[0].value and not at.metric
