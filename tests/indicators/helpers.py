"""Hand-built data for indicator tests."""
from datetime import date

from casework.core.dictionaries import by_code
from casework.extensions import db
from casework.families.models import AssistantAssignment, Family, FamilyMember, SupportPeriod

_n = {"family": 0}


def family(name="Kowalscy", **kw):
    _n["family"] += 1
    f = Family(case_number=f"AR/T/{_n['family']}-{name}", name=name, **kw)
    db.session.add(f)
    db.session.flush()
    return f


def child(fam, birth, first="Jan", **kw):
    kw.setdefault("relation", "child")
    m = FamilyMember(family_id=fam.id, first_name=first, last_name=fam.name, birth_date=birth, **kw)
    db.session.add(m)
    db.session.flush()
    return m


def period(fam, start, end=None, reason=None, assistant=None, **kw):
    if reason is not None:
        kw["end_reason_id"] = by_code("end_reason", reason).id
    sp = SupportPeriod(family_id=fam.id, start_date=start, end_date=end, **kw)
    db.session.add(sp)
    db.session.flush()
    if assistant is not None:
        assign(sp, assistant, start, end)
    return sp


def assign(sp, user, start, end=None):
    a = AssistantAssignment(support_period_id=sp.id, family_id=sp.family_id, assistant_id=user.id,
                            start_date=start, end_date=end)
    db.session.add(a)
    db.session.flush()
    return a


def d(s):
    return date.fromisoformat(s)
