"""One search over the case register: families (case number, name, address), people (surname in any form, first
name, PESEL), foster children and institutions, across every status of a family.

Names are matched on the stored search key (casework.core.search_keys: no diacritics, one stem for the forms of a
surname), so the same query answers the same on SQLite and PostgreSQL. What a user may not see is filtered in the
SQL (casework.families.access.visible_families_clause, the same rule as the family page), so a family outside the
user's access is neither listed nor counted: the page is the one of a query that matches nothing.
"""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from casework.auth.roles import ADMIN, ASSISTANT, COORDINATOR
from casework.contacts.models import Institution
from casework.core.search_keys import matches, words
from casework.families.access import sees_all_families
from casework.families.lookup import findable_clause
from casework.families.models import Family, FamilyMember
from casework.fostercare.models import FosterChild

KINDS = ("families", "people", "foster_children", "institutions")
MAX_QUERY = 100


@dataclass(frozen=True)
class Query:
    text: str

    @property
    def pesel(self) -> str | None:
        digits = self.text.replace(" ", "")
        return digits if len(digits) == 11 and digits.isdigit() else None

    @property
    def empty(self) -> bool:
        return not words(self.text)


def parse(text: str | None) -> Query:
    return Query((text or "").strip()[:MAX_QUERY])


def kinds_for(user) -> tuple[str, ...]:
    """The result groups a user may open: foster children only for those who may open a child's page."""
    if user.has_role(ADMIN, COORDINATOR, ASSISTANT):
        return KINDS
    return ("families", "people", "institutions")


def _families_seen(user, day: date):
    return findable_clause(user, day)


def families(query: Query, user, day: date):
    condition = matches(Family.search_key, query.text)
    if query.text:
        condition = or_(condition, func.lower(Family.case_number) == query.text.lower())
    return (select(Family).where(condition, _families_seen(user, day))
            .options(selectinload(Family.support_periods))
            .order_by(Family.name_sort, Family.id))


def people(query: Query, user, day: date):
    condition = matches(FamilyMember.search_key, query.text)
    if query.pesel:
        condition = or_(condition, FamilyMember.pesel == query.pesel)
    stmt = select(FamilyMember).where(condition, FamilyMember.archived_at.is_(None))
    if not sees_all_families(user):  # the few families the user may see, looked up first (IN, not a join)
        stmt = stmt.where(FamilyMember.family_id.in_(select(Family.id).where(_families_seen(user, day))))
    return (stmt
            .options(selectinload(FamilyMember.family).selectinload(Family.support_periods))
            .order_by(FamilyMember.search_key, FamilyMember.id))


def foster_children(query: Query, user, day: date):
    member_match = FosterChild.member_id.in_(select(FamilyMember.id).where(matches(FamilyMember.search_key,
                                                                                   query.text)))
    stmt = (select(FosterChild).where(or_(matches(FosterChild.search_key, query.text) & FosterChild.member_id.is_(None),
                                          member_match), FosterChild.archived_at.is_(None))
            .options(selectinload(FosterChild.member), selectinload(FosterChild.placements))
            .order_by(FosterChild.id.desc()))
    if not sees_all_families(user):
        # a family's assistant reads the children of the families they may see; children entered only here
        # (no family) are the coordinators'
        stmt = stmt.where(FosterChild.family_id.in_(select(Family.id).where(_families_seen(user, day))))
    return stmt


def institutions(query: Query, _user, _day: date):
    return (select(Institution).where(matches(Institution.search_key, query.text), Institution.archived_at.is_(None))
            .order_by(Institution.name_sort, Institution.id))


QUERIES = {"families": families, "people": people, "foster_children": foster_children,
           "institutions": institutions}


def statement(kind: str, query: Query, user, day: date):
    return QUERIES[kind](query, user, day)


def family_ids_of(kind: str, rows) -> list[int]:
    """The families a page of results shows (for the audit row: ids, never the query)."""
    if kind == "families":
        return [r.id for r in rows]
    if kind in ("people", "foster_children"):
        return sorted({r.family_id for r in rows if r.family_id})
    return []
