"""The navigation menu. A domain declares its entries in its `views.py` as a list `NAV = [NavEntry(...), ...]`
next to the routes they open; `collect()` reads those lists once at start-up (through `domain_modules("views")`)
and the menu shows them by `order`, each to the roles it names."""
from dataclasses import dataclass

from flask import request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from casework.core.modules import domain_modules


@dataclass(frozen=True)
class NavEntry:
    endpoint: str
    label: object
    roles: tuple = ()  # empty: every logged-in user
    order: int = 100


#: the start page belongs to every menu; everything else is declared by the domains
START = NavEntry("main.home", _l("Start"), (), 0)

#: the menu, filled by collect() (bench/harness.py and tests read it)
NAV: list[NavEntry] = [START]


def _add(entry: NavEntry) -> None:
    if not any(e.endpoint == entry.endpoint for e in NAV):
        NAV.append(entry)
        NAV.sort(key=lambda e: e.order)


def collect() -> None:
    """Read every domain's `views.NAV` (idempotent: an entry is added once, whatever the number of apps)."""
    for views in domain_modules("views"):
        for entry in getattr(views, "NAV", ()):
            _add(NavEntry(entry.endpoint, entry.label, tuple(entry.roles), entry.order))


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
