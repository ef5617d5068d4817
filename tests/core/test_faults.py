"""Faults: the database lost in the middle of a request, the database refusing connections, the process killed
during an import. The request fails cleanly with a Polish message, nothing is half-written, the app recovers.
(The SMTP server being down is tested with the digest in tests/reminders/test_digest.py.)"""
import csv
import os
import signal
import subprocess
import sys
from datetime import date, timedelta

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.engine import make_url

from casework.extensions import db
from casework.families.models import Family
from casework.visits.models import Visit, visit_area
from tests.conftest import BACKEND

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
postgres_only = pytest.mark.skipif(BACKEND != "postgresql", reason="a server that can go away: PostgreSQL, the "
                                                                   "production database (SQLite is a local file)")


def _admin_connection():
    import psycopg

    url = make_url(db.engine.url)
    return psycopg.connect(url.set(drivername="postgresql", database="postgres")
                           .render_as_string(hide_password=False), autocommit=True)


def _family_with_period(client, login_as):
    from tests.reminders.helpers import make_family

    user = login_as("assistant")
    family, _period = make_family(start=date.today() - timedelta(days=60), assistant=user, name="Nowakowie")
    return user, family


@postgres_only
def test_connection_lost_in_the_middle_of_saving_a_visit_writes_nothing(app, client, login_as):
    """The server kills the session's connection right after the visit row is inserted, before its areas: the
    user gets a clean 503 in Polish, no visit and no area is left, and the next save works."""
    from casework.core.dictionaries import entries

    user, family = _family_with_period(client, login_as)
    area = entries("area_of_work")[0].id
    killer = _admin_connection()
    killed = []

    def after(conn, cursor, statement, parameters, context, executemany):
        if statement.startswith("INSERT INTO visit ") and not killed:
            pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
            killer.execute("SELECT pg_terminate_backend(%s)", (pid,))
            killed.append(pid)

    event.listen(db.engine, "after_cursor_execute", after)
    try:
        form = {"family_id": family.id, "visit_date": date.today().isoformat(), "duration_minutes": 60,
                "areas": [area], "activities": "Rozmowa"}
        response = client.post("/visits/new", data=form)
    finally:
        event.remove(db.engine, "after_cursor_execute", after)
        killer.close()
    assert killed
    assert response.status_code == 503
    assert "Nic nie zapisano" in response.get_data(as_text=True)
    db.session.remove()
    assert db.session.scalar(select(func.count(Visit.id))) == 0
    assert db.session.scalar(select(func.count()).select_from(visit_area)) == 0
    again = client.post("/visits/new", data=form)
    assert again.status_code == 302
    assert db.session.scalar(select(func.count(Visit.id))) == 1


@postgres_only
def test_database_refusing_connections_answers_503_then_recovers(app, client, login_as):
    user, family = _family_with_period(client, login_as)
    url = f"/families/{family.id}"
    name = make_url(db.engine.url).database
    db.session.close()  # the test's own session holds no connection; the app's pool keeps idle ones
    admin = _admin_connection()
    try:
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s "
                      "AND pid <> pg_backend_pid()", (name,))
        response = client.get(url)
        assert response.status_code == 503
        assert response.headers["Retry-After"]
        assert "Baza danych jest niedostępna" in response.get_data(as_text=True)
    finally:
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        admin.close()
    db.session.remove()
    assert client.get(url).status_code == 200  # pre-ping replaces the dead connections


def _write_csv(folder, name, rows):
    path = os.path.join(folder, name + ".csv")
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, delimiter=";").writerows(rows)
    return path


def test_import_killed_while_writing_leaves_nothing_and_can_be_run_again(app, make_user, tmp_path):
    # 14 assistants, 15 families each at most (the caseload cap holds on the import path too)
    for k in range(14):
        make_user("assistant", login=f"agata{k}")
    families = [["id", "numer_sprawy", "nazwa", "miejscowosc", "obszar"]] + [
        [f"F{n}", f"AR/2020/{n}", f"Rodzina {n}", "Gniezno", "miasto"] for n in range(1, 201)]
    periods = [["id", "rodzina_id", "podstawa", "data_skierowania", "data_rozpoczecia", "asystent"]] + [
        [f"P{n}", f"F{n}", "skierowanie", "2020-01-10", "2020-02-01", f"agata{(n - 1) // 15}"] for n in range(1, 201)]
    start = date(2020, 2, 2)
    visits = [["id", "rodzina_id", "asystent", "data", "czas_min"]] + [
        [f"W{n}", f"F{n % 200 + 1}", f"agata{(n % 200) // 15}", (start + timedelta(days=n // 200)).isoformat(), "60"]
        for n in range(40000)]
    paths = [_write_csv(tmp_path, "rodziny", families), _write_csv(tmp_path, "okresy_wsparcia", periods),
             _write_csv(tmp_path, "wizyty", visits)]
    env = dict(os.environ, DATABASE_URL=db.engine.url.render_as_string(hide_password=False),
               CASEWORK_ENV="development")  # unset means production, which needs a SECRET_KEY
    command = [os.path.join(os.path.dirname(sys.executable), "flask"), "--app", "wsgi", "casework", "import",
               *paths]
    db.session.commit()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL,
                               text=True)
    for line in process.stderr:  # the second progress bar opens when every row has been checked
        if "writing" in line:
            process.send_signal(signal.SIGKILL)
            break
    process.wait(timeout=120)
    assert process.returncode == -signal.SIGKILL, "the import ended before it could be killed"
    db.session.remove()
    assert db.session.scalar(select(func.count(Family.id))) == 0
    assert db.session.scalar(select(func.count(Visit.id))) == 0
    # the database is not left locked or half-keyed: the same import runs to the end
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    db.session.remove()
    assert db.session.scalar(select(func.count(Family.id))) == 200
    assert db.session.scalar(select(func.count(Visit.id))) == 40000
