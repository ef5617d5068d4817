"""Every form of the app fuzzed (hypothesis): random, oversized, unicode and control characters, missing fields,
wrong types. Never a 500, never a partial write (a refused form leaves every table as it was), and the message is
the app's Polish one, never a library's English default."""
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, text

from casework.extensions import db

#: forms whose success ends the session or is not about data: tested in their own modules
SKIP = re.compile(r"^/(logout|login|password|account/password|language)|^/admin/users/\d+/(active|password)$")
#: forms whose success is a page, not a redirect (a new calendar link is shown once)
ANSWERS_WITH_A_PAGE = re.compile(r"^/deadlines/calendar$")
ENGLISH_DEFAULTS = ("This field is required", "Not a valid", "Invalid Choice", "Invalid date", "Invalid input",
                    "Field must be", "The CSRF token")

odd_text = st.one_of(
    st.text(max_size=40),  # any unicode, control characters included
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=12).map(lambda s: s * 5000),  # oversized
    st.sampled_from(["", " ", "0", "-1", "999999", "2147483648", "1e309", "NaN", "9" * 40, "2026-02-30", "31.12.2026", "12:99", "<b>",
                     "' OR 1=1 --", "Łódź\x00żółć", "\u202e", "true", "[]"]),
    st.integers(min_value=-10**12, max_value=10**12).map(str),
    st.dates().map(lambda d: d.isoformat()),
)


class FormFinder(HTMLParser):
    """POST forms of a page: action and the fields with their current values."""

    def __init__(self):
        super().__init__()
        self.forms, self.links, self._form = [], [], None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form" and (a.get("method") or "").lower() == "post":
            self._form = {"action": a.get("action") or "", "fields": {}}
        elif self._form is not None and tag in ("input", "select", "textarea") and a.get("name"):
            if a.get("type") in ("submit", "file"):
                return
            self._form["fields"].setdefault(a["name"], a.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None


def _row_counts():
    """Rows of every table (one query), audit trail and login attempts aside."""
    db.session.rollback()
    tables = [t.name for t in db.metadata.sorted_tables if t.name not in ("audit_event", "login_attempt")]
    row = db.session.execute(text("SELECT " + ", ".join(f'(SELECT count(*) FROM "{t}")' for t in tables))).one()
    db.session.rollback()
    return dict(zip(tables, row))


def _collect_forms(client, start_paths, limit=300):
    """Crawl the app from the start pages (links inside the app only) and collect one form per action path
    pattern (digits folded), so each kind of form is fuzzed once."""
    seen, queue, forms = set(), list(start_paths), {}
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code != 200 or "html" not in response.content_type:
            continue
        finder = FormFinder()
        finder.feed(response.get_data(as_text=True))
        for form in finder.forms:
            action = urlparse(urljoin(path, form["action"] or path)).path
            if SKIP.match(action):
                continue
            forms.setdefault(re.sub(r"\d+", "N", action), (action, form["fields"]))
        for href in finder.links:
            target = urlparse(urljoin(path, href))
            if target.netloc or not target.path.startswith("/") or "export" in target.path \
                    or target.path.endswith((".docx", ".xlsx", ".csv", ".json", ".ics", ".zip")):
                continue
            if target.path not in seen and not SKIP.match(target.path):
                queue.append(target.path)
    return forms


@pytest.fixture
def centre(app, client, make_user):
    from casework.demo import load_demo

    load_demo(families=6, seed=5)
    user = make_user("admin", "coordinator", "assistant", "social_worker", "zi_member", login="fuzz")
    # one open support period becomes the fuzzer's own, so the assistant's forms (a new visit) are there too
    db.session.execute(text("UPDATE assistant_assignment SET assistant_id = :u WHERE id = "
                            "(SELECT min(id) FROM assistant_assignment WHERE end_date IS NULL)"), {"u": user.id})
    db.session.commit()
    response = client.post("/login", data={"login": "fuzz", "password": "Test-password-for-casework-1"})
    assert response.status_code == 302
    return user


def test_every_form_survives_fuzzing(app, client, centre):
    family = db.session.scalar(select(func.min(text("id"))).select_from(text("family")))
    forms = _collect_forms(client, ["/", f"/families/{family}", "/visits/new", "/admin/users", "/admin/users/new",
                                    "/reports/", "/reports/programmes", "/blue-card/", "/foster-care/",
                                    "/foster-care/children/new", "/institutions/", "/reminders/"])
    assert len(forms) >= 40, sorted(forms)  # the crawl reaches the app's forms
    failures = []

    for pattern, (action, fields) in sorted(forms.items()):
        names = [n for n in fields if n != "csrf_token"]

        @settings(max_examples=6, deadline=None, database=None, derandomize=True,
                  suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                         HealthCheck.data_too_large])
        @given(data=st.fixed_dictionaries({}, optional={n: odd_text for n in names}))
        def fuzz(data):
            before = _row_counts()
            response = client.post(action, data=data)  # the client adds a valid CSRF token
            body = response.get_data(as_text=True)
            assert response.status_code < 500, f"{action} → {response.status_code} with {data!r:.300}"
            if response.status_code not in (301, 302, 303) and not ANSWERS_WITH_A_PAGE.match(action):
                after = _row_counts()
                changed = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
                assert not changed, f"{action} refused the form but wrote rows {changed}: {data!r:.300}"
                for english in ENGLISH_DEFAULTS:
                    assert english not in body, f"{action}: English message {english!r} for {data!r:.200}"
            if "/login" in response.headers.get("Location", ""):
                client.post("/login", data={"login": "fuzz", "password": "Test-password-for-casework-1"})

        try:
            fuzz()
        except Exception as exc:  # noqa: BLE001 - an exception the app let through is a 500 for the user
            db.session.rollback()
            failures.append(f"{pattern}: {type(exc).__name__}: {str(exc).splitlines()[0][:300]}")
    assert not failures, "\n".join(failures)
    assert client.get("/families/").status_code == 200  # still logged in: the run above was not vacuous
