"""This domain's sections of the RODO person-data export (contract: casework.core.privacy)."""
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from casework.core.privacy import label, person_source
from casework.extensions import db
from casework.fostercare.models import FosterChild
from casework.fostercare.views import END_LABELS, FORM_LABELS


@person_source("foster_care", "Piecza zastępcza", order=80)
def foster_care(person, _user):
    out = []
    for child in db.session.scalars(select(FosterChild).where(FosterChild.member_id.in_(person.member_ids))
                                    .options(selectinload(FosterChild.placements))):
        for p in child.placements:
            out.append({"forma": label(FORM_LABELS, p.form), "od": p.start_date, "do": p.end_date,
                        "powod_zakonczenia": label(END_LABELS, p.end_reason),
                        "powiat": p.county, "sad": p.court})
    return out
