"""Niebieska Karta: the compartment over every route and role, working-day deadlines, NK-C/NK-D separation,
closing rules, the statistics, the subject-access rule."""
from datetime import date

import pytest
from sqlalchemy import func, select

from casework.bluecard import services
from casework.bluecard.services import BlueCardRuleError
from casework.bluecard.workdays import add_working_days
from casework.core import periods
from casework.core.audit import AuditEvent
from casework.extensions import db
from casework.indicators import engine
from casework.visits.models import Visit
from tests.conftest import login
from tests.families.conftest import make_family  # noqa: F401 - fixture

TODAY = date(2026, 11, 20)


@pytest.mark.parametrize("start, days, due", [
    (date(2026, 4, 28), 5, date(2026, 5, 6)),    # 1 May (Fri) and 3 May (Sun) — 4 May is a working day
    (date(2025, 4, 30), 3, date(2025, 5, 6)),    # 1 May (Thu), 2 May a working day, 3 May Saturday
    (date(2025, 12, 22), 5, date(2026, 1, 2)),   # 24 (from 2025), 25, 26 December and 1 January
    (date(2026, 4, 2), 3, date(2026, 4, 8)),     # Easter Monday 6 April 2026
    (date(2026, 11, 9), 3, date(2026, 11, 13)),  # 11 November (Wed)
    (date(2026, 6, 1), 5, date(2026, 6, 9)),     # Corpus Christi 4 June 2026
])
def test_working_days_around_polish_holidays(start, days, due):
    assert add_working_days(start, days) == due


def _persons():
    return [{"role": "affected", "first_name": "Anna", "last_name": "Nowak", "address": "ul. Schronienia 1",
             "phone": "600 000 001"},
            {"role": "affected", "first_name": "Ola", "last_name": "Nowak", "is_child": True, "witness": True},
            {"role": "suspected", "first_name": "Marek", "last_name": "Nowak"}]


def _start(family=None, day=date(2026, 4, 28), actor=None, sector="police"):
    return services.start_procedure({"nka_date": day, "sector": sector, "violence_forms": ["psychological"],
                                     "family_id": family.id if family else None}, _persons(), actor=actor,
                                    today=TODAY)


def _to_group(procedure, worker, day=date(2026, 5, 4)):
    services.hand_to_chair(procedure, day, actor=None, today=TODAY)
    services.hand_to_group(procedure, day, [{"user_id": worker.id, "name": "Pracownik", "sector":
                                             "social_assistance"}, {"name": "Policjant", "sector": "police"}],
                           actor=None, today=TODAY)


def _person(procedure, first):
    return next(p for p in procedure.persons if p.first_name == first)


def test_nka_rules_and_deadlines(make_user):
    with pytest.raises(BlueCardRuleError, match="co najmniej jedną osobę stosującą"):
        services.start_procedure({"nka_date": TODAY, "sector": "police", "violence_forms": ["physical"]},
                                 _persons()[:2], actor=None, today=TODAY)
    with pytest.raises(BlueCardRuleError, match="formę przemocy"):
        services.start_procedure({"nka_date": TODAY, "sector": "police", "violence_forms": []}, _persons(),
                                 actor=None, today=TODAY)
    procedure = _start()
    assert procedure.number == "NK/2026/1"
    assert services.deadlines(procedure) == [{"kind": "nkb", "due": date(2026, 4, 28), "done": None},
                                             {"kind": "to_chair", "due": date(2026, 5, 6), "done": None}]
    with pytest.raises(BlueCardRuleError, match="przewodniczącego"):
        services.hand_to_group(procedure, date(2026, 5, 4), [], actor=None, today=TODAY)
    services.hand_to_chair(procedure, date(2026, 4, 30), actor=None, today=TODAY)
    with pytest.raises(BlueCardRuleError, match="pracownik socjalny i policjant"):
        services.hand_to_group(procedure, date(2026, 5, 4), [{"name": "X", "sector": "education"}], actor=None,
                               today=TODAY)
    worker = make_user("social_worker")
    services.hand_to_group(procedure, date(2026, 5, 4), [{"user_id": worker.id, "name": "P", "sector":
                                                          "social_assistance"}, {"name": "Q", "sector": "police"}],
                           actor=None, today=TODAY)
    kinds = {d["kind"]: d["due"] for d in services.deadlines(procedure)}
    assert kinds == {"nkb": date(2026, 4, 28), "to_chair": date(2026, 5, 6), "to_group": date(2026, 5, 6), "first_meeting": date(2026, 5, 11)}


