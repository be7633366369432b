"""Deliver a message to a Slack incoming webhook (urllib) and/or by e-mail (smtplib).

Settings come from ``secrets.toml`` ``[alerts]`` (see ``openapi/credentials.py``); the
webhook URL and the SMTP password are secrets and never appear in errors or logs.
"""

from __future__ import annotations

import json
import smtplib
import ssl
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage


class DeliveryError(RuntimeError):
    """A channel could not take the message (the reason, without secrets)."""


@dataclass(frozen=True)
class Channels:
    slack_webhook_url: str | None = field(default=None, repr=False)
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_user: str | None = None
    smtp_password: str | None = field(default=None, repr=False)
    smtp_from: str | None = None
    smtp_to: tuple[str, ...] = ()
    smtp_starttls: bool = True
    smtp_ssl: bool = False
    timeout_s: float = 15.0
    digest_attach_pdf: bool = False  # the daily digest e-mail carries the day's report

    @classmethod
    def from_mapping(cls, section: Mapping | None) -> Channels:
        section = dict(section or {})
        recipients = section.get("smtp_to") or ()
        if isinstance(recipients, str):
            recipients = [r.strip() for r in recipients.split(",")]
        return cls(
            slack_webhook_url=section.get("slack_webhook_url") or None,
            smtp_host=section.get("smtp_host") or None,
            smtp_port=int(section.get("smtp_port") or 587),
            smtp_user=section.get("smtp_user") or None,
            smtp_password=section.get("smtp_password") or None,
            smtp_from=section.get("smtp_from") or section.get("smtp_user") or None,
            smtp_to=tuple(r for r in recipients if r),
            smtp_starttls=bool(section.get("smtp_starttls", True)),
            smtp_ssl=bool(section.get("smtp_ssl", False)),
            digest_attach_pdf=bool(section.get("digest_attach_pdf", False)))

    @property
    def has_slack(self) -> bool:
        return bool(self.slack_webhook_url)

    @property
    def has_email(self) -> bool:
        return bool(self.smtp_host and self.smtp_to and self.smtp_from)


# Slack reads ``<...>`` as a link, a mention (``<!channel>``, ``<@U...>``) or a date, and
# ``&`` starts an entity; it asks senders to escape exactly these three in message text
# (api.slack.com/reference/surfaces/formatting, "Escaping text").
_SLACK_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def slack_text(text: str) -> str:
    """``text`` as Slack shows it literally: ``&``, ``<``, ``>`` escaped, nothing else."""
    return text.translate(_SLACK_ESCAPES)


def send_slack(channels: Channels, text: str) -> None:
    """POST ``{"text": ...}`` to the webhook. ``text`` is mrkdwn the caller built: escape
    data in it with ``slack_text`` (``deliver`` does). Raises ``DeliveryError``."""
    if not channels.has_slack:
        raise DeliveryError("no Slack webhook configured (secrets.toml [alerts] "
                            "slack_webhook_url)")
    request = urllib.request.Request(
        channels.slack_webhook_url, data=json.dumps({"text": text}).encode("utf-8"),
        headers={"content-type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=channels.timeout_s) as response:
            response.read()
    except urllib.error.HTTPError as error:
        raise DeliveryError(f"Slack answered HTTP {error.code}") from None
    except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
        raise DeliveryError(f"Slack unreachable: {getattr(error, 'reason', error)}") from None


def send_email(channels: Channels, subject: str, text: str, html: str | None = None, *,
               attachments: tuple[tuple[str, bytes], ...] = ()) -> None:
    """Send a plain-text (and optional HTML) mail to ``smtp_to``, with ``attachments``
    (file name, PDF bytes) attached. Raises ``DeliveryError``."""
    if not channels.has_email:
        raise DeliveryError("no e-mail configured (secrets.toml [alerts] smtp_host, "
                            "smtp_from, smtp_to)")
    message = EmailMessage()
    message["Subject"] = subject.replace("\n", " ")[:200]
    message["From"] = channels.smtp_from
    message["To"] = ", ".join(channels.smtp_to)
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    for name, data in attachments:
        message.add_attachment(data, maintype="application", subtype="pdf", filename=name)
    try:
        smtp_class = smtplib.SMTP_SSL if channels.smtp_ssl else smtplib.SMTP
        with smtp_class(channels.smtp_host, channels.smtp_port,
                        timeout=channels.timeout_s) as smtp:
            if channels.smtp_starttls and not channels.smtp_ssl and smtp.has_extn("starttls"):
                smtp.starttls(context=ssl.create_default_context())
            if channels.smtp_user and channels.smtp_password:
                smtp.login(channels.smtp_user, channels.smtp_password)
            smtp.send_message(message)
    except (smtplib.SMTPException, OSError) as error:
        raise DeliveryError(f"e-mail not sent: {type(error).__name__}: "
                            f"{str(error)[:200]}") from None


def deliver(channels: Channels, channel: str, subject: str, text: str,
            html: str | None = None, *,
            attachments: tuple[tuple[str, bytes], ...] = ()) -> str | None:
    """Send to the rule's channel(s) (``log`` sends nothing); the errors joined, or None.
    ``attachments`` (file name, PDF bytes) go with the e-mail only."""
    errors = []
    if "slack" in channel:
        try:
            send_slack(channels, f"*{slack_text(subject)}*\n{slack_text(text)}")
        except DeliveryError as error:
            errors.append(f"Slack: {error}")
    if "email" in channel:
        try:
            send_email(channels, subject, text, html, attachments=attachments)
        except DeliveryError as error:
            errors.append(f"e-mail: {error}")
    return "; ".join(errors) or None
