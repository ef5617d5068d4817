"""The hand-counted centre of test_hand_counted, with its daily work added — visits, team meetings, assessments,
court opinions and institution contacts — and the expected value of every such code for 2024, 2025 and 2025 H1."""
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from casework.assessments.models import Assessment
from casework.contacts.models import Institution, InstitutionContact, TeamMeeting
from casework.core.dictionaries import by_code
from casework.extensions import db
from casework.families.models import Family, SupportPeriod
from casework.indicators import engine
from casework.opinions.models import CourtOpinion
from casework.visits.models import Visit
from tests.indicators.helpers import d
from tests.indicators.test_hand_counted import PERIODS, centre  # noqa: F401 - fixture

ARCHIVED = datetime(2025, 6, 1, tzinfo=timezone.utc)


@pytest.fixture
def work(centre, make_user):  # noqa: F811
    worker = make_user("assistant")
    fam = {f.name: f for f in db.session.scalars(select(Family))}
    baran, cieslak, dudek, ewa = fam["Baran"], fam["Cieślak"], fam["Dudek"], fam["Ewa"]

    def visit(family, day, minutes, **kw):
        db.session.add(Visit(family_id=family.id, assistant_id=worker.id, visit_date=d(day),
                             duration_minutes=minutes, **kw))

    # visits: 2024: 1 (1 h); 2025: 3 (1.5 + 0.75 + 0.5 h); H1: 2 (1.5 + 0.5 h); archived ones never count
    visit(baran, "2024-07-01", 60)
    visit(baran, "2025-01-10", 90)
    visit(baran, "2025-08-01", 45)
    visit(cieslak, "2025-02-01", 30)
    visit(cieslak, "2025-03-01", 60, archived_at=ARCHIVED, archived_reason="mistake")
    visit(ewa, "2025-03-01", 60)  # the family is archived
    # team meetings: 2024: 1 (new family); 2025: 2 (one about a new family, in July)
    for family, day, new in ((baran, "2024-06-20", True), (baran, "2025-03-05", False), (dudek, "2025-07-02", True)):
        db.session.add(TeamMeeting(family_id=family.id, meeting_date=d(day), participants="zespół", new_family=new,
                                   user_id=worker.id))
    # Baran's period (court order, 2024-06-15) assessed 2024-12-10 → next due 2025-06-10, never made: overdue on
    # 30 June and 31 December 2025; Dudek's period (from 2025-07-01) is due 2026-01-01: not overdue in 2025
    period = db.session.scalar(select(SupportPeriod).where(SupportPeriod.family_id == baran.id))
    db.session.add(Assessment(support_period_id=period.id, family_id=baran.id, assessment_date=d("2024-12-10"),
                              covers_from=d("2024-06-15"), covers_to=d("2024-12-10"), recommendation="continue",
                              author_id=worker.id))
    # court opinions: one sent in February 2025, one still unsent
    db.session.add(CourtOpinion(family_id=baran.id, court="SR", received_on=d("2025-02-01"), due_on=d("2025-03-01"),
                                sent_on=d("2025-02-25"), author_id=worker.id))
    db.session.add(CourtOpinion(family_id=baran.id, court="SR", received_on=d("2025-11-01"), due_on=d("2026-01-15"),
                                author_id=worker.id))
    school = Institution(name="Szkoła Podstawowa nr 1", type_id=by_code("institution_type", "school").id)
    police = Institution(name="Komisariat", type_id=by_code("institution_type", "police").id)
    db.session.add_all([school, police])
    db.session.flush()
    for inst, day, archived in ((school, "2024-05-05", None), (school, "2025-01-20", None),
                                (police, "2025-09-09", None), (police, "2025-04-04", ARCHIVED)):
        db.session.add(InstitutionContact(contact_date=d(day), institution_id=inst.id, family_id=baran.id,
                                          form="phone", user_id=worker.id, archived_at=archived,
                                          archived_reason="mistake" if archived else None))
    db.session.commit()


EXPECTED = {
    #                                    2024       2025                    2025H1
    "AR_VISITS":                        (1,         3,                      2),
    "AR_VISIT_HOURS":                   (1.0,       2.75,                   2.0),
    "AR_TEAM_MEETINGS":                 (1,         2,                      1),
    "AR_TEAM_MEETINGS_NEW_FAMILIES":    (1,         1,                      0),
    "AR_ASSESSMENTS":                   (1,         0,                      0),
    "AR_ASSESSMENTS_OVERDUE":           (0,         1,                      1),
    "AR_COURT_OPINIONS":                (0,         1,                      1),
    "CONTACTS_TOTAL":                   (1,         2,                      1),
    "CONTACTS_BY_INSTITUTION_TYPE":     ({"school": 1}, {"school": 1, "police": 1}, {"school": 1}),
}


@pytest.mark.parametrize("column", [0, 1, 2], ids=["2024", "2025", "2025H1"])
def test_every_work_code_counted_on_paper(work, column):
    values = engine.compute(PERIODS[column])
    got = {code: values[code] for code in EXPECTED}
    got["CONTACTS_BY_INSTITUTION_TYPE"] = {k: v for k, v in got["CONTACTS_BY_INSTITUTION_TYPE"].items() if v}
    assert got == {code: expected[column] for code, expected in EXPECTED.items()}


def test_drilldown_lists_exactly_what_is_counted(work):
    for period in PERIODS:
        values = engine.compute(period)
        for code in ("AR_VISITS", "AR_TEAM_MEETINGS", "AR_ASSESSMENTS_OVERDUE", "CONTACTS_TOTAL"):
            assert engine.count_records(code, period) == values[code], (code, period.label)
