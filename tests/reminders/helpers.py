"""Factories and an SMTP server for the reminder tests."""
import socket
import threading
from datetime import date, datetime, time, timezone
from email import message_from_bytes, policy

import pytest

from casework.core.timeutil import WARSAW
from casework.extensions import db
from casework.families.models import AssistantAssignment, Family, SupportPeriod

_counter = {"n": 0}


def at(day: date, hour: int = 8) -> datetime:
    """A frozen 'now': `hour` o'clock in Warsaw on `day`, as aware UTC."""
    return datetime.combine(day, time(hour), tzinfo=WARSAW).astimezone(timezone.utc)


def make_family(start=date(2026, 1, 10), end=None, monitoring_until=None, assistant=None,
                assigned_from=None, assigned_to=None, case_number=None, name=None):
    _counter["n"] += 1
    n = _counter["n"]
    family = Family(case_number=case_number or f"AR/2026/{n}", name=name or f"Kowalscy {n}")
    db.session.add(family)
    db.session.flush()
    period = SupportPeriod(family_id=family.id, start_date=start, end_date=end, monitoring_until=monitoring_until)
    db.session.add(period)
    db.session.flush()
    if assistant is not None:
        db.session.add(AssistantAssignment(support_period_id=period.id, family_id=family.id,
                                           assistant_id=assistant.id, start_date=assigned_from or start,
                                           end_date=assigned_to))
    db.session.commit()
    return family, period


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


@pytest.fixture
def smtp(app):
    """A real SMTP server on a free local port; the app's mail settings point at it."""
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    old = {k: app.config.get(k) for k in ("MAIL_SERVER", "MAIL_PORT", "MAIL_SENDER", "CASEWORK_BASE_URL")}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_SENDER="casework@example.org",
                      CASEWORK_BASE_URL="https://casework.example.org")
    inbox.port = port
    inbox.controller = controller
    try:
        yield inbox
    finally:
        try:
            controller.stop()
        except Exception:  # noqa: BLE001 - a test may have stopped it already
            pass
        app.config.update(old)
