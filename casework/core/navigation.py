"""The navigation menu: each domain registers its entries with the roles that see them."""
from dataclasses import dataclass

from flask import request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user


@dataclass(frozen=True)
class NavEntry:
    endpoint: str
    label: object
    roles: tuple  # empty: every logged-in user
    order: int = 100


NAV: list[NavEntry] = []


def register_nav(endpoint: str, label, roles=(), order: int = 100) -> None:
    if not any(e.endpoint == endpoint for e in NAV):
        NAV.append(NavEntry(endpoint, label, tuple(roles), order))
        NAV.sort(key=lambda e: e.order)


def nav_items():
    if not current_user.is_authenticated:
        return []
    items = []
    for entry in NAV:
        if entry.roles and not current_user.has_role(*entry.roles):
            continue
        items.append({"endpoint": entry.endpoint, "label": entry.label, "url": url_for(entry.endpoint),
                      "active": request.endpoint == entry.endpoint})
    return items


register_nav("main.home", _l("Start"), order=0)
register_nav("admin.users", _l("Users"), roles=("admin",), order=900)
register_nav("admin.audit_log", _l("Audit log"), roles=("admin",), order=910)
