"""Test setup: one database per xdist worker (SQLite file or PostgreSQL), migrated once from empty;
every test starts from empty tables; helpers to log in as each role and to count queries."""
import contextvars
import hashlib
import os
import re
from contextlib import contextmanager

import pytest
from flask.testing import FlaskClient
from sqlalchemy import event, text
from sqlalchemy.engine import make_url

from config import TestingConfig

BACKEND = os.environ.get("CASEWORK_TEST_DB", "sqlite")
PASSWORD = "Test-password-for-casework-1"


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def _postgres_base_url() -> str:
    url = os.environ.get("CASEWORK_TEST_POSTGRES_URL")
    if not url:
        pytest.exit("CASEWORK_TEST_DB=postgresql needs CASEWORK_TEST_POSTGRES_URL", returncode=3)
    return url.replace("postgresql://", "postgresql+psycopg://", 1) if url.startswith("postgresql://") else url


def _create_postgres_database(suffix: str = "") -> str:
    import psycopg

    base = make_url(_postgres_base_url())
    checkout = hashlib.sha1(os.path.dirname(os.path.abspath(__file__)).encode()).hexdigest()[:6]
    run = os.environ.get("CASEWORK_TEST_RUN", "")  # lets parallel runs in one checkout keep apart
    name = f"casework_test_{checkout}{run}_{_worker()}{suffix}"
    try:
        conn = psycopg.connect(base.set(drivername="postgresql").render_as_string(hide_password=False),
                               autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        pytest.exit(f"PostgreSQL is unreachable at {base.host}:{base.port}: {exc}", returncode=3)
    with conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING \'UTF8\'')
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    if BACKEND == "postgresql":
        return _create_postgres_database()
    path = tmp_path_factory.mktemp("db") / f"casework-{_worker()}.db"
    return f"sqlite:///{path}"


@pytest.fixture
def scratch_app(tmp_path):
    """make(suffix) → a second app on its own empty database (same backend as the suite), not migrated."""
    from casework import create_app
    from casework.extensions import db

    made = []

    def make(suffix: str):
        if BACKEND == "postgresql":
            url = _create_postgres_database("_" + suffix)
        else:
            url = f"sqlite:///{tmp_path / (suffix + '.db')}"

        class Config(TestingConfig):
            SQLALCHEMY_DATABASE_URI = url

        other = create_app(Config)
        made.append(other)
        return other

    yield make
    for other in made:
        with other.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def app(database_url):
    from flask_migrate import upgrade

    from casework import create_app

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = database_url

    application = create_app(Config)
    application.test_client_class = CaseworkClient  # every test client sends the CSRF token, in any test order
    with application.app_context():
        upgrade()  # the schema comes from the migrations only
        _snapshot_seed_data()
    return application


#: rows the migrations seed (dictionaries' defaults), restored after each test's truncation
SEED_ROWS: dict = {}
#: on PostgreSQL, each seeded table's digest as the migrations left it
SEED_DIGESTS: dict = {}


def _snapshot_seed_data():
    from casework.extensions import db

    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            rows = [dict(r._mapping) for r in conn.execute(table.select())]
            if rows:
                SEED_ROWS[table.name] = rows
                if conn.dialect.name == "postgresql":
                    SEED_DIGESTS[table.name] = conn.execute(text("SELECT " + _digest_sql(table.name))).scalar()


def _dirty_postgres_tables(db, conn, tables):
    """Tables a test touched, found in one query: rows in them, or their id sequence moved (an insert rolled back
    or deleted still moves it, and ids must start again at 1); a seeded table when its content differs from the seed,
and every table a TRUNCATE ... CASCADE of those empties too (so its seed is restored). TRUNCATE costs
    per table on PostgreSQL, so emptying the hundred tables of the schema after every test was a fifth of the run."""
    counts = conn.execute(text("SELECT " + ", ".join(
        f"(SELECT count(*) FROM (SELECT 1 FROM \"{t}\" LIMIT 1) AS x)" for t in tables))).one()
    moved = {row[0] for row in conn.execute(text(
        "SELECT d.refobjid::regclass::text FROM pg_depend d JOIN pg_sequences s "
        "ON d.objid = (quote_ident(s.schemaname) || '.' || quote_ident(s.sequencename))::regclass "
        "WHERE d.deptype IN ('a', 'i') AND s.last_value IS NOT NULL"))}
    seeded = [t for t in tables if t in SEED_ROWS]
    changed = set()
    if seeded:
        digests = conn.execute(text("SELECT " + ", ".join(_digest_sql(t) for t in seeded))).one()
        changed = {t for t, d in zip(seeded, digests) if d != SEED_DIGESTS.get(t)}
    dirty = {t for t, n in zip(tables, counts)
             if (t in changed if t in SEED_ROWS else (n or t in moved or f'"{t}"' in moved))}
    grew = True
    while grew:  # CASCADE empties the tables that reference an emptied one
        referencing = {table.name for table in db.metadata.sorted_tables
                       for fk in table.foreign_keys if fk.column.table.name in dirty}
        grew = not referencing <= dirty
        dirty |= referencing
    return [t for t in tables if t in dirty]


