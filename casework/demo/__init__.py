"""Synthetic demo data: fake people, reproducible from a seed. Never real data."""
import random

from flask import current_app
from sqlalchemy import func, select

from casework.auth.models import User
from casework.core.settings import get_setting, set_setting
from casework.extensions import db

DEMO_PASSWORD = "demo-casework-2026"

DEMO_USERS = [
    # login, full name, roles, description
    ("admin", "Anna Administratorska", ["admin"], "administrator"),
    ("koordynator", "Krystyna Koordynatorska", ["coordinator"], "koordynator / kierownik"),
    ("asystent1", "Agata Asystentka", ["assistant"], "asystent rodziny"),
    ("asystent2", "Bartosz Asystent", ["assistant"], "asystent rodziny"),
    ("asystent3", "Celina Asystentka", ["assistant", "zi_member"], "asystent rodziny, członek ZI"),
    ("pracownik1", "Dorota Socjalna", ["social_worker"], "pracownik socjalny"),
    ("pracownik2", "Edward Socjalny", ["social_worker", "zi_member"], "pracownik socjalny, członek ZI"),
    ("zespol", "Filip Zespołowy", ["zi_member"], "członek zespołu interdyscyplinarnego"),
]


class DemoRefused(RuntimeError):
    pass


def has_users() -> bool:
    return bool(db.session.scalar(select(func.count(User.id))))


def demo_logins():
    return [(login, description) for login, _n, _r, description in DEMO_USERS]


def load_demo(families: int = 40, seed: int = 2026, progress=None):
    """Create the demo users (once) and the registered generators' data."""
    from casework.auth.passwords import hash_password

    if not current_app.config.get("DEMO_DATA_ALLOWED"):
        raise DemoRefused("demo data is not allowed with this configuration (production).")
    rng = random.Random(seed)
    password_hash = hash_password(DEMO_PASSWORD)
    users = {}
    for login, full_name, roles, _description in DEMO_USERS:
        user = db.session.scalar(select(User).where(User.login == login))
        if user is None:
            user = User(login=login, full_name=full_name, password_hash=password_hash)
            user.set_roles(roles)
            db.session.add(user)
        users[login] = user
    db.session.flush()
    for generator in generators():
        generator(users=users, families=families, rng=rng, progress=progress or (lambda *_: None))
    set_setting("demo_data", True)
    db.session.commit()
    return demo_logins()


def generators():
    """Each domain may have demo.py with `generate(users, families, rng, progress)` and an `ORDER` number
    (families first, then what hangs on families)."""
    from casework import domain_modules

    modules = [m for m in domain_modules("demo") if hasattr(m, "generate")]
    return [m.generate for m in sorted(modules, key=lambda m: getattr(m, "ORDER", 100))]


def demo_data_present() -> bool:
    return bool(get_setting("demo_data", False))
