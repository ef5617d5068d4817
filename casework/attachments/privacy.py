"""This domain's section of the RODO person-data export (contract: casework.core.privacy): the documents kept in the
person's families that concern them — attached to their own member record, or to the family as a whole or one of
its records (not those attached to another member: a sibling's medical certificate is the sibling's). The list
names each document and the archive carries the file itself (under pliki/; the export's audit entry counts them). Niebieska Karta documents stay inside the compartment's own section."""
from sqlalchemy import or_, select

from casework.attachments.models import Attachment
from casework.attachments import storage
from casework.core.privacy import FILE, person_source
from casework.extensions import db
from casework.families.models import Family


@person_source("attachments", "Dokumenty w aktach rodziny", order=75)
def attachments(person, _user):
    rows = db.session.execute(
        select(Attachment, Family.case_number).join(Family, Family.id == Attachment.family_id)
        .where(Attachment.family_id.in_(person.family_ids), Attachment.archived_at.is_(None),
               or_(Attachment.member_id.is_(None), Attachment.member_id.in_(person.member_ids)))
        .order_by(Attachment.document_date, Attachment.id)).all()
    return [{"rodzina": case, "tytul": a.title, "rodzaj": a.kind.label_pl, "data_dokumentu": a.document_date,
             "znak": a.register_number, "dotyczy": "osoby" if a.member_id else "rodziny", "plik": a.file_name,
             "rozmiar_bajtow": a.size_bytes, "sha256": a.sha256, FILE: _reader(a)} for a, case in rows]


def _reader(row):
    """The file's bytes for the archive (None when the file is missing from storage)."""
    def read():
        try:
            with open(storage.path_of(row.storage_name), "rb") as handle:
                content = handle.read()
        except (OSError, ValueError):
            return None
        return content
    return read
