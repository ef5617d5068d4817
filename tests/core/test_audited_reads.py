"""Every GET that shows family data leaves exactly one audit row, committed (read from a fresh connection), written
in one place (casework.core.audit.commit_reads); a page that is not shown (404, redirect) leaves none; no audit row
carries personal data. The crawl runs over the demo centre, as every demo user."""
import json
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

import casework.models  # noqa: F401 - every model mapped before a module that needs them all is imported
from casework.assessments.models import Assessment
from casework.attachments import services as attachment_services
from casework.attachments.models import Attachment, BluecardAttachment
from casework.auth.models import User
from casework.bluecard import access as bluecard_access
from casework.bluecard.models import Procedure
from casework.contacts.models import Institution, InstitutionContact, TeamMeeting
from casework.core.audit import AuditEvent
from casework.core.dictionaries import by_code
from casework.demo import DEMO_PASSWORD, load_demo
from casework.deadlines import services as deadline_services
from casework.extensions import db
from casework.families.access import visible_families_clause
from casework.families.models import Family, FamilyMember, SupportPeriod
from casework.fostercare.models import FosterChild, Placement
from casework.opinions.models import CourtOpinion
from casework.plans.models import PlanAction, PlanGoal, WorkPlan
from casework.visits.models import Visit
from tests.conftest import login

#: GET pages that show family data → the audit action of their one row
AUDITED = {
    "families.index": "family_list_viewed", "families.mine": "my_families_viewed",
    "families.detail": "family_viewed", "families.edit": "family_edit_viewed",
    "families.member_new": "family_viewed", "families.member_edit": "member_edit_viewed",
    "families.period_new": "family_viewed", "families.period_edit": "family_viewed",
    "families.period_assign": "family_viewed", "families.period_end": "family_viewed",
    "visits.new": "visit_form_viewed", "visits.edit": "visit_viewed", "visits.day": "my_day_viewed",
    "visits.week": "my_week_viewed", "visits.timesheet": "timesheet_viewed",
    "visits.offline_data": "my_families_viewed",
    "contacts.contact_new": "contact_form_viewed", "worktime.new": "work_form_viewed", "contacts.contact_edit": "institution_contact_viewed",
    "contacts.meeting_new": "family_viewed", "contacts.meeting_edit": "team_meeting_viewed",
    "contacts.institution": "institution_contacts_viewed",
    "plans.family_plan": "work_plan_viewed", "plans.show": "work_plan_viewed",
    "plans.edit_action": "work_plan_viewed", "plans.print_docx": "work_plan_printed",
    "assessments.new": "assessment_viewed", "assessments.edit": "assessment_viewed",
    "assessments.print_docx": "assessment_printed", "assessments.board": "assessment_board_viewed",
    "opinions.form": "court_opinion_viewed", "opinions.document": "court_opinion_downloaded",
    "attachments.new": "attachment_form_viewed", "attachments.download": "attachment_downloaded",
    "attachments.letter_new": "letter_form_viewed", "attachments.bluecard_new": "bluecard_viewed",
    "attachments.bluecard_download": "bluecard_attachment_downloaded",
    "fostercare.index": "foster_children_viewed", "fostercare.child": "foster_child_viewed",
    "fostercare.placement": "placement_viewed", "fostercare.year": "foster_care_year_viewed",
    "bluecard.index": "bluecard_register_viewed", "bluecard.board": "bluecard_board_viewed",
    "bluecard.detail": "bluecard_viewed", "bluecard.form_document": "bluecard_form_printed",
    "bluecard.package": "bluecard_package_downloaded",
    "deadlines.index": "deadlines_viewed", "deadlines.feed": "deadline_feed_read",
    "main.home": "start_page_viewed",  # each role's start page lists case numbers and procedure numbers
    "reminders.index": "reminders_viewed",
    "privacy.person_export": "person_export_viewed", "privacy.retention_page": "retention_list_viewed",
    "indicators.drilldown": "indicator_records_viewed", "indicators.close": "data_quality_viewed",
    "reports.export": "report_exported", "reports.programme_export": "report_exported",
    "reports.edition_export": "report_exported",
    "search.index": "search_viewed",
    "reports.ministry_row_records": "indicator_records_viewed",
    "support.waiting_list": "waiting_list_viewed", "support.supporting_family": "supporting_family_viewed",
    "support.help_form": "supporting_family_help_form_viewed", "support.family": "family_viewed",
    "support.attendance_form": "family_viewed", "support.za_zyciem_form": "family_viewed",
    "support.za_zyciem_list": "za_zyciem_requests_viewed",
}

