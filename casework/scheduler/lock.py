"""A lease in the scheduler_lock table: one scheduler runs jobs; a second stays idle until the lease expires.

Portable across SQLite and PostgreSQL: acquiring is an INSERT … ON CONFLICT DO NOTHING, renewing or taking over an
expired lease one conditional UPDATE; each in its own short transaction on its own connection."""
import os
import socket
import uuid
from datetime import datetime, timedelta

from sqlalchemy import delete, update

from casework.core.timeutil import as_aware, utcnow
from casework.extensions import db
from casework.scheduler.models import SchedulerLock

LOCK_NAME = "scheduler"
DEFAULT_TTL = timedelta(seconds=120)


def new_holder_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _insert(conn):
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert  # local import: the dialect is known only at run time
    else:
        from sqlalchemy.dialects.sqlite import insert  # local import: the dialect is known only at run time
    return insert(SchedulerLock)


def acquire(holder: str, now: datetime | None = None, ttl: timedelta = DEFAULT_TTL, name: str = LOCK_NAME) -> bool:
    """Take the lease, renew it if `holder` has it, or take it over if it expired. True when held afterwards."""
    now = now or utcnow()
    with db.engine.begin() as conn:
        result = conn.execute(_insert(conn).values(
            name=name, holder=holder, acquired_at=now, heartbeat_at=now, expires_at=now + ttl,
        ).on_conflict_do_nothing(index_elements=["name"]))
        if result.rowcount == 1:
            return True
        renewed = conn.execute(update(SchedulerLock).where(
            SchedulerLock.name == name, SchedulerLock.holder == holder,
        ).values(heartbeat_at=now, expires_at=now + ttl))
        if renewed.rowcount == 1:
            return True
        taken = conn.execute(update(SchedulerLock).where(
            SchedulerLock.name == name, SchedulerLock.expires_at < now,
        ).values(holder=holder, acquired_at=now, heartbeat_at=now, expires_at=now + ttl))
        return taken.rowcount == 1


def release(holder: str, name: str = LOCK_NAME) -> None:
    with db.engine.begin() as conn:
        conn.execute(delete(SchedulerLock).where(SchedulerLock.name == name, SchedulerLock.holder == holder))


def current(name: str = LOCK_NAME) -> dict | None:
    with db.engine.connect() as conn:
        row = conn.execute(SchedulerLock.__table__.select().where(SchedulerLock.name == name)).first()
    if row is None:
        return None
    data = dict(row._mapping)
    for key in ("acquired_at", "heartbeat_at", "expires_at"):
        data[key] = as_aware(data[key])
    return data
