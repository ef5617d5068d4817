"""The daily digest through a real SMTP server: once per person, opt-out, no personal data, retries."""
import threading
from datetime import date

from sqlalchemy import select

from casework.extensions import db
from casework.reminders.digest import send_digests
from casework.reminders.models import Reminder, UserPreference
from casework.core.reminders import RULES, Candidate, reminder_rule
from casework.scheduler.jobs import create_reminders, run_job
from tests.reminders.helpers import at, make_family


def _user_with_email(make_user, *roles, email=None, **kw):
    user = make_user(*roles, **kw)
    user.email = email or f"{user.login}@example.org"
    db.session.commit()
    return user


def _setup_two_reminders(make_user):
    coordinator = _user_with_email(make_user, "coordinator")
    make_family(start=date(2026, 7, 1), name="Nowakowie", case_number="AR/2026/77")  # no assistant
    create_reminders(at(date(2026, 7, 20)))  # + the ministry report due 31 July
    return coordinator


def test_one_digest_per_person_with_every_reminder_and_no_personal_data(make_user, smtp):
    other = _user_with_email(make_user, "coordinator")
    coordinator = _setup_two_reminders(make_user)
    result = send_digests(at(date(2026, 7, 20)))
    assert result == {"sent": 2, "failed": 0}
    assert sorted(rcpt[0] for rcpt, _m in smtp.messages) == sorted([coordinator.email, other.email])
    rcpt, msg = next(m for m in smtp.messages if m[0] == [coordinator.email])
    body = msg.get_content()
    assert msg["From"] == "casework@example.org"
    assert "Sprawozdanie półroczne dla ministra" in body and "Dzień dobry" in body
    assert msg["Subject"] == "casework: 2 przypomnienia"
    assert "https://casework.example.org/reminders/" in body
    assert "Nowakowie" not in body and "AR/2026/77" not in body and "Nowakowie" not in msg["Subject"]
    assert all(r.emailed_at is not None for r in db.session.scalars(select(Reminder)))


def test_running_the_digest_twice_sends_once(make_user, smtp):
    _setup_two_reminders(make_user)
    send_digests(at(date(2026, 7, 20)))
    send_digests(at(date(2026, 7, 20), 9))
    create_reminders(at(date(2026, 7, 20), 10))
    run_job("send_digests", at(date(2026, 7, 20), 11))
    assert len(smtp.messages) == 1


def test_new_reminders_come_in_the_next_days_digest(make_user, smtp):
    coordinator = _setup_two_reminders(make_user)
    send_digests(at(date(2026, 7, 20)))
    make_family(start=date(2026, 7, 20))
    create_reminders(at(date(2026, 7, 20), 12))
    send_digests(at(date(2026, 7, 20), 13))
    assert len(smtp.messages) == 1
    send_digests(at(date(2026, 7, 21)))
    assert [m[0] for m in smtp.messages] == [[coordinator.email], [coordinator.email]]
    assert "- " in smtp.messages[1][1].get_content()


def test_opt_out_sends_nothing_but_keeps_the_reminders_in_the_app(make_user, smtp, client):
    from tests.conftest import login

    coordinator = _setup_two_reminders(make_user)
    login(client, coordinator)
    response = client.post("/reminders/preferences", data={})
    assert response.status_code == 302
    assert db.session.get(UserPreference, coordinator.id).email_digest_opt_out is True
    send_digests(at(date(2026, 7, 20)))
    assert smtp.messages == []
    assert "Sprawozdanie półroczne" in client.get("/reminders/").get_data(as_text=True)
    client.post("/reminders/preferences", data={"email_digest": "y"})
    send_digests(at(date(2026, 7, 21)))
    assert len(smtp.messages) == 1


def test_users_without_email_or_deactivated_get_no_mail(make_user, smtp):
    make_user("coordinator")  # no e-mail
    _user_with_email(make_user, "coordinator", active=False)
    make_family(start=date(2026, 7, 1))
    create_reminders(at(date(2026, 7, 20)))
    assert send_digests(at(date(2026, 7, 20)))["sent"] == 0
    assert smtp.messages == []


def test_blue_card_reminders_carry_no_content(make_user, smtp):
    user = _user_with_email(make_user, "zi_member")

    @reminder_rule("blue_card_test", "Blue card: a deadline of a procedure", sensitive=True)
    def blue(today, lead_days):
        return [Candidate("blue_card_procedure", 5, date(2026, 7, 25), (user.id,),
                          "NK/2026/5 Przemoc domowa Jan Kowalski")]

    try:
        create_reminders(at(date(2026, 7, 20)))
        send_digests(at(date(2026, 7, 20)))
    finally:
        RULES.pop("blue_card_test")
    (_rcpt, msg), = smtp.messages
    text = msg.get_content() + msg["Subject"]
    assert "Kowalski" not in text and "NK/2026/5" not in text and "Przemoc" not in text
    assert "2026-07-25" in text and "/reminders/" in text


def test_smtp_down_then_up_queued_and_delivered_once(make_user, smtp, app):
    from tests.reminders.helpers import free_port

    coordinator = _setup_two_reminders(make_user)
    real_port = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = free_port()  # nothing listens there: connection refused
    result = send_digests(at(date(2026, 7, 20), 7))
    assert result == {"sent": 0, "failed": 1}
    pref = db.session.get(UserPreference, coordinator.id)
    assert pref.digest_failures == 1 and pref.last_digest_on is None
    assert all(r.emailed_at is None for r in db.session.scalars(select(Reminder)))
    app.config["MAIL_PORT"] = real_port
    assert send_digests(at(date(2026, 7, 20), 7))["sent"] == 0  # backoff: not yet
    assert send_digests(at(date(2026, 7, 20), 8))["sent"] == 1
    assert send_digests(at(date(2026, 7, 20), 9))["sent"] == 0
    assert len(smtp.messages) == 1
    db.session.expire_all()
    assert db.session.get(UserPreference, coordinator.id).digest_failures == 0


def test_two_schedulers_at_once_send_one_email(make_user, smtp, app):
    """Two threads (each with its own app context and database connection) run both jobs at the same moment."""
    _setup_two_reminders(make_user)
    for i in range(3):
        _user_with_email(make_user, "coordinator")
    db.session.execute(Reminder.__table__.delete())
    db.session.commit()
    now = at(date(2026, 7, 20))
    barrier = threading.Barrier(2)
    errors = []

    def scheduler():
        try:
            with app.app_context():
                barrier.wait()
                run_job("create_reminders", now)
                run_job("send_digests", now)
                db.session.remove()
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    recipients = sorted(r[0][0] for r in smtp.messages)
    assert len(recipients) == 4 and len(set(recipients)) == 4
    rows = list(db.session.scalars(select(Reminder)))
    assert len(rows) == 8  # (ministry report + unassigned period) x 4 coordinators, each once
    assert all(r.emailed_at is not None for r in rows)