#: GET pages that show no family data → why (they leave no audit row)
UNAUDITED = {
    "main.healthz": "the health probe",
    "auth.login": "the login form", "auth.change_password": "the user's own password form",
    "admin.users": "staff accounts", "admin.user_new": "staff accounts", "admin.user_edit": "staff accounts",
    "admin.audit_log": "audit rows show ids and actions, never family data",
    "admin.settings": "the centre's settings", "scheduler.status": "the scheduler's jobs",
    "families.new": "an empty form", "families.caseload": "assistants and their counts of families",
    "bluecard.new": "an empty NK-A form (with ?family_id= the family loader audits it)",
    "bluecard.receive": "the upload form for a package from another team",
    "contacts.institutions": "the directory of institutions", "contacts.institution_form": "an institution",
    "deadlines.calendar": "the user's own feed address",
    "importer.index": "the upload form", "importer.template": "the empty template",
    "importer.check": "the rows of an uploaded file, not yet in the database (needs an upload token)",
    "indicators.index": "statistics: numbers only", "indicators.export": "statistics: numbers only",
    "indicators.snapshot": "a redirect to the statistics",
    "reports.index": "the list of reports", "reports.show": "statistics: numbers only",
    "reports.dashboard_page": "statistics: numbers only", "reports.programmes": "the municipal programmes",
    "reports.programme": "a municipal programme", "reports.programme_values": "statistics: numbers only",
    "reports.programme_report": "statistics: numbers only", "reports.ministry_rows": "the ministry's rows",
    "reports.ministry_values": "the ministry report's typed-in figures: numbers only",
    "reports.editions": "the list of the centre's reports", "reports.edition": "a report: text and statistics",
    "admin.centre": "the centre's name, address and numbers", "admin.centre_logo": "the centre's logo",
    "help.index": "the list of user guides", "help.page": "a user guide from docs/",
    "visits.offline": "the offline visit log's shell: the families come from the phone (visits.offline_data)",
    "visits.service_worker": "the offline visit log's service worker script",
    "attachments.templates": "the centre's letter templates", "attachments.template_download": "a letter template",
    "staff.index": "the staff register: employment of staff, no family data",
    "staff.person": "an assistant's employment, trainings and costs", "staff.qualification": "an assistant's form",
    "staff.spell_form": "an assistant's form", "staff.training_form": "an assistant's form",
    "staff.cost_form": "an assistant's form", "staff.trainings": "the assistants' trainings",
    "support.supporting_families": "the register of supporting families (the families they help: on their page)",
    "support.supporting_family_form": "a supporting family's own data",
    "support.facilities": "the day-support facilities of the directory", "support.facility_form": "a facility",
    "support.team": "the interdisciplinary team's members", "support.team_form": "a member of the team",
}

ARG_DEFAULTS = {"year": date.today().year, "fmt": "csv", "form": "NK-A"}


def _audit_rows() -> list:
    """Every audit row as committed: read on a connection of its own, not through the test's session."""
    with db.engine.connect() as conn:
        return conn.execute(select(AuditEvent.action, AuditEvent.details).order_by(AuditEvent.id)).all()


def _count() -> int:
    with db.engine.connect() as conn:
        return conn.scalar(select(func.count(AuditEvent.id)))


def _first(stmt):
    return db.session.scalar(stmt.limit(1))


