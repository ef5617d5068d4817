"""Issue 16 item 1: a domain contributes by a module (or a declaration) of a known name, discovered once at
start-up, not by a side effect of importing its views. These tests pin what the user sees (the menu of each role)
so the way entries are registered can change without changing the menu."""
import re
from pathlib import Path

import pytest
from flask import url_for

from casework.core import navigation
from casework.core.timeutil import today_local
from tests.conftest import login

#: the menu of each role, in order (the order of issue 16's declaration, with the registers added since)
MENUS = {
    "admin": ["main.home", "families.index", "families.caseload", "deadlines.index", "support.waiting_list",
              "support.supporting_families", "support.facilities", "visits.timesheet", "contacts.institutions",
              "fostercare.index", "support.team", "staff.index", "indicators.index", "reports.dashboard_page",
              "reports.index", "importer.index", "admin.users", "admin.centre", "admin.settings", "admin.audit_log",
              "attachments.templates", "scheduler.status", "privacy.retention_page"],
    "coordinator": ["main.home", "families.index", "families.caseload", "deadlines.index", "support.waiting_list",
                    "support.supporting_families", "support.facilities", "visits.timesheet",
                    "contacts.institutions", "fostercare.index", "support.team", "staff.index", "indicators.index",
                    "reports.dashboard_page", "reports.index", "importer.index"],
    "assistant": ["main.home", "visits.new", "visits.day", "families.mine", "deadlines.index", "visits.timesheet",
                  "contacts.institutions"],
    "social_worker": ["main.home", "families.index", "contacts.institutions"],
    "zi_member": ["main.home", "bluecard.index", "support.team"],
}


def _menu_links(html: str) -> list[str]:
    nav = re.search(r'<nav [^>]*class="main-nav">(.*?)</nav>', html, re.S).group(1)
    return re.findall(r'<a href="([^"]+)"', nav)


@pytest.mark.parametrize("role", sorted(MENUS))
def test_each_role_sees_its_menu_in_order(app, client, make_user, role):
    user = make_user(role)
    assert login(client, user).status_code == 302
    html = client.get("/").get_data(as_text=True)
    with app.test_request_context():
        expected = [url_for(endpoint) for endpoint in MENUS[role]]
    assert _menu_links(html) == expected


def test_no_menu_entry_is_registered_twice():
    endpoints = [e.endpoint for e in navigation.NAV]
    assert len(endpoints) == len(set(endpoints))


# --- the family page's timeline and the "needs attention" notes: every domain's source, in the same order -------

from datetime import date  # noqa: E402

from casework.core.timeline import attention_for, family_timeline  # noqa: E402
from tests.families.conftest import make_family  # noqa: E402,F401 - fixture


def _family_with_a_bit_of_everything(make_user, make_family):  # noqa: F811
    from casework.assessments.models import Assessment
    from casework.extensions import db
    from casework.families.models import FamilyMember
    from casework.fostercare import services as fostercare
    from casework.plans.models import WorkPlan
    from casework.visits.models import Visit

    agata = make_user("assistant", login="agata")
    family = make_family(assistant=agata, start=date(2025, 1, 10), children=1)
    period = family.support_periods[0]
    child = db.session.scalar(db.select(FamilyMember).where(FamilyMember.family_id == family.id,
                                                            FamilyMember.relation == "child"))
    fostercare.add_placement(fostercare.register_child(member=child, actor=None),
                             {"form": "foster_family_unrelated", "start_date": date(2025, 3, 1)}, actor=None)
    db.session.add_all([
        Visit(family_id=family.id, assistant_id=agata.id, visit_date=date(2025, 3, 1), duration_minutes=60),
        Visit(family_id=family.id, assistant_id=agata.id, visit_date=date(2025, 2, 3), duration_minutes=45),
        WorkPlan(support_period_id=period.id, family_id=family.id, revision=1, drawn_up_on=date(2025, 2, 3),
                 author_id=agata.id),
        Assessment(support_period_id=period.id, family_id=family.id, assessment_date=date(2025, 3, 1),
                   covers_from=date(2025, 1, 10), covers_to=date(2025, 3, 1), recommendation="continue",
                   author_id=agata.id),
    ])
    db.session.commit()
    return family



def test_the_family_timeline_merges_every_domain_newest_first_ties_in_domain_order(app, make_user,
                                                                                    make_family):  # noqa: F811
    family = _family_with_a_bit_of_everything(make_user, make_family)
    with app.test_request_context():
        timeline = [(i.day.isoformat(), i.kind, str(i.title)) for i in family_timeline(family)]
    assert timeline == [
        ("2025-03-01", "assessment", "Ocena okresowa: kontynuacja pracy"),
        ("2025-03-01", "placement",
         "Dziecko0 Kowalscy: umieszczenie w pieczy zastępczej (niezawodowa rodzina zastępcza)"),
        ("2025-03-01", "visit", "Visit, 60 min (Test User 1)"),
        ("2025-02-03", "work_plan", "Plan pracy, wersja 1"),
        ("2025-02-03", "visit", "Visit, 45 min (Test User 1)"),
        ("2025-01-10", "support_period", "Rozpoczęto wsparcie (wniosek pracownika socjalnego)"),
        ("2025-01-10", "assignment", "Przydzielono asystenta: Test User 1"),
    ]


def test_attention_notes_come_from_every_domain_in_domain_order(app, make_user, make_family):  # noqa: F811
    family = _family_with_a_bit_of_everything(make_user, make_family)
    no_plan = make_family(name="Nowakowie", start=date(2025, 1, 10))
    with app.test_request_context():
        notes = attention_for([family.id, no_plan.id])
    assert notes[family.id] == ["ocena zaległa od 2025-09-01", "brak wizyty od 2025-03-01"]
    waited = (today_local() - date(2025, 1, 10)).days  # no assistant assigned: the family waits (support domain)
    assert notes[no_plan.id] == ["ocena zaległa od 2025-07-10", "plan pracy zaległy od 2025-02-09",
                                 f"Oczekuje na asystenta od 2025-01-10 (dni: {waited})", "brak wizyty"]


def test_the_scheduler_commands_come_from_its_cli_module_not_from_importing_its_views(app):
    from casework.scheduler import cli as scheduler_cli

    group = app.cli.commands["casework"]
    assert {"scheduler", "run-jobs"} <= set(group.commands)
    assert group.commands["run-jobs"] in scheduler_cli.commands
    views_source = (Path(scheduler_cli.__file__).parent / "views.py").read_text(encoding="utf-8")
    assert "scheduler.cli" not in views_source
