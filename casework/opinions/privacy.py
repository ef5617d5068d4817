"""This domain's sections of the RODO person-data export (contract: casework.core.privacy)."""
from sqlalchemy import select

from casework.core.privacy import person_source
from casework.extensions import db
from casework.opinions.models import CourtOpinion


@person_source("court_opinions", "Opinie dla sądu", order=70)
def opinions(person, _user):
    rows = db.session.scalars(select(CourtOpinion).where(CourtOpinion.family_id.in_(person.family_ids),
                                                         CourtOpinion.archived_at.is_(None)))
    return [{"sad": o.court, "sygnatura": o.case_signature, "wplynelo": o.received_on, "wyslano": o.sent_on}
            for o in rows]
