from sqlalchemy import func, select

from casework.auth.models import User
from casework.extensions import db


def test_create_user_command(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["casework", "create-user", "Kowalska", "--name", "Ewa Kowalska",
                                 "--role", "coordinator", "--role", "zi_member"],
                           env={"CASEWORK_PASSWORD": "Bezpieczne-haslo-99"})
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.login == "kowalska"))
    assert user.roles == {"coordinator", "zi_member"}


def test_create_user_refuses_a_weak_password(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["casework", "create-user", "ewa", "--name", "Ewa", "--role", "admin"],
                           env={"CASEWORK_PASSWORD": "short"})
    assert result.exit_code == 1
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_demo_is_reproducible_and_idempotent_for_users(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["casework", "demo", "--families", "5", "--seed", "7"])
    assert first.exit_code == 0, first.output
    assert "koordynator" in first.output
    users = db.session.scalar(select(func.count(User.id)))
    assert users >= 5
    roles = set().union(*(u.roles for u in db.session.scalars(select(User))))
    assert roles == {"admin", "coordinator", "assistant", "social_worker", "zi_member"}


def test_demo_refused_in_production(app, monkeypatch):
    monkeypatch.setitem(app.config, "DEMO_DATA_ALLOWED", False)
    result = app.test_cli_runner().invoke(args=["casework", "demo"])
    assert result.exit_code == 1
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_demo_small_tier_is_a_small_centre_within_the_caseload_cap(app):
    from datetime import timedelta

    from casework.core.timeutil import today_local
    from casework.families.models import AssistantAssignment, SupportPeriod

    result = app.test_cli_runner().invoke(args=["casework", "demo", "--tier", "small"])
    assert result.exit_code == 0, result.output
    active = db.session.scalar(select(func.count(SupportPeriod.id)).where(SupportPeriod.end_date.is_(None)))
    assert 50 <= active <= 110, active
    oldest = db.session.scalar(select(func.min(SupportPeriod.start_date)))
    assert oldest >= today_local() - timedelta(days=3 * 365)
    # nobody's open caseload is above the statutory cap of 15
    loads = db.session.execute(select(AssistantAssignment.assistant_id, func.count())
                               .where(AssistantAssignment.end_date.is_(None))
                               .group_by(AssistantAssignment.assistant_id)).all()
    assert loads and max(n for _a, n in loads) <= 15