def _digest_sql(table: str) -> str:
    """The whole content of a (small, seeded) table as one md5: a test that changed a seeded row is seen."""
    return f"(SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM \"{table}\" AS x)"


def _truncate_all(db):
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            dirty = _dirty_postgres_tables(db, conn, tables)
            if dirty:
                conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in dirty) + " RESTART IDENTITY CASCADE"))
        else:
            dirty = tables
            for t in tables:
                conn.execute(text(f'DELETE FROM "{t}"'))
        for table in db.metadata.sorted_tables:
            if table.name in SEED_ROWS and table.name in dirty:
                conn.execute(table.insert(), SEED_ROWS[table.name])
        if conn.dialect.name == "postgresql":
            for table in db.metadata.sorted_tables:
                if table.name in SEED_ROWS and table.name in dirty and "id" in table.c:
                    conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                      f"(SELECT MAX(id) FROM \"{table.name}\"))"))


@pytest.fixture(autouse=True)
def _app_context(app):
    """Each test gets an app context and leaves no rows behind."""
    from casework.extensions import db

    with app.app_context():
        yield
        db.session.remove()
        _truncate_all(db)


class CaseworkClient(FlaskClient):
    """A test client that fills in the CSRF token from a page the user can see, as a browser would.

    Each request runs in an empty context, so it gets its own app context, `g` and database session
    as in production, not the test's own app context."""

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)

    def csrf_token(self) -> str:
        """From the login page, or, logged in, from the password page: both small and neither audited (the start
        page the login page sends a logged-in user to builds the deadline board, a third of the fuzz run)."""
        response = self.get("/login")
        if response.status_code != 200:
            response = self.get("/account/password", follow_redirects=True)
        html = response.get_data(as_text=True)
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
        assert match, "no CSRF token on the page"
        return match.group(1)

    def post(self, *args, csrf: bool = True, **kwargs):
        data = kwargs.get("data")
        if csrf and (data is None or isinstance(data, dict)) and "json" not in kwargs:
            data = dict(data or {})
            if "csrf_token" not in data:  # fetched only when the test did not bring its own
                data["csrf_token"] = self.csrf_token()
            kwargs["data"] = data
        return super().post(*args, **kwargs)


@pytest.fixture
def client(app):
    app.test_client_class = CaseworkClient
    return app.test_client()


@pytest.fixture
def make_user():
    from casework.auth.models import User
    from casework.auth.passwords import hash_password
    from casework.extensions import db

    counter = {"n": 0}

    def factory(*roles, login=None, full_name=None, password=PASSWORD, active=True):
        counter["n"] += 1
        n = counter["n"]
        user = User(login=login or f"user{n}", full_name=full_name or f"Test User {n}",
                    password_hash=hash_password(password), is_active_account=active)
        user.set_roles(roles or ("assistant",))
        db.session.add(user)
        db.session.commit()
        return user

    return factory


def login(client, user_or_login, password=PASSWORD):
    login_name = getattr(user_or_login, "login", user_or_login)
    return client.post("/login", data={"login": login_name, "password": password})


@pytest.fixture
def login_as(client, make_user):
    """login_as("coordinator") creates a user with those roles, logs the client in, returns the user."""

    def do(*roles, **kwargs):
        user = make_user(*roles, **kwargs)
        response = login(client, user)
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    return do


@contextmanager
def count_queries(db):
    """Counts the SQL statements the block sends to the database."""
    statements = []

    def before(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", before)


@pytest.fixture
def queries():
    from casework.extensions import db

    return lambda: count_queries(db)


@pytest.fixture(scope="session")
def artifacts_dir():
    path = os.path.join(os.path.dirname(os.path.dirname(__file__)), "test-artifacts")
    os.makedirs(path, exist_ok=True)
    return path


def pytest_report_header(config):
    return f"casework database backend: {BACKEND}"


def pytest_sessionstart(session):
    if os.environ.get("CASEWORK_REQUIRE_POSTGRES") and not os.environ.get("CASEWORK_TEST_POSTGRES_URL"):
        pytest.exit("CASEWORK_REQUIRE_POSTGRES is set but CASEWORK_TEST_POSTGRES_URL is not", returncode=3)
