"""This domain's sections of the RODO person-data export (contract: casework.core.privacy)."""
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from casework.bluecard import access, services
from casework.bluecard.models import Procedure, ProcedurePerson
from casework.bluecard.views import ROLE_LABELS
from casework.core.privacy import label, person_source
from casework.extensions import db


@person_source("blue_card", "Procedura „Niebieskie Karty”", order=90)
def blue_card(person, user):
    """Only the procedures `user` may read, each read audited; None (no section at all) when there is none, so the
    document says nothing about whether a procedure exists."""
    # by member records only: matching by name could hand someone else's procedure to a namesake
    procedures = db.session.scalars(select(Procedure).where(Procedure.id.in_(
        select(ProcedurePerson.procedure_id).where(ProcedurePerson.member_id.in_(person.member_ids))))
        .options(selectinload(Procedure.group)).order_by(Procedure.id)).all()
    readable = {p.number: p for p in procedures if access.can_read(user, p)}
    if not readable:
        return None
    for procedure in readable.values():
        access.audit_read(procedure, user, via="person_data_export")
    # the whereabouts rule looks at every procedure of the person, readable or not
    return [{"procedura": entry["procedure"], "rola": label(ROLE_LABELS, entry["role"]), "nka": entry["nka_date"],
             "zakonczona": entry["closed_on"], "dane": entry["own_data"],
             "posiedzenia": entry.get("meetings"), "plan_pomocy": entry.get("help_plan")}
            for entry in services.subject_access(member_ids=person.member_ids) if entry["procedure"] in readable]
