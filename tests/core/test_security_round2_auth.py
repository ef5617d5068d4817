"""Security round two (issue 17), sessions and requests: each test is named after the finding it pins down."""
import os
import subprocess
import sys
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from casework.auth.models import LoginAttempt
from casework.core.audit import AuditEvent
from casework.extensions import db
from config import ProductionConfig, TestingConfig
from tests.conftest import PASSWORD, CaseworkClient, login

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture
def other_app(database_url):
    """make(ConfigClass) → another app on the suite's database with that configuration."""
    from casework import create_app

    made = []

    def make(base, **settings):
        config = type("Config", (base,), {"SQLALCHEMY_DATABASE_URI": database_url, **settings})
        made.append(create_app(config))
        made[-1].test_client_class = CaseworkClient
        return made[-1]

    yield make
    for other in made:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


def _sessions():
    from casework.auth.models import UserSession  # the server-side session table

    return UserSession


def _cookie(client, app):
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert cookie is not None
    return cookie


# --- 2. Logout does not end the session ----------------------------------------------------------------------

def test_logout_ends_session_on_server(client, app, make_user):
    make_user("assistant", login="agata")
    assert login(client, "agata").status_code == 302
    copied = _cookie(client, app).value  # an attacker's copy, taken before logout
    assert client.get("/").status_code == 200
    assert client.post("/logout").status_code == 302
    assert db.session.scalar(select(func.count(_sessions().id))) == 0

    thief = app.test_client()
    thief.set_cookie(app.config["SESSION_COOKIE_NAME"], copied)
    response = thief.get("/families/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert thief.get("/").status_code == 302


def test_copied_cookie_cannot_slide_past_the_server_side_timeouts(client, app, make_user):
    """The idle and absolute limits are measured from the server's row: a copy used every minute still dies."""
    make_user("assistant", login="agata")
    login(client, "agata")
    copied = _cookie(client, app).value
    row = db.session.scalars(select(_sessions())).one()
    row.created_at -= app.config["ABSOLUTE_TIMEOUT"] + timedelta(seconds=1)
    db.session.commit()
    thief = app.test_client()
    thief.set_cookie(app.config["SESSION_COOKIE_NAME"], copied)
    assert thief.get("/").status_code == 302
    assert db.session.scalar(select(func.count(_sessions().id))) == 0  # and the server forgot it


def test_session_cookie_ends_with_the_browser(client, make_user):
    make_user("assistant", login="agata")
    cookie = login(client, "agata").headers["Set-Cookie"]
    assert "Expires=" not in cookie and "Max-Age" not in cookie


def test_session_cookie_is_host_prefixed_in_production(other_app, make_user, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.delenv("CASEWORK_DEMO", raising=False)
    production = other_app(ProductionConfig, FORCE_HTTPS=False, TRUSTED_HOSTS=None, SECRET_KEY="x" * 40)
    make_user("assistant", login="agata")
    client = production.test_client()
    token = client.get("/login", base_url="https://localhost").get_data(as_text=True)
    import re

    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', token).group(1)
    response = client.post("/login", base_url="https://localhost", csrf=False,
                           headers={"Referer": "https://localhost/login"},  # CSRF over HTTPS checks it
                           data={"login": "agata", "password": PASSWORD, "csrf_token": csrf})
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-casework_session=")
    assert "Secure" in cookie and "Path=/" in cookie and "Domain" not in cookie
    assert "Expires=" not in cookie


# --- 4. One person locks the whole centre out ------------------------------------------------------------------

def test_address_lock_does_not_refuse_the_right_password(client, app, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_IP_MAX_FAILURES", 4)
    make_user("assistant", login="agata")
    make_user("assistant", login="bogna")
    for name in ("x1", "x2", "x3", "x4", "x5"):  # someone guesses from the centre's (the proxy's) address
        login(client, name, "wrong-password-123")
    # a wrong password from the address is answered with the lock message ...
    response = login(client, "bogna", "wrong-password-123")
    assert response.status_code == 429
    assert "Zbyt wiele nieudanych prób logowania" in response.get_data(as_text=True)
    # ... but a colleague behind the same address logs in with the right password
    assert login(client, "agata").status_code == 302
    assert client.get("/").status_code == 200


def test_account_lock_still_refuses_the_right_password(client, app, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_IP_MAX_FAILURES", 2)
    make_user("assistant", login="agata")
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        login(client, "agata", "wrong-password-123")
    assert login(client, "agata").status_code == 429


def test_forwarded_for_is_ignored_without_trusted_proxies(client, app, make_user):
    assert app.config["TRUSTED_PROXIES"] == 0
    client.post("/login", data={"login": "nobody", "password": "wrong-password-123"},
                headers={"X-Forwarded-For": "203.0.113.9"})
    assert db.session.scalar(select(LoginAttempt.ip)) == "127.0.0.1"
    assert db.session.scalar(select(AuditEvent.ip)) == "127.0.0.1"


def test_trusted_proxy_setting_gives_the_client_address(other_app, make_user):
    behind_nginx = other_app(TestingConfig, TRUSTED_PROXIES=1)
    client = behind_nginx.test_client()
    # a client's own X-Forwarded-For comes first; nginx appends the address it saw, the only one trusted
    client.post("/login", data={"login": "nobody", "password": "wrong-password-123"},
                headers={"X-Forwarded-For": "198.51.100.7, 203.0.113.9"})
    assert db.session.scalar(select(LoginAttempt.ip)) == "203.0.113.9"
    assert db.session.scalar(select(AuditEvent.ip)) == "203.0.113.9"


def test_trusted_proxies_is_read_from_the_environment():
    code = "import config; print(config.Config.TRUSTED_PROXIES)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                         env=dict(os.environ, CASEWORK_TRUSTED_PROXIES="1")).stdout
    assert out.strip() == "1"


# --- 7. No request size limit; ids above the integer range --------------------------------------------------------

def test_request_size_limit_answers_413_in_polish(client, app, monkeypatch):
    assert app.config["MAX_CONTENT_LENGTH"] == 20 * 1024 * 1024  # the default: room for imports
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 64 * 1024)
    response = client.post("/login", csrf=False, data=b"login=a&password=" + b"x" * (65 * 1024),
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "Plik jest za duży" in html and "1 MB" in html
    assert db.session.scalar(select(func.count(LoginAttempt.id))) == 0


def test_ids_above_the_integer_range_answer_404(client, login_as):
    login_as("coordinator")
    for big in ("2147483648", "9223372036854775808", "99999999999999999999999"):
        assert client.get(f"/families/{big}").status_code == 404, big
    assert client.get("/families/2147483647").status_code == 404  # the largest id is still looked up


# --- Low: common passwords -------------------------------------------------------------------------------------------

def test_common_password_123456789012_is_refused(client, login_as):
    login_as("assistant")
    weak = "123456789012"
    response = client.post("/account/password", data={
        "current_password": PASSWORD, "new_password": weak, "confirm": weak})
    assert response.status_code == 400
    assert "liście często używanych haseł" in response.get_data(as_text=True)


def test_common_password_list_has_the_top_3000_long_passwords(app):
    from casework.auth.passwords import long_common_passwords, password_problems

    passwords = long_common_passwords()
    assert len(passwords) >= 3000
    assert all(len(p) >= app.config["PASSWORD_MIN_LENGTH"] for p in passwords)
    for weak in ("qwertyuiop123", "1qaz2wsx3edc", "iloveyou1234"):
        assert password_problems(weak), weak
    assert password_problems(PASSWORD) == []


# --- Low: Host header in the feed; open redirect --------------------------------------------------------------------

def test_feed_links_use_base_url_not_the_host_header(client, app, make_user, monkeypatch):
    from casework.deadlines.services import new_calendar_token

    monkeypatch.setitem(app.config, "CASEWORK_BASE_URL", "https://casework.example.org")
    user = make_user("assistant", login="agata")
    token = new_calendar_token(user)
    db.session.commit()
    feed = client.get(f"/deadlines/calendar/{token}.ics", base_url="http://evil.example")
    assert feed.status_code == 200
    login(client, "agata")
    page = client.post("/deadlines/calendar", data={"action": "new"}, headers={"X-Forwarded-Host": "evil.example"})
    html = page.get_data(as_text=True)
    assert "https://casework.example.org/deadlines/calendar/" in html and "evil.example" not in html


def test_feed_event_links_use_base_url(client, app, make_user, monkeypatch):
    from casework.deadlines import services

    monkeypatch.setitem(app.config, "CASEWORK_BASE_URL", "https://casework.example.org/")
    seen = {}
    real = services.ical
    monkeypatch.setattr(services, "ical", lambda items, base: seen.setdefault("base", base) and real(items, base))
    user = make_user("assistant", login="agata")
    token = services.new_calendar_token(user)
    db.session.commit()
    assert client.get(f"/deadlines/calendar/{token}.ics", base_url="http://evil.example").status_code == 200
    assert seen["base"] == "https://casework.example.org/deadlines/"


def test_production_sets_trusted_hosts_from_the_environment():
    code = "import config; print(config.ProductionConfig.TRUSTED_HOSTS)"
    env = dict(os.environ, CASEWORK_BASE_URL="https://casework.example.org")
    env.pop("CASEWORK_TRUSTED_HOSTS", None)
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                         env=env).stdout
    assert out.strip() == "['casework.example.org']"
    env["CASEWORK_TRUSTED_HOSTS"] = "a.example, b.example"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                         env=env).stdout
    assert out.strip() == "['a.example', 'b.example']"


def test_production_refuses_a_foreign_host_header(other_app, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.delenv("CASEWORK_DEMO", raising=False)
    production = other_app(ProductionConfig, FORCE_HTTPS=False, TRUSTED_HOSTS=["casework.example.org"],
                           SECRET_KEY="x" * 40)
    client = production.test_client()
    assert client.get("/healthz", base_url="http://casework.example.org").status_code == 200
    assert client.get("/healthz", base_url="http://evil.example").status_code == 400


@pytest.mark.parametrize("target", ["/\t/evil.example", "/\\evil.example", "//evil.example", "/\r\n/evil.example",
                                    "https://evil.example/", "javascript:alert(1)"])
def test_language_next_with_tab_does_not_leave_the_site(client, target):
    response = client.post("/language", data={"lang": "en", "next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target", ["/\t/evil.example", "/\\evil.example"])
def test_login_next_with_tab_does_not_leave_the_site(client, make_user, target):
    make_user("assistant", login="agata")
    response = client.post("/login", query_string={"next": target}, data={"login": "agata", "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_every_next_redirect_uses_the_one_safe_check():
    """One check everywhere: no view reads a `next` argument without casework.core.urls.safe_next."""
    import re

    offenders = []
    for folder, _dirs, files in os.walk(os.path.join(ROOT, "casework")):
        for name in files:
            if name.endswith(".py"):
                text = open(os.path.join(folder, name), encoding="utf-8").read()
                for line in text.splitlines():
                    if re.search(r"""get\(["']next["']\)""", line) and "safe_next(" not in line:
                        offenders.append(f"{name}: {line.strip()}")
    assert offenders == []


# --- Low: development config by default -------------------------------------------------------------------------

def test_without_casework_env_the_app_runs_the_production_config(monkeypatch):
    from casework import create_app

    monkeypatch.delenv("CASEWORK_ENV", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()


def test_make_run_sets_the_development_config_explicitly():
    makefile = open(os.path.join(ROOT, "Makefile"), encoding="utf-8").read()
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "CASEWORK_ENV=development" in run


# --- 16: login records kept forever -----------------------------------------------------------------------------

def test_login_records_are_purged_by_a_scheduled_job(app):
    from casework.core.settings import set_setting
    from casework.core.timeutil import utcnow
    from casework.scheduler.jobs import JOBS, run_job

    assert "purge_login_records" in JOBS
    now = utcnow()
    for days in (2, 10, 40):
        db.session.add(LoginAttempt(login="agata", ip="192.0.2.1", success=False,
                                    attempted_at=now - timedelta(days=days)))
    db.session.commit()
    result = run_job("purge_login_records", now)
    assert result["login_records"] == 1  # the default retention: 30 days
    set_setting("login_records_retention_days", 7)
    db.session.commit()
    run_job("purge_login_records", now)
    db.session.remove()
    assert db.session.scalar(select(func.count(LoginAttempt.id))) == 1


def test_sessions_past_their_timeouts_are_purged_by_the_job(client, app, make_user):
    from casework.core.timeutil import utcnow
    from casework.scheduler.jobs import run_job

    make_user("assistant", login="agata")
    login(client, "agata")
    assert run_job("purge_login_records", utcnow())["sessions"] == 0
    later = utcnow() + app.config["IDLE_TIMEOUT"] + timedelta(minutes=1)
    assert run_job("purge_login_records", later)["sessions"] == 1
    db.session.remove()
    assert db.session.scalar(select(func.count(_sessions().id))) == 0
