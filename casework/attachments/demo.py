"""Synthetic documents for the demo: a scanned consent (a small PDF) on some families, the centre's five letters
for the first family with an assistant, and a police note on the Niebieska Karta procedures the register shows first."""
from sqlalchemy import select

from casework.attachments import letters, services
from casework.attachments.models import KIND_DICTIONARY
from casework.bluecard.models import Procedure
from casework.core.dictionaries import by_code
from casework.core.timeutil import today_local
from casework.extensions import db
from casework.families.models import AssistantAssignment, Family

ORDER = 60


class _Upload:
    def __init__(self, data: bytes, filename: str):
        self.data, self.filename = data, filename

    def read(self, _limit=None):
        return self.data


def _pdf(text: str) -> bytes:
    """A one-page PDF showing `text` (ASCII), made by hand: the demo needs no PDF library."""
    stream = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def generate(users, families, rng, progress, options=None):
    if families <= 0:
        return
    today = today_local()
    coordinator = users.get("koordynator")
    consent = by_code(KIND_DICTIONARY, "consent")
    if coordinator is None or consent is None:
        return
    progress("documents")
    rows = db.session.execute(select(Family, AssistantAssignment.start_date)
                              .join(AssistantAssignment, AssistantAssignment.family_id == Family.id)
                              .where(Family.archived_at.is_(None), AssistantAssignment.end_date.is_(None))
                              .order_by(Family.id).limit(min(max(families // 10, 3), 60))).all()
    for family, start in rows:
        services.attach(family, {"kind_id": consent.id, "title": "Zgoda na współpracę z asystentem (skan)",
                                 "document_date": min(start, today)},
                        _Upload(_pdf(f"Zgoda na wspolprace z asystentem rodziny - {family.case_number}"),
                                "zgoda.pdf"), actor=coordinator, today=today)
    if rows:
        family = rows[0][0]
        extra = {"month": today, "court": "Sąd Rejonowy w Gnieźnie, III Wydział Rodzinny i Nieletnich",
                 "case_signature": "III Nsm 100/26", "content": "Uprzejmie informuję o przebiegu współpracy rodziny "
                 "z asystentem rodziny.", "addressee": "Członkowie zespołu", "meeting_date": today,
                 "meeting_time": "10:00", "meeting_place": "siedziba ośrodka, pokój 12"}
        for code in letters.LETTERS:
            letters.generate(family, code, extra, actor=coordinator, today=today)
    team = users.get("zespol")
    other = by_code(KIND_DICTIONARY, "other")
    if team is None or other is None:
        return
    # the procedures the register shows first (open ones, newest first) and the first ones recorded
    shown_first = db.session.scalars(select(Procedure).order_by(
        Procedure.closed_on.is_not(None), Procedure.nka_date.desc(), Procedure.id.desc()).limit(5)).all()
    recorded_first = db.session.scalars(select(Procedure).order_by(Procedure.id).limit(2)).all()
    for procedure in dict.fromkeys(shown_first + recorded_first):
        services.attach_to_procedure(procedure, {"kind_id": other.id, "title": "Notatka z interwencji",
                                                 "document_date": procedure.nka_date},
                                     _Upload(_pdf("Notatka z interwencji"), "notatka.pdf"), actor=team,
                                     today=today)