def _ids_for(user) -> dict:
    """One record of each kind that `user` may open, preferring families with an open support period."""
    families = select(Family.id).where(visible_families_clause(user), Family.archived_at.is_(None))
    open_family = _first(select(SupportPeriod.family_id).where(SupportPeriod.family_id.in_(families),
                                                               SupportPeriod.end_date.is_(None))
                         .order_by(SupportPeriod.family_id)) or _first(families.order_by(Family.id))
    ids = {"family_id": open_family}
    if open_family:
        ids["member_id"] = _first(select(FamilyMember.id).where(FamilyMember.family_id == open_family))
        ids["period_id"] = _first(select(SupportPeriod.id).where(SupportPeriod.family_id == open_family)
                                  .order_by(SupportPeriod.id.desc()))
    ids["visit_id"] = _first(select(Visit.id).where(Visit.family_id.in_(families), Visit.archived_at.is_(None))
                             .order_by(Visit.visit_date.desc()))
    ids["contact_id"] = _first(select(InstitutionContact.id).where(
        InstitutionContact.family_id.in_(families), InstitutionContact.archived_at.is_(None))
        .order_by(InstitutionContact.contact_date.desc()))
    ids["meeting_id"] = _first(select(TeamMeeting.id).where(TeamMeeting.family_id.in_(families),
                                                            TeamMeeting.archived_at.is_(None))
                               .order_by(TeamMeeting.meeting_date.desc()))
    ids["plan_id"] = _first(select(WorkPlan.id).where(WorkPlan.family_id.in_(families)))
    ids["action_id"] = _first(select(PlanAction.id).join(PlanGoal).join(WorkPlan)
                              .where(WorkPlan.family_id.in_(families)))
    ids["assessment_id"] = _first(select(Assessment.id).where(Assessment.family_id.in_(families),
                                                              Assessment.archived_at.is_(None)))
    ids["opinion_id"] = _first(select(CourtOpinion.id).where(CourtOpinion.family_id.in_(families)))
    ids["attachment_id"] = _first(select(Attachment.id).where(Attachment.family_id.in_(families)))
    ids["bluecard_attachment_id"] = _first(select(BluecardAttachment.id).join(Procedure).where(
        bluecard_access.visible_clause(user)))
    ids["child_id"] = _first(select(FosterChild.id).where(FosterChild.archived_at.is_(None),
                                                          FosterChild.family_id.in_(families)))
    ids["placement_id"] = _first(select(Placement.id))
    ids["procedure_id"] = _first(select(Procedure.id).where(bluecard_access.visible_clause(user)))
    ids["handed_over_procedure_id"] = _first(select(Procedure.id).where(bluecard_access.visible_clause(user),
                                                                        Procedure.closing_ground == "handed_over"))
    ids["plan_free_family_id"] = _first(select(SupportPeriod.family_id).where(
        SupportPeriod.family_id.in_(families), SupportPeriod.end_date.is_(None),
        SupportPeriod.id.not_in(select(WorkPlan.support_period_id))))
    ids["institution_id"] = _first(select(Institution.id).join(InstitutionContact).where(
        InstitutionContact.family_id.in_(families)))
    from casework.support.models import SupportingFamily  # local import: issue 18's register, one id for its pages

    ids["sf_id"] = _first(select(SupportingFamily.id).where(SupportingFamily.archived_at.is_(None)))
    return {k: v for k, v in ids.items() if v is not None}


def _path(app, rule, ids):
    values = {}
    if rule.endpoint == "plans.family_plan":  # the page shows only while the family has no plan
        ids = dict(ids, family_id=ids.get("plan_free_family_id"))
    if rule.endpoint == "bluecard.package":  # only a procedure handed over to another team has a package
        ids = dict(ids, procedure_id=ids.get("handed_over_procedure_id"))
    for arg in rule.arguments:
        if arg in ids:
            values[arg] = ids[arg]
        elif arg in ARG_DEFAULTS:
            values[arg] = ARG_DEFAULTS[arg]
        elif arg == "name":
            from casework.reports import registry
            values[arg] = registry.all_reports()[0].name
        elif arg == "code":
            from casework.core.indicators import all_indicators
            values[arg] = all_indicators()[0].code
        elif arg == "programme_id":
            from casework.reports.models import Programme
            values[arg] = _first(select(Programme.id))
        elif arg == "document_id":
            from casework.reports.models import ReportDocument
            values[arg] = _first(select(ReportDocument.id))
        elif arg == "row_id":
            from casework.reports.models import MinistryRow
            values[arg] = _first(select(MinistryRow.id).where(MinistryRow.number == "6"))
        else:
            return None
        if values[arg] is None:
            return None
    with app.test_request_context():
        from flask import url_for
        return url_for(rule.endpoint, **values)


