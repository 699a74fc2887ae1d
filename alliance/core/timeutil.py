"""Time helpers: the database stores naive UTC."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    """The current time as naive UTC, the way every timestamp is stored."""
    return datetime.now(UTC).replace(tzinfo=None)
