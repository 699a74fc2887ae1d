"""Time helpers: the database stores naive UTC."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    """The current time as naive UTC, the way every timestamp is stored."""
    return datetime.now(UTC).replace(tzinfo=None)


def iso(moment: datetime | None) -> str | None:
    """A timestamp for an export: ISO 8601 to the second, or None."""
    return moment.isoformat(timespec="seconds") if moment else None