@pytest.fixture
def demo_centre(app):
    load_demo(families=12, seed=2026)
    family = db.session.scalar(select(Family).join(SupportPeriod).where(SupportPeriod.end_date.is_(None))
                               .order_by(Family.id).limit(1))
    author = db.session.scalar(select(User).where(User.login == "koordynator"))
    db.session.add(CourtOpinion(family_id=family.id, author_id=author.id, court="Sąd Rejonowy w Gnieźnie",
                                received_on=date.today() - timedelta(days=3), due_on=date.today() + timedelta(days=20),
                                document=b"%PDF-1.4 opinion", document_name="opinia.pdf",
                                document_type="application/pdf"))
    db.session.flush()
    attachment_services.attach(family, {"kind_id": by_code("attachment_kind", "court_order").id},
                               _Upload(b"%PDF-1.4 postanowienie"), actor=author)
    attachment_services.attach_to_procedure(db.session.scalar(select(Procedure).limit(1)),
                                            {"kind_id": by_code("attachment_kind", "other").id},
                                            _Upload(b"%PDF-1.4 notatka"), actor=author)
    from casework.families import services as family_services
    from casework.reports import editions as report_editions
    from casework.reports import services as report_services

    report_services.load_example(report_services.examples()[0]["file"], actor=author)
    report_editions.create_from_template(report_editions.templates()[0]["file"], date.today().year - 1,
                                         actor=author)
    planless = family_services.register_family({"case_number": "AR/CRAWL/1", "name": "Bezplanowi",
                                                "area": "urban"}, actor=author)
    period = family_services.start_support_period(planless, {"basis": "referral", "start_date": date.today(),
                                                             "referral_date": date.today()}, actor=author)
    family_services.assign_assistant(period, db.session.scalar(select(User).where(User.login == "asystent1")),
                                     date.today(), actor=author)
    if db.session.scalar(select(func.count(Procedure.id))) == 0:
        pytest.fail("the demo centre has no blue-card procedure to crawl")
    from casework.bluecard import handover

    moving = db.session.scalar(select(Procedure).where(Procedure.closed_on.is_(None), Procedure.nka_date <= date.today())
                               .order_by(Procedure.id.desc()).limit(1))
    handover.hand_over(moving, date.today(), "Zespół Interdyscyplinarny w Innej Gminie",
                       actor=db.session.scalar(select(User).where(User.login == "zespol")))
    db.session.commit()
    personal = set()
    for first, last, pesel in db.session.execute(select(FamilyMember.first_name, FamilyMember.last_name,
                                                        FamilyMember.pesel)):
        personal |= {first, last} | ({pesel} if pesel else set())
    personal |= set(db.session.scalars(select(Family.name)))
    return {p for p in personal if p and len(p) > 3}


class _Upload:
    filename = "skan.pdf"

    def __init__(self, data):
        self.data = data

    def read(self, _limit=None):
        return self.data


DEMO_LOGINS = ["admin", "koordynator", "asystent1", "asystent3", "pracownik1", "pracownik2", "zespol"]


def test_every_family_page_leaves_one_committed_audit_row_for_every_role(app, demo_centre):
    rules = [r for r in app.url_map.iter_rules() if "GET" in r.methods and r.endpoint != "static"]
    unclassified = sorted({r.endpoint for r in rules} - set(AUDITED) - set(UNAUDITED))
    assert not unclassified, f"classify these GET pages in AUDITED or UNAUDITED: {unclassified}"
    shown, problems = set(), []
    for login_name in DEMO_LOGINS:
        user = db.session.scalar(select(User).where(User.login == login_name))
        ids = _ids_for(user)
        client = app.test_client()
        assert login(client, login_name, DEMO_PASSWORD).status_code == 302
        if user.has_role("admin", "coordinator", "assistant"):
            ids["token"] = deadline_services.new_calendar_token(user)
            db.session.commit()
        for rule in rules:
            if rule.endpoint in ("importer.check",):
                continue
            path = _path(app, rule, ids)
            if path is None:
                continue
            before = _count()
            response = client.get(path)
            rows = _audit_rows()[before:]
            where = f"{login_name}: GET {path} → {response.status_code}"
            if rule.endpoint in AUDITED and response.status_code == 200:
                shown.add(rule.endpoint)
                if [r.action for r in rows] != [AUDITED[rule.endpoint]]:
                    problems.append(f"{where}: audit rows {[r.action for r in rows]}, "
                                    f"expected one {AUDITED[rule.endpoint]!r}")
                leaked = [p for p in demo_centre if p in json.dumps(rows[0].details if rows else {},
                                                                      ensure_ascii=False)]
                if leaked:
                    problems.append(f"{where}: personal data in the audit details")
            elif rows:
                problems.append(f"{where}: unexpected audit rows {[r.action for r in rows]}")
    assert not problems, "\n".join(problems)
    never = sorted(set(AUDITED) - shown)
    assert not never, f"these family pages were never shown by the crawl (no data or no role): {never}"


def test_a_read_is_audited_even_when_the_view_rolls_back(app, client, demo_centre):
    """The old way lost the row: the audit was added to the session and the GET never committed it."""
    login(client, "koordynator", DEMO_PASSWORD)
    assessment = db.session.scalar(select(Assessment.id).limit(1))
    before = _count()
    assert client.get(f"/assessments/{assessment}").status_code == 200
    assert [r.action for r in _audit_rows()[before:]] == ["assessment_viewed"]


def test_a_page_not_shown_leaves_no_read(app, client, demo_centre):
    login(client, "asystent1", DEMO_PASSWORD)
    user = db.session.scalar(select(User).where(User.login == "asystent1"))
    hidden = db.session.scalar(select(Family.id).where(~visible_families_clause(user)).limit(1))
    before = _count()
    assert client.get(f"/families/{hidden}").status_code == 404
    assert _count() == before
