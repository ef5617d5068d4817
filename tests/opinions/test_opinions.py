"""Court opinions (opinia dla sądu, art. 15 ust. 1 pkt 17 UWR): the rules, the form and its document, who may
see them (another assistant's family → 404, a role without the page → 403), the reminder and the statistic."""
from datetime import date, timedelta
from io import BytesIO

import pytest
from sqlalchemy import select

from casework.core.audit import AuditEvent
from casework.core.errors import RuleError
from casework.core.timeutil import today_local
from casework.extensions import db
from casework.opinions import services
from casework.opinions.models import CourtOpinion
from tests.conftest import login
from tests.families.conftest import make_family  # noqa: F401 - fixture

PDF = b"%PDF-1.4 opinia o rodzinie"
DAY = date(2025, 6, 2)


class Upload:
    """What services receive from the form: a file name, a MIME type, the bytes."""

    def __init__(self, data=PDF, filename="opinia.pdf", mimetype="application/pdf"):
        self.data, self.filename, self.mimetype = data, filename, mimetype

    def read(self, limit=-1):
        return self.data if limit < 0 else self.data[:limit]


def _values(**over):
    return {"court": "  Sąd Rejonowy w Gnieźnie ", "case_signature": " ", "received_on": date(2025, 5, 5),
            "due_on": date(2025, 5, 26), "sent_on": None} | over


def _audit(action):
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


@pytest.fixture
def people(make_user):
    return {"agata": make_user("assistant", login="agata"), "bartosz": make_user("assistant", login="bartosz"),
            "kierownik": make_user("coordinator", login="kierownik"),
            "socjalna": make_user("social_worker", login="socjalna")}


@pytest.fixture
def opinion(people, make_family):  # noqa: F811
    family = make_family(assistant=people["agata"], social_worker=people["socjalna"], name="Opiniowani")
    made = services.record_request(family, _values(), Upload(), actor=people["agata"], today=DAY)
    db.session.commit()
    return made


# --- services ---------------------------------------------------------------------------------------------------

def test_a_request_is_recorded_cleaned_with_its_document_and_audited(opinion, people):
    assert opinion.court == "Sąd Rejonowy w Gnieźnie" and opinion.case_signature is None
    assert opinion.author_id == people["agata"].id
    assert (opinion.document, opinion.document_name, opinion.document_type) == (PDF, "opinia.pdf",
                                                                                "application/pdf")
    [event] = _audit("court_opinion_created")
    assert event.object_id == opinion.id and event.details == {"family_id": opinion.family_id}


@pytest.mark.parametrize("over, message", [
    ({"court": "  "}, "Wpisz sąd."),
    ({"due_on": date(2025, 5, 1)}, "Termin nie może przypadać przed otrzymaniem prośby."),
    ({"received_on": DAY + timedelta(days=1), "due_on": DAY + timedelta(days=9)},
     "Data otrzymania prośby nie może być z przyszłości."),
    ({"sent_on": date(2025, 5, 4)}, "Opinię wysyła się po otrzymaniu prośby i nie z datą przyszłą."),
    ({"sent_on": DAY + timedelta(days=1)}, "Opinię wysyła się po otrzymaniu prośby i nie z datą przyszłą."),
])
def test_rules_refuse_impossible_dates_and_a_missing_court(people, make_family, over, message):  # noqa: F811
    family = make_family(assistant=people["agata"])
    with pytest.raises(RuleError) as refused:
        services.record_request(family, _values(**over), actor=people["agata"], today=DAY)
    assert message in refused.value.messages
    db.session.rollback()
    assert db.session.scalars(select(CourtOpinion)).all() == []


@pytest.mark.parametrize("upload, message", [
    (Upload(b"x" * (services.MAX_DOCUMENT + 1)), "Dokument jest większy niż 10 MB."),
    (Upload(b"MZ", "opinia.exe", "application/x-msdownload"), "Dołącz opinię jako PDF, DOCX, DOC lub ODT."),
])
def test_a_document_too_large_or_of_another_kind_is_refused(people, make_family, upload, message):  # noqa: F811
    family = make_family(assistant=people["agata"])
    with pytest.raises(RuleError) as refused:
        services.record_request(family, _values(), upload, actor=people["agata"], today=DAY)
    assert message in " ".join(refused.value.messages)


