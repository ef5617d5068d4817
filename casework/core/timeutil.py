"""Time helpers: the database stores UTC; people see Europe/Warsaw."""
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

WARSAW = ZoneInfo("Europe/Warsaw")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def today_local() -> date:
    return datetime.now(WARSAW).date()


def as_aware(value: datetime) -> datetime:
    """SQLite returns naive datetimes for timezone-aware columns; they are UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value


def to_local(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return as_aware(value).astimezone(WARSAW)
