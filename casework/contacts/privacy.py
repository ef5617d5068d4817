"""This domain's sections of the RODO person-data export (contract: casework.core.privacy)."""
from sqlalchemy import select

from casework.contacts.models import Institution, InstitutionContact, TeamMeeting
from casework.core.privacy import person_source
from casework.extensions import db


@person_source("contacts", "Kontakty z instytucjami i posiedzenia zespołu", order=60)
def contacts(person, _user):
    out = [{"data": c.contact_date, "instytucja": name, "temat": c.subject} for c, name in db.session.execute(
        select(InstitutionContact, Institution.name).join(Institution).where(
            InstitutionContact.family_id.in_(person.family_ids), InstitutionContact.archived_at.is_(None))
        .order_by(InstitutionContact.contact_date))]
    out += [{"data": t.meeting_date, "posiedzenie_zespolu": t.participants, "ustalenia": t.decisions}
            for t in db.session.scalars(select(TeamMeeting).where(TeamMeeting.family_id.in_(person.family_ids),
                                                                  TeamMeeting.archived_at.is_(None)))]
    return out