def test_an_update_records_what_changed_and_checks_the_dates_against_the_stored_ones(opinion, people):
    changes = services.update(opinion, {"sent_on": date(2025, 5, 20)}, actor=people["agata"], today=DAY)
    assert changes == {"sent_on": [None, "2025-05-20"]}
    assert services.update(opinion, {"court": "Sąd Rejonowy w Gnieźnie"}, actor=people["agata"], today=DAY) == {}
    assert len(_audit("court_opinion_updated")) == 1  # nothing changed, nothing audited
    with pytest.raises(RuleError):  # checked against the stored received_on (5 May)
        services.update(opinion, {"due_on": date(2025, 5, 1)}, actor=people["agata"], today=DAY)


# --- views ------------------------------------------------------------------------------------------------------

def test_the_assistant_records_a_request_through_the_form_and_downloads_the_document(client, people,
                                                                                      make_family):  # noqa: F811
    family = make_family(assistant=people["agata"], name="Formularzowi")
    login(client, "agata")
    page = client.get(f"/families/{family.id}/opinions/new")
    assert page.status_code == 200
    assert f'value="{today_local().isoformat()}"' in page.get_data(as_text=True)  # received today, by default
    refused = client.post(f"/families/{family.id}/opinions/new", data={
        "court": "SR", "received_on": "2025-05-05", "due_on": "2025-05-01"})
    assert refused.status_code == 400
    assert "Termin nie może przypadać przed otrzymaniem prośby." in refused.get_data(as_text=True)
    saved = client.post(f"/families/{family.id}/opinions/new", data={
        "court": "Sąd Rejonowy w Gnieźnie", "received_on": "2025-05-05", "due_on": "2025-05-20",
        "sent_on": "2025-05-18", "document": (BytesIO(PDF), "opinia.pdf", "application/pdf")},
        content_type="multipart/form-data")
    assert saved.status_code == 302 and saved.headers["Location"].endswith(f"/families/{family.id}")
    opinion = db.session.scalars(select(CourtOpinion)).one()
    assert (opinion.family_id, opinion.sent_on) == (family.id, date(2025, 5, 18))
    detail = client.get(f"/families/{family.id}").get_data(as_text=True)
    assert f"/opinions/{opinion.id}" in detail and "Wysłano opinię do sądu" in detail
    download = client.get(f"/opinions/{opinion.id}/document")
    assert download.status_code == 200 and download.data == PDF and download.mimetype == "application/pdf"
    assert [e.object_id for e in _audit("court_opinion_downloaded")] == [opinion.id]


def test_a_second_editor_with_a_stale_page_is_refused_and_the_first_save_kept(client, opinion, people):
    login(client, "agata")
    client.get(f"/opinions/{opinion.id}")
    stale = opinion.version
    first = client.post(f"/opinions/{opinion.id}", data={
        "version": stale, "court": "Sąd Okręgowy", "received_on": "2025-05-05", "due_on": "2025-05-26"})
    assert first.status_code == 302
    second = client.post(f"/opinions/{opinion.id}", data={
        "version": stale, "court": "Sąd Apelacyjny", "received_on": "2025-05-05", "due_on": "2025-05-26"})
    assert second.status_code == 409
    db.session.expire_all()
    assert db.session.get(CourtOpinion, opinion.id).court == "Sąd Okręgowy"


def test_another_assistant_gets_404_for_everything_of_the_family(client, opinion):
    login(client, "bartosz")
    for url in (f"/opinions/{opinion.id}", f"/opinions/{opinion.id}/document",
                f"/families/{opinion.family_id}/opinions/new"):
        assert client.get(url).status_code == 404, url
    posted = client.post(f"/opinions/{opinion.id}", data={
        "version": opinion.version, "court": "Cudzy sąd", "received_on": "2025-05-05", "due_on": "2025-05-26"})
    assert posted.status_code == 404
    db.session.expire_all()
    assert db.session.get(CourtOpinion, opinion.id).court == "Sąd Rejonowy w Gnieźnie"


