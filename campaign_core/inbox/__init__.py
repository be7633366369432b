"""The inbox folder: export files dropped into it are imported by themselves."""

from campaign_core.inbox.watcher import InboxResult, InboxWatcher, default_inbox

__all__ = ["InboxResult", "InboxWatcher", "default_inbox"]
