"""This domain's part of the work-time sheet (contract: casework.core.worktime): contacts with institutions and
team meetings the user logged, with their duration where it was given."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from casework.contacts.models import Institution, InstitutionContact, TeamMeeting
from casework.core.worktime import WorkRow, WorkSource
from casework.extensions import db
from casework.families.models import Family


def _family(number, name) -> str:
    return f"{number} {name}" if number else ""


def _contacts(user_id: int, first, last) -> list[WorkRow]:
    rows = db.session.execute(
        select(InstitutionContact.contact_date, Family.case_number, Family.name, Institution.name,
               InstitutionContact.duration_minutes)
        .join(Institution, Institution.id == InstitutionContact.institution_id)
        .outerjoin(Family, Family.id == InstitutionContact.family_id)
        .where(InstitutionContact.user_id == user_id, InstitutionContact.archived_at.is_(None),
               InstitutionContact.contact_date >= first, InstitutionContact.contact_date <= last)).all()
    return [WorkRow(day, "contacts", _family(number, name), institution, 1, minutes)
            for day, number, name, institution, minutes in rows]


def _meetings(user_id: int, first, last) -> list[WorkRow]:
    rows = db.session.execute(
        select(TeamMeeting.meeting_date, Family.case_number, Family.name, TeamMeeting.duration_minutes)
        .join(Family, Family.id == TeamMeeting.family_id)
        .where(TeamMeeting.user_id == user_id, TeamMeeting.archived_at.is_(None),
               TeamMeeting.meeting_date >= first, TeamMeeting.meeting_date <= last)).all()
    return [WorkRow(day, "team_meetings", _family(number, name), "", 1, minutes)
            for day, number, name, minutes in rows]


WORK = [WorkSource((("contacts", _l("Contacts with institutions")),), 20, _contacts),
        WorkSource((("team_meetings", _l("Team meetings")),), 30, _meetings)]
