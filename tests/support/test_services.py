"""Issue 18's registers through their services: what is saved, what is refused (in Polish), nothing half-saved."""
from datetime import timedelta
from decimal import Decimal

import pytest
from flask_babel import force_locale

from casework.contacts.models import Institution
from casework.core.dictionaries import by_code
from casework.core.timeutil import today_local
from casework.extensions import db
from casework.support import services
from casework.support.models import DaySupportFacility, SupportingFamilyCost, TeamMembership, ZaZyciemRequest
from casework.support.services import SupportRuleError
from tests.indicators.helpers import child, d, family, period


def refused(fn, *args, **kwargs) -> str:
    with force_locale("pl"), pytest.raises(SupportRuleError) as exc:
        fn(*args, **kwargs)
    db.session.rollback()
    return " ".join(exc.value.messages)


def _facility(name="Świetlica „Promyk”", code="day_support"):
    inst = Institution(name=name, type_id=by_code("institution_type", code).id)
    db.session.add(inst)
    db.session.flush()
    return inst


def test_supporting_family_help_and_costs(make_user):
    actor = make_user("coordinator")
    fam = family("Kowalscy")
    sf = services.add_supporting_family({"name": "Anna i Piotr Nowakowie", "start_date": d("2025-01-01")}, actor=actor)
    help_ = services.add_help(sf, {"family_id": fam.id, "start_date": d("2025-02-01"),
                                   "consent_date": d("2025-01-20")}, actor=actor)
    services.add_cost(help_, {"month": d("2025-02-15"), "amount": Decimal("350.00")}, actor=actor)
    db.session.commit()
    assert [c.month for c in help_.costs] == [d("2025-02-01")]
    assert "już" in refused(services.add_cost, help_, {"month": d("2025-02-01"), "amount": Decimal("10")}, actor=actor)
    assert "w tym miesiącu" in refused(services.add_cost, help_, {"month": d("2025-01-01"), "amount": Decimal("10")},
                                       actor=actor)
    assert "kwota" in refused(services.add_cost, help_, {"month": d("2025-03-01"), "amount": Decimal("0")},
                              actor=actor).lower()
    assert "w tych dniach" in refused(services.add_help, sf, {"family_id": fam.id, "start_date": d("2025-06-01")},
                                      actor=actor)
    others = family("Inni")
    db.session.commit()
    assert "w datach rodziny wspierającej" in refused(services.add_help, sf, {"family_id": others.id,
                                                                               "start_date": d("2024-12-01")},
                                                       actor=actor)
    # the supporting family cannot end before the help it gives
    assert "poza tymi datami" in refused(services.update_supporting_family, sf, {"end_date": d("2025-01-31")},
                                         actor=actor)
    assert db.session.query(SupportingFamilyCost).count() == 1


def test_day_support_facility_and_attendance(make_user):
    actor = make_user("coordinator")
    fam = family("Zielińscy")
    kid = child(fam, d("2015-05-05"))
    inst = _facility()
    school = _facility("Szkoła Podstawowa nr 1", "school")
    services.save_facility(inst, {"form": "care", "places": 30}, actor=actor)
    db.session.commit()
    assert "tylko placówka" in refused(services.save_facility, school, {"form": "care"}, actor=actor).lower()
    assert "od 1 do" in refused(services.save_facility, inst, {"form": "care", "places": 0}, actor=actor)
    services.add_attendance(fam, {"member_id": kid.id, "institution_id": inst.id, "start_date": d("2025-09-01")},
                            actor=actor)
    db.session.commit()
    assert db.session.get(DaySupportFacility, inst.id).places == 30
    assert "już zapisane" in refused(services.add_attendance, fam, {"member_id": kid.id, "institution_id": inst.id,
                                                                   "start_date": d("2025-10-01")}, actor=actor)
    other = family("Obcy")
    db.session.commit()
    assert "dziecko tej rodziny" in refused(services.add_attendance, other,
                                            {"member_id": kid.id, "institution_id": inst.id,
                                             "start_date": d("2025-10-01")}, actor=actor).lower()
    assert "placówkę wsparcia dziennego" in refused(services.add_attendance, fam,
                                                    {"member_id": kid.id, "institution_id": school.id,
                                                     "start_date": d("2025-10-01")}, actor=actor)


def test_team_membership_register(make_user):
    actor = make_user("coordinator")
    services.add_team_member({"full_name": "Anna Policka", "sector": "police", "institution_name": "KPP",
                              "appointed_on": d("2024-01-01"), "is_chair": True}, actor=actor)
    db.session.commit()
    assert "już członkiem" in refused(services.add_team_member, {
        "full_name": "Anna Policka", "sector": "police", "institution_name": "KPP", "appointed_on": d("2025-01-01")},
        actor=actor)
    assert "instytucję" in refused(services.add_team_member, {"full_name": "Jan", "sector": "education",
                                                              "appointed_on": d("2025-01-01")}, actor=actor)
    assert "wcześniejsza" in refused(services.add_team_member, {
        "full_name": "Jan", "sector": "education", "institution_name": "SP 1", "appointed_on": d("2025-01-01"),
        "ended_on": d("2024-01-01")}, actor=actor)
    assert db.session.query(TeamMembership).count() == 1


def test_za_zyciem_request_without_a_support_period(make_user):
    actor = make_user("coordinator")
    assistant = make_user("assistant")
    social = make_user("social_worker")
    fam = family("Za")
    other = family("Inna")
    foreign = period(other, d("2025-01-01"))
    db.session.commit()
    req = services.add_za_zyciem(fam, {"request_date": d("2025-03-01"), "assistant_id": assistant.id,
                                       "coordination_start": d("2025-03-05")}, actor=actor)
    db.session.commit()
    assert req.support_period_id is None
    assert "przyszłości" in refused(services.add_za_zyciem, fam, {"request_date": today_local() + timedelta(days=1)},
                                    actor=actor)
    assert "okres wsparcia tej rodziny" in refused(services.add_za_zyciem, fam, {
        "request_date": d("2025-03-01"), "support_period_id": foreign.id}, actor=actor)
    assert "przed wnioskiem" in refused(services.add_za_zyciem, fam, {
        "request_date": d("2025-03-01"), "assistant_id": assistant.id, "coordination_start": d("2025-02-01")},
        actor=actor)
    assert "asystenta" in refused(services.add_za_zyciem, fam, {
        "request_date": d("2025-03-01"), "assistant_id": social.id}, actor=actor)
    assert db.session.query(ZaZyciemRequest).count() == 1


def test_archive_needs_a_reason(make_user):
    actor = make_user("coordinator")
    sf = services.add_supporting_family({"name": "X", "start_date": d("2025-01-01")}, actor=actor)
    assert "powód" in refused(services.archive, sf, "  ", actor=actor)
