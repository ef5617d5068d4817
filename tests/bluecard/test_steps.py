"""NK-B handed (date, to whom, or why not) with its reminder, and every step of the procedure recorded with its date
and author, shown on the procedure's history (issue 23)."""
from datetime import date

import pytest
from lxml import html as lxml_html
from sqlalchemy import select

from casework.bluecard import services
from casework.bluecard.models import Procedure, ProcedureStep
from casework.core import deadlines as core_deadlines
from casework.core import periods
from casework.core.errors import RuleError
from casework.extensions import db
from casework.indicators import engine
from tests.bluecard.test_bluecard import TODAY, _start, _to_group, compartment  # noqa: F401 - fixture
from tests.conftest import login
from tests.families.conftest import make_family  # noqa: F401 - fixture


def _child_only():
    return [{"role": "affected", "first_name": "Ola", "last_name": "Nowak", "is_child": True},
            {"role": "suspected", "first_name": "Marek", "last_name": "Nowak"}]


def _nka(persons, **nkb):
    return services.start_procedure({"nka_date": date(2026, 5, 4), "sector": "education",
                                     "violence_forms": ["physical"], **nkb}, persons, actor=None, today=TODAY)


def test_nkb_for_a_child_goes_to_a_parent_who_is_not_the_suspected_person():
    with pytest.raises(RuleError, match="rodzicowi, opiekunowi prawnemu lub faktycznemu"):
        _nka(_child_only(), nkb_handed_on=date(2026, 5, 4), nkb_recipient="Ola Nowak", nkb_recipient_role="affected")
    with pytest.raises(RuleError, match="nie przekazuje się osobie podejrzewanej"):
        _nka(_child_only(), nkb_handed_on=date(2026, 5, 4), nkb_recipient="marek  NOWAK", nkb_recipient_role="parent")
    with pytest.raises(RuleError, match="albo"):
        _nka(_child_only(), nkb_handed_on=date(2026, 5, 4), nkb_recipient="Jan", nkb_recipient_role="parent",
             nkb_not_handed_reason="nie było nikogo")
    with pytest.raises(RuleError, match="wypełnienia NK-A lub później"):
        _nka(_child_only(), nkb_handed_on=date(2026, 5, 1), nkb_recipient="Ewa Nowak", nkb_recipient_role="parent")
    procedure = _nka(_child_only(), nkb_handed_on=date(2026, 5, 4), nkb_recipient="Ewa Nowak",
                     nkb_recipient_role="parent")
    assert (procedure.nkb_handed, procedure.nkb_recipient_role) == (True, "parent")
    assert services.deadlines(procedure)[0] == {"kind": "nkb", "due": date(2026, 5, 4), "done": date(2026, 5, 4)}


def test_missing_nkb_is_on_the_board_and_reminded_to_the_team_only(app, compartment):  # noqa: F811
    from casework.reminders.models import Reminder  # local import: the reminders domain only in this test
    from casework.reminders.services import create_due_reminders  # local import: as above

    procedure, family, users = compartment
    client = app.test_client()
    login(client, "zi")
    board = client.get("/blue-card/board").get_data(as_text=True)
    assert procedure.number in board and "Przekazanie NK-B" in board
    create_due_reminders(date(2026, 4, 29))
    db.session.commit()
    recipients = set(db.session.scalars(select(Reminder.recipient_id).where(Reminder.rule == "bluecard_deadline")))
    assert users["zi"].id in recipients and users["assistant"].id not in recipients
    # nothing about the compartment on the shared boards (they are read outside it)
    assert not [k for k in core_deadlines.kinds() if k.startswith("bluecard")]
    # the reason recorded: no longer due
    response = client.post(f"/blue-card/{procedure.id}/nkb", data={"version": procedure.version,
                                                                   "reason": "Osoba nie chciała przyjąć formularza"})
    assert response.status_code == 302
    db.session.expire_all()
    assert not [d for d in services.deadlines(db.session.get(Procedure, procedure.id)) if d["kind"] == "nkb"]
    page = client.get(f"/blue-card/{procedure.id}").get_data(as_text=True)
    assert "Osoba nie chciała przyjąć formularza" in page


