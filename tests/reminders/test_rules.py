"""Each rule fires on the right day and not before; a job run twice creates each reminder once; catch-up."""
from datetime import date, timedelta

from sqlalchemy import func, select

from casework.core.settings import set_setting
from casework.extensions import db
from casework.reminders.models import Reminder
from casework.core.reminders import all_rules
from casework.scheduler.jobs import create_reminders
from tests.reminders.helpers import at, make_family


def reminders(rule=None):
    stmt = select(Reminder).order_by(Reminder.id)
    if rule:
        stmt = stmt.where(Reminder.rule == rule)
    return list(db.session.scalars(stmt))


def test_rules_are_discovered_from_domain_modules(app):
    rules = all_rules()
    with app.test_request_context():
        for code in ("monitoring_ending", "caseload_cap", "period_without_assistant", "ministry_report",
                     "council_report"):
            assert code in rules
            assert str(rules[code].label)


def test_monitoring_ending_fires_lead_days_before_and_not_earlier(make_user):
    assistant = make_user("assistant")
    _f, period = make_family(start=date(2025, 1, 1), end=date(2026, 3, 31), monitoring_until=date(2026, 6, 30),
                             assistant=assistant, assigned_to=date(2026, 3, 31))
    create_reminders(at(date(2026, 6, 15)))  # 15 days before: lead time 14 days
    assert reminders("monitoring_ending") == []
    create_reminders(at(date(2026, 6, 16)))
    (r,) = reminders("monitoring_ending")
    assert (r.recipient_id, r.record_type, r.record_id, r.due_date) == (
        assistant.id, "support_period", period.id, date(2026, 6, 30))
    create_reminders(at(date(2026, 6, 17)))
    assert len(reminders("monitoring_ending")) == 1


def test_lead_time_is_a_setting(make_user):
    assistant = make_user("assistant")
    make_family(start=date(2025, 1, 1), end=date(2026, 3, 31), monitoring_until=date(2026, 6, 30),
                assistant=assistant, assigned_to=date(2026, 3, 31))
    set_setting("monitoring_ending_lead_days", 30)
    db.session.commit()
    create_reminders(at(date(2026, 5, 31)))
    assert len(reminders("monitoring_ending")) == 1


def test_caseload_cap_reminds_coordinators_once_per_new_family(make_user):
    coordinator = make_user("coordinator")
    assistant = make_user("assistant", full_name="Anna Asystentka")
    set_setting("caseload_cap", 3)
    db.session.commit()
    for i in range(2):
        make_family(start=date(2026, 1, 1 + i), assistant=assistant)
    create_reminders(at(date(2026, 2, 1)))
    assert reminders("caseload_cap") == []
    make_family(start=date(2026, 2, 1), assistant=assistant)
    create_reminders(at(date(2026, 2, 2)))
    create_reminders(at(date(2026, 2, 3)))
    (r,) = reminders("caseload_cap")
    assert (r.recipient_id, r.record_id, r.due_date) == (coordinator.id, assistant.id, date(2026, 2, 1))
    assert "Anna Asystentka (3)" == r.subject


def test_period_without_assistant_reminds_coordinators(make_user):
    coordinator = make_user("coordinator")
    assistant = make_user("assistant")
    _f, unassigned = make_family(start=date(2026, 3, 1))
    make_family(start=date(2026, 3, 1), assistant=assistant)
    _f, left = make_family(start=date(2026, 1, 1), assistant=assistant, assigned_to=date(2026, 3, 9))
    create_reminders(at(date(2026, 3, 10)))
    got = {(r.record_id, r.due_date, r.recipient_id) for r in reminders("period_without_assistant")}
    assert got == {(unassigned.id, date(2026, 3, 1), coordinator.id), (left.id, date(2026, 3, 10), coordinator.id)}


def test_ministry_report_cutoffs_and_due_dates(make_user):
    coordinator = make_user("coordinator")
    make_user("assistant")
    create_reminders(at(date(2026, 7, 16)))  # 15 days before 31 July
    assert reminders("ministry_report") == []
    create_reminders(at(date(2026, 7, 17)))
    (r,) = reminders("ministry_report")
    assert (r.due_date, r.subject, r.recipient_id, r.record_type) == (date(2026, 7, 31), "2026-H1", coordinator.id,
                                                                       "calendar")
    create_reminders(at(date(2027, 1, 17)))
    assert [(r.due_date, r.subject) for r in reminders("ministry_report")] == [
        (date(2026, 7, 31), "2026-H1"), (date(2027, 1, 31), "2026-H2")]


def test_council_report_due_31_march(make_user):
    make_user("coordinator")
    create_reminders(at(date(2027, 2, 28)))
    assert reminders("council_report") == []
    create_reminders(at(date(2027, 3, 1)))  # 30 days before
    (r,) = reminders("council_report")
    assert (r.due_date, r.subject) == (date(2027, 3, 31), "2026")


def test_catch_up_after_three_days_of_downtime(make_user):
    """The scheduler ran on 14 July, was down until 18 July: the reminder due on 17 July is created then, once."""
    make_user("coordinator")
    assistant = make_user("assistant")
    make_family(start=date(2025, 1, 1), end=date(2026, 5, 31), monitoring_until=date(2026, 7, 31),
                assistant=assistant, assigned_to=date(2026, 5, 31))
    create_reminders(at(date(2026, 7, 14)))
    assert reminders() == []
    create_reminders(at(date(2026, 7, 18)))
    create_reminders(at(date(2026, 7, 18), 9))
    assert sorted(r.rule for r in reminders()) == ["ministry_report", "monitoring_ending"]


def test_inactive_coordinators_get_nothing(make_user):
    make_user("coordinator", active=False)
    create_reminders(at(date(2026, 7, 20)))
    assert db.session.scalar(select(func.count(Reminder.id))) == 0


def test_a_new_domain_rule_needs_no_change_to_the_mechanism(make_user):
    from casework.core.reminders import RULES, Candidate, reminder_rule

    user = make_user("assistant")

    @reminder_rule("test_rule", "Test rule", default_lead_days=2)  # a lead_setting must be declared in core.settings
    def test_rule(today, lead_days):
        due = date(2026, 5, 10)
        return [Candidate("thing", 7, due, (user.id,))] if due - timedelta(days=lead_days) <= today else []

    try:
        create_reminders(at(date(2026, 5, 7)))
        assert reminders("test_rule") == []
        create_reminders(at(date(2026, 5, 8)))
        create_reminders(at(date(2026, 5, 8)))
        assert len(reminders("test_rule")) == 1
    finally:
        RULES.pop("test_rule")
