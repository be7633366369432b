"""The TikTok Shop Open API connector: signed requests, pagination, back-off, and the
mapping of API payloads onto the records the file importers produce, so API data is
stored by the same writers and counted by the same metric code."""
