"""No page answers 500, whatever a user types: every route, every role, odd query strings and odd forms.

And every page that needs an id is really rendered: over the demo centre (small tier), each role follows the links
its own pages show (so the ids are those of records the role can see) and every id route answers 200 or a
documented redirect for some role; the records the demo does not make (an assessment, a court opinion with its
document, a municipal programme, prepared statistics, a calendar feed, an uploaded import) are added first."""
import io
import re
from datetime import timedelta
from html import unescape
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from casework.extensions import db

ODD_VALUES = ["", "-1", "0", "abc", "9" * 30, "2026-02-30", "' OR 1=1 --", "<script>x</script>", "Łódź żółć",
              "\x00", "%", "../../etc/passwd"]
ROLES = ["admin", "coordinator", "assistant", "social_worker", "zi_member"]


def _routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        yield rule


def _build_paths(rule):
    """Concrete paths for a rule: converters get an existing-looking id and a missing one."""
    args = [a for a in rule.arguments]
    if not args:
        return [rule.rule]
    paths = []
    for value in ("1", "999999"):
        path = rule.rule
        for arg in args:
            path = path.replace(f"<int:{arg}>", value).replace(f"<{arg}>", value)
            path = path.replace(f"<string:{arg}>", value).replace(f"<path:{arg}>", value)
        paths.append(path)
    return paths


def _refused_before_the_view(response) -> bool:
    """The request was refused by the role check or the login check, before the view read any argument."""
    return response.status_code in (401, 403) or (
        response.status_code == 302 and "/login" in response.headers.get("Location", ""))


@pytest.mark.parametrize("role", ROLES + [None])
def test_get_routes_never_answer_500(app, client, login_as, role):
    if role:
        login_as(role)
    keys = ["page", "q", "date_from", "date_to", "object_id", "user", "action", "status", "year", "month",
            "family_id", "assistant", "from", "to", "next", "sort"]
    for rule in _routes(app):
        if "GET" not in rule.methods or rule.endpoint in ("auth.logout",):
            continue
        for path in _build_paths(rule):
            for n, value in enumerate(ODD_VALUES):
                query = {k: value for k in keys}
                response = client.get(path, query_string=query)
                assert response.status_code < 500, f"{role}: GET {path}?…={value!r} → {response.status_code}"
                if n == 0 and _refused_before_the_view(response):
                    break  # the role may not open it: the view, and so its query string, never runs


@pytest.mark.parametrize("role", ["admin", "coordinator", "assistant"])
def test_post_routes_never_answer_500(app, client, login_as, role):
    user = login_as(role)
    for rule in _routes(app):
        if "POST" not in rule.methods or rule.endpoint in ("auth.logout",):
            continue
        for path in _build_paths(rule):
            for n, value in enumerate(("", "abc", "-5", "2026-13-45", "x" * 5000)):
                fields = {k: value for k in ("login", "password", "full_name", "email", "roles", "active",
                                             "version", "date", "start_date", "end_date", "duration", "name",
                                             "pesel", "reason", "lang", "next", "new_password", "confirm",
                                             "current_password", "family_id", "status")}
                response = client.post(path, data=fields)
                assert response.status_code < 500, f"{role}: POST {path} with {value[:20]!r} → {response.status_code}"
                if n == 0 and _refused_before_the_view(response):
                    break  # the role may not send it: the view, and so its fields, never runs
            # the user must still be able to work afterwards (no half-committed state breaks the session)
    assert user.id


# --- every id route rendered over the demo centre ---------------------------------------------------------------

#: the demo user who plays each role (casework/demo DEMO_USERS)
DEMO_LOGIN = {"admin": "admin", "coordinator": "koordynator", "assistant": "asystent1",
              "social_worker": "pracownik1", "zi_member": "zespol"}
