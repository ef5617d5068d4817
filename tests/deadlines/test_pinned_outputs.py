"""Pinned outputs of every deadline consumer over one fixed centre, so a refactoring of how deadlines are computed
(issue 16, "deadlines as one concept") cannot change what users see.

The centre: the demo loader's "small" tier (seed 2026) generated with `today` frozen at FROZEN_TODAY, plus a few
records the demo does not make (court opinions, half-yearly assessments recommending a plan revision).
Pinned: the coordinator's deadline board, each demo assistant's board, the iCal feed (coordinator and one
assistant, through the real route) and the reminder candidates of every registered reminder rule, normalized to
case numbers and logins. The demo generator draws a little differently on SQLite and PostgreSQL (row order), so
each database has its own files: pinned_<sqlite|postgresql>_<output>.json.

How the pinned_*.json files were produced: by this test, run on the code BEFORE the refactoring
(`deadlines/services.collect` with its own SQL and each domain's own `reminder_rules.py` queries), with
CASEWORK_PIN_WRITE=1 on each database:
    CASEWORK_PIN_WRITE=1 .venv/bin/python -m pytest tests/deadlines/test_pinned_outputs.py -n 0
Never regenerate them to make a failing refactoring pass: a difference is a change users would notice.
"""
import json
import re
import os
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from icalendar import Calendar
from sqlalchemy import select

from casework.extensions import db

HERE = Path(__file__).parent
FROZEN_TODAY = date(2026, 10, 14)
FROZEN_NOW = datetime(2026, 10, 14, 10, 0, tzinfo=timezone.utc)
ASSISTANTS = ("asystent1", "asystent2", "asystent3")


@pytest.fixture
def frozen(monkeypatch):
    """`today_local` and `utcnow` fixed in every loaded casework module (they are imported by name)."""
    from casework.core import timeutil

    originals = {timeutil.today_local: lambda: FROZEN_TODAY, timeutil.utcnow: lambda: FROZEN_NOW}
    for name, module in list(sys.modules.items()):
        if not (name == "casework" or name.startswith("casework.")) or module is None:
            continue
        for attr in ("today_local", "utcnow"):
            value = getattr(module, attr, None)
            if value in originals:
                monkeypatch.setattr(module, attr, originals[value])
    return FROZEN_TODAY


@pytest.fixture
def centre(app, frozen):
    from casework.assessments import services as assessments
    from casework.auth.models import User
    from casework.core import dictionaries
    from casework.core.settings import set_setting
    from casework.demo import TIERS, load_demo
    from casework.families import services as families
    from casework.families.models import Family, SupportPeriod
    from casework.opinions import services as opinions

    today = frozen
    load_demo(tier=TIERS["small"])
    users = {u.login: u for u in db.session.scalars(select(User))}
    periods = db.session.scalars(select(SupportPeriod).join(Family).where(
        Family.archived_at.is_(None), SupportPeriod.end_date.is_(None),
        SupportPeriod.start_date <= today - timedelta(days=40)).order_by(SupportPeriod.id)).all()
    assert len(periods) >= 14
    # court opinions: overdue, due today, soon, within the board's horizon, beyond it, already sent
    for n, (due, sent) in enumerate([(-3, None), (0, None), (5, None), (25, None), (60, None), (2, -1)]):
        opinions.record_request(periods[n].family, {
            "court": "Sąd Rejonowy w Przykładowie", "case_signature": f"III Nsm {n + 1}",
            "received_on": today - timedelta(days=30), "due_on": today + timedelta(days=due),
            "sent_on": today + timedelta(days=sent) if sent is not None else None},
            actor=users["asystent1"], today=today)
    # assessments: some recommend revising the plan (at different ages), some continue
    for n, (ago, recommendation) in enumerate([(5, "revise_plan"), (25, "revise_plan"), (40, "revise_plan"),
                                               (10, "continue"), (2, "revise_plan")]):
        period = periods[6 + n]
        assessments.make_assessment(period, {
            "assessment_date": today - timedelta(days=ago), "covers_from": period.start_date,
            "covers_to": today - timedelta(days=ago), "recommendation": recommendation,
            "progress": "Postępy w organizacji dnia."}, actor=users["koordynator"], today=today)
    # families the demo lacks: no visit and no plan yet, an assessment overdue, a period without an assistant,
    # monitoring ending within and beyond the board's horizon
    for n, (ago, assistant) in enumerate([(35, "asystent1"), (200, "asystent2"), (25, None)]):
        family = families.register_family({"case_number": f"PIN/{n + 1}", "name": f"Przypięci{n}",
                                           "area": "urban", "city": "Gniezno"}, actor=None)
        families.add_member(family, {"first_name": "Anna", "last_name": "Przypięta", "relation": "parent",
                                     "birth_date": date(1990, 5, 5)}, actor=None)
        start = today - timedelta(days=ago)
        period = families.start_support_period(family, {"basis": "referral", "referral_date": start,
                                                        "start_date": start}, actor=None)
        if assistant:
            families.assign_assistant(period, users[assistant], start, actor=None)
    reason = dictionaries.by_code("end_reason", "goals_achieved").id
    for n, (ended, until) in enumerate([(10, 10), (5, 40), (20, 3)]):
        families.end_support_period(periods[11 + n], today - timedelta(days=ended), reason, None,
                                    today + timedelta(days=until), actor=users["koordynator"])
    set_setting("caseload_cap", 10)  # some demo assistants reach it (the statutory 15 is never reached there)
    db.session.commit()
    return users


