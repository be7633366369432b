"""campaign_core: the campaign dashboard's library.

Pure Python (never imports streamlit): the SQLite store, the TikTok export importers, time
windows, the metric catalog and queries, the demo campaign and the command line.
"""

__version__ = "0.1.0"