def test_nk_c_and_nk_d_never_in_the_same_meeting(make_user):
    procedure = _start()
    _to_group(procedure, make_user("social_worker"))
    anna, marek = _person(procedure, "Anna"), _person(procedure, "Marek")
    with pytest.raises(BlueCardRuleError, match="nie mogą być wypełnione na tym samym"):
        services.add_meeting(procedure, {"meeting_date": date(2026, 5, 8)},
                             [{"form": "NK-C", "person_id": anna.id}, {"form": "NK-D", "person_id": marek.id}],
                             actor=None, today=TODAY)
    with pytest.raises(BlueCardRuleError, match="NK-D wypełnia się z osobą"):
        services.add_meeting(procedure, {"meeting_date": date(2026, 5, 8)}, [{"form": "NK-D", "person_id": anna.id}],
                             actor=None, today=TODAY)
    services.add_meeting(procedure, {"meeting_date": date(2026, 5, 8)}, [{"form": "NK-C", "person_id": anna.id}],
                         actor=None, today=TODAY)
    services.add_meeting(procedure, {"meeting_date": date(2026, 5, 12)}, [{"form": "NK-D", "person_id": marek.id}],
                         actor=None, today=TODAY)
    assert services.filled_forms(procedure) == {anna.id: {"NK-C"}, marek.id: {"NK-D"}}


def test_closing_rules(make_user):
    procedure = _start()
    with pytest.raises(BlueCardRuleError, match="przekaż ją najpierw grupie"):
        services.close(procedure, TODAY, "unfounded", None, actor=None, today=TODAY)
    _to_group(procedure, make_user("social_worker"))
    anna, ola = _person(procedure, "Anna"), _person(procedure, "Ola")
    with pytest.raises(BlueCardRuleError, match="wypełnij z tą osobą NK-C"):
        services.add_help_action(procedure, anna.id, {"action": "Schronienie"}, actor=None)
    services.add_meeting(procedure, {"meeting_date": date(2026, 5, 8)},
                         [{"form": "NK-C", "person_id": anna.id}], actor=None, today=TODAY)
    with pytest.raises(BlueCardRuleError, match="NK-C nie została wypełniona z każdą"):
        services.close(procedure, TODAY, "violence_stopped", None, actor=None, today=TODAY)
    services.add_meeting(procedure, {"meeting_date": date(2026, 5, 9)}, [{"form": "NK-C", "person_id": ola.id}],
                         actor=None, today=TODAY)
    with pytest.raises(BlueCardRuleError, match="plan pomocy"):
        services.close(procedure, TODAY, "violence_stopped", None, actor=None, today=TODAY)
    action = services.add_help_action(procedure, anna.id, {"action": "Konsultacja psychologiczna"}, actor=None)
    with pytest.raises(BlueCardRuleError, match="plan pomocy"):
        services.close(procedure, TODAY, "violence_stopped", None, actor=None, today=TODAY)
    services.set_action_done(action, True, actor=None)
    with pytest.raises(BlueCardRuleError, match="przed ostatnim posiedzeniem"):
        services.close(procedure, date(2026, 5, 8), "violence_stopped", None, actor=None, today=TODAY)
    services.close(procedure, date(2026, 6, 1), "violence_stopped", date(2026, 9, 1), actor=None, today=TODAY)
    with pytest.raises(BlueCardRuleError, match="zamknięta"):
        services.add_help_action(procedure, anna.id, {"action": "x"}, actor=None)
    services.add_meeting(procedure, {"meeting_date": date(2026, 6, 20), "kind": "monitoring_visit"}, [], actor=None,
                         today=TODAY)  # monitoring visits go on after closing


