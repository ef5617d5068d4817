"""The caseload cap on every day of an assignment's span, and the functions the data-quality report calls for
records stored before the rules (nothing is changed by them)."""
from datetime import date, timedelta

import pytest

from casework.core import dictionaries
from casework.core.pesel import encode
from casework.core.settings import set_setting
from casework.core.timeutil import today_local
from casework.extensions import db
from casework.families import rules, services
from casework.families.models import AssistantAssignment, Family, FamilyMember, SupportPeriod
from casework.families.services import FamilyRuleError


def _family(name, start, end=None):
    family = services.register_family({"case_number": f"C/{name}", "name": name, "area": "urban"}, actor=None)
    period = services.start_support_period(family, {"basis": "referral", "referral_date": start,
                                                    "start_date": start}, actor=None)
    if end is not None:
        services.end_support_period(period, end, dictionaries.by_code("end_reason", "goals_achieved").id, None,
                                    None, actor=None)
    return family, period


def test_a_backdated_assignment_is_refused_when_any_day_of_it_breaks_the_cap(make_user):
    set_setting("caseload_cap", 2)
    assistant = make_user("assistant", full_name="Beata Pełna")
    today = today_local()
    for name in ("A", "B"):  # at the cap from a year ago until today
        _family_a, period = _family(name, today - timedelta(days=365))
        services.assign_assistant(period, assistant, period.start_date, actor=None)
    _family_c, old = _family("C", today - timedelta(days=730))  # open since two years ago
    with pytest.raises(FamilyRuleError, match=f"W dniu {(today - timedelta(days=365)).isoformat()} Beata Pełna"):
        services.assign_assistant(old, assistant, old.start_date, actor=None)
    assert db.session.query(AssistantAssignment).filter_by(support_period_id=old.id).count() == 0


def test_a_backdated_assignment_that_ended_before_the_others_began_is_accepted(make_user):
    set_setting("caseload_cap", 2)
    assistant = make_user("assistant")
    today = today_local()
    for name in ("A", "B"):
        _f, period = _family(name, today - timedelta(days=365))
        services.assign_assistant(period, assistant, period.start_date, actor=None)
    _f, past = _family("C", today - timedelta(days=730), end=today - timedelta(days=400))
    assignment = services.assign_assistant(past, assistant, past.start_date, actor=None)
    assert assignment.start_date == past.start_date


def _raw_period(family, start, end=None):
    period = SupportPeriod(family_id=family.id, basis="referral", referral_date=start, start_date=start,
                           end_date=end)
    db.session.add(period)
    db.session.flush()
    return period


def test_overlapping_periods_and_caseloads_over_the_cap_as_stored(make_user):
    """Rows written before the rules (or by an old import): found, listed, left as they are."""
    set_setting("caseload_cap", 1)
    assistant = make_user("assistant")
    first = Family(case_number="Q/1", name="Pierwsi")
    second = Family(case_number="Q/2", name="Drudzy")
    archived = Family(case_number="Q/3", name="Zarchiwizowani", archived_at=db.func.now(), archived_reason="x")
    db.session.add_all([first, second, archived])
    db.session.flush()
    a = _raw_period(first, date(2024, 1, 1))
    b = _raw_period(first, date(2024, 6, 1), date(2024, 8, 31))  # inside the open one
    c = _raw_period(second, date(2024, 3, 1), date(2024, 4, 30))
    d = _raw_period(archived, date(2024, 1, 1))
    for period, family in ((a, first), (c, second), (d, archived)):
        db.session.add(AssistantAssignment(support_period_id=period.id, family_id=family.id,
                                           assistant_id=assistant.id, start_date=period.start_date))
    db.session.commit()

    assert rules.overlapping_periods() == [(first.id, a.id, b.id)]
    over = rules.assistants_over_cap(date(2024, 1, 1), date(2024, 12, 31))
    # two families from 1 March to 30 April (the archived family never counts), then back at the cap
    assert over == [(assistant.id, date(2024, 3, 1), 2, sorted([first.id, second.id]))]
    assert rules.assistants_over_cap(date(2024, 5, 1), date(2024, 12, 31)) == []
    assert db.session.get(SupportPeriod, b.id).end_date == date(2024, 8, 31)  # nothing changed


def test_member_findings_list_implausible_pesels_and_birth_dates(make_user):
    family = Family(case_number="Q/9", name="Stare dane")
    db.session.add(family)
    db.session.flush()
    old = FamilyMember(family_id=family.id, first_name="Jan", last_name="Stary", relation="child",
                       pesel=encode(date(1819, 5, 1), 1))
    grown = FamilyMember(family_id=family.id, first_name="Ewa", last_name="Dorosła", relation="child",
                         birth_date=date(1970, 1, 1))
    fine = FamilyMember(family_id=family.id, first_name="Ola", last_name="Dobra", relation="child",
                        pesel=encode(date(2015, 1, 1), 2), birth_date=date(2015, 1, 1))
    db.session.add_all([old, grown, fine])
    db.session.commit()
    found = {member_id: messages for member_id, _family_id, messages in rules.member_findings()}
    assert set(found) == {old.id, grown.id}
    assert "ponad 120 lat" in found[old.id][0]
    assert "nie może mieć więcej niż 25" in found[grown.id][0]


@pytest.mark.parametrize("spans, start, end, expected", [
    ([], date(2024, 1, 1), None, None),
    ([(1, date(2024, 1, 1), date(2024, 1, 31))], date(2024, 2, 1), None, None),  # ended the day before
    ([(1, date(2024, 1, 1), date(2024, 1, 31))], date(2024, 1, 31), None, (date(2024, 1, 31), {1})),  # last day
    ([(1, date(2024, 3, 1), None)], date(2024, 1, 1), date(2024, 2, 29), None),  # starts after the span
    ([(1, date(2024, 3, 1), None)], date(2024, 1, 1), None, (date(2024, 3, 1), {1})),  # open span: checked on
    ([(1, date(2024, 1, 1), date(2024, 1, 10)), (1, date(2024, 1, 5), None)], date(2024, 1, 1), None,
     None),  # one family in two spans counts once (the cap below is 2)
])
def test_first_day_at_cap(spans, start, end, expected):
    cap = 2 if len({f for f, _s, _e in spans}) == 1 and len(spans) == 2 else 1
    assert rules.first_day_at_cap(spans, start, end, cap) == expected
