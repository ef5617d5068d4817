"""Finding families by what people type: the families a user may find (the search box, casework/search) and the
likely duplicates of a family being registered. Names and addresses are compared on their search keys
(casework.core.search_keys: no diacritics, one stem for every form of a surname)."""
from datetime import date

from sqlalchemy import select

from casework.core.pesel import checksum_ok
from casework.core.search_keys import matches, words
from casework.extensions import db
from casework.families.access import sees_all_families, visible_families_clause
from casework.families.models import Family, FamilyMember

#: at most this many families with a matching surname are compared by address
CANDIDATES = 200


def findable_clause(user, day: date):
    """The SQL condition on Family for the families `user` may find: the ones the family page opens for them
    (visible today; archived ones only for those who see every family) — nothing else is listed or counted."""
    clause = visible_families_clause(user, today=day)
    if not sees_all_families(user):
        clause = clause & Family.archived_at.is_(None)
    return clause


#: words that name the kind of street, left out when addresses are compared ("ul. Polna 3" = "Polna 3")
STREET_WORDS = frozenset({"ul", "ulica", "al", "aleja", "aleje", "os", "osiedle", "pl", "plac"})


def _address(street, city) -> list[str]:
    return [w for w in words(street, city) if w not in STREET_WORDS]


def likely_duplicates(values: dict, user, day: date, *, pesel: str | None = None) -> list[Family]:
    """Families `user` may see that are likely the one being registered: one with a member of the same PESEL, or
    one with the same surname (any form: a shared word of the name's key) at the same address (street and town,
    folded). A family registered without a street is compared by PESEL only."""
    found: dict[int, Family] = {}
    seen = findable_clause(user, day)
    pesel = (pesel or "").strip()
    if pesel and checksum_ok(pesel):
        stmt = select(Family).where(Family.id.in_(select(FamilyMember.family_id).where(FamilyMember.pesel == pesel)),
                                    seen)
        for family in db.session.scalars(stmt):
            found.setdefault(family.id, family)
    name = set(words(values.get("name")))
    address = _address(values.get("street"), values.get("city"))
    if name and words(values.get("street")):  # a town alone is no address: too many families share it
        stmt = select(Family).where(matches(Family.search_key, values.get("name")), seen).limit(CANDIDATES)
        for family in db.session.scalars(stmt):
            if _address(family.street, family.city) == address and name & set(words(family.name)):
                found.setdefault(family.id, family)
    return sorted(found.values(), key=lambda f: (f.name_sort, f.id))