#: GET routes with an id that answer a redirect by design: endpoint → the endpoints the redirect may lead to
DOCUMENTED_REDIRECTS = {
    "plans.family_plan": {"plans.show"},  # a family that has a plan is sent to its newest version
    "indicators.snapshot": {"indicators.index"},  # prepared statistics open as the report page of their period
    # past the correction window (`visit_edit_days`) an author's own entry is read-only: back, with a message
    "contacts.contact_edit": {"families.detail", "contacts.institution"},
    "contacts.meeting_edit": {"families.detail"},
}
#: the id routes each role renders at least, with the records it sees (a narrower set is a lost page or link)
MUST_RENDER = {
    "admin": {"admin.user_edit", "families.member_edit", "families.period_edit", "families.period_new",
              "attachments.template_download", "attachments.download",
              "fostercare.placement", "importer.check", "indicators.snapshot", "reports.programme_report"},
    "coordinator": {
        "assessments.edit", "assessments.new", "assessments.print_docx", "contacts.contact_edit",
        "contacts.institution", "contacts.institution_form", "contacts.meeting_edit", "contacts.meeting_new",
        "deadlines.feed", "families.detail", "families.edit", "families.member_edit", "families.member_new",
        "families.period_assign", "families.period_edit", "families.period_end", "families.period_new",
        "fostercare.child", "fostercare.placement", "importer.check", "indicators.drilldown", "indicators.export",
        "indicators.snapshot", "opinions.document", "opinions.form", "plans.edit_action", "plans.family_plan",
        "plans.print_docx", "plans.show", "privacy.person_export", "reports.export", "reports.programme",
        "reports.programme_export", "reports.programme_report", "reports.programme_values", "reports.show",
        "reports.edition", "reports.edition_export", "visits.edit",
        "staff.person", "staff.qualification", "staff.spell_form", "staff.training_form", "staff.cost_form",
        "reports.ministry_row_records",
        "support.family", "support.supporting_family", "support.help_form", "support.facility_form",
        "support.team_form", "support.za_zyciem_form", "support.attendance_form"},
    "assistant": {
        "assessments.edit", "assessments.new", "assessments.print_docx", "contacts.contact_edit",
        "contacts.institution", "contacts.meeting_edit", "contacts.meeting_new", "deadlines.feed",
        "families.detail", "opinions.document", "opinions.form", "plans.edit_action", "plans.family_plan",
        "plans.print_docx", "plans.show", "visits.edit", "attachments.new", "attachments.letter_new",
        "attachments.download", "support.family", "support.attendance_form"},
    "social_worker": {"families.detail", "contacts.institution"},
    "zi_member": {"bluecard.detail", "attachments.bluecard_new", "attachments.bluecard_download",
                  "bluecard.form_document", "bluecard.package"},
}
#: links that are not pages to render
NOT_CRAWLED = {"auth.logout", "static"}
#: how many different URLs of one route each role opens (more: a list's second page, another family…)
PER_ENDPOINT = 1
HREF = re.compile(r'href="([^"#]+)')
GET_FORM = re.compile(r'<form\b[^>]*\bmethod="get"[^>]*>', re.I)
ACTION = re.compile(r'\baction="([^"#]+)"')


