"""This domain's sections of the RODO person-data export (contract: casework.core.privacy)."""
from sqlalchemy import select

from casework.core.privacy import label, person_source
from casework.extensions import db
from casework.visits.forms import FORM_LABELS
from casework.visits.models import Visit


@person_source("visits", "Wizyty asystenta w rodzinie", order=30)
def visits(person, _user):
    rows = db.session.scalars(select(Visit).where(Visit.family_id.in_(person.family_ids),
                                                  Visit.archived_at.is_(None)).order_by(Visit.visit_date))
    return [{"data": v.visit_date, "czas_min": v.duration_minutes, "forma": label(FORM_LABELS, v.form), "co_zrobiono": v.activities,
             "ustalenia": v.agreed_next} for v in rows]
