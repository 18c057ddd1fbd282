"""Storage: SQLModel tables, the UTC column type, engines and migrations."""

from bot.storage.db import Database, create_engine, is_sqlite, normalise_url
from bot.storage.migrations import upgrade_database
from bot.storage.types import UTCDateTime

__all__ = [
    "Database",
    "UTCDateTime",
    "create_engine",
    "is_sqlite",
    "normalise_url",
    "upgrade_database",
]
