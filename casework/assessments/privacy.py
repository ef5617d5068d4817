"""This domain's sections of the RODO person-data export (contract: casework.core.privacy)."""
from sqlalchemy import select

from casework.assessments.models import RECOMMENDATION_LABELS, Assessment
from casework.core.privacy import label, person_source
from casework.extensions import db


@person_source("assessments", "Okresowe oceny sytuacji rodziny", order=50)
def assessments(person, _user):
    rows = db.session.scalars(select(Assessment).where(Assessment.family_id.in_(person.family_ids),
                                                       Assessment.archived_at.is_(None))
                              .order_by(Assessment.assessment_date))
    return [{"data": a.assessment_date, "postepy": a.progress, "zmiany": a.changes, "mocne_strony": a.strengths,
             "zagrozenia": a.risks, "rekomendacja": label(RECOMMENDATION_LABELS, a.recommendation)} for a in rows]
