"""The board, the feed and the reminders of the converted kinds read one deadline function per domain
(casework/<domain>/deadlines.py, contract in casework.core.deadlines): a deadline a domain yields reaches all of
them, so the two can no longer disagree."""
from datetime import date, timedelta

from casework.core import deadlines as core_deadlines
from casework.core.deadlines import Deadline
from casework.core.reminders import all_rules
from casework.deadlines import services


def test_every_domain_deadline_module_is_discovered():
    names = {f.__module__ for f in core_deadlines.sources()}
    assert names >= {"casework.assessments.deadlines", "casework.families.deadlines", "casework.opinions.deadlines",
                     "casework.plans.deadlines", "casework.visits.deadlines"}


def test_a_deadline_yielded_once_reaches_the_board_and_the_reminder(monkeypatch, make_user):
    from casework.opinions import deadlines as opinion_deadlines
    from casework.opinions import reminder_rules

    coordinator = make_user("coordinator")
    today = date(2026, 10, 14)
    due = Deadline("court_opinion", today + timedelta(days=3), "Opinia", 41, "AR/1/2026", "opinions.form",
                   (("opinion_id", 5),), record_type="court_opinion", record_id=5)

    def only_this(family_ids, today):
        yield due

    monkeypatch.setattr(opinion_deadlines, "deadlines", only_this)
    monkeypatch.setattr(reminder_rules, "opinion_deadlines", only_this)
    monkeypatch.setattr(core_deadlines, "_sources", [only_this])
    assert services.collect(None, today, include_caseload=True) == [due]
    [candidate] = all_rules()["court_opinion_due"].candidates(today)
    assert (candidate.record_type, candidate.record_id, candidate.due_date, candidate.subject) == \
        ("court_opinion", 5, due.due, "AR/1/2026")
    assert candidate.recipient_ids == (coordinator.id,)  # a family with no assistant: the coordinators
    # beyond the lead days: on the board (30-day horizon), no reminder yet
    far = Deadline("court_opinion", today + timedelta(days=20), "Opinia", 41, "AR/1/2026", record_type="court_opinion",
                   record_id=5)
    monkeypatch.setattr(core_deadlines, "_sources", [lambda f, t: [far]])
    monkeypatch.setattr(reminder_rules, "opinion_deadlines", lambda f, t: [far])
    assert services.collect(None, today, include_caseload=True) == [far]
    assert list(all_rules()["court_opinion_due"].candidates(today)) == []
