from datetime import date

import pytest

from casework.extensions import db
from casework.families import services


@pytest.fixture
def make_family(make_user):
    """make_family(assistant=…, social_worker=…, name=…) → a family with a parent, a child and an open
    support period from 2025-01-10, assigned to `assistant` when given."""
    counter = {"n": 0}

    def factory(*, assistant=None, social_worker=None, name="Kowalscy", start=date(2025, 1, 10), children=1):
        counter["n"] += 1
        family = services.register_family({"case_number": f"T/{counter['n']}", "name": name, "area": "urban",
                                           "city": "Gniezno",
                                           "social_worker_id": social_worker.id if social_worker else None},
                                          actor=None)
        services.add_member(family, {"first_name": "Anna", "last_name": name, "relation": "parent",
                                     "birth_date": date(1990, 5, 5)}, actor=None)
        for i in range(children):
            services.add_member(family, {"first_name": f"Dziecko{i}", "last_name": name, "relation": "child",
                                         "birth_date": date(2015 + i, 3, 3)}, actor=None)
        period = services.start_support_period(family, {"basis": "referral", "referral_date": start,
                                                        "start_date": start}, actor=None)
        if assistant is not None:
            services.assign_assistant(period, assistant, start, actor=None)
        db.session.commit()
        return family

    return factory
