"""URLs the app builds or follows: the one safe-redirect check, bounded integer ids, links for outside readers.

- `safe_next(target)`: every `next` redirect goes through it; only a path on this site is followed.
- `BoundedIntConverter`: replaces Werkzeug's `int` converter for every route, so an id above the database's
  integer range answers 404 instead of reaching the database (500 on PostgreSQL).
- `external_url(endpoint, **values)`: an absolute link for a calendar feed or an e-mail, built from
  CASEWORK_BASE_URL (never from the request's Host header) when it is set.
"""
from urllib.parse import urlsplit

from flask import current_app, has_request_context, request, url_for
from werkzeug.routing import IntegerConverter

#: the largest value of a 32-bit signed INTEGER column (PostgreSQL `integer`, the type of every id here)
MAX_DB_INT = 2**31 - 1


def safe_next(target: str | None, default_endpoint: str = "main.home") -> str:
    """`target` when it is a path on this site, else the default page.

    Browsers drop tabs and newlines inside URLs and read a backslash as a slash, so "/\\t/evil.example" and
    "/\\\\evil.example" mean "//evil.example", another site: such targets are refused, like any with a scheme or
    a host."""
    if target and isinstance(target, str) and len(target) <= 2000:
        cleaned = "".join(ch for ch in target if ch not in "\t\r\n").replace("\\", "/")
        if not any(ord(ch) < 32 or ord(ch) == 127 for ch in cleaned):
            parts = urlsplit(cleaned)
            if (cleaned.startswith("/") and not cleaned.startswith("//") and not parts.scheme
                    and not parts.netloc):
                return cleaned
    return url_for(default_endpoint)


class BoundedIntConverter(IntegerConverter):
    """`<int:id>` limited to the database's integer range: larger numbers do not match (404)."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_DB_INT, signed=False):  # noqa: A002 - Werkzeug's names
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def base_url() -> str:
    """The site's address without a trailing slash: CASEWORK_BASE_URL, or (development) the request's own."""
    configured = current_app.config.get("CASEWORK_BASE_URL")
    if configured:
        return configured.rstrip("/")
    if has_request_context():
        return request.url_root.rstrip("/")
    return "http://localhost:5000"


def external_url(endpoint: str, **values) -> str:
    """An absolute link to `endpoint` for readers outside the app (calendar clients, e-mail)."""
    return base_url() + url_for(endpoint, **values)
