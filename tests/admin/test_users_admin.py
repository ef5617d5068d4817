from sqlalchemy import select

from casework.auth.models import User
from casework.core.audit import AuditEvent
from casework.extensions import db
from tests.conftest import PASSWORD, login

NEW_PASSWORD = "Poczatkowe-haslo-2026"


def test_admin_creates_a_user_who_must_change_the_password(client, login_as, app):
    login_as("admin")
    response = client.post("/admin/users/new", data={
        "login": "Nowak.J", "full_name": "Jan Nowak", "email": "", "roles": ["assistant", "zi_member"],
        "password": NEW_PASSWORD})
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.login == "nowak.j"))
    assert user.roles == {"assistant", "zi_member"}
    other = app.test_client()
    response = login(other, "nowak.j", NEW_PASSWORD)
    assert response.headers["Location"] == "/account/password"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user_created"))
    assert event.object_id == user.id and event.details["roles"] == ["assistant", "zi_member"]


def test_create_user_validation_in_polish(client, login_as):
    login_as("admin", login="ada")
    response = client.post("/admin/users/new", data={
        "login": "ada", "full_name": "Ktoś", "roles": [], "password": "krotkie"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Login ada jest już zajęty." in html
    assert "Wybierz co najmniej jedną rolę." in html
    assert "Hasło musi mieć co najmniej 12 znaków." in html


def test_admin_deactivates_and_reactivates(client, login_as, make_user, app):
    login_as("admin")
    worker = make_user("assistant", login="agata")
    other = app.test_client()
    login(other, "agata")
    assert other.get("/").status_code == 200
    client.post(f"/admin/users/{worker.id}/active", data={"active": "0"})
    assert other.get("/").status_code == 302  # thrown out at once
    assert login(other, "agata").status_code == 401
    client.post(f"/admin/users/{worker.id}/active", data={"active": "1"})
    assert login(other, "agata").status_code == 302


def test_admin_cannot_deactivate_themselves(client, login_as):
    admin = login_as("admin")
    response = client.post(f"/admin/users/{admin.id}/active", data={"active": "0"}, follow_redirects=True)
    assert "Nie możesz dezaktywować własnego konta." in response.get_data(as_text=True)
    assert client.get("/").status_code == 200


def test_admin_resets_a_password_and_ends_the_users_sessions(client, login_as, make_user, app):
    login_as("admin")
    worker = make_user("assistant", login="agata")
    other = app.test_client()
    login(other, "agata")
    response = client.post(f"/admin/users/{worker.id}/password",
                           data={"password": NEW_PASSWORD, "confirm_reset": "y"}, follow_redirects=True)
    assert "Hasło zostało zmienione" in response.get_data(as_text=True)
    assert other.get("/").status_code == 302
    assert login(other, "agata", PASSWORD).status_code == 401
    assert login(other, "agata", NEW_PASSWORD).headers["Location"] == "/account/password"


def test_admin_edits_roles_and_the_change_is_audited(client, login_as, make_user):
    login_as("admin")
    worker = make_user("assistant", login="agata", full_name="Agata A")
    client.post(f"/admin/users/{worker.id}", data={"full_name": "Agata B", "email": "a@example.org",
                                                   "roles": ["assistant", "coordinator"]})
    db.session.expire_all()
    assert db.session.get(User, worker.id).roles == {"assistant", "coordinator"}
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user_updated"))
    assert event.details["full_name"] == ["Agata A", "Agata B"]
    assert event.details["roles"] == [["assistant"], ["assistant", "coordinator"]]


def test_only_admins_reach_administration(client, login_as):
    login_as("coordinator", "assistant", "social_worker", "zi_member")
    for path in ("/admin/users", "/admin/users/new", "/admin/audit"):
        assert client.get(path).status_code == 403


def test_each_role_sees_only_its_navigation(client, make_user, app):
    admin = make_user("admin", login="ada")
    assistant = make_user("assistant", login="agata")
    login(client, admin)
    html = client.get("/").get_data(as_text=True)
    assert 'href="/admin/users"' in html and 'href="/admin/audit"' in html
    other = app.test_client()
    login(other, assistant)
    html = other.get("/").get_data(as_text=True)
    assert 'href="/admin/users"' not in html and 'href="/admin/audit"' not in html


def test_audit_log_lists_and_filters(client, login_as, make_user, app):
    make_user("assistant", login="agata")
    other = app.test_client()
    login(other, "agata", "wrong-password-1")
    login(other, "agata")
    login_as("admin", login="ada")
    html = client.get("/admin/audit").get_data(as_text=True)
    assert "Nieudane logowanie</td>" in html and "agata" in html  # the action in Polish, its code behind "kody"
    filtered = client.get("/admin/audit", query_string={"action": "login_failed"}).get_data(as_text=True)
    assert filtered.count("Nieudane logowanie</td>") == 1
    assert "Logowanie</td>" not in filtered
    nobody = client.get("/admin/audit", query_string={"user": "nobody"}).get_data(as_text=True)
    assert "Żadne zdarzenie nie pasuje do filtrów." in nobody


def test_audit_log_pages_use_constant_queries(client, login_as, app, queries):
    login_as("admin")
    from casework.core import audit

    def render():
        with queries() as q:
            assert client.get("/admin/audit").status_code == 200
        return len(q)

    for _ in range(3):
        audit.record("test_event", object_type="x", object_id=1)
    db.session.commit()
    few = render()
    for _ in range(40):
        audit.record("test_event", object_type="x", object_id=1)
    db.session.commit()
    assert render() == few