def _add_what_the_demo_lacks():
    """Records of the kinds the demo centre does not generate, made the way the app makes them."""
    from casework.assessments import services as assessments
    from casework.attachments import services as attachments
    from casework.core.dictionaries import by_code
    from casework.auth.models import User
    from casework.contacts import services as contacts
    from casework.contacts.models import InstitutionContact, TeamMeeting
    from casework.core.timeutil import today_local
    from casework.families.access import visible_families_clause
    from casework.families.models import Family, SupportPeriod
    from casework.indicators import services as indicators
    from casework.opinions import services as opinions
    from casework.reports import editions as report_editions
    from casework.reports import services as reports

    today = today_local()
    made = {}
    for role in ("assistant", "social_worker"):
        user = db.session.scalar(select(User).where(User.login == DEMO_LOGIN[role]))
        # an open support period of a family the role sees, preferably one with a team meeting and a contact
        stmt = (select(SupportPeriod).join(Family).where(
            visible_families_clause(user, today=today), Family.archived_at.is_(None),
            SupportPeriod.end_date.is_(None), SupportPeriod.start_date <= today - timedelta(days=30))
            .order_by(SupportPeriod.id).limit(1))
        period = db.session.scalar(stmt.where(Family.id.in_(select(TeamMeeting.family_id)),
                                              Family.id.in_(select(InstitutionContact.family_id)))) \
            or db.session.scalar(stmt)
        assert period is not None, f"the demo centre gives {role} no family with an open support period"
        made[role] = period.family_id
        if role == "assistant":  # a meeting of this week: on the timeline and within the correction window
            contacts.log_meeting(period.family, {"meeting_date": today, "participants": "asystent, koordynator"},
                                 actor=user)
        assessments.make_assessment(period, {"assessment_date": today, "covers_from": period.start_date,
                                             "covers_to": today, "recommendation": "continue",
                                             "progress": "Postępy w organizacji dnia."}, actor=user)
        upload = _Upload(b"%PDF-1.4 opinia", "opinia.pdf", "application/pdf")
        opinions.record_request(period.family, {"court": "Sąd Rejonowy w Przykładowie", "case_signature": "III Nsm 1",
                                                "received_on": today - timedelta(days=20), "due_on": today,
                                                "sent_on": today - timedelta(days=1)}, upload, actor=user)
        if role == "assistant":  # a scanned document on the family's timeline
            attachments.attach(period.family, {"kind_id": by_code("attachment_kind", "court_order").id},
                               _Upload(b"%PDF-1.4 postanowienie", "skan.pdf", "application/pdf"), actor=user)
    # a procedure handed over to another municipality's team (its package is downloaded again from its page)
    from casework.bluecard import handover
    from casework.bluecard.models import Procedure

    team = db.session.scalar(select(User).where(User.login == DEMO_LOGIN["zi_member"]))
    moving = db.session.scalar(select(Procedure).where(Procedure.closed_on.is_(None), Procedure.nka_date <= today)
                               .order_by(Procedure.id.desc()).limit(1))
    assert moving is not None, "the demo centre has no open blue-card procedure"
    handover.hand_over(moving, today, "Zespół Interdyscyplinarny w Innej Gminie", actor=team, today=today)
    coordinator = db.session.scalar(select(User).where(User.login == DEMO_LOGIN["coordinator"]))
    reports.load_example(reports.examples()[0]["file"], actor=coordinator)
    report_editions.create_from_template(report_editions.templates()[0]["file"], today.year - 1, actor=coordinator)
    prepared = indicators.prepare_snapshots(today.replace(month=1, day=15))
    assert prepared, "no statistics prepared for last year"
    ended = db.session.scalar(select(Family.id).where(Family.archived_at.is_(None), ~Family.id.in_(
        select(SupportPeriod.family_id).where(SupportPeriod.end_date.is_(None)))).order_by(Family.id).limit(1))
    db.session.commit()
    pages = {role: [f"/families/{family_id}"] for role, family_id in made.items()}
    # who sees every family opens these too, and a family whose support ended (to start a new period)
    everything = [f"/families/{family_id}" for family_id in made.values()] + [f"/families/{ended}"]
    pages |= {"admin": everything, "coordinator": everything, "zi_member": [f"/blue-card/{moving.id}"]}
    return {"snapshot": f"/reports/indicators/prepared/{prepared[0].id}", "pages": pages}


class _Upload:
    def __init__(self, data, filename, mimetype):
        self._data, self.filename, self.mimetype = data, filename, mimetype

    def read(self, _limit=None):
        return self._data


def _seed_urls(client, role, extra):
    """URLs a role reaches other than by a link on a page: the calendar feed it makes, the import it uploads,
    the families with the records added for the test."""
    urls = list(extra["pages"].get(role, []))
    if role in ("admin", "coordinator", "assistant"):
        html = client.post("/deadlines/calendar", data={"action": "new"}).get_data(as_text=True)
        feed = re.search(r"(/deadlines/calendar/[^\"<\s]+\.ics)", html)
        assert feed, f"{role}: no calendar feed address shown"
        urls.append(feed.group(1))
    if role in ("admin", "coordinator"):
        template = client.get("/import/template.xlsx")
        assert template.status_code == 200
        upload = client.post("/import/", data={"file": (io.BytesIO(template.data), "dane.xlsx")},
                             content_type="multipart/form-data")
        assert upload.status_code == 302, upload.status_code
        urls.append(urlsplit(upload.headers["Location"]).path)
        urls.append(extra["snapshot"])
    return urls


