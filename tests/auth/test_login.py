from datetime import timedelta

from sqlalchemy import select

from casework.auth.models import LoginAttempt
from casework.core.audit import AuditEvent
from casework.extensions import db
from tests.conftest import PASSWORD, login


def test_login_page_is_polish_by_default(client):
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="pl">' in html
    assert "Zaloguj" in html


def test_login_and_logout(client, make_user):
    user = make_user("assistant", login="agata")
    response = login(client, "agata")
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert user.full_name in client.get("/").get_data(as_text=True)
    response = client.post("/logout")
    assert response.status_code == 302
    assert client.get("/").status_code == 302  # back to the login page
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    # the start page shows the assistant's families, so each view of it is an audited read
    assert [a for a in actions if a != "start_page_viewed"] == ["login", "logout"]
    assert "start_page_viewed" in actions


def test_wrong_password_shows_clear_polish_message(client, make_user):
    make_user("assistant", login="agata")
    response = login(client, "agata", "wrong-password-123")
    assert response.status_code == 401
    html = response.get_data(as_text=True)
    assert "Nieprawidłowy login lub hasło" in html
    event = db.session.scalars(select(AuditEvent)).one()
    assert event.action == "login_failed" and event.actor_login == "agata"


def test_unknown_login_gets_the_same_message(client):
    response = login(client, "nobody", "whatever-password-1")
    assert response.status_code == 401
    assert "Nieprawidłowy login lub hasło" in response.get_data(as_text=True)


def test_login_is_case_insensitive(client, make_user):
    make_user("assistant", login="agata")
    assert login(client, "  AGATA ").status_code == 302


def test_throttling_locks_after_the_limit_and_says_so(client, make_user, app):
    make_user("assistant", login="agata")
    limit = app.config["LOGIN_MAX_FAILURES"]
    for _ in range(limit):
        assert login(client, "agata", "wrong-password-123").status_code in (401, 429)
    # Now even the right password is refused until the lock passes.
    response = login(client, "agata", PASSWORD)
    assert response.status_code == 429
    assert "Zbyt wiele nieudanych prób logowania" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_throttling_is_kept_in_the_database_and_expires(client, make_user, app):
    """The lock holds for another worker (another client) and ends after the lockout window."""
    make_user("assistant", login="agata")
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        login(client, "agata", "wrong-password-123")
    other_worker = app.test_client()
    assert login(other_worker, "agata").status_code == 429
    # Move the failures back in time past the lockout window.
    for attempt in db.session.scalars(select(LoginAttempt)):
        attempt.attempted_at = attempt.attempted_at - app.config["LOGIN_LOCKOUT"] - timedelta(minutes=1)
    db.session.commit()
    assert login(other_worker, "agata").status_code == 302


def test_open_redirect_is_refused(client, make_user):
    make_user("assistant", login="agata")
    response = client.post("/login?next=https://evil.example/", data={"login": "agata", "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_next_within_the_app_is_followed(client, make_user):
    make_user("admin", login="ada")
    response = client.post("/login?next=/admin/users", data={"login": "ada", "password": PASSWORD})
    assert response.headers["Location"] == "/admin/users"


def test_deactivated_user_is_thrown_out_at_once(client, make_user):
    user = make_user("assistant", login="agata")
    login(client, "agata")
    assert client.get("/").status_code == 200
    from casework.auth.services import set_active

    set_active(user, False)
    db.session.commit()
    assert client.get("/").status_code == 302
    # and cannot log in again
    response = login(client, "agata")
    assert response.status_code == 401


def test_password_change_ends_other_sessions(client, make_user, app):
    make_user("assistant", login="agata")
    other = app.test_client()
    login(client, "agata")
    login(other, "agata")
    assert other.get("/").status_code == 200
    new_password = "Nowe-haslo-do-systemu-7"
    response = client.post("/account/password", data={
        "current_password": PASSWORD, "new_password": new_password, "confirm": new_password})
    assert response.status_code == 302
    assert client.get("/").status_code == 200  # this session continues
    assert other.get("/").status_code == 302  # the other one ended
    client.post("/logout")
    assert login(client, "agata", new_password).status_code == 302


def test_password_policy_messages_in_polish(client, login_as):
    login_as("assistant")
    for weak, message in (("short1", "co najmniej 12 znaków"),
                          ("password1234", "liście często używanych haseł")):
        response = client.post("/account/password", data={
            "current_password": PASSWORD, "new_password": weak, "confirm": weak})
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)


def _age_sessions(column: str, by: timedelta) -> None:
    """Move the server-side sessions' clock back (the timeouts are measured on the server, not the cookie)."""
    from casework.auth.models import UserSession

    for row in db.session.scalars(select(UserSession)):
        setattr(row, column, getattr(row, column) - by)
    db.session.commit()


def test_idle_timeout_ends_the_session(client, login_as, app):
    login_as("assistant")
    _age_sessions("seen_at", app.config["IDLE_TIMEOUT"] + timedelta(seconds=5))
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert "Sesja wygasła" in client.get("/login").get_data(as_text=True)


def test_absolute_timeout_ends_an_active_session(client, login_as, app):
    login_as("assistant")
    _age_sessions("created_at", app.config["ABSOLUTE_TIMEOUT"] + timedelta(seconds=5))
    assert client.get("/").status_code == 302


def test_must_change_password_after_reset(client, make_user):
    user = make_user("assistant", login="agata")
    user.must_change_password = True
    db.session.commit()
    response = login(client, "agata")
    assert response.headers["Location"] == "/account/password"