def test_statistics_on_a_prepared_data_set(make_user, make_family):  # noqa: F811
    """Seed 002 (Krasnystaw 2023): 34 procedures conducted and 96 visits in the families; here a smaller set
    counted by hand: 5 procedures conducted in 2026 H1 (one started in 2025, one closed in 2025 not counted)."""
    worker = make_user("social_worker")
    assistant = make_user("assistant")
    fam = make_family(assistant=assistant, start=date(2025, 1, 1))
    old = _start(day=date(2025, 11, 3))
    _to_group(old, worker, day=date(2025, 11, 5))
    services.close(old, date(2025, 12, 15), "unfounded", None, actor=None, today=TODAY)  # closed in 2025
    carried = _start(family=fam, day=date(2025, 12, 1), sector="social_assistance")  # conducted in 2026 too
    _to_group(carried, worker, day=date(2025, 12, 3))
    services.add_meeting(carried, {"meeting_date": date(2026, 1, 12)},
                         [{"form": "NK-D", "person_id": _person(carried, "Marek").id}], actor=None, today=TODAY)
    services.refer_to_programme(carried, _person(carried, "Marek").id, date(2026, 2, 1), "corrective_educational",
                                actor=None, today=TODAY)
    services.close(carried, date(2026, 3, 31), "unfounded", None, actor=None, today=TODAY)
    for day, sector in ((date(2026, 1, 5), "police"), (date(2026, 2, 9), "police"), (date(2026, 3, 2), "education"),
                        (date(2026, 7, 1), "health_care")):
        p = _start(day=day, sector=sector)
        if day < date(2026, 3, 1):
            _to_group(p, worker, day=date(2026, 3, 2))
            services.add_meeting(p, {"meeting_date": date(2026, 3, 4)}, [], actor=None, today=TODAY)
    # visits in the family: one before the procedure, two while it is open, one after it closed
    for day in (date(2025, 11, 20), date(2026, 1, 10), date(2026, 3, 31), date(2026, 4, 2)):
        db.session.add(Visit(family_id=fam.id, assistant_id=assistant.id, visit_date=day, duration_minutes=60))
    db.session.commit()
    v = engine.compute(periods.half(2026, 1))
    assert v["NK_PROCEDURES_CONDUCTED"] == 4  # carried over + three started in H1 (July's is in H2)
    assert v["NK_PROCEDURES_STARTED"] == 3
    assert {k: n for k, n in v["NK_STARTED_BY_SECTOR"].items() if n} == {"police": 2, "education": 1}
    assert (v["NK_CLOSED_UNFOUNDED"], v["NK_CLOSED_VIOLENCE_STOPPED"]) == (1, 0)
    assert v["NK_GROUP_MEETINGS"] == 3
    assert v["NK_VISITS"] == 2
    assert v["NK_REFERRED_TO_PROGRAMMES"] == 1
    year_2025 = engine.compute(periods.year(2025))
    assert (year_2025["NK_PROCEDURES_CONDUCTED"], year_2025["NK_CLOSED_UNFOUNDED"], year_2025["NK_VISITS"]) == (2, 1, 0)


def test_subject_access_leaves_out_whereabouts_for_a_person_using_violence():
    procedure = _start()
    db.session.flush()
    marek = services.subject_access(names=[("Marek", "Nowak")])
    text = repr(marek)
    assert "Schronienia" not in text and "600 000 001" not in text and "Anna" not in text
    assert marek[0]["role"] == "suspected" and marek[0]["procedure"] == procedure.number
    anna = services.subject_access(names=[("Anna", "Nowak")])
    assert anna[0]["own_data"]["address"] == "ul. Schronienia 1" and "help_plan" in anna[0]


@pytest.fixture
def compartment(app, make_user, make_family):  # noqa: F811
    """One procedure in Agata's family; users of every role, a group member who is only a social worker."""
    agata = make_user("assistant", login="agata")
    family = make_family(assistant=agata, start=date(2026, 1, 5))
    users = {"zi": make_user("zi_member", login="zi"), "group": make_user("social_worker", login="grupa"),
             "assistant": agata, "coordinator": make_user("coordinator", login="koord"),
             "admin": make_user("admin", login="adm"), "worker": make_user("social_worker", login="inny"),
             "other_assistant": make_user("assistant", login="obcy")}
    procedure = _start(family=family, day=date(2026, 4, 28))
    _to_group(procedure, users["group"])
    db.session.commit()
    return procedure, family, users


READERS = {"zi", "group"}


#: handing over and receiving are the team's (not every reader's): their own tests, outsiders still get 404 here
HANDOVER = {"bluecard.hand_over", "bluecard.package", "bluecard.receive"}


