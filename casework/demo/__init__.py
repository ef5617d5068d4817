"""Synthetic demo data: fake people, reproducible from a seed. Never real data.

Tiers (`casework demo --tier …`) size the centre for the benchmarks: a small centre, a city, the whole country."""
import random
from dataclasses import asdict, dataclass

from flask import current_app
from sqlalchemy import func, select, text

from casework.auth.models import User
from casework.auth.passwords import hash_password
from casework.core.modules import domain_modules
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


@dataclass(frozen=True)
class Tier:
    """The size of a synthetic centre. `families` is every family over `years` of history; with support lasting
    two months to two and a half years, about a third of the families of the last year are active."""
    families: int
    years: int = 3
    assistants: int | None = None  # None: enough for the active families below the caseload cap
    visit_gap_days: tuple = (4, 15)  # days between two visits to a family, drawn uniformly
    description: str = ""


TIERS = {
    "small": Tier(families=190, years=3, visit_gap_days=(4, 15),
                  description="small centre: about 75 active families, 3 years of history"),
    "city": Tier(families=14000, years=10, assistants=200, visit_gap_days=(6, 19),
                 description="city: about 3,000 families a year, 10 years, ~500,000 visits, 200 assistants"),
    "national": Tier(families=250000, years=10, assistants=3200, visit_gap_days=(5, 18),
                     description="national: 250,000 families, about 10 million visits (PostgreSQL)"),
}


def has_users() -> bool:
    return bool(db.session.scalar(select(func.count(User.id))))


def demo_logins():
    return [(login, description) for login, _n, _r, description in DEMO_USERS]


def load_demo(families: int = 40, seed: int = 2026, progress=None, tier: Tier | None = None):
    """Create the demo users (once) and the registered generators' data.

    `progress(message, done=None, total=None)` is told what is being generated; `tier` overrides `families`."""
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
    options = asdict(tier) if tier else asdict(Tier(families=families))
    for generator in generators():
        generator(users=users, families=options["families"], rng=rng,
                  progress=progress or (lambda *_a, **_k: None), options=options)
    set_setting("demo_data", True)
    db.session.commit()
    analyze()
    return demo_logins()


def analyze() -> None:
    """Refresh the planner's statistics after a bulk load. Without them the query planner guesses table sizes
    (SQLite's dashboard took 689 ms instead of 163 at the city tier); both databases accept a plain ANALYZE
    inside a transaction (PostgreSQL's VACUUM would not)."""
    db.session.execute(text("ANALYZE"))
    db.session.commit()


def generators():
    """Each domain may have demo.py with `generate(users, families, rng, progress, options)` and an `ORDER` number
    (families first, then what hangs on families)."""
    modules = [m for m in domain_modules("demo") if hasattr(m, "generate")]
    return [m.generate for m in sorted(modules, key=lambda m: getattr(m, "ORDER", 100))]


def demo_data_present() -> bool:
    return bool(get_setting("demo_data"))
