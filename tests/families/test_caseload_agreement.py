"""One definition of "active caseload": the assignment refusal, the caseload page, the coordinators' reminder and
access agree on every state of a family (registered, active, monitoring, ended, re-opened, archived, restored)."""
from datetime import date, timedelta

from casework.core import dictionaries
from casework.core.settings import set_setting
from casework.core.timeutil import today_local
from casework.extensions import db
from casework.families import queries, rules, services
from casework.families.access import can_view_family
from casework.families.reminder_rules import caseload_cap as caseload_reminder


def consumers(assistant, family, day: date) -> dict:
    """What each consumer says of `assistant` and `family` on `day` (the cap is 1)."""
    spans = [(f, s, e) for _a, _p, f, s, e in rules.caseload_spans_from_db(assistant.id)]
    refused = bool(rules.assignment_problems(assistant, family_key=-1, period_start=day, period_end=day, start=day,
                                             other_spans=spans))
    page = {user.id: n for user, n in db.session.execute(queries.caseloads(day)).all()}[assistant.id]
    reminded = any(c.record_id == assistant.id for c in caseload_reminder(day, 0))
    mine = [f.id for f in db.session.scalars(queries.my_families_query(assistant, day))]
    return {"refusal counts it": refused, "caseload page": page, "reminder": reminded,
            "access": can_view_family(assistant, family, today=day), "my families": mine == [family.id],
            "active_caseload": rules.active_caseload(assistant.id, day)}


def agree(assistant, family, day, counted: bool):
    expected = {"refusal counts it": counted, "caseload page": int(counted), "reminder": counted,
                "access": counted, "my families": counted, "active_caseload": int(counted)}
    assert consumers(assistant, family, day) == expected


def test_every_consumer_agrees_on_every_family_state(make_user):
    set_setting("caseload_cap", 1)
    db.session.commit()
    assistant = make_user("assistant")
    today = today_local()
    family = services.register_family({"case_number": "S/1", "name": "Stanowi", "area": "urban"}, actor=None)
    agree(assistant, family, today, False)  # registered, no support period

    first = services.start_support_period(family, {"basis": "referral", "referral_date": today - timedelta(days=210),
                                                   "start_date": today - timedelta(days=200)}, actor=None)
    services.assign_assistant(first, assistant, first.start_date, actor=None)
    assert services.family_status(family, today) == "active"
    agree(assistant, family, today, True)
    agree(assistant, family, today - timedelta(days=201), False)  # the day before it started

    services.end_support_period(first, today - timedelta(days=10), dictionaries.by_code("end_reason",
                                                                                       "goals_achieved").id,
                                None, today + timedelta(days=60), actor=None)
    assert services.family_status(family, today) == "monitoring"
    agree(assistant, family, today, False)
    agree(assistant, family, today - timedelta(days=10), True)  # its last day still counts
    assert services.family_status(family, today + timedelta(days=90)) == "closed"
    agree(assistant, family, today + timedelta(days=90), False)

    second = services.start_support_period(family, {"basis": "referral", "referral_date": today - timedelta(days=6),
                                                    "start_date": today - timedelta(days=5)}, actor=None)
    services.assign_assistant(second, assistant, second.start_date, actor=None)
    assert services.family_status(family, today) == "active"  # re-opened
    agree(assistant, family, today, True)

    services.archive(family, "wpisana dwukrotnie", actor=None)
    agree(assistant, family, today, False)
    agree(assistant, family, today - timedelta(days=100), False)  # archived counts on no day, not even past ones

    services.restore(family, actor=None)
    agree(assistant, family, today, True)


def test_a_waiting_period_counts_from_its_first_day(make_user):
    set_setting("caseload_cap", 1)
    assistant = make_user("assistant")
    today = today_local()
    family = services.register_family({"case_number": "S/2", "name": "Czekający", "area": "rural"}, actor=None)
    period = services.start_support_period(family, {"basis": "referral", "referral_date": today,
                                                    "start_date": today + timedelta(days=7)}, actor=None)
    services.assign_assistant(period, assistant, period.start_date, actor=None)
    assert services.family_status(family, today) == "waiting"
    agree(assistant, family, today, False)
    agree(assistant, family, today + timedelta(days=7), True)