def test_the_compartment_over_every_route_and_role(app, client, compartment):
    procedure, _family, users = compartment
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("bluecard.")]
    assert {r.endpoint for r in rules} >= {"bluecard.index", "bluecard.new", "bluecard.detail", "bluecard.step",
                                          "bluecard.board"}
    for who, user in users.items():
        client = app.test_client()
        login(client, user.login)
        for rule in rules:
            if rule.endpoint == "bluecard.new":
                continue  # starting a procedure reads nothing; tested below
            if rule.endpoint in HANDOVER and who in READERS:
                continue  # the team's own actions on a procedure that moves: tests/bluecard/test_handover.py
            url = rule.build({"procedure_id": procedure.id, "step": "meeting", "form": "NK-A"},
                             append_unknown=False)[1]
            db.session.expire_all()  # the current version, after the readers' own saves
            response = client.get(url) if "GET" in rule.methods else client.post(url, data={
                "version": procedure.version, "day": "2026-05-08", "kind": "meeting"})
            body = response.get_data().decode("utf-8", "replace")  # the forms are DOCX
            if who in READERS:
                assert response.status_code in (200, 302), (who, rule.endpoint, response.status_code)
            else:
                assert response.status_code == 404, (who, rule.endpoint, response.status_code)
                assert "Nowak" not in body and procedure.number not in body


def test_starting_is_for_social_assistance_and_reads_nothing_back(app, client, compartment):
    _procedure, family, users = compartment
    client = app.test_client()
    login(client, "agata")
    response = client.post(f"/blue-card/new?family_id={family.id}", data={
        "nka_date": "2026-06-01", "sector": "social_assistance", "violence_forms": ["economic"], "nkb_handed": "1",
        "p0-role": "affected", "p0-first_name": "Iza", "p0-last_name": "Kowal",
        "p1-role": "suspected", "p1-first_name": "Igor", "p1-last_name": "Kowal"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/families/{family.id}")
    page = client.get(f"/families/{family.id}").get_data(as_text=True)
    assert "Procedura „Niebieska Karta” dotyczy rodziny" in page and "Igor" not in page
    bad = client.post("/blue-card/new", data={"nka_date": "2026-06-01", "sector": "police",
                                              "p0-first_name": "Tekst, który zostaje"})
    assert bad.status_code == 400 and "Tekst, który zostaje" in bad.get_data(as_text=True)
    admin = app.test_client()
    login(admin, "adm")
    assert admin.get("/blue-card/new").status_code == 403


def test_every_read_is_audited_and_a_stale_step_is_refused(app, client, compartment):
    procedure, _family, _users = compartment
    client = app.test_client()
    login(client, "zi")
    before = db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "bluecard_viewed"))
    client.get(f"/blue-card/{procedure.id}")
    client.get(f"/blue-card/{procedure.id}")
    after = db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "bluecard_viewed"))
    assert after == before + 2
    ok = client.post(f"/blue-card/{procedure.id}/meeting", data={"version": procedure.version, "day": "2026-05-08",
                                                                 "kind": "meeting"})
    assert ok.status_code == 302
    stale = client.post(f"/blue-card/{procedure.id}/meeting", data={"version": procedure.version,
                                                                    "day": "2026-05-09", "kind": "meeting"})
    assert stale.status_code == 409


def test_deadline_reminders_to_the_team_without_content(make_user):
    from casework.reminders.models import Reminder
    from casework.reminders.services import create_due_reminders

    team = make_user("zi_member")
    procedure = _start(day=date(2026, 4, 28))
    services.record_nkb(procedure, {"reason": "Osoba odmówiła przyjęcia"}, actor=None, today=TODAY)
    db.session.commit()
    create_due_reminders(date(2026, 5, 4))
    assert db.session.scalar(select(func.count()).select_from(Reminder)) == 0
    create_due_reminders(date(2026, 5, 5))  # due 6 May, one day ahead
    create_due_reminders(date(2026, 5, 6))
    db.session.commit()
    [reminder] = db.session.scalars(select(Reminder).where(Reminder.rule == "bluecard_deadline")).all()
    assert reminder.recipient_id == team.id and reminder.due_date == date(2026, 5, 6)
    assert "Nowak" not in (reminder.subject or "")
