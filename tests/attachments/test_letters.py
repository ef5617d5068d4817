"""The centre's letters: each one generated for a family as DOCX with the centre's identity and the register
number, kept as the family's attachment (versioned) and shown on its timeline; the monthly report counts the
month's visits by area of work; a centre's own template replaces the shipped one; a template with an unknown
placeholder is refused in Polish and nothing is stored."""
import io
from datetime import date, time

import pytest
from docx import Document
from sqlalchemy import func, select

from casework.attachments import letters
from casework.attachments.models import Attachment, LetterTemplate
from casework.core.dictionaries import by_code
from casework.core.settings import AppSetting
from casework.extensions import db
from casework.visits.models import Visit
from tests.attachments.conftest import stored
from tests.conftest import login


def _text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


@pytest.fixture
def centre():
    for key, value in (("centre.name", "Miejsko-Gminny Ośrodek Pomocy Społecznej w Przykładowie"),
                       ("centre.place", "Przykładowo"), ("centre.file_number_pattern", "MGOPS.AR.440.{n}.{year}"),
                       ("centre.head_name", "Jan Kierownik")):
        db.session.add(AppSetting(key=key, value=value))
    db.session.commit()


@pytest.fixture
def people(make_user):
    return {"agata": make_user("assistant", login="agata", full_name="Agata Asystentka"),
            "admin": make_user("admin", login="admin"), "bartosz": make_user("assistant", login="bartosz")}


@pytest.fixture
def family(people, make_family):  # noqa: F811
    family = make_family(assistant=people["agata"], name="Wiśniewscy")
    areas = {code: by_code("area_of_work", code) for code in ("parenting", "household_management")}
    for day, minutes, codes in ((date(2025, 3, 3), 90, ["parenting"]),
                                (date(2025, 3, 17), 60, ["parenting", "household_management"]),
                                (date(2025, 4, 1), 120, ["household_management"])):
        visit = Visit(family_id=family.id, assistant_id=people["agata"].id, visit_date=day,
                      duration_minutes=minutes, activities=f"Działania {day.day}")
        visit.areas = [areas[c] for c in codes]
        db.session.add(visit)
    db.session.commit()
    return family


EXTRA = {"month": date(2025, 3, 10), "court": "Sąd Rejonowy w Przykładowie", "case_signature": "III Nsm 12/25",
         "content": "Rodzina współpracuje z asystentem.", "addressee": "Pani Anna Wiśniewska",
         "meeting_date": date(2025, 4, 20), "meeting_time": "10:00", "meeting_place": "siedziba ośrodka"}


def test_every_letter_is_generated_with_the_centres_identity_and_kept_on_the_timeline(client, people, family,
                                                                                      centre, files_dir):
    made = []
    for code in letters.LETTERS:
        made.append(letters.generate(family, code, EXTRA, actor=people["agata"], today=date(2025, 4, 2)))
    db.session.commit()
    numbers = [a.register_number for a in made]
    assert numbers == [f"MGOPS.AR.440.{n}.2025" for n in range(1, 6)]
    for attachment, code in zip(made, letters.LETTERS):
        text = _text((files_dir / attachment.storage_name).read_bytes())
        assert "Miejsko-Gminny Ośrodek Pomocy Społecznej w Przykładowie" in text
        assert attachment.register_number in text and family.case_number in text, code
        assert "{{" not in text and "{%" not in text, code
        assert attachment.letter_version == 1 and attachment.kind.code == "centre_letter"
    assert "Sąd Rejonowy w Przykładowie" in _text((files_dir / made[3].storage_name).read_bytes())
    assert "20.04.2025" in _text((files_dir / made[4].storage_name).read_bytes())
    assert "Agata Asystentka" in _text((files_dir / made[1].storage_name).read_bytes())
    login(client, "agata")
    page = client.get(f"/families/{family.id}").get_data(as_text=True)
    for attachment in made:
        assert attachment.register_number in page and f"/documents/{attachment.id}" in page
    again = letters.generate(family, "consent", {}, actor=people["agata"], today=date(2025, 4, 3))
    assert again.letter_version == 2 and again.register_number == "MGOPS.AR.440.6.2025"


def test_the_monthly_report_counts_the_months_visits_by_area_of_work(people, family, files_dir):
    report = letters.generate(family, "monthly_report", {"month": date(2025, 3, 1)}, actor=people["agata"],
                              today=date(2025, 4, 2))
    text = _text((files_dir / report.storage_name).read_bytes())
    assert "marzec 2025" in text and "W miesiącu odbyło się wizyt: 2, łącznie 2,5 godz." in text
    assert "– kompetencje wychowawcze: wizyt 2, 2,5 godz." in text
    assert "– prowadzenie gospodarstwa domowego: wizyt 1, 1,0 godz." in text
    assert "Działania 3" in text and "Działania 17" in text and "Działania 1\n" not in text  # April's visit left out


def test_a_letter_is_generated_from_the_family_page(client, people, family, centre):
    login(client, "agata")
    assert "Wygeneruj pismo" in client.get(f"/families/{family.id}").get_data(as_text=True)
    form = client.get(f"/families/{family.id}/letters/new")
    assert form.status_code == 200
    response = client.post(f"/families/{family.id}/letters/new",
                           data={"letter": "meeting_invitation", "meeting_date": "2025-04-20", "meeting_time": "10:00",
                                 "meeting_place": "ośrodek", "addressee": "Pani Anna"})
    assert response.status_code == 302, response.get_data(as_text=True)
    refused = client.post(f"/families/{family.id}/letters/new", data={"letter": "meeting_invitation"})
    assert refused.status_code == 400 and "Podaj datę i miejsce spotkania" in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Attachment.id))) == 1
    other = client.application.test_client()
    login(other, "bartosz")
    assert other.get(f"/families/{family.id}/letters/new").status_code == 404


def _template_with(text: str) -> bytes:
    document = Document(io.BytesIO(letters.default_template("consent")))
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_centres_own_template_replaces_the_default(client, people, family, files_dir):
    login(client, "admin")
    assert client.get("/admin/letters").status_code == 200
    default = client.get("/admin/letters/consent/template.docx")
    assert default.status_code == 200 and "{{ centre_name }}" in _text(default.data)
    own = _template_with("Wzór ośrodka nr 7 dla {{ family_name }}")
    response = client.post("/admin/letters/consent", data={"file": (io.BytesIO(own), "zgoda.docx")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    letter = letters.generate(family, "consent", {}, actor=people["agata"], today=date(2025, 4, 2))
    db.session.commit()
    assert "Wzór ośrodka nr 7 dla Wiśniewscy" in _text((files_dir / letter.storage_name).read_bytes())
    assert client.post("/admin/letters/consent", data={"reset": "1"}).status_code == 302
    assert db.session.scalar(select(func.count(LetterTemplate.id))) == 0
    other = client.application.test_client()
    login(other, "agata")
    assert other.get("/admin/letters").status_code == 403


@pytest.mark.parametrize("content, message", [
    (_template_with("{{ imie_dziecka }} i {{ family_name }}"), "nieznane pola: {{ imie_dziecka }}"),
    (_template_with("{{ family_name "), "błąd w polach"),
    (b"%PDF-1.4 not a docx", "musi być dokumentem DOCX"),
])
def test_a_bad_template_is_refused_in_polish_and_nothing_is_stored(client, people, content, message):
    login(client, "admin")
    response = client.post("/admin/letters/consent", data={"file": (io.BytesIO(content), "zgoda.docx")},
                           content_type="multipart/form-data")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(LetterTemplate.id))) == 0
