"""The reminders page: counter in the header, list, done, snooze, only one's own reminders, constant queries."""
from datetime import date

import pytest

from casework.extensions import db
from casework.reminders.models import Reminder


def _add(user, n, *, due=date(2026, 7, 31), rule="ministry_report", start_id=1):
    for i in range(n):
        db.session.add(Reminder(rule=rule, record_type="calendar", record_id=start_id + i, due_date=due,
                                recipient_id=user.id, subject=f"S{i}"))
    db.session.commit()


@pytest.fixture
def today(monkeypatch):
    day = date(2026, 7, 20)
    monkeypatch.setattr("casework.reminders.views.today_local", lambda: day)
    return day


def test_anonymous_goes_to_login(client):
    assert client.get("/reminders/").status_code == 302


def test_header_counter_and_empty_list(client, login_as, today):
    user = login_as("assistant")
    html = client.get("/reminders/").get_data(as_text=True)
    assert "badge-count" not in html
    _add(user, 3)
    html = client.get("/reminders/").get_data(as_text=True)
    assert '<span class="badge-count">3</span>' in html
    assert html.count('name="until"') == 3


def test_done_and_snooze(client, login_as, today):
    user = login_as("coordinator")
    _add(user, 2)
    first, second = db.session.query(Reminder).order_by(Reminder.id).all()
    response = client.post(f"/reminders/{first.id}/done", follow_redirects=True)
    assert response.status_code == 200
    assert '<span class="badge-count">1</span>' in response.get_data(as_text=True)
    response = client.post(f"/reminders/{second.id}/snooze", data={"until": "2026-07-25"}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "badge-count" not in html
    db.session.expire_all()
    assert db.session.get(Reminder, second.id).snoozed_until == date(2026, 7, 25)
    assert db.session.get(Reminder, first.id).done_at is not None
    snoozed = client.get("/reminders/?show=snoozed").get_data(as_text=True)
    assert "2026-07-25" in snoozed


def test_snooze_into_the_past_is_refused(client, login_as, today):
    user = login_as("assistant")
    _add(user, 1)
    r = db.session.query(Reminder).one()
    html = client.post(f"/reminders/{r.id}/snooze", data={"until": "2026-07-20"},
                       follow_redirects=True).get_data(as_text=True)
    assert "Wybierz datę późniejszą niż dzisiejsza." in html
    html = client.post(f"/reminders/{r.id}/snooze", data={"until": ""}, follow_redirects=True).get_data(as_text=True)
    assert "Wpisz datę, kiedy przypomnieć ponownie." in html
    db.session.expire_all()
    assert db.session.get(Reminder, r.id).snoozed_until is None


def test_snoozed_reminder_comes_back_on_its_day(client, login_as, monkeypatch):
    user = login_as("assistant")
    _add(user, 1)
    r = db.session.query(Reminder).one()
    r.snoozed_until = date(2026, 7, 25)
    db.session.commit()
    monkeypatch.setattr("casework.reminders.views.today_local", lambda: date(2026, 7, 24))
    assert "badge-count" not in client.get("/reminders/").get_data(as_text=True)
    monkeypatch.setattr("casework.reminders.views.today_local", lambda: date(2026, 7, 25))
    assert '<span class="badge-count">1</span>' in client.get("/reminders/").get_data(as_text=True)


def test_someone_elses_reminder_is_404(client, login_as, make_user, today):
    other = make_user("assistant")
    _add(other, 1)
    r = db.session.query(Reminder).one()
    login_as("coordinator")
    assert client.post(f"/reminders/{r.id}/done").status_code == 404
    assert client.post(f"/reminders/{r.id}/snooze", data={"until": "2026-08-01"}).status_code == 404
    db.session.expire_all()
    assert db.session.get(Reminder, r.id).done_at is None


def test_list_query_count_is_constant_and_paginated(client, login_as, queries, app, today):
    user = login_as("assistant")
    _add(user, 5)
    with queries() as five:
        assert client.get("/reminders/").status_code == 200
    _add(user, 25, start_id=100)
    with queries() as thirty:
        html = client.get("/reminders/").get_data(as_text=True)
    assert len(five) == len(thirty)
    old = app.config["PAGE_SIZE"]
    app.config["PAGE_SIZE"] = 10
    try:
        html = client.get("/reminders/?page=2").get_data(as_text=True)
    finally:
        app.config["PAGE_SIZE"] = old
    assert html.count('name="until"') == 10 and 'rel="next"' in html


def test_reminders_of_unknown_rules_are_not_shown(client, login_as, today):
    user = login_as("assistant")
    _add(user, 1, rule="rule_of_a_removed_domain")
    assert "badge-count" not in client.get("/reminders/").get_data(as_text=True)


def test_scheduler_status_page_for_admins_only(client, login_as, make_user):
    from casework.scheduler import lock
    from casework.scheduler.jobs import run_job

    run_job("create_reminders")
    lock.acquire("host:1:abc")
    login_as("admin")
    html = client.get("/admin/scheduler/").get_data(as_text=True)
    assert "Tworzenie przypomnień o terminach" in html and "host:1:abc" in html  # the job by its Polish name


def test_scheduler_status_page_refuses_others(client, login_as):
    login_as("coordinator")
    assert client.get("/admin/scheduler/").status_code == 403


def test_counter_is_in_the_header_of_every_page(client, login_as, today, monkeypatch):
    monkeypatch.setattr("casework.reminders.views.today_local", lambda: date(2026, 7, 20))
    user = login_as("assistant")
    _add(user, 2)
    html = client.get("/").get_data(as_text=True)
    assert 'href="/reminders/"' in html and '<span class="badge-count">2</span>' in html


def test_polish_labels_and_empty_state(client, login_as, today):
    user = login_as("coordinator")
    html = client.get("/reminders/").get_data(as_text=True)
    assert "Nic do zrobienia" in html
    _add(user, 1)
    html = client.get("/reminders/").get_data(as_text=True)
    assert "Sprawozdanie półroczne dla ministra" in html and "Odłóż" in html and "Zrobione" in html
