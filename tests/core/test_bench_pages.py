"""`make bench` measures every page of every role's navigation: the bench reads the menu (`navigation.NAV`) rather
than a hand list, so a page added to the menu cannot escape it. No timing here (benchmarks print figures)."""
from types import SimpleNamespace

from bench import harness
from casework.auth.roles import ALL_ROLES
from casework.core import navigation
from casework.core.navigation import NavEntry
from casework.demo import DEMO_USERS


def _measured(pages):
    return {(p.endpoint, p.login) for p in pages if p.method == "GET" and not p.document and not p.cold}


def test_every_navigation_entry_of_every_role_is_measured(app):
    assert set(ALL_ROLES) <= set(harness.ROLE_LOGINS), "a role without a bench login"
    roles_of = {login: set(roles) for login, _name, roles, _d in DEMO_USERS}
    measured = _measured(harness.pages(app))
    expected = set()
    for role, login in harness.ROLE_LOGINS.items():
        assert role in roles_of[login], f"bench login {login} lacks the role {role}"
        for entry in navigation.NAV:
            if not entry.roles or role in entry.roles:
                expected.add((entry.endpoint, login))
    assert len(expected) > 20  # the menus really were read
    assert expected <= measured, f"not measured: {sorted(expected - measured)}"


def test_a_page_added_to_the_menu_is_measured_without_touching_the_bench(app, monkeypatch):
    monkeypatch.setattr(navigation, "NAV", navigation.NAV + [NavEntry("main.healthz", "new", ("zi_member",), 1)])
    assert ("main.healthz", harness.ROLE_LOGINS["zi_member"]) in _measured(harness.pages(app))


def test_the_pages_outside_the_menu_and_the_documents_are_measured(app):
    pages = harness.pages(app)
    endpoints = {(p.endpoint, p.method, p.cold, p.document, p.kwargs.get("name"), p.kwargs.get("fmt"))
                 for p in pages}
    assert ("families.detail", "GET", False, False, None, None) in endpoints
    assert ("visits.new", "POST", False, False, None, None) in endpoints
    assert ("reports.show", "GET", False, False, "assistants", None) in endpoints
    assert ("reports.show", "GET", False, False, "ministry", None) in endpoints
    assert ("reports.dashboard_page", "GET", False, False, None, None) in endpoints
    assert ("indicators.index", "GET", False, False, None, None) in endpoints
    assert ("indicators.index", "GET", True, False, None, None) in endpoints
    for fmt in ("docx", "xlsx"):
        assert ("reports.export", "GET", False, True, "assistants", fmt) in endpoints
    assert harness.START in {(p.endpoint, p.login) for p in pages}
    with app.test_request_context():  # every page builds a URL the app knows
        from flask import url_for
        for page in pages:
            kwargs = {k: (1 if v is None else v) for k, v in page.kwargs.items()}
            assert url_for(page.endpoint, **kwargs, **page.query)


def test_a_search_page_is_measured_once_the_app_has_one():
    def app_with(*rules):
        rules = [SimpleNamespace(endpoint=e, rule=r, methods={"GET", "HEAD"}, arguments=set()) for e, r in rules]
        return SimpleNamespace(url_map=SimpleNamespace(iter_rules=lambda: iter(rules)))

    assert harness.search_pages(app_with(("families.index", "/families/"))) == []
    found = harness.search_pages(app_with(("main.search", "/szukaj"), ("families.index", "/families/")))
    assert {(p.endpoint, p.login) for p in found} == {("main.search", "asystent1"), ("main.search", "koordynator")}
    assert all(p.query == harness.SEARCH_QUERY for p in found)


def test_the_apps_search_page_is_measured(app):
    if "search.index" not in app.view_functions:  # the search of the case-file issue has not landed
        return
    measured = {(p.endpoint, p.login) for p in harness.pages(app) if p.query == harness.SEARCH_QUERY}
    assert measured == {("search.index", "asystent1"), ("search.index", "koordynator")}