def _board_rows(items):
    return sorted([d.kind, d.case_number, d.due.isoformat(), str(d.title), d.url_endpoint,
                   [list(a) for a in d.url_args]] for d in items)


def _feed_rows(body: bytes):
    calendar = Calendar.from_ical(body)
    return sorted([str(e["uid"]), e.decoded("dtstart").isoformat(), e.decoded("dtend").isoformat(),
                   str(e["summary"]), str(e["url"])] for e in calendar.walk("VEVENT"))


def _outputs(client, users):
    from casework.core.reminders import all_rules
    from casework.deadlines import services

    today = FROZEN_TODAY
    logins = {u.id: u.login for u in users.values()}
    out = {"board_coordinator": _board_rows(services.collect(None, today, include_caseload=True))}
    for name in ASSISTANTS:
        out[f"board_{name}"] = _board_rows(services.collect(services.own_family_ids(users[name], today), today,
                                                            include_caseload=False))
    for name in ("koordynator", "asystent1"):
        token = services.new_calendar_token(users[name])
        db.session.commit()
        response = client.get(f"/deadlines/calendar/{token}.ics")
        assert response.status_code == 200
        out[f"feed_{name}"] = _feed_rows(response.data)
    reminders = []
    for code, rule in sorted(all_rules().items()):
        for c in rule.candidates(today):
            reminders.append([code, c.record_type, c.record_id, c.due_date.isoformat(),
                              sorted(logins.get(r, str(r)) for r in c.recipient_ids),
                              None if c.subject is None else str(c.subject)])
    out["reminders"] = sorted(reminders, key=json.dumps)
    return out


def test_deadline_consumers_give_the_pinned_outputs(client, centre):
    """The boards, the feed and the reminder candidates over the fixed centre are exactly as pinned.

    Pinned on SQLite only: the demo generator reproduces the same centre there on every run, while on PostgreSQL it
    reads rows in an order the database may change from run to run (seen in CI: other case numbers and dates), so a
    pin there would compare two different centres. The deadline code is dialect-neutral SQL, run on PostgreSQL by
    the board, reminder and feed tests."""
    dialect = db.engine.dialect.name
    if dialect != "sqlite":
        pytest.skip("the pinned centre is reproducible on SQLite only (see the docstring)")
    got = json.loads(json.dumps(_outputs(client, centre)))
    if os.environ.get("CASEWORK_PIN_WRITE"):
        for name, rows in got.items():
            (HERE / f"pinned_{dialect}_{name}.json").write_text(json.dumps(rows, ensure_ascii=False, indent=0) + "\n")
    for name, rows in got.items():
        expected = json.loads((HERE / f"pinned_{dialect}_{name}.json").read_text())
        assert _without_row_ids(name, rows) == _without_row_ids(name, expected), name


def _without_row_ids(name, rows):
    """The rows with database ids left out (a PostgreSQL sequence may hand the demo's records other ids from run to
    run); what a user sees — kind, case number, date, title, link target, recipients — is compared."""
    def plain(value):
        return re.sub(r"\d+", "#", value) if isinstance(value, str) else value

    if name.startswith("board_"):
        out = [[kind, case, due, title, endpoint, [[k, "#" if isinstance(v, int) else v] for k, v in args]]
               for kind, case, due, title, endpoint, args in rows]
    elif name.startswith("feed_"):
        out = [[plain(uid), start, end, summary, plain(url)] for uid, start, end, summary, url in rows]
    else:
        out = [[code, record_type, due, recipients, subject]
               for code, record_type, _id, due, recipients, subject in rows]
    return sorted(out, key=json.dumps)


def test_the_pinned_centre_covers_every_kind(client, centre):
    """The pinned data would catch a change in any kind: each board kind and each deadline-like rule occurs."""
    boards = json.loads((HERE / "pinned_sqlite_board_coordinator.json").read_text())
    assert {row[0] for row in boards} >= {"assessment", "plan_missing", "plan_revision", "plan_action",
                                          "court_opinion", "monitoring", "no_visit", "caseload"}
    rules = {row[0] for row in json.loads((HERE / "pinned_sqlite_reminders.json").read_text())}
    assert rules >= {"assessment_due", "assessment_overdue", "plan_revision_due", "plan_action_overdue",
                     "court_opinion_due", "monitoring_ending", "no_visit",
                     "plan_missing", "caseload_cap"}
