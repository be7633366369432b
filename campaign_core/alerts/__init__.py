"""Alerts: the strip of what needs attention on the pages (``strip``), and threshold rules
evaluated after each import or sync and on a schedule, delivered to Slack or email with a
cool-down (``rules``, ``evaluate``, ``delivery``).

The strip's names are re-exported here, so ``from campaign_core.alerts import Alert`` keeps
working as it did when this was a single module.
"""

from campaign_core.alerts.strip import Alert, pacing_alerts, stock_alerts

__all__ = ["Alert", "pacing_alerts", "stock_alerts"]
