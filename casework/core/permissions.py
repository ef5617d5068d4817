"""Role checks for pages. Family-scoped checks live with the families domain (one rule, one loader)."""
from functools import wraps

from flask import abort, current_app, has_request_context, request
from flask_login import current_user, login_required
from werkzeug.exceptions import HTTPException


def roles_required(*roles: str):
    """The view needs a logged-in user holding one of roles; others get 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = roles  # read by may_open: no link to a page that would answer 403
        return wrapped

    return decorator


def may_open(url: str, user=None) -> bool:
    """Whether `user` (default: the current user) holds a role the page at `url` (a path of this app) requires, so
    a page can leave out a link that would only answer 403. Pages without a role check, and addresses that are not
    this app's pages, count as open (their own checks still apply when followed)."""
    if user is None and not has_request_context():
        return True  # no reader to check (a CLI command, a job)
    user = user or current_user
    path = url.split("?", 1)[0]
    root = request.script_root if has_request_context() else ""
    if root and path.startswith(root):
        path = path[len(root):]
    try:
        endpoint, _args = current_app.url_map.bind("localhost").match(path, method="GET")
    except HTTPException:  # not a page of this app (a redirect of the router is one too)
        return True
    roles = getattr(current_app.view_functions.get(endpoint), "allowed_roles", None)
    return not roles or (user.is_authenticated and user.has_role(*roles))