def _crawl(app, client, role, extra):
    """Open every page without an id (allowed to the role or not), then breadth-first every link those pages show
    and the role's own feed and upload. Returns {endpoint: [(url, status, location, linked)]}: `linked` for the
    URLs the role was given (a link on its page, its feed), which must open."""
    adapter = app.url_map.bind("localhost")
    start = [(r.rule, False) for r in _routes(app) if "GET" in r.methods and not r.arguments
             and r.endpoint not in NOT_CRAWLED]
    seeds = _seed_urls(client, role, extra)
    queue = [("/", True)] + [(u, True) for u in seeds] + start
    seen, opened, per_rule = set(), {}, {}
    while queue:
        url, linked = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        parts = urlsplit(url)
        try:
            rule, _args = adapter.match(parts.path, method="GET", return_rule=True)
        except RequestRedirect:
            continue
        except HTTPException:
            continue
        endpoint = rule.endpoint
        if endpoint in NOT_CRAWLED or (len(per_rule.get(rule.rule, ())) >= PER_ENDPOINT and url not in seeds):
            continue
        per_rule.setdefault(rule.rule, []).append(url)
        response = client.get(url)
        opened.setdefault(endpoint, []).append((url, response.status_code, response.headers.get("Location"),
                                                linked))
        assert response.status_code < 500, f"{role}: GET {url} → {response.status_code}"
        if response.status_code == 200 and response.mimetype == "text/html":
            html = response.get_data(as_text=True)
            actions = [m.group(1) for f in GET_FORM.findall(html) for m in [ACTION.search(f)] if m]
            for href in HREF.findall(html) + actions:  # a GET form sent with the values it shows
                href = unescape(href)
                if href.startswith("/") and not href.startswith("//"):
                    queue.append((href, True))
    return opened


def test_every_page_with_an_id_is_rendered_over_the_demo_centre(app):
    from casework.demo import DEMO_PASSWORD, TIERS, load_demo

    load_demo(tier=TIERS["small"])
    extra = _add_what_the_demo_lacks()
    id_routes = {r.endpoint for r in _routes(app) if "GET" in r.methods and r.arguments} - NOT_CRAWLED
    rendered, problems = {}, []
    for role, login_name in DEMO_LOGIN.items():
        client = app.test_client()  # a browser of its own for each role
        response = client.post("/login", data={"login": login_name, "password": DEMO_PASSWORD})
        assert response.status_code == 302, f"{role}: the demo login failed"
        for endpoint, results in _crawl(app, client, role, extra).items():
            for url, status, location, linked in results:
                if status == 200:
                    rendered.setdefault(endpoint, set()).add(role)
                elif status == 302 and endpoint in DOCUMENTED_REDIRECTS:
                    target = app.url_map.bind("localhost").match(urlsplit(location).path)[0]
                    if target not in DOCUMENTED_REDIRECTS[endpoint]:
                        problems.append(f"{role}: {url} redirects to {location}")
                    else:
                        rendered.setdefault(endpoint, set()).add(role)
                elif linked:
                    # a link the role's own pages show must open (a link to a 403/404 page is a broken link:
                    # the family page's timeline leaves out the links its reader's role may not open)
                    problems.append(f"{role}: {url} → {status} {location or ''}")
    assert not problems, "\n".join(problems)
    never = sorted(id_routes - set(rendered))
    assert not never, f"id routes no role could render over the demo centre: {never}"
    for role, expected in MUST_RENDER.items():
        missing = sorted(e for e in expected if role not in rendered.get(e, ()))
        assert not missing, f"{role} could not open {missing}"
