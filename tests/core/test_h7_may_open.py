"""may_open: a page leaves out a link its reader's role would get 403 for (the family page's timeline uses it)."""
from flask_login import login_user

from casework.core.permissions import may_open


def test_a_link_is_open_to_the_roles_the_page_requires(app, make_user):
    social_worker, assistant = make_user("social_worker"), make_user("assistant")
    with app.test_request_context():
        login_user(social_worker)
        assert not may_open("/visits/12/edit")  # visits are the assistants' and coordinators' pages
        assert may_open("/families/12")  # the family page checks the family itself, not a role
        assert may_open("/no/such/page") and may_open("https://example.org/x")
        assert may_open("/visits/12/edit", user=assistant)
        assert not may_open("/reports/r/assistants?year=2025", user=assistant)