def test_an_archived_opinion_is_gone_for_everyone(client, opinion):
    opinion.archived_at = opinion.created_at
    db.session.commit()
    login(client, "kierownik")
    assert client.get(f"/opinions/{opinion.id}").status_code == 404
    assert client.get(f"/opinions/{opinion.id}/document").status_code == 404
    assert "Sąd zwrócił się o opinię" not in client.get(f"/families/{opinion.family_id}").get_data(as_text=True)


def test_the_social_worker_sees_the_entry_on_the_family_page_without_a_link_to_a_page_they_may_not_open(
        client, opinion):
    login(client, "socjalna")
    detail = client.get(f"/families/{opinion.family_id}")
    assert detail.status_code == 200
    html = detail.get_data(as_text=True)
    assert "Sąd zwrócił się o opinię" in html
    assert f"/opinions/{opinion.id}" not in html
    assert client.get(f"/opinions/{opinion.id}").status_code == 403


def test_the_coordinator_opens_any_family_s_opinion(client, opinion):
    login(client, "kierownik")
    assert client.get(f"/opinions/{opinion.id}").status_code == 200
    assert client.get(f"/opinions/{opinion.id}/document").data == PDF


# --- the reminder and the statistic -------------------------------------------------------------------------------

def _reminders():
    from casework.reminders.models import Reminder

    return db.session.scalars(select(Reminder).where(Reminder.record_type == "court_opinion")
                              .order_by(Reminder.recipient_id)).all()


def test_an_opinion_due_within_a_week_reminds_the_family_s_assistant_once(people, make_family):  # noqa: F811
    from casework.reminders.services import create_due_reminders

    today = today_local()
    family = make_family(assistant=people["agata"], start=today - timedelta(days=60))
    due = services.record_request(family, _values(received_on=today - timedelta(days=3),
                                                  due_on=today + timedelta(days=7)), actor=people["agata"])
    services.record_request(family, _values(received_on=today - timedelta(days=3),
                                            due_on=today + timedelta(days=8)), actor=people["agata"])  # not yet
    services.record_request(family, _values(received_on=today - timedelta(days=9), due_on=today,
                                            sent_on=today - timedelta(days=1)), actor=people["agata"])  # sent
    db.session.commit()
    create_due_reminders(today)
    create_due_reminders(today)  # a job that runs twice reminds once
    assert [(r.record_id, r.recipient_id, r.due_date) for r in _reminders()] == [
        (due.id, people["agata"].id, today + timedelta(days=7))]


def test_without_a_current_assistant_the_coordinators_are_reminded(people, make_family):  # noqa: F811
    from casework.reminders.services import create_due_reminders

    today = today_local()
    family = make_family(start=today - timedelta(days=60))  # nobody assigned
    services.record_request(family, _values(received_on=today - timedelta(days=3), due_on=today + timedelta(days=2)),
                            actor=people["kierownik"])
    db.session.commit()
    create_due_reminders(today)
    assert [r.recipient_id for r in _reminders()] == [people["kierownik"].id]


def test_the_statistic_counts_opinions_sent_in_the_period(people, make_family):  # noqa: F811
    from casework.core.periods import half, year
    from casework.indicators import engine

    family = make_family(assistant=people["agata"])
    services.record_request(family, _values(sent_on=date(2025, 5, 20)), actor=people["agata"], today=DAY)
    services.record_request(family, _values(), actor=people["agata"], today=DAY)  # not sent
    archived = services.record_request(family, _values(sent_on=date(2025, 5, 21)), actor=people["agata"], today=DAY)
    archived.archived_at = archived.created_at
    db.session.commit()
    assert engine.compute(year(2025), codes=["AR_COURT_OPINIONS"])["AR_COURT_OPINIONS"] == 1
    assert engine.compute(half(2025, 2), codes=["AR_COURT_OPINIONS"])["AR_COURT_OPINIONS"] == 0