def test_a_refused_nkb_keeps_what_was_typed(app, compartment):  # noqa: F811
    procedure, _family, _users = compartment
    client = app.test_client()
    login(client, "grupa")
    response = client.post(f"/blue-card/{procedure.id}/nkb", data={
        "version": procedure.version, "day": "2026-04-29", "recipient": "Marek Nowak", "recipient_role": "parent"})
    assert response.status_code == 400
    page = lxml_html.fromstring(response.get_data(as_text=True))
    assert "nie przekazuje się osobie podejrzewanej" in page.xpath("//div[@class='error-box']")[0].text_content()
    assert page.get_element_by_id("nkb-recipient").get("value") == "Marek Nowak"


def test_every_step_is_recorded_with_its_date_and_author_on_the_history(app, compartment):  # noqa: F811
    procedure, _family, users = compartment
    marek = next(p for p in procedure.persons if p.first_name == "Marek")
    ola = next(p for p in procedure.persons if p.first_name == "Ola")
    client = app.test_client()
    login(client, "grupa")
    posts = [
        {"kind": "summons", "day": "2026-05-05", "summons-person_id": marek.id, "summons-attended": "no"},
        {"kind": "notification", "day": "2026-05-06", "notification-authority": "prosecutor",
         "notification-file_number": "PR 1 Ds. 123.2026"},
        {"kind": "art12a", "day": "2026-05-07", "art12a-person_id": ola.id, "art12a-court_notified_on": "2026-05-08"},
        {"kind": "information", "day": "2026-05-08", "information-recipient": "Sąd Rejonowy, III Wydział Rodzinny",
         "information-content": "Informacja o sytuacji dziecka"},
        {"kind": "decision", "day": "2026-05-09", "decision-content": "Wezwać ponownie na posiedzenie"},
    ]
    for data in posts:
        db.session.expire_all()
        version = db.session.get(Procedure, procedure.id).version
        response = client.post(f"/blue-card/{procedure.id}/record", data={"version": version, **data})
        assert response.status_code == 302, response.get_data(as_text=True)
    steps = db.session.scalars(select(ProcedureStep).order_by(ProcedureStep.step_date)).all()
    assert [s.kind for s in steps] == ["summons", "notification", "art12a", "information", "decision"]
    assert all(s.author_id == users["group"].id for s in steps)
    assert steps[0].details == {"person_id": marek.id, "attended": False}
    page = client.get(f"/blue-card/{procedure.id}").get_data(as_text=True)
    history = lxml_html.fromstring(page).get_element_by_id("h-history").getparent().text_content()
    for text in ("nie stawił", "prokuratura", "PR 1 Ds. 123.2026", "art. 12a", "2026-05-08",
                 "Sąd Rejonowy, III Wydział Rodzinny", "Wezwać ponownie na posiedzenie", users["group"].full_name):
        assert text in history, text
    assert history.index("2026-05-05") < history.index("2026-05-09")
    v = engine.compute(periods.half(2026, 1))
    assert v["NK_ART12A_INTERVENTIONS"] == 1


@pytest.mark.parametrize("data, message", [
    ({"kind": "summons", "day": "2026-05-05"}, "Uzupełnij: osoba"),
    ({"kind": "art12a", "day": "2026-05-05", "art12a-person_id": "marek"}, "dziecko"),
    ({"kind": "art12a", "day": "2026-05-07", "art12a-person_id": "ola", "art12a-court_notified_on": "2026-05-06"},
     "Sąd powiadamia się po"),
    ({"kind": "notification", "day": "2026-05-05", "notification-authority": "sejm"}, "Uzupełnij"),
    ({"kind": "decision", "day": "2030-01-01", "decision-content": "Treść zostaje"}, "przyszłości"),
    ({"kind": "nothing", "day": "2026-05-05"}, "Wybierz, co zrobiono"),
])
def test_a_refused_step_says_why_in_polish_and_keeps_the_text(app, compartment, data, message):  # noqa: F811
    procedure, _family, _users = compartment
    ids = {p.first_name.lower(): p.id for p in procedure.persons}
    data = {k: (ids.get(v, v) if k.endswith("person_id") else v) for k, v in data.items()}
    client = app.test_client()
    login(client, "zi")
    response = client.post(f"/blue-card/{procedure.id}/record", data={"version": procedure.version, **data})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert message in body
    if "decision-content" in data:
        assert "Treść zostaje" in body
    assert db.session.scalar(select(ProcedureStep.id)) is None
