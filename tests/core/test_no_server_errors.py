"""No page answers 500, whatever a user types: every route, every role, odd query strings and odd forms."""
import pytest

ODD_VALUES = ["", "-1", "0", "abc", "9" * 30, "2026-02-30", "' OR 1=1 --", "<script>x</script>", "Łódź żółć",
              "\x00", "%", "../../etc/passwd"]
ROLES = ["admin", "coordinator", "assistant", "social_worker", "zi_member"]


def _routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        yield rule


def _build_paths(rule):
    """Concrete paths for a rule: converters get an existing-looking id and a missing one."""
    args = [a for a in rule.arguments]
    if not args:
        return [rule.rule]
    paths = []
    for value in ("1", "999999"):
        path = rule.rule
        for arg in args:
            path = path.replace(f"<int:{arg}>", value).replace(f"<{arg}>", value)
            path = path.replace(f"<string:{arg}>", value).replace(f"<path:{arg}>", value)
        paths.append(path)
    return paths


@pytest.mark.parametrize("role", ROLES + [None])
def test_get_routes_never_answer_500(app, client, login_as, role):
    if role:
        login_as(role)
    keys = ["page", "q", "date_from", "date_to", "object_id", "user", "action", "status", "year", "month",
            "family_id", "assistant", "from", "to", "next", "sort"]
    for rule in _routes(app):
        if "GET" not in rule.methods or rule.endpoint in ("auth.logout",):
            continue
        for path in _build_paths(rule):
            for value in ODD_VALUES:
                query = {k: value for k in keys}
                response = client.get(path, query_string=query)
                assert response.status_code < 500, f"{role}: GET {path}?…={value!r} → {response.status_code}"


@pytest.mark.parametrize("role", ["admin", "coordinator", "assistant"])
def test_post_routes_never_answer_500(app, client, login_as, role):
    user = login_as(role)
    for rule in _routes(app):
        if "POST" not in rule.methods or rule.endpoint in ("auth.logout",):
            continue
        for path in _build_paths(rule):
            for value in ("", "abc", "-5", "2026-13-45", "x" * 5000):
                fields = {k: value for k in ("login", "password", "full_name", "email", "roles", "active",
                                             "version", "date", "start_date", "end_date", "duration", "name",
                                             "pesel", "reason", "lang", "next", "new_password", "confirm",
                                             "current_password", "family_id", "status")}
                response = client.post(path, data=fields)
                assert response.status_code < 500, f"{role}: POST {path} with {value[:20]!r} → {response.status_code}"
            # the user must still be able to work afterwards (no half-committed state breaks the session)
    assert user.id
