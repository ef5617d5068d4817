"""NK-A…NK-D as documents filled from the procedure's data, laid out as the regulation's annexes (Dz.U. 2023
poz. 1870); each download an audited read, 404 outside the compartment (the matrix: test_access_matrix.py)."""
import io
from datetime import date

from docx import Document
from sqlalchemy import select

from casework.bluecard import services
from casework.core.audit import AuditEvent
from casework.extensions import db
from tests.bluecard.test_bluecard import TODAY, compartment  # noqa: F401 - fixture
from tests.conftest import login
from tests.families.conftest import make_family  # noqa: F401 - fixture


def _text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_each_form_is_filled_from_the_procedure(app, compartment):  # noqa: F811
    procedure, _family, _users = compartment
    anna = next(p for p in procedure.persons if p.first_name == "Anna")
    marek = next(p for p in procedure.persons if p.first_name == "Marek")
    services.record_nkb(procedure, {"handed_on": date(2026, 4, 28), "recipient": "Anna Nowak",
                                    "recipient_role": "affected"}, actor=None, today=TODAY)
    services.add_meeting(procedure, {"meeting_date": date(2026, 5, 8)}, [{"form": "NK-C", "person_id": anna.id}],
                         actor=None, today=TODAY)
    services.add_help_action(procedure, anna.id, {"action": "Konsultacja prawna", "responsible": "PCPR"}, actor=None)
    services.add_step(procedure, "notification", date(2026, 5, 6), {"authority": "police", "file_number": "RSD-77/26"},
                      actor=None, today=TODAY)
    services.add_step(procedure, "summons", date(2026, 5, 11), {"person_id": str(marek.id), "attended": "yes"},
                      actor=None, today=TODAY)
    db.session.commit()
    client = app.test_client()
    login(client, "grupa")
    nka = _text(client.get(f"/blue-card/{procedure.id}/forms/NK-A").data)
    for text in ("„NIEBIESKA KARTA – A”", "Załącznik nr 1", procedure.number, "Anna Nowak", "Marek Nowak",
                 "☒ przemoc psychiczna", "☐ przemoc fizyczna", "przekazano dnia 2026-04-28", "RSD-77/26"):
        assert text in nka, text
    nkb = _text(client.get(f"/blue-card/{procedure.id}/forms/NK-B").data)
    assert "Załącznik nr 2" in nkb and "Informacja dla osoby doznającej przemocy domowej" in nkb
    nkc = _text(client.get(f"/blue-card/{procedure.id}/forms/NK-C?person_id={anna.id}").data)
    assert "Załącznik nr 3" in nkc and "2026-05-08" in nkc and "Konsultacja prawna" in nkc and "Marek" not in nkc
    nkd = _text(client.get(f"/blue-card/{procedure.id}/forms/NK-D?person_id={marek.id}").data)
    assert "Załącznik nr 4" in nkd and "stawił(a) się" in nkd
    # NK-D is never about an affected person (their address never lands in it), NK-C never about the suspected
    assert client.get(f"/blue-card/{procedure.id}/forms/NK-D?person_id={anna.id}").status_code == 404
    assert client.get(f"/blue-card/{procedure.id}/forms/NK-C?person_id={marek.id}").status_code == 404
    assert client.get(f"/blue-card/{procedure.id}/forms/NK-E").status_code == 404
    printed = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "bluecard_form_printed")).all()
    assert len(printed) == 4
