import pytest

from tests.conftest import PASSWORD


def test_csrf_is_refused(client, make_user):
    make_user("assistant", login="agata")
    response = client.post("/login", data={"login": "agata", "password": PASSWORD}, csrf=False)
    assert response.status_code == 400
    assert "Formularz wygasł" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_csrf_refused_on_logout_too(client, login_as):
    login_as("assistant")
    assert client.post("/logout", csrf=False).status_code == 400
    assert client.get("/").status_code == 200


def test_logout_by_get_is_not_possible(client, login_as):
    login_as("assistant")
    assert client.get("/logout").status_code == 405
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("path", ["/login", "/", "/admin/users", "/no-such-page"])
def test_security_headers(client, login_as, path):
    login_as("admin")
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]
    assert response.headers["Cache-Control"] == "no-store"


def test_session_cookie_flags(client, make_user):
    make_user("assistant", login="agata")
    response = client.post("/login", data={"login": "agata", "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_config_refuses_to_start_without_secret_key(monkeypatch):
    from casework import create_app
    from config import ProductionConfig

    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProductionConfig)


def test_production_config_refuses_demo_data(monkeypatch):
    from casework import create_app
    from config import ProductionConfig

    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("CASEWORK_DEMO", "1")
    with pytest.raises(RuntimeError, match="demo"):
        create_app(ProductionConfig)


def test_error_pages_are_polish_and_leak_nothing(client, login_as, app, monkeypatch):
    login_as("assistant")
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Nie znaleziono strony" in response.get_data(as_text=True)

    def boom():
        raise RuntimeError("secret internal detail")

    monkeypatch.setitem(app.view_functions, "main.home", boom)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    response = client.get("/")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "secret internal detail" not in html and "Traceback" not in html
    assert "Błąd serwera" in html


def test_healthz_reports_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_english_is_available(client):
    client.post("/language", data={"lang": "en", "next": "/login"})
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in html and "Log in" in html


def test_production_refuses_a_database_with_demo_data(monkeypatch, app, database_url):
    from casework import create_app
    from casework.demo import load_demo
    from casework.extensions import db
    from config import ProductionConfig

    load_demo(families=0, seed=1)

    class Production(ProductionConfig):
        SQLALCHEMY_DATABASE_URI = database_url

    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.delenv("CASEWORK_DEMO", raising=False)
    with pytest.raises(RuntimeError, match="demo data"):
        create_app(Production)
    db.session.remove()
