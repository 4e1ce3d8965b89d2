"""Time helper: the app stores naive datetimes that are UTC."""

from datetime import datetime, timezone


def utcnow() -> datetime:
    """Current UTC time as a timezone-naive datetime (what the database columns hold)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)
